"""Runs a :class:`~scopeflow.session.plan.Plan` compiled with JAX (``Session(executor="jax")``).

A plan's steps are cut into segments: runs of consecutive steps whose op types have a JAX
lowering (``jax_lowering.LOWERINGS``) become one ``jax.jit`` function each, ``(*variables,
*inputs, run counter) -> (outputs, variable writes)``, traced by ``jax_trace.py``; the steps
between them (ops with only a NumPy kernel: ``tf.py_func``, ``tf.Print``, string ops) run on
the host with their NumPy kernels. A ``tf.while_loop`` is one step of its plan and lowers to
``lax.while_loop`` (``lax.scan`` when its trip count is known while tracing) inside a segment,
TensorArrays and a loop gradient's stacks as preallocated arrays (``jax_lowering/control.py``);
a plan with a loop that does not lower (found while tracing: ``NeedsHost``) runs whole on the
host. A plan with ``tf.cond`` whose ops all lower is one segment, both
branches traced and the live value selected (``control.trace_guarded``). A straight-line
graph whose ops all have lowerings (a training step) is one segment: one XLA call per
``Session.run``, with the buffers of the variables it writes donated to it. Such a plan,
once compiled, runs by a short path (``_run_direct``: no slots, a fetched assignment's result
returned once, as the variable's new value), so a tiny ``run`` costs little more than the
``jax.jit`` call (``benchmarks/run_overhead.py --executor jax``).

Variables live in the session as device arrays between runs; a run stages its writes and the
session commits them only when every segment succeeded (all or nothing, as the NumPy
executor). While a segment is traced, inputs whose values are known (constants, static shapes)
stay NumPy arrays and the ops computing only from them run their NumPy kernels, so shape
arithmetic (a gradient's ``BroadcastGradientArgs``, ``Reshape``'s shape) is static for XLA.

Compiled functions are cached per plan and per signature (input shapes and dtypes, which
variables are initialized): a new batch size compiles once more (logged the first time a plan
recompiles), and at most ``MAX_SIGNATURES`` signatures are kept per segment.
"""

from __future__ import annotations

import itertools
import logging
import threading
import zlib
from collections import OrderedDict

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.session.jax_host import HostContext, run_host_step
from scopeflow.session.jax_lowering import KEYED
from scopeflow.session.jax_lowering.control import NeedsHost, trace_guarded
from scopeflow.session.jax_lowering.resource import READ_ONLY
from scopeflow.session.jax_trace import (
    NeedsValue,
    TraceContext,
    all_steps,
    step_lowerable,
    trace_step,
    var_of_ref,
)
from scopeflow.session.numpy_executor import run_plan
from scopeflow.session.plan import LoopStep, Plan

MAX_SIGNATURES = 8
_log = logging.getLogger("scopeflow.jax")


def accelerator_present() -> bool:
    """Whether JAX sees a GPU or TPU (``executor="auto"`` then picks JAX)."""
    return any(d.platform != "cpu" for d in jax.devices())


def _resource_slots(plan: Plan) -> set:
    """The slots of resource handles (TensorArrays, stacks): Python objects of one side."""
    return {
        slot
        for step in plan.steps
        if not isinstance(step.kernel, LoopStep)
        for slot, t in zip(step.outputs, step.op._outputs, strict=True)
        if t.dtype.base_dtype.name == "resource"
    }


class _Segment:
    """Consecutive compiled steps: the slots they read from before, the slots they produce
    that later steps or the fetches need, and their jitted functions."""

    def __init__(self, steps: list, needed_after: set, initial: tuple, alone: bool, plan: Plan):
        self.steps = steps
        # With tf.cond (then the plan's only segment): traced with liveness, and fetches
        # checked to be live after the call.
        self.guarded = plan if plan.has_control_flow else None
        produced = {s for step in steps for s in step.outputs}
        read = [s for step in steps for s in step.inputs if initial[s] is None]
        self.in_slots = tuple(dict.fromkeys(s for s in read if s not in produced))
        self.variables = _segment_variables(self)
        self.written = _written_variables(self)
        self.out_slots = tuple(s for s in dict.fromkeys(produced) if s in needed_after)
        # Variables it writes are donated when nothing runs after it that could fail (a
        # single-segment plan, no dead fetch): their old buffers are then reused.
        self.donate = alone and self.guarded is None
        self.keyed = any(s.op.type in KEYED for s in all_steps(steps))  # takes the run counter
        self.full_layout = _layout(self, [True] * len(self.variables))
        # The variables whose values the full layout's function takes, in order
        self.full_variables = tuple(self.variables[i] for i in sum(self.full_layout, ()))
        # {(layout, baked values): jitted function}; jax.jit keeps one compiled program per
        # shape signature of each, counted by ``traces``.
        self.compiled: OrderedDict = OrderedDict()
        self.fast = None  # the function of the full layout, while no input is baked
        self.traces = 0
        # Set when tracing needed an input's value (a fed axis or shape): small integer and
        # boolean inputs are then compiled in as constants, and their values join the key.
        self.static_inputs = False


