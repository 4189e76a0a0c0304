"""``tf.keras.applications.inception_v3``: InceptionV3 (Szegedy et al., 2015) as Keras
builds it (``conv2d``, ``batch_normalization``, ``activation``... ``mixed0`` to ``mixed10``,
``predictions``), and its preprocessing (``[-1, 1]``).

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.inception_v3.preprocess_input(np.array([51.0])).tolist()
[-0.6]
"""

from __future__ import annotations

from scopeflow.keras import layers
from scopeflow.keras.applications import imagenet_utils

preprocess_input = imagenet_utils.preprocessor("tf")
decode_predictions = imagenet_utils.decode_predictions


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """A convolution without bias, batch normalization without scale, and ReLU."""
    bn_name = None if name is None else name + "_bn"
    conv_name = None if name is None else name + "_conv"
    x = layers.Conv2D(
        filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
        name=conv_name,
    )(x)  # fmt: skip
    x = layers.BatchNormalization(axis=3, scale=False, name=bn_name)(x)
    return layers.Activation("relu", name=name)(x)


def _avg_branch(x, filters):
    pool = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    return conv2d_bn(pool, filters, 1, 1)


def _block35(x, pool_filters, name):
    """The 35x35 block: 1x1, 5x5, double 3x3 and pooled branches."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _avg_branch(x, pool_filters)
    return layers.concatenate([branch1x1, branch5x5, branch3x3dbl, branch_pool], axis=3, name=name)


def _block17(x, width, name):
    """The 17x17 block: 1x1, factorized 7x7, double factorized 7x7 and pooled branches."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(x, width, 1, 1)
    branch7x7 = conv2d_bn(branch7x7, width, 1, 7)
    branch7x7 = conv2d_bn(branch7x7, 192, 7, 1)
    dbl = conv2d_bn(x, width, 1, 1)
    dbl = conv2d_bn(dbl, width, 7, 1)
    dbl = conv2d_bn(dbl, width, 1, 7)
    dbl = conv2d_bn(dbl, width, 7, 1)
    dbl = conv2d_bn(dbl, 192, 1, 7)
    branch_pool = _avg_branch(x, 192)
    return layers.concatenate([branch1x1, branch7x7, dbl, branch_pool], axis=3, name=name)


def _block8(x, i):
    """The 8x8 block with its split 3x3 branches."""
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3_1 = conv2d_bn(branch3x3, 384, 1, 3)
    branch3x3_2 = conv2d_bn(branch3x3, 384, 3, 1)
    branch3x3 = layers.concatenate([branch3x3_1, branch3x3_2], axis=3, name=f"mixed9_{i}")
    dbl = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    dbl_1 = conv2d_bn(dbl, 384, 1, 3)
    dbl_2 = conv2d_bn(dbl, 384, 3, 1)
    dbl = layers.concatenate([dbl_1, dbl_2], axis=3)
    branch_pool = _avg_branch(x, 192)
    return layers.concatenate(
        [branch1x1, branch3x3, dbl, branch_pool], axis=3, name=f"mixed{9 + i}"
    )


def InceptionV3(  # noqa: N802 - Keras's name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """InceptionV3 (default input 299x299x3, at least 75x75); arguments as ``VGG16``'s."""
    input_shape, img_input = imagenet_utils.checked_image_input(
        weights, include_top, classes, input_shape, 299, 75, input_tensor
    )
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = _block35(x, 32, "mixed0")
    x = _block35(x, 64, "mixed1")
    x = _block35(x, 64, "mixed2")
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    dbl = conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3)
    dbl = conv2d_bn(dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, dbl, branch_pool], axis=3, name="mixed3")
    x = _block17(x, 128, "mixed4")
    x = _block17(x, 160, "mixed5")
    x = _block17(x, 160, "mixed6")
    x = _block17(x, 192, "mixed7")
    branch3x3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = conv2d_bn(x, 192, 1, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=3, name="mixed8")
    x = _block8(x, 0)
    x = _block8(x, 1)
    x = imagenet_utils.top(x, include_top, pooling, classes, classifier_activation, weights)
    return imagenet_utils.model(input_tensor, img_input, x, "inception_v3", weights)


__all__ = ["InceptionV3", "decode_predictions", "preprocess_input"]
