"""Set operations along the last dimension (``tf.sets``): each group of the first ``n-1``
dimensions of a dense tensor, or each row group of a ``SparseTensor``, is a set of values.
``DenseToDenseSetOperation``, ``DenseToSparseSetOperation`` and
``SparseToSparseSetOperation`` give the sorted result sets as a ``SparseTensor``;
``SetSize`` counts the distinct values per group. None has a gradient (TF1 marks them so);
``tf.metrics``' top-k metrics are built on them."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.sparse.rows import check_valid_order, index_text
from scopeflow.ops.sparse.tensor import (
    SparseTensor,
    convert_to_tensor_or_sparse_tensor,
    with_rank,
)

TensorShape = tensor_shape.TensorShape

_VALID_DTYPES = (
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint8,
    dtypes.uint16,
    dtypes.string,
)
_VALID_TEXT = "int8, int16, int32, int64, uint8, uint16, string"


def _result_specs(rank, dtype) -> list:
    """The three outputs of a set operation whose result has ``rank`` (a Dimension)."""
    return [
        (dtypes.int64, TensorShape([None, rank])),
        (dtype, TensorShape([None])),
        (dtypes.int64, TensorShape([rank])),
    ]


def _at_least_2(t) -> None:
    if t.shape.ndims is not None and t.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {t.shape.ndims}")


def _sparse_rank(indices, values, dense_shape):
    """The rank a sparse operand's tensors agree on (TF's ValidateSparseTensor)."""
    with_rank(values, 1)
    with_rank(indices, 2)[0].assert_is_compatible_with(values.shape[0])
    return indices.shape[1].merge_with(with_rank(dense_shape, 1)[0])


# -- NumPy: groups of values as int64 keys --------------------------------------------------


def _group_shape(shape) -> tuple[int, ...]:
    shape = tuple(int(d) for d in shape)
    if len(shape) < 2:
        raise ValueError(f"Shape {index_text(shape)} has rank {len(shape)} < 2")
    return shape[:-1]


def _dense_members(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(flat group, value) of every element of a dense operand."""
    width = x.shape[-1]
    groups = np.repeat(np.arange(x.size // width if width else 0, dtype=np.int64), width)
    return groups, x.reshape(-1)


def _sparse_members(indices, values, dense_shape, validate: bool):
    """(flat group, value) of every entry of a sparse operand, checked as TF checks it."""
    if len(dense_shape) < 2:
        raise ValueError(f"Invalid rank {len(dense_shape)}.")
    if validate:
        check_valid_order(indices, dense_shape)
    groups = np.ravel_multi_index(tuple(indices[:, :-1].T), tuple(dense_shape[:-1]))
    return groups.astype(np.int64), values


def _check_groups(shape1, shape2) -> tuple[int, ...]:
    group1, group2 = _group_shape(shape1), _group_shape(shape2)
    if group1 != group2:
        raise ValueError(f"Mismatched shapes {index_text(group1)} vs {index_text(group2)}")
    return group1


def _apply(set_operation: str, group_shape, a, b, dtype):
    """The result ``(indices, values, shape)`` of ``set_operation`` on two operands given as
    (flat group, value) pairs: within each group the values are distinct and sorted."""
    (ga, va), (gb, vb) = a, b
    distinct, codes = np.unique(np.concatenate([va, vb]), return_inverse=True)
    codes = codes.reshape(-1).astype(np.int64)
    width = max(len(distinct), 1)
    keys_a = np.unique(ga * width + codes[: len(va)])
    keys_b = np.unique(gb * width + codes[len(va) :])
    op = set_operation.lower()
    if op == "a-b":
        keys = np.setdiff1d(keys_a, keys_b, assume_unique=True)
    elif op == "b-a":
        keys = np.setdiff1d(keys_b, keys_a, assume_unique=True)
    elif op == "intersection":
        keys = np.intersect1d(keys_a, keys_b, assume_unique=True)
    elif op == "union":
        keys = np.union1d(keys_a, keys_b)
    else:
        raise ValueError(f"Invalid set_operation {op}.")
    groups = keys // width
    starts = np.searchsorted(groups, groups, side="left")
    positions = np.arange(len(keys), dtype=np.int64) - starts
    most = int(np.bincount(groups).max()) if len(keys) else 0
    rows = np.unravel_index(groups, group_shape) if group_shape else ()
    indices = np.stack([*rows, positions], axis=1).astype(np.int64)
    values = distinct[keys % width].astype(dtype.as_numpy_dtype, copy=False)
    return indices, values, np.array([*group_shape, most], np.int64)


# -- DenseToDenseSetOperation ---------------------------------------------------------------


def _dense_dense_infer(inputs, attrs):
    set1, set2 = inputs
    _at_least_2(set1)
    _at_least_2(set2)
    if set1.shape.ndims is not None:
        rank = set1.shape.ndims
        if set2.shape.ndims not in (None, rank):
            raise ValueError(f"Shape must be rank {rank} but is rank {set2.shape.ndims}")
        if set2.shape.ndims is not None:
            merge_shapes(set1.shape[: rank - 1], set2.shape[: rank - 1])
    else:
        rank = set2.shape.ndims
    return _result_specs(rank, set1.dtype.base_dtype)


def _dense_dense_kernel(ctx, op, set1, set2):
    group_shape = _check_groups(set1.shape, set2.shape)
    a, b = _dense_members(set1), _dense_members(set2)
    return _apply(op._attrs["set_operation"], group_shape, a, b, op.outputs[1].dtype)


register_op(
    "DenseToDenseSetOperation",
    _dense_dense_infer,
    kernel=_dense_dense_kernel,
    grad=NOT_DIFFERENTIABLE,
)


# -- DenseToSparseSetOperation --------------------------------------------------------------


def _dense_sparse_infer(inputs, attrs):
    set1, indices, values, dense_shape = inputs
    rank = _sparse_rank(indices, values, dense_shape)
    _at_least_2(set1)
    if set1.shape.ndims is not None:
        rank.assert_is_compatible_with(set1.shape.ndims)
        rank = tensor_shape.Dimension(set1.shape.ndims)
    return _result_specs(rank, set1.dtype.base_dtype)


def _dense_sparse_kernel(ctx, op, set1, indices, values, dense_shape):
    validate = op._attrs["validate_indices"]
    b = _sparse_members(indices, values, dense_shape, validate)
    group_shape = _check_groups(set1.shape, dense_shape)
    a = _dense_members(set1)
    return _apply(op._attrs["set_operation"], group_shape, a, b, op.outputs[1].dtype)


register_op(
    "DenseToSparseSetOperation",
    _dense_sparse_infer,
    kernel=_dense_sparse_kernel,
    grad=NOT_DIFFERENTIABLE,
)


# -- SparseToSparseSetOperation -------------------------------------------------------------


def _sparse_sparse_infer(inputs, attrs):
    rank1 = _sparse_rank(*inputs[:3])
    rank2 = _sparse_rank(*inputs[3:6])
    for i, rank in enumerate((rank1, rank2)):
        if rank.value is not None and rank.value < 2:
            raise ValueError(f"Input {i}, expected rank >= 2, got {rank.value}.")
    return _result_specs(rank1.merge_with(rank2), inputs[1].dtype.base_dtype)


def _sparse_sparse_kernel(ctx, op, *operands):
    validate = op._attrs["validate_indices"]
    a = _sparse_members(*operands[:3], validate)
    b = _sparse_members(*operands[3:], validate)
    group_shape = _check_groups(operands[2], operands[5])
    return _apply(op._attrs["set_operation"], group_shape, a, b, op.outputs[1].dtype)


register_op(
    "SparseToSparseSetOperation",
    _sparse_sparse_infer,
    kernel=_sparse_sparse_kernel,
    grad=NOT_DIFFERENTIABLE,
)


# -- SetSize --------------------------------------------------------------------------------


def _set_size_infer(inputs, attrs):
    _sparse_rank(*inputs)
    return [(dtypes.int32, TensorShape(None))]


def _set_size_kernel(ctx, op, indices, values, dense_shape):
    groups, values = _sparse_members(indices, values, dense_shape, op._attrs["validate_indices"])
    group_shape = _group_shape(dense_shape)
    out = np.zeros(int(np.prod(group_shape, dtype=np.int64)), np.int32)
    if len(values):
        _, codes = np.unique(values, return_inverse=True)
        width = int(codes.max()) + 1
        distinct = np.unique(groups * width + codes.reshape(-1))
        np.add.at(out, distinct // width, 1)
    return out.reshape(group_shape)


register_op("SetSize", _set_size_infer, kernel=_set_size_kernel, grad=NOT_DIFFERENTIABLE)


# -- tf.sets --------------------------------------------------------------------------------


def _operands(a, b):
    """``a`` and ``b`` as tensors or sparse tensors of one valid dtype, dense first; and
    whether they were swapped."""
    a = convert_to_tensor_or_sparse_tensor(a, name="a")
    if a.dtype.base_dtype not in _VALID_DTYPES:
        raise TypeError(
            f"'a' has invalid dtype `{a.dtype}` not in supported dtypes: `{_VALID_TEXT}`."
        )
    b = convert_to_tensor_or_sparse_tensor(b, name="b")
    if b.dtype.base_dtype != a.dtype.base_dtype:
        raise TypeError(f"Types don't match, {a.dtype} vs {b.dtype}.")
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        return b, a, True
    return a, b, False


def _set_operation(a, b, set_operation: str, validate_indices: bool) -> SparseTensor:
    attrs = {"set_operation": set_operation, "validate_indices": bool(validate_indices)}
    if isinstance(a, SparseTensor):
        inputs = [a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape]
        op_type = "SparseToSparseSetOperation"
    elif isinstance(b, SparseTensor):
        inputs, op_type = [a, b.indices, b.values, b.dense_shape], "DenseToSparseSetOperation"
    else:
        inputs, op_type = [a, b], "DenseToDenseSetOperation"
    return SparseTensor(*apply_op(op_type, inputs, attrs, name=op_type))


@undo.atomic
def set_size(a, validate_indices=True):
    """The number of distinct values in each set (last dimension) of the ``SparseTensor``
    ``a``: an int32 tensor of ``a``'s shape without its last dimension.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sets = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 3, 5], [2, 2])
    ...     print(tf.Session().run(tf.sets.size(sets)))
    [1 1]
    """
    a = convert_to_tensor_or_sparse_tensor(a, name="a")
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    if a.values.dtype.base_dtype not in _VALID_DTYPES:
        raise TypeError(
            f"Invalid dtype `{a.values.dtype}` not in supported dtypes: `{_VALID_TEXT}`."
        )
    inputs = [a.indices, a.values, a.dense_shape]
    return apply_op("SetSize", inputs, {"validate_indices": bool(validate_indices)}, "SetSize")


@undo.atomic
def set_intersection(a, b, validate_indices=True) -> SparseTensor:
    """The values in both ``a`` and ``b``, set by set along the last dimension, sorted, as a
    ``SparseTensor`` (dense or sparse operands; a sparse ``a`` with a dense ``b`` is swapped).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     both = tf.sets.intersection([[1, 2, 3], [4, 5, 6]], [[3, 1, 1], [7, 7, 7]])
    ...     print(tf.Session().run(tf.sparse.to_dense(both)))
    [[1 3]
     [0 0]]
    """
    a, b, _ = _operands(a, b)
    return _set_operation(a, b, "intersection", validate_indices)


@undo.atomic
def set_difference(a, b, aminusb=True, validate_indices=True) -> SparseTensor:
    """The values of ``a`` not in ``b`` (``b`` not in ``a`` when ``aminusb`` is false), set
    by set along the last dimension, sorted, as a ``SparseTensor``."""
    a, b, flipped = _operands(a, b)
    if flipped:
        aminusb = not aminusb
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


@undo.atomic
def set_union(a, b, validate_indices=True) -> SparseTensor:
    """The values in ``a`` or ``b``, set by set along the last dimension, sorted, as a
    ``SparseTensor``."""
    a, b, _ = _operands(a, b)
    return _set_operation(a, b, "union", validate_indices)


__all__: list[str] = []  # tf.sets names these (scopeflow/sets.py)
