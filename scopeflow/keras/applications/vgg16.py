"""``tf.keras.applications.vgg16``: VGG16 (Simonyan and Zisserman, 2014) as Keras builds it
(``block1_conv1``... ``fc1``, ``fc2``, ``predictions``), and its Caffe-style preprocessing.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.applications.VGG16(weights=None, include_top=False,
...                                         input_shape=(32, 32, 3), pooling="avg")
>>> model.name, model.output.shape.as_list(), model.count_params()
('vgg16', [None, 512], 14714688)
"""

from __future__ import annotations

from scopeflow.keras import layers
from scopeflow.keras.applications import imagenet_utils

preprocess_input = imagenet_utils.preprocessor("caffe")
decode_predictions = imagenet_utils.decode_predictions


def vgg(
    convs: tuple,
    name: str,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """A VGG network with ``convs[i]`` 3x3 convolutions in block ``i + 1``."""
    input_shape, img_input = imagenet_utils.checked_image_input(
        weights, include_top, classes, input_shape, 224, 32, input_tensor
    )
    x = img_input
    for block, (count, filters) in enumerate(
        zip(convs, (64, 128, 256, 512, 512), strict=True), start=1
    ):
        for i in range(1, count + 1):
            x = layers.Conv2D(
                filters, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{i}"
            )(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pooled(x, pooling)
    return imagenet_utils.model(input_tensor, img_input, x, name, weights)


def VGG16(  # noqa: N802 - Keras's name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """VGG16: 13 convolutions in five blocks, then (``include_top``) two 4096-unit dense
    layers and a ``classes``-way classifier.

    Args:
        include_top: whether to include the three dense layers (the input must then be
            224x224x3).
        weights: None (random initialization) or the path of a weights file to load;
            ``'imagenet'`` raises ``NotImplementedError`` (nothing is downloaded).
        input_tensor: a tensor to use as the image input.
        input_shape: ``(height, width, channels)`` without the top, each side at least 32.
        pooling: without the top, None (4-D features), ``'avg'`` or ``'max'``.
        classes: the classifier's classes.
        classifier_activation: the classifier's activation (None: logits).
    """
    return vgg(
        (2, 2, 3, 3, 3), "vgg16", include_top, weights, input_tensor, input_shape, pooling,
        classes, classifier_activation,
    )  # fmt: skip


__all__ = ["VGG16", "decode_predictions", "preprocess_input"]
