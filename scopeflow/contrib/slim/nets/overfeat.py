"""``tf.contrib.slim.nets.overfeat``: OverFeat's accurate network as TF 1.15's slim built it
(fully connected layers as convolutions, ``fc8/squeezed``), with ``overfeat_arg_scope``.

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import overfeat
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [2, 231, 231, 3])
...     with tf.contrib.slim.arg_scope(overfeat.overfeat_arg_scope()):
...         logits, end_points = overfeat.overfeat(images, num_classes=10)
...     print(logits.name, logits.shape, list(end_points)[:2])
overfeat/fc8/squeezed:0 (2, 10) ['overfeat/conv1', 'overfeat/pool1']
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import conv2d, fully_connected, max_pool2d
from scopeflow.contrib.slim.nets._common import classic_arg_scope, classifier_head, squeezed_end
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import variable_scope


def overfeat_arg_scope(weight_decay: float = 0.0005):
    """ReLU, an L2 regularizer and zero biases for conv2d and fully_connected; SAME
    convolutions and VALID max pooling."""
    return classic_arg_scope(weight_decay, zeros_initializer(), "VALID")


def overfeat(
    inputs,
    num_classes: int = 1000,
    is_training: bool = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "overfeat",
):
    """OverFeat (231x231 inputs for a 1x1 output); returns ``(logits, end_points)``."""
    with variable_scope(scope, "overfeat", [inputs]) as sc:
        # TF 1.15's overfeat names its collection from the scope's name.
        collection = sc.name + "_end_points"
        with arg_scope([conv2d, fully_connected, max_pool2d], outputs_collections=collection):
            net = conv2d(inputs, 64, [11, 11], 4, padding="VALID", scope="conv1")
            net = max_pool2d(net, [2, 2], scope="pool1")
            net = conv2d(net, 256, [5, 5], padding="VALID", scope="conv2")
            net = max_pool2d(net, [2, 2], scope="pool2")
            net = conv2d(net, 512, [3, 3], scope="conv3")
            net = conv2d(net, 1024, [3, 3], scope="conv4")
            net = conv2d(net, 1024, [3, 3], scope="conv5")
            net = max_pool2d(net, [2, 2], scope="pool5")
            net = classifier_head(
                net, (3072, [6, 6]), num_classes, is_training, dropout_keep_prob, 0.005
            )
            return squeezed_end(net, collection, sc.name, spatial_squeeze)


overfeat.default_image_size = 231
