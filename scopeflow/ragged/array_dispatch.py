"""``tf.gather``, ``tf.concat`` and the ``tf.reduce_*`` reductions taking ``RaggedTensor``s as
TF's dispatch does, built as TF builds them (``RaggedGather``; ``RaggedConcat``;
``RaggedReduceSum/UnsortedSegmentSum``...). Dense arguments go to the dense functions
unchanged; the public names (``tf.gather``...) are these wrappers."""

from __future__ import annotations

import functools

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import join as join_ops
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math import reduction
from scopeflow.ops.math import segment_extrema as extrema
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import equal, greater, logical_not
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ragged.functions import common_ragged, concat_columns, concat_rows
from scopeflow.ragged.indexing import gather as ragged_gather
from scopeflow.ragged.tensor import RaggedTensor


@functools.wraps(gather_ops.gather)
def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    ragged_params, ragged_indices = (
        isinstance(params, RaggedTensor),
        isinstance(indices, RaggedTensor),
    )
    if not (ragged_params or ragged_indices):
        return gather_ops.gather(params, indices, validate_indices, name, axis, batch_dims)
    if axis not in (None, 0) or batch_dims != 0:
        raise NotImplementedError(
            "tf.gather of a RaggedTensor along axis > 0 or with batch_dims: gather rows "
            "(axis=0), or the flat values with tf.ragged.map_flat_values"
        )
    if not ragged_indices:
        return ragged_gather(params, indices, name)
    with name_scope(name, "RaggedGather", [params, indices]):
        flat = indices.flat_values
        taken = ragged_gather(params, flat) if ragged_params else gather_ops.gather(params, flat)
        return indices.with_flat_values(taken)


@functools.wraps(join_ops.concat)
def concat(values, axis, name="concat"):
    if not isinstance(values, (list, tuple)) or not any(
        isinstance(v, RaggedTensor) for v in values
    ):
        return join_ops.concat(values, axis, name)
    with name_scope(None if name == "concat" else name, "RaggedConcat", values):
        rts = common_ragged(values)
        if axis == 0:
            return concat_rows(rts)
        if axis == 1 or (axis == -1 and rts[0].shape.ndims == 2):
            return concat_columns(rts)
        raise NotImplementedError(
            f"tf.concat of RaggedTensors along axis={axis}: scopeflow joins them along axis 0 "
            "or 1; concatenate rt.to_tensor() values otherwise"
        )


def _axis(axis, reduction_indices):
    return reduction_indices if axis is None else axis


def _keepdims(keepdims, keep_dims) -> bool:
    return bool(keep_dims if keepdims is None else keepdims)


def _segments(rt: RaggedTensor, axis: int):
    """``(segment id of each value, number of segments)`` reducing ``rt`` (ragged rank 1)
    along ``axis``: 1 groups each row, 0 each column."""
    if axis == 1:
        return rt.value_rowids(), rt.nrows()
    rowids = rt.value_rowids()
    columns = range_(shape(rt.values, out_type=rowids.dtype)[0]) - gather_ops.gather(
        rt.row_starts(), rowids
    )
    lengths = rt.row_lengths()
    zero = convert_to_tensor([0], dtype=lengths.dtype)
    return columns, reduction.reduce_max(join_ops.concat([zero, lengths], 0))


def _reduce(kind: str, dense_fn):
    """A ``tf.reduce_*`` that reduces a ragged tensor along its rows (axis 1), columns
    (axis 0) or innermost ragged axis, or all its values."""

    @functools.wraps(dense_fn)
    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):  # fmt: skip
        if not isinstance(input_tensor, RaggedTensor):
            return dense_fn(input_tensor, axis, keepdims, name, reduction_indices, keep_dims)
        axis, keep = _axis(axis, reduction_indices), _keepdims(keepdims, keep_dims)
        with name_scope(name, f"RaggedReduce{kind}", [input_tensor]):
            return _ragged_reduce(kind, dense_fn, input_tensor, axis, keep)

    return reduce


def _ragged_reduce(kind: str, dense_fn, rt: RaggedTensor, axis, keep: bool):
    if axis is None:
        if keep:
            raise NotImplementedError("a ragged reduction over all axes with keepdims=True")
        return dense_fn(rt.flat_values)
    rank = rt.shape.ndims
    if isinstance(axis, int) and axis < 0 and rank is not None:
        axis += rank
    if axis == rt.ragged_rank and rt.ragged_rank > 1 and not keep:
        return rt.with_values(_ragged_reduce(kind, dense_fn, rt.values, axis - 1, False))
    if axis not in (0, 1) or rt.ragged_rank != 1:
        raise NotImplementedError(
            f"a ragged reduction along axis={axis} of a ragged tensor of ragged_rank "
            f"{rt.ragged_rank}: scopeflow reduces rows (axis 1), columns (axis 0), the "
            "innermost ragged axis, or all values; reduce rt.to_tensor() otherwise"
        )
    ids, count = _segments(rt, axis)
    result = _segment_reduce(kind, rt.values, ids, count)
    splits = constant_value(rt.row_splits)
    if axis == 0 and splits is not None:  # the longest row, known while building
        result.set_shape([int(np.max(np.diff(splits), initial=0))])
    return expand_dims(result, axis) if keep else result


def _segment_reduce(kind: str, values, ids, count):
    if kind == "Sum":
        return gather_ops.unsorted_segment_sum(values, ids, count)
    if kind == "Prod":
        return extrema.unsorted_segment_prod(values, ids, count)
    if kind == "Max":
        return extrema.unsorted_segment_max(values, ids, count)
    if kind == "Min":
        return extrema.unsorted_segment_min(values, ids, count)
    if kind == "Mean":
        total = gather_ops.unsorted_segment_sum(values, ids, count)
        ones = cast(values * 0 + 1, values.dtype)
        return truediv(total, gather_ops.unsorted_segment_sum(ones, ids, count))
    hits = values if kind == "Any" else logical_not(values)
    counted = gather_ops.unsorted_segment_sum(cast(hits, dtypes.int32), ids, count)
    return greater(counted, 0) if kind == "Any" else equal(counted, 0)


reduce_sum = _reduce("Sum", reduction.reduce_sum)
reduce_mean = _reduce("Mean", reduction.reduce_mean)
reduce_max = _reduce("Max", reduction.reduce_max)
reduce_min = _reduce("Min", reduction.reduce_min)
reduce_prod = _reduce("Prod", reduction.reduce_prod)
reduce_all = _reduce("All", reduction.reduce_all)
reduce_any = _reduce("Any", reduction.reduce_any)
