"""``tf.contrib.slim.nets.vgg``: the VGG networks A (11 layers), 16 and 19 as TF 1.15's slim
built them (fully connected layers as convolutions, ``fc8/squeezed``), with ``vgg_arg_scope``.

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import vgg
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [2, 224, 224, 3])
...     with tf.contrib.slim.arg_scope(vgg.vgg_arg_scope()):
...         logits, end_points = vgg.vgg_16(images, num_classes=10)
...     print(logits.name, logits.shape, list(end_points)[:2])
vgg_16/fc8/squeezed:0 (2, 10) ['vgg_16/conv1/conv1_1', 'vgg_16/conv1/conv1_2']
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import (
    conv2d,
    dropout,
    fully_connected,
    max_pool2d,
    repeat,
)
from scopeflow.contrib.slim.nets._common import classic_arg_scope, squeezed_end
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import variable_scope

# How many 3x3 convolutions each of the five stages repeats, per network.
_STAGES = {"vgg_a": (1, 1, 2, 2, 2), "vgg_16": (2, 2, 3, 3, 3), "vgg_19": (2, 2, 4, 4, 4)}
_WIDTHS = (64, 128, 256, 512, 512)


def vgg_arg_scope(weight_decay: float = 0.0005):
    """ReLU, an L2 regularizer and zero biases for conv2d and fully_connected; SAME padding
    for conv2d."""
    return classic_arg_scope(weight_decay, zeros_initializer())


def _vgg(kind, inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope):
    with variable_scope(scope, kind, [inputs]) as sc:
        # TF 1.15's vgg_19 names its collection from the scope's name, the others from its
        # name scope (which ends in '/').
        if kind == "vgg_19":
            collection = sc.name + "_end_points"
        else:
            collection = sc.original_name_scope + "_end_points"
        collected = (
            [conv2d, max_pool2d] if kind == "vgg_a" else [conv2d, fully_connected, max_pool2d]
        )
        with arg_scope(collected, outputs_collections=collection):
            net = inputs
            for stage, (count, width) in enumerate(
                zip(_STAGES[kind], _WIDTHS, strict=True), start=1
            ):
                net = repeat(net, count, conv2d, width, [3, 3], scope=f"conv{stage}")
                net = max_pool2d(net, [2, 2], scope=f"pool{stage}")
            net = conv2d(net, 4096, [7, 7], padding="VALID", scope="fc6")
            net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
            net = conv2d(net, 4096, [1, 1], scope="fc7")
            net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout7")
            net = conv2d(
                net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope="fc8"
            )
            return squeezed_end(net, collection, sc.name, spatial_squeeze)


def vgg_a(
    inputs,
    num_classes: int = 1000,
    is_training: bool = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "vgg_a",
):
    """VGG's 11-layer network A; returns ``(logits, end_points)``."""
    return _vgg(
        "vgg_a", inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope
    )


def vgg_16(
    inputs,
    num_classes: int = 1000,
    is_training: bool = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "vgg_16",
):
    """VGG's 16-layer network D; returns ``(logits, end_points)``."""
    return _vgg(
        "vgg_16", inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope
    )


def vgg_19(
    inputs,
    num_classes: int = 1000,
    is_training: bool = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "vgg_19",
):
    """VGG's 19-layer network E; returns ``(logits, end_points)``."""
    return _vgg(
        "vgg_19", inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze, scope
    )


vgg_a.default_image_size = 224
vgg_16.default_image_size = 224
vgg_19.default_image_size = 224
vgg_d = vgg_16
vgg_e = vgg_19
