"""``tf.keras.applications.mobilenet_v2``: MobileNetV2 (Sandler et al., 2018: inverted
residual blocks) as Keras builds it (``Conv1``, ``expanded_conv_depthwise``,
``block_1_expand``... ``Conv_1``, ``predictions``), and its preprocessing (``[-1, 1]``).

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.mobilenet_v2.preprocess_input(np.array([0.0, 255.0])).tolist()
[-1.0, 1.0]
"""

from __future__ import annotations

from scopeflow.keras import backend, layers
from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.applications.mobilenet import default_size

preprocess_input = imagenet_utils.preprocessor("tf")
decode_predictions = imagenet_utils.decode_predictions

# (filters, stride, expansion) of the 17 inverted residual blocks.
_BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6)]
_BLOCKS += [(64, 2, 6)] + [(64, 1, 6)] * 3 + [(96, 1, 6)] * 3 + [(160, 2, 6)]
_BLOCKS += [(160, 1, 6)] * 2 + [(320, 1, 6)]


def _bn(name: str):
    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)


def MobileNetV2(  # noqa: N802 - Keras's name
    input_shape=None,
    alpha=1.0,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """MobileNetV2.

    Args:
        input_shape: ``(rows, cols, 3)`` (at least 32x32); with the top, 96, 128, 160, 192
            or 224 square, else 224x224 (also taken from ``input_tensor``'s shape).
        alpha: the width multiplier of every layer's filters.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as
            ``VGG16``'s.
    """
    imagenet_utils.check_weights(weights, include_top, classes)
    sizes = (96, 128, 160, 192, 224)
    if input_shape is not None and input_tensor is not None:
        if not backend.is_keras_tensor(input_tensor):
            raise ValueError(
                f"input_tensor is not a TF-Keras tensor; Received `input_tensor={input_tensor}`"
            )
        if backend.int_shape(input_tensor)[2] != input_shape[1]:
            raise ValueError(
                "input_tensor.shape[2] must equal input_shape[1]; Received "
                f"`input_tensor.shape={input_tensor.shape}`, `input_shape={input_shape}`"
            )
        size = default_size(input_shape, sizes)
    elif input_tensor is not None:
        backend.is_keras_tensor(input_tensor)  # raises for a non-tensor
        shape = backend.int_shape(input_tensor)
        size = default_size(shape[1:3], sizes) if backend.is_keras_tensor(input_tensor) else 224
    else:
        size = default_size(input_shape, sizes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, size, 32, "channels_last", require_flatten=include_top, weights=weights
    )
    rows = input_shape[0]
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = layers.Conv2D(
        _make_divisible(32 * alpha, 8),
        kernel_size=3,
        strides=(2, 2),
        padding="same",
        use_bias=False,
        name="Conv1",
    )(img_input)
    x = _bn("bn_Conv1")(x)
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _bn("Conv_1_bn")(x)
    x = layers.ReLU(6.0, name="out_relu")(x)
    x = imagenet_utils.top(
        x, include_top, pooling, classes, classifier_activation, weights, pool_name=None
    )
    name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    return imagenet_utils.model(input_tensor, img_input, x, name, weights)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    in_channels = backend.int_shape(inputs)[-1]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    prefix = f"block_{block_id}_"
    if block_id:
        x = layers.Conv2D(
            expansion * in_channels,
            kernel_size=1,
            padding="same",
            use_bias=False,
            activation=None,
            name=prefix + "expand",
        )(x)
        x = _bn(prefix + "expand_BN")(x)
        x = layers.ReLU(6.0, name=prefix + "expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name=prefix + "pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size=3,
        strides=stride,
        activation=None,
        use_bias=False,
        padding="same" if stride == 1 else "valid",
        name=prefix + "depthwise",
    )(x)
    x = _bn(prefix + "depthwise_BN")(x)
    x = layers.ReLU(6.0, name=prefix + "depthwise_relu")(x)
    x = layers.Conv2D(
        pointwise_filters,
        kernel_size=1,
        padding="same",
        use_bias=False,
        activation=None,
        name=prefix + "project",
    )(x)
    x = _bn(prefix + "project_BN")(x)
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=prefix + "add")([inputs, x])
    return x


def _make_divisible(v, divisor, min_value=None) -> int:
    """``v`` rounded to a multiple of ``divisor`` (at least ``min_value``), within 10%."""
    min_value = divisor if min_value is None else min_value
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


__all__ = ["MobileNetV2", "decode_predictions", "preprocess_input"]
