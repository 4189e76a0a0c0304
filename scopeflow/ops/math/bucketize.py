"""``Bucketize``: each value's bucket among sorted boundaries, the op behind
``tf.feature_column.bucketized_column``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op, check_dtype_in

_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def _bucketize_infer(inputs, attrs):
    check_dtype_in("Bucketize", "input", inputs[0], _TYPES)
    return [(dtypes.int32, inputs[0].shape)]


def _bucketize_kernel(ctx, op, x):
    boundaries = np.asarray(op._attrs["boundaries"], dtype=np.float64)
    return np.searchsorted(boundaries, np.asarray(x, np.float64), side="right").astype(np.int32)


register_op("Bucketize", _bucketize_infer, kernel=_bucketize_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def bucketize(input, boundaries, name=None):  # noqa: A002 - TF's name
    """The index ``i`` of each value's bucket, ``boundaries[i - 1] <= x < boundaries[i]``
    (int32, the shape of ``input``); ``boundaries`` is a sorted list of floats.

    >>> import scopeflow as tf
    >>> from scopeflow.ops.math.bucketize import bucketize
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(bucketize([-5.0, 10.0, 150.0], [0.0, 10.0, 100.0])))
    [0 2 3]
    """
    boundaries = [float(b) for b in boundaries]
    if boundaries != sorted(boundaries):
        raise ValueError(f"Expected sorted boundaries, got {boundaries}")
    x = convert_to_tensor(input, name="input")
    return apply_op("Bucketize", [x], {"boundaries": boundaries, "T": x.dtype.base_dtype}, name)
