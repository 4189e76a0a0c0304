"""``tf.keras.applications.convnext``: ConvNeXt Tiny, Small, Base, Large and XLarge (Liu et
al., 2022: 7x7 depthwise convolutions, layer normalization, inverted bottlenecks of dense
layers, layer scale) as Keras builds them (``convnext_tiny_prestem_normalization``, the
``Sequential`` stem and downsampling blocks, ``convnext_tiny_stage_0_block_0_depthwise_conv``
..., ``convnext_tiny_head_dense``); each block's residual sum is a TensorFlow op on Keras
tensors (``tf_op_layer_add``). The models normalize pixels in ``[0, 255]`` themselves
(``include_preprocessing=True``), so ``preprocess_input`` returns its input.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.convnext.preprocess_input(np.array([255.0])).tolist()
[255.0]
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras import backend, initializers, layers
from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.network import Sequential
from scopeflow.keras.tf_op_layers import track
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.random.sampling import random_uniform

MODEL_CONFIGS = {
    "tiny": {"depths": [3, 3, 9, 3], "projection_dims": [96, 192, 384, 768]},
    "small": {"depths": [3, 3, 27, 3], "projection_dims": [96, 192, 384, 768]},
    "base": {"depths": [3, 3, 27, 3], "projection_dims": [128, 256, 512, 1024]},
    "large": {"depths": [3, 3, 27, 3], "projection_dims": [192, 384, 768, 1536]},
    "xlarge": {"depths": [3, 3, 27, 3], "projection_dims": [256, 512, 1024, 2048]},
}
for _config in MODEL_CONFIGS.values():
    _config["default_size"] = 224


def preprocess_input(x, data_format=None):
    """``x`` unchanged: ConvNeXts normalize their inputs themselves."""
    return x


decode_predictions = imagenet_utils.decode_predictions


class StochasticDepth(layers.Layer):
    """Drops its whole input (the residual branch) for a ``drop_path_rate`` fraction of the
    examples in training, scaling the others by ``1 / (1 - drop_path_rate)``; the identity
    otherwise."""

    def __init__(self, drop_path_rate, **kwargs):
        super().__init__(**kwargs)
        self.drop_path_rate = drop_path_rate

    def call(self, x, training=None):
        def dropped():
            keep_prob = 1 - self.drop_path_rate
            shape = concat(
                [array_ops.shape(x)[:1], array_ops.ones([x.shape.ndims - 1], "int32")], 0
            )
            mask = math_ops.floor(keep_prob + random_uniform(shape, 0, 1))
            return (x / keep_prob) * mask

        if training is None or isinstance(training, bool | int):
            return dropped() if training else x
        return backend.in_train_phase(dropped, x, training=training)

    def get_config(self) -> dict:
        return {**super().get_config(), "drop_path_rate": self.drop_path_rate}


class LayerScale(layers.Layer):
    """Its input times ``gamma``, a learned scale per channel (``projection_dim`` of them)
    starting at ``init_values``."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, input_shape):
        self.gamma = self.add_weight(
            name="gamma", shape=(self.projection_dim,),
            initializer=initializers.Constant(self.init_values), trainable=True,
        )  # fmt: skip

    def call(self, x):
        return x * self.gamma

    def get_config(self) -> dict:
        config = {"init_values": self.init_values, "projection_dim": self.projection_dim}
        return {**super().get_config(), **config}


def _layer_norm(name=None):
    return layers.LayerNormalization(epsilon=1e-6, name=name)


def ConvNeXtBlock(  # noqa: N802 - Keras's name
    projection_dim, drop_path_rate=0.0, layer_scale_init_value=1e-6, name=None
):
    """A ConvNeXt block (7x7 depthwise convolution, layer normalization, dense layers to
    4x and back with GELU between, layer scale, residual sum), as a function of its
    input."""
    name = name or "prestem" + str(backend.get_uid("prestem"))

    def apply(inputs):
        x = layers.Conv2D(
            filters=projection_dim, kernel_size=7, padding="same", groups=projection_dim,
            name=name + "_depthwise_conv",
        )(inputs)  # fmt: skip
        x = _layer_norm(name + "_layernorm")(x)
        x = layers.Dense(4 * projection_dim, name=name + "_pointwise_conv_1")(x)
        x = layers.Activation("gelu", name=name + "_gelu")(x)
        x = layers.Dense(projection_dim, name=name + "_pointwise_conv_2")(x)
        if layer_scale_init_value is not None:
            x = LayerScale(layer_scale_init_value, projection_dim, name=name + "_layer_scale")(x)
        if drop_path_rate:
            layer = StochasticDepth(drop_path_rate, name=name + "_stochastic_depth")
        else:
            layer = layers.Activation("linear", name=name + "_identity")
        return track(inputs + layer(x))

    return apply


