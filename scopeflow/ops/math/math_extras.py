"""The smaller ``tf.math`` functions: ``EuclideanNorm`` (``reduce_euclidean_norm``),
``CumulativeLogsumexp``, ``MulNoNan`` (``multiply_no_nan``), ``NextAfter`` (``nextafter``),
each registered with TF's gradient (``math_grad.py``); and those TF builds from other ops:
``reciprocal_no_nan``, ``erfcinv``, ``polyval``, ``scalar_mul`` and ``accumulate_n`` (TF 2's:
an ``AddN``).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, ones, reshape, shape, zeros
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    FLOATS,
    INDEX,
    NUMBERS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    int_operand,
)
from scopeflow.ops.math import reduction
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs
from scopeflow.ops.math.elementwise import INEXACT, add_n, exp, greater, less, log
from scopeflow.ops.math.reduction_grad import kept_shape
from scopeflow.ops.math.special import ndtri
from scopeflow.ops.math.ufunc_kernels import binary_kernel

# -- EuclideanNorm ----------------------------------------------------------------------------


def _euclidean(x, axes, keep):
    """Squares summed in ``x``'s own dtype (integers wrap, float16 overflows), as TF sums;
    the root of an integer sum truncated."""
    with np.errstate(all="ignore"):
        squares = np.multiply(x, np.conj(x) if x.dtype.kind == "c" else x)
        total = np.sum(squares, axis=axes, keepdims=keep, dtype=x.dtype)
        if x.dtype.kind in "iu":
            return np.sqrt(total.astype(np.float64)).astype(x.dtype)
        return np.sqrt(total)


def _euclidean_grad(op, grad):
    """TF's: ``x / (norm / grad)``, the norm and its gradient reshaped as if kept."""
    x, output = op.inputs[0], op.outputs[0]
    if not op._attrs["keep_dims"]:
        kept = kept_shape(shape(x), op.inputs[1])
        output = reshape(output, kept)
        grad = reshape(grad, kept)
    return [x / (output / grad), None]


_reduce_euclidean_norm = reduction._reduction(
    "EuclideanNorm", "EuclideanNorm", NUMBERS, _euclidean, _euclidean_grad
)


@undo.atomic
def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """The square root of the sum of squares of ``input_tensor`` over ``axis`` (all axes when
    ``None``); integers give the truncated root.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.reduce_euclidean_norm([[3.0, 4.0], [0.0, 1.0]], 1)))
    [5. 1.]
    """
    return _reduce_euclidean_norm(input_tensor, axis, keepdims, name)


# -- CumulativeLogsumexp ----------------------------------------------------------------------


def _cumulative_logsumexp_infer(inputs, attrs):
    x, axis_t = inputs
    dtype = check_dtype_in("CumulativeLogsumexp", "x", x, FLOATS)
    check_dtype_in("CumulativeLogsumexp", "axis", axis_t, INDEX)
    return [(dtype, x.shape)]


def _log_add_exp(acc, x):
    """TF's ``LogSumExpReducer``: ``log1p(exp(min - max)) + max`` with ``std::min``/``max``
    (a ``nan`` ``x`` compares false, so the accumulator stands for both), ``-inf`` kept."""
    low = np.where(x < acc, x, acc)
    high = np.where(acc < x, x, acc)
    summed = np.log1p(np.exp(low - high)) + high
    return np.where(high == -np.inf, high, summed)


def _cumulative_logsumexp_kernel(ctx, op, x, axis):
    axis = reduction.scan_axis(x, axis)
    work = np.moveaxis(x.astype(np.float32) if x.dtype.itemsize < 4 else x, axis, 0)
    if op._attrs["reverse"]:
        work = work[::-1]
    out = np.empty_like(work)
    acc = np.full_like(work[0], -np.inf) if len(work) else None
    exclusive = op._attrs["exclusive"]
    with np.errstate(all="ignore"):
        for i, row in enumerate(work):  # the scan in order, as TF's kernel folds it
            if exclusive:
                out[i] = acc
            acc = _log_add_exp(acc, row)
            if not exclusive:
                out[i] = acc
    if op._attrs["reverse"]:
        out = out[::-1]
    return np.moveaxis(out, 0, axis).astype(x.dtype)


