"""JAX lowerings of ``tf.while_loop``, ``TensorArray`` and ``tf.cond``: a loop of the plan
(``plan.LoopStep``) becomes one ``lax.while_loop`` inside its compiled segment; a plan with
``tf.cond`` (``Switch``/``Merge``) is traced with both branches, as selects (``trace_guarded``).

A loop whose trip count is known while tracing (``known_trips``: a ``dynamic_rnn`` over a
known time axis) lowers to ``lax.scan``, which ``jax.grad`` can differentiate; in exported
functions (``ctx.bounded_loops``) so does a loop bounded by ``maximum_iterations``
(``trip_bound``), its body run under ``lax.cond`` while the condition holds.

The loop's state is its loop variables, an iteration counter (random ops inside fold it into
their keys) and the values of the TensorArrays it uses. A TensorArray is a preallocated array
``[size, *element]`` (:class:`TraceArray`): its size must be known while tracing, its element
shape comes from its ``element_shape`` or from the first write (found by tracing the body
once with ``jax.eval_shape`` when the loop writes it first). A write is ``.at[i].set``
(``.at[i].add`` for a gradient array, ``TensorArrayGradV3``).

A loop's gradient (``tf.gradients``: a second loop popping what the first pushed each
iteration) lowers when the forward loop's trip count is known while tracing: each stack
(:class:`TraceStack`) is an array of that many rows and a traced top, carried by both loops;
a stack of values known while tracing (an axis) keeps the value itself.

What does not lower raises :class:`NeedsHost` while the segment is traced, and the executor
then runs the plan on the host with the NumPy kernels (``session/loops.py`` for its loops): a
loop body that assigns variables, needs a value known before running (a shape computed from
a loop variable) or changes a loop variable's shape; a TensorArray of dynamic size or read
before its element shape is known; a stack pushed in a loop of unknown trip count.

A plan with ``tf.cond`` computes both branches: each value has a liveness (a traced boolean:
``Switch`` passes its input to the side ``pred`` picks), an op is live when its inputs and
control inputs are, ``Merge`` selects its live input (``jnp.where``), and a variable written
in a branch keeps its old value where the branch is not live. A branch that writes a
TensorArray, or fails to trace, runs the plan on the host.

Differences from the NumPy kernels: writing an index twice, or reading one cleared after a
read, is not an error (the last write wins; reads never clear). Both branches of a cond run,
so a branch not taken costs its time (its errors, such as an out-of-range gather, are not
raised: XLA clamps).
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from scopeflow.session.jax_lowering.common import static_int
from scopeflow.session.plan import LoopStep

MAX_KNOWN_TRIPS = 10_000  # a known trip count is found by running the loop's counter this far


class NeedsHost(Exception):  # noqa: N818 - a signal to the executor, not an error for users
    """A loop or TensorArray that does not lower: the executor runs its plan on the host."""

    def __init__(self, what: str, cause: Exception):
        first = str(cause).splitlines()[0] if str(cause) else ""
        super().__init__(f"{what}: {type(cause).__name__}: {first}")


class TraceArray:
    """A ``TensorArrayV3`` while a segment is traced: ``value`` is ``[size, *element]``
    (``None`` until the element shape is known)."""

    def __init__(self, op, size: int):
        attrs = op._attrs
        if attrs["dynamic_size"]:
            raise NeedsHost(f"TensorArray '{op.name}'", ValueError("its size is dynamic"))
        self.name = op.name
        self.size = size
        self.dtype = attrs["dtype"].as_numpy_dtype
        shape = attrs["element_shape"]
        element = tuple(shape.as_list()) if shape.is_fully_defined() else None
        self.value = None if element is None else jnp.zeros((size, *element), self.dtype)
        self.aggregate = False  # a gradient array: a write adds to what the index holds
        self.grads: dict = {}  # gradient source -> its array (TensorArrayGradV3)

    def gradient(self, source: str) -> TraceArray:
        """The array the gradients from ``source`` write into: zeros like this one."""
        grad = self.grads.get(source)
        if grad is None:
            grad = self.grads[source] = TraceArray.__new__(TraceArray)
            grad.name, grad.size, grad.dtype = f"{self.name}@{source}", self.size, self.dtype
            grad.value = None if self.value is None else jnp.zeros_like(self.value)
            grad.aggregate, grad.grads = True, {}
        return grad

    def ready(self, element_shape) -> jax.Array:
        if self.value is None:
            self.value = jnp.zeros((self.size, *element_shape), self.dtype)
        return self.value

    def read(self, index):
        if self.value is None:
            raise NeedsHost(
                f"TensorArray '{self.name}'", ValueError("read before its element shape is known")
            )
        return self.value[index]


def _array(ctx, op, size):
    try:
        size = static_int(size)
    except jax.errors.JAXTypeError as e:
        raise NeedsHost(f"TensorArray '{op.name}'", e) from e
    return TraceArray(op, size), np.float32(0)


def _write(ctx, op, array, index, value, flow):
    value = jnp.asarray(value, array.dtype)
    at = array.ready(value.shape).at[index]
    array.value = at.add(value) if array.aggregate else at.set(value)
    return np.float32(0)


def _scatter(ctx, op, array, indices, value, flow):
    value = jnp.asarray(value, array.dtype)
    at = array.ready(value.shape[1:]).at[jnp.ravel(indices)]
    array.value = at.add(value) if array.aggregate else at.set(value)
    return np.float32(0)


class TraceStack:
    """A ``StackV2`` while a segment is traced: an array ``[capacity, *element]`` and its
    traced top. The capacity is the product of the trip counts of the loops around the first
    push, which must be known while tracing (``ctx.loop_trips``); the array is allocated at
    that push (found by the shape probe of the loop, ``_shape_arrays``). A stack pushed only a
    value known while tracing (a ``concat`` axis the gradient needs) keeps that value alone,
    and its pops give it, known too."""

    def __init__(self, op):
        self.name = op.name
        self.dtype = op._attrs["elem_type"].as_numpy_dtype
        self.array = None
        self.top = np.int32(0)
        self.known = None  # the value known while tracing that every push pushed

    @property
    def value(self):  # what a loop carries: (array, top), None before the first push
        return None if self.array is None else (self.array, self.top)

    @value.setter
    def value(self, state) -> None:
        self.array, self.top = (None, np.int32(0)) if state is None else state

    def push(self, ctx, value):
        if isinstance(value, np.ndarray | np.generic) and self.array is None:
            value = np.asarray(value, self.dtype)
            if self.known is not None and not np.array_equal(self.known, value):
                raise NeedsHost(f"stack '{self.name}'", ValueError("pushed different values"))
            self.known = value
            return value
        if self.known is not None:
            raise NeedsHost(f"stack '{self.name}'", ValueError("pushed known and traced values"))
        value = jnp.asarray(value, self.dtype)
        if self.array is None:
            trips = ctx.loop_trips
            if not trips or None in trips:
                raise NeedsHost(
                    f"stack '{self.name}'",
                    ValueError("pushed outside a loop whose trip count is known while tracing"),
                )
            self.array = jnp.zeros((int(np.prod(trips)), *value.shape), self.dtype)
        self.array = self.array.at[self.top].set(value)
        self.top = self.top + 1
        return value

    def pop(self):
        if self.known is not None:
            return self.known
        if self.array is None:
            raise NeedsHost(f"stack '{self.name}'", ValueError("popped before any push"))
        self.top = self.top - 1
        return self.array[self.top]


def _gather(ctx, op, array, indices, flow):
    return array.read(jnp.ravel(indices))


LOWERINGS = {
    "TensorArrayV3": _array,
    "TensorArrayWriteV3": _write,
    "TensorArrayScatterV3": _scatter,
    "TensorArrayReadV3": lambda ctx, op, array, index, flow: array.read(index),
    "TensorArrayGatherV3": _gather,
    "TensorArraySizeV3": lambda ctx, op, array, flow: np.int32(array.size),
    "TensorArrayCloseV3": lambda ctx, op, array: (),
    # A loop's own ops: its plan step (LoopStep) runs the loop; these pass values on.
    **dict.fromkeys(["Enter", "Exit", "NextIteration", "LoopCond"], lambda ctx, op, x: x),
    "RefEnter": lambda ctx, op, var_op: ctx.read_variable(var_op, op),  # a variable in a loop
    # Traced by trace_guarded, never one by one.
    **dict.fromkeys(["Switch", "Merge"], lambda ctx, op, *args: _not_alone(op)),
    "TensorArrayGradV3": lambda ctx, op, array, flow: (
        array.gradient(op._attrs["source"]),
        np.float32(0),
    ),
    # A loop gradient's stack: pushed by the forward loop, popped by the gradient loop.
    "StackV2": lambda ctx, op, max_size: TraceStack(op),
    "StackPushV2": lambda ctx, op, stack, value: stack.push(ctx, value),
    "StackPopV2": lambda ctx, op, stack: stack.pop(),
}


def lower_loop(loop, ctx, inputs: tuple, trace_plan):
    """The final values of ``loop``'s variables (one value when there is one), computed by
    ``lax.while_loop``. ``trace_plan(plan, ctx, values)`` traces a sub-plan and returns its
    fetched values."""
    count = loop.count
    outside = list(inputs[count:])
    arrays = [v for v in outside if isinstance(v, TraceArray | TraceStack)]
    arrays += [g for g in _gradient_arrays(loop, outside) if g not in arrays]
    writes = dict(ctx.writes)
    outer, outer_trips = ctx.iterations, ctx.loop_trips
    try:
        init = [_carried(loop, v) for v in inputs[:count]]
        trips = known_trips(loop, ctx, inputs, trace_plan)
        bound = None
        if trips is None and ctx.bounded_loops:
            bound = trip_bound(loop, ctx, inputs, trace_plan)
        ctx.loop_trips = (*outer_trips, trips if bound is None else bound)
        _shape_arrays(loop, ctx, init, outside, arrays, trace_plan)
        carried = [a for a in arrays if a.value is not None]

        def cond_fn(carry):
            ctx.iterations = (*outer, carry[0])
            _set(carried, carry[1 + count :])
            (go,) = trace_plan(loop.cond, ctx, list(carry[1 : 1 + count]) + outside)
            return jnp.asarray(go, bool).reshape(())

        def body_fn(carry):
            ctx.iterations = (*outer, carry[0])
            _set(carried, carry[1 + count :])
            values = trace_plan(loop.body, ctx, list(carry[1 : 1 + count]) + outside)[:count]
            if ctx.writes.keys() != writes.keys() or any(
                ctx.writes[k] is not v for k, v in writes.items()
            ):
                raise ValueError("the loop body assigns variables")
            new = [_like(v, old, loop) for v, old in zip(values, carry[1 : 1 + count], strict=True)]
            return (carry[0] + 1, *new, *[a.value for a in carried])

        start = (jnp.int32(0), *init, *[a.value for a in carried])
        if trips is not None:  # reverse-mode differentiable (jax.grad of an exported function)
            final = lax.scan(lambda carry, _: (body_fn(carry), None), start, None, trips)[0]
        elif bound is not None:  # the same, running the body while the condition holds

            def bounded(carry, _):
                state, done = carry
                go = jnp.logical_and(jnp.logical_not(done), cond_fn(state))
                return (lax.cond(go, body_fn, lambda s: s, state), jnp.logical_not(go)), None

            final = lax.scan(bounded, (start, jnp.bool_(False)), None, bound)[0][0]
        else:
            final = lax.while_loop(cond_fn, body_fn, start)
    except NeedsHost:
        raise
    except Exception as e:  # noqa: BLE001 - whatever fails to lower runs on the host
        raise NeedsHost(f"tf.while_loop '{loop.frame.name}'", e) from e
    finally:
        ctx.writes, ctx.iterations, ctx.loop_trips = writes, outer, outer_trips
    _set(carried, final[1 + count :])
    values = final[1 : 1 + count]
    return values[0] if count == 1 else tuple(values)


def known_trips(loop, ctx, inputs: tuple, trace_plan) -> int | None:
    """How many times ``loop`` runs, when that is known while tracing: its condition reads
    only loop variables and outside values known then (constants, static shapes), and the
    body computes those variables from known values only (a time counter against a sequence
    length, ``maximum_iterations`` with a condition on the counter alone). Found by running
    just those ops with their NumPy kernels, at most ``MAX_KNOWN_TRIPS`` times; ``None`` when
    not known (the loop then lowers to ``lax.while_loop``, else to ``lax.scan``)."""
    return _trips(loop, ctx, inputs, trace_plan, loop.cond.fetch_slots[0])


def trip_bound(loop, ctx, inputs: tuple, trace_plan) -> int | None:
    """The most times ``loop`` can run, when its condition is ``a and b`` (``LogicalAnd``)
    and ``a`` alone has a known trip count (``maximum_iterations``: ``counter < limit and
    cond``); else ``None``."""
    (slot,) = loop.cond.fetch_slots
    step = next((s for s in loop.cond.steps if slot in s.outputs), None)
    if step is None or step.op.type != "LogicalAnd":
        return None
    bounds = [_trips(loop, ctx, inputs, trace_plan, s) for s in step.inputs]
    return min((b for b in bounds if b is not None), default=None)


def _trips(loop, ctx, inputs: tuple, trace_plan, go_slot: int) -> int | None:
    """How many times ``loop`` would run with the condition value in ``go_slot`` of its
    condition's plan, when known while tracing (see ``known_trips``)."""
    count = loop.count
    known = [isinstance(v, np.ndarray | np.generic) for v in inputs]
    if not any(known[:count]) or loop.cond.has_control_flow or loop.body.has_control_flow:
        return None
    part = _known_part(loop.cond, known, [go_slot])
    if part is None:
        return None
    cond, reads = part
    needed = {i for i in reads if i < count}
    variables: set = set()
    while needed - variables:  # the variables the condition reads, and those they read
        variables |= needed
        slots = [loop.body.fetch_slots[i] for i in sorted(variables)]
        part = _known_part(loop.body, known, slots)
        if part is None:
            return None
        body, reads = part
        needed = {i for i in reads if i < count}
    if not variables:
        return None
    order = sorted(variables)
    values = list(inputs)
    try:
        for trips in range(MAX_KNOWN_TRIPS + 1):
            (go,) = trace_plan(cond, ctx, values)
            if not bool(go):
                return trips
            for i, value in zip(order, trace_plan(body, ctx, values), strict=True):
                values[i] = value
    except Exception:  # noqa: BLE001 - a kernel failing here: not known, lax.while_loop says
        return None
    return None


