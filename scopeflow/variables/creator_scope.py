"""``tf.variable_creator_scope``: functions that see (and may change or replace) every
``tf.Variable`` made in their scope, ``tf.get_variable``'s included, as TF1 chains them."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from scopeflow.framework.defaults import get_default_graph
from scopeflow.variables.synchronization import VariableAggregation, VariableSynchronization

_local = threading.local()

# The keyword arguments TF1 passes a creator for ``tf.Variable(...)``, with their defaults.
CREATOR_ARGS = {
    "initial_value": None,
    "trainable": None,
    "collections": None,
    "validate_shape": True,
    "caching_device": None,
    "name": None,
    "variable_def": None,
    "dtype": None,
    "expected_shape": None,
    "import_scope": None,
    "constraint": None,
    "use_resource": None,
    "synchronization": VariableSynchronization.AUTO,
    "aggregation": VariableAggregation.NONE,
    "shape": None,
    "experimental_enable_variable_lifting": True,
}


def creators(graph=None) -> list[Callable]:
    """The creators in scope for ``graph`` (the default graph) in this thread, outermost
    first."""
    stacks = _local.__dict__.setdefault("stacks", {})
    return stacks.get(id(graph or get_default_graph()), [])


@contextlib.contextmanager
def variable_creator_scope(variable_creator: Callable) -> Iterator[None]:
    """Within it, each variable of the default graph is made by
    ``variable_creator(next_creator, **kwargs)``, which may change ``kwargs`` (``name``,
    ``initial_value``, ``trainable``...) before calling ``next_creator(**kwargs)`` or return
    a variable of its own; the innermost scope's creator is called first.

    >>> import scopeflow as tf
    >>> def renamed(next_creator, **kwargs):
    ...     kwargs["name"] = "my_" + kwargs["name"]
    ...     return next_creator(**kwargs)
    >>> with tf.Graph().as_default(), tf.variable_creator_scope(renamed):
    ...     print(tf.Variable(1.0, name="w").name)
    my_w:0
    """
    graph = get_default_graph()
    stacks = _local.__dict__.setdefault("stacks", {})
    stack = stacks.setdefault(id(graph), [])
    stack.append(variable_creator)
    try:
        yield
    finally:
        if not stack or stack[-1] is not variable_creator:
            raise RuntimeError("variable_creator_scope exited out of order")
        stack.pop()
        if not stack:
            stacks.pop(id(graph), None)


def create(make: Callable, kwargs: dict, chain: list[Callable]):
    """Calls the creators of ``chain`` innermost first, then ``make(**kwargs)``."""

    def next_at(index: int) -> Callable:
        if index < 0:
            return lambda **kw: make(**{k: v for k, v in kw.items() if k in make_args})
        return lambda **kw: chain[index](next_at(index - 1), **kw)

    make_args = set(CREATOR_ARGS) - {"experimental_enable_variable_lifting"}
    return next_at(len(chain) - 1)(**kwargs)
