"""``tf.keras.applications.efficientnet_v2``: EfficientNetV2 B0 to B3, S, M and L (Tan and
Le, 2021: fused inverted residual blocks in the early stages) as Keras builds them
(``rescaling``, ``normalization``, ``stem_conv``, ``block1a_project_conv``... ``top_conv``,
``predictions``). The models scale pixels in ``[0, 255]`` themselves
(``include_preprocessing=True``), so ``preprocess_input`` returns its input.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.efficientnet_v2.preprocess_input(np.array([255.0])).tolist()
[255.0]
"""

from __future__ import annotations

import copy
import math

from scopeflow.keras import initializers, layers
from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.applications.efficientnet import (
    CONV_KERNEL_INITIALIZER,
    DENSE_KERNEL_INITIALIZER,
    conv,
    conv_bn_activation,
    squeeze_excite,
)

_KEYS = ("kernel_size", "num_repeat", "input_filters", "output_filters", "expand_ratio")
_KEYS += ("se_ratio", "strides", "conv_type")
# Each stage: kernel size, repeats, filters in and out, expansion, squeeze-and-excitation
# ratio, strides, and block type (1: fused, 0: depthwise).
_B = [
    (3, 1, 32, 16, 1, 0, 1, 1),
    (3, 2, 16, 32, 4, 0, 2, 1),
    (3, 2, 32, 48, 4, 0, 2, 1),
    (3, 3, 48, 96, 4, 0.25, 2, 0),
    (3, 5, 96, 112, 6, 0.25, 1, 0),
    (3, 8, 112, 192, 6, 0.25, 2, 0),
]
_STAGES = {
    "efficientnetv2-s": [
        (3, 2, 24, 24, 1, 0, 1, 1),
        (3, 4, 24, 48, 4, 0, 2, 1),
        (3, 4, 48, 64, 4, 0, 2, 1),
        (3, 6, 64, 128, 4, 0.25, 2, 0),
        (3, 9, 128, 160, 6, 0.25, 1, 0),
        (3, 15, 160, 256, 6, 0.25, 2, 0),
    ],
    "efficientnetv2-m": [
        (3, 3, 24, 24, 1, 0, 1, 1),
        (3, 5, 24, 48, 4, 0, 2, 1),
        (3, 5, 48, 80, 4, 0, 2, 1),
        (3, 7, 80, 160, 4, 0.25, 2, 0),
        (3, 14, 160, 176, 6, 0.25, 1, 0),
        (3, 18, 176, 304, 6, 0.25, 2, 0),
        (3, 5, 304, 512, 6, 0.25, 1, 0),
    ],
    "efficientnetv2-l": [
        (3, 4, 32, 32, 1, 0, 1, 1),
        (3, 7, 32, 64, 4, 0, 2, 1),
        (3, 7, 64, 96, 4, 0, 2, 1),
        (3, 10, 96, 192, 4, 0.25, 2, 0),
        (3, 19, 192, 224, 6, 0.25, 1, 0),
        (3, 25, 224, 384, 6, 0.25, 2, 0),
        (3, 7, 384, 640, 6, 0.25, 1, 0),
    ],
    **{f"efficientnetv2-b{i}": _B for i in range(4)},
}
DEFAULT_BLOCKS_ARGS = {
    name: [dict(zip(_KEYS, stage, strict=True)) for stage in stages]
    for name, stages in _STAGES.items()
}


def preprocess_input(x, data_format=None):
    """``x`` unchanged: EfficientNetV2s scale their inputs themselves."""
    return x


decode_predictions = imagenet_utils.decode_predictions


def round_filters(filters, width_coefficient, min_depth, depth_divisor) -> int:
    """``filters`` scaled by ``width_coefficient``, to the nearest multiple of
    ``depth_divisor`` (at least ``min_depth``)."""
    filters *= width_coefficient
    rounded = int(filters + depth_divisor / 2) // depth_divisor * depth_divisor
    return int(max(min_depth or depth_divisor, rounded))


def round_repeats(repeats, depth_coefficient) -> int:
    return int(math.ceil(depth_coefficient * repeats))


def _bn(momentum, name):
    return layers.BatchNormalization(axis=3, momentum=momentum, name=name)


def _residual(x, inputs, strides, input_filters, output_filters, survival_probability, name):
    if strides == 1 and input_filters == output_filters:
        if survival_probability:
            x = layers.Dropout(
                survival_probability, noise_shape=(None, 1, 1, 1), name=name + "drop"
            )(x)
        x = layers.add([x, inputs], name=name + "add")
    return x


def MBConvBlock(  # noqa: N802 - Keras's name
    input_filters: int,
    output_filters: int,
    expand_ratio=1,
    kernel_size=3,
    strides=1,
    se_ratio=0.0,
    bn_momentum=0.9,
    activation="swish",
    survival_probability: float = 0.8,
    name=None,
):
    """An inverted residual block (1x1 expansion, depthwise convolution, squeeze and
    excitation, 1x1 projection, skip), as a function of its input."""
    name = name or "block0"

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = conv_bn_activation(inputs, filters, 1, 1, bn_momentum, activation, name + "expand_")
        x = layers.DepthwiseConv2D(
            kernel_size, strides=strides, depthwise_initializer=CONV_KERNEL_INITIALIZER,
            padding="same", use_bias=False, name=name + "dwconv2",
        )(x)  # fmt: skip
        x = _bn(bn_momentum, name + "bn")(x)
        x = layers.Activation(activation, name=name + "activation")(x)
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        x = conv(output_filters, 1, 1, name + "project_conv")(x)
        x = _bn(bn_momentum, name + "project_bn")(x)
        return _residual(
            x, inputs, strides, input_filters, output_filters, survival_probability, name
        )

    return apply