def _known_part(plan, known: list, slots: list) -> tuple | None:
    """The steps of ``plan`` computing the values of ``slots`` from its feeds whose ``known``
    is true, with no variable, stateful op or nested loop among them: as a plan fetching
    them, with the indices of the feeds it reads; ``None`` when one needs anything else."""
    unknown = {s for s, k in zip(plan.feed_slots, known, strict=True) if not k}
    for kernel, op, inputs, outputs, _ in plan.steps:
        op_def = op.op_def
        if (
            isinstance(kernel, LoopStep)
            or op_def.stateful
            or op_def.is_variable
            or op_def.ref_inputs
            or not unknown.isdisjoint(inputs)
        ):
            unknown.update(outputs)
    if any(s < 0 or s in unknown for s in slots):
        return None
    needed, steps = set(slots), []
    for step in reversed(plan.steps):
        if not needed.isdisjoint(step.outputs):
            steps.append(step)
            needed.update(step.inputs)
    reads = {i for i, s in enumerate(plan.feed_slots) if s in needed}
    return dataclasses.replace(plan, steps=tuple(steps[::-1]), fetch_slots=tuple(slots)), reads


def _gradient_arrays(loop, outside: list) -> list:
    """The gradient arrays (``TensorArrayGradV3``) the body takes of arrays from outside: made
    now, so that the loop carries them."""
    feeds = loop.body.feed_slots[loop.count :]
    found = []
    for step in loop.body.steps:
        if step.op.type == "TensorArrayGradV3" and step.inputs[0] in feeds:
            array = outside[feeds.index(step.inputs[0])]
            if isinstance(array, TraceArray):
                found.append(array.gradient(step.op._attrs["source"]))
    return found


