"""Segment means: ``SegmentMean`` (``tf.math.segment_mean``, sorted ids; its gradient as
TF1's), and ``tf.math.unsorted_segment_mean``/``unsorted_segment_sqrt_n``, which TF1 builds
from two ``UnsortedSegmentSum`` ops (the sums and the row counts)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import ones, reshape, shape
from scopeflow.ops.array.gather import gather, unsorted_segment_sum
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, rank
from scopeflow.ops.core.infer import INDEX, NUMBERS, apply_op, check_dtype_in, int_operand
from scopeflow.ops.math.elementwise import maximum, sqrt
from scopeflow.ops.sparse.rows import sums_at
from scopeflow.ops.sparse.segment import _check_sorted, segment_sum
from scopeflow.ops.sparse.tensor import shaped_like_inputs, with_rank

TensorShape = tensor_shape.TensorShape


def _segment_mean_infer(inputs, attrs):
    data, ids = inputs
    check_dtype_in("SegmentMean", "data", data, NUMBERS)
    check_dtype_in("SegmentMean", "segment_ids", ids, INDEX)
    with_rank(ids, 1)  # TF's shape rule leaves the ids' length to the kernel
    if data.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if data.shape.ndims is None:
        return [(data.dtype.base_dtype, tensor_shape.unknown_shape())]
    return [(data.dtype.base_dtype, TensorShape([None]).concatenate(data.shape[1:]))]


def _segment_mean_kernel(ctx, op, data, ids):
    if data.ndim == 0 or len(ids) != data.shape[0]:
        raise ValueError("segment_ids should be the same size as dimension 0 of input.")
    count = int(ids[-1]) + 1 if len(ids) else 0
    _check_sorted(ids, count)
    sums = sums_at(ids, data, count)
    counts = np.maximum(np.bincount(ids, minlength=count), 1).reshape(-1, *[1] * (data.ndim - 1))
    if data.dtype.kind in "iu":  # C's integer division, as TF's kernel divides
        return (np.sign(sums) * (np.abs(sums) // counts)).astype(data.dtype)
    return (sums / counts).astype(data.dtype)


@shaped_like_inputs
def _segment_mean_grad(op, grad):
    """TF1's: each row gets its segment's gradient divided by the segment's row count."""
    data, ids = op.inputs
    data_rank = rank(data)
    ones_shape = concat([shape(ids), ones(expand_dims(data_rank - 1, 0), dtype=ids.dtype)], 0)
    counts = segment_sum(ones(ones_shape, dtype=grad.dtype), ids)
    return [gather(grad / counts, ids), None]


register_op(
    "SegmentMean", _segment_mean_infer, kernel=_segment_mean_kernel, grad=_segment_mean_grad
)


@undo.atomic
def segment_mean(data, segment_ids, name=None):
    """``out[i]`` = the mean of the rows ``data[j]`` with ``segment_ids[j] == i`` (ids sorted;
    0 for an id no row has).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.segment_mean([1.0, 3.0, 5.0], [0, 0, 2])))
    [2. 0. 5.]
    """
    with name_scope(name, "SegmentMean", [data, segment_ids]) as scope:
        data = convert_to_tensor(data, name="data")
        ids = int_operand(segment_ids, "segment_ids")
        return apply_op("SegmentMean", [data, ids], name=scope)


def _segment_rows(data, segment_ids, num_segments):
    """TF1's ``_unsorted_segment_N``: each segment's row count (at least 1), shaped to
    broadcast against the segment sums."""
    num_segments = convert_to_tensor(num_segments)
    counts = unsorted_segment_sum(
        ones(shape(segment_ids), dtype=data.dtype), segment_ids, num_segments
    )
    head = num_segments[None]
    trailing = ones([rank(data) - rank(segment_ids)], dtype=num_segments.dtype)
    counts = reshape(counts, concat([head, trailing], axis=0))
    return maximum(counts, 1)


def _unsorted_segment_scaled(default_name, data, segment_ids, num_segments, name, root: bool):
    with name_scope(name, default_name):
        data = convert_to_tensor(data)
        segment_ids = convert_to_tensor(segment_ids)
        counts = _segment_rows(data, segment_ids, num_segments)
        summed = unsorted_segment_sum(data, segment_ids, num_segments)
        return summed / (sqrt(counts) if root else counts)


@undo.atomic
def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """``out[i]`` = the mean of the ``data[j...]`` with ``segment_ids[j...] == i``, for ``i``
    in ``[0, num_segments)`` (0 for an empty segment; negative ids are dropped).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     m = tf.math.unsorted_segment_mean([1.0, 3.0, 5.0], [1, 0, 1], 3)
    ...     print(tf.Session().run(m))
    [3. 3. 0.]
    """
    return _unsorted_segment_scaled(
        "UnsortedSegmentMean", data, segment_ids, num_segments, name, root=False
    )


@undo.atomic
def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Like :func:`unsorted_segment_mean`, each sum divided by the square root of its
    segment's number of rows instead.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     s = tf.math.unsorted_segment_sqrt_n([3.0, 1.0, 3.0], [1, 0, 1], 2)
    ...     print(tf.Session().run(s))
    [1.       4.242641]
    """
    return _unsorted_segment_scaled(
        "UnsortedSegmentSqrtN", data, segment_ids, num_segments, name, root=True
    )


__all__ = ["segment_mean", "unsorted_segment_mean", "unsorted_segment_sqrt_n"]
