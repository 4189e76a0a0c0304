"""``DynamicPartition`` (``tf.dynamic_partition``): the rows of ``data`` dealt out to
``num_partitions`` outputs by a tensor of partition numbers, in order; its gradient stitches
the outputs' gradients back as TF1's does."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import get_default_graph, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.stitch import parallel_dynamic_stitch
from scopeflow.ops.core.build import range_of, reduce_prod

TensorShape = tensor_shape.TensorShape


def _partition_infer(inputs, attrs):
    data, partitions = inputs
    if partitions.dtype.base_dtype != dtypes.int32:
        raise TypeError(
            f"Input 'partitions' of 'DynamicPartition' Op has type "
            f"{partitions.dtype.base_dtype.name} that does not match expected type of int32."
        )
    count = attrs["num_partitions"]
    if count < 1:
        raise ValueError(
            f"Attr 'num_partitions' of 'DynamicPartition' Op passed {count} less than minimum 1."
        )
    dtype = data.dtype.base_dtype
    p, d = partitions.shape, data.shape
    if p.ndims is None or d.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())] * count
    if d.ndims < p.ndims:
        raise ValueError(f"Shape must be at least rank {p.ndims} but is rank {d.ndims}")
    for i in range(p.ndims):
        if not d[i].is_compatible_with(p[i]):
            raise ValueError(f"Dimensions must be equal, but are {d[i].value} and {p[i].value}")
    return [(dtype, TensorShape([None]).concatenate(d[p.ndims :]))] * count


def _partition_kernel(ctx, op, data, partitions):
    count = op._attrs["num_partitions"]
    if np.shape(data)[: np.ndim(partitions)] != np.shape(partitions):
        raise ValueError(
            f"data.shape must start with partitions.shape, got data.shape = "
            f"{list(np.shape(data))}, partitions.shape = {list(np.shape(partitions))}"
        )
    flat = np.reshape(partitions, -1)
    bad = (flat < 0) | (flat >= count)
    if bad.any():
        at = int(np.argmax(bad))
        raise ValueError(f"partitions[{at}] = {int(flat[at])} is not in [0, {count})")
    rows = np.reshape(data, (flat.size, *np.shape(data)[np.ndim(partitions) :]))
    return tuple(rows[flat == p] for p in range(count))


def _partition_grad(op, *grads):
    """TF's: the positions of ``data``'s rows, partitioned alike, say where each output's
    gradient goes back (``ParallelDynamicStitch``; an IndexedSlices made dense as its data)."""
    data, partitions = op.inputs
    prefix = shape(partitions)
    positions = reshape(range_of(0, reduce_prod(prefix), 1), prefix)
    parts = _partition(positions, partitions, op._attrs["num_partitions"])
    return [reshape(parallel_dynamic_stitch(parts, list(grads)), shape(data)), None]


def _partition(data, partitions, count: int, name=None) -> list:
    """A ``DynamicPartition`` op's outputs, a list even of one."""
    attrs = {"num_partitions": count}
    return list(
        get_default_graph().create_op("DynamicPartition", [data, partitions], attrs, name).outputs
    )


register_op(
    "DynamicPartition",
    _partition_infer,
    kernel=_partition_kernel,
    grad=_partition_grad,
    grad_takes_indexed_slices=True,
)


@undo.atomic
def dynamic_partition(data, partitions, num_partitions, name=None):
    """``num_partitions`` tensors: output ``i`` holds, in order, the slices ``data[j...]``
    whose ``partitions[j...]`` is ``i`` (``partitions``' shape is a prefix of ``data``'s).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     parts = tf.dynamic_partition([10, 20, 30, 40], [1, 0, 1, 1], 2)
    ...     print(*tf.Session().run(parts))
    [20] [10 30 40]
    """
    with name_scope(name, "DynamicPartition", [data, partitions]) as scope:
        data = convert_to_tensor(data, name="data")
        partitions = convert_to_tensor(partitions, name="partitions")
        return _partition(data, partitions, int(num_partitions), name=scope)


__all__ = ["dynamic_partition"]