def _carried(loop, value):
    if isinstance(value, TraceArray) or value is None or not hasattr(value, "dtype"):
        raise ValueError(f"loop variable {value!r} is not an array")
    return jnp.asarray(value)


def _like(value, old, loop):
    value = jnp.asarray(value)
    if value.shape != old.shape:
        raise ValueError(
            f"a loop variable changes shape from {old.shape} to {value.shape} in the body"
        )
    return value.astype(old.dtype)


def _set(arrays: list, values) -> None:
    for array, value in zip(arrays, values, strict=True):
        array.value = value


def _shape_arrays(loop, ctx, init, outside, arrays, trace_plan) -> None:
    """Gives the TensorArrays the loop writes first an element shape: the body is traced
    once with ``jax.eval_shape`` and their first writes allocate them."""
    pending = [a for a in arrays if a.value is None]
    if not pending:
        return
    before = [a.value for a in arrays]

    def probe(values):
        ctx.iterations = (*ctx.iterations, jnp.int32(0))
        trace_plan(loop.body, ctx, list(values) + outside)
        return [a.value for a in pending]

    saved = ctx.iterations
    try:
        shapes = jax.eval_shape(probe, init)
    finally:
        ctx.iterations = saved
    _set(arrays, before)
    for array, shape in zip(pending, shapes, strict=True):
        if shape is not None:  # (a stack's value is its array and top)
            array.value = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), shape)


