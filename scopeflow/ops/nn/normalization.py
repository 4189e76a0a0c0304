"""Local response normalization: ``LRN`` (``tf.nn.local_response_normalization``, alias
``tf.nn.lrn``) and its gradient op ``LRNGrad``.

Over the last (depth) dimension of a 4-D input, each entry is divided by ``(bias + alpha *
sum of the squares within depth_radius of it) ** beta``, as AlexNet's normalization layer.
scopeflow also takes float64 (TF's kernel stops at float32), so that finite differences can
check the gradient.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import FLOATS, apply_op, check_dtype_in, check_same_dtype

_LRN_DTYPES = FLOATS


def _rank4(t) -> TensorShape:
    if t.shape.ndims not in (None, 4):
        raise ValueError(f"Shape must be rank 4 but is rank {t.shape.ndims}")
    return t.shape if t.shape.ndims is not None else TensorShape([None] * 4)


def _window_sum(v: np.ndarray, radius: int) -> np.ndarray:
    """``out[..., d] = sum(v[..., d - radius : d + radius + 1])`` (clipped at the ends)."""
    depth = v.shape[-1]
    padded = np.zeros((*v.shape[:-1], depth + 2 * radius + 1), v.dtype)
    np.cumsum(v, axis=-1, out=padded[..., radius + 1 : radius + 1 + depth])
    padded[..., radius + 1 + depth :] = padded[..., radius + depth : radius + 1 + depth]
    return padded[..., 2 * radius + 1 :] - padded[..., :depth]


def _scale(op, x: np.ndarray) -> np.ndarray:
    """``bias + alpha * (windowed sum of squares)``, in at least float32."""
    wide = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
    attrs = op._attrs
    return attrs["bias"] + attrs["alpha"] * _window_sum(wide * wide, attrs["depth_radius"])


def _lrn_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("LRN", "input", x, _LRN_DTYPES)
    return [(dtype, _rank4(x))]


def _lrn_kernel(ctx, op, x):
    scale = _scale(op, x)
    return (x * scale ** -op._attrs["beta"]).astype(x.dtype, copy=False)


def _lrn_grad(op, grad):
    attrs = {k: op._attrs[k] for k in ("depth_radius", "bias", "alpha", "beta")}
    return [apply_op("LRNGrad", [grad, op.inputs[0], op.outputs[0]], attrs, name="LRNGrad")]


register_op("LRN", _lrn_infer, kernel=_lrn_kernel, grad=_lrn_grad)


def _lrn_grad_infer(inputs, attrs):
    dtype = check_same_dtype(
        "LRNGrad", ("input_grads", "input_image", "output_image"), list(inputs)
    )
    check_dtype_in("LRNGrad", "input_grads", inputs[0], _LRN_DTYPES)
    shape = _rank4(inputs[0])
    for t in inputs[1:]:
        shape = shape.merge_with(_rank4(t))
    return [(dtype, shape)]


def _lrn_grad_kernel(ctx, op, dy, x, y):
    """``dx_j = dy_j * N_j ** -beta - 2 alpha beta x_j * sum over the window of j of
    dy_d y_d / N_d``, where ``N = bias + alpha * (windowed sum of squares)``."""
    attrs = op._attrs
    scale = _scale(op, x)
    beta = attrs["beta"]
    inner = _window_sum(dy * y / scale, attrs["depth_radius"])
    dx = dy * scale**-beta - 2.0 * attrs["alpha"] * beta * x * inner
    return dx.astype(x.dtype, copy=False)


register_op("LRNGrad", _lrn_grad_infer, kernel=_lrn_grad_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def local_response_normalization(
    input,
    depth_radius=5,
    bias=1.0,
    alpha=1.0,
    beta=0.5,
    name=None,  # noqa: A002
):
    """``input / (bias + alpha * sqr_sum) ** beta``, where ``sqr_sum`` sums the squares of
    the entries within ``depth_radius`` of each along the last dimension of the 4-D
    ``input``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.lrn(tf.ones([1, 1, 1, 3]), depth_radius=1, bias=1.0, alpha=1.0, beta=1.0)
    ...     print(tf.Session().run(y).ravel())
    [0.33333334 0.25       0.33333334]
    """
    with name_scope(name, "LRN", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        attrs = {
            "depth_radius": int(depth_radius),
            "bias": float(np.float32(bias)),
            "alpha": float(np.float32(alpha)),
            "beta": float(np.float32(beta)),
        }
        return apply_op("LRN", [x], attrs, name=scope)


lrn = local_response_normalization

__all__ = ["local_response_normalization", "lrn"]
