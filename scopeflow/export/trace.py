"""The graph as a pure JAX function, traced with the JAX executor's lowerings.

``to_jax``'s function walks the plan of its fetches (``session/plan.py``) with the same step
tracer as a compiled segment of ``Session(executor="jax")`` (``session/jax_trace.py``):
variables are read from the ``params`` argument instead of the session, assignments and
optimizer updates become new values in a dictionary instead of session writes, and random
ops draw from the ``rng`` argument. Loops and conds lower as in the executor
(``jax_lowering/control.py``); a fetch only one cond branch computes is refused at export
(``Session.run`` raises when it is missing; a traced function cannot). Imported only when a
graph is exported (it imports JAX).
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable

import jax
import jax.numpy as jnp

from scopeflow.export.params import leaf, nest, split_variables
from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_session
from scopeflow.framework.tensor import Tensor
from scopeflow.session.fetch import flatten_fetches
from scopeflow.session.jax_lowering import HOST_ONLY, LOWERINGS
from scopeflow.session.jax_lowering.control import NeedsHost, trace_guarded
from scopeflow.session.jax_trace import (
    NeedsValue,
    TraceContext,
    all_steps,
    lowerable,
    trace_step,
)
from scopeflow.session.plan import LoopStep, compile_plan, variable_of


class _ExportContext(TraceContext):
    """A lowering's ``ctx`` inside an exported function: variables from ``params``, writes
    kept in ``writes``, random keys folded from the caller's ``rng``; a loop with
    ``maximum_iterations`` is a ``lax.scan`` of that length (``jax.grad`` differentiates it)."""

    bounded_loops = True

    def __init__(self, threads, values: dict, rng):
        self.threads = threads
        self.memo = {}
        self.committed = values
        self.writes = {}
        self._rng = rng

    def key(self, op):
        """Op ``op``'s key: ``rng`` folded with its seeds (``seed``/``seed2`` when set, else
        a hash of its name), so each random op of the graph draws its own numbers."""
        if self._rng is None:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Op '{op.name}' (type {op.type}) draws random numbers: pass a key to the "
                "exported function, e.g. fn(params, x, rng=jax.random.key(0)), and a new one "
                "(jax.random.split) for each call that should draw new numbers.",
            )
        return jax.random.fold_in(self._rng, _op_seed(op))


def _op_seed(op) -> int:
    a, b = int(op._attrs.get("seed", 0)), int(op._attrs.get("seed2", 0))
    text = op.name if a == 0 and b == 0 else f"{a}/{b}"
    return zlib.crc32(text.encode()) & 0x7FFFFFFF


class Exported:
    """One traced computation: its plan, feeds, variables and fetch structure; ``call``
    runs it on JAX values (traced or concrete)."""

    def __init__(self, fetches, feeds, session, what: str):
        session = session or get_default_session()
        if session is None:
            raise ValueError(
                f"{what} reads the variables' values from a session: none is the default. "
                f"Pass session=sess, or call {what} inside `with tf.Session() as sess:`."
            )
        graph = session.graph
        self.feeds = _feed_tensors(feeds, graph)
        self.elements, self.rebuild = flatten_fetches(fetches, graph)
        self.plan = compile_plan(self.elements, list(self.feeds))
        if self.plan.missing_feeds:
            placeholder, fetch = self.plan.missing_feeds[0]
            raise errors.InvalidArgumentError(
                None,
                placeholder,
                f"{what}: placeholder '{placeholder.name}' is needed by fetch "
                f"'{getattr(fetch, 'name', fetch)}' but is not among the feeds "
                f"{[t.name for t in self.feeds]}: add it to feeds (the exported function "
                "takes one argument per feed, in order).",
            )
        for step in all_steps(self.plan.steps):
            _check_lowerable(step, what)
        _check_live_fetches(self.plan, what)
        self.what = what
        used = _plan_variables(self.plan)
        self.variables = split_variables(graph, used)
        values = session._read_values(used)
        self.params = {
            which: nest({op.name: jnp.asarray(values[op]) for op in ops})
            for which, ops in self.variables.items()
        }
        self.threads = session._threads

    def call(self, params, feed_values: tuple, rng) -> tuple[object, dict]:
        """``(fetched structure, {variable op: new value})`` for one call."""
        if len(feed_values) != len(self.feeds):
            raise TypeError(
                f"The exported function takes params and {len(self.feeds)} feed value(s) "
                f"{[t.name for t in self.feeds]}, got {len(feed_values)}."
            )
        values = {}
        for which, ops in self.variables.items():
            for op in ops:
                dtype = op._attrs["dtype"].as_numpy_dtype
                values[op] = jnp.asarray(leaf(params[which], op.name, which), dtype)
        slots: dict = {}
        for slot, t, value in zip(self.plan.feed_slots, self.feeds, feed_values, strict=True):
            slots[slot] = _feed(t, value)
        ctx = _ExportContext(self.threads, values, rng)
        try:
            if self.plan.has_control_flow:  # tf.cond: both branches, the live value selected
                trace_guarded(self.plan, slots, ctx, trace_step)
            else:
                for step in self.plan.steps:
                    trace_step(step, slots, ctx)
        except NeedsHost as e:  # a loop or a cond branch the executor would run on the host
            raise errors.UnimplementedError(
                None,
                None,
                f"{self.what}: {e}. This part of the graph does not lower to JAX (the JAX "
                "executor runs it on the host): export the part after it, with its result "
                "as a feed.",
            ) from e
        except NeedsValue as e:
            op = e.op
            raise errors.UnimplementedError(
                None,
                op,
                f"Op '{op.name}' (type {op.type}) needs a value known while tracing (an axis, "
                "a shape or a size), but computes it from the exported function's arguments: "
                "make that input a constant of the graph.",
            ) from e
        fetched = [None if s < 0 else jnp.asarray(slots[s]) for s in self.plan.fetch_slots]
        return self.rebuild(fetched), ctx.writes


def _feed_tensors(feeds, graph) -> tuple:
    if isinstance(feeds, Tensor | str):
        feeds = [feeds]
    tensors = []
    for key in feeds:
        try:
            tensors.append(graph.as_graph_element(key, allow_tensor=True, allow_operation=False))
        except (TypeError, ValueError, KeyError) as e:
            message = e.args[0] if isinstance(e, KeyError) and e.args else e
            raise TypeError(f"Cannot interpret feed {key!r} as a Tensor: {message}") from None
    if len(set(tensors)) != len(tensors):
        raise ValueError(f"feeds name a tensor twice: {[t.name for t in tensors]}")
    return tuple(tensors)


def _feed(t: Tensor, value):
    dtype = t.dtype.base_dtype
    value = jnp.asarray(value, dtype.as_numpy_dtype)
    if not t.shape.is_compatible_with(value.shape):
        raise ValueError(
            f"Cannot feed value of shape {tuple(value.shape)} for Tensor '{t.name}', which has "
            f"shape '{t.shape}' (under jax.vmap, each call sees one slice of the mapped axis: "
            "map over an added axis, e.g. xs[:, None], to keep the batch axis)"
        )
    return value


def _check_lowerable(step, what: str) -> None:
    op = step.op
    if isinstance(step.kernel, LoopStep) or lowerable(op):
        return  # (a loop's own steps are checked one by one: ``all_steps``)
    if op.type in HOST_ONLY:
        reason = HOST_ONLY[op.type]
    elif op.type in LOWERINGS:
        reason = "a string input or output: XLA has no string type"
    else:
        reason = "no JAX lowering"
    raise errors.UnimplementedError(
        None,
        op,
        f"{what}: op '{op.name}' (type {op.type}) cannot be exported to JAX ({reason}). "
        "Export the part of the graph after it, with its result as a feed.",
    )


def _check_live_fetches(plan, what: str) -> None:
    """Refuses a fetch that a ``tf.cond`` branch computes (it has no value when the other
    branch is taken: ``Session.run`` raises then, an exported function cannot). Each way the
    plan's conds can go is tried (up to ``2**12``), with the liveness rules of
    ``control.trace_guarded``."""
    if not plan.has_control_flow:
        return
    same: dict = {}  # a slot an Identity copies: the slot it copies (a cond's pred_id)
    for step in plan.steps:
        if step.op.type == "Identity":
            same[step.outputs[0]] = same.get(step.inputs[0], step.inputs[0])
    preds = list(
        dict.fromkeys(
            same.get(s.inputs[1], s.inputs[1]) for s in plan.steps if s.op.type == "Switch"
        )
    )
    if len(preds) > 12:
        return
    for taken in itertools.product((False, True), repeat=len(preds)):
        pred_of = dict(zip(preds, taken, strict=True))
        live: dict = {}
        step_live: list = []
        for (_, op, inputs, outputs, _), (waits, _) in zip(plan.steps, plan.guards, strict=True):
            guard = all(step_live[w] for w in waits)
            alive = [live.get(s, True) for s in inputs]
            if op.type == "Merge":
                guard = guard and any(alive)
                live.update(dict.fromkeys(outputs, guard))
            elif op.type == "Switch":
                guard = guard and all(alive)
                pred = pred_of[same.get(inputs[1], inputs[1])]
                live[outputs[0]], live[outputs[1]] = guard and not pred, guard and pred
            else:
                guard = guard and all(alive)
                live.update(dict.fromkeys(outputs, guard))
            step_live.append(guard)
        for fetch, slot in zip(plan.fetches, plan.fetch_slots, strict=True):
            if slot >= 0 and not live.get(slot, True):
                raise errors.InvalidArgumentError(
                    None,
                    fetch.op,
                    f"{what}: fetch '{fetch.name}' is computed only in one branch of a tf.cond "
                    "(Session.run raises when the other branch is taken; an exported function "
                    "cannot): fetch the cond's result instead.",
                )


def _plan_variables(plan) -> list:
    """The ``VariableV2`` ops the plan reads or writes (in its loops too)."""
    found = []
    for step in all_steps(plan.steps):
        op_def = step.op.op_def
        if op_def.is_variable:
            found.append(step.op)
        found.extend(variable_of(step.op.inputs[i]) for i in op_def.ref_inputs)
    return list(dict.fromkeys(found))


def to_jax(fetches, feeds, session=None) -> tuple[Callable, dict]:
    """See :func:`scopeflow.export.to_jax`."""
    exported = Exported(fetches, feeds, session, "to_jax")

    def fn(params, *feed_values, rng=None):
        return exported.call(params, feed_values, rng)[0]

    return fn, exported.params


def to_jax_train_step(train_op, feeds, session=None, fetches=()) -> tuple[Callable, dict]:
    """See :func:`scopeflow.export.to_jax_train_step`."""
    exported = Exported((train_op, fetches), feeds, session, "to_jax_train_step")
    names = {op: (which, op.name) for which, ops in exported.variables.items() for op in ops}

    def step_fn(state, *feed_values, rng=None):
        (_, fetched), writes = exported.call(state, feed_values, rng)
        new_state = {which: dict(tree) for which, tree in state.items()}
        for op, value in writes.items():
            which, name = names[op]
            _replace(new_state[which], name, value)
        return new_state, fetched

    return step_fn, exported.params


def _replace(tree: dict, name: str, value) -> None:
    """Sets the leaf ``name`` of ``tree``, copying the dictionaries on its path (the caller's
    tree is left as it was)."""
    *scopes, last = name.split("/")
    node = tree
    for scope in scopes:
        node[scope] = dict(node[scope])
        node = node[scope]
    node[last] = value
