"""The special functions the distributions' CDFs are built from, with TF1's ops and names
(TF1's ``tf.distributions`` ``special_math``): ``ndtr`` (the standard normal CDF), its log
``log_ndtr`` (an asymptotic series in the far left tail), ``log_cdf_laplace``.

>>> import scopeflow as tf
>>> from scopeflow.distributions import special_math
>>> with tf.Graph().as_default():
...     print(tf.Session().run(special_math.log_ndtr([-20.0, 0.0])).round(4))
[-203.9172   -0.6931]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.math.elementwise import (
    abs,  # noqa: A004 - TF's name
    exp,
    greater,
    less,
    log,
    log1p,
    maximum,
    minimum,
    square,
)
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.special import erf, erfc

# Where log_ndtr switches from -ndtr(-x) (above) and log(ndtr(x)) to the series (below).
_LOG_NDTR_SEGMENTS = {
    np.float32: (np.array(-10, np.float32), np.array(5, np.float32)),
    np.float64: (np.array(-20, np.float64), np.array(8, np.float64)),
}


def ndtr(x, name="ndtr"):
    """The standard normal distribution's CDF, from ``erf`` near 0 and ``erfc`` in the tails."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        if x.dtype.as_numpy_dtype not in (np.float32, np.float64):
            raise TypeError(f"x.dtype={x.dtype} is not handled, see docstring for supported types.")
        return _ndtr(x)


def _ndtr(x):
    half_sqrt_2 = constant(0.5 * np.sqrt(2.0), dtype=x.dtype, name="half_sqrt_2")
    w = x * half_sqrt_2
    z = abs(w)
    y = where_v2(
        less(z, half_sqrt_2),
        1.0 + erf(w),
        where_v2(greater(w, 0.0), 2.0 - erfc(z), erfc(z)),
    )
    return 0.5 * y


def log_ndtr(x, series_order=3, name="log_ndtr"):
    """The log of the standard normal CDF, accurate far into the left tail (an asymptotic
    series of ``series_order`` terms below -10 in float32, -20 in float64)."""
    if not isinstance(series_order, int):
        raise TypeError("series_order must be a Python integer.")
    if series_order < 0:
        raise ValueError("series_order must be non-negative.")
    if series_order > 30:
        raise ValueError("series_order must be <= 30.")
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        segments = _LOG_NDTR_SEGMENTS.get(x.dtype.as_numpy_dtype)
        if segments is None:
            raise TypeError(f"x.dtype={x.dtype} is not supported.")
        lower, upper = segments
        return where_v2(
            greater(x, upper),
            -_ndtr(-x),
            where_v2(
                greater(x, lower),
                log(_ndtr(maximum(x, lower))),
                _log_ndtr_lower(minimum(x, lower), series_order),
            ),
        )


def _log_ndtr_lower(x, series_order):
    x_2 = square(x)
    log_scale = -0.5 * x_2 - log(-x) - 0.5 * np.log(2.0 * np.pi)
    return log_scale + log(_log_ndtr_asymptotic_series(x, series_order))


def _log_ndtr_asymptotic_series(x, series_order):
    dtype = x.dtype.as_numpy_dtype
    if series_order <= 0:
        return np.array(1, dtype)
    x_2 = square(x)
    even_sum = zeros_like(x)
    odd_sum = zeros_like(x)
    x_2n = x_2
    for n in range(1, series_order + 1):
        y = np.array(np.prod(np.arange(2 * n - 1, 1, -2)), dtype) / x_2n
        if n % 2:
            odd_sum += y
        else:
            even_sum += y
        x_2n *= x_2
    return 1.0 + even_sum - odd_sum


def log_cdf_laplace(x, name="log_cdf_laplace"):
    """The log of the standard Laplace distribution's CDF, accurate in both tails."""
    with name_scope(name, values=[x]):
        x = convert_to_tensor(x, name="x")
        lower_solution = -np.log(2.0) + x
        safe_exp_neg_x = exp(-abs(x))
        upper_solution = log1p(-0.5 * safe_exp_neg_x)
        return where_v2(x < 0.0, lower_solution, upper_solution)
