"""Reductions (``reduce_sum``... ``Sum``, ``Mean``, ``Max``...), ``argmax``/``argmin`` and the
scans ``cumsum``/``cumprod``.

Reductions take their axes as a tensor input, ``<op>/reduction_indices`` when given (TF1's
``axis`` and older ``reduction_indices``), or for ``axis=None`` all axes: a ``Const`` of
``range(rank)`` in the caller's scope, or ``Rank`` and ``range`` ops when the rank is unknown.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
...     total, rows = tf.reduce_sum(x), tf.reduce_mean(x, axis=1, keepdims=True)
...     with tf.Session() as sess:
...         print(sess.run(total), sess.run(rows).tolist())
10.0 [[1.5], [3.5]]
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    NUMBERS,
    REALS,
    apply_op,
    check_bool,
    check_dtype_in,
    constant_value,
    int_operand,
    name_public_functions,
)
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.elementwise import (
    add,
    cast,
    conj,
    exp,
    is_finite,
    log,
    not_equal,
    subtract,
)
from scopeflow.ops.math.reduction_grad import _extreme_grad, _mean_grad, _prod_grad, _sum_grad
from scopeflow.ops.math.selection import where_v2

TensorShape = tensor_shape.TensorShape
_BOOL = dtypes.bool

# Float types NumPy would sum in their own precision; TF accumulates them in float32.
_WIDE_FLOAT = {np.dtype(np.float16): np.float32}


def _sum_dtype(dtype: np.dtype):
    """What ``Sum``/``Mean`` accumulate ``dtype`` in: float32 for bfloat16 too (kind V, from
    ml_dtypes), as TF's sums (its cumulative sums and products keep bfloat16)."""
    return np.dtype(np.float32) if dtype.kind == "V" else _WIDE_FLOAT.get(dtype)


def _axes_value(axes_t) -> list[int] | None:
    value = constant_value(axes_t)
    return None if value is None else [int(a) for a in np.ravel(value)]


def _reduction_shape(x, axes_t, keep_dims: bool) -> TensorShape:
    """TF's static shape of reducing ``x`` over the (maybe unknown) axes in ``axes_t``."""
    if axes_t.shape.ndims is not None and axes_t.shape.ndims > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {axes_t.shape.ndims}")
    rank = x.shape.ndims
    axes = _axes_value(axes_t)
    if rank is None:
        return tensor_shape.unknown_shape()
    if axes is None:
        return tensor_shape.unknown_shape(rank) if keep_dims else tensor_shape.unknown_shape()
    for axis in axes:
        if not -rank <= axis < rank:
            raise ValueError(
                f"Invalid reduction dimension {axis} for input with {rank} dimensions."
            )
    reduced = {axis % rank for axis in axes}
    dims = x.shape.as_list()
    if keep_dims:
        return TensorShape([1 if i in reduced else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in reduced])


def _reduction_infer(op_type: str, allowed):
    def infer(inputs, attrs):
        x, axes_t = inputs
        if allowed is _BOOL:
            check_bool(op_type, "input", x)
        else:
            check_dtype_in(op_type, "input", x, allowed)
        check_dtype_in(op_type, "reduction_indices", axes_t, INDEX)
        return [(x.dtype.base_dtype, _reduction_shape(x, axes_t, attrs["keep_dims"]))]

    return infer


def _axes_tuple(axes) -> tuple[int, ...]:
    if type(axes) is np.ndarray and axes.dtype.kind in "iu":
        return tuple(axes.reshape(-1).tolist())  # Python ints, without np.ravel's wrapper
    return tuple(int(a) for a in np.ravel(axes))


# Sums over the leading axes of this many elements or more go through BLAS (below).
_LEADING_SUM_MIN = 1 << 16


def _reducer(ufunc: np.ufunc, fallback, x):
    """``ufunc.reduce`` for an array (what ``np.sum``/``np.prod`` call, without their Python
    wrappers), else ``fallback``."""
    return ufunc.reduce if type(x) is np.ndarray else fallback


def _sum(x, axes, keep):
    leading = _sum_leading_axes(x, axes, keep)
    if leading is not None:
        return leading
    wide = _sum_dtype(x.dtype)
    add = _reducer(np.add, np.sum, x)
    if wide is None:
        return add(x, axis=axes, dtype=x.dtype, keepdims=keep)
    return add(x, axis=axes, dtype=wide, keepdims=keep).astype(x.dtype)


