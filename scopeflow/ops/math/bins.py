"""Binning values: ``LowerBound``/``UpperBound`` (``tf.searchsorted``, each row of values
looked up in the matching row of a sorted sequence) and ``HistogramFixedWidth``
(``tf.histogram_fixed_width``, counts in equal-width bins, the outer bins taking what falls
outside the range)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.core.infer import (
    apply_op,
    check_dtype_in,
    check_same_dtype,
    constant_value,
)

_HISTOGRAM_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def _bound_infer(op_type: str):
    def infer(inputs, attrs):
        check_same_dtype(op_type, ("sorted_inputs", "values"), inputs)
        for t in inputs:
            if t.shape.ndims not in (None, 2):
                raise ValueError(f"Shape must be rank 2 but is rank {t.shape.ndims}")
        return [(attrs["out_type"], inputs[1].shape)]  # rows are matched at run time, as TF

    return infer


def _bound_kernel(side: str):
    def kernel(ctx, op, sorted_inputs, values):
        if sorted_inputs.shape[0] != values.shape[0]:
            raise ValueError(
                "Leading dim_size of both tensors must match: "
                f"{sorted_inputs.shape[0]} vs. {values.shape[0]}"
            )
        out = np.empty(values.shape, op._attrs["out_type"].as_numpy_dtype)
        for row, (sequence, wanted) in enumerate(zip(sorted_inputs, values, strict=True)):
            out[row] = np.searchsorted(sequence, wanted, side=side)
        return out

    return kernel


register_op(
    "LowerBound", _bound_infer("LowerBound"), kernel=_bound_kernel("left"), grad=NOT_DIFFERENTIABLE
)
register_op(
    "UpperBound", _bound_infer("UpperBound"), kernel=_bound_kernel("right"), grad=NOT_DIFFERENTIABLE
)


def _shape_internal(x):
    """TF1's ``shape_internal``: a ``Shape/shape_as_tensor`` constant when the shape is
    known while building, else a ``Shape`` op."""
    if x.shape.is_fully_defined():
        with name_scope("Shape"):
            return constant(x.shape.as_list(), dtypes.int32, name="shape_as_tensor")
    return shape(x, name="Shape")


@undo.atomic
def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """For each value, the index in the last axis of ``sorted_sequence`` (the row matching
    its leading dimensions) where it would be inserted to keep the order: before equal
    elements with ``side='left'`` (``LowerBound``), after them with ``'right'``
    (``UpperBound``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.searchsorted([1.0, 2.0, 3.0], [2.0, 2.5])).tolist())
    [1, 2]
    """
    sorted_sequence = convert_to_tensor(sorted_sequence)
    values = convert_to_tensor(values)
    sequence_size = _shape_internal(sorted_sequence)[-1]
    values_size = _shape_internal(values)[-1]
    sorted_2d = reshape(sorted_sequence, [-1, sequence_size])
    values_2d = reshape(values, [-1, values_size])
    if side not in ("left", "right"):
        raise ValueError(
            f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'."
        )
    op_type = "UpperBound" if side == "right" else "LowerBound"
    with name_scope(name, op_type, [sorted_2d, values_2d]) as scope:
        attrs = {"out_type": dtypes.as_dtype(out_type).base_dtype}
        output = apply_op(op_type, [sorted_2d, values_2d], attrs, name=scope)
    return reshape(output, _shape_internal(values))


def _histogram_infer(inputs, attrs):
    values, value_range, nbins = inputs
    check_same_dtype("HistogramFixedWidth", ("values", "value_range"), inputs[:2])
    check_dtype_in("HistogramFixedWidth", "values", values, _HISTOGRAM_TYPES)
    check_dtype_in("HistogramFixedWidth", "nbins", nbins, (dtypes.int32,))
    if value_range.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {value_range.shape.ndims}")
    if nbins.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {nbins.shape.ndims}")
    count = constant_value(nbins)
    if count is not None and count < 0:
        raise ValueError(f"Requires nbins >= 0: {count}")
    return [(attrs["dtype"], tensor_shape.TensorShape([None if count is None else int(count)]))]


def _histogram_kernel(ctx, op, values, value_range, nbins):
    nbins = int(nbins)
    if nbins <= 0:
        raise ValueError(f"nbins should be a positive number, but got '{nbins}'")
    low, high = value_range.tolist()
    if not low < high:
        raise ValueError(
            "value_range should satisfy value_range[0] < value_range[1], but got "
            f"'[{low:g}, {high:g}]'"
        )
    if values.dtype.kind == "f" and np.isnan(values).any():
        raise ValueError("Histogram values must not contain NaN")
    scaled = (values.astype(np.float64).reshape(-1) - low) / (high - low) * nbins
    index = np.clip(np.floor(scaled), 0, nbins - 1).astype(np.int64)
    return np.bincount(index, minlength=nbins).astype(op._attrs["dtype"].as_numpy_dtype)


register_op(
    "HistogramFixedWidth", _histogram_infer, kernel=_histogram_kernel, grad=NOT_DIFFERENTIABLE
)


@undo.atomic
def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """How many of ``values`` fall in each of ``nbins`` equal bins over ``value_range``
    (``[low, high]``); values below ``low`` count in the first bin, from ``high`` up in the
    last.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     hist = tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5)
    ...     print(tf.Session().run(hist).tolist())
    [2, 1, 1, 0, 2]
    """
    with name_scope(name, "histogram_fixed_width", [values, value_range, nbins]) as scope:
        values = convert_to_tensor(values, name="values")
        value_range = convert_to_tensor(
            value_range, dtype=values.dtype.base_dtype, name="value_range"
        )
        nbins = convert_to_tensor(nbins, dtype=dtypes.int32, name="nbins")
        attrs = {"dtype": dtypes.as_dtype(dtype).base_dtype}
        return apply_op("HistogramFixedWidth", [values, value_range, nbins], attrs, name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["histogram_fixed_width", "searchsorted"]
