"""``tf.sparse.bincount``: counts of non-negative integers as a ``SparseTensor``, over all
values (``axis=0``) or per row (``axis=-1``), with the ``DenseCountSparseOutput``,
``SparseCountSparseOutput`` and ``RaggedCountSparseOutput`` ops TF builds."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.core.infer import INDEX, REALS, apply_op, check_dtype_in
from scopeflow.ops.sparse.tensor import SparseTensor

TensorShape = tensor_shape.TensorShape
_WEIGHTS = (dtypes.int32, dtypes.int64, *REALS)


def _outputs(rank, weights) -> list:
    out_rank = None if rank is None else rank
    return [
        (dtypes.int64, TensorShape([None, out_rank])),
        (weights.dtype.base_dtype, TensorShape([None])),
        (dtypes.int64, TensorShape([out_rank])),
    ]


def _check_attrs(op_type: str, attrs) -> None:
    for key in ("minlength", "maxlength"):
        if int(attrs[key]) < -1:
            raise ValueError(
                f"Attr '{key}' of '{op_type}' Op passed {attrs[key]} less than minimum -1."
            )


def _dense_count_infer(inputs, attrs):
    values, weights = inputs
    check_dtype_in("DenseCountSparseOutput", "values", values, INDEX)
    check_dtype_in("DenseCountSparseOutput", "weights", weights, _WEIGHTS)
    _check_attrs("DenseCountSparseOutput", attrs)
    rank, w_rank = values.shape.ndims, weights.shape.ndims
    empty = weights.shape.as_list() == [0] if w_rank is not None else True
    if not empty and None not in (rank, w_rank) and rank != w_rank:
        raise ValueError(f"Shapes must be equal rank, but are {w_rank} and {rank}")
    return _outputs(rank, weights)


def _sparse_count_infer(inputs, attrs):
    indices, values, dense_shape, weights = inputs
    check_dtype_in("SparseCountSparseOutput", "values", values, INDEX)
    check_dtype_in("SparseCountSparseOutput", "weights", weights, _WEIGHTS)
    _check_attrs("SparseCountSparseOutput", attrs)
    rank = indices.shape.as_list()[1] if indices.shape.ndims == 2 else None
    return _outputs(rank, weights)


def _count(rows, values, weights, batch, attrs, out_dtype):
    """The ``(indices, values, dense_shape)`` of the counts of ``values`` (in batch rows
    ``rows``, or one row when ``batch`` is None)."""
    values = np.asarray(values).reshape(-1).astype(np.int64)
    if values.size and values.min() < 0:
        raise ValueError("Input values must all be non-negative")
    minlength, maxlength = int(attrs["minlength"]), int(attrs["maxlength"])
    biggest = int(values.max()) if values.size else 0
    size = maxlength if maxlength > 0 else max(biggest + 1, minlength)
    kept = values < maxlength if maxlength > 0 else np.ones(values.shape, bool)
    rows = np.zeros(values.shape, np.int64) if rows is None else np.asarray(rows, np.int64)
    if attrs["binary_output"]:
        amounts = np.ones(values.shape, out_dtype)
    elif np.size(weights):
        amounts = np.asarray(weights).reshape(-1).astype(out_dtype)
    else:
        amounts = np.ones(values.shape, out_dtype)
    keys = rows[kept] * size + values[kept]
    unique, where = np.unique(keys, return_inverse=True)
    totals = np.zeros(len(unique), out_dtype)
    np.add.at(totals, where.reshape(-1), amounts[kept])
    if attrs["binary_output"]:
        totals = np.ones(len(unique), out_dtype)
    if batch is None:
        indices = (unique % size).reshape(-1, 1)
        shape = np.array([size], np.int64)
    else:
        indices = np.stack([unique // size, unique % size], axis=1)
        shape = np.array([batch, size], np.int64)
    return indices.astype(np.int64), totals, shape


def _check_weights(weights, values) -> None:
    if np.size(weights) and np.shape(weights) != np.shape(values):
        raise ValueError(
            f"Weights and values must have the same shape. Weight shape: "
            f"{list(np.shape(weights))}; values shape: {list(np.shape(values))}"
        )


def _dense_count_kernel(ctx, op, values, weights):
    values = np.asarray(values)
    if values.ndim not in (1, 2):
        raise ValueError(
            f"Input must be a 1 or 2-dimensional tensor. Got: [{','.join(map(str, values.shape))}]"
        )
    _check_weights(weights, values)
    out_dtype = op._attrs["output_type"].as_numpy_dtype
    if values.ndim == 1:
        return _count(None, values, weights, None, op._attrs, out_dtype)
    rows = np.repeat(np.arange(values.shape[0]), values.shape[1])
    return _count(rows, values, weights, values.shape[0], op._attrs, out_dtype)


def _sparse_count_kernel(ctx, op, indices, values, dense_shape, weights):
    indices = np.asarray(indices)
    if len(dense_shape) not in (1, 2):
        raise ValueError(f"Input must be a 1 or 2-dimensional tensor. Got rank {len(dense_shape)}")
    _check_weights(weights, values)
    out_dtype = op._attrs["output_type"].as_numpy_dtype
    if len(dense_shape) == 1:
        return _count(None, values, weights, None, op._attrs, out_dtype)
    return _count(indices[:, 0], values, weights, int(dense_shape[0]), op._attrs, out_dtype)


def _ragged_count_infer(inputs, attrs):
    splits, values, weights = inputs
    check_dtype_in("RaggedCountSparseOutput", "splits", splits, (dtypes.int64,))
    check_dtype_in("RaggedCountSparseOutput", "values", values, INDEX)
    check_dtype_in("RaggedCountSparseOutput", "weights", weights, _WEIGHTS)
    _check_attrs("RaggedCountSparseOutput", attrs)
    return _outputs(2, weights)


def _ragged_count_kernel(ctx, op, splits, values, weights):
    splits = np.asarray(splits, np.int64)
    if splits.size == 0:
        raise ValueError("Must provide at least 2 elements for the splits argument")
    if splits[0] != 0:
        raise ValueError(f"Splits must start with 0, not with {splits[0]}")
    if splits[-1] != np.size(values):
        raise ValueError(
            f"Splits must end with the number of values, got {splits[-1]} instead of "
            f"{np.size(values)}"
        )
    _check_weights(weights, values)
    rows = np.repeat(np.arange(len(splits) - 1), np.diff(splits))
    out_dtype = op._attrs["output_type"].as_numpy_dtype
    return _count(rows, values, weights, len(splits) - 1, op._attrs, out_dtype)


register_op(
    "RaggedCountSparseOutput",
    _ragged_count_infer,
    kernel=_ragged_count_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)
register_op(
    "DenseCountSparseOutput",
    _dense_count_infer,
    kernel=_dense_count_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)
register_op(
    "SparseCountSparseOutput",
    _sparse_count_infer,
    kernel=_sparse_count_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _is_ragged(value) -> bool:
    """A ``tf.RaggedTensor`` (seen by its components: ops/ stays below ragged/)."""
    return hasattr(value, "row_splits") and hasattr(value, "flat_values")


def _count_attrs(dtype, weights, minlength, maxlength, binary_output) -> dict:
    return {
        "T": dtype,
        "minlength": -1 if minlength is None else int(minlength),
        "maxlength": -1 if maxlength is None else int(maxlength),
        "binary_output": bool(binary_output),
        "output_type": weights.dtype.base_dtype,
    }


def _ragged_bincount(values, weights, axis, minlength, maxlength, binary_output):
    if weights is not None:
        if not _is_ragged(weights):
            raise ValueError(
                "`weights` must be a RaggedTensor if `values` is a RaggedTensor. Received "
                f"argument weights={weights} of type: {type(weights).__name__}."
            )
        weights = weights.flat_values
    if values.flat_values.shape.ndims != 1 or len(values.nested_row_splits) != 1:
        raise TypeError(
            f"Failed to convert elements of {values} to Tensor: tf.sparse.bincount takes "
            "RaggedTensors of ragged_rank 1 with 1-D flat values."
        )
    dtype = values.flat_values.dtype.base_dtype
    if weights is None:
        weights = convert_to_tensor(np.zeros(0, dtype.as_numpy_dtype))
    attrs = _count_attrs(dtype, weights, minlength, maxlength, binary_output)
    if axis == 0:
        out = apply_op("DenseCountSparseOutput", [values.flat_values, weights], attrs)
    else:
        args = [values.row_splits, values.flat_values, weights]
        out = apply_op("RaggedCountSparseOutput", args, attrs)
    return SparseTensor(*out)


@undo.atomic
def sparse_bincount(
    values, weights=None, axis=0, minlength=None, maxlength=None, binary_output=False, name=None
) -> SparseTensor:
    """``tf.sparse.bincount``: how often each non-negative integer of ``values`` (a tensor,
    ``SparseTensor`` or ``RaggedTensor``) occurs, or the sum of its ``weights``, or 1
    (``binary_output``), as a ``SparseTensor``: over all values (``axis=0``, shape
    ``[size]``) or per row of a 2-D ``values`` (``axis=-1``, shape ``[rows, size]``);
    ``size`` is ``maxlength`` when given, else one more than the largest value, at least
    ``minlength``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     counts = tf.sparse.bincount([[1, 2, 2], [0, 5, 1]], axis=-1)
    ...     print(tf.Session().run(counts).values)
    [1 2 1 1 1]
    """
    if weights is not None and binary_output:
        raise ValueError(
            "Arguments `binary_output` and `weights` are mutually exclusive. Please specify "
            "only one."
        )
    if axis is None:
        axis = 0
    if axis not in (0, -1):
        raise ValueError(
            f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported."
        )
    with name_scope(name, "count", [values, weights]):
        if _is_ragged(values):
            return _ragged_bincount(values, weights, axis, minlength, maxlength, binary_output)
        sparse = isinstance(values, SparseTensor)
        if sparse:
            if weights is not None and not isinstance(weights, SparseTensor):
                raise ValueError(
                    "Argument `weights` must be a SparseTensor if `values` is a SparseTensor. "
                    f"Received weights={weights} of type: {type(weights).__name__}"
                )
            weights = None if weights is None else weights.values
        else:
            values = convert_to_tensor(values, name="values")
            if weights is not None:
                weights = convert_to_tensor(weights, name="weights")
        if axis == 0 and sparse:
            values, sparse = values.values, False
        elif axis == 0 and values.shape.ndims != 1:
            values = reshape(values, [-1])
            if weights is not None:
                weights = reshape(weights, [-1])
        dtype = (values.values if sparse else values).dtype.base_dtype
        if weights is None:
            weights = convert_to_tensor(np.zeros(0, dtype.as_numpy_dtype))
        attrs = _count_attrs(dtype, weights, minlength, maxlength, binary_output)
        if sparse:
            args = [values.indices, values.values, values.dense_shape, weights]
            out = apply_op("SparseCountSparseOutput", args, attrs)
        else:
            out = apply_op("DenseCountSparseOutput", [values, weights], attrs)
        return SparseTensor(*out)


__all__: list[str] = []
