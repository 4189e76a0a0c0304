"""JAX lowerings of the neural-network ops: activations and their gradients, softmax and
cross entropy, convolutions and pooling (gradients as ``jax.vjp`` of the forward op, which is
linear in what it differentiates), fused batch norm."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework.error_text import check_batch_depth, check_pool_batch
from scopeflow.session.jax_lowering.common import out_dtype, static

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _relu6(x):
    return jnp.minimum(jnp.maximum(x, 0), 6).astype(x.dtype)


def _elu(x):
    return jnp.where(x > 0, x, jnp.expm1(jnp.minimum(x, 0)))


def _selu(x):
    return _SELU_SCALE * jnp.where(x > 0, x, _SELU_ALPHA * jnp.expm1(jnp.minimum(x, 0)))


def _softplus(x):
    return jnp.maximum(x, 0) + jnp.log1p(jnp.exp(-jnp.abs(x)))


def _zero_for_zero_dy(dy, out):
    return jnp.where(dy == 0, jnp.zeros((), out.dtype), out)  # as TF's kernels


ACTIVATIONS = {
    "Relu": lambda ctx, op, x: jnp.maximum(x, jnp.zeros((), x.dtype)),
    "Relu6": lambda ctx, op, x: _relu6(x),
    "Elu": lambda ctx, op, x: _elu(x),
    "Selu": lambda ctx, op, x: _selu(x),
    "Softplus": lambda ctx, op, x: _softplus(x),
    "Softsign": lambda ctx, op, x: x / (1 + jnp.abs(x)),
    "LeakyRelu": lambda ctx, op, x: jnp.where(x > 0, x, x * op._attrs["alpha"]),
    "ReluGrad": lambda ctx, op, g, x: jnp.where(x > 0, g, jnp.zeros((), g.dtype)),
    "Relu6Grad": lambda ctx, op, g, x: jnp.where((x > 0) & (x < 6), g, jnp.zeros((), g.dtype)),
    "EluGrad": lambda ctx, op, g, y: g * (jnp.minimum(y, 0) + 1),
    "SeluGrad": lambda ctx, op, g, y: (
        g * jnp.where(y < 0, y + _SELU_SCALE * _SELU_ALPHA, _SELU_SCALE)
    ),
    "SoftsignGrad": lambda ctx, op, g, x: g / jnp.square(1 + jnp.abs(x)),
    "LeakyReluGrad": lambda ctx, op, g, x: jnp.where(x > 0, g, g * op._attrs["alpha"]),
    "SigmoidGrad": lambda ctx, op, y, dy: dy * y * (1 - y),
    "TanhGrad": lambda ctx, op, y, dy: dy * jnp.conj(1 - y * y),
    "SqrtGrad": lambda ctx, op, y, dy: _zero_for_zero_dy(dy, dy * 0.5 / y),
    "RsqrtGrad": lambda ctx, op, y, dy: _zero_for_zero_dy(dy, dy * -0.5 * y * y * y),
    "ReciprocalGrad": lambda ctx, op, y, dy: _zero_for_zero_dy(dy, -dy * y * y),
}


def _channels_axis(op) -> int:
    return 1 if op._attrs.get("data_format", "NHWC").startswith("NC") else -1


def _bias_add(ctx, op, x, bias):
    if _channels_axis(op) == 1:
        return x + bias.reshape((-1,) + (1,) * (x.ndim - 2))
    return x + bias


def _bias_add_grad(ctx, op, g):
    axis = 1 if _channels_axis(op) == 1 and g.ndim > 2 else g.ndim - 1
    return jnp.sum(g, axis=tuple(a for a in range(g.ndim) if a != axis))


def _softmax_xent(ctx, op, logits, labels):
    logits, labels = jnp.broadcast_arrays(logits, labels)
    log_p = jax.nn.log_softmax(logits, axis=-1)
    loss = -jnp.sum(labels * log_p, axis=-1)
    return loss, jnp.exp(log_p) - labels


def _sparse_softmax_xent(ctx, op, logits, labels):
    log_p = jax.nn.log_softmax(logits, axis=-1)
    labels = jnp.asarray(labels)
    loss = -jnp.take_along_axis(log_p, labels[:, None], axis=-1)[:, 0]
    hot = jax.nn.one_hot(labels, logits.shape[-1], dtype=logits.dtype)
    return loss, jnp.exp(log_p) - hot


# -- convolutions ---------------------------------------------------------------------------


def _spatial(op, values, rank: int) -> tuple[int, ...]:
    """The spatial entries of an NHWC/NCHW (or 3-d) attribute list."""
    if _channels_axis(op) == 1:
        return tuple(values[2 : 2 + rank])
    return tuple(values[1 : 1 + rank])


def _dims(op, rank: int):
    spatial = "HW" if rank == 2 else "DHW"
    data = ("NC" + spatial) if _channels_axis(op) == 1 else ("N" + spatial + "C")
    return jax.lax.conv_dimension_numbers(
        (1,) * (rank + 2), (1,) * (rank + 2), (data, spatial + "IO", data)
    )


def _padding(op, rank: int):
    padding = op._attrs["padding"]
    if padding == "EXPLICIT":
        pads = np.asarray(op._attrs["explicit_paddings"]).reshape(-1, 2)
        return [tuple(int(p) for p in row) for row in _spatial(op, list(pads), rank)]
    return padding


def _conv(op, rank: int, depthwise: bool = False):
    if rank == 2:
        check_batch_depth(op)
    strides = _spatial(op, op._attrs["strides"], rank)
    dilations = _spatial(op, op._attrs.get("dilations") or [1] * (rank + 2), rank)
    dims = _dims(op, rank)
    padding = _padding(op, rank)

    def conv(x, w):
        groups = 1
        if depthwise:
            groups = w.shape[-2]
            w = w.reshape(w.shape[:-2] + (1, w.shape[-2] * w.shape[-1]))
        return jax.lax.conv_general_dilated(
            x,
            w,
            strides,
            padding,
            rhs_dilation=dilations,
            dimension_numbers=dims,
            feature_group_count=groups,
        )

    return conv


def _conv_forward(rank: int, depthwise: bool = False):
    return lambda ctx, op, x, w: _conv(op, rank, depthwise)(x, w)


def _conv_input_grad(rank: int, depthwise: bool = False):
    def lower(ctx, op, input_sizes, w, dy):
        shape = tuple(int(d) for d in static(input_sizes))
        conv = _conv(op, rank, depthwise)
        _, vjp = jax.vjp(lambda x: conv(x, w), jnp.zeros(shape, dy.dtype))
        return vjp(dy)[0]

    return lower


def _conv_filter_grad(rank: int, depthwise: bool = False):
    def lower(ctx, op, x, filter_sizes, dy):
        shape = tuple(int(d) for d in static(filter_sizes))
        conv = _conv(op, rank, depthwise)
        _, vjp = jax.vjp(lambda w: conv(x, w), jnp.zeros(shape, dy.dtype))
        return vjp(dy)[0]

    return lower


# -- pooling --------------------------------------------------------------------------------


def _window(op):
    check_pool_batch(op)
    return tuple(op._attrs["ksize"]), tuple(op._attrs["strides"]), op._attrs["padding"]


def _max_pool(op):
    window, strides, padding = _window(op)

    def pool(x):
        # A NumPy scalar: a concrete identity lets JAX pick its differentiable max reducer.
        if jnp.issubdtype(x.dtype, jnp.floating):
            init = np.array(-np.inf, x.dtype)
        else:
            init = np.array(np.iinfo(x.dtype).min, x.dtype)
        return jax.lax.reduce_window(x, init, jax.lax.max, window, strides, padding)

    return pool


def _avg_pool(op):
    window, strides, padding = _window(op)

    def pool(x):
        total = jax.lax.reduce_window(
            x, np.zeros((), x.dtype), jax.lax.add, window, strides, padding
        )
        ones = jnp.ones(x.shape, x.dtype)
        count = jax.lax.reduce_window(
            ones, np.zeros((), x.dtype), jax.lax.add, window, strides, padding
        )
        return total / count

    return pool


def _max_pool_grad(ctx, op, x, y, dy):
    _, vjp = jax.vjp(_max_pool(op), jnp.asarray(x))
    return vjp(dy)[0]


def _max_pool_grad_grad(ctx, op, x, y, g):
    return jax.jvp(_max_pool(op), (jnp.asarray(x),), (jnp.asarray(g),))[1]


def _avg_pool_grad(ctx, op, input_shape, dy):
    shape = tuple(int(d) for d in static(input_shape))
    _, vjp = jax.vjp(_avg_pool(op), jnp.zeros(shape, dy.dtype))
    return vjp(dy)[0]


# -- batch norm -----------------------------------------------------------------------------


def _normalize(x, scale, offset, mean, var, epsilon, axis):
    shape = [1] * x.ndim
    shape[axis] = -1
    inv = jax.lax.rsqrt(var.reshape(shape) + epsilon)
    return (x - mean.reshape(shape)) * inv * scale.reshape(shape) + offset.reshape(shape)


def _batch_stats(x, axis):
    axes = tuple(a for a in range(x.ndim) if a != axis % x.ndim)
    mean = jnp.mean(x, axis=axes)
    shape = [1] * x.ndim
    shape[axis] = -1
    var = jnp.mean(jnp.square(x - mean.reshape(shape)), axis=axes)
    return mean, var


def _compute_dtype(x):
    return jnp.float64 if x.dtype == jnp.float64 else jnp.float32


def _fused_batch_norm(ctx, op, x, scale, offset, mean, variance):
    attrs = op._attrs
    axis = _channels_axis(op)
    xc = x.astype(_compute_dtype(x))
    epsilon = attrs["epsilon"]
    if attrs["is_training"]:
        batch_mean, batch_var = _batch_stats(xc, axis)
        y = _normalize(xc, scale, offset, batch_mean, batch_var, epsilon, axis)
        count = x.size // max(x.shape[axis], 1)
        unbiased = batch_var * (count / max(count - 1, 1))
        factor = attrs.get("exponential_avg_factor", 1.0)
        running_mean, running_var = batch_mean, unbiased
        if factor != 1.0:
            running_mean = (1 - factor) * mean + factor * batch_mean
            running_var = (1 - factor) * variance + factor * unbiased
        saved = (batch_mean, batch_var)
    else:
        y = _normalize(xc, scale, offset, mean, variance, epsilon, axis)
        running_mean, running_var = mean, variance
        saved = (mean, variance)
    reserve = jnp.zeros((0,), out_dtype(op, 5))
    return y.astype(x.dtype), running_mean, running_var, saved[0], saved[1], reserve


def _fused_batch_norm_grad(ctx, op, dy, x, scale, saved_mean, saved_var, _reserve):
    attrs = op._attrs
    axis = _channels_axis(op)
    epsilon = attrs["epsilon"]
    compute = _compute_dtype(x)

    def forward(x, scale, offset):
        if attrs["is_training"]:
            mean, var = _batch_stats(x, axis)
        else:
            mean, var = saved_mean, saved_var
        return _normalize(x, scale, offset, mean, var, epsilon, axis)

    offset = jnp.zeros_like(scale)
    _, vjp = jax.vjp(forward, x.astype(compute), scale, offset)
    dx, dscale, doffset = vjp(dy.astype(compute))
    empty = jnp.zeros((0,), out_dtype(op, 3))
    return dx.astype(x.dtype), dscale, doffset, empty, jnp.zeros((0,), out_dtype(op, 4))


LOWERINGS = {
    **ACTIVATIONS,
    "BiasAdd": _bias_add,
    "BiasAddGrad": _bias_add_grad,
    "Softmax": lambda ctx, op, x: jax.nn.softmax(x, axis=-1),
    "LogSoftmax": lambda ctx, op, x: jax.nn.log_softmax(x, axis=-1),
    "SoftmaxCrossEntropyWithLogits": _softmax_xent,
    "SparseSoftmaxCrossEntropyWithLogits": _sparse_softmax_xent,
    "Conv2D": _conv_forward(2),
    "Conv2DBackpropInput": _conv_input_grad(2),
    "Conv2DBackpropFilter": _conv_filter_grad(2),
    "Conv3D": _conv_forward(3),
    "Conv3DBackpropInputV2": _conv_input_grad(3),
    "Conv3DBackpropFilterV2": _conv_filter_grad(3),
    "DepthwiseConv2dNative": _conv_forward(2, depthwise=True),
    "DepthwiseConv2dNativeBackpropInput": _conv_input_grad(2, depthwise=True),
    "DepthwiseConv2dNativeBackpropFilter": _conv_filter_grad(2, depthwise=True),
    "MaxPool": lambda ctx, op, x: _max_pool(op)(x),
    "MaxPool3D": lambda ctx, op, x: _max_pool(op)(x),
    "AvgPool": lambda ctx, op, x: _avg_pool(op)(x),
    "AvgPool3D": lambda ctx, op, x: _avg_pool(op)(x),
    "MaxPoolGrad": _max_pool_grad,
    "MaxPool3DGrad": _max_pool_grad,
    "MaxPoolGradGrad": _max_pool_grad_grad,
    "MaxPool3DGradGrad": _max_pool_grad_grad,
    "AvgPoolGrad": _avg_pool_grad,
    "AvgPool3DGrad": _avg_pool_grad,
    "FusedBatchNormV3": _fused_batch_norm,
    "FusedBatchNormGradV3": _fused_batch_norm_grad,
}
