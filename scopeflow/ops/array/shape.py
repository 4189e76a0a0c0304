"""Ops about a tensor's shape: ``size``, ``rank``, ``squeeze``, ``expand_dims``, and
``zeros_like`` / ``ones_like``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import ones, reshape, shape, zeros
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    constant_value,
    int_operand,
    same_as_first,
)

TensorShape = tensor_shape.TensorShape


def _index_type(out_type) -> dtypes.DType:
    out_type = dtypes.as_dtype(out_type).base_dtype
    if out_type not in INDEX:
        raise TypeError(
            f"Value passed to parameter 'out_type' has DataType {out_type.name} not in list of "
            "allowed values: int32, int64"
        )
    return out_type


# -- size and rank ------------------------------------------------------------------------


def _size_infer(inputs, attrs):
    return [(attrs["out_type"], TensorShape([]))]


def _size_kernel(ctx, op, x):
    return ctx.xp.asarray(ctx.xp.size(x), dtype=op._attrs["out_type"].as_numpy_dtype)


register_op("Size", _size_infer, kernel=_size_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def size(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF1's argument name
    """The number of elements of ``input``: a ``Const`` when known while building, as TF1
    folds it, else a ``Size`` op.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     n = tf.size(tf.placeholder(tf.float32, (None, 3)))
    >>> n.op.type, n.dtype.name
    ('Size', 'int32')
    """
    out_type = _index_type(out_type)
    with name_scope(name, "Size", [input]) as scope:
        x = convert_to_tensor(input)
        known = x.shape.num_elements()
        if known is None and x.shape.ndims and 0 in x.shape.as_list():
            known = 0
        if known is not None:
            return constant(known, dtype=out_type, name=scope)
        return apply_op("Size", [x], {"out_type": out_type}, name=scope)


def _rank_infer(inputs, attrs):
    return [(dtypes.int32, TensorShape([]))]


def _rank_kernel(ctx, op, x):
    return ctx.xp.asarray(ctx.xp.ndim(x), dtype=ctx.xp.int32)


register_op("Rank", _rank_infer, kernel=_rank_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def rank(input, name=None):  # noqa: A002
    """The number of dimensions of ``input`` (int32): a ``Const`` when known while building."""
    with name_scope(name, "Rank", [input]) as scope:
        x = convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return apply_op("Rank", [x], name=scope)


# -- squeeze ------------------------------------------------------------------------------


def _squeeze_infer(inputs, attrs):
    x = inputs[0]
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    axes = _squeezed_axes(dims, attrs["squeeze_dims"])
    if not attrs["squeeze_dims"] and None in dims:
        # Which unknown dimensions are 1 is only known at run time.
        return [(dtype, tensor_shape.unknown_shape())]
    return [(dtype, TensorShape([d for i, d in enumerate(dims) if i not in axes]))]


def _squeezed_axes(dims: list, squeeze_dims: list[int]) -> set[int]:
    """The axes a squeeze removes (all size-1 axes when ``squeeze_dims`` is empty)."""
    rank = len(dims)
    if not squeeze_dims:
        return {i for i, d in enumerate(dims) if d == 1}
    axes = set()
    for k, axis in enumerate(squeeze_dims):
        if not -rank <= axis < rank:
            raise ValueError(f"squeeze_dims[{k}] not in [{-rank},{rank}).")
        axis %= rank
        if dims[axis] is not None and dims[axis] != 1:
            raise ValueError(
                f"Can not squeeze dim[{axis}], expected a dimension of 1, got {dims[axis]}"
            )
        axes.add(axis)
    return axes


def _squeeze_kernel(ctx, op, x):
    axes = _squeezed_axes(list(ctx.xp.shape(x)), op._attrs["squeeze_dims"])
    return ctx.xp.squeeze(x, axis=tuple(sorted(axes)))


def _reshape_to_input_grad(op, grad):
    """The gradient of an op that only reshapes its first input (the rest are int)."""
    return [reshape(grad, shape(op.inputs[0])), *[None] * (len(op.inputs) - 1)]


register_op("Squeeze", _squeeze_infer, kernel=_squeeze_kernel, grad=_reshape_to_input_grad)


@undo.atomic
def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """``input`` without its size-1 dimensions (only those in ``axis`` when given).

    ``squeeze_dims`` is TF1's older name for ``axis``.
    """
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'.")
        axis = squeeze_dims
    if axis is None:
        axis = []
    elif np.isscalar(axis):
        axis = [axis]
    axis = [int(a) for a in axis]
    with name_scope(name, "Squeeze", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("Squeeze", [x], {"squeeze_dims": axis}, name=scope)


# -- expand_dims --------------------------------------------------------------------------


def _expand_dims_infer(inputs, attrs):
    x, dim_t = inputs
    check_dtype_in("ExpandDims", "dim", dim_t, INDEX)
    dtype = x.dtype.base_dtype
    if dim_t.shape.num_elements() not in (None, 1):
        raise ValueError(
            f"'dim' input must be a tensor with a single value, got shape {dim_t.shape}"
        )
    rank = x.shape.ndims
    axis = constant_value(dim_t)
    if rank is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(rank + 1))]
    axis = int(np.reshape(axis, ()))
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"dim {axis} not in the interval [{-rank - 1}, {rank}].")
    dims = x.shape.as_list()
    dims.insert(axis % (rank + 1), 1)
    return [(dtype, TensorShape(dims))]


def _expand_dims_kernel(ctx, op, x, dim):
    rank = ctx.xp.ndim(x)
    if ctx.xp.size(dim) != 1:
        raise ValueError(
            f"'dim' input must be a tensor with a single value, got shape {list(dim.shape)}"
        )
    axis = int(dim.reshape(()))
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {rank} dimensions.")
    return ctx.xp.expand_dims(x, axis)


register_op(
    "ExpandDims", _expand_dims_infer, kernel=_expand_dims_kernel, grad=_reshape_to_input_grad
)


@undo.atomic
def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """``input`` with a size-1 dimension inserted at ``axis`` (``dim`` is TF1's older name).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.expand_dims(tf.placeholder(tf.float32, (2, 3)), -1)
    >>> y.shape.as_list()
    [2, 3, 1]
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'dim' and 'axis'.")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    with name_scope(name, "ExpandDims", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        axis = int_operand(axis, "dim")
        return apply_op("ExpandDims", [x, axis], name=scope)


# -- zeros_like and ones_like -------------------------------------------------------------


def _zero_of(dtype):
    return b"" if dtype.kind == "O" else dtype.type(0)


def _zeros_like_kernel(ctx, op, x):
    return ctx.xp.full(ctx.xp.shape(x), _zero_of(x.dtype), dtype=x.dtype)


register_op("ZerosLike", same_as_first, kernel=_zeros_like_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros of ``tensor``'s shape, and of its dtype unless ``dtype`` is given.

    As in TF1: a ``Const`` (or ``Fill``) when the shape is known while building, a
    ``ZerosLike`` op when it is not, and ``Shape`` + ``Fill`` when the dtype changes.
    """
    with name_scope(name, "zeros_like", [tensor]) as scope:
        x = tensor
        if not isinstance(x, IndexedSlices):  # made dense only when its shape is not known, as TF
            x = convert_to_tensor(x, name="tensor")
        dtype = x.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        if optimize and x.shape.is_fully_defined():
            return zeros(x.shape, dtype=dtype, name=scope)
        x = convert_to_tensor(x, name="x")
        if dtype != x.dtype.base_dtype:
            return zeros(shape(x, name="Shape"), dtype=dtype, name=scope)
        return apply_op("ZerosLike", [x], name=scope)


@undo.atomic
def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones of ``tensor``'s shape, and of its dtype unless ``dtype`` is given (a ``Fill`` of
    the shape, as TF1 builds it)."""
    with name_scope(name, "ones_like", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        dtype = x.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        if optimize and x.shape.is_fully_defined():
            with name_scope("Shape"):
                dims = constant(x.shape.as_list(), dtype=dtypes.int32, name="shape_as_tensor")
        else:
            dims = shape(x, name="Shape")
        result = ones(dims, dtype=dtype, name=scope)
        result.set_shape(x.shape)
        return result


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "expand_dims",
    "ones_like",
    "rank",
    "size",
    "squeeze",
    "zeros_like",
]