def _layout(segment: _Segment, present: list) -> tuple:
    """Which variables' values the segment's function takes (those initialized), as the
    donated indices and the kept indices."""
    donated = tuple(
        i
        for i, op in enumerate(segment.variables)
        if present[i] and segment.donate and op in segment.written
    )
    kept = tuple(i for i in range(len(present)) if present[i] and i not in donated)
    return donated, kept


class _Prepared:
    """A plan cut into segments (``_Segment``) and host steps."""

    def __init__(self, plan: Plan, on_host: bool = False):
        self.plan = plan
        resources = _resource_slots(plan)
        # A loop that does not lower, or a TensorArray or stack op that does not, or with
        # tf.cond any op that does not: the whole plan on the host (a loop's gradient pushes
        # to stacks as it runs; a cond's liveness is tracked inside one segment).
        self.whole_on_host = on_host or not all(
            step_lowerable(step)
            for step in plan.steps
            if plan.has_control_flow
            or isinstance(step.kernel, LoopStep)
            or not resources.isdisjoint(step.outputs)
        )
        self.parts: list = []
        self.direct = None
        self.quick = False
        self.recompiled_logged = False
        if self.whole_on_host:
            return
        fetched = {s for s in plan.fetch_slots if s >= 0}
        groups: list = []
        for step in plan.steps:
            device = step_lowerable(step)
            if groups and groups[-1][0] == device and device:
                groups[-1][1].append(step)
            else:
                groups.append((device, [step]))
        needed = set(fetched)
        parts = []
        for device, steps in reversed(groups):
            if device:
                segment = _Segment(steps, needed, plan.initial_slots, len(groups) == 1, plan)
                needed.update(segment.in_slots)
                parts.append(segment)
            else:
                parts.append(steps[0])
                needed.update(steps[0].inputs)
        self.parts = parts[::-1]
        segments = [p for p in self.parts if type(p) is _Segment]
        if any(not resources.isdisjoint((*p.in_slots, *p.out_slots)) for p in segments):
            self.whole_on_host, self.parts = True, []  # a handle would cross a segment's edge
        self.direct = _direct(plan, self.parts)
        # Run by _run_direct once compiled: one segment without tf.cond
        self.quick = self.direct is not None and self.parts[0].guarded is None

    @property
    def segments(self) -> int:
        return sum(isinstance(p, _Segment) for p in self.parts)


def _direct(plan: Plan, parts: list) -> tuple | None:
    """For a plan that is one segment reading its feeds in order and fetching only what it
    outputs (a training step): per fetch, the index of the output (-1 for an op). Such a plan
    runs without slots."""
    if len(parts) != 1 or type(parts[0]) is not _Segment or parts[0].in_slots != plan.feed_slots:
        return None
    position = {s: i for i, s in enumerate(parts[0].out_slots)}
    if not all(s < 0 or s in position for s in plan.fetch_slots):
        return None
    return tuple(position.get(s, -1) for s in plan.fetch_slots)


