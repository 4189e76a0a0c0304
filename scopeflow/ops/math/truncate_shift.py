"""``TruncateDiv``/``TruncateMod`` (``tf.truncatediv``, ``tf.truncatemod``: C's division and
remainder, rounding toward zero) and ``LeftShift``/``RightShift`` (``tf.bitwise``: shifts by a
count clamped to ``[0, bits - 1]`` as TF's kernels clamp it, arithmetic for signed types)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import COMPLEX, FLOATS, INTEGERS, no_gradient
from scopeflow.ops.math.elementwise import binary_infer
from scopeflow.ops.math.ufunc_kernels import is_int, nonzero_divisor, truncate_div

# TF's order of the allowed types, as its errors list them.
_DIV_TYPES = (
    dtypes.bfloat16,
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    dtypes.uint8,
    dtypes.int8,
    dtypes.uint16,
    dtypes.int16,
    dtypes.int32,
    dtypes.uint32,
    dtypes.uint64,
    dtypes.int64,
    *COMPLEX,
)
_MOD_TYPES = (dtypes.int32, dtypes.int64, *FLOATS)


def _truncatediv(ctx, op, x, y):
    if is_int(x):
        return truncate_div(x, y)
    with np.errstate(all="ignore"):
        quotient = np.true_divide(x, y)
        return quotient if quotient.dtype.kind == "c" else np.trunc(quotient)


def _truncatemod(ctx, op, x, y):
    if is_int(x):
        nonzero_divisor(y, x)
    with np.errstate(all="ignore"):
        return np.fmod(x, y)


def _shift(fn):
    def kernel(ctx, op, x, y):
        bits = np.dtype(x.dtype).itemsize * 8
        return fn(x, np.clip(y, 0, bits - 1).astype(x.dtype))

    return kernel


for _op_type, _allowed, _kernel, _grad in (
    ("TruncateDiv", _DIV_TYPES, _truncatediv, NOT_DIFFERENTIABLE),
    ("TruncateMod", _MOD_TYPES, _truncatemod, no_gradient),
    ("LeftShift", INTEGERS, _shift(np.left_shift), NOT_DIFFERENTIABLE),
    ("RightShift", INTEGERS, _shift(np.right_shift), NOT_DIFFERENTIABLE),
):
    # TF 2.21 marks TruncateDiv and the shifts not differentiable (their gradients are None);
    # it registers nothing for TruncateMod, so tf.gradients through one raises LookupError.
    infer = binary_infer(_op_type, _allowed, False)
    register_op(_op_type, infer, kernel=_kernel, grad=_grad)


@undo.atomic
def truncatediv(x, y, name=None):
    """``x / y`` rounded toward zero (C's integer division), element-wise with broadcasting.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.truncatediv([7, -7], 2)))
    [ 3 -3]
    """
    return build.binary("TruncateDiv", x, y, name)


@undo.atomic
def truncatemod(x, y, name=None):
    """The remainder of :func:`truncatediv`: it has the sign of ``x`` (C's ``%``, ``fmod``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.truncatemod([7, -7], 2)))
    [ 1 -1]
    """
    return build.binary("TruncateMod", x, y, name)


@undo.atomic
def left_shift(x, y, name=None):
    """``x << y`` element-wise on integers (``y`` clamped to ``[0, bits - 1]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.bitwise.left_shift([1, 3], [4, 1])))
    [16  6]
    """
    return build.binary("LeftShift", x, y, name)


@undo.atomic
def right_shift(x, y, name=None):
    """``x >> y`` element-wise on integers, arithmetic for signed types (``y`` clamped to
    ``[0, bits - 1]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.bitwise.right_shift([-8, 8], [1, 2])))
    [-4  2]
    """
    return build.binary("RightShift", x, y, name)


__all__ = ["left_shift", "right_shift", "truncatediv", "truncatemod"]
