"""``tf.timestamp`` (``Timestamp``): the seconds since the Unix epoch, a float64 scalar, when
the op runs."""

from __future__ import annotations

import time

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op


def _timestamp_kernel(ctx, op):
    return np.float64(time.time())


register_op(
    "Timestamp",
    lambda inputs, attrs: [(dtypes.float64, TensorShape([]))],
    kernel=_timestamp_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    host_only=True,
)


@undo.atomic
def timestamp(name=None):
    """The time when the op runs, in seconds since the epoch (float64, microseconds kept).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     print(sess.run(tf.timestamp()) > 1.5e9)
    True
    """
    return apply_op("Timestamp", [], name=name or "Timestamp")


__all__ = ["timestamp"]