class JaxExecutor:
    """The JAX side of one session: compiled segments per plan and the run counter that
    random ops fold into their keys."""

    def __init__(self, session):
        self._session = session
        self._prepared: dict = {}
        self._counter = itertools.count()  # next() is atomic: no lock
        self._run_lock = threading.RLock()
        self._seeds: dict = {}
        self.placement = None  # set by scopeflow.distribute.data_parallel: the device mesh

    def prepare(self, plan: Plan) -> _Prepared:
        prepared = self._prepared.get(id(plan))
        if prepared is None or prepared.plan is not plan:
            prepared = self._prepared[id(plan)] = _Prepared(plan)
        return prepared

    def run(self, plan: Plan, feed_values: list) -> list:
        """Runs ``plan``; returns the fetched values, the caller's own: NumPy arrays, and
        NumPy scalars for 0-d values. Commits the run's variable writes to the session only
        when it succeeds."""
        prepared = self._prepared.get(id(plan))
        if prepared is None or prepared.plan is not plan:
            prepared = self.prepare(plan)
        counter = next(self._counter)
        # One run at a time: a run donates the buffers of the variables it writes, which a
        # concurrent run must not be reading. (Reentrant: a py_func may call run.)
        with self._run_lock:
            if prepared.quick and self.placement is None:
                results = self._run_direct(prepared, feed_values, counter)
                if results is not None:
                    return results
            return self._run_general(prepared, feed_values, counter)

    def _run_general(self, prepared: _Prepared, feed_values: list, counter: int) -> list:
        """``run`` through slots: several segments and host steps, or a first call."""
        staged: dict = {}
        try:
            results = self._run_parts(prepared, feed_values, staged, counter)
        except NeedsHost as e:  # found while tracing: the run starts again, on the host
            _log.info("scopeflow JAX executor: a plan runs on the host (%s)", e)
            plan = prepared.plan
            self._prepared[id(plan)] = _Prepared(plan, on_host=True)
            return self.run(plan, feed_values)
        to_host = np.array if self.placement is None else self.placement.to_host
        results = [None if r is None else _scalar(to_host(r)) for r in results]
        if staged:
            session = self._session
            with session._lock:
                if session._closed:
                    raise RuntimeError("Attempted to use a closed Session.")
                session._values.update(staged)
        return results

    def _run_direct(self, prepared: _Prepared, feed_values: list, counter: int) -> list | None:
        """``run`` for a plan that is one segment reading its feeds and fetching its outputs
        (``_Prepared.quick``), once compiled with every variable initialized and no input
        baked in: the jitted function called straight on the feeds and the variables' values,
        no slots. ``None`` when the general path must run it (a variable uninitialized, the
        first run, a new shape needing values or the host)."""
        segment = prepared.parts[0]
        fn = segment.fast
        if fn is None:
            return None
        session = self._session
        try:  # (map: no Python frame per variable)
            values = list(map(session._values.__getitem__, segment.full_variables))
        except KeyError:  # uninitialized: the general path raises or compiles another layout
            return None
        traces = segment.traces
        try:
            if segment.keyed:
                outputs, writes = fn(*values, *feed_values, np.uint32(counter))
            else:
                outputs, writes = fn(*values, *feed_values)
        except (NeedsValue, NeedsHost):  # tracing a new shape: nothing ran, nothing donated
            return None
        if segment.traces != traces:
            self._traced(prepared, segment, fn, feed_values)
        results = []  # (loops: a comprehension costs a frame, this path microseconds)
        for i in prepared.direct:
            results.append(None if i < 0 else _host(_output(outputs[i], writes)))
        if writes:
            variables = segment.variables
            with session._lock:
                if session._closed:
                    raise RuntimeError("Attempted to use a closed Session.")
                values = session._values
                for i, value in writes.items():
                    values[variables[i]] = value
        return results

    def _run_parts(self, prepared: _Prepared, feed_values: list, staged: dict, counter) -> list:
        plan, session = prepared.plan, self._session
        if prepared.whole_on_host:
            ctx = HostContext(session, staged)
            with np.errstate(all="ignore"):
                results = run_plan(plan, ctx, [np.asarray(v) for v in feed_values])
        elif prepared.direct is not None:
            segment = prepared.parts[0]
            outputs = self._run_segment(prepared, segment, tuple(feed_values), staged, counter)
            results = [None if i < 0 else outputs[i] for i in prepared.direct]
        else:
            slots = list(plan.initial_slots)
            for slot, value in zip(plan.feed_slots, feed_values, strict=True):
                slots[slot] = value
            for part in prepared.parts:
                if type(part) is _Segment:
                    inputs = tuple([slots[s] for s in part.in_slots])
                    outputs = self._run_segment(prepared, part, inputs, staged, counter)
                    for slot, value in zip(part.out_slots, outputs, strict=True):
                        slots[slot] = value
                else:
                    run_host_step(part, slots, HostContext(session, staged))
            results = [None if s < 0 else slots[s] for s in plan.fetch_slots]
        return results

    def _run_segment(self, prepared, segment: _Segment, inputs: tuple, staged: dict, counter):
        """Calls ``segment``'s function on ``inputs`` (the values of its ``in_slots``) and the
        variables' values; stages its writes and returns its outputs."""
        committed = self._session._values
        values = [committed.get(op) for op in segment.variables]
        if staged:  # written by host steps before this segment
            values = [staged.get(op, v) for op, v in zip(segment.variables, values, strict=True)]
        fn = segment.fast
        if fn is None or any(v is None for v in values):
            fn, layout, baked = self._function(prepared, segment, values, inputs)
            inputs = tuple(None if i in baked else v for i, v in enumerate(inputs))
        else:
            layout = segment.full_layout
        traces = segment.traces
        if self.placement is not None:  # scopeflow.distribute: onto the device mesh
            place = self.placement.variable
            values = [place(op, v) for op, v in zip(segment.variables, values, strict=True)]
            inputs = self.placement.inputs(prepared.plan, segment.in_slots, inputs)
        args = [values[i] for i in (*layout[0], *layout[1])]
        args += inputs
        if segment.keyed:
            args.append(np.uint32(counter))
        try:
            outputs, writes = fn(*args)
        except NeedsValue:
            if segment.static_inputs or not _baked(list(inputs)):
                raise
            segment.static_inputs = True
            segment.fast = None
            segment.compiled.clear()
            return self._run_segment(prepared, segment, inputs, staged, counter)
        if segment.traces != traces:
            self._traced(prepared, segment, fn, inputs)
        if segment.guarded is not None:
            outputs = _live_outputs(segment, outputs)
        outputs = [_output(o, writes) for o in outputs]
        for i, value in writes.items():
            staged[segment.variables[i]] = value
        return outputs

    def _function(self, prepared, segment: _Segment, values: list, inputs: tuple):
        """The jitted function for the variables present and, once inputs are baked in,
        their values; with its layout and the baked inputs."""
        present = [v is not None for v in values]
        layout = segment.full_layout if all(present) else _layout(segment, present)
        baked = _baked(list(inputs)) if segment.static_inputs else {}
        key = (layout, tuple((i, v.tobytes()) for i, v in baked.items()))
        fn = segment.compiled.get(key)
        if fn is None:
            fn = segment.compiled[key] = self._compile(segment, layout, baked)
            if len(segment.compiled) > MAX_SIGNATURES:
                segment.compiled.popitem(last=False)
        else:
            segment.compiled.move_to_end(key)
        if layout is segment.full_layout and not segment.static_inputs:
            segment.fast = fn
        return fn, layout, baked

    def _traced(self, prepared, segment: _Segment, fn, inputs: tuple) -> None:
        """After a call that traced (compiled) ``fn`` anew: logs the plan's first recompile,
        and empties ``fn``'s cache when it holds more than ``MAX_SIGNATURES`` programs."""
        if segment.traces > 1 and not prepared.recompiled_logged:
            prepared.recompiled_logged = True
            _log.info(
                "scopeflow JAX executor: recompiling a plan for new input shapes (%s); "
                "each shape signature compiles once, %d are kept",
                ", ".join(str(np.shape(v)) for v in inputs),
                MAX_SIGNATURES,
            )
        if fn._cache_size() > MAX_SIGNATURES:
            fn.clear_cache()

    def _compile(self, segment: _Segment, layout: tuple, baked: dict):
        """The jitted function of ``segment`` for one layout of its variables. It is traced
        on its first call for each shape signature, before anything runs: an unsupported op
        or a bad shape raises then."""
        session = self._session
        variables = segment.variables
        taken = [variables[i] for i in (*layout[0], *layout[1])]
        index = {op: i for i, op in enumerate(variables)}
        placement = self.placement
        count = len(taken) + len(segment.in_slots)

        def step_fn(*args):  # the variables' values (donated first), the inputs, the counter
            segment.traces += 1
            inputs = [baked.get(i, v) for i, v in enumerate(args[len(taken) : count])]
            ctx = TraceContext(session, self, args[count] if segment.keyed else None)
            for op, value in zip(taken, args, strict=False):
                ctx.committed[op] = value
            slots = dict(zip(segment.in_slots, inputs, strict=True))
            if segment.guarded is None:
                for step in segment.steps:
                    trace_step(step, slots, ctx)
                outputs = tuple(jnp.asarray(slots[s]) for s in segment.out_slots)
            else:  # and whether each output is live
                live = trace_guarded(segment.guarded, slots, ctx, trace_step)
                outputs = tuple(jnp.asarray(slots[s]) for s in segment.out_slots)
                outputs += (jnp.stack([jnp.asarray(live.get(s, True)) for s in segment.out_slots]),)
            writes = ctx.writes
            if placement is not None:  # each variable keeps its sharding
                writes = {op: placement.constrain(op, v) for op, v in writes.items()}
            # An output that is a variable's new value (an assignment's result) comes back
            # once, as the write; its place holds {the variable's index: None} (no array).
            written = {id(value): index[op] for op, value in writes.items()}
            outputs = tuple({written[id(o)]: None} if id(o) in written else o for o in outputs)
            return outputs, {index[op]: value for op, value in writes.items()}

        # scopeflow.distribute: where each argument lies on the device mesh
        options = {} if placement is None else placement.jit_options(segment, layout, baked)
        return jax.jit(step_fn, donate_argnums=tuple(range(len(layout[0]))), **options)

    def seed_of(self, op) -> int:
        seed = self._seeds.get(op)
        if seed is None:
            a, b = int(op._attrs.get("seed", 0)), int(op._attrs.get("seed2", 0))
            if a == 0 and b == 0 and self.placement is not None:
                seed = self.placement.seed(op)  # the same in every process
            elif a == 0 and b == 0:
                seed = int(np.random.default_rng().integers(2**31))
            else:
                seed = zlib.crc32(f"{a}/{b}".encode()) & 0x7FFFFFFF
            self._seeds[op] = seed
        return seed


