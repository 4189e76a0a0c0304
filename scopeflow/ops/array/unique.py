"""``Unique`` (``tf.unique``): the distinct elements of a vector in order of first appearance,
and where each element went. Optimizers use it to add up the rows of an ``IndexedSlices``
gradient that share an index before a sparse update. ``UniqueWithCounts`` adds how often each
appears; ``ListDiff`` (``tf.setdiff1d``) keeps the elements of one vector not in another."""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import INDEX, apply_op

UniqueResult = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCountsResult = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])
ListDiffResult = collections.namedtuple("ListDiff", ["out", "idx"])


def _check_out_idx(out_idx) -> None:
    if out_idx not in INDEX:
        raise TypeError(
            f"Value passed to parameter 'out_idx' has DataType {out_idx.name} not in list of "
            "allowed values: int32, int64"
        )


def _unique_infer(inputs, attrs):
    (x,) = inputs
    if x.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {x.shape.ndims}")
    out_idx = attrs["out_idx"]
    _check_out_idx(out_idx)
    return [
        (x.dtype.base_dtype, tensor_shape.TensorShape([None])),
        (out_idx, tensor_shape.TensorShape([x.shape.num_elements()])),
    ]


def _distinct(x: np.ndarray):
    """The distinct values' first positions in order of appearance, where each element went,
    and how often each appears."""
    if np.ndim(x) != 1:
        raise ValueError("unique expects a 1D vector.")
    _, first, inverse, counts = np.unique(  # each NaN distinct, as TF's hash map keeps them
        x, return_index=True, return_inverse=True, return_counts=True, equal_nan=False
    )
    order = np.argsort(first)  # the distinct values, by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first[order], rank[np.reshape(inverse, -1)], counts[order]


def _unique_kernel(ctx, op, x):
    first, idx, _ = _distinct(x)
    return x[first], idx.astype(op._attrs["out_idx"].as_numpy_dtype)


def _unique_with_counts_infer(inputs, attrs):
    """``Unique``'s rule without its rank check: TF's ``UniqueWithCounts`` checks the rank
    only when it runs."""
    (x,) = inputs
    _check_out_idx(attrs["out_idx"])
    unknown = tensor_shape.TensorShape([None])
    index = attrs["out_idx"]
    return [(x.dtype.base_dtype, unknown), (index, x.shape), (index, unknown)]


def _unique_with_counts_kernel(ctx, op, x):
    first, idx, counts = _distinct(x)
    index = op._attrs["out_idx"].as_numpy_dtype
    return x[first], idx.astype(index), counts.astype(index)


# TF registers no gradient for Unique: its outputs are picked, not computed, elements.
register_op("Unique", _unique_infer, kernel=_unique_kernel, grad=NOT_DIFFERENTIABLE)
register_op(
    "UniqueWithCounts",
    _unique_with_counts_infer,
    kernel=_unique_with_counts_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _list_diff_infer(inputs, attrs):
    x, y = inputs
    if y.dtype.base_dtype != x.dtype.base_dtype:
        raise TypeError(
            f"Input 'y' of 'ListDiff' Op has type {y.dtype.base_dtype.name} that does not "
            f"match type {x.dtype.base_dtype.name} of argument 'x'."
        )
    for t in (x, y):
        if t.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {t.shape.ndims}")
    _check_out_idx(attrs["out_idx"])
    unknown = tensor_shape.TensorShape([None])
    return [(x.dtype.base_dtype, unknown), (attrs["out_idx"], unknown)]


def _list_diff_kernel(ctx, op, x, y):
    for arg, v in (("x", x), ("y", y)):
        if np.ndim(v) != 1:
            raise ValueError(f"{arg} should be a 1D vector, got shape {list(np.shape(v))}")
    (idx,) = np.nonzero(~np.isin(x, y))
    return x[idx], idx.astype(op._attrs["out_idx"].as_numpy_dtype)


# TF registers no gradient for ListDiff either.
register_op("ListDiff", _list_diff_infer, kernel=_list_diff_kernel, grad=NOT_DIFFERENTIABLE)


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


@undo.atomic
def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """``(y, idx, count)``: :func:`unique`'s ``y`` and ``idx``, and how often each element
    of ``y`` appears in ``x``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(*tf.Session().run(tf.unique_with_counts([4, 1, 4, 7, 1])))
    [4 1 7] [0 1 0 2 1] [2 2 1]
    """
    out_idx = dtypes.as_dtype(out_idx).base_dtype
    with name_scope(name, "UniqueWithCounts", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        outputs = apply_op("UniqueWithCounts", [x], {"out_idx": out_idx}, name=scope)
        return UniqueWithCountsResult(*outputs)


@undo.atomic
def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    """``(out, idx)``: the elements of the vector ``x`` not in ``y``, in order, and their
    positions in ``x`` (``out == x[idx]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(*tf.Session().run(tf.setdiff1d([1, 2, 3, 4, 2], [2, 4])))
    [1 3] [0 2]
    """
    out_idx = dtypes.as_dtype(index_dtype).base_dtype
    with name_scope(name, "ListDiff", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        if not isinstance(y, Tensor):  # a tensor's dtype is checked by ListDiff's shape rule
            y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        outputs = apply_op("ListDiff", [x, y], {"out_idx": out_idx}, name=scope)
        return ListDiffResult(*outputs)


listdiff = setdiff1d

__all__ = ["listdiff", "setdiff1d", "unique", "unique_with_counts"]
