"""``tf.keras.applications``: Keras's ImageNet networks, built as TensorFlow's Keras builds
them (the same layer names, weight names and shapes, parameter counts), with each family's
``preprocess_input`` and ``decode_predictions``.

``weights=None`` builds a network with fresh weights, and ``weights='<path>'`` loads a
weights file into it (``model.load_weights``); ``weights='imagenet'`` (Keras's default)
raises ``NotImplementedError``, since scopeflow downloads nothing. Images are
``channels_last``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     base = tf.keras.applications.VGG16(weights=None, include_top=False,
...                                        input_shape=(32, 32, 3))
...     x = tf.keras.layers.GlobalAveragePooling2D()(base.output)
...     model = tf.keras.Model(base.input, tf.keras.layers.Dense(10)(x))
>>> base.name, model.output.shape.as_list(), model.count_params()
('vgg16', [None, 10], 14719818)
"""

from __future__ import annotations

from scopeflow.keras.applications import (
    densenet,
    efficientnet,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from scopeflow.keras.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from scopeflow.keras.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from scopeflow.keras.applications.inception_resnet_v2 import InceptionResNetV2
from scopeflow.keras.applications.inception_v3 import InceptionV3
from scopeflow.keras.applications.mobilenet import MobileNet
from scopeflow.keras.applications.mobilenet_v2 import MobileNetV2
from scopeflow.keras.applications.nasnet import NASNetLarge, NASNetMobile
from scopeflow.keras.applications.resnet import ResNet50, ResNet101, ResNet152
from scopeflow.keras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from scopeflow.keras.applications.vgg16 import VGG16
from scopeflow.keras.applications.vgg19 import VGG19
from scopeflow.keras.applications.xception import Xception

# Keras applications scopeflow does not build, and why.
_NOT_PROVIDED = {
    "MobileNetV3": "its hard-swish is TF ops on Keras tensors (TFOpLambda layers)",
    "ConvNeXt": "its LayerScale and stochastic-depth layers are not provided",
    "EfficientNetV2": "its fused blocks are not provided",
    "RegNet": "its grouped convolutions are not provided",
    "ResNetRS": "its stochastic-depth layers are not provided",
}


def __getattr__(name: str):
    for prefix, why in _NOT_PROVIDED.items():
        if name.lower().replace("_", "").startswith(prefix.lower()):
            raise NotImplementedError(
                f"tf.keras.applications.{name} is not provided by scopeflow: {why}. Use one of "
                "the applications listed in tf.keras.applications.__all__."
            )
    raise AttributeError(f"module 'tf.keras.applications' has no attribute {name!r}")


__all__ = [
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "NASNetLarge",
    "NASNetMobile",
    "ResNet50",
    "ResNet50V2",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "VGG16",
    "VGG19",
    "Xception",
    "densenet",
    "efficientnet",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
