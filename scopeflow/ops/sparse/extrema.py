"""Sparse maxima, minima, softmax and split: ``SparseReduceMax`` (dense result) and
``SparseReduceMaxSparse`` (sparse result), ``SparseSoftmax`` (with TF1's gradient),
``SparseSparseMaximum``/``SparseSparseMinimum`` and ``SparseSplit``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op, check_same_dtype
from scopeflow.ops.sparse.combine import reduce_infer, reduce_op, reduced_positions
from scopeflow.ops.sparse.dense import sparse_dense_cwise_add
from scopeflow.ops.sparse.rows import index_text, row_ids
from scopeflow.ops.sparse.tensor import SparseTensor, as_sparse, shaped_like_inputs, with_rank

TensorShape = tensor_shape.TensorShape


def _lowest(dtype: np.dtype):
    """The identity of ``maximum`` for ``dtype``: what a group's maximum starts from."""
    return -np.inf if dtype.kind in "fc" else np.iinfo(dtype).min


def _group_maxima(ids: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """The maximum of ``values`` in each of ``count`` groups (``ids``: each value's group)."""
    out = np.full(count, _lowest(values.dtype), values.dtype)
    np.maximum.at(out, ids, values)
    return out


# -- SparseReduceMax / SparseReduceMaxSparse --------------------------------------------


def _reduce_max_kernel(ctx, op, indices, values, dims, axes):
    kept_indices, kept, out_dims = reduced_positions(indices, dims, axes, op._attrs["keep_dims"])
    kept_dims = [int(dims[d]) for d in kept]
    count = int(np.prod(kept_dims))
    positions = np.ravel_multi_index(tuple(kept_indices.T), kept_dims) if kept else 0
    positions = np.broadcast_to(positions, len(values))
    maxima = _group_maxima(positions, values, count)
    touched = np.zeros(count, bool)
    touched[positions] = True
    return np.where(touched, maxima, np.zeros((), values.dtype)).reshape(out_dims)


def _reduce_max_sparse_kernel(ctx, op, indices, values, dims, axes):
    keep_dims = op._attrs["keep_dims"]
    kept_indices, kept, out_dims = reduced_positions(indices, dims, axes, keep_dims)
    (ids,) = row_ids(kept_indices)
    unique, first, positions = np.unique(ids, return_index=True, return_inverse=True)
    out_indices = np.zeros((len(unique), len(dims) if keep_dims else len(kept)), np.int64)
    out_indices[:, kept if keep_dims else slice(None)] = kept_indices[first]
    maxima = _group_maxima(positions.reshape(-1), values, len(unique))
    return out_indices, maxima, np.asarray(out_dims, np.int64)


# TF registers no gradient for either (tf.gradients raises LookupError there)
register_op(
    "SparseReduceMax",
    reduce_infer("SparseReduceMax", sparse=False),
    kernel=_reduce_max_kernel,
    grad=NOT_DIFFERENTIABLE,
)
register_op(
    "SparseReduceMaxSparse",
    reduce_infer("SparseReduceMaxSparse", sparse=True),
    kernel=_reduce_max_sparse_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def sparse_reduce_max(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
    """The maximum of ``sp_input``'s values over ``axis`` (all by default) as a dense tensor;
    implicit zeros are not counted, and where no value is reduced the result is 0.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [-1.0, -2.0, 3.0], [3, 3])
    ...     print(tf.Session().run(tf.sparse_reduce_max(sp, axis=1)))
    [-1.  3.  0.]
    """
    return reduce_op("SparseReduceMax", sp_input, axis, keepdims, reduction_axes, keep_dims)


@undo.atomic
def sparse_reduce_max_sparse(
    sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None
) -> SparseTensor:
    """The maximum of ``sp_input``'s values over ``axis`` as a ``SparseTensor`` (no gradient).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [-1.0, -2.0, 3.0], [3, 3])
    ...     print(tf.Session().run(tf.sparse_reduce_max_sparse(sp, axis=1)).values)
    [-1.  3.]
    """
    result = reduce_op("SparseReduceMaxSparse", sp_input, axis, keepdims, reduction_axes, keep_dims)
    return SparseTensor(*result)


# -- SparseSoftmax ------------------------------------------------------------------------


def _softmax_infer(inputs, attrs):
    indices, values, dense_shape = inputs
    count = with_rank(indices, 2)[0].merge_with(with_rank(values, 1)[0])
    with_rank(dense_shape, 1)
    return [(values.dtype.base_dtype, TensorShape([count]))]


def _softmax_kernel(ctx, op, indices, values, dims):
    if len(dims) < 2:
        shown = " ".join(str(int(d)) for d in dims)  # (TF's summary of the shape's values)
        raise ValueError(f"Input should have rank >= 2, but received shape: {shown}")
    (ids,) = row_ids(indices[:, :-1])
    _, groups = np.unique(ids, return_inverse=True)
    groups = groups.reshape(-1)
    count = int(groups.max()) + 1 if len(groups) else 0
    shifted = np.exp(values - _group_maxima(groups, values, count)[groups])
    totals = np.zeros(count, values.dtype)
    np.add.at(totals, groups, shifted)
    return (shifted / totals[groups]).astype(values.dtype)


@shaped_like_inputs
def _softmax_grad(op, grad):
    """TF1's: ``(grad - sum(grad * softmax, last axis)) * softmax`` over the present values,
    the sum a ``SparseReduceSum`` added back with ``SparseDenseCwiseAdd``."""
    indices, _, dims = op.inputs
    out_values = op.outputs[0]
    product = SparseTensor(indices, out_values * grad, dims)
    sum_reduced = -_reduce_sum_last(product)
    sp_sum = sparse_dense_cwise_add(SparseTensor(indices, grad, dims), sum_reduced)
    return [None, sp_sum.values * out_values, None]


def _reduce_sum_last(sp: SparseTensor):
    """``tf.sparse_reduce_sum(sp, [-1], keepdims=True)``."""
    return reduce_op("SparseReduceSum", sp, [-1], True, None, None)


register_op("SparseSoftmax", _softmax_infer, kernel=_softmax_kernel, grad=_softmax_grad)


@undo.atomic
def sparse_softmax(sp_input, name=None) -> SparseTensor:
    """The softmax over the last axis of ``sp_input``'s present values (implicit zeros do not
    take part), with the same indices.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 1.0, 5.0], [2, 3])
    ...     print(tf.Session().run(tf.sparse_softmax(sp)).values)
    [0.5 0.5 1. ]
    """
    sp = as_sparse(sp_input)
    with name_scope(name, "SparseSoftmax", [sp.indices, sp.values]):
        values = apply_op("SparseSoftmax", [sp.indices, sp.values, sp.dense_shape])
        return SparseTensor(sp.indices, values, sp.dense_shape)


# -- SparseSparseMaximum / SparseSparseMinimum --------------------------------------------


def _minmax_infer(op_type: str):
    def infer(inputs, attrs):
        a_indices, a_values, a_shape, b_indices, b_values, b_shape = inputs
        dtype = check_same_dtype(op_type, ("a_values", "b_values"), [a_values, b_values])
        for t, rank in ((a_indices, 2), (a_values, 1), (a_shape, 1)):
            with_rank(t, rank)
        for t, rank in ((b_indices, 2), (b_values, 1), (b_shape, 1)):
            with_rank(t, rank)
        return [(dtypes.int64, TensorShape([None, None])), (dtype, TensorShape([None]))]

    return infer


def _minmax_kernel(pick):
    def kernel(ctx, op, a_indices, a_values, a_shape, b_indices, b_values, b_shape):
        if a_shape.tolist() != b_shape.tolist():
            raise ValueError(
                "Operands do not have the same ranks or shapes: got "
                f"{index_text(a_shape)} and {index_text(b_shape)}"
            )
        a_ids, b_ids = row_ids(a_indices, b_indices)
        unique, first = np.unique(np.concatenate([a_ids, b_ids]), return_index=True)
        a_dense = np.zeros(len(unique), a_values.dtype)
        b_dense = np.zeros(len(unique), b_values.dtype)
        a_dense[np.searchsorted(unique, a_ids)] = a_values
        b_dense[np.searchsorted(unique, b_ids)] = b_values
        out_indices = np.concatenate([a_indices, b_indices])[first].astype(np.int64)
        return out_indices, pick(a_dense, b_dense)

    return kernel


# TF1's gradients of both raise (NotImplementedError, or a TypeError calling it)
for _type, _pick in (("SparseSparseMaximum", np.maximum), ("SparseSparseMinimum", np.minimum)):
    register_op(_type, _minmax_infer(_type), kernel=_minmax_kernel(_pick), grad=NOT_DIFFERENTIABLE)


def _sparse_minmax(op_type: str, sp_a, sp_b, name) -> SparseTensor:
    sp_a, sp_b = as_sparse(sp_a), as_sparse(sp_b)
    with name_scope(name, op_type, [sp_a.indices, sp_a.values, sp_b.indices, sp_b.values]) as n:
        inputs = [sp_a.indices, sp_a.values, sp_a.dense_shape]
        inputs += [sp_b.indices, sp_b.values, sp_b.dense_shape]
        out_indices, out_values = apply_op(op_type, inputs, name=n)
    return SparseTensor(out_indices, out_values, sp_a.dense_shape)


@undo.atomic
def sparse_maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """The element-wise maximum of two ``SparseTensor``s of one shape (a missing value is 0).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.SparseTensor([[0, 0], [0, 2]], [1.0, -2.0], [2, 3])
    ...     b = tf.SparseTensor([[0, 2], [1, 1]], [3.0, -4.0], [2, 3])
    ...     print(tf.Session().run(tf.sparse_maximum(a, b)).values)
    [1. 3. 0.]
    """
    return _sparse_minmax("SparseSparseMaximum", sp_a, sp_b, name)


@undo.atomic
def sparse_minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """The element-wise minimum of two ``SparseTensor``s of one shape (a missing value is 0).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.SparseTensor([[0, 0], [0, 2]], [1.0, -2.0], [2, 3])
    ...     b = tf.SparseTensor([[0, 2], [1, 1]], [3.0, -4.0], [2, 3])
    ...     print(tf.Session().run(tf.sparse_minimum(a, b)).values)
    [ 0. -2. -4.]
    """
    return _sparse_minmax("SparseSparseMinimum", sp_a, sp_b, name)


# -- SparseSplit --------------------------------------------------------------------------


def _split_infer(inputs, attrs):
    _, indices, values, dense_shape = inputs
    rank = with_rank(indices, 2)[1].merge_with(with_rank(dense_shape, 1)[0])
    with_rank(values, 1)
    n = attrs["num_split"]
    dtype = values.dtype.base_dtype
    return (
        [(dtypes.int64, TensorShape([None, rank]))] * n
        + [(dtype, TensorShape([None]))] * n
        + [(dtypes.int64, dense_shape.shape)] * n
    )


def _split_kernel(ctx, op, split_dim, indices, values, dims):
    n = op._attrs["num_split"]
    rank = len(dims)
    axis = int(split_dim)
    if not -rank <= axis < rank:
        raise ValueError(f"Input split_dim should be between {-rank} and {rank}, got {axis}")
    axis %= rank
    size = int(dims[axis])
    if not 1 <= n <= size:
        raise ValueError(
            f"Input num_split should be between 1 and the splitting dimension size ({size}), "
            f"got {n}"
        )
    sizes = [size // n + (k < size % n) for k in range(n)]
    starts = np.cumsum([0, *sizes[:-1]])
    out_indices, out_values, out_shapes = [], [], []
    for start, extent in zip(starts, sizes, strict=True):
        inside = (indices[:, axis] >= start) & (indices[:, axis] < start + extent)
        piece = indices[inside].copy()
        piece[:, axis] -= start
        shape = np.array(dims, np.int64)
        shape[axis] = extent
        out_indices.append(piece)
        out_values.append(values[inside])
        out_shapes.append(shape)
    return (*out_indices, *out_values, *out_shapes)


# TF registers no gradient for SparseSplit
register_op("SparseSplit", _split_infer, kernel=_split_kernel, grad=NOT_DIFFERENTIABLE)


class _KeywordRequired:
    def __repr__(self) -> str:
        return "KeywordRequired()"


_KEYWORD_REQUIRED = _KeywordRequired()


@undo.atomic
def sparse_split(
    keyword_required=_KEYWORD_REQUIRED,
    sp_input=None,
    num_split=None,
    axis=None,
    name=None,
    split_dim=None,
) -> list[SparseTensor]:
    """``sp_input`` split along ``axis`` into ``num_split`` ``SparseTensor``s (the first
    ``size % num_split`` one element larger); arguments by keyword only, as in TF1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    ...     left, right = tf.sparse_split(sp_input=sp, num_split=2, axis=1)
    ...     print(tf.Session().run(right).values)
    [2.]
    """
    if keyword_required is not _KEYWORD_REQUIRED:
        raise ValueError("Keyword arguments are required for this function.")
    if sp_input is None:
        raise ValueError("sp_input is required")
    if num_split is None:
        raise ValueError("num_split is required")
    if axis is None:
        raise ValueError("axis is required")
    if split_dim is not None and split_dim != axis:
        raise ValueError("Cannot specify both 'axis' and 'split_dim'.")
    sp = as_sparse(sp_input)
    with name_scope(name, "SparseSplit") as scope:
        dim = convert_to_tensor(axis, dtype=dtypes.int64, name="split_dim")
        inputs = [dim, sp.indices, sp.values, sp.dense_shape]
        outputs = apply_op("SparseSplit", inputs, {"num_split": int(num_split)}, name=scope)
    outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
    n = int(num_split)
    return [SparseTensor(outputs[k], outputs[n + k], outputs[2 * n + k]) for k in range(n)]


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "sparse_maximum",
    "sparse_minimum",
    "sparse_reduce_max",
    "sparse_reduce_max_sparse",
    "sparse_softmax",
    "sparse_split",
]