def _not_alone(op):
    raise NeedsHost(f"op '{op.name}'", ValueError("traced only with its plan's liveness"))


def trace_guarded(plan, slots: dict, ctx, trace_step) -> dict:
    """Traces ``plan`` (one with ``tf.cond``) into ``slots``; returns the liveness of the
    slots that are not always live (a traced boolean each). See the module."""
    live: dict = {}
    step_live: list = []
    for (kernel, op, inputs, outputs, free), (waits, _) in zip(
        plan.steps, plan.guards, strict=True
    ):
        conds = [step_live[w] for w in waits]
        if op.type == "Merge":
            guard = _all(conds)
            value, index, alive = _merge([slots[s] for s in inputs], [live.get(s) for s in inputs])
            slots[outputs[0]], slots[outputs[1]] = value, index
            for s in outputs:
                _set_live(live, s, _all([guard, alive]))
            step_live.append(_all([guard, alive]))
            continue
        guard = _all(conds + [live[s] for s in inputs if s in live])
        if op.type == "Switch":
            pred = jnp.asarray(slots[inputs[1]], bool).reshape(())
            slots[outputs[0]] = slots[outputs[1]] = slots[inputs[0]]
            _set_live(live, outputs[0], _all([guard, ~pred]))
            _set_live(live, outputs[1], _all([guard, pred]))
        elif guard is None:
            trace_step((kernel, op, inputs, outputs, free), slots, ctx)
        else:
            _trace_in_branch((kernel, op, inputs, outputs, free), slots, ctx, guard, trace_step)
            for s in outputs:
                live[s] = guard
        step_live.append(guard)
    return live


