"""NumPy broadcasting: the static shape rule, the sums that take a broadcast result's
gradient back to the shapes of the inputs (``BroadcastGradientArgs``), ``BroadcastTo``
(``tf.broadcast_to``) and the broadcast of two shapes (``tf.broadcast_static_shape``, and
``BroadcastArgs``: ``tf.broadcast_dynamic_shape``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x, y = tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3])
...     gx, gy = tf.gradients(x + y, [x, y])
>>> gy.op.name, gy.shape.as_list()
('gradients/add_grad/Reshape', [3])
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    int_operand,
    shape_value,
)


def broadcast(x, y) -> tensor_shape.TensorShape:
    """The broadcast of static shapes ``x`` and ``y``, with TF1's error wording."""
    try:
        return tensor_shape.broadcast_shapes(x, y)
    except ValueError as e:
        raise ValueError(str(e).split(" for input shapes")[0]) from None


def _broadcast_gradient_args_infer(inputs, attrs):
    dtype = check_same_dtype("BroadcastGradientArgs", ("s0", "s1"), inputs)
    check_dtype_in("BroadcastGradientArgs", "s0", inputs[0], INDEX)
    return [(dtype, tensor_shape.TensorShape([None]))] * 2


def _broadcast_gradient_args_kernel(ctx, op, s0, s1):
    a, b = s0.tolist(), s1.tolist()
    if a == b:
        return np.zeros(0, s0.dtype), np.zeros(0, s0.dtype)
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    if any(x != y and 1 not in (x, y) for x, y in zip(a, b, strict=True)):
        raise ValueError(
            f"Incompatible shapes: {shape_str(s0.tolist())} vs. {shape_str(s1.tolist())}"
        )
    r0 = [i for i, x in enumerate(a) if x == 1]
    r1 = [i for i, y in enumerate(b) if y == 1]
    return np.asarray(r0, s0.dtype), np.asarray(r1, s0.dtype)


def _broadcast_args_infer(inputs, attrs):
    dtype = check_same_dtype("BroadcastArgs", ("s0", "s1"), inputs)
    check_dtype_in("BroadcastArgs", "s0", inputs[0], INDEX)
    lengths = [t.shape[0] if t.shape.ndims == 1 else None for t in inputs]
    rank = None if None in lengths else max(lengths)
    return [(dtype, tensor_shape.TensorShape([rank]))]


def _broadcast_args_kernel(ctx, op, s0, s1):
    a, b = s0.tolist(), s1.tolist()
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    if any(x != y and 1 not in (x, y) for x, y in zip(a, b, strict=True)):
        raise ValueError(
            f"Incompatible shapes: {shape_str(s0.tolist())} vs. {shape_str(s1.tolist())}"
        )
    return np.asarray([y if x == 1 else x for x, y in zip(a, b, strict=True)], s0.dtype)


register_op(
    "BroadcastArgs", _broadcast_args_infer, kernel=_broadcast_args_kernel, grad=NOT_DIFFERENTIABLE
)


def broadcast_static_shape(shape_x, shape_y) -> tensor_shape.TensorShape:
    """The broadcast of two static shapes (``TensorShape``), as far as they are known.

    >>> import scopeflow as tf
    >>> tf.broadcast_static_shape(tf.TensorShape([None, 3]), tf.TensorShape([2, 1, 1]))
    TensorShape([Dimension(2), Dimension(None), Dimension(3)])
    """
    try:
        return tensor_shape.broadcast_shapes(shape_x, shape_y)
    except ValueError:
        raise ValueError(
            "Incompatible shapes for broadcasting. Two shapes are compatible if for each "
            "dimension pair they are either equal or one of them is 1. Received: "
            f"{tensor_shape.as_shape(shape_x)} and {tensor_shape.as_shape(shape_y)}."
        ) from None


def broadcast_dynamic_shape(shape_x, shape_y, name=None) -> Tensor:
    """The broadcast of two shapes given as 1-D int tensors, computed when run
    (``BroadcastArgs``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.broadcast_dynamic_shape([2, 1], [3])))
    [2 3]
    """
    with name_scope(name, "BroadcastArgs", [shape_x, shape_y]) as scope:
        s0 = int_operand(shape_x, "s0")
        s1 = int_operand(shape_y, "s1")
        return apply_op("BroadcastArgs", [s0, s1], name=scope)


