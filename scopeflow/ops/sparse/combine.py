"""Sparse tensors combined: ``SparseAdd`` (with ``SparseAddGrad``), ``SparseConcat``, and the
sums ``SparseReduceSum`` (dense result) and ``SparseReduceSumSparse`` (sparse result)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import ones, reshape, shape
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import size
from scopeflow.ops.array.stitch import dynamic_stitch
from scopeflow.ops.core.infer import (
    apply_op,
    check_list_dtype,
    check_same_dtype,
    constant_value,
    int_operand,
)
from scopeflow.ops.math.reduction import reduce_max
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.sparse.dense import sparse_dense_add
from scopeflow.ops.sparse.rows import (
    index_text,
    occurrences,
    out_of_bounds,
    row_ids,
    row_major_order,
    sums_at,
)
from scopeflow.ops.sparse.tensor import (
    SparseTensor,
    as_sparse,
    is_sparse,
    shaped_like_inputs,
    with_rank,
)

TensorShape = tensor_shape.TensorShape


def _sparse_outputs(rank, dtype, shape_shape) -> list:
    """The three outputs of an op making a sparse tensor of ``rank``."""
    return [
        (dtypes.int64, TensorShape([None, rank])),
        (dtype, TensorShape([None])),
        (dtypes.int64, shape_shape),
    ]


# -- SparseAdd ----------------------------------------------------------------------------


def _add_infer(inputs, attrs):
    a_indices, a_values, a_shape, b_indices, b_values, b_shape, _ = inputs
    dtype = check_same_dtype("SparseAdd", ("a_values", "b_values"), [a_values, b_values])
    rank = with_rank(a_indices, 2)[1].merge_with(with_rank(b_indices, 2)[1])
    return _sparse_outputs(rank, dtype, with_rank(a_shape, 1).merge_with(b_shape.shape))


def _check_operands(a_indices, a_values, a_shape, b_indices, b_values, b_shape) -> None:
    if (len(a_indices), len(b_indices)) != (len(a_values), len(b_values)):
        raise ValueError(
            f"Expected {len(a_indices)} and {len(b_indices)} non-empty input values, got "
            f"{len(a_values)} and {len(b_values)}"
        )
    if a_indices.shape[1] != b_indices.shape[1]:
        raise ValueError(
            f"Input indices must have the same dimension, got {a_indices.shape[1]} and "
            f"{b_indices.shape[1]}"
        )
    for d, (mine, theirs) in enumerate(zip(a_shape.tolist(), b_shape.tolist(), strict=False)):
        if mine != theirs:
            raise ValueError(
                f"Operands' shapes do not match: got {mine} and {theirs} for dimension {d}"
            )


def _counted_row_ids(*matrices) -> list[np.ndarray]:
    """Row ids (see ``rows.row_ids``) that also count repeats: the k-th ``x`` of one matrix
    matches the k-th ``x`` of another, as TF's merge of sorted operands pairs them."""
    ids = row_ids(*matrices)
    return row_ids(*[np.stack([i, occurrences(i)], 1) for i in ids])


def _add_kernel(ctx, op, a_indices, a_values, a_shape, b_indices, b_values, b_shape, thresh):
    _check_operands(a_indices, a_values, a_shape, b_indices, b_values, b_shape)
    if np.ndim(thresh):
        raise ValueError(f"The magnitude threshold must be a scalar: got shape {thresh.shape}")
    a_keys, b_keys = _counted_row_ids(a_indices, b_indices)
    keys = np.concatenate([a_keys, b_keys])
    from_b = np.r_[np.zeros(len(a_keys), bool), np.ones(len(b_keys), bool)]
    order = np.lexsort((from_b, keys))
    indices = np.concatenate([a_indices, b_indices])[order]
    values = np.concatenate([a_values, b_values])[order]
    keys, from_b = keys[order], from_b[order]
    pair = (keys[:-1] == keys[1:]) & ~from_b[:-1] & from_b[1:]  # an a entry, then its b
    keep = np.ones(len(keys), bool)
    first = np.flatnonzero(pair)
    values[first] = values[first] + values[first + 1]
    keep[first + 1] = False
    keep[first] = np.abs(values[first]) >= thresh  # only sums are compared with thresh
    return indices[keep], values[keep], a_shape.copy()


@shaped_like_inputs
def _add_grad(op, *grads):
    a_indices, _, _, b_indices = op.inputs[:4]
    a_grad, b_grad = apply_op(
        "SparseAddGrad", [grads[1], a_indices, b_indices, op.outputs[0]], name="SparseAddGrad"
    )
    return [None, a_grad, None, None, b_grad, None, None]


