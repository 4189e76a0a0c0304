"""Element-wise activations (``tf.nn.relu``, ``relu6``, ``elu``, ``selu``, ``softplus``,
``softsign``, ``leaky_relu``) and the gradient ops TF computes their gradients with
(``ReluGrad(gradients, features)``...), each with its own gradient for second derivatives.

Kernels of float16/bfloat16 compute in float32 and round once at the end. The gradient
kernels mask with a multiplication (``g * (x > 0)``), several times faster than
``np.where``; a non-finite gradient at a masked pixel gives NaN there where TF gives 0.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core.infer import (
    FLOATS,
    INTEGERS,
    REALS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    elementwise,
    name_public_functions,
)
from scopeflow.ops.kernels import extrema
from scopeflow.ops.kernels.parallel import Threads
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.ops.kernels.windows import compute_dtype
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import less, sigmoid, sign, tanh
from scopeflow.ops.math.selection import where

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _computing(kernel_fn):
    """A kernel computing ``kernel_fn(ctx, op, *arrays)`` in float32/float64 (integers as
    they are) and returning the first input's dtype."""

    def kernel(ctx, op, *arrays):
        dtype = arrays[0].dtype
        work = compute_dtype(dtype)
        with quiet(over="ignore", under="ignore"):
            out = kernel_fn(ctx, op, *(a.astype(work, copy=False) for a in arrays))
        return np.asarray(out, dtype)

    return kernel


# -- gradient ops: op_type(gradients, features or outputs) ---------------------------------


def _grad_op(op_type: str, fn, grad, second: str = "features", allowed=FLOATS):
    """Registers ``op_type(gradients, <second>)`` computing ``fn(ctx, op, g, x)``; returns a
    function that adds one to the graph."""

    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, ("gradients", second), inputs)
        check_dtype_in(op_type, "gradients", inputs[0], allowed)
        return [(dtype, merge_shapes(inputs[0].shape, inputs[1].shape))]

    def checked(ctx, op, g, x):
        if g.shape != x.shape:
            raise ValueError(
                f"Inputs to operation {op.name} of type {op.type} must have the same size and "
                f"shape.  Input 0: {shape_str(g.shape)} != input 1: {shape_str(x.shape)}"
            )
        return fn(ctx, op, g, x)

    register_op(op_type, infer, kernel=_computing(checked), grad=grad)

    def build(gradients, x, attrs=None):
        # An IndexedSlices gradient is made dense as the op's argument (ReluGrad/gradients),
        # in the op's scope, as TF's op builders convert it.
        with name_scope(None, op_type, [gradients, x]) as scope:
            gradients = convert_to_tensor(gradients, name="gradients")
            return apply_op(op_type, [gradients, x], attrs, name=scope)

    return build


def _relu_grad_grad(op, grad):
    x = op.inputs[1]
    return [_relu_grad(grad, x), zeros_like(x)]


def _relu6_grad_grad(op, grad):
    x = op.inputs[1]
    return [_relu6_grad(grad, x), zeros_like(x)]


def _leaky_relu_grad_grad(op, grad):
    x = op.inputs[1]
    return [_leaky_relu_grad(grad, x, dict(op._attrs)), zeros_like(x)]


def _elu_grad_grad(op, grad):
    # EluGrad is g * (y + 1) where y < 0: its derivative for y is g there.
    g, y = op.inputs
    return [_elu_grad(grad, y), where(less(y, 0), grad * g, zeros_like(y))]


def _selu_grad_grad(op, grad):
    # SeluGrad is g * (y + scale * alpha) where y < 0: its derivative for y is g there.
    g, y = op.inputs
    return [_selu_grad(grad, y), where(less(y, 0), grad * g, zeros_like(y))]


def _softsign_grad_grad(op, grad):
    # SoftsignGrad is g / (1 + |x|)^2; its derivative for x is -2 g sign(x) / (1 + |x|)^3.
    g, x = op.inputs
    return [_softsign_grad(grad, x), _softsign_grad(-2 * grad * g * sign(x) / (1 + abs_(x)), x)]


def _leaky_factor(op, x):
    alpha = x.dtype.type(op._attrs["alpha"])
    return alpha + (1 - alpha) * (x > 0)


def _masked(threads: Threads, g, x, mask_fn):
    """``g`` where ``mask_fn(x, out=...)`` holds, else 0: the mask is written as numbers into
    the output, which is then multiplied in place (one array allocated, no bool casts)."""
    out = np.empty_like(g)

    def span(a, b):
        mask_fn(x[a:b], out=out[a:b])
        np.multiply(g[a:b], out[a:b], out=out[a:b])

    if g.shape != x.shape or not g.ndim:
        mask_fn(x, out=out)
        return np.multiply(g, out, out=out)
    threads.run_spans(span, threads.elementwise_spans(g.shape[0], g.nbytes))
    return out


