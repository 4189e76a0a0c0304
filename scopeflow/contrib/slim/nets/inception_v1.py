"""``tf.contrib.slim.nets.inception_v1``: Inception v1 (GoogLeNet) as TF 1.15's slim built it
(``inception_v1_base`` up to any end point, ``inception_v1`` with its logits,
``inception_v1_arg_scope``).

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import inception_v1
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [1, 224, 224, 3])
...     with tf.contrib.slim.arg_scope(inception_v1.inception_v1_arg_scope()):
...         logits, end_points = inception_v1.inception_v1(images, num_classes=10)
...     print(logits.name, end_points["Mixed_5c"].shape)
InceptionV1/Logits/SpatialSqueeze:0 (1, 7, 7, 1024)
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import (
    avg_pool2d,
    batch_norm,
    conv2d,
    dropout,
    fully_connected,
    max_pool2d,
    softmax,
)
from scopeflow.contrib.slim.nets._inception import (
    batch_norm_params,
    build,
    conv,
    inception_arg_scope,
    logits_conv,
    max_pool,
)
from scopeflow.framework.graph import GraphKeys
from scopeflow.variables.initializers import truncated_normal_initializer
from scopeflow.variables.variable_scope import variable_scope


def _mixed(a, b1, b2, c1, c2, d, c2_name="Conv2d_0b_3x3"):
    return [
        [conv("Conv2d_0a_1x1", a, 1)],
        [conv("Conv2d_0a_1x1", b1, 1), conv("Conv2d_0b_3x3", b2, 3)],
        [conv("Conv2d_0a_1x1", c1, 1), conv(c2_name, c2, 3)],
        [max_pool("MaxPool_0a_3x3", 3), conv("Conv2d_0b_1x1", d, 1)],
    ]


_PLAN = [
    ("Conv2d_1a_7x7", conv(None, 64, 7, stride=2)),
    ("MaxPool_2a_3x3", max_pool(None, 3, stride=2)),
    ("Conv2d_2b_1x1", conv(None, 64, 1)),
    ("Conv2d_2c_3x3", conv(None, 192, 3)),
    ("MaxPool_3a_3x3", max_pool(None, 3, stride=2)),
    ("Mixed_3b", _mixed(64, 96, 128, 16, 32, 32)),
    ("Mixed_3c", _mixed(128, 128, 192, 32, 96, 64)),
    ("MaxPool_4a_3x3", max_pool(None, 3, stride=2)),
    ("Mixed_4b", _mixed(192, 96, 208, 16, 48, 64)),
    ("Mixed_4c", _mixed(160, 112, 224, 24, 64, 64)),
    ("Mixed_4d", _mixed(128, 128, 256, 24, 64, 64)),
    ("Mixed_4e", _mixed(112, 144, 288, 32, 64, 64)),
    ("Mixed_4f", _mixed(256, 160, 320, 32, 128, 128)),
    ("MaxPool_5a_2x2", max_pool(None, 2, stride=2)),
    ("Mixed_5b", _mixed(256, 160, 320, 32, 128, 128, c2_name="Conv2d_0a_3x3")),
    ("Mixed_5c", _mixed(384, 192, 384, 48, 128, 128)),
]


def inception_v1_base(inputs, final_endpoint="Mixed_5c", scope="InceptionV1"):
    """Inception v1 from its input to ``final_endpoint``; returns ``(net, end_points)``.

    Raises:
        ValueError: ``final_endpoint`` is not one of the end points.
    """
    with variable_scope(scope, "InceptionV1", [inputs]):
        with arg_scope(
            [conv2d, fully_connected], weights_initializer=truncated_normal_initializer(0.0, 0.01)
        ):
            phases = [
                ({"ops": [conv2d, max_pool2d], "args": {"stride": 1, "padding": "SAME"}}, _PLAN)
            ]
            return build(inputs, phases, final_endpoint, lambda d: d)


def inception_v1(
    inputs,
    num_classes=1000,
    is_training=True,
    dropout_keep_prob=0.8,
    prediction_fn=softmax,
    spatial_squeeze=True,
    reuse=None,
    scope="InceptionV1",
):
    """Inception v1 with its logits (a 7x7 average pool, dropout and a 1x1 convolution);
    returns ``(logits, end_points)``."""
    with variable_scope(scope, "InceptionV1", [inputs, num_classes], reuse=reuse) as sc:
        with arg_scope([batch_norm, dropout], is_training=is_training):
            net, end_points = inception_v1_base(inputs, scope=sc)
            with variable_scope("Logits"):
                net = avg_pool2d(net, [7, 7], stride=1, scope="MaxPool_0a_7x7")
                net = dropout(net, dropout_keep_prob, scope="Dropout_0b")
                logits = logits_conv(net, num_classes, "Conv2d_0c_1x1", spatial_squeeze)
                end_points["Logits"] = logits
                end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v1.default_image_size = 224


def inception_v1_arg_scope(
    weight_decay=0.00004, use_batch_norm=True, batch_norm_var_collection="moving_vars"
):
    """An L2 regularizer for conv2d and fully_connected; He initialization, ReLU and (with
    ``use_batch_norm``) batch norm for conv2d."""
    if use_batch_norm:
        normalizer_fn = batch_norm
        normalizer_params = batch_norm_params(
            0.9997, 0.001, GraphKeys.UPDATE_OPS, batch_norm_var_collection
        )
    else:
        normalizer_fn, normalizer_params = None, {}
    return inception_arg_scope(weight_decay, normalizer_fn, normalizer_params)
