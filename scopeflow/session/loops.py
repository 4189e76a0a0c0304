"""Runs a :class:`~scopeflow.session.plan.LoopStep` with the NumPy kernels: a
``tf.while_loop``'s condition and body, iteration after iteration.

Each sub-plan is prepared once per loop (and kept with the loop step): the steps that compute
the same value every iteration (constants, and anything computed only from them and from
values entering the loop from outside, without state) run once per loop run instead of once
per iteration; the steps left, condition and body together, are written out as one generated
Python function (``_compile``) whose values are local variables, with the scalar arithmetic
of counters and conditions inlined. An elementwise step of the body (``fusion.RULES``) whose
input is a value of this iteration that no later step reads writes its result into that
input's array when nothing else holds it (``fusion.InPlace``): the gradient of a weight read in
an RNN's body is summed over the iterations into the array of each iteration's product. A
sub-plan with ``tf.cond`` inside runs through the general executor, which tracks dead
branches."""

from __future__ import annotations

import operator
import sys

import numpy as np

from scopeflow.framework import errors
from scopeflow.session import fusion
from scopeflow.session.numpy_executor import kernel_error, run_plan
from scopeflow.session.plan import LoopStep, Plan, Step


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


# The operators a kernel's ``scalar_operator`` may be, as the generated code writes them.
_SYMBOLS = {
    operator.add: "+",
    operator.sub: "-",
    operator.mul: "*",
    operator.lt: "<",
    operator.le: "<=",
    operator.gt: ">",
    operator.ge: ">=",
}


def _scalar_type(dtype) -> type | None:
    """The NumPy scalar type of a numeric ``dtype`` (None for strings, resources...)."""
    dtype = dtype.base_dtype
    if not (dtype.is_integer or dtype.is_floating):
        return None
    try:
        return dtype.as_numpy_dtype
    except TypeError:  # bfloat16 without ml_dtypes
        return None


def _scalar(value):
    """A 0-d array's NumPy scalar; any other value as it is."""
    return value[()] if type(value) is np.ndarray and value.ndim == 0 else value


class _Writer:
    """Writes one sub-plan's steps as lines of the loop function: every value a local
    variable (``v<k>``: loop variable k; ``c<slot>``/``b<slot>``: the condition's and body's
    values, those fixed for the run loaded from the slot list once, before the loop)."""

    def __init__(self, prepared: _Prepared, slots: str, env: dict, at_line: dict):
        self.prepared, self.slots, self.env, self.at_line = prepared, slots, env, at_line
        self.names = {slot: f"v{k}" for k, slot in enumerate(prepared.loop_slots)}
        self.loads: list[str] = []
        self.loaded: set[int] = set()

    def name(self, slot: int) -> str:
        if slot not in self.names:
            self.names[slot] = f"{self.slots[0]}{slot}"
            self.loaded.add(slot)
            self.loads.append(f"    {self.names[slot]} = {self.slots}[{slot}]")
        return self.names[slot]

    def scalar_name(self, slot: int) -> str:
        """The name of a slot's value for the inlined scalar arithmetic: a value fixed for the
        run (feeds and constants are 0-d arrays) also loaded as a NumPy scalar."""
        name = self.name(slot)
        if slot not in self.loaded:
            return name
        line = f"    {name}s = _scalar({name})"
        if line not in self.loads:
            self.loads.append(line)
        return f"{name}s"

    def steps(self, code: list[str], indent: str, each: list) -> None:
        prefix = self.slots[0]
        for n, (kernel, op, inputs, outputs) in enumerate(each):
            args = [self.name(i) for i in inputs]
            key = f"{prefix}_{n}"
            self.env[f"k{key}"], self.env[f"o{key}"] = kernel, op
            call = f"k{key}(ctx, o{key}{''.join(', ' + a for a in args)})"
            symbol = _SYMBOLS.get(getattr(kernel, "scalar_operator", None))
            scalar = _scalar_type(op.inputs[0].dtype) if symbol and len(args) == 2 else None
            if scalar is not None:
                self.env[f"t{key}"] = scalar
                a, b = (self.scalar_name(i) for i in inputs)
                check = f"type({a}) is t{key} and type({b}) is t{key}"
                call = f"{a} {symbol} {b} if {check} else {call}"
            self.names.update((o, f"{prefix}{o}") for o in outputs)
            targets = ", ".join(self.names[o] for o in outputs)
            self.at_line[len(code)] = (op, args)
            code.append(f"{indent}{targets} = {call}" if targets else f"{indent}{call}")


class _Count:
    """What ``fusion.InPlace`` sees as an input's reference count when the loop function's
    variable alone holds it (measured once: it depends on how the interpreter calls)."""

    def __call__(self, ctx, op, *args):
        return sys.getrefcount(args[0])


