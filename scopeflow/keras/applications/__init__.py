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
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    regnet,
    resnet,
    resnet50,
    resnet_rs,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from scopeflow.keras.applications.convnext import (
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
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
from scopeflow.keras.applications.efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from scopeflow.keras.applications.inception_resnet_v2 import InceptionResNetV2
from scopeflow.keras.applications.inception_v3 import InceptionV3
from scopeflow.keras.applications.mobilenet import MobileNet
from scopeflow.keras.applications.mobilenet_v2 import MobileNetV2
from scopeflow.keras.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from scopeflow.keras.applications.nasnet import NASNetLarge, NASNetMobile
from scopeflow.keras.applications.regnet import (
    RegNetX002,
    RegNetX004,
    RegNetX006,
    RegNetX008,
    RegNetX016,
    RegNetX032,
    RegNetX040,
    RegNetX064,
    RegNetX080,
    RegNetX120,
    RegNetX160,
    RegNetX320,
    RegNetY002,
    RegNetY004,
    RegNetY006,
    RegNetY008,
    RegNetY016,
    RegNetY032,
    RegNetY040,
    RegNetY064,
    RegNetY080,
    RegNetY120,
    RegNetY160,
    RegNetY320,
)
from scopeflow.keras.applications.resnet import ResNet50, ResNet101, ResNet152
from scopeflow.keras.applications.resnet_rs import (
    ResNetRS50,
    ResNetRS101,
    ResNetRS152,
    ResNetRS200,
    ResNetRS270,
    ResNetRS350,
    ResNetRS420,
)
from scopeflow.keras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from scopeflow.keras.applications.vgg16 import VGG16
from scopeflow.keras.applications.vgg19 import VGG19
from scopeflow.keras.applications.xception import Xception

__all__ = [
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtSmall",
    "ConvNeXtTiny",
    "ConvNeXtXLarge",
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
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2L",
    "EfficientNetV2M",
    "EfficientNetV2S",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Large",
    "MobileNetV3Small",
    "NASNetLarge",
    "NASNetMobile",
    "RegNetX002",
    "RegNetX004",
    "RegNetX006",
    "RegNetX008",
    "RegNetX016",
    "RegNetX032",
    "RegNetX040",
    "RegNetX064",
    "RegNetX080",
    "RegNetX120",
    "RegNetX160",
    "RegNetX320",
    "RegNetY002",
    "RegNetY004",
    "RegNetY006",
    "RegNetY008",
    "RegNetY016",
    "RegNetY032",
    "RegNetY040",
    "RegNetY064",
    "RegNetY080",
    "RegNetY120",
    "RegNetY160",
    "RegNetY320",
    "ResNet50",
    "ResNet50V2",
    "ResNet101",
    "ResNet101V2",
    "ResNet152",
    "ResNet152V2",
    "ResNetRS50",
    "ResNetRS101",
    "ResNetRS152",
    "ResNetRS200",
    "ResNetRS270",
    "ResNetRS350",
    "ResNetRS420",
    "VGG16",
    "VGG19",
    "Xception",
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "regnet",
    "resnet",
    "resnet50",
    "resnet_rs",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]
