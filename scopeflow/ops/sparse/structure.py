"""Where a sparse tensor's values sit: ``SparseReorder`` (row-major order), ``SparseReshape``,
``SparseSlice`` (with ``SparseSliceGrad``), ``SparseFillEmptyRows`` (with its gradient), and
``sparse_retain``, which TF1 builds from ``Where`` and gathers."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.shape import size
from scopeflow.ops.array.transpose import invert_permutation, transpose
from scopeflow.ops.core.infer import apply_op, check_same_dtype, constant_value
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.sparse.rows import index_text, row_ids, row_major_order
from scopeflow.ops.sparse.tensor import SparseTensor, as_sparse, shaped_like_inputs, with_rank

TensorShape = tensor_shape.TensorShape


def _same_shape_outputs(indices, values) -> list:
    """``(indices, values)`` outputs shaped like the inputs."""
    count = with_rank(indices, 2)[0].merge_with(with_rank(values, 1)[0])
    return [
        (dtypes.int64, TensorShape([count, indices.shape[1]])),
        (values.dtype.base_dtype, TensorShape([count])),
    ]


# -- SparseReorder ------------------------------------------------------------------------


def _reorder_infer(inputs, attrs):
    indices, values, dense_shape = inputs
    with_rank(dense_shape, 1)
    return _same_shape_outputs(indices, values)


def _reorder_kernel(ctx, op, indices, values, dense_shape):
    if indices.shape[1] != len(dense_shape):
        raise ValueError(
            f"Index rank ({indices.shape[1]}) and shape rank ({len(dense_shape)}) do not match"
        )
    order = row_major_order(indices)
    return indices[order], values[order]


@shaped_like_inputs
def _reorder_grad(op, _indices_grad, values_grad):
    """TF1's: reordering the entries' positions ``0..n-1`` gives the permutation; its inverse
    takes the gradient back to the input order."""
    indices, _, dense_shape = op.inputs
    entries = range_(shape(indices)[0])
    ordered = sparse_reorder(SparseTensor(indices, entries, dense_shape))
    return [None, gather(values_grad, invert_permutation(ordered.values)), None]


register_op("SparseReorder", _reorder_infer, kernel=_reorder_kernel, grad=_reorder_grad)


@undo.atomic
def sparse_reorder(sp_input, name=None) -> SparseTensor:
    """``sp_input`` with its entries in row-major order (the order most sparse ops need).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[1, 0], [0, 2]], [1.0, 2.0], [2, 3])
    ...     tf.Session().run(tf.sparse.reorder(sp)).indices.tolist()
    [[0, 2], [1, 0]]
    """
    sp = as_sparse(sp_input)
    with name_scope(name, "SparseReorder", [sp.indices, sp.values]) as scope:
        inputs = [sp.indices, sp.values, sp.dense_shape]
        indices, values = apply_op("SparseReorder", inputs, name=scope)
    if sp.shape.is_fully_defined():
        return SparseTensor(indices, values, sp.shape.as_list())
    result = SparseTensor(indices, values, identity(sp.dense_shape))
    result.set_shape(sp.shape)
    return result


# -- SparseReshape ------------------------------------------------------------------------


def _reshape_infer(inputs, attrs):
    indices, input_shape, new_shape = inputs
    with_rank(input_shape, 1)
    rank = with_rank(new_shape, 1)[0]
    return [
        (dtypes.int64, TensorShape([with_rank(indices, 2)[0], rank])),
        (dtypes.int64, TensorShape([rank])),
    ]


def _new_dims(input_dims, new_shape) -> list[int]:
    """``new_shape`` with its -1 resolved, checked against ``input_dims`` as TF does."""
    dims = [int(d) for d in new_shape]
    total = int(np.prod(input_dims, dtype=np.int64))
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1:
        raise ValueError(
            f"only one output dimension may be -1, not both {unknown[0]} and {unknown[1]}"
        )
    for i, d in enumerate(dims):
        if d < -1:
            raise ValueError(f"size {i} must be non-negative, not {d}")
    known = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    text = f"input_shape={index_text(input_dims)}"
    if unknown:
        if known == 0:
            raise ValueError(
                "reshape cannot infer the missing input size for an empty tensor unless all "
                "specified input sizes are non-zero"
            )
        if total % known:
            dims[unknown[0]] = 1
            raise ValueError(
                f"Input to reshape is a SparseTensor with {total} dense values, but the "
                f"requested shape requires a multiple of {known}. {text} "
                f"output_shape={index_text(dims)}"
            )
        dims[unknown[0]] = total // known
    elif known != total:
        raise ValueError(
            f"Input to reshape is a tensor with {total} dense values, but the requested shape "
            f"has {known}. {text} output_shape={index_text(dims)}"
        )
    return dims


def _reshape_kernel(ctx, op, indices, input_shape, new_shape):
    if indices.shape[1] != len(input_shape):
        raise ValueError("Input tensor rank must match input shape length.")
    dims = _new_dims(input_shape, new_shape)
    flat = indices @ _strides(input_shape)  # as TF: the row-major offsets, unchecked
    out = np.empty((len(flat), len(dims)), np.int64)
    for j, stride in enumerate(_strides(dims)):
        out[:, j], flat = np.divmod(flat, stride)
    return out, np.asarray(dims, np.int64)


def _strides(dims) -> np.ndarray:
    """Row-major strides of ``dims`` (at least 1)."""
    sizes = np.asarray(dims, np.int64)
    return np.maximum(np.r_[np.cumprod(sizes[::-1])[::-1][1:], 1], 1).astype(np.int64)


register_op("SparseReshape", _reshape_infer, kernel=_reshape_kernel, grad=NOT_DIFFERENTIABLE)


def _static_value(value):
    """The value of a shape argument when known while building (through a ``Cast``)."""
    if not isinstance(value, Tensor):
        return np.asarray(value)
    if value.op.type == "Cast":
        value = value.op.inputs[0]
    return constant_value(value)


@undo.atomic
def sparse_reshape(sp_input, shape, name=None) -> SparseTensor:  # noqa: A002
    """``sp_input`` with the dense shape ``shape`` (one entry may be -1), entries keeping their
    row-major position.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 1], [1, 2]], [1.0, 2.0], [2, 3])
    ...     value = tf.Session().run(tf.sparse.reshape(sp, [3, -1]))
    >>> value.indices.tolist(), value.dense_shape.tolist()
    ([[0, 1], [2, 1]], [3, 2])
    """
    sp = as_sparse(sp_input)
    shape = cast(shape, dtypes.int64)  # a list may hold tensors (a batch size)
    static = _static_value(shape)
    with name_scope(name, "SparseReshape", [sp.indices, sp.values]) as scope:
        inputs = [sp.indices, sp.dense_shape, shape]
        indices, new_shape = apply_op("SparseReshape", inputs, name=scope)
        if static is not None and sp.shape.is_fully_defined():
            dims = _static_new_dims(sp.shape.as_list(), static)
            if dims is not None:
                new_shape = constant(dims, dtypes.int64)
        return SparseTensor(indices, identity(sp.values), new_shape)


def _static_new_dims(input_dims: list[int], requested) -> list[int] | None:
    """TF1's build-time check of a reshape whose input shape and new shape are known, and the
    new dims when they are all known then."""
    requested = [int(d) for d in np.reshape(requested, -1)]
    if requested.count(-1) > 1:
        raise ValueError(
            f"At most one dimension can be inferred (-1). Found: {np.asarray(requested)}"
        )
    if -1 in requested and 0 in requested:
        return None
    total = int(np.prod(input_dims, dtype=np.int64))
    dims = list(requested)
    if -1 in dims:
        dims[dims.index(-1)] = total // int(np.prod([d for d in dims if d != -1]))
    if int(np.prod(dims, dtype=np.int64)) != total:
        shown = [None if d == -1 else d for d in requested]
        raise ValueError(
            f"Cannot reshape a tensor with {total} elements to shape {shown} "
            f"({int(np.prod(dims, dtype=np.int64))} elements)."
        )
    return dims


# -- SparseSlice --------------------------------------------------------------------------


def _slice_infer(inputs, attrs):
    indices, values, dense_shape, start, size = inputs
    rank = with_rank(indices, 2)[1].merge_with(with_rank(dense_shape, 1)[0])
    with_rank(values, 1)
    return [
        (dtypes.int64, TensorShape([None, rank])),
        (values.dtype.base_dtype, TensorShape([None])),
        (dtypes.int64, TensorShape([rank])),
    ]


def _slice_kernel(ctx, op, indices, values, dense_shape, start, size):
    for name, given in (("start", start), ("size", size)):
        if len(given) != len(dense_shape):
            raise ValueError(
                f"Expected {name} to be a vector of length {len(dense_shape)} but got length "
                f"{len(given)}"
            )
    if (size < 0).any():
        raise ValueError(f"Expected a non-negative size, got {int(size[size < 0][0])}")
    end = np.minimum(start + size, dense_shape)
    inside = ((indices >= start) & (indices < end)).all(axis=1)
    out_shape = np.maximum(end - start, 0).astype(np.int64)
    return indices[inside] - start, values[inside], out_shape


@shaped_like_inputs
def _slice_grad(op, _indices_grad, values_grad, _shape_grad):
    indices, _, _, start, _ = op.inputs
    grad = apply_op(
        "SparseSliceGrad", [values_grad, indices, start, op.outputs[0]], name="SparseSliceGrad"
    )
    return [None, grad, None, None, None]


register_op("SparseSlice", _slice_infer, kernel=_slice_kernel, grad=_slice_grad)


def _slice_grad_infer(inputs, attrs):
    grad, indices = inputs[:2]
    return [(grad.dtype.base_dtype, TensorShape([with_rank(indices, 2)[0]]))]


def _slice_grad_kernel(ctx, op, grad, indices, start, out_indices):
    """The slice kept, in order, the input entries whose shifted index is an output's."""
    shifted_ids, out_ids = row_ids(indices - start, out_indices)
    kept = np.isin(shifted_ids, out_ids)
    if kept.sum() != len(grad):
        raise ValueError(
            f"Elements of backprop_val_grad aren't all propagated. Num elements: {len(grad)}, "
            f"used: {int(kept.sum())}"
        )
    out = np.zeros(len(indices), grad.dtype)
    out[kept] = grad
    return out


