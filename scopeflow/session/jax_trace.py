"""Tracing a plan's steps into a JAX function: the step tracer a compiled segment of
``Session(executor="jax")`` runs (``jax_executor.py``) and ``scopeflow.export`` reuses.

``trace_step`` runs one step on traced values: its JAX lowering (``jax_lowering.LOWERINGS``),
or its NumPy kernel when every input is known while tracing (constants, static shapes), so
shape arithmetic stays static for XLA; a ``tf.while_loop`` (a ``LoopStep``) becomes
``lax.while_loop`` or ``lax.scan`` (``jax_lowering/control.py``). ``TraceContext`` is the
``ctx`` of a lowering: variable values, the writes the traced steps make, random keys.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.sentinels import DEAD
from scopeflow.session.context import uninitialized_error
from scopeflow.session.jax_lowering import LOWERINGS
from scopeflow.session.jax_lowering.control import NeedsHost, lower_loop, trace_guarded
from scopeflow.session.numpy_executor import kernel_error
from scopeflow.session.plan import LoopStep, Plan, variable_of

jax.config.update("jax_enable_x64", True)  # TF's int64/float64 stay 64-bit


_HOST_DTYPES = frozenset({"string", "variant"})  # Python objects on the host; XLA has neither


def lowerable(op) -> bool:
    """Whether ``op`` can run inside a compiled segment: it has a lowering, and no string or
    variant input or output (XLA has no strings; a variant holds a Python object - an encoded
    ragged tensor - that a lowered ``Pack`` or ``Reshape`` only moves around)."""
    op_def = op.op_def
    if op_def.host_only or op.type not in LOWERINGS:
        return False
    return not any(t.dtype.base_dtype.name in _HOST_DTYPES for t in (*op.inputs, *op._outputs))


def step_lowerable(step) -> bool:
    """Whether a plan step can run inside a compiled segment: a loop (``LoopStep``) when
    every step of its condition and body can."""
    loop = step.kernel
    if not isinstance(loop, LoopStep):
        return lowerable(step.op)
    return all(step_lowerable(s) for plan in (loop.cond, loop.body) for s in plan.steps)


def all_steps(steps):
    """``steps`` and, for loops among them, the steps of their conditions and bodies."""
    for step in steps:
        yield step
        if isinstance(step.kernel, LoopStep):
            yield from all_steps((*step.kernel.cond.steps, *step.kernel.body.steps))


def var_of_ref(t):
    """The ``VariableV2`` op behind a reference tensor (``VarHandleOp`` behind a handle)."""
    return variable_of(t)


def is_static(value) -> bool:
    """Whether ``value`` is known while tracing (not a JAX tracer or array)."""
    return isinstance(value, np.ndarray | np.generic | bytes | int | float | bool)


def trace_step(step, slots: dict, ctx) -> None:
    """Traces plan step ``step``: reads its inputs from ``slots`` and writes its outputs."""
    kernel, op, inputs, outputs, _ = step
    if isinstance(kernel, LoopStep):  # a tf.while_loop: lax.while_loop or lax.scan
        result = lower_loop(kernel, ctx, tuple(slots[i] for i in inputs), trace_plan)
        for slot, value in zip(outputs, (result,) if len(outputs) == 1 else result, strict=True):
            slots[slot] = value
        return
    op_def = op.op_def
    if op_def.is_variable:  # a read of the variable (plan._read_kernel)
        slots[outputs[0]] = ctx.read_variable(op)
        return
    args = [
        var_of_ref(op.inputs[n]) if n in op_def.ref_inputs else slots[i]
        for n, i in enumerate(inputs)
    ]
    data = [a for n, a in enumerate(args) if n not in op_def.ref_inputs]
    try:
        if not op_def.stateful and all(is_static(a) for a in data):
            with np.errstate(all="ignore"):
                result = kernel(ctx, op, *args)  # known now: computed while tracing
        else:
            result = LOWERINGS[op.type](ctx, op, *args)
    except (errors.OpError, NeedsHost):
        raise
    except _NEEDS_VALUE as e:
        raise NeedsValue(
            None,
            op,
            f"The JAX executor needs a value known before running for an input of op "
            f"'{op.name}' (op {op.type}) (an axis, shape or size computed at run time): "
            f"{str(e).splitlines()[0]}. Use executor='numpy' for this graph.",
        ) from e
    except Exception as e:  # noqa: BLE001 - every lowering failure becomes an OpError
        raise kernel_error(op, [a for a in args if not hasattr(a, "op_def")], e) from e
    if len(outputs) == 1 and isinstance(result, tuple | list) and len(result) == 1:
        result = result[0]  # a variadic op with one output (a one-way Split)
    values = (result,) if len(outputs) == 1 else tuple(result)
    for slot, value, t in zip(outputs, values, op._outputs, strict=True):
        slots[slot] = with_dtype(value, t)


def trace_plan(plan: Plan, ctx, values: list) -> list:
    """Traces a loop's condition or body (a sub-plan); returns its fetched values."""
    slots = dict(zip(plan.feed_slots, values, strict=True))
    if plan.has_control_flow:
        trace_guarded(plan, slots, ctx, trace_step)
    else:
        for step in plan.steps:
            trace_step(step, slots, ctx)
    return [None if s < 0 else slots[s] for s in plan.fetch_slots]


