"""``tf.keras.backend``'s focal cross entropies, locally connected convolutions and
``resize_volumes``, built from the same ops as TF's Keras.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     loss = tf.keras.backend.binary_focal_crossentropy(np.float32([[0.0]]), np.float32([[0.2]]))
...     print(np.round(sess.run(loss), 6))
[[0.008926]]
"""

from __future__ import annotations

import itertools

from scopeflow.framework.constant import constant as _constant
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras.backend_array import concatenate, permute_dimensions, repeat_elements, reshape
from scopeflow.keras.backend_config import epsilon
from scopeflow.keras.backend_math import batch_dot, int_shape
from scopeflow.keras.backend_nn import binary_crossentropy, sigmoid, softmax
from scopeflow.ops.math import clip as clip_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction


def backend() -> str:
    """The name of the backend Keras runs on: ``"tensorflow"``, as TF's Keras answers."""
    return "tensorflow"


# -- focal cross entropies (Lin et al., 2017) ---------------------------------------------


def binary_focal_crossentropy(
    target, output, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False
):
    """Elementwise binary cross entropy scaled by ``(1 - p_t) ** gamma``, ``p_t`` the
    probability given to the true label (and by ``alpha`` for 1s, ``1 - alpha`` for 0s when
    ``apply_class_balancing``)."""
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    probability = sigmoid(output) if from_logits else output
    p_t = target * probability + (1 - target) * (1 - probability)
    focal = math_ops.pow(1.0 - p_t, gamma)
    loss = focal * binary_crossentropy(target, output, from_logits=from_logits)
    if apply_class_balancing:
        loss = (target * alpha + (1 - target) * (1 - alpha)) * loss
    return loss


def categorical_focal_crossentropy(
    target, output, alpha=0.25, gamma=2.0, from_logits=False, axis=-1
):
    """The sum over ``axis`` of ``-alpha * (1 - p) ** gamma * target * log(p)``, ``p`` the
    class probabilities (``softmax`` of ``output`` when ``from_logits``), renormalized and
    clipped to ``[epsilon, 1 - epsilon]``."""
    target, output = convert_to_tensor(target), convert_to_tensor(output)
    target.shape.assert_is_compatible_with(output.shape)
    if from_logits:
        output = softmax(output, axis=axis)
    output = output / reduction.reduce_sum(output, axis=axis, keepdims=True)
    eps = _constant(epsilon(), dtype=output.dtype.base_dtype)
    output = clip_ops.clip_by_value(output, eps, 1.0 - eps)
    cross_entropy = -target * math_ops.log(output)
    weight = math_ops.multiply(math_ops.pow(1.0 - output, gamma), alpha)
    return reduction.reduce_sum(weight * cross_entropy, axis=axis)


# -- locally connected convolutions --------------------------------------------------------


def _data_format(data_format) -> str:
    data_format = data_format or "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format: {data_format}")
    return data_format


def _local_conv(inputs, kernel, kernel_size, strides, output_shape, data_format):
    """Each output position's input patch (flattened) times its own kernel matrix
    (``kernel[position]``: patch size by filters), as one batched matmul."""
    data_format = _data_format(data_format)
    inputs = convert_to_tensor(inputs)
    kernel_shape = int_shape(kernel)
    patch_size, filters = kernel_shape[1], kernel_shape[-1]
    rank = len(output_shape)
    patches = []
    for position in itertools.product(*(range(n) for n in output_shape)):
        window = tuple(
            slice(position[d] * strides[d], position[d] * strides[d] + kernel_size[d])
            for d in range(rank)
        )
        if data_format == "channels_first":
            index = (slice(None), slice(None), *window)
        else:
            index = (slice(None), *window, slice(None))
        patches.append(reshape(inputs[index], (1, -1, patch_size)))
    products = batch_dot(concatenate(patches, axis=0), kernel)
    products = reshape(products, (*output_shape, -1, filters))
    spatial = list(range(rank))
    if data_format == "channels_first":
        return permute_dimensions(products, [rank, rank + 1, *spatial])
    return permute_dimensions(products, [rank, *spatial, rank + 1])


def local_conv1d(inputs, kernel, kernel_size, strides, data_format=None):
    """A 1-D convolution with unshared weights: ``kernel`` is ``(output_length,
    kernel_size * input_dim, filters)``.

    Args:
        inputs: ``(batch, steps, input_dim)`` (channels last).
        kernel_size: a 1-tuple; strides: a 1-tuple.
    """
    output_length = int_shape(kernel)[0]
    return _local_conv(inputs, kernel, kernel_size, strides, (output_length,), data_format)


def local_conv2d(inputs, kernel, kernel_size, strides, output_shape, data_format=None):
    """A 2-D convolution with unshared weights: ``kernel`` is ``(rows * cols,
    kernel_rows * kernel_cols * input_filters, filters)`` for ``output_shape`` ``(rows,
    cols)``."""
    return _local_conv(inputs, kernel, kernel_size, strides, tuple(output_shape), data_format)


def resize_volumes(x, depth_factor, height_factor, width_factor, data_format):
    """Each voxel of a 5-D tensor repeated ``depth_factor``, ``height_factor`` and
    ``width_factor`` times along its three spatial axes.

    Raises:
        ValueError: an unknown ``data_format``.
    """
    if data_format == "channels_first":
        axes = (2, 3, 4)
    elif data_format == "channels_last":
        axes = (1, 2, 3)
    else:
        raise ValueError(f"Invalid data_format: {data_format}")
    for axis, factor in zip(axes, (depth_factor, height_factor, width_factor), strict=True):
        x = repeat_elements(x, factor, axis=axis)
    return x


__all__ = [
    "backend",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "local_conv1d",
    "local_conv2d",
    "resize_volumes",
]
