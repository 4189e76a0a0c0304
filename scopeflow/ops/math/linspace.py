"""``LinSpace`` (``tf.linspace``, ``tf.lin_space``): ``num`` evenly spaced values from
``start`` to ``stop``, both included, as TF1.15's single op. (TensorFlow 2's
``compat.v1.linspace`` builds the same values from some seventy ops, for N-D ``start`` and
``stop``; scopeflow takes scalars, as TF1 did.)"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    constant_value,
)

_TYPES = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)


def _lin_space_infer(inputs, attrs):
    start, stop, num = inputs
    dtype = check_same_dtype("LinSpace", ("start", "stop"), inputs[:2])
    check_dtype_in("LinSpace", "start", start, _TYPES)
    check_dtype_in("LinSpace", "num", num, INDEX)
    for t in inputs:
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
    count = constant_value(num)
    if count is not None and count <= 0:
        raise ValueError(f"Requires num > 0: {count}")
    return [(dtype, tensor_shape.TensorShape([None if count is None else int(count)]))]


def _lin_space_kernel(ctx, op, start, stop, num):
    if num <= 0:
        raise ValueError(f"Requires num > 0: {num}")
    return np.linspace(start, stop, int(num), dtype=start.dtype)


register_op("LinSpace", _lin_space_infer, kernel=_lin_space_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def lin_space(start, stop, num, name=None):
    """``num`` evenly spaced values from ``start`` to ``stop`` (scalars), both included.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.linspace(10.0, 12.0, 3)).tolist())
    [10.0, 11.0, 12.0]
    """
    with name_scope(name, "LinSpace", [start, stop, num]) as scope:
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, dtype=start.dtype.base_dtype, name="stop")
        num = convert_to_tensor(num, dtype_hint=dtypes.int32, name="num")
        attrs = {"Tidx": num.dtype.base_dtype}
        return apply_op("LinSpace", [start, stop, num], attrs, name=scope)


linspace = lin_space

# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["lin_space", "linspace"]
