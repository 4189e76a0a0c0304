"""Grouping and ordering ops: ``tf.no_op``, ``tf.group``."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor


def _no_op_kernel(ctx, op):
    return ()


register_op("NoOp", lambda inputs, attrs: [], kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def no_op(name=None) -> Operation:
    """An op that does nothing; useful as a target for control dependencies."""
    graph = get_default_graph()
    return graph.create_op("NoOp", [], name=name or "NoOp")


def _as_op(x) -> Operation:
    element = x._as_graph_element() if hasattr(x, "_as_graph_element") else x
    if isinstance(element, Tensor):
        return element.op
    if isinstance(element, Operation):
        return element
    raise TypeError(f"tf.group expects ops, tensors or variables, got {type(x).__name__}: {x!r}")


def _flatten(items) -> list:
    out = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(_flatten(item))
        elif item is not None:
            out.append(item)
    return out


@undo.atomic
def group(*inputs, name=None) -> Operation:
    """An op that runs after all ``inputs`` (ops, tensors, variables, nested lists).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a, b = tf.no_op(name="a"), tf.no_op(name="b")
    ...     g = tf.group(a, b)
    >>> g.name, [op.name for op in g.control_inputs]
    ('group_deps', ['a', 'b'])
    """
    ops = [_as_op(x) for x in _flatten(inputs)]
    with name_scope(name, "group_deps", ops) as scope:
        graph = get_default_graph()
        with graph.control_dependencies(ops):
            return graph.create_op("NoOp", [], name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "group",
    "no_op",
]
