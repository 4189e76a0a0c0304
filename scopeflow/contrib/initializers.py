"""``tf.contrib.layers``' initializers: ``variance_scaling_initializer`` (contrib's own
``factor``/``mode``/``uniform`` signature) and ``xavier_initializer``, as TF 1.15's."""

from __future__ import annotations

import math

from scopeflow.framework import dtypes
from scopeflow.ops.random.sampling import random_uniform, truncated_normal


def variance_scaling_initializer(
    factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=dtypes.float32
):
    """contrib's He initializer: variance ``factor / n`` with ``n`` the fan in, out or their
    average; uniform in ``±sqrt(3 factor / n)`` or truncated normal of stddev
    ``sqrt(1.3 factor / n)``.

    >>> import scopeflow as tf
    >>> init = tf.contrib.layers.variance_scaling_initializer(uniform=True)
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     print(float(abs(sess.run(init([600, 10]))).max()) <= (6.0 / 600) ** 0.5)
    True
    """
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")

    def _initializer(shape, dtype=dtype, partition_info=None):
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        shape = [int(d) for d in shape]
        fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1]) if shape else 1.0
        fan_out = float(shape[-1]) if shape else 1.0
        for dim in shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_uniform(shape, -limit, limit, dtype, seed=seed)
        return truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)

    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Glorot's initializer: ``variance_scaling_initializer(1.0, "FAN_AVG", uniform)``."""
    return variance_scaling_initializer(1.0, "FAN_AVG", uniform, seed, dtype)


xavier_initializer_conv2d = xavier_initializer


__all__ = ["variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d"]
