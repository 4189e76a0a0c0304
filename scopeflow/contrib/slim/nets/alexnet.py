"""``tf.contrib.slim.nets.alexnet``: AlexNet v2 as TF 1.15's slim built it (one tower,
fully connected layers as convolutions, ``fc8/squeezed``), with ``alexnet_v2_arg_scope``.

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import alexnet
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [2, 224, 224, 3])
...     with tf.contrib.slim.arg_scope(alexnet.alexnet_v2_arg_scope()):
...         logits, end_points = alexnet.alexnet_v2(images, num_classes=10)
...     print(logits.name, logits.shape, list(end_points)[:2])
alexnet_v2/fc8/squeezed:0 (2, 10) ['alexnet_v2/conv1', 'alexnet_v2/pool1']
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import conv2d, fully_connected, max_pool2d
from scopeflow.contrib.slim.nets._common import classic_arg_scope, classifier_head, squeezed_end
from scopeflow.variables.initializers import constant_initializer
from scopeflow.variables.variable_scope import variable_scope


def alexnet_v2_arg_scope(weight_decay: float = 0.0005):
    """ReLU, biases of 0.1 and an L2 regularizer for conv2d and fully_connected; SAME
    convolutions and VALID max pooling."""
    return classic_arg_scope(weight_decay, constant_initializer(0.1), "VALID")


def alexnet_v2(
    inputs,
    num_classes: int = 1000,
    is_training: bool = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "alexnet_v2",
):
    """AlexNet v2 (224x224 inputs for a 1x1 output); returns ``(logits, end_points)``."""
    with variable_scope(scope, "alexnet_v2", [inputs]) as sc:
        collection = sc.original_name_scope + "_end_points"
        with arg_scope([conv2d, fully_connected, max_pool2d], outputs_collections=[collection]):
            net = conv2d(inputs, 64, [11, 11], 4, padding="VALID", scope="conv1")
            net = max_pool2d(net, [3, 3], 2, scope="pool1")
            net = conv2d(net, 192, [5, 5], scope="conv2")
            net = max_pool2d(net, [3, 3], 2, scope="pool2")
            net = conv2d(net, 384, [3, 3], scope="conv3")
            net = conv2d(net, 384, [3, 3], scope="conv4")
            net = conv2d(net, 256, [3, 3], scope="conv5")
            net = max_pool2d(net, [3, 3], 2, scope="pool5")
            net = classifier_head(
                net, (4096, [5, 5]), num_classes, is_training, dropout_keep_prob, 0.005
            )
            return squeezed_end(net, collection, sc.name, spatial_squeeze)


alexnet_v2.default_image_size = 224
