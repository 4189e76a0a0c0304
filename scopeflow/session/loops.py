"""Runs a :class:`~scopeflow.session.plan.LoopStep` with the NumPy kernels: a
``tf.while_loop``'s condition and body, iteration after iteration.

Each sub-plan is prepared once per loop (and kept with the loop step): its slots are reused
from one iteration to the next, and the steps that compute the same value every iteration
(constants, and anything computed only from them and from values entering the loop from
outside, without state) run once per loop run instead of once per iteration. A sub-plan with
``tf.cond`` inside runs through the general executor, which tracks dead branches.
"""

from __future__ import annotations

from scopeflow.framework import errors
from scopeflow.session.numpy_executor import kernel_error, run_plan
from scopeflow.session.plan import LoopStep, Plan


class _Prepared:
    """A sub-plan split into the steps run once per loop run and those run each iteration."""

    __slots__ = ("initial", "loop_slots", "outside_slots", "once", "each", "fetch_slots", "used")

    def __init__(self, plan: Plan, count: int):
        self.initial = plan.initial_slots
        self.loop_slots = plan.feed_slots[:count]
        self.outside_slots = plan.feed_slots[count:]
        changing = set(self.loop_slots)
        stateful = set()
        alias: dict[int, int] = {}  # an Identity's output slot -> its input's
        self.once, self.each = [], []
        for kernel, op, inputs, outputs, _ in plan.steps:
            inputs = tuple(alias.get(i, i) for i in inputs)
            op_def = op.op_def
            if op_def.forwards_input and len(outputs) == 1 and not isinstance(kernel, LoopStep):
                alias[outputs[0]] = inputs[0]
                if inputs[0] in changing:
                    changing.add(outputs[0])
                continue
            has_state = isinstance(kernel, LoopStep) or op_def.stateful or op_def.is_variable
            if (
                has_state
                or any(i in changing for i in inputs)
                or any(c in stateful for c in op._control_inputs)  # waits for a state change
            ):
                self.each.append((kernel, op, inputs, outputs))
                changing.update(outputs)
                if has_state:
                    stateful.add(op)
            else:
                self.once.append((kernel, op, inputs, outputs))
        self.fetch_slots = tuple(alias.get(s, s) for s in plan.fetch_slots)
        read = {i for _, _, inputs, _ in (*self.once, *self.each) for i in inputs}
        read.update(self.fetch_slots)
        # (loop variable, slot) for the loop variables this sub-plan reads: only those are set.
        self.used = tuple((k, s) for k, s in enumerate(self.loop_slots) if s in read)

    def slots(self, ctx, outside: list) -> list:
        """Fresh slots for one loop run, the values from outside and the once-steps in."""
        slots = list(self.initial)
        for slot, value in zip(self.outside_slots, outside, strict=True):
            slots[slot] = value
        _run(self.once, ctx, slots)
        return slots


def _run(steps: list, ctx, slots: list) -> None:
    args: list = []
    op = None
    try:
        for kernel, op, inputs, outputs in steps:
            args = [slots[i] for i in inputs]
            result = kernel(ctx, op, *args)
            if len(outputs) == 1:
                slots[outputs[0]] = result
            else:
                for slot, value in zip(outputs, result, strict=True):
                    slots[slot] = value
    except errors.OpError:
        raise
    except Exception as e:  # noqa: BLE001 - every kernel failure becomes an OpError
        raise kernel_error(op, args, e) from e


def run_loop(loop: LoopStep, ctx, inputs: tuple):
    """The loop variables' final values (one value when there is one variable)."""
    count = loop.count
    values, outside = list(inputs[:count]), list(inputs[count:])
    prepared = loop.prepared
    if not prepared:
        prepared.extend(
            None if plan.has_control_flow else _Prepared(plan, count)
            for plan in (loop.cond, loop.body)
        )
    cond, body = prepared
    if cond is None or body is None:
        while run_plan(loop.cond, ctx, values + outside)[0]:
            values = run_plan(loop.body, ctx, values + outside)[:count]
        return values[0] if count == 1 else tuple(values)
    cond_slots, body_slots = cond.slots(ctx, outside), body.slots(ctx, outside)
    test = cond.fetch_slots[0]
    results = body.fetch_slots[:count]
    cond_used, cond_each, body_used, body_each = cond.used, cond.each, body.used, body.each
    while True:
        for k, slot in cond_used:
            cond_slots[slot] = values[k]
        _run(cond_each, ctx, cond_slots)
        if not cond_slots[test]:
            break
        for k, slot in body_used:
            body_slots[slot] = values[k]
        _run(body_each, ctx, body_slots)
        values = [body_slots[slot] for slot in results]
    return values[0] if count == 1 else tuple(values)
