"""Grouping and ordering ops: ``tf.no_op``, ``tf.group``, ``tf.tuple``."""

from __future__ import annotations

import builtins

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, device, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity


def _no_op_kernel(ctx, op):
    return ()


register_op("NoOp", lambda inputs, attrs: [], kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE)
# TF1's gradient loops synchronize their stack pops on one (imported graphs have it); it runs
# like a NoOp.
register_op(
    "ControlTrigger", lambda inputs, attrs: [], kernel=_no_op_kernel, grad=NOT_DIFFERENTIABLE
)


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
        if isinstance(item, (list, builtins.tuple)):
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
        by_device: dict[str, list] = {}
        for op in ops:
            by_device.setdefault(op.device, []).append(op)
        if len(by_device) > 1:  # TF1: a NoOp per device (in the devices' order), then one
            ops = []
            for dev in sorted(by_device):
                with graph.control_dependencies(by_device[dev]), device(dev):
                    ops.append(graph.create_op("NoOp", [], name="NoOp"))
            with graph.control_dependencies(ops):
                return graph.create_op("NoOp", [], name=scope)
        with graph.control_dependencies(ops), device(next(iter(by_device), "")):
            return graph.create_op("NoOp", [], name=scope)


def with_dependencies(dependencies, output_tensor, name=None):
    """``output_tensor`` through an ``Identity`` (``control_dependency``) that runs only after
    ``dependencies``, as TF1's ``control_flow_ops.with_dependencies``; an ``IndexedSlices``
    has its values passed through."""
    with name_scope(name, "control_dependency", [*dependencies, output_tensor]) as scope:
        with get_default_graph().colocate_with(output_tensor), control_dependencies(dependencies):
            if isinstance(output_tensor, IndexedSlices):
                values = identity(output_tensor.values, name=scope)
                return IndexedSlices(values, output_tensor.indices, output_tensor.dense_shape)
            return identity(output_tensor, name=scope)


def _gating_op(c) -> Operation:
    if isinstance(c, Tensor):
        return c.op
    if not isinstance(c, Operation):
        raise TypeError(
            f"'control_inputs' must only contain Operation or Tensor. Received: {type(c)}"
        )
    return c


@undo.atomic
def tuple(tensors, name=None, control_inputs=None) -> list:  # noqa: A001 - TF1's public name
    """``tensors`` (tensors, ``IndexedSlices``, ops or ``None``), each available only once
    all of them and the ``control_inputs`` have run: a ``group_deps`` op, and an ``Identity``
    per tensor (of its values for an ``IndexedSlices``; a ``group`` per op) that waits on it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(0.0)
    ...     (b,) = tf.tuple([tf.constant(1.0)], control_inputs=[tf.assign_add(v, 1.0)])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(b.name, sess.run(b), sess.run(b), sess.run(v))
    tuple/control_dependency:0 1.0 1.0 2.0
    """
    with name_scope(name, "tuple", tensors):
        tensors = [
            t
            if isinstance(t, (Operation, Tensor, IndexedSlices)) or t is None
            else convert_to_tensor(t)
            for t in tensors
        ]
        gating = [t if isinstance(t, Operation) else t.op for t in tensors if t is not None]
        gating += [_gating_op(c) for c in control_inputs or ()]
        gating = sorted(set(gating), key=lambda op: op._id)
        if not gating:
            raise ValueError(f"'tensors' must have at least one Tensor. Received: {tensors}.")
        gate = group(*gating)
        out = []
        for t in tensors:
            if isinstance(t, (Tensor, IndexedSlices)):
                out.append(with_dependencies([gate], t))
            elif isinstance(t, Operation):
                with control_dependencies([gate]):
                    out.append(group(t))
            else:
                out.append(None)
        return out


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "group",
    "no_op",
    "tuple",
]
