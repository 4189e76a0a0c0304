"""``Roll`` (``tf.roll``, ``tf.manip.roll``): elements shifted cyclically along axes, as
``np.roll`` (shifts along a repeated axis add up); ``tf.signal.fftshift`` is built on it."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, int_operand


def _roll_infer(inputs, attrs):
    x, shift, axis = inputs
    for arg, t in (("shift", shift), ("axis", axis)):
        check_dtype_in("Roll", arg, t, INDEX)
        if t.shape.ndims is not None and t.shape.ndims > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {t.shape.ndims}")
    if x.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if not shift.shape.is_compatible_with(axis.shape):
        n, m = shift.shape.num_elements(), axis.shape.num_elements()
        raise ValueError(
            f"Dimension 0 in both shapes must be equal, but are {n} and {m}. Shapes are [{n}] "
            f"and [{m}]."
        )
    return [(x.dtype.base_dtype, x.shape)]


def _roll_kernel(ctx, op, x, shift, axis):
    if shift.shape != axis.shape:
        raise ValueError("shift and axis must have the same size")
    for a in axis.reshape(-1).tolist():
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"axis {a} is out of range")
    if x.size == 0:
        return x.copy()
    return np.roll(x, shift.reshape(-1).tolist(), axis.reshape(-1).tolist())


def _roll_grad(op, grad):
    shift = op.inputs[1]
    negated = apply_op("Neg", [shift])
    return [apply_op("Roll", [grad, negated, op.inputs[2]]), None, None]


register_op("Roll", _roll_infer, kernel=_roll_kernel, grad=_roll_grad)


@undo.atomic
def roll(input, shift, axis, name=None):  # noqa: A002 - TF1's argument name
    """``input`` with its elements moved ``shift`` places along ``axis`` (both ints or 1-D
    lists of one length), those pushed past the end coming back at the start.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.roll([0, 1, 2, 3, 4], 2, 0)))
    [3 4 0 1 2]
    """
    with name_scope(name, "Roll", [input, shift, axis]) as scope:
        x = convert_to_tensor(input, name="input")
        shift = shift if isinstance(shift, Tensor) else int_operand(shift, "shift")
        axis = axis if isinstance(axis, Tensor) else int_operand(axis, "axis")
        attrs = {"Tshift": shift.dtype.base_dtype, "Taxis": axis.dtype.base_dtype}
        return apply_op("Roll", [x, shift, axis], attrs, name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["roll"]
