"""``Session.partial_run_setup`` / ``Session.partial_run``: one run split over several calls.

The setup declares every fetch and every feedable tensor of the handle; each call then feeds
some of the declared tensors and fetches some of the declared fetches. As in TF1, every op of
the handle runs at most once across its calls: a random op fetched through two calls has one
value, an ``assign_add`` reached by two calls adds once. The handle keeps the value of every
tensor its calls computed (not only the fetched ones) and feeds them to the later calls' plans,
with the ops that made them counted as done, so nothing upstream runs again. Variable ops (and
resource handles) are the exception: they only name the variable, so later calls read its
current value. Each call is all-or-nothing for variables, as ``Session.run``.

Not supported: a subgraph with ``tf.cond``/``tf.while_loop`` ops and the JAX executor
(``NotImplementedError``: use one ``Session.run`` with all fetches).
"""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.feed_fetch import check_run
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.kernels import workspace
from scopeflow.ops.kernels.quiet import silenced
from scopeflow.session.context import RunContext
from scopeflow.session.fetch import flatten_fetches
from scopeflow.session.numpy_executor import run_plan
from scopeflow.session.plan import compile_plan

_COUNTER = itertools.count()
# A tf.while_loop is one plan step with one of these ops (its cond or its results)
_LOOP_OPS = frozenset({"LoopCond", "Exit", "RefExit"})


class _Handle:
    """What one ``partial_run_setup`` declared and what its calls did so far."""

    def __init__(self, fetches: list, feeds: list):
        self.fetches = {e for e in fetches if not isinstance(e, Operation)}
        self.feeds = set(feeds)
        # ops declared at setup: each runs in the first call (or the setup) where no declared
        # feed it depends on is still to come, as TF's executor starts them once it can
        self.targets = [e for e in fetches if isinstance(e, Operation)]
        self.fetched: set = set()
        self.fed: set = set()
        self.values: dict = {}  # {Tensor: value} every tensor the calls computed or were fed
        self.done: set = set()  # the ops the calls ran (never run again)


def _closed_check(session) -> None:
    if session._closed:
        raise session._closed_error or RuntimeError("Attempted to use a closed Session.")


def setup(session, fetches, feeds, unfed_error) -> str:
    """Declares the handle's fetches and feedable tensors; returns its handle string. Declared
    ops needing none of the declared feeds run now, as in TF."""
    _closed_check(session)
    graph = session._graph
    elements, _ = flatten_fetches(fetches, graph, session)
    if feeds is None:
        feeds = []
    elif not isinstance(feeds, (list, tuple)):
        feeds = [feeds]
    fed = []
    for key in feeds:
        try:
            t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except (TypeError, ValueError, KeyError) as e:
            message = e.args[0] if isinstance(e, KeyError) and e.args else e
            raise TypeError(f"Cannot interpret feed_list key as Tensor: {message}") from None
        if t not in fed:
            fed.append(t)
    check_run(graph, elements, fed)
    for t in fed:
        if t in elements:
            raise errors.InvalidArgumentError(None, None, f"{t.name} is both fed and fetched.")
    # TF's form: the feeds, '->', the fetches, then a number of its own
    names = ",".join(t.name for t in fed) + "->" + ",".join(e.name for e in elements)
    handle = f"{names}//{id(session)}/;{next(_COUNTER)}"
    state = _Handle(elements, fed)
    if state.targets:
        _advance(session, state, [], (), [], unfed_error)
    with session._lock:
        session._partial_runs[handle] = state
    return handle


