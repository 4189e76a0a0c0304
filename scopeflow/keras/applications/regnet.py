"""``tf.keras.applications.regnet``: RegNetX and RegNetY 002 to 320 (Radosavovic et al.,
2020: stages of residual blocks with grouped 3x3 convolutions; Y adds squeeze and
excitation) as Keras builds them (``regnetx002_prestem_rescaling``, ``regnetx002_stem_conv``,
``regnetx002_Stage_0_XBlock_0_conv_1x1_1``..., ``1_head_gap``, ``1head_dense``); the residual
sums and the excitation products are TensorFlow ops on Keras tensors (``tf_op_layer_add``,
``tf_op_layer_Mul``). The models rescale pixels in ``[0, 255]`` themselves
(``include_preprocessing=True``), so ``preprocess_input`` returns its input.

As in TF's Keras, the classifier (``include_top``) is a dense layer without activation
(``classifier_activation`` is only checked, not applied): the models output logits.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.regnet.preprocess_input(np.array([255.0])).tolist()
[255.0]
"""

from __future__ import annotations

from scopeflow.keras import backend, layers
from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.tf_op_layers import track
from scopeflow.ops.math.elementwise import multiply

# name -> (depths, widths, group width, block type) of the four stages (default size 224).
_CONFIGS = {
    "x002": ([1, 1, 4, 7], [24, 56, 152, 368], 8, "X"),
    "x004": ([1, 2, 7, 12], [32, 64, 160, 384], 16, "X"),
    "x006": ([1, 3, 5, 7], [48, 96, 240, 528], 24, "X"),
    "x008": ([1, 3, 7, 5], [64, 128, 288, 672], 16, "X"),
    "x016": ([2, 4, 10, 2], [72, 168, 408, 912], 24, "X"),
    "x032": ([2, 6, 15, 2], [96, 192, 432, 1008], 48, "X"),
    "x040": ([2, 5, 14, 2], [80, 240, 560, 1360], 40, "X"),
    "x064": ([2, 4, 10, 1], [168, 392, 784, 1624], 56, "X"),
    "x080": ([2, 5, 15, 1], [80, 240, 720, 1920], 120, "X"),
    "x120": ([2, 5, 11, 1], [224, 448, 896, 2240], 112, "X"),
    "x160": ([2, 6, 13, 1], [256, 512, 896, 2048], 128, "X"),
    "x320": ([2, 7, 13, 1], [336, 672, 1344, 2520], 168, "X"),
    "y002": ([1, 1, 4, 7], [24, 56, 152, 368], 8, "Y"),
    "y004": ([1, 3, 6, 6], [48, 104, 208, 440], 8, "Y"),
    "y006": ([1, 3, 7, 4], [48, 112, 256, 608], 16, "Y"),
    "y008": ([1, 3, 8, 2], [64, 128, 320, 768], 16, "Y"),
    "y016": ([2, 6, 17, 2], [48, 120, 336, 888], 24, "Y"),
    "y032": ([2, 5, 13, 1], [72, 216, 576, 1512], 24, "Y"),
    "y040": ([2, 6, 12, 2], [128, 192, 512, 1088], 64, "Y"),
    "y064": ([2, 7, 14, 2], [144, 288, 576, 1296], 72, "Y"),
    "y080": ([2, 4, 10, 1], [168, 448, 896, 2016], 56, "Y"),
    "y120": ([2, 5, 11, 1], [224, 448, 896, 2240], 112, "Y"),
    "y160": ([2, 4, 11, 1], [224, 448, 1232, 3024], 112, "Y"),
    "y320": ([2, 5, 12, 1], [232, 696, 1392, 3712], 232, "Y"),
}
MODEL_CONFIGS = {
    name: {"depths": d, "widths": w, "group_width": g, "default_size": 224, "block_type": b}
    for name, (d, w, g, b) in _CONFIGS.items()
}


def preprocess_input(x, data_format=None):
    """``x`` unchanged: RegNets rescale their inputs themselves."""
    return x


decode_predictions = imagenet_utils.decode_predictions


def _bn(name):
    return layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