def _cumulative_logsumexp_grad(op, grad):
    """TF's: the gradient split into its positive and negative parts, each accumulated the
    other way in log space."""
    x, axis = op.inputs
    output = op.outputs[0]
    exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]
    lowest = grad.dtype.base_dtype.min
    log_grad_positive = build.where_v2(greater(grad, 0), log(grad), lowest)
    log_grad_negative = build.where_v2(less(grad, 0), log(-grad), lowest)
    output_pos = exp(
        cumulative_logsumexp(
            log_grad_positive - output, axis=axis, reverse=not reverse, exclusive=exclusive
        )
        + x
    )
    output_neg = exp(
        cumulative_logsumexp(
            log_grad_negative - output, axis=axis, reverse=not reverse, exclusive=exclusive
        )
        + x
    )
    return [output_pos - output_neg, None]


register_op(
    "CumulativeLogsumexp",
    _cumulative_logsumexp_infer,
    kernel=_cumulative_logsumexp_kernel,
    grad=_cumulative_logsumexp_grad,
)


@undo.atomic
def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """``log(cumsum(exp(x)))`` along ``axis``, computed without overflow; ``exclusive``
    leaves out each element itself (``-inf`` first), ``reverse`` runs from the end.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.cumulative_logsumexp([0.0, 0.0, 0.0])))
    [0.        0.6931472 1.0986123]
    """
    with name_scope(name, "CumulativeLogsumexp", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        axis = int_operand(axis, "axis")
        attrs = {"exclusive": bool(exclusive), "reverse": bool(reverse)}
        return apply_op("CumulativeLogsumexp", [x, axis], attrs, name=scope)


# -- MulNoNan, NextAfter ----------------------------------------------------------------------


def _binary_infer(op_type: str, names: tuple[str, str], allowed):
    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, names, inputs)
        check_dtype_in(op_type, names[0], inputs[0], allowed)
        return [(dtype, broadcast(inputs[0].shape, inputs[1].shape))]

    return infer


def _mul_no_nan(x, y):
    with np.errstate(all="ignore"):
        product = np.multiply(x, y)
    return np.where(y == 0, np.zeros((), product.dtype), product)


def _mul_no_nan_grad(op, grad):
    x, y = op.inputs
    gx = apply_op("MulNoNan", [grad, y], name="MulNoNan")
    gy = apply_op("MulNoNan", [x, grad], name="MulNoNan_1")
    return sum_to_inputs(x, y, gx, gy)


def _next_after_grad(op, grad):
    """TF's: 1 for ``x1`` and 0 for ``x2``, each summed over its broadcast axes (always through
    a ``BroadcastGradientArgs``, as TF builds it)."""
    x1, x2 = op.inputs
    s_x1, s_x2 = shape(x1), shape(x2)
    r_x1, r_x2 = apply_op("BroadcastGradientArgs", [s_x1, s_x2])
    partial_x1 = ones(s_x1, dtype=x1.dtype.base_dtype)
    partial_x2 = zeros(s_x2, dtype=x2.dtype.base_dtype)
    return [
        reshape(build.reduce_sum(partial_x1 * grad, r_x1), s_x1),
        reshape(build.reduce_sum(partial_x2 * grad, r_x2), s_x2),
    ]


register_op(
    "MulNoNan",
    _binary_infer("MulNoNan", ("x", "y"), INEXACT),
    kernel=binary_kernel(_mul_no_nan),
    grad=_mul_no_nan_grad,
)
register_op(
    "NextAfter",
    _binary_infer("NextAfter", ("x1", "x2"), (dtypes.float64, dtypes.float32)),
    kernel=binary_kernel(np.nextafter),
    grad=_next_after_grad,
)


