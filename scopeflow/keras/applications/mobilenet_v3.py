"""``tf.keras.applications.mobilenet_v3``: MobileNetV3 Small and Large (Howard et al., 2019:
inverted residual blocks with squeeze and excitation and hard-swish) as Keras builds them
(``rescaling``, ``Conv``, ``expanded_conv/depthwise``... ``Logits``, ``Predictions``); the
hard-swish's ``x + 3`` and ``* (1 / 6)`` are TensorFlow ops on Keras tensors
(``tf_op_layer_add``, ``tf_op_layer_mul``: ``tf_op_layers``). The models scale pixels in
``[0, 255]`` themselves (``include_preprocessing=True``), so ``preprocess_input`` returns its
input.

>>> import numpy as np, scopeflow as tf
>>> tf.keras.applications.mobilenet_v3.preprocess_input(np.array([255.0])).tolist()
[255.0]
"""

from __future__ import annotations

import os

from scopeflow.keras import backend, layers
from scopeflow.keras.applications import imagenet_utils
from scopeflow.keras.applications.mobilenet_v2 import _make_divisible
from scopeflow.keras.tf_op_layers import track


def preprocess_input(x, data_format=None):
    """``x`` unchanged: MobileNetV3s scale their inputs themselves."""
    return x


decode_predictions = imagenet_utils.decode_predictions


def _depth(v, divisor=8, min_value=None) -> int:
    return _make_divisible(v, divisor, min_value)


