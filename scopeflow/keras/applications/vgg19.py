"""``tf.keras.applications.vgg19``: VGG19 as Keras builds it, and its Caffe-style
preprocessing.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.applications.VGG19(weights=None, include_top=False,
...                                         input_shape=(32, 32, 3))
>>> model.layers[-2].name, model.output.shape.as_list()
('block5_conv4', [None, 1, 1, 512])
"""

from __future__ import annotations

from scopeflow.keras.applications.vgg16 import decode_predictions, preprocess_input, vgg


def VGG19(  # noqa: N802 - Keras's name
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
):
    """VGG19: VGG16 with a fourth convolution in blocks 3 to 5 (arguments as ``VGG16``'s)."""
    return vgg(
        (2, 2, 4, 4, 4), "vgg19", include_top, weights, input_tensor, input_shape, pooling,
        classes, classifier_activation,
    )  # fmt: skip


__all__ = ["VGG19", "decode_predictions", "preprocess_input"]
