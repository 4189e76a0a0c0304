"""Runs a :class:`~scopeflow.session.plan.LoopStep` with the NumPy kernels: a
``tf.while_loop``'s condition and body, iteration after iteration.

Each sub-plan is prepared once per loop (and kept with the loop step): its slots are reused
from one iteration to the next, and the steps that compute the same value every iteration
(constants, and anything computed only from them and from values entering the loop from
outside, without state) run once per loop run instead of once per iteration; the steps left
are written out as one generated Python function (``_compile``). A sub-plan with ``tf.cond``
inside runs through the general executor, which tracks dead branches.
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


def _compile(cond: _Prepared, body: _Prepared, count: int):
    """One Python function running the loop until the condition is false, its steps written
    out as straight-line code over the two slot lists (no interpretation per step): a
    scalar loop's iteration costs little more than its kernels."""
    env: dict = {}
    steps: list = []  # (prepared, step) by the number the code records before each call
    lines = ["def loop(ctx, cs, bs, v):", "    at = -1", "    try:", "        while True:"]

    def emit(prepared: _Prepared, slots: str, indent: str) -> None:
        for kernel, op, inputs, outputs in prepared.each:
            n = len(steps)
            steps.append((prepared, slots, (kernel, op, inputs, outputs)))
            env[f"k{n}"], env[f"o{n}"] = kernel, op
            args = "".join(f", {slots}[{i}]" for i in inputs)
            call = f"k{n}(ctx, o{n}{args})"
            lines.append(f"{indent}at = {n}")
            if len(outputs) == 1:
                lines.append(f"{indent}{slots}[{outputs[0]}] = {call}")
            elif outputs:
                targets = ", ".join(f"{slots}[{o}]" for o in outputs)
                lines.append(f"{indent}{targets} = {call}")
            else:
                lines.append(f"{indent}{call}")

    body_indent = " " * 12
    lines += [f"{body_indent}cs[{slot}] = v[{k}]" for k, slot in cond.used]
    emit(cond, "cs", body_indent)
    lines.append(f"{body_indent}if not cs[{cond.fetch_slots[0]}]:")
    lines.append(f"{body_indent}    return v")
    lines += [f"{body_indent}bs[{slot}] = v[{k}]" for k, slot in body.used]
    emit(body, "bs", body_indent)
    results = ", ".join(f"bs[{slot}]" for slot in body.fetch_slots[:count])
    lines.append(f"{body_indent}v = ({results},)")
    lines += [
        "    except _OpError:",
        "        raise",
        "    except Exception as e:  # every kernel failure becomes an OpError",
        "        raise _failed(at, cs, bs, e) from e",
    ]

    def failed(at, cs, bs, error):
        _, slots, (_, op, inputs, _) = steps[at]
        values = cs if slots == "cs" else bs
        return kernel_error(op, [values[i] for i in inputs], error)

    env.update(_OpError=errors.OpError, _failed=failed)
    exec(compile("\n".join(lines), "<scopeflow while_loop>", "exec"), env)  # noqa: S102
    return env["loop"]


def run_loop(loop: LoopStep, ctx, inputs: tuple):
    """The loop variables' final values (one value when there is one variable)."""
    count = loop.count
    values, outside = list(inputs[:count]), list(inputs[count:])
    prepared = loop.prepared
    if not prepared:  # first run: prepared once (two threads may both get here: same result)
        cond, body = (
            None if plan.has_control_flow else _Prepared(plan, count)
            for plan in (loop.cond, loop.body)
        )
        run = None if cond is None or body is None else _compile(cond, body, count)
        prepared[:] = [cond, body, run]
    cond, body, run = prepared
    if run is None:
        while run_plan(loop.cond, ctx, values + outside)[0]:
            values = run_plan(loop.body, ctx, values + outside)[:count]
        return values[0] if count == 1 else tuple(values)
    final = run(ctx, cond.slots(ctx, outside), body.slots(ctx, outside), tuple(values))
    return final[0] if count == 1 else tuple(final)
