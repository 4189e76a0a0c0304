"""A ``Plan``: what one ``Session.run`` signature (its fetches and fed tensors) must compute.

Compiled once per signature and cached by the session: the graph is walked from the fetches
back to the feeds, pruned to the ops that are needed, put in a valid order, and every tensor
gets a slot number. Running a plan is then a flat loop over its steps. An executor (NumPy
now; JAX later) only needs ``steps``, ``feed_slots``, ``fetch_slots`` and ``initial_slots``.
No op type is named here: the facts a plan needs (``is_placeholder``, ``control_flow``,
``ref_output``...) are fields of each op type's registry entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.frames import LoopFrame
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor
from scopeflow.session.update_locks import Locked


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
    # With control flow, per step: the indices of the steps it waits for (control inputs in
    # this plan) and whether it runs with dead inputs (merges_dead), so the executor's loop
    # reads no op attributes.
    guards: tuple = ()
    # The NumPy executor's version of ``steps`` (session/fusion.py), made on its first run;
    # never passed on (``dataclasses.replace`` gives a plan with other steps a fresh one).
    prepared: list = field(default_factory=list, init=False, compare=False, repr=False)


def variable_of(t: Tensor) -> Operation:
    """The ``VariableV2`` op behind a reference tensor (a variable, or an assignment's
    result), or the ``VarHandleOp`` behind a resource handle (through ``Switch``, ``Enter``,
    ``Identity``...)."""
    op = t.op
    while op.op_def.ref_output or through_flow(t):
        t = op.inputs[0]
        op = t.op
    if not op.op_def.is_variable:
        raise errors.InvalidArgumentError(
            None, op, f"'{t.name}' is not a variable reference: assignments need a variable."
        )
    return op


def through_flow(t: Tensor) -> bool:
    """Whether ``t`` is a resource handle passed on by an op (a ``tf.cond``'s ``Switch``, a
    loop's ``Enter``): an op taking it runs only where that op's output is live."""
    return t.dtype.base_dtype == dtypes.resource and not t.op.op_def.is_variable


def _handle_kernel(ctx, var_op, _handle):
    return var_op


def compile_plan(
    fetches: list,
    feeds: list[Tensor],
    frame: LoopFrame | None = None,
    done=frozenset(),
    active: frozenset | None = None,
) -> Plan:
    """Builds the plan computing ``fetches`` (Tensors and Operations) given ``feeds``.

    ``frame`` is the loop whose condition or body this plan runs (None: a whole run); a loop
    nested at this level becomes one :class:`LoopStep`. Ops in ``done`` count as already run
    (a loop's ``Merge`` and ``Switch`` ops, whose outputs a sub-plan is fed). ``active``: the
    loops of the whole run (a loop's per-iteration ops run only for gradient loops in it).
    """
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

    _check_fetchable(fetches, fed, frame)
    order, root_of = _ops_needed(fetches, fed, frame, done)
    if active is None:
        active = frozenset(u for u in order if isinstance(u, LoopFrame))
    steps_raw = []
    missing = []
    has_control_flow = False
    # Ops that write variables or run after a write. The ops whose control inputs are among
    # them (or a lock's, a queue's op), and the ops downstream of those, read variables as
    # they are when they run; the others read them as the run found them (TF's executor
    # runs them first), though an update in the same run came earlier in this order.
    writes: set = {u for u in order if isinstance(u, LoopFrame)}
    waiting: set = set()

    def input_slot(t: Tensor, waits: bool = False) -> int:
        variable = t if _reads_variable(t, fed) else None
        if variable is None and waits:
            variable = _aliased_variable(t, fed)
            if variable is not None and t in slot_of:  # through the snapshot
                read = new_slot()
                args = (new_slot(variable.op), slot_of[t])
                steps_raw.append((_shared_read_kernel, variable.op, args, (read,)))
                return read
        if variable is not None:
            # Read the variable when this op runs, not once per run: an assignment that
            # this op waits for (control dependencies) must be visible, as in TF1. So too
            # through a variable's ``read`` snapshot for an op that waits for others (control
            # inputs, its own or upstream: ``waits``): TF1's snapshot shares the variable's
            # buffer, so ops built under ``tf.control_dependencies([assign])`` see the
            # assigned value. Other ops keep the snapshot: TF's executor runs them as soon
            # as their inputs are ready, before the updates that come later in a step.
            read = new_slot()
            steps_raw.append((_read_kernel, variable.op, (new_slot(variable.op),), (read,)))
            return read
        return slot_of[t]

    def ref_slot(t: Tensor) -> int:
        if not through_flow(t):
            return new_slot(variable_of(t))
        # A handle through control flow: its variable, given when (and if) the handle is live.
        out = new_slot()
        steps_raw.append((_handle_kernel, variable_of(t), (input_slot(t),), (out,)))
        return out

    def output_slots(tensors) -> tuple[int, ...]:
        for t in tensors:
            if t not in slot_of:
                slot_of[t] = new_slot()
        return tuple(slot_of[t] for t in tensors)

    for op in order:
        if isinstance(op, LoopFrame):
            step, inputs = _loop_step(op, active)
            in_slots = tuple(input_slot(t) for t in inputs)
            outputs = output_slots([s._outputs[0] for s in op.switches])
            steps_raw.append((step, op.loop_cond, in_slots, outputs))
            continue
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
        if op_def.ref_inputs or any(_after_write(c, writes, frame, done) for c in _deps(op, fed)):
            writes.add(op)
        waits = any(
            c in waiting or _takes_turns(c) or _after_write(c, writes, frame, done)
            for c in op.control_inputs
        ) or any(t.op in waiting for t in op.inputs)
        if waits:
            waiting.add(op)
        in_slots = tuple(
            ref_slot(t) if i in op_def.ref_inputs else input_slot(t, waits)
            for i, t in enumerate(op.inputs)
        )
        kernel = op_def.kernel
        if op_def.ref_inputs and op_def.stateful:  # reads and writes variables: one at a time
            kernel = Locked(kernel, [variable_of(op.inputs[i]) for i in op_def.ref_inputs])
        steps_raw.append((kernel, op, in_slots, output_slots(op._outputs)))

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
        _guards(steps) if has_control_flow else (),
    )


def _after_write(op: Operation, writes: set, frame, done) -> bool:
    """Whether ``op`` (a dependency of an op in the plan) writes a variable or runs after a
    write; a ``done`` op (a loop's, run by an outer plan) or one outside ``frame`` counts
    as one."""
    inner = op._frame
    while inner is not None and inner is not frame:
        inner = inner.outer
    return inner is not frame or op in done or _unit(op, frame) in writes


def _takes_turns(op: Operation) -> bool:
    """A stateful op on a resource (a lock, a queue): what runs after it may see variables
    that others changed meanwhile."""
    return op.op_def.stateful and any(t.dtype.base_dtype == dtypes.resource for t in op.inputs)


def _guards(steps) -> tuple:
    """``Plan.guards``: each step's control inputs as step indices, and its merges_dead."""
    index_of = {}
    for i, step in enumerate(steps):
        index_of.setdefault(step.op, i)
    guards = []
    for step in steps:
        op = step.op
        waits = tuple(index_of[c] for c in op._control_inputs if c in index_of)
        merges = isinstance(op, Operation) and op.op_def.merges_dead
        guards.append((waits, merges))
    return tuple(guards)


@dataclass(frozen=True, eq=False)
class LoopStep:
    """A whole ``tf.while_loop`` as one step of the plan around it: its condition and body
    are sub-plans, run one after the other until the condition is false. Inputs: the loop
    variables' initial values, then the values the loop reads from outside; outputs: the
    loop variables' final values (what its ``Exit`` ops pass on)."""

    frame: LoopFrame
    cond: Plan
    body: Plan
    count: int  # loop variables
    prepared: list = field(default_factory=list, compare=False, repr=False)  # the executor's

    def __call__(self, ctx, op, *inputs):
        return ctx.run_loop(self, inputs)


def _loop_step(loop: LoopFrame, active: frozenset) -> tuple[LoopStep, list[Tensor]]:
    """The step running ``loop`` and the tensors (outside it) it takes as inputs."""
    consts = [e for e in loop.const_enters if not e.op_def.ref_output]
    outside = [e._outputs[0] for e in consts]
    done = frozenset([*loop.merges, *loop.switches, *loop.var_enters, *consts, loop.loop_cond])
    merged = [m._outputs[0] for m in loop.merges]
    cond = compile_plan([loop.loop_cond._inputs[0]], merged + outside, loop, done, active)
    taken = [s._outputs[1] for s in loop.switches]
    results = [n._inputs[0] for n in loop.next_iterations]
    extra = [op for op, gate in loop.per_iteration if gate in active]
    body = compile_plan(results + extra, taken + outside, loop, done, active)
    inputs = [e._inputs[0] for e in loop.var_enters] + [e._inputs[0] for e in consts]
    return LoopStep(loop, cond, body, len(merged)), inputs


def _check_fetchable(fetches: list, fed: dict, frame: LoopFrame | None) -> None:
    for fetch in fetches:
        op = fetch.op if isinstance(fetch, Tensor) else fetch
        if op._frame is not frame and not (isinstance(fetch, Tensor) and fetch in fed):
            loop = op._frame.name.rsplit("/", 1)[0] if op._frame is not None else "?"
            raise errors.InvalidArgumentError(
                None,
                op,
                f"'{getattr(fetch, 'name', op.name)}' is computed inside tf.while_loop "
                f"'{loop}' and cannot be fetched: fetch the loop's results (its Exit tensors), "
                "or collect per-iteration values in a TensorArray.",
            )


def _reads_variable(t: Tensor, fed: dict) -> bool:
    # a VarHandleOp's handle is a value of its own (passed through tf.cond and loops)
    return t.op.op_def.is_variable and t not in fed and t.dtype.base_dtype != dtypes.resource


def _aliased_variable(t: Tensor, fed: dict) -> Tensor | None:
    """The variable whose value ``t`` passes on unchanged (``v/read``, an ``Identity`` of a
    reference variable in the same frame), or None."""
    op = t.op
    if t in fed or not op.op_def.forwards_input or len(op.inputs) != 1:
        return None
    source = op.inputs[0]
    if not _reads_variable(source, fed) or source.op._frame is not op._frame:
        return None
    return source


def _read_kernel(ctx, var_op, _var_op):
    return ctx.read_variable(var_op)


def _shared_read_kernel(ctx, var_op, _var_op, snapshot):
    """What a ``v/read`` snapshot shows when an op that waits on an assignment reads it: TF1's
    snapshot shares the variable's buffer, which an assignment of as many elements overwrites
    in place, while one of another size (``validate_shape=False``) gives the variable a new
    buffer and leaves the snapshot its old value."""
    current = ctx.read_variable(var_op)
    return current if np.size(current) == np.size(snapshot) else snapshot


def _unit(op: Operation, frame: LoopFrame | None):
    """What runs ``op`` at ``frame``'s level: the op itself, or the loop nested at this level
    that contains it."""
    inner = op._frame
    if inner is frame:
        return op
    while inner is not None and inner.outer is not frame:
        inner = inner.outer
    if inner is None:
        raise errors.InternalError(
            None, op, f"op '{op.name}' is outside the loop whose plan reached it"
        )
    return inner


def _deps(unit, fed: dict) -> list:
    """The ops (or nested loops) ``unit`` waits on: inputs, control inputs; a loop waits on
    the values entering it."""
    if isinstance(unit, LoopFrame):
        enters = [*unit.var_enters, *unit.const_enters]
        deps = [
            t.op
            for e in enters
            for t in e._inputs
            if (not e.op_def.ref_output or _assigned(t))
            and t not in fed
            and not _reads_variable(t, fed)
        ]
        return deps + [c for c in unit.external_control if not _fed_op(c, fed)]
    refs = unit.op_def.ref_inputs
    deps = [c for c in unit._control_inputs if not _fed_op(c, fed)]
    deps += [
        t.op
        for i, t in enumerate(unit._inputs)
        if (i not in refs or through_flow(t) or (_assigned(t) and t.op._frame is unit._frame))
        and t not in fed
        and not _reads_variable(t, fed)
    ]
    return deps


def _assigned(t: Tensor) -> bool:
    """Whether reference ``t`` is an assignment's result (``tf.assign_add(tf.assign(v, x), y)``,
    a ``tf.cond`` branch or a loop reading ``tf.assign_add(v, 1)``): the assignment runs
    first, as in TF (before the loop, for a loop's ``RefEnter``). An assignment takes the
    reference and what it writes; ``RefEnter``, ``RefIdentity`` and
    ``RefSwitch`` only pass the reference on."""
    op_def = t.op.op_def
    return op_def.ref_output and len(t.op._inputs) > 1 and not op_def.control_flow


def _fed_op(op: Operation, fed: dict) -> bool:
    """Whether ``op``'s first output is fed: as in TF, a control dependency on it is then
    satisfied by the feed, and ``op`` does not run (a fed placeholder)."""
    return bool(op._outputs) and op._outputs[0] in fed


def _ops_needed(fetches: list, fed: dict, frame, done) -> tuple[list, dict]:
    """Ops (and nested loops) the fetches depend on, stopping at fed tensors, reference
    inputs and ``done`` ops, in an order where every one follows what it waits on."""
    order: list = []
    state: dict = {}  # 1: being visited, 2: done
    root_of: dict = {}
    for fetch in fetches:
        if isinstance(fetch, Tensor) and fetch in fed:
            continue
        start = _unit(fetch.op if isinstance(fetch, Tensor) else fetch, frame)
        if state.get(start) == 2:
            continue
        stack = [(start, False)]
        while stack:
            unit, expanded = stack.pop()
            if expanded:
                state[unit] = 2
                order.append(unit)
                continue
            if state.get(unit):
                continue
            state[unit] = 1
            root_of.setdefault(unit, fetch)
            stack.append((unit, True))
            for dep in reversed(_deps(unit, fed)):
                if dep in done:
                    continue
                dep = _unit(dep, frame)
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