def _sum_leading_axes(x, axes, keep):
    """A large float sum over the leading axes (a bias gradient: all but the channels) as one
    BLAS product ``ones @ x``: NumPy adds such rows one at a time, single-threaded, while
    BLAS blocks the sums (several times faster, and no less accurate). None otherwise."""
    if x.dtype not in (np.float32, np.float64) or x.size < _LEADING_SUM_MIN:
        return None
    count = len(axes)
    if not 0 < count < x.ndim or sorted(a % x.ndim for a in axes) != list(range(count)):
        return None
    if not x.flags.c_contiguous:
        return None
    rows = int(np.prod(x.shape[:count]))
    total = np.ones(rows, x.dtype) @ x.reshape(rows, -1)
    return total.reshape((1,) * count * keep + x.shape[count:])


def _prod(x, axes, keep):
    wide = _WIDE_FLOAT.get(x.dtype)
    multiply = _reducer(np.multiply, np.prod, x)
    if wide is None:
        return multiply(x, axis=axes, dtype=x.dtype, keepdims=keep)
    return multiply(x, axis=axes, dtype=wide, keepdims=keep).astype(x.dtype)


def _mean(x, axes, keep):
    shape = np.shape(x)
    count = math.prod(shape[a] for a in axes)  # Python ints: exact, no overflow
    kind = x.dtype.kind
    if kind in "iu":  # exact: a wide sum, then division rounding toward zero as in C
        total = np.sum(x, axis=axes, dtype=np.int64 if kind == "i" else np.uint64, keepdims=keep)
        if count == 0:
            return np.zeros(np.shape(total), x.dtype)
        quotient = total // count
        if kind == "i":
            quotient += (total % count != 0) & (total < 0)
        return quotient.astype(x.dtype)
    add = _reducer(np.add, np.sum, x)
    total = add(x, axis=axes, dtype=_sum_dtype(x.dtype) or x.dtype, keepdims=keep)
    with quiet():  # an empty mean is nan, silently
        return (total / count).astype(x.dtype)


def _extreme(numpy_fn, largest: bool):
    """``Max``/``Min``: an empty reduction gives the dtype's lowest/highest value, as in TF."""

    def kernel_fn(x, axes, keep):
        if x.dtype.kind in "fV":  # V: bfloat16 (ml_dtypes)
            start = -np.inf if largest else np.inf
        else:
            info = np.iinfo(x.dtype)
            start = info.min if largest else info.max
        return numpy_fn(x, axis=axes, keepdims=keep, initial=start)

    return kernel_fn


def _reduction_kernel(fn):
    def kernel(ctx, op, x, axes):
        axes = _axes_tuple(axes)
        rank = np.ndim(x)
        seen = set()
        for axis in axes:
            if not -rank <= axis < rank:
                raise ValueError(
                    f"Invalid reduction dimension ({axis} for input with {rank} dimension(s)"
                )
            if axis % rank in seen:
                raise ValueError(
                    f"Invalid reduction arguments: Axes contains duplicate dimension: {axis % rank}"
                )
            seen.add(axis % rank)
        if not axes and type(x) is np.ndarray:
            # Over no axes every reduction is its input, which is returned (as TF forwards
            # it) rather than copied: a broadcast gradient's Sum where the shapes turn out to
            # be equal when run (a residual add with the batch size unknown while building).
            return x
        return fn(x, axes, op._attrs["keep_dims"])

    return kernel


def _reduction(op_type: str, default_name: str, allowed, fn, grad):
    """Registers a reduction op type with the gradient ``grad`` and returns its TF1
    ``tf.reduce_*`` function."""
    register_op(
        op_type,
        _reduction_infer(op_type, allowed),
        kernel=_reduction_kernel(fn),
        grad=grad,
        grad_takes_indexed_slices=True,  # made dense where the gradient uses it, as TF
    )

    @undo.atomic
    def reduce(
        input_tensor,
        axis=None,
        keepdims=None,
        name=None,
        reduction_indices=None,
        keep_dims=None,
    ):
        axis = _alias("reduction_indices", reduction_indices, "axis", axis)
        keepdims = bool(_alias("keep_dims", keep_dims, "keepdims", keepdims))
        return build.reduction(op_type, default_name, input_tensor, axis, keepdims, name)

    reduce.__doc__ = (
        f"Reduces ``input_tensor`` over ``axis`` (all axes when ``None``) with a ``{op_type}`` "
        "op; ``keepdims`` keeps each reduced axis with size 1."
    )
    return reduce


