"""``tf.keras.applications.resnet_rs``: ResNet-RS 50 to 420 (Bello et al., 2021: ResNet-D
stems, squeeze and excitation, stochastic depth) as Keras builds them (``rescaling``,
``normalization``, ``stem_1_stem_conv_1``, ``BlockGroup2__block_0__conv_1``...,
``predictions``). The models scale pixels in ``[0, 255]`` themselves
(``include_preprocessing=True``), so ``preprocess_input`` returns its input.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.resnet_rs.preprocess_input(np.array([255.0])).tolist()
[255.0]
"""

from __future__ import annotations

import os
import sys

from scopeflow.keras import backend, layers
from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.applications.efficientnet import CONV_KERNEL_INITIALIZER

# depth -> the input sizes ImageNet weights were trained at ('imagenet-i<size>').
DEPTH_TO_WEIGHT_VARIANTS = {
    50: [160],
    101: [160, 192],
    152: [192, 224, 256],
    200: [256],
    270: [256],
    350: [256, 320],
    420: [320],
}
# depth -> the repeats of the four block groups (64, 128, 256 and 512 filters).
_REPEATS = {
    50: (3, 4, 6, 3),
    101: (3, 4, 23, 3),
    152: (3, 8, 36, 3),
    200: (3, 24, 36, 3),
    270: (4, 29, 53, 4),
    350: (4, 36, 72, 4),
    420: (4, 44, 87, 4),
}
BLOCK_ARGS = {
    depth: [
        {"input_filters": f, "num_repeats": r}
        for f, r in zip((64, 128, 256, 512), repeats, strict=True)
    ]
    for depth, repeats in _REPEATS.items()
}


def preprocess_input(x, data_format=None):
    """``x`` unchanged: ResNet-RS models scale their inputs themselves."""
    return x


decode_predictions = imagenet_utils.decode_predictions


def fixed_padding(inputs, kernel_size):
    """``inputs`` zero-padded by ``kernel_size - 1`` rows and columns (the extra one after),
    whatever their size."""
    begin = (kernel_size - 1) // 2
    end = kernel_size - 1 - begin
    return layers.ZeroPadding2D(padding=((begin, end), (begin, end)))(inputs)


def Conv2DFixedPadding(filters, kernel_size, strides, name=None):  # noqa: N802 - Keras's name
    """A bias-free convolution, ``same`` for stride 1, else ``valid`` after
    ``fixed_padding``, as a function of its input."""
    name = name or f"conv_{backend.get_uid('conv_')}"

    def apply(inputs):
        if strides > 1:
            inputs = fixed_padding(inputs, kernel_size)
        return layers.Conv2D(
            filters, kernel_size, strides=strides, use_bias=False,
            padding="same" if strides == 1 else "valid",
            kernel_initializer=CONV_KERNEL_INITIALIZER, name=name,
        )(inputs)  # fmt: skip

    return apply


def _bn(momentum, epsilon, name):
    return layers.BatchNormalization(axis=3, momentum=momentum, epsilon=epsilon, name=name)


def STEM(bn_momentum=0.0, bn_epsilon=1e-5, activation="relu", name=None):  # noqa: N802
    """The ResNet-D stem: four 3x3 convolutions (the first and last strided), each batch
    normalized and activated, as a function of its input."""
    name = name or f"stem_{backend.get_uid('stem_')}"

    def apply(inputs):
        x = inputs
        for i, (filters, strides) in enumerate(((32, 2), (32, 1), (64, 1), (64, 2)), 1):
            x = Conv2DFixedPadding(filters, 3, strides, name=f"{name}_stem_conv_{i}")(x)
            x = _bn(bn_momentum, bn_epsilon, f"{name}_stem_batch_norm_{i}")(x)
            x = layers.Activation(activation, name=f"{name}_stem_act_{i}")(x)
        return x

    return apply


def SE(in_filters: int, se_ratio: float = 0.25, expand_ratio: int = 1, name=None):  # noqa: N802
    """Squeeze and excitation of a block's ``4 * in_filters`` channels, as a function of its
    input."""
    name = name or f"se_{backend.get_uid('se_')}"

    def apply(inputs):
        x = layers.GlobalAveragePooling2D(name=name + "_se_squeeze")(inputs)
        x = layers.Reshape((1, 1, backend.int_shape(x)[-1]), name=name + "_se_reshape")(x)
        x = layers.Conv2D(
            max(1, int(in_filters * 4 * se_ratio)), [1, 1], strides=[1, 1], padding="same",
            kernel_initializer=CONV_KERNEL_INITIALIZER, activation="relu",
            name=name + "_se_reduce",
        )(x)  # fmt: skip
        x = layers.Conv2D(
            4 * in_filters * expand_ratio, [1, 1], strides=[1, 1], padding="same",
            kernel_initializer=CONV_KERNEL_INITIALIZER, activation="sigmoid",
            name=name + "_se_expand",
        )(x)  # fmt: skip
        return layers.multiply([inputs, x], name=name + "_se_excite")

    return apply