register_op(
    "SparseSliceGrad", _slice_grad_infer, kernel=_slice_grad_kernel, grad=NOT_DIFFERENTIABLE
)


@undo.atomic
def sparse_slice(sp_input, start, size, name=None) -> SparseTensor:
    """The part of ``sp_input`` from ``start`` with extent ``size`` (cut at its dense shape),
    its indices relative to ``start``."""
    sp = as_sparse(sp_input)
    start = convert_to_tensor(start, dtypes.int64)
    size = convert_to_tensor(size, dtypes.int64)
    with name_scope(name, "SparseSlice", [sp.indices, sp.values]) as scope:
        inputs = [sp.indices, sp.values, sp.dense_shape, start, size]
        return SparseTensor(*apply_op("SparseSlice", inputs, name=scope))


# -- SparseFillEmptyRows ------------------------------------------------------------------


def _fill_infer(inputs, attrs):
    indices, values, dense_shape, default = inputs
    dtype = values.dtype.base_dtype
    check_same_dtype("SparseFillEmptyRows", ("values", "default_value"), [values, default])
    with_rank(default, 0)
    rank = with_rank(indices, 2)[1].merge_with(with_rank(dense_shape, 1)[0])
    dims = constant_value(dense_shape)  # TF: one indicator per row, when the rows are known
    rows = int(dims[0]) if dims is not None and len(dims) else None
    return [
        (dtypes.int64, TensorShape([None, rank])),
        (dtype, TensorShape([None])),
        (dtypes.bool, TensorShape([rows])),
        (dtypes.int64, TensorShape([with_rank(values, 1)[0]])),
    ]


