"""``tf.contrib.slim.nets.inception_v2``: Inception v2 (batch-normalized Inception) as TF
1.15's slim built it (``inception_v2_base`` up to any end point with a depth multiplier,
``inception_v2`` with its logits, ``inception_v2_arg_scope``).

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import inception_v2
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [1, 224, 224, 3])
...     with tf.contrib.slim.arg_scope(inception_v2.inception_v2_arg_scope()):
...         logits, end_points = inception_v2.inception_v2(images, num_classes=10)
...     print(logits.name, end_points["Mixed_5c"].shape)
InceptionV2/Logits/SpatialSqueeze:0 (1, 7, 7, 1024)
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import (
    avg_pool2d,
    batch_norm,
    conv2d,
    dropout,
    max_pool2d,
    separable_conv2d,
    softmax,
)
from scopeflow.contrib.slim.nets._inception import (
    avg_pool,
    batch_norm_params,
    build,
    conv,
    depth_function,
    inception_arg_scope,
    max_pool,
    pooled_logits,
    separable,
)
from scopeflow.framework.graph import GraphKeys
from scopeflow.variables.variable_scope import variable_scope


def _mixed(a, b1, b2, c1, c2, d, pool=avg_pool, pool_name="AvgPool_0a_3x3"):
    return [
        [conv("Conv2d_0a_1x1", a, 1)],
        [conv("Conv2d_0a_1x1", b1, 1, stddev=0.09), conv("Conv2d_0b_3x3", b2, 3)],
        [
            conv("Conv2d_0a_1x1", c1, 1, stddev=0.09),
            conv("Conv2d_0b_3x3", c2, 3),
            conv("Conv2d_0c_3x3", c2, 3),
        ],
        [pool(pool_name, 3), conv("Conv2d_0b_1x1", d, 1, stddev=0.1)],
    ]


def _reduction(a1, a2, b1, b2):
    return [
        [conv("Conv2d_0a_1x1", a1, 1, stddev=0.09), conv("Conv2d_1a_3x3", a2, 3, stride=2)],
        [
            conv("Conv2d_0a_1x1", b1, 1, stddev=0.09),
            conv("Conv2d_0b_3x3", b2, 3),
            conv("Conv2d_1a_3x3", b2, 3, stride=2),
        ],
        [max_pool("MaxPool_1a_3x3", 3, stride=2)],
    ]


_PLAN = [
    (
        "Conv2d_1a_7x7",
        separable(
            None, 64, 7, stride=2, stddev=1.0, depth_multiplier=lambda d: min(int(d(64) / 3), 8)
        ),
    ),
    ("MaxPool_2a_3x3", max_pool(None, 3, stride=2)),
    ("Conv2d_2b_1x1", conv(None, 64, 1, stddev=0.1)),
    ("Conv2d_2c_3x3", conv(None, 192, 3)),
    ("MaxPool_3a_3x3", max_pool(None, 3, stride=2)),
    ("Mixed_3b", _mixed(64, 64, 64, 64, 96, 32)),
    ("Mixed_3c", _mixed(64, 64, 96, 64, 96, 64)),
    ("Mixed_4a", _reduction(128, 160, 64, 96)),
    ("Mixed_4b", _mixed(224, 64, 96, 96, 128, 128)),
    ("Mixed_4c", _mixed(192, 96, 128, 96, 128, 128)),
    ("Mixed_4d", _mixed(160, 128, 160, 128, 160, 96)),
    ("Mixed_4e", _mixed(96, 128, 192, 160, 192, 96)),
    ("Mixed_5a", _reduction(128, 192, 192, 256)),
    ("Mixed_5b", _mixed(352, 192, 320, 160, 224, 128)),
    ("Mixed_5c", _mixed(352, 192, 320, 192, 224, 128, max_pool, "MaxPool_0a_3x3")),
]


def inception_v2_base(
    inputs, final_endpoint="Mixed_5c", min_depth=16, depth_multiplier=1.0, scope=None
):
    """Inception v2 from its input to ``final_endpoint``; returns ``(net, end_points)``.

    Raises:
        ValueError: ``depth_multiplier`` is not positive, or ``final_endpoint`` unknown.
    """
    depth = depth_function(depth_multiplier, min_depth)
    with variable_scope(scope, "InceptionV2", [inputs]):
        defaults = {
            "ops": [conv2d, max_pool2d, avg_pool2d, separable_conv2d],
            "args": {"stride": 1, "padding": "SAME"},
        }
        return build(inputs, [(defaults, _PLAN)], final_endpoint, depth)


def inception_v2(
    inputs,
    num_classes=1000,
    is_training=True,
    dropout_keep_prob=0.8,
    min_depth=16,
    depth_multiplier=1.0,
    prediction_fn=softmax,
    spatial_squeeze=True,
    reuse=None,
    scope="InceptionV2",
):
    """Inception v2 with its logits; returns ``(logits, end_points)``.

    Raises:
        ValueError: ``depth_multiplier`` is not positive.
    """
    depth_function(depth_multiplier, min_depth)
    with variable_scope(scope, "InceptionV2", [inputs, num_classes], reuse=reuse) as sc:
        with arg_scope([batch_norm, dropout], is_training=is_training):
            net, end_points = inception_v2_base(
                inputs, scope=sc, min_depth=min_depth, depth_multiplier=depth_multiplier
            )
            logits = pooled_logits(
                net, end_points, [7, 7], num_classes, dropout_keep_prob, spatial_squeeze, False
            )
            end_points["Logits"] = logits
            end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v2.default_image_size = 224


def inception_v2_arg_scope(weight_decay=0.00004, batch_norm_var_collection="moving_vars"):
    """An L2 regularizer for conv2d and fully_connected; He initialization, ReLU and batch
    norm for conv2d (not for the separable stem, as in TF)."""
    params = batch_norm_params(0.9997, 0.001, GraphKeys.UPDATE_OPS, batch_norm_var_collection)
    return inception_arg_scope(weight_decay, batch_norm, params)