def _alias(old: str, old_value, new: str, new_value):
    """TF1's deprecated argument names: ``keep_dims`` for ``keepdims``, ``reduction_indices``
    and ``dimension`` for ``axis``."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old}' and '{new}'.")
        return old_value
    return new_value


reduce_sum = _reduction("Sum", "Sum", NUMBERS, _sum, _sum_grad)
reduce_prod = _reduction("Prod", "Prod", NUMBERS, _prod, _prod_grad)
reduce_mean = _reduction("Mean", "Mean", NUMBERS, _mean, _mean_grad)
reduce_max = _reduction("Max", "Max", REALS, _extreme(np.max, largest=True), _extreme_grad)
reduce_min = _reduction("Min", "Min", REALS, _extreme(np.min, largest=False), _extreme_grad)
reduce_any = _reduction(
    "Any", "Any", _BOOL, lambda x, axes, keep: np.any(x, axes, keepdims=keep), NOT_DIFFERENTIABLE
)
reduce_all = _reduction(
    "All", "All", _BOOL, lambda x, axes, keep: np.all(x, axes, keepdims=keep), NOT_DIFFERENTIABLE
)


@undo.atomic
def reduce_logsumexp(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """``log(sum(exp(x)))`` over ``axis``, computed stably as TF1 builds it: the maximum (0
    where it is infinite) is subtracted first and added back."""
    axis = _alias("reduction_indices", reduction_indices, "axis", axis)
    keepdims = bool(_alias("keep_dims", keep_dims, "keepdims", keepdims))
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        raw_max = reduce_max(input_tensor, axis=axis, keepdims=True)
        offset = array_ops.stop_gradient(where_v2(is_finite(raw_max), raw_max, 0))
        result = log(reduce_sum(exp(subtract(input_tensor, offset)), axis, keepdims))
        if not keepdims:
            shape = apply_op("Shape", [result], {"out_type": dtypes.int32}, name="Shape")
            offset = array_ops.reshape(offset, shape)
        result = add(result, offset, name=scope)
    if axis is None and not keepdims:
        result.set_shape([])
    return result


@undo.atomic
def count_nonzero(
    input_tensor=None,
    axis=None,
    keepdims=None,
    dtype=dtypes.int64,
    name=None,
    reduction_indices=None,
    keep_dims=None,
    input=None,  # noqa: A002 - TF1's argument name
):
    """The number of non-zero (non-empty, true) elements over ``axis``, as ``dtype``."""
    input_tensor = _alias("input", input, "input_tensor", input_tensor)
    axis = _alias("reduction_indices", reduction_indices, "axis", axis)
    keepdims = bool(_alias("keep_dims", keep_dims, "keepdims", keepdims))
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor, name="input")
        if x.dtype.base_dtype == _BOOL:
            nonzero = x
        else:
            zero = b"" if x.dtype.base_dtype == dtypes.string else 0
            nonzero = not_equal(x, constant(zero, dtype=x.dtype.base_dtype, name="zeros"))
        counts = reduce_sum(cast(nonzero, dtypes.int64), axis=axis, keepdims=keepdims)
        return cast(counts, dtype)


# -- argmax / argmin ----------------------------------------------------------------------

_ARG_OUTPUT_TYPES = (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64)


def _arg_infer(op_type: str):
    def infer(inputs, attrs):
        x, dim_t = inputs
        check_dtype_in(op_type, "input", x, REALS + (_BOOL,))
        check_dtype_in(op_type, "dimension", dim_t, INDEX)
        if dim_t.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {dim_t.shape.ndims}")
        out = attrs["output_type"]
        rank = x.shape.ndims
        dim = constant_value(dim_t)
        if rank is None:
            return [(out, tensor_shape.unknown_shape())]
        if rank == 0:  # as TF: built, and refused when it runs (no dimension to reduce)
            return [(out, TensorShape([]))]
        if dim is None:
            return [(out, tensor_shape.unknown_shape(max(rank - 1, 0)))]
        dim = int(dim)
        if not -rank <= dim < rank:
            raise ValueError(
                f"Dimension ({dim}) must be in the range [{-rank}, {rank}), where {rank} is the "
                "number of dimensions in the input."
            )
        dims = x.shape.as_list()
        del dims[dim % rank]
        return [(out, TensorShape(dims))]

    return infer


def _arg_kernel(numpy_fn):
    def kernel(ctx, op, x, dim):
        rank, dim = np.ndim(x), int(dim)
        if not -rank <= dim < rank:  # NumPy would take axis 0 of a scalar
            raise ValueError(f"Expected dimension in the range [{-rank}, {rank}), but got {dim}")
        out = op._attrs["output_type"].as_numpy_dtype
        if x.dtype.kind == "f" and np.isnan(x).any():
            # TF's comparisons skip NaN: it never wins, and an all-NaN row gives index 0
            x = np.where(np.isnan(x), -np.inf if numpy_fn is np.argmax else np.inf, x)
        return numpy_fn(x, axis=dim).astype(out)

    return kernel


def _arg_reduction(op_type: str, numpy_fn):
    register_op(op_type, _arg_infer(op_type), kernel=_arg_kernel(numpy_fn), grad=NOT_DIFFERENTIABLE)

    @undo.atomic
    def arg(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
        axis = _alias("dimension", dimension, "axis", axis)
        if axis is None:
            axis = 0
        elif not isinstance(axis, (int, np.integer, Tensor)):
            raise TypeError("axis must be int or Tensor with integer datatype")
        output_type = dtypes.as_dtype(output_type).base_dtype
        if output_type not in _ARG_OUTPUT_TYPES:
            raise TypeError(
                f"Value passed to parameter 'output_type' has DataType {output_type.name} not "
                "in list of allowed values: int16, uint16, int32, int64"
            )
        with name_scope(name, op_type, [input]) as scope:
            x = convert_to_tensor(input, name="input")
            dim = int_operand(axis, "dimension")
            return apply_op(op_type, [x, dim], {"output_type": output_type}, name=scope)

    arg.__doc__ = (
        f"The index of the {'largest' if op_type == 'ArgMax' else 'smallest'} value along "
        "``axis`` (0 when ``None``; the first on ties), as ``output_type``."
    )
    return arg


argmax = _arg_reduction("ArgMax", np.argmax)
argmin = _arg_reduction("ArgMin", np.argmin)


# -- cumulative sums and products ---------------------------------------------------------


def _scan_infer(op_type: str):
    def infer(inputs, attrs):
        x, axis_t = inputs
        dtype = check_dtype_in(op_type, "x", x, NUMBERS)
        check_dtype_in(op_type, "axis", axis_t, INDEX)
        return [(dtype, x.shape)]  # a bad axis (not a scalar, out of range) fails at run, as TF

    return infer


def scan_axis(x, axis) -> int:
    """A scan's axis, checked as TF's ``ScanOp`` checks it (naming the axis plus the rank)."""
    if np.ndim(axis):
        raise ValueError(f"ScanOp: axis must be a scalar, not {shape_str(np.shape(axis))}")
    axis = int(axis) + (x.ndim if int(axis) < 0 else 0)
    if not 0 <= axis < x.ndim:
        raise ValueError(
            f"ScanOp: Expected scan axis in the range [{-x.ndim}, {x.ndim}), but got {axis}"
        )
    return axis


def _scan_kernel(ufunc, identity: int):
    def kernel(ctx, op, x, axis):
        axis = scan_axis(x, axis)
        attrs = op._attrs
        if attrs["reverse"]:
            x = np.flip(x, axis)
        wide = _WIDE_FLOAT.get(x.dtype, x.dtype)
        out = ufunc.accumulate(x, axis=axis, dtype=wide).astype(x.dtype, copy=False)
        if attrs["exclusive"]:  # shift by one along the axis, the identity first
            index = [slice(None)] * out.ndim
            shifted = np.empty_like(out)
            index[axis] = slice(0, 1)
            shifted[tuple(index)] = identity
            index[axis] = slice(1, None)
            body = list(index)
            body[axis] = slice(None, -1)
            shifted[tuple(index)] = out[tuple(body)]
            out = shifted
        return np.flip(out, axis) if attrs["reverse"] else out

    return kernel


def _cumsum_grad(op, grad):
    """Sums of the output's gradient taken the other way along the axis."""
    attrs = op._attrs
    axis = op.inputs[1]
    return cumsum(grad, axis, exclusive=attrs["exclusive"], reverse=not attrs["reverse"]), None


