"""One-op builders: each function adds one op of a registered type (with the constants it
needs) under TF1's names, and nothing else.

Gradient rules build their ops with these instead of calling another family's public
wrapper, so an op family never imports one above it (``array/`` computes a ``Fill``
gradient with :func:`reduce_sum` without importing ``math/``). The public wrappers of the
same ops call these too, so each op's naming is written once. Op types are looked up in the
registry when an op is made, so the family registering one may sit anywhere above.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import apply_op, int_operand


def binary(op_type: str, x, y, name=None, default_name: str | None = None):
    """A broadcasting binary op: ``x`` converted first, ``y`` to ``x``'s dtype when it is a
    Python value (``Maximum``, ``Add``...)."""
    with name_scope(name, default_name or op_type, [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        return apply_op(op_type, [x, y], name=scope)


def maximum(x, y, name=None):
    return binary("Maximum", x, y, name)


def select(op_type: str, condition, x, y, name=None):
    """``Select`` or ``SelectV2``: elements of ``x`` where ``condition`` holds, else of ``y``."""
    with name_scope(name, op_type, [condition, x, y]) as scope:
        condition = convert_to_tensor(condition, dtype_hint=dtypes.bool, name="condition")
        t = convert_to_tensor(x, name="t")
        e = convert_to_tensor(y, dtype_hint=t.dtype.base_dtype, name="e")
        return apply_op(op_type, [condition, t, e], name=scope)


def where_v2(condition, x, y, name=None):
    return select("SelectV2", condition, x, y, name)


def reduction(op_type: str, default_name: str, input_tensor, axis, keepdims: bool, name=None):
    """A reduction (``Sum``, ``Max``...) of ``input_tensor`` over ``axis``: its axes are
    ``<op>/reduction_indices`` when given; for ``axis=None``, all axes, made in the caller's
    scope (see :func:`all_axes`)."""
    if axis is None:
        input_tensor, axes = all_axes(input_tensor)
    with name_scope(name, default_name, [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor, name="input")
        axes_t = axes if axis is None else int_operand(axis, "reduction_indices")
        result = apply_op(op_type, [x, axes_t], {"keep_dims": keepdims}, name=scope)
    if axis is None and not keepdims:
        result.set_shape([])  # a full reduction is a scalar even when the rank is unknown
    return result


def reduce_sum(x, axis=None, keepdims: bool = False, name=None):
    return reduction("Sum", "Sum", x, axis, keepdims, name)


def reduce_prod(x, axis=None, keepdims: bool = False, name=None):
    return reduction("Prod", "Prod", x, axis, keepdims, name)


def all_axes(value) -> tuple:
    """``(value, axes)`` for a full reduction of ``value``: the axes are a ``Const`` of
    ``range(rank)`` or, when the rank is unknown or 0, ``Rank`` and ``range`` ops. A Python value
    is returned as it is (its rank needs no ops; TF1 converts it twice), anything holding
    tensors as a tensor."""
    if not _has_tensor(value):
        return value, constant(np.arange(np.ndim(value), dtype=np.int32))
    if getattr(value, "_is_resource", False) and value.shape.ndims:  # read in the op's scope
        return value, constant(np.arange(value.shape.ndims, dtype=np.int32))
    x = convert_to_tensor(value)
    rank = x.shape.ndims
    if rank:
        return x, constant(np.arange(rank, dtype=np.int32))
    # A scalar's axes are a range too, as in TF (its rank, 0, is a Const named Rank).
    if rank == 0:
        rank_t = constant(0, dtype=dtypes.int32, name="Rank")
    else:
        rank_t = apply_op("Rank", [x], name="Rank")
    return x, range_of(0, rank_t, 1)


def _has_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_has_tensor(v) for v in value)
    return isinstance(value, Tensor) or hasattr(value, "_as_graph_element")


def range_of(start, limit, delta, name="range"):
    """A ``Range`` whose arguments share one dtype (Python ints take the tensors' dtype, or
    int32); ``tf.range`` adds TF1's dtype promotion on top."""
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        tensors = [v for v in (start, limit, delta) if isinstance(v, Tensor)]
        dtype = tensors[0].dtype.base_dtype if tensors else dtypes.int32
        args = [
            v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype, name=arg)
            for arg, v in (("start", start), ("limit", limit), ("delta", delta))
        ]
        return apply_op("Range", args, {"Tidx": dtype}, name=scope)


def scan(op_type: str, x, axis, exclusive: bool, reverse: bool, name=None):
    """``Cumsum`` or ``Cumprod`` of ``x`` along ``axis``."""
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="x")
        axis = int_operand(axis, "axis")
        attrs = {"exclusive": bool(exclusive), "reverse": bool(reverse)}
        return apply_op(op_type, [x, axis], attrs, name=scope)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF1's op name
    """``Slice``: the part of ``input_`` starting at ``begin`` with extent ``size``."""
    with name_scope(name, "Slice", [input_, begin, size]) as scope:
        x = convert_to_tensor(input_, name="input")
        begin = int_operand(begin, "begin")
        if not isinstance(size, Tensor):  # as TF: a Python or NumPy size takes begin's dtype
            size = convert_to_tensor(size, dtype=begin.dtype.base_dtype, name="size")
        return apply_op("Slice", [x, begin, size], {"Index": begin.dtype.base_dtype}, name=scope)


def unstack(x, num: int, axis: int, name="unstack") -> list:
    """``Unpack``: the ``num`` tensors along ``axis`` of the tensor ``x``."""
    with name_scope(name, "unstack", [x]) as scope:
        x = convert_to_tensor(x, name="value")
        outputs = apply_op("Unpack", [x], {"num": int(num), "axis": int(axis)}, name=scope)
        return list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]


def l2_loss(t, name=None):
    """``L2Loss``: ``sum(t ** 2) / 2``."""
    with name_scope(name, "L2Loss", [t]) as scope:
        return apply_op("L2Loss", [convert_to_tensor(t, name="t")], name=scope)


def waits_for_grad(grad_fn):
    """``grad_fn(op, grad)`` with the ops it makes waiting for ``grad`` (a control
    dependency where no input already does), as TF writes the gradients of element-wise
    functions of ``x`` (``Sin``, ``Log``, ``Square``...): ``f'(x)`` is not computed early."""

    def waiting(op, grad):
        with op.graph.control_dependencies([grad]):
            return grad_fn(op, grad)

    return waiting
