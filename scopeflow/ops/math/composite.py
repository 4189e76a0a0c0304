"""Functions TF1 builds from existing ops, with no op types of their own:
``tf.math.reduce_variance``/``reduce_std``, ``tf.math.log_sigmoid``, ``tf.saturate_cast`` and
``tf.clip_by_average_norm``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import rank, size
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import maximum, minimum, rsqrt, sqrt, square
from scopeflow.ops.math.reduction import reduce_mean, reduce_sum
from scopeflow.ops.math.sequence import range as range_


@undo.atomic
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The variance of ``input_tensor``'s elements over ``axis`` (default: all): the mean of
    the squared deviations from the mean.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.reduce_variance([[1.0, 2.0], [3.0, 4.0]], 0)))
    [1. 1.]
    """
    with name_scope(name or "reduce_variance"):
        means = reduce_mean(input_tensor, axis=axis, keepdims=True)
        if means.dtype.is_integer:
            raise TypeError(
                "Input must be either real or complex. Received integer type "
                f"<dtype: '{means.dtype.name}'>."
            )
        deviations = input_tensor - means
        if deviations.dtype.is_complex:
            deviations = abs_(deviations)
        return reduce_mean(square(deviations), axis=axis, keepdims=keepdims)


@undo.atomic
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation of ``input_tensor``'s elements over ``axis`` (default: all),
    the square root of :func:`reduce_variance`.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.reduce_std([1.0, 3.0])))
    1.0
    """
    with name_scope(name or "reduce_std"):
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


@undo.atomic
def log_sigmoid(x, name=None):
    """``log(1 / (1 + exp(-x)))``, computed as ``-softplus(-x)`` (no overflow for large
    ``-x``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.math.log_sigmoid([0.0, -100.0])))
    [  -0.6931472 -100.       ]
    """
    with name_scope(name, "LogSigmoid", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op("Neg", [apply_op("Softplus", [apply_op("Neg", [x])])], name=scope)


def _limit(bound, in_dtype, dtype):
    """The ``in_dtype`` value nearest ``bound`` that lies within ``dtype``'s range (a float's
    rounding of an integer bound may fall outside it), as TF's ``saturate_cast`` picks it."""
    np_dtype = in_dtype.as_numpy_dtype
    value = np_dtype(bound)
    if not dtype.min <= value.item() <= dtype.max:  # Python's exact comparison
        value = np.nextafter(value, np_dtype(0), dtype=np_dtype)
    return value


@undo.atomic
def saturate_cast(value, dtype, name=None):
    """``value`` cast to ``dtype``, values outside ``dtype``'s range clamped to its ends
    first (a ``Maximum``/``Minimum`` with TF1's ``min``/``max`` constants, then a ``Cast``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.saturate_cast([-3.0, 300.0, 1.7], tf.uint8)))
    [  0 255   1]
    """
    with name_scope(name, "saturate_cast", [value]) as scope:
        value = convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype).base_dtype
        if value.dtype.is_complex and not dtype.is_complex:
            raise NotImplementedError(
                f"saturate_cast of {value.dtype.name} '{value.name}' to {dtype.name}: take "
                "its real part first (tf.real), then saturate_cast that."
            )
        in_dtype = value.dtype.base_dtype
        if in_dtype.min < dtype.min:
            low = _limit(max(in_dtype.min, dtype.min), in_dtype, dtype)
            value = maximum(value, constant(low, dtype=in_dtype, name="min"))
        if in_dtype.max > dtype.max:
            high = _limit(min(in_dtype.max, dtype.max), in_dtype, dtype)
            value = minimum(value, constant(high, dtype=in_dtype, name="max"))
        return cast(value, dtype, name=scope)


@undo.atomic
def clip_by_average_norm(t, clip_norm, name=None):
    """``t * clip_norm / max(l2norm(t) / size(t), clip_norm)``: ``t`` scaled down so that
    its L2 norm divided by its number of elements is at most ``clip_norm``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.clip_by_average_norm([3.0, 4.0], 1.0)))
    [1.2 1.6]
    """
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        t = convert_to_tensor(t, name="t")
        count = cast(size(t), dtypes.float32)
        l2norm_inv = rsqrt(reduce_sum(t * t, range_(rank(t))))
        scale = minimum(l2norm_inv * count, constant(1.0) / clip_norm)
        return identity(t * clip_norm * scale, name=scope)


# tf.math.reduce_variance and reduce_std are not top-level names in TF1.
__all__ = ["clip_by_average_norm", "log_sigmoid", "saturate_cast"]