def _cumprod_grad(op, grad):
    """As TF computes it: the product recomputed, the cumulative sum of ``product * grad``
    taken the other way, divided by the input (conjugated for complex inputs, where TF's
    is not the derivative). Where an input element is 0 this gives 0, which is wrong (as
    in TF) unless that element is the only factor that matters."""
    x, axis = op.inputs
    exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]
    product = conj(cumprod(x, axis, exclusive=exclusive, reverse=reverse))
    out = cumsum(product * grad, axis, exclusive=exclusive, reverse=not reverse)
    return div_no_nan(out, conj(x)), None


def _scan(op_type: str, ufunc, identity: int, grad):
    register_op(
        op_type,
        _scan_infer(op_type),
        kernel=_scan_kernel(ufunc, identity),
        grad=grad,
        grad_takes_indexed_slices=True,  # made dense where the gradient uses it, as TF
    )

    @undo.atomic
    def scan(x, axis=0, exclusive=False, reverse=False, name=None):
        return build.scan(op_type, x, axis, exclusive, reverse, name)

    what = "sum" if op_type == "Cumsum" else "product"
    scan.__doc__ = (
        f"The cumulative {what} along ``axis``; ``exclusive`` leaves out each element itself, "
        "``reverse`` runs from the end."
    )
    return scan


cumsum = _scan("Cumsum", np.add, 0, _cumsum_grad)
cumprod = _scan("Cumprod", np.multiply, 1, _cumprod_grad)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "argmax",
    "argmin",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_prod",
    "reduce_sum",
]

name_public_functions(globals(), __all__)
