"""``Unique`` (``tf.unique``): the distinct elements of a vector in order of first appearance,
and where each element went. Optimizers use it to add up the rows of an ``IndexedSlices``
gradient that share an index before a sparse update."""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import INDEX, apply_op

UniqueResult = collections.namedtuple("Unique", ["y", "idx"])


def _unique_infer(inputs, attrs):
    (x,) = inputs
    if x.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {x.shape.ndims}")
    out_idx = attrs["out_idx"]
    if out_idx not in INDEX:
        raise TypeError(
            f"Value passed to parameter 'out_idx' has DataType {out_idx.name} not in list of "
            "allowed values: int32, int64"
        )
    return [
        (x.dtype.base_dtype, tensor_shape.TensorShape([None])),
        (out_idx, tensor_shape.TensorShape([x.shape.num_elements()])),
    ]


def _unique_kernel(ctx, op, x):
    if np.ndim(x) != 1:
        raise ValueError(f"unique expects a 1D vector, got shape {list(np.shape(x))}")
    _, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first)  # the distinct values, by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    idx = rank[np.reshape(inverse, -1)].astype(op._attrs["out_idx"].as_numpy_dtype)
    return x[first[order]], idx


# TF registers no gradient for Unique: its outputs are picked, not computed, elements.
register_op("Unique", _unique_infer, kernel=_unique_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def unique(x, out_idx=dtypes.int32, name=None):
    """``(y, idx)``: the distinct elements ``y`` of the vector ``x`` in order of first
    appearance, and for each element of ``x`` its position in ``y`` (``x == y[idx]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y, idx = tf.unique([4, 1, 4, 7, 1])
    ...     print(*tf.Session().run([y, idx]))
    [4 1 7] [0 1 0 2 1]
    """
    out_idx = dtypes.as_dtype(out_idx).base_dtype
    with name_scope(name, "Unique", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        y, idx = apply_op("Unique", [x], {"out_idx": out_idx}, name=scope)
        return UniqueResult(y, idx)


__all__ = ["unique"]
