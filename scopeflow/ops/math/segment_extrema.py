"""``tf.unsorted_segment_max``, ``unsorted_segment_min`` and ``unsorted_segment_prod``
(``UnsortedSegmentMax``/``Min``/``Prod``: the extrema and products of the rows of ``data``
sharing a segment id; a segment no id names holds the dtype's lowest value, highest value or
1, as in TF; negative ids are dropped) with TF's gradients, and ``tf.bincount``
(``DenseBincount``, built as TF 2's ``tf.compat.v1.bincount`` builds it)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import check_segment_ids_shape
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, gather_drop_negatives, unsorted_segment_sum
from scopeflow.ops.array.shape import ones_like, size, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    NUMBERS,
    REALS,
    apply_op,
    check_dtype_in,
    constant_value,
    int_operand,
)
from scopeflow.ops.math import division as division_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops

TensorShape = tensor_shape.TensorShape


def _segment_infer(op_type: str, allowed):
    def infer(inputs, attrs):
        data, ids, num_t = inputs
        check_dtype_in(op_type, "data", data, allowed)
        check_dtype_in(op_type, "segment_ids", ids, INDEX)
        check_dtype_in(op_type, "num_segments", num_t, INDEX)
        if num_t.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {num_t.shape.ndims}")
        dtype = data.dtype.base_dtype
        num = constant_value(num_t)
        if data.shape.ndims is None or ids.shape.ndims is None:
            return [(dtype, tensor_shape.unknown_shape())]
        k = ids.shape.ndims
        check_segment_ids_shape(data.shape, ids.shape)
        return [(dtype, TensorShape([None if num is None else int(num), *data.shape[k:]]))]

    return infer


def _segment_kernel(op_type: str, ufunc, start):
    def kernel(ctx, op, data, ids, num):
        num = int(num)
        if data.shape[: ids.ndim] != ids.shape:
            raise ValueError(
                f"data.shape = {shape_str(data.shape)} does not start with segment_ids.shape = "
                f"{shape_str(ids.shape)}"
            )
        if (ids >= num).any():
            bad = int(ids[ids >= num][0])
            raise ValueError(f"{op_type}: segment_ids = {bad} is out of range [0, {num})")
        out = np.full((num, *data.shape[ids.ndim :]), start(data.dtype), dtype=data.dtype)
        kept = ids >= 0  # negative ids are dropped, as TF does
        rows, segments = data[kept], ids[kept]
        if ufunc is np.multiply or rows.dtype.kind != "f" or not np.isnan(rows).any():
            ufunc.at(out, segments, rows)
            return out
        return _extremum_after_nan(ufunc, out, rows, segments)

    return kernel


def _extremum_after_nan(ufunc, out, rows, segments):
    """TF's running extremum keeps a row unless it loses to the value so far, so a NaN holds
    until a number follows it: a segment's result comes from the rows after its last NaN,
    NaN when none follows (as TF 2.21, and its sorted segment_max)."""
    order = np.arange(len(rows)).reshape(-1, *[1] * (rows.ndim - 1))
    last_nan = np.full(out.shape, -1)
    np.maximum.at(last_nan, segments, np.where(np.isnan(rows), order, -1))
    after = order > last_nan[segments]
    ufunc.at(out, segments, np.where(after, rows, out[segments]))
    followed = np.zeros(out.shape, bool)
    np.logical_or.at(followed, segments, after)
    return np.where((last_nan >= 0) & ~followed, np.asarray(np.nan, out.dtype), out)


def _lowest(dtype):
    return dtypes.as_dtype(dtype).min  # bfloat16's too


def _highest(dtype):
    return dtypes.as_dtype(dtype).max


def _segment_extremum_grad(op, grad):
    """The gradient shared among the rows equal to their segment's extremum."""
    gathered, zero_clipped, is_positive = gather_drop_negatives(op.outputs[0], op.inputs[1])
    is_selected = math_ops.equal(op.inputs[0], gathered)
    is_selected = math_ops.logical_and(is_selected, is_positive)
    num_selected = unsorted_segment_sum(cast(is_selected, grad.dtype), op.inputs[1], op.inputs[2])
    weighted = division_ops.divide(grad, num_selected)
    gathered_grads, _, _ = gather_drop_negatives(weighted, None, zero_clipped, is_positive)
    return [build.where_v2(is_selected, gathered_grads, zeros_like(gathered_grads)), None, None]


def _segment_prod_grad(op, grad):
    """The product of the other rows of the segment (exact with one zero among them)."""
    data, ids, num = op.inputs
    is_zero = math_ops.equal(data, 0)
    num_zeros = unsorted_segment_sum(cast(is_zero, dtypes.int32), ids, num)
    grad = build.where_v2(math_ops.greater(num_zeros, 1), zeros_like(grad), grad)
    non_zero_data = build.where_v2(is_zero, ones_like(data), data)
    non_zero_prod = apply_op("UnsortedSegmentProd", [non_zero_data, ids, num])
    zero_clipped = math_ops.maximum(ids, zeros_like(ids))
    gathered_prod = gather(op.outputs[0], zero_clipped)
    gathered_non_zero_prod = gather(non_zero_prod, zero_clipped)
    prod_divided_by_el = gathered_prod / data
    partial = build.where_v2(is_zero, gathered_non_zero_prod, prod_divided_by_el)
    gathered_grad = gather_drop_negatives(grad, ids, zero_clipped)[0]
    return [gathered_grad * partial, None, None]