def relu(x):
    return layers.ReLU()(x)


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``: a ``ReLU(6)`` layer between two TensorFlow ops."""
    return track(layers.ReLU(6.0)(track(x + 3.0)) * (1.0 / 6.0))


def hard_swish(x):
    return layers.Multiply()([x, hard_sigmoid(x)])


def _bn(name):
    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)


def _se_block(inputs, filters, se_ratio, prefix):
    x = layers.GlobalAveragePooling2D(keepdims=True, name=prefix + "squeeze_excite/AvgPool")(inputs)
    x = layers.Conv2D(
        _depth(filters * se_ratio), kernel_size=1, padding="same",
        name=prefix + "squeeze_excite/Conv",
    )(x)  # fmt: skip
    x = layers.ReLU(name=prefix + "squeeze_excite/Relu")(x)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", name=prefix + "squeeze_excite/Conv_1"
    )(x)
    x = hard_sigmoid(x)
    return layers.Multiply(name=prefix + "squeeze_excite/Mul")([inputs, x])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation, block_id):
    shortcut = x
    prefix = "expanded_conv/"
    infilters = backend.int_shape(x)[-1]
    if block_id:
        prefix = f"expanded_conv_{block_id}/"
        x = layers.Conv2D(
            _depth(infilters * expansion), kernel_size=1, padding="same", use_bias=False,
            name=prefix + "expand",
        )(x)  # fmt: skip
        x = _bn(prefix + "expand/BatchNorm")(x)
        x = activation(x)
    if stride == 2:
        x = layers.ZeroPadding2D(
            padding=imagenet_utils.correct_pad(x, kernel_size), name=prefix + "depthwise/pad"
        )(x)
    x = layers.DepthwiseConv2D(
        kernel_size, strides=stride, padding="same" if stride == 1 else "valid",
        use_bias=False, name=prefix + "depthwise",
    )(x)  # fmt: skip
    x = _bn(prefix + "depthwise/BatchNorm")(x)
    x = activation(x)
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = layers.Conv2D(
        filters, kernel_size=1, padding="same", use_bias=False, name=prefix + "project"
    )(x)
    x = _bn(prefix + "project/BatchNorm")(x)
    if stride == 1 and infilters == filters:
        x = layers.Add(name=prefix + "Add")([shortcut, x])
    return x


def _input_shape(input_shape, input_tensor):
    """MobileNetV3's own input checks (it takes any size of at least 32x32, even with its
    top)."""
    if input_shape is not None and input_tensor is not None:
        if not backend.is_keras_tensor(input_tensor):
            raise ValueError("input_tensor specified: ", input_tensor, "is not a keras tensor")
        if backend.int_shape(input_tensor)[2] != input_shape[1]:
            raise ValueError(
                "input_shape[1] must equal backend.int_shape(input_tensor)[2].  Received "
                f"input_shape={input_shape}, backend.int_shape(input_tensor)="
                f"{backend.int_shape(input_tensor)}"
            )
    if input_shape is None and input_tensor is not None:
        if backend.is_keras_tensor(input_tensor):
            rows, cols = backend.int_shape(input_tensor)[1:3]
            input_shape = (cols, rows, 3)
    if input_shape is None and input_tensor is not None:
        raise TypeError(
            "'NoneType' object is not subscriptable: MobileNetV3 takes its input shape from a "
            "Keras input_tensor only; pass input_shape with this input_tensor (TF's Keras "
            "fails here too)."
        )
    if input_shape is None:
        input_shape = (None, None, 3)
    rows, cols = input_shape[0], input_shape[1]
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape={input_shape}`")
    return input_shape


def MobileNetV3(  # noqa: N802 - Keras's name
    stack_fn,
    last_point_ch,
    input_shape=None,
    alpha=1.0,
    model_type="large",
    minimalistic=False,
    include_top=True,
    weights="imagenet",
    input_tensor=None,
    classes=1000,
    pooling=None,
    dropout_rate=0.2,
    classifier_activation="softmax",
    include_preprocessing=True,
):
    """A MobileNetV3 whose blocks ``stack_fn(x, kernel, activation, se_ratio)`` makes;
    ``MobileNetV3Small``'s and ``MobileNetV3Large``'s arguments."""
    if not (weights in {"imagenet", None} or os.path.exists(weights)):
        raise ValueError(
            "The `weights` argument should be either `None` (random initialization), "
            "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
            f"loaded.  Received weights={weights}"
        )
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(
            'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should '
            f"be 1000.  Received classes={classes}"
        )
    input_shape = _input_shape(input_shape, input_tensor)
    imagenet_utils.check_weights(weights, include_top, classes)
    img_input = imagenet_utils.image_input(input_tensor, input_shape)
    if minimalistic:
        kernel, activation, se_ratio = 3, relu, None
    else:
        kernel, activation, se_ratio = 5, hard_swish, 0.25
    x = img_input
    if include_preprocessing:
        x = layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = layers.Conv2D(
        16, kernel_size=3, strides=(2, 2), padding="same", use_bias=False, name="Conv"
    )(x)
    x = _bn("Conv/BatchNorm")(x)
    x = activation(x)
    x = stack_fn(x, kernel, activation, se_ratio)
    last_conv_ch = _depth(backend.int_shape(x)[-1] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = layers.Conv2D(last_conv_ch, kernel_size=1, padding="same", use_bias=False, name="Conv_1")(x)
    x = _bn("Conv_1/BatchNorm")(x)
    x = activation(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = layers.Conv2D(last_point_ch, kernel_size=1, padding="same", name="Conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = layers.Dropout(dropout_rate)(x)
        x = layers.Conv2D(classes, kernel_size=1, padding="same", name="Logits")(x)
        x = layers.Flatten()(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Activation(activation=classifier_activation, name="Predictions")(x)
    else:
        x = imagenet_utils.pooled(x, pooling, "avg_pool", "max_pool")
    return imagenet_utils.model(input_tensor, img_input, x, "MobilenetV3" + model_type, weights)


# Each block: expansion, filters, kernel size (None: the model's), stride, squeeze and
# excitation (whether), activation (whether the model's, else ReLU).
_SMALL = [
    (1, 16, 3, 2, True, False),
    (72.0 / 16, 24, 3, 2, False, False),
    (88.0 / 24, 24, 3, 1, False, False),
    (4, 40, None, 2, True, True),
    (6, 40, None, 1, True, True),
    (6, 40, None, 1, True, True),
    (3, 48, None, 1, True, True),
    (3, 48, None, 1, True, True),
    (6, 96, None, 2, True, True),
    (6, 96, None, 1, True, True),
    (6, 96, None, 1, True, True),
]
_LARGE = [
    (1, 16, 3, 1, False, False),
    (4, 24, 3, 2, False, False),
    (3, 24, 3, 1, False, False),
    (3, 40, None, 2, True, False),
    (3, 40, None, 1, True, False),
    (3, 40, None, 1, True, False),
    (6, 80, 3, 2, False, True),
    (2.5, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True),
    (2.3, 80, 3, 1, False, True),
    (6, 112, 3, 1, True, True),
    (6, 112, 3, 1, True, True),
    (6, 160, None, 2, True, True),
    (6, 160, None, 1, True, True),
    (6, 160, None, 1, True, True),
]


def _mobilenet_v3(model_type: str, blocks: list, last_point_ch: int):
    def build(
        input_shape=None,
        alpha=1.0,
        minimalistic=False,
        include_top=True,
        weights="imagenet",
        input_tensor=None,
        classes=1000,
        pooling=None,
        dropout_rate=0.2,
        classifier_activation="softmax",
        include_preprocessing=True,
    ):
        def stack_fn(x, kernel, activation, se_ratio):
            for block_id, (expansion, filters, size, stride, se, act) in enumerate(blocks):
                x = _inverted_res_block(
                    x, expansion, _depth(filters * alpha), size or kernel, stride,
                    se_ratio if se else None, activation if act else relu, block_id,
                )  # fmt: skip
            return x

        return MobileNetV3(
            stack_fn, last_point_ch, input_shape, alpha, model_type, minimalistic,
            include_top, weights, input_tensor, classes, pooling, dropout_rate,
            classifier_activation, include_preprocessing,
        )  # fmt: skip

    name = f"MobileNetV3{model_type.capitalize()}"
    build.__name__ = build.__qualname__ = name
    build.__doc__ = f"""{name}.

    Args:
        input_shape: ``(rows, cols, 3)``, at least 32x32 (default: any size, or
            ``input_tensor``'s).
        alpha: the width multiplier of the blocks' filters.
        minimalistic: 3x3 kernels, ReLU and no squeeze and excitation.
        dropout_rate: the dropout before the classifier.
        include_preprocessing: scale pixels in ``[0, 255]`` to ``[-1, 1]`` first.
        include_top, weights, input_tensor, classes, pooling, classifier_activation: as
            ``VGG16``'s.
    """
    return build


MobileNetV3Small = _mobilenet_v3("small", _SMALL, 1024)
MobileNetV3Large = _mobilenet_v3("large", _LARGE, 1280)

__all__ = ["MobileNetV3Large", "MobileNetV3Small", "decode_predictions", "preprocess_input"]