def PreStem(name=None):  # noqa: N802 - Keras's name
    """Normalization of pixels in ``[0, 255]`` by ImageNet's means and deviations."""
    name = name or "prestem" + str(backend.get_uid("prestem"))

    def apply(x):
        return layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=name + "_prestem_normalization",
        )(x)

    return apply


def Head(num_classes=1000, classifier_activation=None, name=None):  # noqa: N802
    """The classifier: global average pooling, layer normalization, a dense layer."""
    name = name or str(backend.get_uid("head"))

    def apply(x):
        x = layers.GlobalAveragePooling2D(name=name + "_head_gap")(x)
        x = _layer_norm(name + "_head_layernorm")(x)
        return layers.Dense(
            num_classes, activation=classifier_activation, name=name + "_head_dense"
        )(x)

    return apply


def ConvNeXt(  # noqa: N802 - Keras's name
    depths,
    projection_dims,
    drop_path_rate=0.0,
    layer_scale_init_value=1e-6,
    default_size=224,
    model_name="convnext",
    include_preprocessing=True,
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """A ConvNeXt of four stages of ``depths`` blocks of ``projection_dims`` channels;
    ``drop_path_rate`` is stochastic depth's (growing linearly to it over the blocks),
    ``layer_scale_init_value`` layer scale's first value (None: no layer scale); other
    arguments as ``VGG16``'s."""
    input_shape, img_input, inputs = imagenet_utils.checked_inputs(
        weights, include_top, classes, input_shape, default_size, input_tensor
    )
    x = inputs
    if include_preprocessing and input_shape[2] == 3:
        x = PreStem(name=model_name)(x)
    stem = Sequential(
        [
            layers.Conv2D(
                projection_dims[0], kernel_size=4, strides=4, name=model_name + "_stem_conv"
            ),
            _layer_norm(model_name + "_stem_layernorm"),
        ],
        name=model_name + "_stem",
    )
    downsample_layers = [stem]
    for i in range(3):
        downsample_layers.append(
            Sequential(
                [
                    _layer_norm(f"{model_name}_downsampling_layernorm_{i}"),
                    layers.Conv2D(
                        projection_dims[i + 1],
                        kernel_size=2,
                        strides=2,
                        name=f"{model_name}_downsampling_conv_{i}",
                    ),  # fmt: skip
                ],
                name=f"{model_name}_downsampling_block_{i}",
            )
        )
    rates = [float(r) for r in np.linspace(0.0, drop_path_rate, sum(depths))]
    cur = 0
    for i in range(4):
        x = downsample_layers[i](x)
        for j in range(depths[i]):
            x = ConvNeXtBlock(
                projection_dims[i], drop_path_rate=rates[cur + j],
                layer_scale_init_value=layer_scale_init_value,
                name=f"{model_name}_stage_{i}_block_{j}",
            )(x)  # fmt: skip
        cur += depths[i]
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = Head(classes, classifier_activation, name=model_name)(x)
    else:
        x = imagenet_utils.pooled(x, pooling)
        x = _layer_norm()(x)
    return imagenet_utils.model(None, inputs, x, model_name, weights)


def _convnext(size: str):
    config = MODEL_CONFIGS[size]

    def build(
        model_name=f"convnext_{size}",
        include_top=True,
        include_preprocessing=True,
        weights="imagenet",
        input_tensor=None,
        input_shape=None,
        pooling=None,
        classes=1000,
        classifier_activation="softmax",
    ):
        return ConvNeXt(
            config["depths"], config["projection_dims"], drop_path_rate=0.0,
            layer_scale_init_value=1e-6, default_size=config["default_size"],
            model_name=model_name, include_top=include_top,
            include_preprocessing=include_preprocessing, weights=weights,
            input_tensor=input_tensor, input_shape=input_shape, pooling=pooling,
            classes=classes, classifier_activation=classifier_activation,
        )  # fmt: skip

    name = "ConvNeXt" + {"xlarge": "XLarge"}.get(size, size.capitalize())
    build.__name__ = build.__qualname__ = name
    build.__doc__ = (
        f"{name} (depths {config['depths']}, channels {config['projection_dims']}); "
        "arguments as ``ConvNeXt``'s."
    )
    return build


ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase = map(_convnext, ("tiny", "small", "base"))
ConvNeXtLarge, ConvNeXtXLarge = map(_convnext, ("large", "xlarge"))

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
    "decode_predictions",
    "preprocess_input",
]
