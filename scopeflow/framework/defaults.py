"""The thread-local default graph and default session stacks."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any


class _Stack(threading.local):
    def __init__(self):
        self.items: list[Any] = []
        self.base: Any = None  # the graph stack's bottom: this thread's own default graph


_graph_stack = _Stack()
_session_stack = _Stack()


_graph_class: list = []  # [Graph], registered by graph.py when it is imported


def register_graph_class(cls) -> None:
    """Called once by ``graph.py``: the class of the default graphs made here (this module
    sits below the graph module and does not import it)."""
    _graph_class[:] = [cls]


def _new_graph():
    return _graph_class[0]()


def get_default_graph():
    """The innermost graph made default by ``Graph.as_default()`` in this thread, else this
    thread's own default graph.

    As in TF1, the default graph is a property of the thread: a new thread starts with a new
    default graph of its own, not the graph another thread is building (enter
    ``graph.as_default()`` in the thread to build into that one).
    """
    stack = _graph_stack
    if stack.items:
        return stack.items[-1]
    if stack.base is None:
        stack.base = _new_graph()
    return stack.base


def reset_default_graph() -> None:
    """Replaces this thread's default graph with a new empty one.

    Raises:
        AssertionError: inside a ``with graph.as_default():`` block, as in TF1.
    """
    if _graph_stack.items:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    _graph_stack.base = _new_graph()


def clear_graph_stack() -> None:
    """Forgets the graphs entered with ``as_default()`` in this thread (``tf.test.TestCase``'s
    ``setUp`` starts from none, as TF1's resets its stack); the blocks that entered them then
    exit quietly."""
    _graph_stack.items.clear()


@contextlib.contextmanager
def _pushed(stack: _Stack, item: Any, kind: str) -> Iterator[Any]:
    stack.items.append(item)
    try:
        yield item
    finally:
        if stack.items:  # empty: cleared by clear_graph_stack inside the block
            if stack.items[-1] is not item:
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
    """Runs ``fetch`` (a Tensor, Operation or SparseTensor) for ``eval``/``Operation.run``."""
    explicit = session is not None
    if session is None:
        session = get_default_session()
        if session is None:
            # TF1's wording, colon and all: only the ``run()`` message has one.
            call, colon = ("eval", "") if "eval" in what else ("run", ":")
            raise ValueError(
                f"Cannot {what}: No default session is registered. Use `with "
                f"sess.as_default(){colon}` or pass an explicit session to `{call}(session=sess)`"
            )
    if session.graph is not fetch.graph:  # TF 2.21's words
        action, _, _ = what.partition(" using")
        noun = action.split()[-1]
        advice = ""
        if not explicit:
            call = "`eval(session=sess)`" if noun == "tensor" else "run(session=sess)"
            advice = f" Pass an explicit session to {call}."
        raise ValueError(
            f"Cannot use the {'given' if explicit else 'default'} session to {action}: the "
            f"{noun}'s graph is different from the session's graph.{advice}"
        )
    return session.run(fetch, feed_dict)


def install_default(graph, session) -> None:
    """Makes ``graph`` (unless None) and ``session`` the defaults of this thread without a
    ``with`` block (``InteractiveSession``); :func:`uninstall_default` removes them wherever
    they are."""
    if graph is not None:
        _graph_stack.items.append(graph)
    _session_stack.items.append(session)


def uninstall_default(graph, session) -> None:
    for stack, item in ((_session_stack, session), (_graph_stack, graph)):
        items = stack.items
        for i in range(len(items) - 1, -1, -1):
            if items[i] is item:
                del items[i]
                break