def _fill_kernel(ctx, op, indices, values, dense_shape, default):
    if not len(dense_shape):
        raise ValueError("Dense shape must be at least rank 1, got []")
    n_rows = int(dense_shape[0])
    rows = indices[:, 0]
    bad = (rows < 0) | (rows >= n_rows)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"indices({i}, 0) is invalid: {int(rows[i])} >= {n_rows}")
    empty = np.bincount(rows, minlength=n_rows) == 0
    filler = np.zeros((int(empty.sum()), indices.shape[1]), np.int64)
    filler[:, 0] = np.flatnonzero(empty)
    all_indices = np.concatenate([indices, filler])
    order = np.argsort(all_indices[:, 0], kind="stable")  # by row, in input order within one
    all_values = np.concatenate([values, np.full(len(filler), default, values.dtype)])
    reverse = np.empty(len(all_indices), np.int64)
    reverse[order] = np.arange(len(order))
    return all_indices[order], all_values[order], empty, reverse[: len(indices)]


@shaped_like_inputs
def _fill_grad(op, _indices_grad, values_grad, _empty_grad, _map_grad):
    values_g, default_g = apply_op(
        "SparseFillEmptyRowsGrad", [op.outputs[3], values_grad], name="SparseFillEmptyRowsGrad"
    )
    return [None, values_g, None, default_g]