def BottleneckBlock(  # noqa: N802 - Keras's name
    filters: int,
    strides: int,
    use_projection: bool,
    bn_momentum: float = 0.0,
    bn_epsilon: float = 1e-5,
    activation: str = "relu",
    se_ratio: float = 0.25,
    survival_probability: float = 0.8,
    name=None,
):
    """A bottleneck residual block (1x1, 3x3, 1x1 to ``4 * filters``, squeeze and
    excitation, dropped-out residual; a pooled projection shortcut when
    ``use_projection``), as a function of its input."""
    name = name or f"block_0_{backend.get_uid('block_0_')}"

    def apply(inputs):
        shortcut = inputs
        if use_projection:
            if strides == 2:
                shortcut = layers.AveragePooling2D(
                    pool_size=(2, 2), strides=(2, 2), padding="same",
                    name=name + "_projection_pooling",
                )(inputs)  # fmt: skip
                shortcut = Conv2DFixedPadding(filters * 4, 1, 1, name + "_projection_conv")(
                    shortcut
                )
            else:
                shortcut = Conv2DFixedPadding(filters * 4, 1, strides, name + "_projection_conv")(
                    inputs
                )
            shortcut = _bn(bn_momentum, bn_epsilon, name + "_projection_batch_norm")(shortcut)
        x = Conv2DFixedPadding(filters, 1, 1, name=name + "_conv_1")(inputs)
        x = _bn(bn_momentum, bn_epsilon, name + "batch_norm_1")(x)  # sic: no "_"
        x = layers.Activation(activation, name=name + "_act_1")(x)
        x = Conv2DFixedPadding(filters, 3, strides, name=name + "_conv_2")(x)
        x = _bn(bn_momentum, bn_epsilon, name + "_batch_norm_2")(x)
        x = layers.Activation(activation, name=name + "_act_2")(x)
        x = Conv2DFixedPadding(filters * 4, 1, 1, name=name + "_conv_3")(x)
        x = _bn(bn_momentum, bn_epsilon, name + "_batch_norm_3")(x)
        if 0 < se_ratio < 1:
            x = SE(filters, se_ratio=se_ratio, name=name + "_se")(x)
        if survival_probability:
            x = layers.Dropout(
                survival_probability, noise_shape=(None, 1, 1, 1), name=name + "_drop"
            )(x)
        x = layers.Add()([x, shortcut])
        return layers.Activation(activation, name=name + "_output_act")(x)

    return apply


def BlockGroup(  # noqa: N802 - Keras's name
    filters,
    strides,
    num_repeats,
    se_ratio: float = 0.25,
    bn_epsilon: float = 1e-5,
    bn_momentum: float = 0.0,
    activation: str = "relu",
    survival_probability: float = 0.8,
    name=None,
):
    """``num_repeats`` bottleneck blocks, the first projecting and strided, as a function of
    its input."""
    name = name or f"block_group_{backend.get_uid('block_group_')}"

    def apply(inputs):
        x = inputs
        for i in range(num_repeats):
            x = BottleneckBlock(
                filters, strides if i == 0 else 1, use_projection=i == 0,
                bn_momentum=bn_momentum, bn_epsilon=bn_epsilon, activation=activation,
                se_ratio=se_ratio, survival_probability=survival_probability,
                name=f"{name}_block_{i}_",
            )(x)  # fmt: skip
        return x

    return apply


def get_survival_probability(init_rate, block_num, total_blocks) -> float:
    """The drop rate of block group ``block_num``: ``init_rate`` scaled by its depth."""
    return init_rate * float(block_num) / total_blocks


def allow_bigger_recursion(target_limit: int) -> None:
    """Raises Python's recursion limit to ``target_limit`` (never lowers it): the deepest
    models' layer graphs are walked recursively."""
    if sys.getrecursionlimit() < target_limit:
        sys.setrecursionlimit(target_limit)