def _relu_mask(x, out):
    return np.greater(x, 0, out=out)


def _relu6_mask(x, out):
    return np.logical_and(x > 0, x < 6, out=out)


_relu_grad = _grad_op(
    "ReluGrad",
    lambda ctx, op, g, x: _masked(ctx.threads, g, x, _relu_mask),
    _relu_grad_grad,
    allowed=REALS,
)
_relu6_grad = _grad_op(
    "Relu6Grad",
    lambda ctx, op, g, x: _masked(ctx.threads, g, x, _relu6_mask),
    _relu6_grad_grad,
    allowed=REALS,
)
_elu_grad = _grad_op(
    "EluGrad", lambda ctx, op, g, y: g * (np.minimum(y, 0) + 1), _elu_grad_grad, "outputs"
)
_selu_grad = _grad_op(
    "SeluGrad",
    # y < 0 (not y <= 0): at x = 0 the slope is scale, as TF's kernel
    lambda ctx, op, g, y: g * np.where(y < 0, y + _SELU_SCALE * _SELU_ALPHA, _SELU_SCALE),
    _selu_grad_grad,
    "outputs",
)
_softsign_grad = _grad_op(
    "SoftsignGrad", lambda ctx, op, g, x: g / np.square(1 + np.abs(x)), _softsign_grad_grad
)
_leaky_relu_grad = _grad_op(
    "LeakyReluGrad", lambda ctx, op, g, x: g * _leaky_factor(op, x), _leaky_relu_grad_grad
)


# -- the activations ------------------------------------------------------------------------


def _relu(ctx, op, x):
    return ctx.threads.split_ufunc(np.maximum, x, extrema.zeros_like(x))


def _relu6(ctx, op, x):
    out = np.maximum(x, extrema.zeros_like(x))
    return extrema.extremum(np.minimum, out, np.asarray(6, x.dtype), out=out)


def _elu(ctx, op, x):
    return extrema.select(x > 0, x, np.expm1(np.minimum(x, 0)))


def _selu(ctx, op, x):
    return _SELU_SCALE * extrema.select(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0)))


def _softplus(ctx, op, x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _softsign(ctx, op, x):
    return x / (1 + np.abs(x))


def _unary(op_type: str, fn, grad, allowed=FLOATS):
    register_op(
        op_type,
        elementwise(op_type, allowed, arg="features"),
        kernel=_computing(fn),
        grad=grad,
        grad_takes_indexed_slices=True,  # made dense where its gradient uses it, as TF
    )

    @undo.atomic
    def activation(features, name=None):
        with name_scope(name, op_type, [features]) as scope:
            x = convert_to_tensor(features, name="features")
            return apply_op(op_type, [x], name=scope)

    activation.__doc__ = f"Element-wise ``{op_type}``."
    return activation


relu = _unary("Relu", _relu, lambda op, grad: _relu_grad(grad, op.outputs[0]), FLOATS + INTEGERS)
relu6 = _unary(
    "Relu6", _relu6, lambda op, grad: _relu6_grad(grad, op.outputs[0]), FLOATS + INTEGERS
)
elu = _unary("Elu", _elu, lambda op, grad: _elu_grad(grad, op.outputs[0]))
selu = _unary("Selu", _selu, lambda op, grad: _selu_grad(grad, op.outputs[0]))
softplus = _unary("Softplus", _softplus, lambda op, grad: grad * sigmoid(op.inputs[0]))
softsign = _unary("Softsign", _softsign, lambda op, grad: _softsign_grad(grad, op.inputs[0]))


def _leaky_relu_kernel(ctx, op, x):
    return extrema.select(x > 0, x, x * x.dtype.type(op._attrs["alpha"]))


register_op(
    "LeakyRelu",
    elementwise("LeakyRelu", FLOATS, arg="features"),
    kernel=_computing(_leaky_relu_kernel),
    grad=lambda op, grad: _leaky_relu_grad(grad, op.inputs[0], dict(op._attrs)),
    grad_takes_indexed_slices=True,
)


@undo.atomic
def leaky_relu(features, alpha=0.2, name=None):
    """``features`` where positive, else ``alpha * features``; integers become float32 first,
    as in TF1 (``LeakyRelu/Cast``)."""
    with name_scope(name, "LeakyRelu", [features, alpha]) as scope:
        x = convert_to_tensor(features, name="features")
        if x.dtype.base_dtype.is_integer:
            x = cast(x, dtypes.float32)
        return apply_op("LeakyRelu", [x], {"alpha": float(np.float32(alpha))}, name=scope)


__all__ = [
    "elu",
    "leaky_relu",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "softplus",
    "softsign",
    "tanh",
]

name_public_functions(globals(), __all__)