def _all(conds: list):
    """The conjunction of liveness values (``None``: always live)."""
    conds = [c for c in conds if c is not None]
    if not conds:
        return None
    result = conds[0]
    for c in conds[1:]:
        result = jnp.logical_and(result, c)
    return result


def _set_live(live: dict, slot: int, value) -> None:
    if value is None:
        live.pop(slot, None)
    else:
        live[slot] = value


def _merge(values: list, alive: list):
    """``Merge``: its live input (the first), that input's index and whether any is live."""
    if any(isinstance(v, TraceArray) or not hasattr(v, "dtype") for v in values):
        raise NeedsHost("Merge", ValueError("merges values that are not arrays"))
    shapes = {np.shape(v) for v in values}
    if len(shapes) != 1:
        raise NeedsHost("Merge", ValueError(f"merges values of shapes {sorted(shapes)}"))
    value, index = values[-1], np.int32(len(values) - 1)
    for k in range(len(values) - 2, -1, -1):
        if alive[k] is None:  # always live: it is the one
            value, index = values[k], np.int32(k)
        else:
            value = jnp.where(alive[k], values[k], value)
            index = jnp.where(alive[k], np.int32(k), index)
    if any(a is None for a in alive):
        return value, index, None
    return value, index, functools.reduce(jnp.logical_or, alive)


def _trace_in_branch(step, slots: dict, ctx, guard, trace_step) -> None:
    """Traces a step that runs only where ``guard`` holds: its variable writes are kept only
    there; a TensorArray write, or a failure, sends the plan to the host."""
    op = step[1]
    if any(t.dtype.base_dtype.name == "resource" for t in (*op.inputs, *op._outputs)):
        raise NeedsHost(f"op '{op.name}'", ValueError("a TensorArray or stack in a tf.cond branch"))
    before = dict(ctx.writes)
    try:
        trace_step(step, slots, ctx)
    except NeedsHost:
        raise
    except Exception as e:  # noqa: BLE001 - a branch that does not trace runs on the host
        raise NeedsHost(f"op '{op.name}' in a tf.cond branch", e) from e
    for var_op, value in list(ctx.writes.items()):
        if before.get(var_op) is value:
            continue
        old = before.get(var_op, ctx.committed.get(var_op))
        if old is None:
            raise NeedsHost(f"op '{op.name}'", ValueError("initializes a variable in a branch"))
        ctx.writes[var_op] = jnp.where(guard, value, old)
