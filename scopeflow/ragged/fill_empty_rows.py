"""``RaggedFillEmptyRows`` and its gradient ``RaggedFillEmptyRowsGrad``
(``tf.ragged_fill_empty_rows``, ``tf.ragged_fill_empty_rows_grad``): a ragged tensor given as
``value_rowids`` and ``values`` (one row id per value) with each empty row of ``nrows`` given
one ``default_value``; values grouped by row in ascending order (stable within a row), with
where each input value went (``reverse_index_map``). As TF's kernels, checks and gradient."""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import apply_op, check_same_dtype, no_gradient

__all__ = ["ragged_fill_empty_rows", "ragged_fill_empty_rows_grad"]

RaggedFillEmptyRows = namedtuple(
    "RaggedFillEmptyRows",
    ["output_value_rowids", "output_values", "empty_row_indicator", "reverse_index_map"],
)
RaggedFillEmptyRowsGrad = namedtuple("RaggedFillEmptyRowsGrad", ["d_values", "d_default_value"])
_VECTOR = tensor_shape.TensorShape([None])


def _check_rank(t, rank: int) -> None:
    if t.shape.ndims is not None and t.shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")


def _fill_infer(inputs, attrs):
    rowids, values, nrows, default = inputs
    if rowids.dtype.base_dtype != dtypes.int64 or nrows.dtype.base_dtype != dtypes.int64:
        bad, arg = (rowids, "value_rowids") if rowids.dtype.base_dtype != dtypes.int64 else (
            nrows, "nrows")  # fmt: skip
        raise TypeError(
            f"Input '{arg}' of 'RaggedFillEmptyRows' Op has type {bad.dtype.base_dtype.name} "
            "that does not match expected type of int64."
        )
    dtype = check_same_dtype("RaggedFillEmptyRows", ("values", "default_value"), [values, default])
    for t, rank in ((rowids, 1), (values, 1), (nrows, 0), (default, 0)):
        _check_rank(t, rank)
    if not rowids.shape.is_compatible_with(values.shape):
        raise ValueError(
            f"Dimensions must be equal, but are {rowids.shape[0].value} and "
            f"{values.shape[0].value}"
        )
    n = rowids.shape.merge_with(values.shape)
    reverse = n if n.ndims == 1 else _VECTOR
    return [(dtypes.int64, _VECTOR), (dtype, _VECTOR), (dtypes.bool, _VECTOR),
            (dtypes.int64, reverse)]  # fmt: skip


def _fill_kernel(ctx, op, rowids, values, nrows, default):
    nrows = int(nrows)
    if nrows < 0:
        raise ValueError(f"Expected shape dimensions to be non-negative, got {nrows}")
    rowids = np.asarray(rowids, np.int64)
    for i, row in enumerate(rowids.tolist()):
        if not 0 <= row < nrows:
            raise ValueError(f"indices({i}, 0) is invalid: {row} >= {nrows}")
    counts = np.bincount(rowids, minlength=nrows)
    empty = counts == 0
    filled = np.where(empty, 1, counts)
    starts = np.concatenate([[0], np.cumsum(filled)[:-1]]).astype(np.int64)
    # Where each value goes: its row's start plus its rank among that row's values.
    order = np.argsort(rowids, kind="stable")
    row_starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    rank = np.empty(len(rowids), np.int64)
    rank[order] = np.arange(len(rowids)) - np.repeat(row_starts, counts)
    reverse = starts[rowids] + rank
    total = int(filled.sum())
    out_rowids = np.repeat(np.arange(nrows, dtype=np.int64), filled)
    out_values = np.empty(total, dtype=np.asarray(values).dtype)
    out_values[starts[empty]] = default
    out_values[reverse] = values
    return out_rowids, out_values, empty, reverse


def _fill_grad(op, *grads):
    grad_values = grads[1]
    d_values, d_default = apply_op("RaggedFillEmptyRowsGrad", [op.outputs[3], grad_values])
    return [None, d_values, None, d_default]


def _grad_infer(inputs, attrs):
    reverse, grad_values = inputs
    _check_rank(reverse, 1)
    _check_rank(grad_values, 1)
    dtype = grad_values.dtype.base_dtype
    return [(dtype, reverse.shape if reverse.shape.ndims else _VECTOR),
            (dtype, tensor_shape.TensorShape([]))]  # fmt: skip


def _grad_kernel(ctx, op, reverse, grad_values):
    reverse = np.asarray(reverse, np.int64)
    n = len(grad_values)
    for index in reverse.tolist():
        if not 0 <= index < n:
            raise ValueError(f"Elements in reverse index must be in [0, {n}) but got {index}")
    unvisited = np.ones(n, bool)
    unvisited[reverse] = False
    rest = np.asarray(grad_values)[unvisited]
    # TF adds them one after another (a cumulative sum keeps that order).
    d_default = np.cumsum(rest, dtype=rest.dtype)[-1] if rest.size else rest.dtype.type(0)
    return np.asarray(grad_values)[reverse], rest.dtype.type(d_default)


register_op("RaggedFillEmptyRows", _fill_infer, kernel=_fill_kernel, grad=_fill_grad)
register_op("RaggedFillEmptyRowsGrad", _grad_infer, kernel=_grad_kernel, grad=no_gradient)


@undo.atomic
def ragged_fill_empty_rows(value_rowids, values, nrows, default_value, name=None):
    """The ragged tensor ``(value_rowids, values)`` of ``nrows`` rows with ``default_value``
    in each empty row: ``(output_value_rowids, output_values, empty_row_indicator,
    reverse_index_map)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     r = tf.ragged_fill_empty_rows(tf.constant([0, 0, 2], tf.int64), [1.0, 2.0, 3.0],
    ...                                   tf.constant(4, tf.int64), -1.0)
    ...     print(tf.Session().run(r.output_values))
    [ 1.  2. -1.  3. -1.]
    """
    inputs = [value_rowids, values, nrows, default_value]
    with name_scope(name, "RaggedFillEmptyRows", inputs) as scope:
        rowids = convert_to_tensor(value_rowids, dtype_hint=dtypes.int64, name="value_rowids")
        vals = convert_to_tensor(values, name="values")
        rows = convert_to_tensor(nrows, dtype_hint=dtypes.int64, name="nrows")
        default = convert_to_tensor(default_value, dtype_hint=vals.dtype.base_dtype,
                                    name="default_value")  # fmt: skip
        attrs = {"T": vals.dtype.base_dtype}
        outs = apply_op("RaggedFillEmptyRows", [rowids, vals, rows, default], attrs, name=scope)
        return RaggedFillEmptyRows(*outs)


@undo.atomic
def ragged_fill_empty_rows_grad(reverse_index_map, grad_values, name=None):
    """The gradient op of :func:`ragged_fill_empty_rows`: ``(d_values, d_default_value)``,
    the output gradients of the values where they went and the sum of the rest."""
    with name_scope(name, "RaggedFillEmptyRowsGrad", [reverse_index_map, grad_values]) as scope:
        reverse = convert_to_tensor(reverse_index_map, dtype_hint=dtypes.int64,
                                    name="reverse_index_map")  # fmt: skip
        grads = convert_to_tensor(grad_values, name="grad_values")
        attrs = {"T": grads.dtype.base_dtype}
        outs = apply_op("RaggedFillEmptyRowsGrad", [reverse, grads], attrs, name=scope)
        return RaggedFillEmptyRowsGrad(*outs)
