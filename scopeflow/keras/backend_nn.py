"""``tf.keras.backend``'s neural-network functions: activations, cross entropies (a
``Softmax``/``Sigmoid`` output traced back to its logits, as TF1's Keras does), dropout,
normalization, convolutions and pooling (``channels_last`` only), as TF1's Keras builds them.

>>> import numpy as np, scopeflow as tf
>>> K = tf.keras.backend
>>> with tf.Graph().as_default():
...     y = K.relu(K.constant([-2.0, 1.0, 8.0]), alpha=0.5, max_value=6.0)
...     print(K.eval(y))
[-1.  1.  6.]
"""

from __future__ import annotations

from scopeflow.framework.constant import constant as _constant
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.keras.backend_array import _channels_last, flatten, temporal_padding
from scopeflow.keras.backend_config import epsilon
from scopeflow.keras.backend_math import int_shape, ndim
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.image.resize import resize_bilinear
from scopeflow.ops.image.resize import resize_images as _resize_images
from scopeflow.ops.math import clip as clip_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.nn import activation as nn_act
from scopeflow.ops.nn import basic as nn_basic
from scopeflow.ops.nn import composite as nn_composite
from scopeflow.ops.nn import conv as nn_conv
from scopeflow.ops.nn import conv3d as nn_conv3d
from scopeflow.ops.nn import conv_nd, depthwise, dilated, pooling, pooling3d
from scopeflow.ops.nn import cross_entropy as nn_ce

# -- activations ---------------------------------------------------------------------------


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """``max(x, 0)``; ``alpha``: the slope below ``threshold``; ``max_value``: a cap.

    Plain ``Relu`` by default, ``LeakyRelu`` for a slope alone, ``Relu6`` for a cap of 6, as
    TF1's Keras builds them.
    """
    x = convert_to_tensor(x)
    dtype = x.dtype.base_dtype
    if alpha != 0.0:
        if max_value is None and threshold == 0:
            return nn_act.leaky_relu(x, alpha=alpha)
        negative_part = nn_act.relu(-x + threshold) if threshold != 0 else nn_act.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * cast(math_ops.greater(x, threshold), dtype)
    elif max_value == 6:
        x = nn_act.relu6(x)
        clip_max = False
    else:
        x = nn_act.relu(x)
    if clip_max:
        top = _constant(max_value, dtype=dtype)
        x = clip_ops.clip_by_value(x, _constant(0, dtype=dtype), top)
    if alpha != 0.0:
        x -= convert_to_tensor(alpha, dtype=dtype) * negative_part
    return x


def elu(x, alpha=1.0):
    """``x`` if positive, else ``alpha * (exp(x) - 1)`` (``Elu``, scaled where negative)."""
    result = nn_act.elu(x)
    if alpha == 1:
        return result
    return where_v2(x > 0, result, alpha * result)


def softmax(x, axis=-1):
    """``Softmax`` along ``axis``."""
    return nn_basic.softmax(x, axis=axis)


def softplus(x):
    """``Softplus``."""
    return nn_act.softplus(x)


def softsign(x):
    """``Softsign``."""
    return nn_act.softsign(x)


def sigmoid(x):
    """``Sigmoid``."""
    return math_ops.sigmoid(x)


def hard_sigmoid(x):
    """``clip(0.2 * x + 0.5, 0, 1)``."""
    x = convert_to_tensor(x)
    point_two = _constant(0.2, dtype=x.dtype.base_dtype)
    point_five = _constant(0.5, dtype=x.dtype.base_dtype)
    x = math_ops.add(math_ops.multiply(x, point_two), point_five)
    return clip_ops.clip_by_value(x, 0.0, 1.0)


def tanh(x):
    """``Tanh``."""
    return math_ops.tanh(x)


# -- cross entropies -----------------------------------------------------------------------