_NEEDS_VALUE = (
    jax.errors.ConcretizationTypeError,
    jax.errors.TracerArrayConversionError,
    jax.errors.TracerIntegerConversionError,
    jax.errors.TracerBoolConversionError,
)


class NeedsValue(errors.UnimplementedError):
    """Tracing an op needed the value of a traced input (see ``_Segment.static_inputs``)."""


def with_dtype(value, t):
    dtype = t.dtype.base_dtype
    if dtype.name in ("string", "resource") or value is DEAD:
        return value
    want = dtype.as_numpy_dtype
    if is_static(value):
        value = np.asarray(value)
        return value if value.dtype == want else value.astype(want)
    return value if value.dtype == want else value.astype(want)


class TraceContext:
    """The ``ctx`` of a lowering while a segment is traced: variable values (tracers), the
    writes this segment makes, random keys, and the NumPy ``ctx`` fields constant-folded
    kernels use."""

    xp = np
    empty = staticmethod(np.empty)  # a kernel's result array (RunContext.empty)
    iterations: tuple = ()  # inside loops being traced: their iteration counters, outermost first
    # A loop bounded by maximum_iterations as a lax.scan of that length (for jax.grad; see
    # control.trip_bound) rather than a lax.while_loop: in exported functions only.
    bounded_loops = False
    loop_trips: tuple = ()  # the trip counts of those loops (None: not known while tracing)

    def __init__(self, session, executor, counter):  # executor: jax_executor.JaxExecutor
        self.threads = session._threads
        self.memo: dict = {}
        self.committed: dict = {}
        self.writes: dict = {}
        self._executor = executor
        self._counter = counter

    def read_variable(self, var_op, reader=None):
        if var_op in self.writes:
            return self.writes[var_op]
        if var_op not in self.committed:
            raise uninitialized_error(var_op, reader)
        return self.committed[var_op]

    def variable_shape(self, var_op, reader=None):
        return self.read_variable(var_op, reader).shape

    def write_variable(self, var_op, value) -> None:
        self.writes[var_op] = jnp.asarray(value)

    def is_initialized(self, var_op) -> bool:
        return var_op in self.writes or var_op in self.committed

    def key(self, op):
        """The PRNG key of random op ``op`` for this run: its seed folded with the run (and
        with the iteration of each loop it is in)."""
        key = jax.random.fold_in(jax.random.key(self._executor.seed_of(op)), self._counter)
        for iteration in self.iterations:
            key = jax.random.fold_in(key, iteration)
        return key
