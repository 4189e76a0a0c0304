"""``tf.strings.unsorted_segment_join`` (``UnsortedSegmentJoin``): the strings of each
segment joined in their order, as ``unsorted_segment_sum`` sums numbers."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, constant_value
from scopeflow.ops.strings.common import as_bytes, strings_array


def _segment_join_infer(inputs, attrs):
    data, ids, count = inputs
    check_dtype_in("UnsortedSegmentJoin", "inputs", data, (dtypes.string,))
    check_dtype_in("UnsortedSegmentJoin", "segment_ids", ids, INDEX)
    check_dtype_in("UnsortedSegmentJoin", "num_segments", count, INDEX)
    if count.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {count.shape.ndims}")
    n = constant_value(count)
    first = tensor_shape.TensorShape([None if n is None else int(n)])
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(dtypes.string, tensor_shape.unknown_shape())]
    if data.shape.ndims < ids.shape.ndims:
        raise ValueError(
            f"Shape must be at least rank {ids.shape.ndims} but is rank {data.shape.ndims}"
        )
    prefix = tensor_shape.TensorShape(data.shape.as_list()[: ids.shape.ndims])
    prefix.assert_is_compatible_with(ids.shape)
    rest = tensor_shape.TensorShape(data.shape.as_list()[ids.shape.ndims :])
    return [(dtypes.string, first.concatenate(rest))]


def _segment_join_kernel(ctx, op, data, ids, count):
    data, ids = np.asarray(data), np.asarray(ids)
    count = int(count)
    if data.shape[: ids.ndim] != ids.shape:
        raise ValueError(
            f"data.shape = {shape_str(data.shape)} does not start with segment_ids.shape = "
            f"{shape_str(ids.shape)}"
        )
    flat_ids = ids.reshape(-1)
    if flat_ids.size and (flat_ids.min() < 0 or flat_ids.max() >= count):
        raise ValueError(
            "segment_ids are not allowed to exceed num_segments or to have negative values."
        )
    inner = data.shape[ids.ndim :]
    rows = data.reshape(len(flat_ids), -1)
    width = rows.shape[1] if rows.ndim == 2 else int(np.prod(inner, dtype=np.int64))
    pieces: list = [[[] for _ in range(width)] for _ in range(count)]
    for row, segment in zip(rows, flat_ids.tolist(), strict=True):
        for column, item in enumerate(row):
            pieces[segment][column].append(as_bytes(item))
    sep = op._attrs["separator"]
    sep = sep.encode() if isinstance(sep, str) else bytes(sep)
    joined = [sep.join(cell) for segment in pieces for cell in segment]
    return strings_array(joined, (count, *inner))


register_op(
    "UnsortedSegmentJoin",
    _segment_join_infer,
    kernel=_segment_join_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Joins, for each segment ``0..num_segments-1``, the strings of ``inputs`` whose
    ``segment_ids`` (a prefix of ``inputs``' shape) name it, in order, with ``separator``;
    an empty segment gives ``""``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     joined = tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 3, ":")
    ...     print(tf.Session().run(joined))
    [b'b' b'a:c' b'']
    """
    with name_scope(name, "UnsortedSegmentJoin", [inputs, segment_ids, num_segments]) as scope:
        inputs = convert_to_tensor(inputs, name="inputs")
        segment_ids = convert_to_tensor(segment_ids, name="segment_ids")
        num_segments = convert_to_tensor(num_segments, name="num_segments")
        attrs = {
            "separator": separator,
            "Tindices": segment_ids.dtype.base_dtype,
            "Tnumsegments": num_segments.dtype.base_dtype,
        }
        return apply_op(
            "UnsortedSegmentJoin", [inputs, segment_ids, num_segments], attrs, name=scope
        )


__all__: list[str] = []
