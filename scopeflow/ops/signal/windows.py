"""More ``tf.signal`` windows, built from other ops as TF builds them: ``kaiser_window``,
``kaiser_bessel_derived_window`` (the MDCT's) and ``vorbis_window``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import ones
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.elementwise import exp, pow, sin, sqrt, square
from scopeflow.ops.math.reduction import cumsum
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.math.special import bessel_i0e
from scopeflow.ops.nn.activation import relu


def _check_params(window_length, dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    window_length = convert_to_tensor(window_length, dtype=dtypes.int32)
    window_length.shape.assert_has_rank(0)
    return window_length, dtype


@undo.atomic
def kaiser_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """The Kaiser window of ``window_length`` points with shape parameter ``beta``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.kaiser_window(4, beta=3.0)))
    [0.20488474 0.87124187 0.87124187 0.20488474]
    """
    with name_scope(name, "kaiser_window"):
        window_length, dtype = _check_params(window_length, dtype)
        if constant_value(window_length) == 1:
            return ones([1], dtype=dtype)
        halflen_float = (cast(window_length, dtype=dtypes.float32) - 1.0) / 2.0
        arg = range_(-halflen_float, halflen_float + 0.1, dtype=dtypes.float32)
        arg = cast(arg, dtype=dtype)
        beta = cast(beta, dtype=dtype)
        one = cast(1.0, dtype=dtype)
        halflen_float = cast(halflen_float, dtype=dtype)
        num = beta * sqrt(relu(one - square(arg / halflen_float)))
        window = exp(num - beta) * (bessel_i0e(num) / bessel_i0e(beta))
    return window


@undo.atomic
def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """The Kaiser-Bessel-derived window (an MDCT window: its squares' halves sum to 1).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.kaiser_bessel_derived_window(4, beta=3.0)))
    [0.38122445 0.9244825  0.9244825  0.38122445]
    """
    with name_scope(name, "kaiser_bessel_derived_window"):
        window_length, dtype = _check_params(window_length, dtype)
        halflen = window_length // 2
        kaiserw = kaiser_window(halflen + 1, beta, dtype=dtype)
        kaiserw_csum = cumsum(kaiserw)
        halfw = sqrt(kaiserw_csum[:-1] / kaiserw_csum[-1])
        window = concat((halfw, halfw[::-1]), axis=0)
    return window


@undo.atomic
def vorbis_window(window_length, dtype=dtypes.float32, name=None):
    """The Vorbis power-complementary window, ``sin(pi/2 * sin(pi * (n + 0.5) / N)**2)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.signal.vorbis_window(4)))
    [0.22801436 0.9736578  0.9736578  0.22801416]
    """
    with name_scope(name, "vorbis_window"):
        window_length, dtype = _check_params(window_length, dtype)
        arg = cast(range_(window_length), dtype=dtype)
        window = sin(
            np.pi / 2.0 * pow(sin(np.pi / cast(window_length, dtype=dtype) * (arg + 0.5)), 2.0)
        )
    return window


__all__ = ["kaiser_bessel_derived_window", "kaiser_window", "vorbis_window"]