# The axes of the broadcast of two shapes that each one's gradient sums over: where its
# dimension is 1 (or missing), unless both shapes are equal.
register_op(
    "BroadcastGradientArgs",
    _broadcast_gradient_args_infer,
    kernel=_broadcast_gradient_args_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _must_sum(own, other) -> bool | None:
    """Whether an input whose dimension is ``own`` (``-1``: missing) on an axis where the
    other input's is ``other`` sums its gradient over that axis; ``None`` when that depends
    on a dimension known only when run. As TF's ``SmartBroadcastGradientArgs``: a 1 against
    an unknown dimension sums (harmless if that one is 1 too)."""
    if own == -1:
        return True
    if own is None or own == 1:
        if other in (-1, 1):
            return False
        return True if own == 1 else None
    return False


def _static_sum_axes(x: tensor_shape.TensorShape, y: tensor_shape.TensorShape):
    """The axes the gradients of ``x`` and ``y`` sum over, from the static shapes alone, or
    ``None`` when unknown dimensions leave that open."""
    if x.ndims is None or y.ndims is None:
        return None
    n = max(x.ndims, y.ndims)
    xs = [-1] * (n - x.ndims) + x.as_list()
    ys = [-1] * (n - y.ndims) + y.as_list()
    sum_x = [_must_sum(a, b) for a, b in zip(xs, ys, strict=True)]
    sum_y = [_must_sum(b, a) for a, b in zip(xs, ys, strict=True)]
    if None in sum_x or None in sum_y:
        return None
    return [i for i, s in enumerate(sum_x) if s], [i for i, s in enumerate(sum_y) if s]


def _leading(s: tensor_shape.TensorShape, core: int) -> tensor_shape.TensorShape:
    return s if s.ndims is None else tensor_shape.TensorShape(s.as_list()[: s.ndims - core])


def _sum_to(grad, axes, to_shape):
    if grad is None or (isinstance(axes, list) and not axes):
        return grad
    return reshape(build.reduce_sum(grad, axes), to_shape)


def sum_to_inputs(x: Tensor, y: Tensor, gx, gy, core: int = 0, shapes_first=False) -> tuple:
    """The gradients ``gx`` and ``gy`` of a result broadcast from ``x`` and ``y``, each summed
    over the axes its input was broadcast along (and reshaped to that input's shape).

    The axes come from the static shapes when they settle them, else from a
    ``BroadcastGradientArgs`` of the run-time shapes. The last ``core`` dimensions take no
    part in broadcasting (a matrix product's matrices). ``shapes_first``: the inputs' shapes
    are made (``Shape``, ``Shape_1``) even when nothing is summed, as TF's gradients of
    ``RealDiv``, ``Maximum``, ``Pow``... do (those of ``Add`` and ``Sub`` make none).
    """
    axes = _static_sum_axes(_leading(x.shape, core), _leading(y.shape, core))
    if axes == ([], []) and not shapes_first:
        return gx, gy
    sx, sy = shape(x), shape(y)
    if axes == ([], []):
        return gx, gy
    if axes is None:
        bx, by = (sx[:-core], sy[:-core]) if core else (sx, sy)
        axes = apply_op("BroadcastGradientArgs", [bx, by])
    return _sum_to(gx, axes[0], sx), _sum_to(gy, axes[1], sy)


# -- BroadcastTo ----------------------------------------------------------------------------


def _broadcast_to_infer(inputs, attrs):
    x, dims = inputs
    check_dtype_in("BroadcastTo", "shape", dims, INDEX)
    target = shape_value(dims)
    if target.ndims is not None and x.shape.ndims is not None:
        if x.shape.ndims > target.ndims:
            raise ValueError(
                f"Rank of input ({x.shape.ndims}) must be no greater than rank of output shape "
                f"({target.ndims}) for BroadcastTo: input shape {x.shape}, shape {target}"
            )
        broadcast(x.shape, target)  # TF1's error when known dimensions disagree
    return [(x.dtype.base_dtype, target)]


def _broadcast_to_kernel(ctx, op, x, dims):
    try:
        return np.array(np.broadcast_to(x, tuple(int(d) for d in dims)))
    except ValueError:
        raise ValueError(
            f"Incompatible shapes: {shape_str(x.shape)} vs. {shape_str(dims.tolist())}"
        ) from None


def _broadcast_to_grad(op, grad):
    x, dims = op.inputs
    x_shape = shape(x, out_type=dims.dtype.base_dtype)
    static = op.outputs[0].shape  # the target shape, as far as it is known
    if static.is_fully_defined():
        dims = constant(static.as_list(), dtype=dims.dtype.base_dtype)
    _, axes = apply_op("BroadcastGradientArgs", [dims, x_shape])
    summed = build.reduce_sum(grad, axes, keepdims=True)
    return [reshape(summed, x_shape), None]


register_op(
    "BroadcastTo",
    _broadcast_to_infer,
    kernel=_broadcast_to_kernel,
    grad=_broadcast_to_grad,
    grad_takes_indexed_slices=True,  # made dense as the Sum's input, as TF
)


@undo.atomic
def broadcast_to(input, shape, name=None):  # noqa: A002 - TF1's argument names
    """``input`` broadcast (NumPy's rules) to ``shape``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.broadcast_to([1.0, 2.0], [2, 2])))
    [[1. 2.]
     [1. 2.]]
    """
    with name_scope(name, "BroadcastTo", [input, shape]) as scope:
        x = convert_to_tensor(input, name="input")
        dims = int_operand(shape, "shape")
        return apply_op("BroadcastTo", [x, dims], name=scope)


__all__ = ["broadcast_dynamic_shape", "broadcast_static_shape", "broadcast_to"]
