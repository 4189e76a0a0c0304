"""``tf.keras.applications.resnet_v2``: ResNet50V2, ResNet101V2 and ResNet152V2 (He et al.,
2016: batch normalization and ReLU before each convolution) as Keras builds them, and their
preprocessing (scaled to ``[-1, 1]``).

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.resnet_v2.preprocess_input(np.array([0.0, 127.5, 255.0])).tolist()
[-1.0, 0.0, 1.0]
"""

from __future__ import annotations

import functools

from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.applications.resnet import resnet, stack2

preprocess_input = imagenet_utils.preprocessor("tf")
decode_predictions = imagenet_utils.decode_predictions


def _v2(depths: tuple, model_name: str):
    def stack_fn(x):
        x = stack2(x, 64, depths[0], name="conv2")
        x = stack2(x, 128, depths[1], name="conv3")
        x = stack2(x, 256, depths[2], name="conv4")
        return stack2(x, 512, depths[3], stride1=1, name="conv5")

    name = "ResNet" + model_name[6:-2] + "V2"
    doc = f"{name} (blocks {depths}), as ``VGG16``'s arguments."
    make = functools.partial(resnet, stack_fn, True, True, model_name)
    return imagenet_utils.variant(name, doc, __name__, make)


ResNet50V2 = _v2((3, 4, 6, 3), "resnet50v2")
ResNet101V2 = _v2((3, 4, 23, 3), "resnet101v2")
ResNet152V2 = _v2((3, 8, 36, 3), "resnet152v2")

__all__ = ["ResNet50V2", "ResNet101V2", "ResNet152V2", "decode_predictions", "preprocess_input"]