register_op("SparseAdd", _add_infer, kernel=_add_kernel, grad=_add_grad)


def _add_grad_infer(inputs, attrs):
    grad, a_indices, b_indices, _ = inputs
    dtype = grad.dtype.base_dtype
    return [(dtype, TensorShape([a_indices.shape[0]])), (dtype, TensorShape([b_indices.shape[0]]))]


def _add_grad_kernel(ctx, op, grad, a_indices, b_indices, sum_indices):
    """Each operand entry's gradient is the sum's at its position (0 where a sum fell
    under the threshold)."""
    sum_ids, a_ids, b_ids = _counted_row_ids(sum_indices, a_indices, b_indices)
    return _lookup(a_ids, sum_ids, grad), _lookup(b_ids, sum_ids, grad)


def _lookup(keys, table_keys, table_values) -> np.ndarray:
    """``table_values`` at the position of each of ``keys`` in ``table_keys``, 0 if absent."""
    out = np.zeros(len(keys), table_values.dtype)
    if len(table_keys):
        order = np.argsort(table_keys)
        at = np.searchsorted(table_keys, keys, sorter=order).clip(max=len(table_keys) - 1)
        found = table_keys[order[at]] == keys
        out[found] = table_values[order[at[found]]]
    return out


register_op("SparseAddGrad", _add_grad_infer, kernel=_add_grad_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def sparse_add(a, b, threshold=None, thresh=None):
    """``a + b`` where at least one is sparse: a ``SparseTensor`` when both are (sums whose
    magnitude is below ``threshold`` are dropped), else a dense tensor.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    ...     b = tf.SparseTensor([[1, 1]], [-2.0], [2, 2])
    ...     tf.Session().run(tf.sparse.add(a, b, threshold=0.5)).indices.tolist()
    [[0, 0]]
    """
    if threshold is not None and thresh is not None:
        raise ValueError("Cannot specify both 'threshold' and 'thresh'.")
    threshold = thresh if threshold is None else threshold
    if not (is_sparse(a) or is_sparse(b)):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if not (is_sparse(a) and is_sparse(b)):
        sp, dense = (a, b) if is_sparse(a) else (b, a)
        return sparse_dense_add(as_sparse(sp), dense)
    a, b = as_sparse(a), as_sparse(b)
    real = a.values.dtype.base_dtype.real_dtype
    threshold = convert_to_tensor(0 if threshold is None else threshold, real, name="threshold")
    inputs = [a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape, threshold]
    indices, values, dense_shape = apply_op("SparseAdd", inputs, name="SparseAdd")
    a.shape.assert_is_compatible_with(b.shape)
    if a.shape.is_fully_defined() and b.shape.is_fully_defined():
        dense_shape = a.shape.as_list()
    return SparseTensor(indices, values, dense_shape)


# -- SparseConcat -------------------------------------------------------------------------


def _concat_infer(inputs, attrs):
    n = attrs["N"]
    indices, values = inputs[:n], inputs[n : 2 * n]
    dtype = check_list_dtype("SparseConcat", "values", values)
    rank = tensor_shape.Dimension(None)
    for t in indices:
        rank = rank.merge_with(with_rank(t, 2)[1])
    return _sparse_outputs(rank, dtype, TensorShape([rank]))


def _concat_kernel(ctx, op, *inputs):
    n = op._attrs["N"]
    indices, values, shapes = inputs[:n], inputs[n : 2 * n], inputs[2 * n :]
    rank = len(shapes[0])
    axis = op._attrs["concat_dim"]
    if not -rank <= axis < rank:
        raise ValueError(f"Concat dimension must be in range [{-rank}, {rank}), got {axis}")
    axis %= rank
    for i, s in enumerate(shapes[1:], 1):
        if len(s) != rank:
            raise ValueError(
                f"Ranks of all input tensors must match: expected {rank} but got {len(s)} at "
                f"position {i}"
            )
        for d in range(rank):
            if d != axis and s[d] != shapes[0][d]:
                raise ValueError(
                    f"Input shapes must match: expected {shapes[0][d]} for dimension {d} but got "
                    f"{s[d]} at position {i}"
                )
    offsets = np.cumsum([0] + [int(s[axis]) for s in shapes[:-1]])
    moved = []
    for index, offset in zip(indices, offsets, strict=True):
        index = index.copy()
        index[:, axis] += offset
        moved.append(index)
    all_indices, all_values = np.concatenate(moved), np.concatenate(values)
    order = row_major_order(all_indices)
    out_shape = shapes[0].copy()
    out_shape[axis] = sum(int(s[axis]) for s in shapes)
    return all_indices[order], all_values[order], out_shape


register_op("SparseConcat", _concat_infer, kernel=_concat_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def sparse_concat(
    axis,
    sp_inputs,
    name=None,
    expand_nonconcat_dim=False,
    concat_dim=None,
    expand_nonconcat_dims=None,
) -> SparseTensor:
    """The ``SparseTensor`` joining ``sp_inputs`` along ``axis`` (entries in row-major order);
    with ``expand_nonconcat_dim``, the other dimensions grow to the largest input's."""
    if concat_dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'concat_dim'.")
        axis = concat_dim
    if expand_nonconcat_dims is not None:
        expand_nonconcat_dim = expand_nonconcat_dims
    if not isinstance(sp_inputs, (list, tuple)):
        raise TypeError("Inputs must be a list or tuple.")
    sp_inputs = [as_sparse(sp) for sp in sp_inputs]
    if len(sp_inputs) == 1:
        return sp_inputs[0]
    shapes = [sp.dense_shape for sp in sp_inputs]
    if expand_nonconcat_dim:
        rows = concat([reshape(s, [1, -1]) for s in shapes], 0)
        max_shape = reduce_max(rows, 0)
        shapes = [
            concat(
                [
                    max_shape[:axis],
                    s[-1:] if axis == -1 else s[axis : axis + 1],
                    np.zeros(0, np.int64) if axis == -1 else max_shape[axis + 1 :],
                ],
                0,
            )
            for s in shapes
        ]
    inputs = [*(sp.indices for sp in sp_inputs), *(sp.values for sp in sp_inputs), *shapes]
    attrs = {"N": len(sp_inputs), "concat_dim": int(axis)}
    indices, values, dense_shape = apply_op("SparseConcat", inputs, attrs, name or "SparseConcat")
    static = _concat_static_shape([sp.shape for sp in sp_inputs], int(axis), expand_nonconcat_dim)
    if all(sp.shape.is_fully_defined() for sp in sp_inputs):
        return SparseTensor(indices, values, convert_to_tensor(static, dtype=dtypes.int64))
    result = SparseTensor(indices, values, dense_shape)
    result.set_shape(static)
    return result


def _concat_static_shape(shapes, axis: int, expand: bool):
    if any(s.ndims is None for s in shapes):
        return tensor_shape.unknown_shape()
    if expand:
        columns = zip(*(s.as_list() for s in shapes), strict=True)
        dims = [None if None in column else max(column) for column in columns]
    else:
        dims = shapes[0].as_list()
    dims[axis] = sum((s[axis] for s in shapes[1:]), shapes[0][axis])
    return TensorShape(dims).as_list()


# -- SparseReduceSum / SparseReduceSumSparse --------------------------------------------


def _reduced_shape(dense_shape, axes, keep_dims: bool):
    """The dense result's static shape when the shape and axes are known, as TF's shape
    function reads them: a negative axis counts from the end once, a non-negative one wraps
    around the rank (out-of-range axes fail when run)."""
    dims, axes = constant_value(dense_shape), constant_value(axes)
    if dims is None or axes is None or not len(dims):
        return tensor_shape.unknown_shape()
    rank = len(dims)
    reduced = {int(a) + rank if a < 0 else int(a) % rank for a in np.reshape(axes, -1)}
    kept = [
        1 if d in reduced else int(n) for d, n in enumerate(dims) if keep_dims or d not in reduced
    ]
    return tensor_shape.TensorShape(kept)


def reduce_infer(op_type: str, sparse: bool):
    def infer(inputs, attrs):
        indices, values, dense_shape, axes = inputs
        with_rank(indices, 2)
        with_rank(values, 1)
        with_rank(dense_shape, 1)
        dtype = values.dtype.base_dtype
        unknown = tensor_shape.unknown_shape()  # as TF: not inferred
        if sparse:
            return [(dtypes.int64, unknown), (dtype, unknown), (dtypes.int64, unknown)]
        return [(dtype, _reduced_shape(dense_shape, axes, attrs["keep_dims"]))]

    return infer


def reduced_positions(indices, dims, axes, keep_dims: bool):
    """``(positions, out_dims)``: each entry's index in the result, and the result's dims."""
    rank = len(dims)
    axes = np.reshape(axes, -1)
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(
                f"Invalid reduction dimension {int(a)}, for input with {rank} dimensions."
            )
    reduced = {int(a) % rank for a in axes}
    kept = [d for d in range(rank) if d not in reduced]
    bad = out_of_bounds(indices, dims)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"indices[{i}] = {index_text(indices[i])} is out of bounds: need 0 <= index < "
            f"{index_text(dims)}"
        )
    out_dims = [1 if d in reduced else int(dims[d]) for d in range(rank)]
    return indices[:, kept], kept, out_dims if keep_dims else [out_dims[d] for d in kept]


def _reduce_kernel(ctx, op, indices, values, dims, axes):
    kept_indices, kept, out_dims = reduced_positions(indices, dims, axes, op._attrs["keep_dims"])
    kept_dims = [int(dims[d]) for d in kept]
    positions = np.ravel_multi_index(tuple(kept_indices.T), kept_dims) if kept else 0
    total = sums_at(np.broadcast_to(positions, len(values)), values, int(np.prod(kept_dims)))
    return total.reshape(out_dims)


def _reduce_sparse_kernel(ctx, op, indices, values, dims, axes):
    keep_dims = op._attrs["keep_dims"]
    kept_indices, kept, out_dims = reduced_positions(indices, dims, axes, keep_dims)
    (ids,) = row_ids(kept_indices)
    unique, first, positions = np.unique(ids, return_index=True, return_inverse=True)
    out_indices = np.zeros((len(unique), len(dims) if keep_dims else len(kept)), np.int64)
    out_indices[:, kept if keep_dims else slice(None)] = kept_indices[first]
    totals = sums_at(positions.reshape(-1), values, len(unique))
    return out_indices, totals, np.asarray(out_dims, np.int64)


@shaped_like_inputs
def _reduce_grad(op, out_grad):
    """TF1's: the output's gradient, shaped as if the reduced dims were kept, gathered at
    each entry's index scaled down to that shape."""
    indices, _, dims, axes = op.inputs
    kept_dims = _kept_dims(dims, axes)
    grad = reshape(out_grad, kept_dims)
    scale = dims // kept_dims
    return [None, gather_nd(grad, indices // scale), None, None]


def _kept_dims(dims, axes):
    """``dims`` (int64) with the ``axes`` as 1: TF1's ``math_ops.reduced_shape``."""
    rank = size(dims, out_type=axes.dtype.base_dtype)
    axes = (axes + rank) % rank
    axes_shape = shape(axes)
    positions = range_(rank)
    ones_ = ones(axes_shape, dtype=dims.dtype.base_dtype)
    return dynamic_stitch([positions, axes], [dims, ones_])


register_op(
    "SparseReduceSum",
    reduce_infer("SparseReduceSum", sparse=False),
    kernel=_reduce_kernel,
    grad=_reduce_grad,
)
register_op(
    "SparseReduceSumSparse",
    reduce_infer("SparseReduceSumSparse", sparse=True),
    kernel=_reduce_sparse_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def reduce_op(op_type: str, sp_input, axis, keepdims, reduction_axes, keep_dims):
    for new, old, new_name, old_name in (
        (keepdims, keep_dims, "keepdims", "keep_dims"),
        (axis, reduction_axes, "axis", "reduction_axes"),
    ):
        if new is not None and old is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
    keepdims = bool(keep_dims if keepdims is None else keepdims)
    axis = reduction_axes if axis is None else axis
    sp = as_sparse(sp_input)
    if axis is None:
        rank = sp.shape.ndims
        if rank:
            axis = constant(np.arange(rank, dtype=np.int32))
        else:
            with name_scope(None, "Rank") as scope:
                axis = range_(0, size(sp.dense_shape, name=scope))
    with name_scope(None, op_type, [sp.indices, sp.values, sp.dense_shape]) as scope:
        axes = int_operand(axis, "reduction_axes")
        inputs = [sp.indices, sp.values, sp.dense_shape, axes]
        return apply_op(op_type, inputs, {"keep_dims": keepdims}, name=scope)


@undo.atomic
def sparse_reduce_sum(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
    """The sum of ``sp_input``'s values over ``axis`` (all by default) as a dense tensor.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    ...     print(tf.Session().run(tf.sparse_reduce_sum(sp, axis=1)))
    [3. 3.]
    """
    return reduce_op("SparseReduceSum", sp_input, axis, keepdims, reduction_axes, keep_dims)


@undo.atomic
def sparse_reduce_sum_sparse(
    sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None
) -> SparseTensor:
    """The sum of ``sp_input``'s values over ``axis`` as a ``SparseTensor`` (no gradient)."""
    result = reduce_op("SparseReduceSumSparse", sp_input, axis, keepdims, reduction_axes, keep_dims)
    return SparseTensor(*result)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "sparse_add",
    "sparse_concat",
    "sparse_reduce_sum",
    "sparse_reduce_sum_sparse",
]
