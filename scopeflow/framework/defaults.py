"""The thread-local default graph and default session stacks."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any


class _Stack(threading.local):
    def __init__(self):
        self.items: list[Any] = []


_graph_stack = _Stack()
_session_stack = _Stack()
_global_graph = None
_global_lock = threading.Lock()


def _new_graph():
    from scopeflow.framework.graph import Graph

    return Graph()


def get_default_graph():
    """The innermost graph made default by ``Graph.as_default()`` in this thread, else the
    process-wide default graph."""
    items = _graph_stack.items
    if items:
        return items[-1]
    global _global_graph
    if _global_graph is None:
        with _global_lock:
            if _global_graph is None:
                _global_graph = _new_graph()
    return _global_graph


def reset_default_graph() -> None:
    """Replaces the process-wide default graph with a new empty one.

    Raises:
        AssertionError: inside a ``with graph.as_default():`` block, as in TF1.
    """
    if _graph_stack.items:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    global _global_graph
    with _global_lock:
        _global_graph = _new_graph()


@contextlib.contextmanager
def _pushed(stack: _Stack, item: Any, kind: str) -> Iterator[Any]:
    stack.items.append(item)
    try:
        yield item
    finally:
        if not stack.items or stack.items[-1] is not item:
            raise AssertionError(f"Nesting violated for default stack of {kind} objects")
        stack.items.pop()


def push_graph(graph):
    """Context manager making ``graph`` the default graph in this thread."""
    return _pushed(_graph_stack, graph, "Graph")


def push_session(session):
    """Context manager making ``session`` the default session in this thread."""
    return _pushed(_session_stack, session, "Session")


def get_default_session():
    """The innermost session made default in this thread, or ``None``."""
    items = _session_stack.items
    return items[-1] if items else None


def run_in_session(fetch, feed_dict, session, what: str):
    """Runs ``fetch`` (a Tensor or Operation) for ``Tensor.eval``/``Operation.run``."""
    explicit = session is not None
    if session is None:
        session = get_default_session()
        if session is None:
            call = "eval" if "eval" in what else "run"
            raise ValueError(
                f"Cannot {what}: No default session is registered. Use `with "
                f"sess.as_default()` or pass an explicit session to `{call}(session=sess)`"
            )
    if session.graph is not fetch.graph:
        which = "given" if explicit else "default"
        raise ValueError(
            f"Cannot use the {which} session to {what}: '{fetch.name}' belongs to a different "
            "graph than the session's graph. Pass a session built on that graph."
        )
    return session.run(fetch, feed_dict)