@undo.atomic
def multiply_no_nan(x, y, name=None):
    """``x * y``, but 0 wherever ``y`` is 0, even where ``x`` is ``nan`` or ``inf``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.multiply_no_nan([float("nan"), 2.0], [0.0, 3.0])))
    [0. 6.]
    """
    with name_scope(name, "multiply_no_nan", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        return apply_op("MulNoNan", [x, y], name=scope)


@undo.atomic
def nextafter(x1, x2, name=None):
    """The next representable value after ``x1`` in the direction of ``x2``, element-wise.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.nextafter(1.0, 2.0)) - 1.0)
    1.1920929e-07
    """
    with name_scope(name, "NextAfter", [x1, x2]) as scope:
        x1 = convert_to_tensor(x1, name="x1")
        x2 = convert_to_tensor(x2, dtype_hint=x1.dtype.base_dtype, name="x2")
        return apply_op("NextAfter", [x1, x2], name=scope)


# -- built from other ops, as TF builds them --------------------------------------------------


@undo.atomic
def reciprocal_no_nan(x, name=None):
    """``1 / x``, but 0 where ``x`` is 0 (a ``DivNoNan`` of 1 by ``x``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.reciprocal_no_nan([2.0, 0.0, -4.0])))
    [ 0.5   0.   -0.25]
    """
    with name_scope(name, "reciprocal_no_nan", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        one = constant(1, dtype=x.dtype.base_dtype, name="one")
        return apply_op("DivNoNan", [one, x], name=scope)


@undo.atomic
def erfcinv(x, name=None):
    """The inverse of ``erfc``: ``-ndtri(x / 2) / sqrt(2)`` (``inf`` at 0, ``-inf`` at 2).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.erfcinv([0.0, 1.0, 2.0])))
    [ inf  -0. -inf]
    """
    with name_scope(name, "erfcinv", [x]):
        x = convert_to_tensor(x, name="start")
        return -ndtri(0.5 * x) * np.sqrt(0.5)


@undo.atomic
def polyval(coeffs, x, name=None):
    """The polynomial with coefficients ``coeffs`` (highest power first) at ``x``, by
    Horner's rule: ``coeffs[n-1] + x * (coeffs[n-2] + ... + x * coeffs[0])``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.polyval([2.0, 0.0, 1.0], 3.0)))
    19.0
    """
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    with name_scope(name, "polyval", [*coeffs, x]) as scope:
        x = convert_to_tensor(x, name="x")
        if not coeffs:
            return zeros_like(x, name=scope)
        coeffs = [convert_to_tensor(c, name=f"coeff_{i}") for i, c in enumerate(coeffs)]
        p = coeffs[0]
        for c in coeffs[1:]:
            p = c + p * x
        return p


@undo.atomic
def scalar_mul(scalar, x, name=None):
    """``scalar * x`` for a 0-D ``scalar``; an ``IndexedSlices`` ``x`` stays one (its values
    scaled).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.scalar_mul(2.0, [1.0, -3.0])))
    [ 2. -6.]
    """
    values = x.values if isinstance(x, IndexedSlices) else x
    base_dtype = convert_to_tensor(values).dtype.base_dtype
    scalar = convert_to_tensor(scalar, dtype=base_dtype, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    if isinstance(x, IndexedSlices):
        product = build.binary("Mul", scalar, x.values, name)
        return IndexedSlices(product, x.indices, x.dense_shape)
    return build.binary("Mul", scalar, x, name)


@undo.atomic
def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The element-wise sum of the tensors ``inputs`` (TF 2's ``accumulate_n``: an ``AddN``;
    ``shape`` and ``tensor_dtype`` are checked against the inputs).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.accumulate_n([[1, 2], [3, 4], [5, 6]])))
    [ 9 12]
    """
    error = "inputs must be a list of at least one Tensor with the same dtype and shape"
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError(error)
    inputs = [convert_to_tensor(t) for t in inputs]
    if not all(isinstance(t, Tensor) for t in inputs):
        raise ValueError(error)
    if not all(t.dtype == inputs[0].dtype for t in inputs):
        raise ValueError(error)
    merged = tensor_shape.as_shape(shape) if shape is not None else tensor_shape.unknown_shape()
    for t in inputs:
        merged = merged.merge_with(t.shape)
    if tensor_dtype is not None and tensor_dtype != inputs[0].dtype:
        raise TypeError(
            f"The `tensor_dtype` argument is {tensor_dtype}, but `input` is of type "
            f"{inputs[0].dtype}. These must be equal. Try casting the input to the desired type."
        )
    if len(inputs) == 1:
        return inputs[0] if name is None else identity(inputs[0], name=name)
    return add_n(inputs, name=name)


__all__ = [
    "accumulate_n",
    "cumulative_logsumexp",
    "erfcinv",
    "multiply_no_nan",
    "nextafter",
    "polyval",
    "reciprocal_no_nan",
    "reduce_euclidean_norm",
    "scalar_mul",
]