def _host(value):
    """A fetched device array as the caller's own NumPy array, or scalar when 0-d."""
    array = np.array(value)
    return array[()] if array.ndim == 0 else array


def _scalar(array):
    return array[()] if type(array) is np.ndarray and array.ndim == 0 else array


def _output(value, writes: dict):
    """A segment's output: its array, or the write it is (``{variable index: None}``)."""
    return writes[next(iter(value))] if type(value) is dict else value


def _live_outputs(segment: _Segment, outputs: tuple) -> tuple:
    """The outputs of a segment with tf.cond, once its fetches are checked to be live."""
    alive = np.asarray(outputs[-1])
    plan = segment.guarded
    for slot, ok in zip(segment.out_slots, alive, strict=True):
        if not ok:
            fetch = plan.fetches[plan.fetch_slots.index(slot)]
            raise errors.InvalidArgumentError(
                None,
                fetch.op,
                f"Retval '{fetch.name}' does not have a value: it is computed only in a "
                "tf.cond branch that was not taken. Fetch the cond's result instead.",
            )
    return outputs[:-1]


def _segment_variables(segment: _Segment) -> tuple:
    found = []
    for step in all_steps(segment.steps):
        if step.op.op_def.is_variable:
            found.append(step.op)
        for i in step.op.op_def.ref_inputs:
            found.append(var_of_ref(step.op.inputs[i]))
    return tuple(dict.fromkeys(found))


def _written_variables(segment: _Segment) -> set:
    return {
        var_of_ref(step.op.inputs[i])
        for step in all_steps(segment.steps)
        if step.op.op_def.stateful and step.op.type not in READ_ONLY
        for i in step.op.op_def.ref_inputs
    }


def _baked(inputs: list) -> dict:
    """The inputs compiled in as constants when a segment needs values: small integer and
    boolean arrays (an earlier segment's output copied to the host), float scalars."""
    return {
        i: np.asarray(v)
        for i, v in enumerate(inputs)
        if isinstance(v, np.ndarray | np.generic | jax.Array)
        and (v.dtype.kind in "biu" and v.size <= 64 or v.dtype.kind == "f" and v.ndim == 0)
    }
