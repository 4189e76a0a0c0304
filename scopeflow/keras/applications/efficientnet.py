"""``tf.keras.applications.efficientnet``: EfficientNetB0 to B7 (Tan and Le, 2019: compound
scaling of width, depth and resolution) as Keras builds them (``rescaling``,
``normalization``, ``stem_conv``, ``block1a_dwconv``... ``top_conv``, ``predictions``); the
models take pixels in ``[0, 255]`` (their ``Rescaling`` and ``Normalization`` layers scale
them), so ``preprocess_input`` returns its input.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.efficientnet.preprocess_input(np.array([255.0])).tolist()
[255.0]
"""

from __future__ import annotations

import copy
import math

from scopeflow.keras import layers
from scopeflow.keras.applications import imagenet_utils

# (kernel size, repeats, filters in, filters out, expansion, strides) of the seven stages;
# every block skips (when the shapes allow) and squeezes-and-excites by a quarter.
_STAGES = [
    (3, 1, 32, 16, 1, 1),
    (3, 2, 16, 24, 6, 2),
    (5, 2, 24, 40, 6, 2),
    (3, 3, 40, 80, 6, 2),
    (5, 3, 80, 112, 6, 1),
    (5, 4, 112, 192, 6, 2),
    (3, 1, 192, 320, 6, 1),
]
DEFAULT_BLOCKS_ARGS = [
    {
        "kernel_size": k,
        "repeats": r,
        "filters_in": fi,
        "filters_out": fo,
        "expand_ratio": e,
        "id_skip": True,
        "strides": s,
        "se_ratio": 0.25,
    }
    for k, r, fi, fo, e, s in _STAGES
]
CONV_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"},
}
DENSE_KERNEL_INITIALIZER = {
    "class_name": "VarianceScaling",
    "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"},
}


def preprocess_input(x, data_format=None):
    """``x`` unchanged: EfficientNets scale their inputs themselves."""
    return x


decode_predictions = imagenet_utils.decode_predictions