def _check_weights(depth, weights, include_top, classes):
    """ResNet-RS's ``weights``: None, a file, or ``'imagenet'`` / ``'imagenet-i<size>'``
    (which scopeflow cannot download)."""
    variants = [f"imagenet-i{size}" for size in DEPTH_TO_WEIGHT_VARIANTS[depth]]
    if weights == "imagenet":
        weights = variants[-1]
    if not (weights in {*variants, None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`'imagenet'` (pre-training on ImageNet, with highest available input shape), or "
            "the path to the weights file to be loaded. For ResNetRS"
            f"{depth} the following weight variants are available {variants} "
            f"(default=highest). Received weights={weights}"
        )
    if weights in variants and include_top and classes != 1000:
        raise ValueError(
            "If using `weights` as `'imagenet'` or any of "
            f"{variants} with `include_top` as true, `classes` should be 1000. "
            f"Received classes={classes}"
        )
    if weights in variants:
        imagenet_utils.check_weights("imagenet", include_top, 1000)  # raises: no download
    return weights


def ResNetRS(  # noqa: N802 - Keras's name
    depth: int,
    input_shape=None,
    bn_momentum=0.0,
    bn_epsilon=1e-5,
    activation: str = "relu",
    se_ratio=0.25,
    dropout_rate=0.25,
    drop_connect_rate=0.2,
    include_top=True,
    block_args=None,
    model_name="resnet-rs",
    pooling=None,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    classifier_activation="softmax",
    include_preprocessing=True,
):
    """A ResNet-RS of ``depth`` (50, 101, 152, 200, 270, 350 or 420; ``block_args``
    overrides its block groups); ``include_preprocessing`` scales pixels in ``[0, 255]`` by
    ImageNet's means and deviations; ``drop_connect_rate`` is stochastic depth's; other
    arguments as ``VGG16``'s."""
    weights = _check_weights(depth, weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, 224, 32, "channels_last", require_flatten=include_top, weights=weights
    )
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 255)(x)
        if input_shape[2] == 3:
            x = layers.Normalization(
                mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2], axis=3
            )(x)
    x = STEM(bn_momentum=bn_momentum, bn_epsilon=bn_epsilon, activation=activation)(x)
    block_args = BLOCK_ARGS[depth] if block_args is None else block_args
    for i, args in enumerate(block_args):
        x = BlockGroup(
            args["input_filters"], 1 if i == 0 else 2, args["num_repeats"],
            se_ratio=se_ratio, bn_epsilon=bn_epsilon, bn_momentum=bn_momentum,
            activation=activation,
            survival_probability=get_survival_probability(
                drop_connect_rate, i + 2, len(block_args) + 1
            ),
            name=f"BlockGroup{i + 2}_",
        )(x)  # fmt: skip
    x = imagenet_utils.top(
        x, include_top, pooling, classes, classifier_activation, weights,
        ("avg_pool", "max_pool"), dropout_rate=dropout_rate,
    )  # fmt: skip
    return imagenet_utils.model(input_tensor, img_input, x, model_name, weights)


# depth -> (stochastic depth rate, top dropout rate, recursion limit needed)
_VARIANTS = {
    50: (0.0, 0.25, None),
    101: (0.0, 0.25, None),
    152: (0.0, 0.25, None),
    200: (0.1, 0.25, None),
    270: (0.1, 0.25, 1300),
    350: (0.1, 0.4, 1500),
    420: (0.1, 0.4, 1800),
}


def _resnet_rs(depth: int):
    drop_connect_rate, dropout_rate, recursion = _VARIANTS[depth]

    def build(
        include_top=True,
        weights="imagenet",
        classes=1000,
        input_shape=None,
        input_tensor=None,
        pooling=None,
        classifier_activation="softmax",
        include_preprocessing=True,
    ):
        if recursion:
            allow_bigger_recursion(recursion)
        return ResNetRS(
            depth, include_top=include_top, drop_connect_rate=drop_connect_rate,
            dropout_rate=dropout_rate, weights=weights, classes=classes,
            input_shape=input_shape, input_tensor=input_tensor, pooling=pooling,
            classifier_activation=classifier_activation, model_name=f"resnet-rs-{depth}",
            include_preprocessing=include_preprocessing,
        )  # fmt: skip

    build.__name__ = build.__qualname__ = f"ResNetRS{depth}"
    build.__doc__ = f"ResNet-RS{depth}; arguments as ``ResNetRS``'s."
    return build


ResNetRS50, ResNetRS101, ResNetRS152, ResNetRS200 = map(_resnet_rs, (50, 101, 152, 200))
ResNetRS270, ResNetRS350, ResNetRS420 = map(_resnet_rs, (270, 350, 420))

__all__ = [
    "ResNetRS50",
    "ResNetRS101",
    "ResNetRS152",
    "ResNetRS200",
    "ResNetRS270",
    "ResNetRS350",
    "ResNetRS420",
    "decode_predictions",
    "preprocess_input",
]