def _conv(filters, kernel_size, name, **kwargs):
    return layers.Conv2D(
        filters, kernel_size, use_bias=False, kernel_initializer="he_normal", name=name,
        **kwargs,
    )  # fmt: skip


def PreStem(name=None):  # noqa: N802 - Keras's name
    """Pixels in ``[0, 255]`` rescaled to ``[0, 1]``."""
    name = name or "prestem" + str(backend.get_uid("prestem"))
    return lambda x: layers.Rescaling(scale=1.0 / 255.0, name=name + "_prestem_rescaling")(x)


def Stem(name=None):  # noqa: N802 - Keras's name
    """A strided 3x3 convolution to 32 channels, batch normalized, ReLU."""
    name = name or "stem" + str(backend.get_uid("stem"))

    def apply(x):
        x = _conv(32, (3, 3), name + "_stem_conv", strides=2, padding="same")(x)
        x = _bn(name + "_stem_bn")(x)
        return layers.ReLU(name=name + "_stem_relu")(x)

    return apply


def SqueezeAndExciteBlock(filters_in, se_filters, name=None):  # noqa: N802 - Keras's name
    """Squeeze and excitation: the input times a sigmoid gate per channel."""
    name = name or str(backend.get_uid("squeeze_and_excite"))

    def apply(inputs):
        x = layers.GlobalAveragePooling2D(name=name + "_squeeze_and_excite_gap", keepdims=True)(
            inputs
        )
        x = layers.Conv2D(
            se_filters, (1, 1), activation="relu", kernel_initializer="he_normal",
            name=name + "_squeeze_and_excite_squeeze",
        )(x)  # fmt: skip
        x = layers.Conv2D(
            filters_in, (1, 1), activation="sigmoid", kernel_initializer="he_normal",
            name=name + "_squeeze_and_excite_excite",
        )(x)  # fmt: skip
        return track(multiply(x, inputs))

    return apply


def _block(kind, filters_in, filters_out, group_width, stride, squeeze_excite_ratio, name):
    def apply(inputs):
        if filters_in != filters_out and stride == 1:
            raise ValueError(
                f"Input filters({filters_in}) and output filters({filters_out}) are not equal "
                f"for stride {stride}. Input and output filters must be equal for "
                f"stride={stride}."
            )
        skip = inputs
        if stride != 1:
            skip = _conv(filters_out, (1, 1), name + "_skip_1x1", strides=stride)(inputs)
            skip = _bn(name + "_skip_bn")(skip)
        x = _conv(filters_out, (1, 1), name + "_conv_1x1_1")(inputs)
        x = _bn(name + "_conv_1x1_1_bn")(x)
        x = layers.ReLU(name=name + "_conv_1x1_1_relu")(x)
        x = _conv(
            filters_out, (3, 3), name + "_conv_3x3", strides=stride,
            groups=filters_out // group_width, padding="same",
        )(x)  # fmt: skip
        x = _bn(name + "_conv_3x3_bn")(x)
        x = layers.ReLU(name=name + "_conv_3x3_relu")(x)
        if kind == "Y":
            se_filters = int(filters_in * squeeze_excite_ratio)
            x = SqueezeAndExciteBlock(filters_out, se_filters, name=name)(x)
        x = _conv(filters_out, (1, 1), name + "_conv_1x1_2")(x)
        x = _bn(name + "_conv_1x1_2_bn")(x)
        return layers.ReLU(name=name + "_exit_relu")(track(x + skip))

    return apply


def XBlock(filters_in, filters_out, group_width, stride=1, name=None):  # noqa: N802
    """A RegNetX block: 1x1, grouped 3x3 (``filters_out / group_width`` groups), 1x1, each
    batch normalized, and a (strided: projected) residual sum, as a function of its
    input."""
    name = name or str(backend.get_uid("xblock"))
    return _block("X", filters_in, filters_out, group_width, stride, None, name)


def YBlock(  # noqa: N802 - Keras's name
    filters_in, filters_out, group_width, stride=1, squeeze_excite_ratio=0.25, name=None
):
    """A RegNetY block: an X block with squeeze and excitation after its 3x3 convolution."""
    name = name or str(backend.get_uid("yblock"))
    return _block("Y", filters_in, filters_out, group_width, stride, squeeze_excite_ratio, name)


