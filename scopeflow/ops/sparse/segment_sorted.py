"""The sorted segment reductions beside ``SegmentSum`` and ``SegmentMean``: ``SegmentMax``,
``SegmentMin`` and ``SegmentProd`` (``tf.math.segment_max``...): ``out[i]`` reduces the rows
``data[j]`` with ``segment_ids[j] == i`` (ids sorted, one per row of ``data``; ``out`` has
``segment_ids[-1] + 1`` rows). A segment no row names holds 0 (max, min) or 1 (product), as
TF's kernels give; TF's gradients (``math_grad.py``).

As TF's kernel folds a segment with ``acc = x < acc ? acc : x`` (max; min alike), a max or
min is ``nan`` where the segment's last row is ``nan``, else that of the rows after its last
``nan``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, int_operand
from scopeflow.ops.math.elementwise import equal, greater
from scopeflow.ops.sparse.segment import _check_sorted, segment_sum
from scopeflow.ops.sparse.tensor import with_rank

TensorShape = tensor_shape.TensorShape
_d = dtypes
# TF's order of the allowed types, as its errors list them.
_ORDERED = (_d.float32, _d.float64, _d.int32, _d.uint8, _d.int16, _d.int8, _d.int64,
            _d.bfloat16, _d.uint16, _d.float16, _d.uint32, _d.uint64)  # fmt: skip
_NUMBERS = (*_ORDERED[:6], _d.complex64, _d.int64, _d.bfloat16, _d.uint16, _d.complex128,
            _d.float16, _d.uint32, _d.uint64)  # fmt: skip


def _segment_infer(op_type: str, allowed):
    def infer(inputs, attrs):
        data, ids = inputs
        check_dtype_in(op_type, "data", data, allowed)
        check_dtype_in(op_type, "segment_ids", ids, INDEX)
        with_rank(ids, 1)
        if data.shape.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0")
        if data.shape.ndims is None:
            return [(data.dtype.base_dtype, tensor_shape.unknown_shape())]
        return [(data.dtype.base_dtype, TensorShape([None]).concatenate(data.shape[1:]))]

    return infer


def _after_last_nan(work, starts, positions):
    """``work`` with ``nan`` wherever a later row of the same segment is ``nan``: TF's kernel
    folds each segment as ``acc = x < acc ? acc : x`` (max), so a ``nan`` row wins over what
    came before it and loses to any number after it."""
    rows = np.arange(len(work)).reshape(-1, *[1] * (work.ndim - 1))
    last_nan = np.maximum.reduceat(np.where(np.isnan(work), rows, -1), starts, axis=0)
    return np.where(rows > last_nan[positions], work, np.nan)


def _segment_kernel(ufunc, empty):
    """Reduces each run of equal ids with ``ufunc.reduceat`` (``np.fmax``/``np.fmin`` over
    the rows after a segment's last ``nan``); ``empty`` fills segments no row names."""

    def kernel(ctx, op, data, ids):
        if data.ndim == 0 or len(ids) != data.shape[0]:
            raise ValueError("segment_ids should be the same size as dimension 0 of input.")
        count = int(ids[-1]) + 1 if len(ids) else 0
        _check_sorted(ids, count)
        out = np.full((count, *data.shape[1:]), empty, dtype=data.dtype)
        if not len(ids):
            return out
        new_segment = np.concatenate([[True], ids[1:] != ids[:-1]])
        starts = np.flatnonzero(new_segment)
        work = data.astype(np.float32) if data.dtype.name == "bfloat16" else data
        if ufunc is not np.multiply and work.dtype.kind == "f":
            work = _after_last_nan(work, starts, np.cumsum(new_segment) - 1)
        with np.errstate(all="ignore"):
            out[ids[starts]] = ufunc.reduceat(work, starts, axis=0)
        return out

    return kernel


def _segment_min_or_max_grad(op, grad):
    """TF's: the gradient of each segment shared evenly among the rows equal to its
    extremum."""
    data, ids = op.inputs
    zeros = zeros_like(data, dtype=data.dtype)
    gathered_outputs = gather(op.outputs[0], ids)
    is_selected = equal(data, gathered_outputs)
    num_selected = segment_sum(cast(is_selected, grad.dtype), ids)
    weighted_grads = grad / num_selected
    gathered_grads = gather(weighted_grads, ids)
    return [build.where_v2(is_selected, gathered_grads, zeros), None]


def _segment_prod_grad(op, grad):
    """TF's: the product of the other rows of the segment, from the product over its nonzero
    rows (0 for every row of a segment with two zeros or more)."""
    data, ids = op.inputs
    is_zero = equal(data, 0)
    num_zeros = segment_sum(cast(is_zero, dtype=dtypes.int32), ids)
    grad = build.where_v2(greater(num_zeros, 1), zeros_like(grad), grad)
    non_zero_data = build.where_v2(is_zero, ones_like(data), data)
    non_zero_prod = segment_prod(non_zero_data, ids)
    gathered_prod = gather(op.outputs[0], ids)
    gathered_non_zero_prod = gather(non_zero_prod, ids)
    prod_divided_by_el = gathered_prod / non_zero_data
    partial_derivative = build.where_v2(is_zero, gathered_non_zero_prod, prod_divided_by_el)
    gathered_grad = gather(grad, ids)
    return [gathered_grad * partial_derivative, None]


for _type, _allowed, _ufunc, _empty, _grad in (
    ("SegmentMax", _ORDERED, np.fmax, 0, _segment_min_or_max_grad),
    ("SegmentMin", _ORDERED, np.fmin, 0, _segment_min_or_max_grad),
    ("SegmentProd", _NUMBERS, np.multiply, 1, _segment_prod_grad),
):
    register_op(
        _type, _segment_infer(_type, _allowed), kernel=_segment_kernel(_ufunc, _empty), grad=_grad
    )


def _segment(op_type: str, data, segment_ids, name):
    with name_scope(name, op_type, [data, segment_ids]) as scope:
        data = convert_to_tensor(data, name="data")
        ids = int_operand(segment_ids, "segment_ids")
        return apply_op(op_type, [data, ids], name=scope)


@undo.atomic
def segment_max(data, segment_ids, name=None):
    """``out[i]`` = the largest of the rows ``data[j]`` with ``segment_ids[j] == i`` (ids
    sorted; 0 for an id no row has).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.segment_max([1.0, 3.0, 5.0], [0, 0, 2])))
    [3. 0. 5.]
    """
    return _segment("SegmentMax", data, segment_ids, name)


@undo.atomic
def segment_min(data, segment_ids, name=None):
    """``out[i]`` = the smallest of the rows ``data[j]`` with ``segment_ids[j] == i`` (ids
    sorted; 0 for an id no row has).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.segment_min([1.0, 3.0, 5.0], [0, 0, 2])))
    [1. 0. 5.]
    """
    return _segment("SegmentMin", data, segment_ids, name)


@undo.atomic
def segment_prod(data, segment_ids, name=None):
    """``out[i]`` = the product of the rows ``data[j]`` with ``segment_ids[j] == i`` (ids
    sorted; 1 for an id no row has).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.segment_prod([2.0, 3.0, 5.0], [0, 0, 2])))
    [6. 1. 5.]
    """
    return _segment("SegmentProd", data, segment_ids, name)


__all__ = ["segment_max", "segment_min", "segment_prod"]
