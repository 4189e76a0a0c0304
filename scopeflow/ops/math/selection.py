"""Choosing elements by a condition: ``tf.where`` (``Where``, ``Select``) and ``tf.where_v2``
(``SelectV2``)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.array.basic import zeros
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import NUMBERS, apply_op, check_bool, check_dtype_in, check_same_dtype
from scopeflow.ops.kernels import extrema
from scopeflow.ops.math.broadcasting import broadcast, sum_to_inputs

TensorShape = tensor_shape.TensorShape
_BOOL = dtypes.bool


def _where_infer(inputs, attrs):
    x = inputs[0]
    check_dtype_in("Where", "input", x, NUMBERS + (_BOOL,))
    return [(dtypes.int64, TensorShape([None, x.shape.ndims]))]


def _where_kernel(ctx, op, x):
    return np.argwhere(x).astype(np.int64, copy=False)


register_op("Where", _where_infer, kernel=_where_kernel, grad=NOT_DIFFERENTIABLE)


def _select_infer(inputs, attrs):
    cond, t, e = inputs
    check_bool("Select", "condition", cond)
    dtype = check_same_dtype("Select", ("t", "e"), (t, e))
    shape = merge_shapes(t.shape, e.shape)
    c = cond.shape
    if c.ndims is None or shape.ndims is None or c.ndims == 0:
        return [(dtype, shape)]
    if c.ndims == 1 and shape.ndims >= 1:  # TF1: a vector picks whole rows (merged first)
        first = merge_shapes(c, TensorShape(shape[:1]))
        return [(dtype, first.concatenate(shape[1:]))]
    return [(dtype, merge_shapes(shape, c))]


def _select_kernel(ctx, op, cond, t, e):
    shapes = np.shape(cond), np.shape(t), np.shape(e)
    if shapes[0] and not (len(shapes[0]) == 1 and len(shapes[1]) > 1):
        for k in (1, 2):  # TF 2.21: an elementwise Select checks its inputs' shapes first
            if shapes[k] != shapes[0]:
                raise ValueError(
                    "Inputs to operation Select of type Select must have the same size and "
                    f"shape.  Input 0: {shape_str(shapes[0])} != input {k}: " + shape_str(shapes[k])
                )
    if shapes[1] != shapes[2]:
        raise ValueError(
            "'then' and 'else' must have the same size.  but received: "
            f"{shape_str(shapes[1])} vs. {shape_str(shapes[2])}"
        )
    if np.ndim(cond) == 1 and np.ndim(t) > 1:
        if len(cond) != len(t):
            raise ValueError(
                f"Number of batches of 'then' must match size of 'cond', but saw: {len(t)} vs. "
                f"{len(cond)}"
            )
        cond = np.reshape(cond, (len(cond),) + (1,) * (np.ndim(t) - 1))
    return extrema.select(cond, t, e)


def _select_grad(op, grad):
    """``grad`` where each branch was taken, zeros elsewhere (zeros like ``t``, as TF)."""
    cond, t = op.inputs[:2]
    zero = zeros_like(t)
    return None, where(cond, grad, zero), where(cond, zero, grad)


# An IndexedSlices gradient is made dense in each where (Select/t, Select_1/e), as TF's.
register_op(
    "Select",
    _select_infer,
    kernel=_select_kernel,
    grad=_select_grad,
    grad_takes_indexed_slices=True,
)


def _select_v2_infer(inputs, attrs):
    cond, t, e = inputs
    check_bool("SelectV2", "condition", cond)
    dtype = check_same_dtype("SelectV2", ("t", "e"), (t, e))
    return [(dtype, broadcast(cond.shape, broadcast(t.shape, e.shape)))]


def _select_v2_kernel(ctx, op, cond, t, e):
    return extrema.select(cond, t, e)


def _select_v2_grad(op, grad):
    """The gradient where each branch was chosen, summed over the axes that branch was
    broadcast along."""
    cond, t, e = op.inputs
    zero = zeros([], dtype=grad.dtype.base_dtype)
    out = op.outputs[0]
    gt, ge = where_v2(cond, grad, zero), where_v2(cond, zero, grad)
    gt = sum_to_inputs(t, out, gt, None, shapes_first=True)[0]
    ge = sum_to_inputs(e, out, ge, None, shapes_first=True)[0]
    return None, gt, ge


register_op(
    "SelectV2",
    _select_v2_infer,
    kernel=_select_v2_kernel,
    grad=_select_v2_grad,
    grad_takes_indexed_slices=True,
)


def _where(op_type: str, condition, x, y, name):
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            condition = convert_to_tensor(condition, dtype_hint=_BOOL, name="condition")
            return apply_op("Where", [condition], name=scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return build.select(op_type, condition, x, y, name)


@undo.atomic
def where(condition, x=None, y=None, name=None):
    """TF1's ``tf.where``: with ``condition`` alone, the ``[n, rank]`` int64 indices of its
    true (non-zero) elements (``Where``); with ``x`` and ``y``, elements of ``x`` where
    ``condition`` holds, else of ``y`` (``Select``). ``x`` and ``y`` must have one shape, and
    ``condition`` that shape, a scalar, or a vector choosing whole rows.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rows = tf.where([True, False], [[1, 2], [3, 4]], [[5, 6], [7, 8]])
    ...     with tf.Session() as sess:
    ...         sess.run(rows).tolist()
    [[1, 2], [7, 8]]
    """
    return _where("Select", condition, x, y, name)


@undo.atomic
def where_v2(condition, x=None, y=None, name=None):
    """Like :func:`where`, with ``condition``, ``x`` and ``y`` broadcast together
    (``SelectV2``)."""
    return _where("SelectV2", condition, x, y, name)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["where", "where_v2"]