def _logits(output, from_logits: bool, op_type: str):
    """The logits behind ``output`` when an ``op_type`` op made it (Keras then works on
    them), else ``output`` and ``from_logits`` as given."""
    op = getattr(output, "op", None)
    if op is not None and op.type == op_type:
        return op.inputs[0], True
    return output, from_logits


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross entropy of one-hot ``target`` and class probabilities (or logits) ``output``."""
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    output, from_logits = _logits(output, from_logits, "Softmax")
    if from_logits:
        return nn_ce.softmax_cross_entropy_with_logits_v2(labels=target, logits=output, axis=axis)
    output = output / reduction.reduce_sum(output, axis, True)
    eps = _constant(epsilon(), dtype=output.dtype.base_dtype)
    output = clip_ops.clip_by_value(output, eps, 1.0 - eps)
    return -reduction.reduce_sum(target * math_ops.log(output), axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross entropy of integer ``target`` and class probabilities (or logits)."""
    target = cast(convert_to_tensor(target), "int64")
    output = convert_to_tensor(output)
    output, from_logits = _logits(output, from_logits, "Softmax")
    if not from_logits:
        eps = _constant(epsilon(), dtype=output.dtype.base_dtype)
        output = math_ops.log(clip_ops.clip_by_value(output, eps, 1 - eps))
    rank = output.shape.ndims
    if rank is not None:
        axis %= rank
        if axis != rank - 1:
            perm = [*range(axis), *range(axis + 1, rank), axis]
            output = transpose(output, perm=perm)
    elif axis != -1:
        raise ValueError(
            f"Cannot compute sparse categorical crossentropy with `axis={axis}` on an output "
            "tensor with unknown rank"
        )
    output_shape = array_ops.shape(output)
    target_rank = target.shape.ndims
    update_shape = target_rank is not None and rank is not None and target_rank != rank - 1
    if update_shape:
        target = flatten(target)
        output = array_ops.reshape(output, [-1, output_shape[-1]])
    res = nn_ce.sparse_softmax_cross_entropy_with_logits(labels=target, logits=output)
    if update_shape and rank >= 3:
        return array_ops.reshape(res, output_shape[:-1])
    return res


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise cross entropy of 0/1 ``target`` and probabilities (or logits)."""
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    output, from_logits = _logits(output, from_logits, "Sigmoid")
    if from_logits:
        return nn_ce.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = _constant(epsilon(), dtype=output.dtype.base_dtype)
    output = clip_ops.clip_by_value(output, eps, 1.0 - eps)
    bce = target * math_ops.log(output + epsilon())
    bce += (1 - target) * math_ops.log(1 - output + epsilon())
    return -bce


# -- regularization and normalization ------------------------------------------------------


def dropout(x, level, noise_shape=None, seed=None):
    """``tf.nn.dropout`` of ``x`` at rate ``level``."""
    return nn_composite.dropout(x, rate=level, noise_shape=noise_shape, seed=seed)


def l2_normalize(x, axis=None):
    """``x`` divided by its L2 norm along ``axis``."""
    return nn_composite.l2_normalize(x, axis=axis)


def in_top_k(predictions, targets, k):
    """Whether each target is among the ``k`` largest predictions (``InTopKV2``)."""
    return nn_basic.in_top_k(predictions, targets, k)


def batch_normalization(x, mean, var, beta, gamma, axis=-1, epsilon=1e-3):  # noqa: A002
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta``."""
    return nn_composite.batch_normalization(x, mean, var, beta, gamma, epsilon)


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3):  # noqa: A002
    """``(normalized x, mean, variance)`` by the batch's moments over ``reduction_axes``."""
    mean, variance = nn_composite.moments(x, list(reduction_axes), keep_dims=False)
    if sorted(reduction_axes) != list(range(ndim(x)))[:-1]:
        target = [1] * ndim(x)
        for axis in range(ndim(x)):
            if axis not in reduction_axes:
                target[axis] = array_ops.shape(x)[axis]
        shape = array_ops.stack(target)
        broadcast = [array_ops.reshape(v, shape) for v in (mean, variance)]
        params = [None if p is None else array_ops.reshape(p, shape) for p in (beta, gamma)]
        normed = nn_composite.batch_normalization(x, *broadcast, *params, epsilon)
        return normed, mean, variance
    return nn_composite.batch_normalization(x, mean, variance, beta, gamma, epsilon), mean, variance


# -- convolutions and pooling --------------------------------------------------------------


def _padding(padding: str) -> str:
    if padding not in ("same", "valid"):
        raise ValueError(f"Invalid padding: {padding}")
    return padding.upper()


def bias_add(x, bias, data_format=None):
    """``x + bias`` over the last axis (``BiasAdd``)."""
    _channels_last(data_format)
    bias_shape = int_shape(bias)
    if len(bias_shape) != 1 and len(bias_shape) != ndim(x) - 1:
        raise ValueError(
            f"Unexpected bias dimensions {len(bias_shape)}, expect to be 1 or "
            f"{ndim(x) - 1} dimensions"
        )
    if len(bias_shape) == 1:
        return nn_basic.bias_add(x, bias)
    return x + array_ops.reshape(bias, (1, *bias_shape))


def conv1d(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """1-D convolution of ``[batch, steps, channels]`` (``causal`` pads the start)."""
    _channels_last(data_format)
    if padding == "causal":
        x = temporal_padding(x, (dilation_rate * (int_shape(kernel)[0] - 1), 0))
        padding = "valid"
    return conv_nd.conv1d(
        x, kernel, strides, _padding(padding), dilations=dilation_rate, name="convolution"
    )


def conv2d(x, kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)):
    """2-D convolution of NHWC images."""
    _channels_last(data_format)
    return dilated.convolution(
        x, kernel, _padding(padding), strides=tuple(strides), dilation_rate=tuple(dilation_rate)
    )


