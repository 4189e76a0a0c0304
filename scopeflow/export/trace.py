"""The graph as a pure JAX function, traced with the JAX executor's lowerings.

``to_jax``'s function walks the plan of its fetches (``session/plan.py``) with the same step
tracer as a compiled segment of ``Session(executor="jax")`` (``jax_executor._trace_step``):
variables are read from the ``params`` argument instead of the session, assignments and
optimizer updates become new values in a dictionary instead of session writes, and random
ops draw from the ``rng`` argument. Imported only when a graph is exported (it imports JAX).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import jax
import jax.numpy as jnp

from scopeflow.export.params import leaf, nest, split_variables
from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_session
from scopeflow.framework.tensor import Tensor
from scopeflow.session.fetch import flatten_fetches
from scopeflow.session.jax_executor import TraceContext, _NeedsValue, _trace_step, lowerable
from scopeflow.session.jax_lowering import HOST_ONLY, LOWERINGS
from scopeflow.session.plan import LoopStep, compile_plan, variable_of


class _ExportContext(TraceContext):
    """A lowering's ``ctx`` inside an exported function: variables from ``params``, writes
    kept in ``writes``, random keys folded from the caller's ``rng``."""

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
        for step in self.plan.steps:
            _check_lowerable(step, what)
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
            for step in self.plan.steps:
                _trace_step(step, slots, ctx)
        except _NeedsValue as e:
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
    if isinstance(step.kernel, LoopStep) or op.op_def.control_flow:
        reason = "TF1 control flow: tf.cond and tf.while_loop have no JAX lowering yet"
    elif lowerable(op):
        return
    elif op.type in HOST_ONLY:
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


def _plan_variables(plan) -> list:
    """The ``VariableV2`` ops the plan reads or writes."""
    found = []
    for step in plan.steps:
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
