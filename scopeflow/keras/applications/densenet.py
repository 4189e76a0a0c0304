"""``tf.keras.applications.densenet``: DenseNet121, DenseNet169 and DenseNet201 (Huang et
al., 2017) as Keras builds them (``conv1/conv``, ``conv2_block1_0_bn``... ``bn``,
``predictions``), and their preprocessing (ImageNet's means and deviations, PyTorch-style).

>>> import numpy as np, scopeflow as tf
>>> x = tf.keras.applications.densenet.preprocess_input(np.full((1, 1, 3), 255.0))
>>> x.round(4).tolist()
[[[2.2489, 2.4286, 2.64]]]
"""

from __future__ import annotations

from scopeflow.keras import backend, layers
from scopeflow.keras.applications import imagenet_utils

preprocess_input = imagenet_utils.preprocessor("torch")
decode_predictions = imagenet_utils.decode_predictions

_NAMES = {(6, 12, 24, 16): "densenet121", (6, 12, 32, 32): "densenet169"}
_NAMES[(6, 12, 48, 32)] = "densenet201"


def _bn(name: str):
    return layers.BatchNormalization(axis=3, epsilon=1.001e-5, name=name)


def dense_block(x, blocks, name):
    """``blocks`` convolution blocks, each adding 32 channels."""
    for i in range(blocks):
        x = conv_block(x, 32, name=name + "_block" + str(i + 1))
    return x


def transition_block(x, reduction, name):
    """Batch normalization, ReLU, a 1x1 convolution to ``reduction`` of the channels and
    2x2 average pooling."""
    x = _bn(name + "_bn")(x)
    x = layers.Activation("relu", name=name + "_relu")(x)
    filters = int(backend.int_shape(x)[3] * reduction)
    x = layers.Conv2D(filters, 1, use_bias=False, name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def conv_block(x, growth_rate, name):
    """A bottleneck (1x1 then 3x3 convolution) whose ``growth_rate`` channels are joined to
    its input."""
    x1 = _bn(name + "_0_bn")(x)
    x1 = layers.Activation("relu", name=name + "_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = _bn(name + "_1_bn")(x1)
    x1 = layers.Activation("relu", name=name + "_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=name + "_2_conv")(x1)
    return layers.Concatenate(axis=3, name=name + "_concat")([x, x1])


def DenseNet(  # noqa: N802 - Keras's name
    blocks,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """A DenseNet with ``blocks[i]`` convolution blocks in dense block ``i + 1``; other
    arguments as ``VGG16``'s."""
    input_shape, img_input = imagenet_utils.checked_image_input(
        weights, include_top, classes, input_shape, 224, 32, input_tensor
    )
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1/conv")(x)
    x = _bn("conv1/bn")(x)
    x = layers.Activation("relu", name="conv1/relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for i in range(3):
        x = dense_block(x, blocks[i], name=f"conv{i + 2}")
        x = transition_block(x, 0.5, name=f"pool{i + 2}")
    x = dense_block(x, blocks[3], name="conv5")
    x = _bn("bn")(x)
    x = layers.Activation("relu", name="relu")(x)
    x = imagenet_utils.top(
        x, include_top, pooling, classes, classifier_activation, weights, ("avg_pool", "max_pool")
    )
    name = _NAMES.get(tuple(blocks), "densenet")
    return imagenet_utils.model(input_tensor, img_input, x, name, weights)


def _densenet(blocks: tuple, name: str):
    def make(**arguments):
        return DenseNet(list(blocks), **arguments)

    doc = f"{name} (dense blocks of {blocks}); arguments as ``VGG16``'s."
    return imagenet_utils.variant(name, doc, __name__, make)


DenseNet121 = _densenet((6, 12, 24, 16), "DenseNet121")
DenseNet169 = _densenet((6, 12, 32, 32), "DenseNet169")
DenseNet201 = _densenet((6, 12, 48, 32), "DenseNet201")

__all__ = ["DenseNet121", "DenseNet169", "DenseNet201", "decode_predictions", "preprocess_input"]