def _owned_refs() -> int:
    env: dict = {"np": np}
    exec("def f(k):\n    b1 = np.zeros(2)\n    b2 = k(None, None, b1)\n    return b2", env)  # noqa: S102
    return env["f"](_Count())


_OWNED_REFS = _owned_refs()


def _in_place_steps(prepared: _Prepared) -> list:
    """``prepared.each`` (a body) with ``fusion.InPlace`` kernels for the elementwise steps
    with an input no later step reads and the iteration does not pass on."""
    each = prepared.each
    last_read: dict[int, int] = {}
    for n, (_, _, inputs, _) in enumerate(each):
        for slot in inputs:
            last_read[slot] = n
    kept = set(prepared.fetch_slots)
    out = []
    for n, (kernel, op, inputs, outputs) in enumerate(each):
        rule = fusion._rule(Step(kernel, op, inputs, outputs, ()))
        dying = tuple(
            k
            for k, slot in enumerate(inputs)
            if last_read[slot] == n and slot not in kept and inputs.count(slot) == 1
        )
        # (a result known to be small, a scalar counter's, keeps its inlined arithmetic)
        if rule is not None and dying and not fusion._small(op):
            # nothing from the session's pool: loop steps give nothing back to it
            kernel = fusion.InPlace(kernel, rule, dying, _OWNED_REFS, spare=False)
        out.append((kernel, op, inputs, outputs))
    return out


def _compile(loop: LoopStep, cond: _Prepared, body: _Prepared):
    """One Python function running the loop until the condition is false, its steps written
    out as straight-line code over local variables: no slot lists, no interpretation per
    step. A kernel computing two NumPy scalars of one type through their own arithmetic
    (its ``scalar_operator``) is written as that operator when both inputs are scalars of the
    op's dtype, so a scalar loop's iteration costs little more than its arithmetic."""
    env: dict = {"_OpError": errors.OpError, "_scalar": _scalar, "_cancelled": _cancelled}
    at_line: dict[int, tuple] = {}  # line of the loop's code -> (op, names of its inputs)
    code: list[str] = []
    indent = " " * 12
    variables = "".join(f"v{k}, " for k in range(loop.count))
    cond_writer = _Writer(cond, "cs", env, at_line)
    cond_writer.steps(code, indent, cond.each)
    predicate = cond_writer.name(cond.fetch_slots[0])
    at_line[len(code)] = (loop.frame.loop_cond, [predicate])
    code += [f"{indent}if not {predicate}:", f"{indent}    return ({variables})"]
    body_writer = _Writer(body, "bs", env, at_line)
    body_writer.steps(code, indent, _in_place_steps(body))
    results = [body_writer.name(s) for s in body.fetch_slots[: loop.count]]
    code.append(f"{indent}{variables}= {''.join(r + ', ' for r in results)}")
    # The body's names of the new values let go of them (each is set again before it is read),
    # so that the loop variable alone holds each: the next iteration may write into it.
    produced = {slot for _, _, _, outputs in body.each for slot in outputs}
    computed = sorted(
        {body_writer.name(s) for s in body.fetch_slots[: loop.count] if s in produced}
    )
    if computed:
        code.append(f"{indent}{' = '.join(computed)} = None")
    head = [
        "def loop(ctx, cs, bs, v):",
        *cond_writer.loads,
        *body_writer.loads,
        f"    {variables}= v",
        "    session = ctx._session",
        "    try:",
        "        while True:",
        "            if session._closed:",
        "                raise _cancelled()",
    ]
    lines = [
        *head,
        *code,
        "    except _OpError:",
        "        raise",
        "    except Exception as e:  # every kernel failure becomes an OpError",
        "        raise _failed(e.__traceback__.tb_lineno, locals(), e) from e",
    ]

    def failed(line: int, local: dict, error: Exception):
        op, args = at_line[line - len(head) - 1]
        return kernel_error(op, [local[a] for a in args], error)

    env["_failed"] = failed
    exec(compile("\n".join(lines), "<scopeflow while_loop>", "exec"), env)  # noqa: S102
    return env["loop"]


def _cancelled() -> errors.CancelledError:
    """A loop's run stops at the next iteration once its session is closed, as TF's."""
    return errors.CancelledError(None, None, "Run call was cancelled: the session was closed.")


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
        run = None if cond is None or body is None else _compile(loop, cond, body)
        prepared[:] = [cond, body, run]
    cond, body, run = prepared
    if run is None:
        session = ctx._session
        while run_plan(loop.cond, ctx, values + outside)[0]:
            if session._closed:
                raise _cancelled()
            values = run_plan(loop.body, ctx, values + outside)[:count]
        return values[0] if count == 1 else tuple(values)
    final = run(ctx, cond.slots(ctx, outside), body.slots(ctx, outside), tuple(values))
    return final[0] if count == 1 else tuple(final)