def call(session, handle, fetches, feed_dict, unfed_error, fetched):
    """One call of ``handle``: feeds ``feed_dict``, returns ``fetches``' values (as ``run``'s
    structure). ``unfed_error``/``fetched``: session.py's unfed-placeholder error and the
    function making a value the user's."""
    _closed_check(session)
    graph = session._graph
    elements, rebuild = flatten_fetches(fetches, graph, session)
    feeds, values = session._feeds(feed_dict) if feed_dict else ((), [])
    if not elements and not feeds:  # TF's Python returns at once, whatever the handle
        return rebuild([])
    targets = [e for e in elements if isinstance(e, Operation)]
    if targets:
        raise RuntimeError(
            "partial_run() requires empty `target_list`. Received: "
            f"target_list={targets!r} (non-empty)"
        )
    state = session._partial_runs.get(handle) if isinstance(handle, str) else None
    if state is None:
        raise _invalid("Must run 'setup' before performing partial runs!")
    if session._jax is not None:
        raise NotImplementedError(
            "Session.partial_run with executor='jax' is not supported; use "
            "Session(executor='numpy'), or one Session.run with all fetches."
        )
    for t in feeds:
        if t not in state.feeds:
            raise _invalid(f"The feed {t.name} was not specified in partial_run_setup.")
        if t in state.fed:
            raise _invalid(f"The feed {t.name} has already been fed.")
    for t in elements:
        if t not in state.fetches:
            raise _invalid(f"The fetch {t.name} was not specified in partial_run_setup.")
        if t in state.fetched:
            raise _invalid(f"The fetch {t.name} has already been fetched.")
    check_run(graph, elements, list(feeds))
    results = _advance(session, state, elements, feeds, values, unfed_error)
    with session._lock:
        if state.fed == state.feeds and state.fetched == state.fetches:  # TF drops it then
            session._partial_runs.pop(handle, None)
    return rebuild([fetched(_copy(results[t])) for t in elements])


def _advance(session, state: _Handle, elements, feeds, values, unfed_error) -> dict:
    """Runs ``elements`` (and the declared ops now due) with ``feeds`` and what the earlier
    calls computed; records it all in ``state``; returns the values computed."""
    pending = state.feeds - state.fed - set(feeds)
    bad = _pending_ancestor(elements, pending)
    if bad is not None:
        raise _invalid(
            f"Fetch {bad.name} can't be computed from the feeds that have been fed so far."
        )
    due = [op for op in state.targets if op not in state.done]
    due = [op for op in due if _pending_ancestor([op], pending, op.control_inputs) is None]
    with session._lock:
        known = dict(state.values)
        done = frozenset(state.done)
    known.update(zip(feeds, values, strict=True))
    results, ran = _run(session, [*elements, *due], known, done, unfed_error)
    with session._lock:
        state.fed.update(feeds)
        state.fetched.update(elements)
        state.values.update(zip(feeds, values, strict=True))
        state.values.update(results)
        state.done.update(ran)
        state.done.update(due)
    return results


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


def _names_variable(op: Operation) -> bool:
    """A variable op or one handing on a resource handle: it only names a variable, so it
    runs again in each call (its consumers then see the variable's current value)."""
    return op.op_def.is_variable or any(t.dtype.base_dtype == dtypes.resource for t in op.outputs)


def _pending_ancestor(elements, pending: set, extra=()):
    """The first of ``pending`` (declared feeds not fed yet) among the data inputs' ancestors
    of ``elements`` (ops' control inputs followed only for ``extra``, the ops to start with),
    or None. All ancestors count, past tensors fed or computed already, as in TF's check."""
    if not pending:
        return None
    seen: set = set()
    stack = [e.op if isinstance(e, Tensor) else e for e in elements] + list(extra)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        for t in op.inputs:
            if t in pending:
                return t
            stack.append(t.op)
    return None


def _run(session, elements, known: dict, done: frozenset, unfed_error) -> tuple[dict, list]:
    """Runs what ``elements`` need beyond ``known``; returns ``{Tensor: value}`` for the
    fetches and every output of the ops that ran, and those ops (variable ops left out)."""
    feeds = list(known)
    first = compile_plan(list(elements), feeds, done=done)
    if first.missing_feeds:
        raise unfed_error(*first.missing_feeds[0])
    if first.has_control_flow or any(step.op.type in _LOOP_OPS for step in first.steps):
        raise NotImplementedError(
            "Session.partial_run of a subgraph with tf.cond or tf.while_loop ops is not "
            "supported; use one Session.run with all fetches."
        )
    wanted = list(elements)
    ran = [step.op for step in first.steps if not _names_variable(step.op)]
    for op in ran:
        wanted.extend(t for t in op.outputs if t not in wanted and t not in known)
    plan = compile_plan(wanted, feeds, done=done) if len(wanted) > len(elements) else first
    ctx = RunContext(session)
    try:
        with silenced(), workspace.using(ctx):
            results = run_plan(plan, ctx, [known[t] for t in feeds])
        ctx.commit()
    except BaseException:
        ctx.abandon()
        raise
    out = {}
    for t, value in zip(wanted, results, strict=True):
        if not isinstance(t, Tensor):  # a declared op run
            continue
        if isinstance(value, np.ndarray) and value.flags.writeable:
            value = value.view()
            value.flags.writeable = False
        out[t] = value
    return out, ran


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) and value.ndim else value