def conv2d_transpose(
    x, kernel, output_shape, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
):
    """The transpose of ``conv2d`` to ``output_shape`` (a batch of ``None``: ``x``'s)."""
    _channels_last(data_format)
    if tuple(dilation_rate) != (1, 1):
        raise NotImplementedError(
            "K.conv2d_transpose(dilation_rate != 1) is not supported; use "
            "tf.nn.conv2d_transpose with dilations."
        )
    if output_shape[0] is None:
        output_shape = (array_ops.shape(x)[0], *tuple(output_shape[1:]))
    if isinstance(output_shape, tuple | list):
        output_shape = array_ops.stack(list(output_shape))
    return nn_conv.conv2d_transpose(
        x, kernel, output_shape, (1, *strides, 1), padding=_padding(padding)
    )


def separable_conv2d(
    x,
    depthwise_kernel,
    pointwise_kernel,
    strides=(1, 1),
    padding="valid",
    data_format=None,
    dilation_rate=(1, 1),
):
    """A depthwise convolution then a 1x1 one."""
    _channels_last(data_format)
    return conv_nd.separable_conv2d(
        x,
        depthwise_kernel,
        pointwise_kernel,
        strides=(1, *strides, 1),
        padding=_padding(padding),
        rate=dilation_rate,
    )


def depthwise_conv2d(
    x, depthwise_kernel, strides=(1, 1), padding="valid", data_format=None, dilation_rate=(1, 1)
):
    """Each input channel convolved with its own filters."""
    _channels_last(data_format)
    return depthwise.depthwise_conv2d(
        x, depthwise_kernel, strides=(1, *strides, 1), padding=_padding(padding), rate=dilation_rate
    )


def conv3d(
    x, kernel, strides=(1, 1, 1), padding="valid", data_format=None, dilation_rate=(1, 1, 1)
):
    """3-D convolution of NDHWC volumes."""
    _channels_last(data_format)
    return nn_conv3d.conv3d(
        x,
        kernel,
        strides=(1, *strides, 1),
        padding=_padding(padding),
        dilations=(1, *dilation_rate, 1),
    )


def pool2d(x, pool_size, strides=(1, 1), padding="valid", data_format=None, pool_mode="max"):
    """Max (``pool_mode="max"``) or average (``"avg"``) pooling of NHWC images."""
    _channels_last(data_format)
    if len(pool_size) != 2:
        raise ValueError("`pool_size` must be a tuple of 2 integers.")
    if len(strides) != 2:
        raise ValueError("`strides` must be a tuple of 2 integers.")
    pools = {"max": pooling.max_pool, "avg": pooling.avg_pool}
    if pool_mode not in pools:
        raise ValueError(f"Invalid pooling mode: {pool_mode}")
    return pools[pool_mode](x, (1, *pool_size, 1), (1, *strides, 1), padding=_padding(padding))


def pool3d(x, pool_size, strides=(1, 1, 1), padding="valid", data_format=None, pool_mode="max"):
    """Max or average pooling of NDHWC volumes."""
    _channels_last(data_format)
    pools = {"max": pooling3d.max_pool3d, "avg": pooling3d.avg_pool3d}
    if pool_mode not in pools:
        raise ValueError(f"Invalid pooling mode: {pool_mode}")
    return pools[pool_mode](x, (1, *pool_size, 1), (1, *strides, 1), padding=_padding(padding))


def resize_images(x, height_factor, width_factor, data_format, interpolation="nearest"):
    """NHWC images scaled up by whole factors (nearest neighbour or bilinear)."""
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Invalid `data_format` argument: {data_format}")
    _channels_last(data_format)
    methods = {"nearest": 1, "bilinear": 0}
    if interpolation not in methods:
        raise ValueError(
            f'`interpolation` argument should be one of: "nearest", "bilinear". Received: '
            f'"{interpolation}".'
        )
    spatial = x.shape[1:3]
    if spatial.is_fully_defined():
        new_shape = _constant(spatial.as_list(), dtype="int32")
    else:
        new_shape = array_ops.shape(x)[1:3]
    new_shape *= _constant([height_factor, width_factor], dtype="int32")
    if interpolation == "bilinear":  # tf.image.resize's (half-pixel centers)
        with name_scope("resize"):
            result = resize_bilinear(x, new_shape, half_pixel_centers=True)
    else:
        result = _resize_images(x, new_shape, method=methods[interpolation])
    if spatial.is_fully_defined():
        rows, columns = spatial.as_list()
        result.set_shape([None, rows * height_factor, columns * width_factor, None])
    return result


__all__ = [
    "batch_normalization",
    "bias_add",
    "binary_crossentropy",
    "categorical_crossentropy",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "depthwise_conv2d",
    "dropout",
    "elu",
    "hard_sigmoid",
    "in_top_k",
    "l2_normalize",
    "normalize_batch_in_training",
    "pool2d",
    "pool3d",
    "relu",
    "resize_images",
    "separable_conv2d",
    "sigmoid",
    "softmax",
    "softplus",
    "softsign",
    "sparse_categorical_crossentropy",
    "tanh",
]
