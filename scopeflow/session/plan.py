"""A ``Plan``: what one ``Session.run`` signature (its fetches and fed tensors) must compute.

Compiled once per signature and cached by the session: the graph is walked from the fetches
back to the feeds, pruned to the ops that are needed, put in a valid order, and every tensor
gets a slot number. Running a plan is then a flat loop over its steps. An executor (NumPy
now; JAX later) only needs ``steps``, ``feed_slots``, ``fetch_slots`` and ``initial_slots``.
No op type is named here: the facts a plan needs (``is_placeholder``, ``control_flow``,
``ref_output``...) are fields of each op type's registry entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from scopeflow.framework import errors
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor


class Step(NamedTuple):
    """One op to run: its kernel, the slots of its inputs and outputs, and the slots whose
    last reader it is (freed after it runs)."""

    kernel: object
    op: Operation
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    free: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    feed_slots: tuple[int, ...]
    fetch_slots: tuple[int, ...]
    initial_slots: tuple
    has_control_flow: bool
    missing_feeds: tuple  # (placeholder op, fetch that needs it), raised when run
    fetches: tuple


def variable_of(t: Tensor) -> Operation:
    """The ``VariableV2`` op behind a reference tensor (a variable, or an assignment's
    result)."""
    op = t.op
    while op.op_def.ref_output:
        op = op.inputs[0].op
    if not op.op_def.is_variable:
        raise errors.InvalidArgumentError(
            None, op, f"'{t.name}' is not a variable reference: assignments need a variable."
        )
    return op


def compile_plan(fetches: list, feeds: list[Tensor]) -> Plan:
    """Builds the plan computing ``fetches`` (Tensors and Operations) given ``feeds``."""
    fed = {t: i for i, t in enumerate(feeds)}
    slot_of: dict = {}
    initial: list = []

    def new_slot(value=None) -> int:
        initial.append(value)
        return len(initial) - 1

    feed_slots = []
    for t in feeds:
        slot_of[t] = new_slot()
        feed_slots.append(slot_of[t])

    order, root_of = _ops_needed(fetches, fed)
    steps_raw = []
    missing = []
    has_control_flow = False
    for op in order:
        op_def = op.op_def
        if op_def.is_placeholder:
            missing.append((op, root_of[op]))
            slot_of[op._outputs[0]] = new_slot()
            continue
        if op_def.kernel is None:
            raise errors.UnimplementedError(
                None, op, f"No kernel is registered for op type '{op.type}' (op '{op.name}')."
            )
        has_control_flow |= op_def.control_flow
        in_slots = []
        for i, t in enumerate(op.inputs):
            if i in op_def.ref_inputs:
                in_slots.append(new_slot(variable_of(t)))
            elif _reads_variable(t, fed):
                # Read the variable when this op runs, not once per run: an assignment that
                # this op waits for (control dependencies) must be visible, as in TF1.
                read = new_slot()
                steps_raw.append((_read_kernel, t.op, (new_slot(t.op),), (read,)))
                in_slots.append(read)
            else:
                in_slots.append(slot_of[t])
        out_slots = []
        for t in op._outputs:
            if t not in slot_of:
                slot_of[t] = new_slot()
            out_slots.append(slot_of[t])
        steps_raw.append((op_def.kernel, op, tuple(in_slots), tuple(out_slots)))

    fetch_slots = tuple(slot_of[f] if isinstance(f, Tensor) else -1 for f in fetches)
    steps = _with_frees(steps_raw, set(fetch_slots))
    return Plan(
        tuple(steps),
        tuple(feed_slots),
        fetch_slots,
        tuple(initial),
        has_control_flow,
        tuple(missing),
        tuple(fetches),
    )


def _reads_variable(t: Tensor, fed: dict) -> bool:
    return t.op.op_def.is_variable and t not in fed


def _read_kernel(ctx, var_op, _var_op):
    return ctx.read_variable(var_op)


def _ops_needed(fetches: list, fed: dict) -> tuple[list[Operation], dict]:
    """Ops the fetches depend on (through inputs and control inputs, stopping at fed
    tensors and reference inputs), in an order where every op follows its inputs."""
    order: list[Operation] = []
    state: dict[Operation, int] = {}  # 1: being visited, 2: done
    root_of: dict[Operation, object] = {}
    for fetch in fetches:
        if isinstance(fetch, Tensor) and fetch in fed:
            continue
        start = fetch.op if isinstance(fetch, Tensor) else fetch
        if state.get(start) == 2:
            continue
        stack = [(start, False)]
        while stack:
            op, expanded = stack.pop()
            if expanded:
                state[op] = 2
                order.append(op)
                continue
            if state.get(op):
                continue
            state[op] = 1
            root_of.setdefault(op, fetch)
            stack.append((op, True))
            refs = op.op_def.ref_inputs
            deps = [c for c in op._control_inputs]
            deps += [
                t.op
                for i, t in enumerate(op._inputs)
                if i not in refs and t not in fed and not _reads_variable(t, fed)
            ]
            for dep in reversed(deps):
                if not state.get(dep):
                    root_of.setdefault(dep, fetch)
                    stack.append((dep, False))
    return order, root_of


def _with_frees(steps_raw: list, keep: set) -> list[Step]:
    last_use: dict[int, int] = {}
    for index, (_, _, inputs, _) in enumerate(steps_raw):
        for slot in inputs:
            last_use[slot] = index
    frees: dict[int, list[int]] = {}
    for slot, index in last_use.items():
        if slot not in keep:
            frees.setdefault(index, []).append(slot)
    return [
        Step(kernel, op, inputs, outputs, tuple(frees.get(index, ())))
        for index, (kernel, op, inputs, outputs) in enumerate(steps_raw)
    ]