register_op("SparseFillEmptyRows", _fill_infer, kernel=_fill_kernel, grad=_fill_grad)


def _fill_grad_infer(inputs, attrs):
    reverse_index_map, grad = inputs
    dtype = grad.dtype.base_dtype
    return [(dtype, TensorShape([with_rank(reverse_index_map, 1)[0]])), (dtype, TensorShape([]))]


def _fill_grad_kernel(ctx, op, reverse_index_map, grad):
    """The input values' gradients are the outputs' they moved to; the default value's is the
    sum over the filled-in entries."""
    filled = np.ones(len(grad), bool)
    filled[reverse_index_map] = False
    return grad[reverse_index_map], grad[filled].sum(dtype=grad.dtype)


register_op(
    "SparseFillEmptyRowsGrad", _fill_grad_infer, kernel=_fill_grad_kernel, grad=NOT_DIFFERENTIABLE
)


@undo.atomic
def sparse_fill_empty_rows(sp_input, default_value, name=None):
    """``(filled, empty_row_indicator)``: ``sp_input`` with an entry ``default_value`` at
    ``[row, 0, ...]`` for each row that has none, and which rows those were."""
    sp = as_sparse(sp_input)
    with name_scope(name, "SparseFillEmptyRows", [sp.indices, sp.values]):
        default = convert_to_tensor(default_value, dtype=sp.values.dtype.base_dtype)
        inputs = [sp.indices, sp.values, sp.dense_shape, default]
        indices, values, empty, _ = apply_op("SparseFillEmptyRows", inputs)
        return SparseTensor(indices, values, sp.dense_shape), empty


# -- sparse_transpose ---------------------------------------------------------------------


@undo.atomic
def sparse_transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """``sp_input`` with its dimensions permuted by ``perm`` (reversed by default), entries
    reordered to row-major order, built as TF1 builds it (gathers and a ``SparseReorder``)."""
    sp = as_sparse(sp_input)
    with name_scope(name, "SparseTranspose", [sp.indices, sp.values]):
        if perm is None:
            rank = sp.shape.ndims
            if rank is not None:
                perm = (rank - 1) - np.arange(0, rank, 1)
            else:
                rank = size(sp.dense_shape)
                perm = (rank - 1) - range_(0, rank, 1)
        indices = transpose(gather(transpose(sp.indices, [1, 0]), perm), [1, 0])
        known_perm = constant_value(convert_to_tensor(perm))
        if known_perm is not None and sp.shape.is_fully_defined():
            old = sp.shape.as_list()
            dense_shape = [old[p] for p in known_perm]
        else:
            dense_shape = gather(sp.dense_shape, perm)
        return sparse_reorder(SparseTensor(indices, sp.values, dense_shape))


# -- sparse_retain ------------------------------------------------------------------------


@undo.atomic
def sparse_retain(sp_input, to_retain) -> SparseTensor:
    """The entries of ``sp_input`` where the bool vector ``to_retain`` is true; the sparse
    dropout of GCN code: ``tf.sparse_retain(x, mask) * (1 / keep_prob)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, 3.0], [3, 3])
    ...     kept = tf.sparse_retain(sp, [True, False, True])
    ...     tf.Session().run(kept.values).tolist()
    [1.0, 3.0]
    """
    sp = as_sparse(sp_input)
    to_retain = convert_to_tensor(to_retain)
    to_retain.shape.assert_has_rank(1)
    if sp.values.shape.ndims is not None:
        sp.values.shape[0].assert_is_compatible_with(
            tensor_shape.dimension_at_index(to_retain.shape, 0)
        )
    where_true = reshape(where_v2(to_retain), [-1])
    new_indices = gather(sp.indices, where_true)
    new_values = gather(sp.values, where_true)
    return SparseTensor(new_indices, new_values, identity(sp.dense_shape))


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "sparse_fill_empty_rows",
    "sparse_reorder",
    "sparse_reshape",
    "sparse_retain",
    "sparse_slice",
    "sparse_transpose",
]