def EfficientNet(  # noqa: N802 - Keras's name
    width_coefficient,
    depth_coefficient,
    default_size,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    depth_divisor=8,
    activation="swish",
    blocks_args="default",
    model_name="efficientnet",
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """An EfficientNet: ``blocks_args``' stages (``DEFAULT_BLOCKS_ARGS``) with their filters
    scaled by ``width_coefficient`` and repeats by ``depth_coefficient``; other arguments as
    ``VGG16``'s."""
    blocks_args = DEFAULT_BLOCKS_ARGS if blocks_args == "default" else blocks_args
    input_shape, img_input = imagenet_utils.checked_image_input(
        weights, include_top, classes, input_shape, default_size, 32, input_tensor
    )

    def round_filters(filters, divisor=depth_divisor):
        filters *= width_coefficient
        new_filters = max(divisor, int(filters + divisor / 2) // divisor * divisor)
        return int(new_filters + divisor if new_filters < 0.9 * filters else new_filters)

    def round_repeats(repeats):
        return int(math.ceil(depth_coefficient * repeats))

    x = layers.Rescaling(1.0 / 255.0)(img_input)
    x = layers.Normalization(axis=3)(x)
    x = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = layers.Conv2D(
        round_filters(32), 3, strides=2, padding="valid", use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER, name="stem_conv",
    )(x)  # fmt: skip
    x = layers.BatchNormalization(axis=3, name="stem_bn")(x)
    x = layers.Activation(activation, name="stem_activation")(x)
    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(round_repeats(args["repeats"]) for args in blocks_args))
    for i, args in enumerate(blocks_args):
        args["filters_in"] = round_filters(args["filters_in"])
        args["filters_out"] = round_filters(args["filters_out"])
        for j in range(round_repeats(args.pop("repeats"))):
            if j > 0:
                args["strides"] = 1
                args["filters_in"] = args["filters_out"]
            name = f"block{i + 1}{chr(j + 97)}_"
            x = block(x, activation, drop_connect_rate * b / blocks, name=name, **args)
            b += 1
    x = conv_bn_activation(x, round_filters(1280), 1, 1, 0.99, activation, "top_")
    x = imagenet_utils.top(
        x, include_top, pooling, classes, classifier_activation, weights,
        ("avg_pool", "max_pool"), dropout_rate=dropout_rate,
        kernel_initializer=DENSE_KERNEL_INITIALIZER,
    )  # fmt: skip
    return imagenet_utils.model(input_tensor, img_input, x, model_name, weights)


def conv(filters, kernel_size, strides, name):
    """EfficientNet's convolutions (V2's too): same padding, no bias, their initializer."""
    return layers.Conv2D(
        filters, kernel_size, strides=strides, padding="same", use_bias=False,
        kernel_initializer=CONV_KERNEL_INITIALIZER, name=name,
    )  # fmt: skip


def conv_bn_activation(x, filters, kernel_size, strides, bn_momentum, activation, prefix: str):
    """``conv`` (``<prefix>conv``), batch normalization (``<prefix>bn``) and ``activation``
    (``<prefix>activation``): the expansions and tops of EfficientNet and EfficientNetV2,
    and V2's stem."""
    x = conv(filters, kernel_size, strides, prefix + "conv")(x)
    x = layers.BatchNormalization(axis=3, momentum=bn_momentum, name=prefix + "bn")(x)
    return layers.Activation(activation, name=prefix + "activation")(x)


def squeeze_excite(x, filters, input_filters, se_ratio, activation, name):
    """Squeeze and excitation (EfficientNet's and EfficientNetV2's): ``x`` (``filters``
    channels) scaled by a sigmoid gate computed from its global average through
    ``input_filters * se_ratio`` channels (``<name>se_squeeze`` ... ``<name>se_excite``)."""
    filters_se = max(1, int(input_filters * se_ratio))
    se = layers.GlobalAveragePooling2D(name=name + "se_squeeze")(x)
    se = layers.Reshape((1, 1, filters), name=name + "se_reshape")(se)
    se = layers.Conv2D(
        filters_se, 1, padding="same", activation=activation,
        kernel_initializer=CONV_KERNEL_INITIALIZER, name=name + "se_reduce",
    )(se)  # fmt: skip
    se = layers.Conv2D(
        filters, 1, padding="same", activation="sigmoid",
        kernel_initializer=CONV_KERNEL_INITIALIZER, name=name + "se_expand",
    )(se)  # fmt: skip
    return layers.multiply([x, se], name=name + "se_excite")


def block(
    inputs,
    activation="swish",
    drop_rate=0.0,
    name="",
    filters_in=32,
    filters_out=16,
    kernel_size=3,
    strides=1,
    expand_ratio=1,
    se_ratio=0.0,
    id_skip=True,
):
    """An inverted residual block: 1x1 expansion, depthwise convolution, squeeze and
    excitation, 1x1 projection, and (same shapes) dropped-out skip connection."""
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = conv_bn_activation(inputs, filters, 1, 1, 0.99, activation, name + "expand_")
    if strides == 2:
        padding = imagenet_utils.correct_pad(x, kernel_size)
        x = layers.ZeroPadding2D(padding=padding, name=name + "dwconv_pad")(x)
    x = layers.DepthwiseConv2D(
        kernel_size, strides=strides, padding="valid" if strides == 2 else "same",
        use_bias=False, depthwise_initializer=CONV_KERNEL_INITIALIZER, name=name + "dwconv",
    )(x)  # fmt: skip
    x = layers.BatchNormalization(axis=3, name=name + "bn")(x)
    x = layers.Activation(activation, name=name + "activation")(x)
    if 0 < se_ratio <= 1:
        x = squeeze_excite(x, filters, filters_in, se_ratio, activation, name)
    x = conv(filters_out, 1, 1, name + "project_conv")(x)
    x = layers.BatchNormalization(axis=3, name=name + "project_bn")(x)
    if id_skip and strides == 1 and filters_in == filters_out:
        if drop_rate > 0:
            x = layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=name + "drop")(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


# (width, depth, default size, dropout) of B0 to B7.
_SCALES = [
    (1.0, 1.0, 224, 0.2),
    (1.0, 1.1, 240, 0.2),
    (1.1, 1.2, 260, 0.3),
    (1.2, 1.4, 300, 0.3),
    (1.4, 1.8, 380, 0.4),
    (1.6, 2.2, 456, 0.4),
    (1.8, 2.6, 528, 0.5),
    (2.0, 3.1, 600, 0.5),
]


def _efficientnet(index: int):
    width, depth, size, dropout = _SCALES[index]

    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        **kwargs,
    ):
        return EfficientNet(
            width, depth, size, dropout, model_name=f"efficientnetb{index}",
            include_top=include_top, weights=weights, input_tensor=input_tensor,
            input_shape=input_shape, pooling=pooling, classes=classes,
            classifier_activation=classifier_activation, **kwargs,
        )  # fmt: skip

    build.__name__ = build.__qualname__ = f"EfficientNetB{index}"
    build.__doc__ = (
        f"EfficientNetB{index} (width {width}, depth {depth}, default input {size}x{size}); "
        "arguments as ``VGG16``'s."
    )
    return build


EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3 = map(_efficientnet, range(4))
EfficientNetB4, EfficientNetB5, EfficientNetB6, EfficientNetB7 = map(_efficientnet, range(4, 8))

__all__ = [
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "decode_predictions",
    "preprocess_input",
]