_KINDS = {
    "UnsortedSegmentMax": (REALS, np.maximum, _lowest, _segment_extremum_grad),
    "UnsortedSegmentMin": (REALS, np.minimum, _highest, _segment_extremum_grad),
    "UnsortedSegmentProd": (NUMBERS, np.multiply, lambda dtype: 1, _segment_prod_grad),
}
for _type, (_allowed, _ufunc, _start, _grad) in _KINDS.items():
    register_op(
        _type,
        _segment_infer(_type, _allowed),
        kernel=_segment_kernel(_type, _ufunc, _start),
        grad=_grad,
    )


def _segment_op(op_type: str, data, segment_ids, num_segments, name):
    with name_scope(name, op_type, [data, segment_ids, num_segments]) as scope:
        data = convert_to_tensor(data, name="data")
        ids = int_operand(segment_ids, "segment_ids")
        num = int_operand(num_segments, "num_segments")
        return apply_op(op_type, [data, ids, num], name=scope)


@undo.atomic
def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """``out[i] = max of data[j...]`` over the ``j...`` where ``segment_ids[j...] == i``; the
    dtype's lowest value for a segment no id names.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.unsorted_segment_max([1.0, 5.0, 3.0], [1, 0, 1], 2)))
    [5. 3.]
    """
    return _segment_op("UnsortedSegmentMax", data, segment_ids, num_segments, name)


@undo.atomic
def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """``out[i] = min of data[j...]`` over the ``j...`` where ``segment_ids[j...] == i``; the
    dtype's highest value for a segment no id names.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.unsorted_segment_min([1.0, 5.0, 3.0], [1, 0, 1], 2)))
    [5. 1.]
    """
    return _segment_op("UnsortedSegmentMin", data, segment_ids, num_segments, name)


@undo.atomic
def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """``out[i] = product of data[j...]`` over the ``j...`` where ``segment_ids[j...] == i``;
    1 for a segment no id names.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.unsorted_segment_prod([2.0, 5.0, 3.0], [1, 0, 1], 3)))
    [5. 6. 1.]
    """
    return _segment_op("UnsortedSegmentProd", data, segment_ids, num_segments, name)


# -- bincount -------------------------------------------------------------------------------


def _bincount_infer(inputs, attrs):
    arr, size_t, weights = inputs
    check_dtype_in("DenseBincount", "input", arr, INDEX)
    check_dtype_in("DenseBincount", "size", size_t, INDEX)
    if size_t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {size_t.shape.ndims}")
    n = constant_value(size_t)
    dims = [None if n is None else int(n)]
    return [(weights.dtype.base_dtype, TensorShape(dims))]


def _bincount_kernel(ctx, op, arr, size_value, weights):
    n = int(size_value)
    if n < 0:
        raise ValueError(f"DenseBincount: size ({n}) must be non-negative")
    if arr.size and arr.min() < 0:
        raise ValueError("Input arr must be non-negative!")
    if weights.size and weights.shape != arr.shape:
        raise ValueError(
            "`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which case it "
            f"acts as all weights equal to 1. Received {shape_str(weights.shape)}"
        )
    kept = arr < n  # values past the last bin are not counted, as in TF
    counts = weights if weights.size else np.ones_like(arr, weights.dtype)
    out = np.zeros(n, weights.dtype)
    np.add.at(out, arr[kept], counts[kept])
    return out


register_op("DenseBincount", _bincount_infer, kernel=_bincount_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32):
    """How often each value ``0..max(arr)`` occurs in the non-negative ints ``arr`` (or the sum
    of their ``weights``), with at least ``minlength`` and at most ``maxlength`` bins; one
    ``DenseBincount`` op with TF's length arithmetic before it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.bincount([1, 1, 3])))
    [0 2 0 1]
    """
    with name_scope("bincount"):
        arr = convert_to_tensor(arr, name="arr")
        if weights is not None:
            weights = convert_to_tensor(weights, name="weights")
        if not arr.dtype.is_integer:
            arr = cast(arr, dtypes.int32)
        index = arr.dtype.base_dtype
        array_is_nonempty = math_ops.greater(size(arr), 0)
        output_size = cast(array_is_nonempty, index) * (reduction_ops.reduce_max(arr) + 1)
        if minlength is not None:
            minlength = convert_to_tensor(minlength, name="minlength", dtype=index)
            output_size = math_ops.maximum(minlength, output_size)
        if maxlength is not None:
            maxlength = convert_to_tensor(maxlength, name="maxlength", dtype=index)
            output_size = math_ops.minimum(maxlength, output_size)
        if weights is not None:
            weights = reshape(weights, [-1])
        arr = reshape(arr, [-1])
        if weights is None:
            weights = convert_to_tensor([], dtype=dtype)
        attrs = {"T": weights.dtype.base_dtype, "Tidx": index, "binary_output": False}
        return apply_op("DenseBincount", [arr, output_size, weights], attrs)


__all__ = [
    "bincount",
    "unsorted_segment_max",
    "unsorted_segment_min",
    "unsorted_segment_prod",
]
