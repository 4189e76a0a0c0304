"""``tf.keras.applications.mobilenet``: MobileNet (Howard et al., 2017: depthwise separable
convolutions, width ``alpha``) as Keras builds it (``conv1``, ``conv_dw_1``, ``conv_pw_1``...
``conv_preds``, ``predictions``), and its preprocessing (scaled to ``[-1, 1]``).

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.mobilenet.preprocess_input(np.array([127.5])).tolist()
[0.0]
"""

from __future__ import annotations

from scopeflow.keras import layers
from scopeflow.keras.applications import imagenet_utils

preprocess_input = imagenet_utils.preprocessor("tf")
decode_predictions = imagenet_utils.decode_predictions

# (pointwise filters, strides) of the 13 depthwise separable blocks.
_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)]
_BLOCKS += [(512, 1)] * 5 + [(1024, 2), (1024, 1)]


def default_size(input_shape, sizes: tuple) -> int:
    """The input size a square ``input_shape`` of one of ``sizes`` keeps, else 224."""
    if input_shape is None:
        return 224
    rows, cols = input_shape[0], input_shape[1]
    return rows if rows == cols and rows in sizes else 224


def MobileNet(  # noqa: N802 - Keras's name
    input_shape=None,
    alpha=1.0,
    depth_multiplier=1,
    dropout=1e-3,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """MobileNet v1.

    Args:
        input_shape: ``(rows, cols, 3)`` (at least 32x32); with the top, 128, 160, 192 or
            224 square, else 224x224.
        alpha: the width multiplier of every layer's filters.
        depth_multiplier: the depthwise convolutions' channel multiplier.
        dropout: the dropout rate before the classifier.
        include_top, weights, input_tensor, pooling, classes, classifier_activation: as
            ``VGG16``'s.
    """
    imagenet_utils.check_weights(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape,
        default_size(input_shape, (128, 160, 192, 224)),
        32,
        "channels_last",
        require_flatten=include_top,
        weights=weights,
    )
    rows = input_shape[0]
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = layers.Conv2D(
        int(32 * alpha), (3, 3), padding="same", use_bias=False, strides=(2, 2), name="conv1"
    )(img_input)
    x = layers.BatchNormalization(axis=-1, name="conv1_bn")(x)
    x = layers.ReLU(6.0, name="conv1_relu")(x)
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Dropout(dropout, name="dropout")(x)
        x = layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = layers.Reshape((classes,), name="reshape_2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pooled(x, pooling)
    name = f"mobilenet_{alpha:0.2f}_{rows}"
    return imagenet_utils.model(input_tensor, img_input, x, name, weights)


def _depthwise_conv_block(inputs, filters, alpha, depth_multiplier, stride, block_id):
    x = inputs
    if stride != 1:
        x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = layers.DepthwiseConv2D(
        (3, 3),
        padding="same" if stride == 1 else "valid",
        depth_multiplier=depth_multiplier,
        strides=(stride, stride),
        use_bias=False,
        name=f"conv_dw_{block_id}",
    )(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_dw_{block_id}_bn")(x)
    x = layers.ReLU(6.0, name=f"conv_dw_{block_id}_relu")(x)
    x = layers.Conv2D(
        int(filters * alpha), (1, 1), padding="same", use_bias=False, name=f"conv_pw_{block_id}"
    )(x)
    x = layers.BatchNormalization(axis=-1, name=f"conv_pw_{block_id}_bn")(x)
    return layers.ReLU(6.0, name=f"conv_pw_{block_id}_relu")(x)


__all__ = ["MobileNet", "decode_predictions", "preprocess_input"]