def Stage(block_type, depth, group_width, filters_in, filters_out, name=None):  # noqa: N802
    """``depth`` blocks of ``block_type`` (``"X"`` or ``"Y"``), the first strided."""
    name = name or str(backend.get_uid("stage"))
    blocks = {"X": XBlock, "Y": YBlock}
    if block_type not in blocks:
        raise NotImplementedError(
            f"Block type `{block_type}` not recognized. block_type must be one of (`X`, `Y`): "
            "scopeflow does not build TF's `Z` blocks (TF's own fail to build)."
        )

    def apply(inputs):
        x = blocks[block_type](
            filters_in, filters_out, group_width, stride=2, name=f"{name}_{block_type}Block_0"
        )(inputs)
        for i in range(1, depth):
            x = blocks[block_type](
                filters_out, filters_out, group_width, name=f"{name}_{block_type}Block_{i}"
            )(x)
        return x

    return apply


def Head(num_classes=1000, name=None):  # noqa: N802 - Keras's name
    """Global average pooling and a dense layer of ``num_classes`` logits."""
    name = name or str(backend.get_uid("head"))

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=name + "_head_gap")(x)
        return layers.Dense(num_classes, name=name + "head_dense")(x)

    return apply


def RegNet(  # noqa: N802 - Keras's name
    depths,
    widths,
    group_width,
    block_type,
    default_size,
    model_name="regnet",
    include_preprocessing=True,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """A RegNet of four stages of ``depths`` blocks of ``widths`` channels; other
    arguments as ``VGG16``'s."""
    input_shape, img_input, inputs = imagenet_utils.checked_inputs(
        weights, include_top, classes, input_shape, default_size, input_tensor
    )
    x = inputs
    if include_preprocessing:
        x = PreStem(name=model_name)(x)
    x = Stem(name=model_name)(x)
    in_channels = 32
    for i in range(4):
        x = Stage(
            block_type, depths[i], group_width, in_channels, widths[i],
            name=f"{model_name}_Stage_{i}",
        )(x)  # fmt: skip
        in_channels = widths[i]
    if include_top:
        x = Head(num_classes=classes)(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
    else:
        x = imagenet_utils.pooled(x, pooling)
    return imagenet_utils.model(None, inputs, x, model_name, weights)


def _regnet(key: str):
    config = MODEL_CONFIGS[key]

    def build(
        model_name=f"regnet{key}",
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
    ):
        return RegNet(
            config["depths"], config["widths"], config["group_width"], config["block_type"],
            config["default_size"], model_name=model_name, include_top=include_top,
            include_preprocessing=include_preprocessing, weights=weights,
            input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
            classes=classes, classifier_activation=classifier_activation,
        )  # fmt: skip

    name = f"RegNet{key.upper()}"
    build.__name__ = build.__qualname__ = name
    build.__doc__ = (
        f"{name} (depths {config['depths']}, widths {config['widths']}, group width "
        f"{config['group_width']}); arguments as ``RegNet``'s."
    )
    return build


RegNetX002, RegNetX004, RegNetX006, RegNetX008 = map(_regnet, ("x002", "x004", "x006", "x008"))
RegNetX016, RegNetX032, RegNetX040, RegNetX064 = map(_regnet, ("x016", "x032", "x040", "x064"))
RegNetX080, RegNetX120, RegNetX160, RegNetX320 = map(_regnet, ("x080", "x120", "x160", "x320"))
RegNetY002, RegNetY004, RegNetY006, RegNetY008 = map(_regnet, ("y002", "y004", "y006", "y008"))
RegNetY016, RegNetY032, RegNetY040, RegNetY064 = map(_regnet, ("y016", "y032", "y040", "y064"))
RegNetY080, RegNetY120, RegNetY160, RegNetY320 = map(_regnet, ("y080", "y120", "y160", "y320"))

__all__ = [*(f"RegNet{key.upper()}" for key in _CONFIGS), "decode_predictions", "preprocess_input"]
