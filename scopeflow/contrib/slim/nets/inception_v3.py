"""``tf.contrib.slim.nets.inception_v3``: Inception v3 as TF 1.15's slim built it
(``inception_v3_base`` up to any end point, ``inception_v3`` with its auxiliary head and
logits, ``inception_v3_arg_scope``), TF's scope names included - its odd ones too
(``Mixed_5c/Branch_1/Conv_1_0c_5x5``, a 3x3 ``Mixed_6a/Branch_0/Conv2d_1a_1x1``).

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import inception_v3
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [1, 299, 299, 3])
...     with tf.contrib.slim.arg_scope(inception_v3.inception_v3_arg_scope()):
...         logits, end_points = inception_v3.inception_v3(images, num_classes=10)
...     print(logits.name, end_points["Mixed_7c"].shape, end_points["AuxLogits"].shape)
InceptionV3/Logits/SpatialSqueeze:0 (1, 8, 8, 2048) (1, 10)
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import (
    avg_pool2d,
    batch_norm,
    conv2d,
    dropout,
    max_pool2d,
    softmax,
)
from scopeflow.contrib.slim.nets._inception import (
    avg_pool,
    batch_norm_params,
    build,
    conv,
    depth_function,
    fork,
    inception_arg_scope,
    logits_conv,
    max_pool,
    pooled_logits,
    reduced_kernel,
)
from scopeflow.framework.graph import GraphKeys
from scopeflow.variables.initializers import truncated_normal_initializer
from scopeflow.variables.variable_scope import variable_scope


def _pool_branch(width):
    return [avg_pool("AvgPool_0a_3x3", 3), conv("Conv2d_0b_1x1", width, 1)]


def _mixed_5(width, second_names=("Conv2d_0a_1x1", "Conv2d_0b_5x5")):
    return [
        [conv("Conv2d_0a_1x1", 64, 1)],
        [conv(second_names[0], 48, 1), conv(second_names[1], 64, 5)],
        [conv("Conv2d_0a_1x1", 64, 1), conv("Conv2d_0b_3x3", 96, 3), conv("Conv2d_0c_3x3", 96, 3)],
        _pool_branch(width),
    ]


def _mixed_6(width):
    return [
        [conv("Conv2d_0a_1x1", 192, 1)],
        [
            conv("Conv2d_0a_1x1", width, 1),
            conv("Conv2d_0b_1x7", width, [1, 7]),
            conv("Conv2d_0c_7x1", 192, [7, 1]),
        ],
        [
            conv("Conv2d_0a_1x1", width, 1),
            conv("Conv2d_0b_7x1", width, [7, 1]),
            conv("Conv2d_0c_1x7", width, [1, 7]),
            conv("Conv2d_0d_7x1", width, [7, 1]),
            conv("Conv2d_0e_1x7", 192, [1, 7]),
        ],
        _pool_branch(192),
    ]


def _mixed_7(branch_1_second: str):
    return [
        [conv("Conv2d_0a_1x1", 320, 1)],
        [
            conv("Conv2d_0a_1x1", 384, 1),
            fork(conv("Conv2d_0b_1x3", 384, [1, 3]), conv(branch_1_second, 384, [3, 1])),
        ],
        [
            conv("Conv2d_0a_1x1", 448, 1),
            conv("Conv2d_0b_3x3", 384, 3),
            fork(conv("Conv2d_0c_1x3", 384, [1, 3]), conv("Conv2d_0d_3x1", 384, [3, 1])),
        ],
        _pool_branch(192),
    ]


_STEM = [
    ("Conv2d_1a_3x3", conv(None, 32, 3, stride=2)),
    ("Conv2d_2a_3x3", conv(None, 32, 3)),
    ("Conv2d_2b_3x3", conv(None, 64, 3, padding="SAME")),
    ("MaxPool_3a_3x3", max_pool(None, 3, stride=2)),
    ("Conv2d_3b_1x1", conv(None, 80, 1)),
    ("Conv2d_4a_3x3", conv(None, 192, 3)),
    ("MaxPool_5a_3x3", max_pool(None, 3, stride=2)),
]
_MIXED = [
    ("Mixed_5b", _mixed_5(32)),
    ("Mixed_5c", _mixed_5(64, ("Conv2d_0b_1x1", "Conv_1_0c_5x5"))),
    ("Mixed_5d", _mixed_5(64)),
    (
        "Mixed_6a",
        [
            [conv("Conv2d_1a_1x1", 384, 3, stride=2, padding="VALID")],
            [
                conv("Conv2d_0a_1x1", 64, 1),
                conv("Conv2d_0b_3x3", 96, 3),
                conv("Conv2d_1a_1x1", 96, 3, stride=2, padding="VALID"),
            ],
            [max_pool("MaxPool_1a_3x3", 3, stride=2, padding="VALID")],
        ],
    ),
    ("Mixed_6b", _mixed_6(128)),
    ("Mixed_6c", _mixed_6(160)),
    ("Mixed_6d", _mixed_6(160)),
    ("Mixed_6e", _mixed_6(192)),
    (
        "Mixed_7a",
        [
            [
                conv("Conv2d_0a_1x1", 192, 1),
                conv("Conv2d_1a_3x3", 320, 3, stride=2, padding="VALID"),
            ],
            [
                conv("Conv2d_0a_1x1", 192, 1),
                conv("Conv2d_0b_1x7", 192, [1, 7]),
                conv("Conv2d_0c_7x1", 192, [7, 1]),
                conv("Conv2d_1a_3x3", 192, 3, stride=2, padding="VALID"),
            ],
            [max_pool("MaxPool_1a_3x3", 3, stride=2, padding="VALID")],
        ],
    ),
    ("Mixed_7b", _mixed_7("Conv2d_0b_3x1")),
    ("Mixed_7c", _mixed_7("Conv2d_0c_3x1")),
]


def inception_v3_base(
    inputs, final_endpoint="Mixed_7c", min_depth=16, depth_multiplier=1.0, scope=None
):
    """Inception v3 from its input to ``final_endpoint``; returns ``(net, end_points)``.

    Raises:
        ValueError: ``depth_multiplier`` is not positive, or ``final_endpoint`` unknown.
    """
    depth = depth_function(depth_multiplier, min_depth)
    with variable_scope(scope, "InceptionV3", [inputs]):
        phases = [
            ({"args": {"stride": 1, "padding": "VALID"}}, _STEM),
            ({"args": {"stride": 1, "padding": "SAME"}}, _MIXED),
        ]
        return build(inputs, phases, final_endpoint, depth)


def _aux_logits(net, depth, num_classes, spatial_squeeze):
    with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding="SAME"):
        with variable_scope("AuxLogits"):
            net = avg_pool2d(net, [5, 5], stride=3, padding="VALID", scope="AvgPool_1a_5x5")
            net = conv2d(net, depth(128), [1, 1], scope="Conv2d_1b_1x1")
            kernel = reduced_kernel(net, [5, 5])
            net = conv2d(
                net,
                depth(768),
                kernel,
                weights_initializer=truncated_normal_initializer(0.0, 0.01),
                padding="VALID",
                scope="Conv2d_2a_{}x{}".format(*kernel),
            )
            return logits_conv(
                net,
                num_classes,
                "Conv2d_2b_1x1",
                spatial_squeeze,
                weights_initializer=truncated_normal_initializer(0.0, 0.001),
            )


def inception_v3(
    inputs,
    num_classes=1000,
    is_training=True,
    dropout_keep_prob=0.8,
    min_depth=16,
    depth_multiplier=1.0,
    prediction_fn=softmax,
    spatial_squeeze=True,
    reuse=None,
    create_aux_logits=True,
    scope="InceptionV3",
):
    """Inception v3 with its auxiliary head (on ``Mixed_6e``) and logits; returns
    ``(logits, end_points)``.

    Raises:
        ValueError: ``depth_multiplier`` is not positive.
    """
    depth = depth_function(depth_multiplier, min_depth)
    with variable_scope(scope, "InceptionV3", [inputs, num_classes], reuse=reuse) as sc:
        with arg_scope([batch_norm, dropout], is_training=is_training):
            net, end_points = inception_v3_base(
                inputs, scope=sc, min_depth=min_depth, depth_multiplier=depth_multiplier
            )
            if create_aux_logits and num_classes:
                end_points["AuxLogits"] = _aux_logits(
                    end_points["Mixed_6e"], depth, num_classes, spatial_squeeze
                )
            logits = pooled_logits(
                net, end_points, [8, 8], num_classes, dropout_keep_prob, spatial_squeeze, True
            )
            end_points["Logits"] = logits
            end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v3.default_image_size = 299


def inception_v3_arg_scope(
    weight_decay=0.00004,
    batch_norm_var_collection="moving_vars",
    batch_norm_decay=0.9997,
    batch_norm_epsilon=0.001,
    updates_collections=GraphKeys.UPDATE_OPS,
    use_fused_batchnorm=True,
):
    """An L2 regularizer for conv2d and fully_connected; He initialization, ReLU and batch
    norm (moving statistics in ``batch_norm_var_collection``) for conv2d."""
    params = batch_norm_params(
        batch_norm_decay,
        batch_norm_epsilon,
        updates_collections,
        batch_norm_var_collection,
        fused=use_fused_batchnorm,
    )
    return inception_arg_scope(weight_decay, batch_norm, params)