def FusedMBConvBlock(  # noqa: N802 - Keras's name
    input_filters: int,
    output_filters: int,
    expand_ratio=1,
    kernel_size=3,
    strides=1,
    se_ratio=0.0,
    bn_momentum=0.9,
    activation="swish",
    survival_probability: float = 0.8,
    name=None,
):
    """A fused inverted residual block (one full convolution in place of the expansion and
    the depthwise convolution), as a function of its input."""
    name = name or "block0"

    def apply(inputs):
        filters = input_filters * expand_ratio
        x = inputs
        if expand_ratio != 1:
            x = conv_bn_activation(
                inputs, filters, kernel_size, strides, bn_momentum, activation, name + "expand_"
            )
        if 0 < se_ratio <= 1:
            x = squeeze_excite(x, filters, input_filters, se_ratio, activation, name)
        fused = expand_ratio == 1
        x = conv(
            output_filters, kernel_size if fused else 1, strides if fused else 1,
            name + "project_conv",
        )(x)  # fmt: skip
        x = _bn(bn_momentum, name + "project_bn")(x)
        if fused:
            x = layers.Activation(activation, name=name + "project_activation")(x)
        return _residual(
            x, inputs, strides, input_filters, output_filters, survival_probability, name
        )

    return apply


def EfficientNetV2(  # noqa: N802 - Keras's name
    width_coefficient,
    depth_coefficient,
    default_size,
    dropout_rate=0.2,
    drop_connect_rate=0.2,
    depth_divisor=8,
    min_depth=8,
    bn_momentum=0.9,
    activation="swish",
    blocks_args="default",
    model_name="efficientnetv2",
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
):
    """An EfficientNetV2: ``blocks_args``' stages (``DEFAULT_BLOCKS_ARGS[model_name]``) with
    filters scaled by ``width_coefficient`` and repeats by ``depth_coefficient``;
    ``include_preprocessing`` scales pixels in ``[0, 255]`` (ImageNet's means and deviations
    for the B models, to ``[-1, 1]`` for the others); other arguments as ``VGG16``'s."""
    if blocks_args == "default":
        blocks_args = DEFAULT_BLOCKS_ARGS[model_name]
    input_shape, img_input = imagenet_utils.checked_image_input(
        weights, include_top, classes, input_shape, default_size, 32, input_tensor
    )

    def rounded(filters):
        return round_filters(filters, width_coefficient, min_depth, depth_divisor)

    x = img_input
    if include_preprocessing:
        if model_name.split("-")[-1].startswith("b") and input_shape[2] == 3:
            x = layers.Rescaling(scale=1.0 / 255)(x)
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2], axis=3
            )(x)
        else:
            x = layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    stem_filters = rounded(blocks_args[0]["input_filters"])
    x = conv_bn_activation(x, stem_filters, 3, 2, bn_momentum, activation, "stem_")
    blocks_args = copy.deepcopy(blocks_args)
    b = 0
    blocks = float(sum(args["num_repeat"] for args in blocks_args))
    for i, args in enumerate(blocks_args):
        args["input_filters"] = rounded(args["input_filters"])
        args["output_filters"] = rounded(args["output_filters"])
        block = FusedMBConvBlock if args.pop("conv_type") == 1 else MBConvBlock
        for j in range(round_repeats(args.pop("num_repeat"), depth_coefficient)):
            if j > 0:
                args["strides"] = 1
                args["input_filters"] = args["output_filters"]
            x = block(
                activation=activation, bn_momentum=bn_momentum,
                survival_probability=drop_connect_rate * b / blocks,
                name=f"block{i + 1}{chr(j + 97)}_", **args,
            )(x)  # fmt: skip
            b += 1
    x = conv_bn_activation(x, rounded(1280), 1, 1, bn_momentum, activation, "top_")
    x = imagenet_utils.top(
        x, include_top, pooling, classes, classifier_activation, weights,
        ("avg_pool", "max_pool"), dropout_rate=dropout_rate,
        kernel_initializer=DENSE_KERNEL_INITIALIZER, bias_initializer=initializers.Constant(0),
    )  # fmt: skip
    return imagenet_utils.model(input_tensor, img_input, x, model_name, weights)


# suffix -> (width, depth, default size)
_SCALES = {
    "B0": (1.0, 1.0, 224),
    "B1": (1.0, 1.1, 240),
    "B2": (1.1, 1.2, 260),
    "B3": (1.2, 1.4, 300),
    "S": (1.0, 1.0, 384),
    "M": (1.0, 1.0, 480),
    "L": (1.0, 1.0, 480),
}


def _efficientnet_v2(suffix: str):
    width, depth, size = _SCALES[suffix]
    model_name = f"efficientnetv2-{suffix.lower()}"

    def build(
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
        include_preprocessing=True,
    ):
        return EfficientNetV2(
            width, depth, size, model_name=model_name, include_top=include_top,
            weights=weights, input_tensor=input_tensor, input_shape=input_shape,
            pooling=pooling, classes=classes, classifier_activation=classifier_activation,
            include_preprocessing=include_preprocessing,
        )  # fmt: skip

    build.__name__ = build.__qualname__ = f"EfficientNetV2{suffix}"
    build.__doc__ = (
        f"EfficientNetV2{suffix} (width {width}, depth {depth}, default input "
        f"{size}x{size}); arguments as ``EfficientNetV2``'s."
    )
    return build


EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2, EfficientNetV2B3 = map(
    _efficientnet_v2, ("B0", "B1", "B2", "B3")
)
EfficientNetV2S, EfficientNetV2M, EfficientNetV2L = map(_efficientnet_v2, ("S", "M", "L"))

__all__ = [
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "decode_predictions",
    "preprocess_input",
]
