"""``tf.contrib.slim.nets.resnet_v2``: ResNet v2 (pre-activation bottlenecks) as TF 1.15's
slim built it: ``bottleneck``, ``resnet_v2`` over ``resnet_v2_block``s, and the 50-, 101-,
152- and 200-layer networks; use them under ``resnet_arg_scope()``.

>>> import scopeflow as tf
>>> from scopeflow.contrib.slim.nets import resnet_v2
>>> with tf.Graph().as_default():
...     images = tf.placeholder(tf.float32, [1, 64, 64, 3])
...     with tf.contrib.slim.arg_scope(resnet_v2.resnet_arg_scope()):
...         net, end_points = resnet_v2.resnet_v2_50(images, num_classes=5)
...     print(net.name, net.shape, end_points["predictions"].name)
resnet_v2_50/logits/BiasAdd:0 (1, 1, 1, 5) resnet_v2_50/predictions/Reshape_1:0
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import add_arg_scope
from scopeflow.contrib.layers import batch_norm, conv2d
from scopeflow.contrib.layers_core import collect_named_outputs
from scopeflow.contrib.slim.nets import resnet_utils
from scopeflow.contrib.slim.nets._common import (
    bottleneck_units,
    depth_of,
    resnet,
    sized_resnet,
)
from scopeflow.ops.nn.activation import relu
from scopeflow.variables.variable_scope import variable_scope

resnet_arg_scope = resnet_utils.resnet_arg_scope


@add_arg_scope
def bottleneck(
    inputs, depth, depth_bottleneck, stride, rate=1, outputs_collections=None, scope=None
):
    """A v2 bottleneck unit: batch norm and ReLU first (``preact``), then 1x1, 3x3 (strided,
    atrous at ``rate``) and 1x1 convolutions, the last without normalization or activation,
    added to the shortcut (the input subsampled, or a 1x1 projection of ``preact`` when the
    depth changes)."""
    with variable_scope(scope, "bottleneck_v2", [inputs]) as sc:
        depth_in = depth_of(inputs)
        preact = batch_norm(inputs, activation_fn=relu, scope="preact")
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, "shortcut")
        else:
            shortcut = conv2d(
                preact,
                depth,
                [1, 1],
                stride=stride,
                normalizer_fn=None,
                activation_fn=None,
                scope="shortcut",
            )
        residual = conv2d(preact, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = resnet_utils.conv2d_same(
            residual, depth_bottleneck, 3, stride, rate=rate, scope="conv2"
        )
        residual = conv2d(
            residual,
            depth,
            [1, 1],
            stride=1,
            normalizer_fn=None,
            activation_fn=None,
            scope="conv3",
        )
        output = shortcut + residual
        return collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v2(
    inputs,
    blocks,
    num_classes=None,
    is_training=True,
    global_pool=True,
    output_stride=None,
    include_root_block=True,
    reuse=None,
    scope=None,
):
    """A ResNet v2 over ``blocks``: a 7x7/2 root convolution (no normalization or
    activation) and 3x3/2 max pool, the blocks, batch norm and ReLU (``postnorm``), a global
    mean pool (``pool5``) and a 1x1 ``logits`` convolution with ``predictions``
    when ``num_classes`` is given. Returns ``(net, end_points)``.

    Raises:
        ValueError: ``output_stride`` is not a multiple of 4 (with the root block) or cannot
            be reached.
    """
    return resnet(
        "resnet_v2", bottleneck, True, inputs, blocks, num_classes, is_training, global_pool,
        output_stride, include_root_block, reuse, scope,
    )  # fmt: skip


resnet_v2.default_image_size = 224


def resnet_v2_block(scope: str, base_depth: int, num_units: int, stride: int):
    """A block of ``num_units`` v2 bottlenecks, strided by ``stride`` in its last unit."""
    return resnet_utils.Block(scope, bottleneck, bottleneck_units(base_depth, num_units, stride))


resnet_v2_50 = sized_resnet("v2", 50, resnet_v2, resnet_v2_block)
resnet_v2_101 = sized_resnet("v2", 101, resnet_v2, resnet_v2_block)
resnet_v2_152 = sized_resnet("v2", 152, resnet_v2, resnet_v2_block)
resnet_v2_200 = sized_resnet("v2", 200, resnet_v2, resnet_v2_block)
