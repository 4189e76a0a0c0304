"""What the slim nets share: the end-points dict built from an outputs collection, the
depth of a 4-D input (TF 1.15's ``convert_collection_to_dict`` and ``last_dimension``), the
ResNets' network, unit lists and head, the arg scope and squeezed end of AlexNet, OverFeat
and VGG, and AlexNet's and OverFeat's classifier head."""

from __future__ import annotations

from scopeflow.contrib.arg_scope import arg_scope
from scopeflow.contrib.layers import (
    batch_norm,
    conv2d,
    dropout,
    fully_connected,
    l2_regularizer,
    max_pool2d,
    softmax,
)
from scopeflow.contrib.slim.nets import resnet_utils
from scopeflow.framework.graph_api import get_collection
from scopeflow.ops.array.shape import squeeze
from scopeflow.ops.math.reduction import reduce_mean
from scopeflow.ops.nn.activation import relu
from scopeflow.variables.initializers import (
    constant_initializer,
    truncated_normal_initializer,
    zeros_initializer,
)
from scopeflow.variables.variable_scope import variable_scope


def collection_to_dict(collection: str) -> dict:
    """Each tensor of ``collection`` under each of its aliases (its op's name when it has
    none), in the order the collection holds them."""
    end_points = {}
    for tensor in get_collection(collection):
        aliases = getattr(tensor, "aliases", None)
        if aliases is None:
            name = tensor.name
            aliases = [name[:-2] if name.endswith(":0") else name]
        for alias in aliases:
            end_points[alias] = tensor
    return end_points


def depth_of(inputs) -> int:
    """The static channel count of a rank-4 (or higher) input.

    Raises:
        ValueError: the rank or the last dimension is not known, as TF's slim nets.
    """
    shape = inputs.get_shape()
    if shape.ndims is None:
        raise ValueError("last dimension shape must be known but is None")
    if shape.ndims < 4:
        raise ValueError(f"rank of shape must be at least 4 not: {shape.ndims}")
    depth = shape.as_list()[-1]
    if depth is None:
        raise ValueError(f"last dimension shape must be known but is None: {shape}")
    return depth


def bottleneck_units(base_depth: int, num_units: int, stride: int) -> list[dict]:
    """The arguments of a ResNet block's bottleneck units: ``4 * base_depth`` outputs, the
    stride on the last unit only."""
    unit = {"depth": base_depth * 4, "depth_bottleneck": base_depth}
    return [dict(unit, stride=1) for _ in range(num_units - 1)] + [dict(unit, stride=stride)]


# Units per block of the 50-, 101-, 152- and 200-layer ResNets (v1 and v2 alike).
RESNET_UNITS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}


def resnet(
    name: str, bottleneck, preact: bool, inputs, blocks, num_classes, is_training,
    global_pool, output_stride, include_root_block, reuse, scope,
):  # fmt: skip
    """``resnet_v1`` (``preact`` False) and ``resnet_v2`` (``preact``: a root convolution
    without normalization or activation, and ``postnorm`` after the blocks) over ``blocks``
    of ``bottleneck`` units, in the variable scope ``scope`` (default ``name``).

    Raises:
        ValueError: ``output_stride`` is not a multiple of 4 (with the root block).
    """
    with variable_scope(scope, name, [inputs], reuse=reuse) as sc:
        collection = sc.original_name_scope + "_end_points"
        with arg_scope(
            [conv2d, bottleneck, resnet_utils.stack_blocks_dense],
            outputs_collections=collection,
        ):
            with arg_scope([batch_norm], is_training=is_training):
                net = inputs
                if include_root_block:
                    if output_stride is not None:
                        if output_stride % 4 != 0:
                            raise ValueError("The output_stride needs to be a multiple of 4.")
                        output_stride /= 4
                    if preact:
                        with arg_scope([conv2d], activation_fn=None, normalizer_fn=None):
                            net = resnet_utils.conv2d_same(net, 64, 7, stride=2, scope="conv1")
                    else:
                        net = resnet_utils.conv2d_same(net, 64, 7, stride=2, scope="conv1")
                    net = max_pool2d(net, [3, 3], stride=2, scope="pool1")
                net = resnet_utils.stack_blocks_dense(net, blocks, output_stride)
                if preact:
                    net = batch_norm(net, activation_fn=relu, scope="postnorm")
                return resnet_head(net, collection, global_pool, num_classes)


def resnet_head(net, collection: str, global_pool: bool, num_classes):
    """A ResNet's end (v1 and v2 alike): a global mean pool (``pool5``), a 1x1 ``logits``
    convolution and ``predictions`` when ``num_classes`` is given; ``(net, end_points)``."""
    if global_pool:
        net = reduce_mean(net, [1, 2], name="pool5", keepdims=True)
    if num_classes is not None:
        net = conv2d(
            net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope="logits"
        )
    end_points = collection_to_dict(collection)
    if num_classes is not None:
        end_points["predictions"] = softmax(net, scope="predictions")
    return net, end_points


def sized_resnet(version: str, layers: int, resnet, block):
    """``resnet_<version>_<layers>``: ``resnet`` over the four ``block(scope, base_depth,
    num_units, stride)`` of that depth, with the root block."""

    def network(
        inputs,
        num_classes=None,
        is_training=True,
        global_pool=True,
        output_stride=None,
        reuse=None,
        scope=f"resnet_{version}_{layers}",
    ):
        blocks = [
            block(f"block{i}", base_depth=64 * 2 ** (i - 1), num_units=n, stride=s)
            for i, (n, s) in enumerate(
                zip(RESNET_UNITS[layers], (2, 2, 2, 1), strict=True), start=1
            )
        ]
        return resnet(
            inputs,
            blocks,
            num_classes,
            is_training,
            global_pool,
            output_stride,
            include_root_block=True,
            reuse=reuse,
            scope=scope,
        )

    network.__name__ = network.__qualname__ = f"resnet_{version}_{layers}"
    network.__doc__ = f"The {layers}-layer ResNet {version}; returns ``(net, end_points)``."
    network.default_image_size = 224
    return network


def classifier_head(net, spec, num_classes, is_training, dropout_keep_prob, stddev):
    """The fully connected layers of AlexNet and OverFeat as convolutions: ``fc6`` (kernel
    ``spec[1]``, VALID, ``spec[0]`` outputs) and ``fc7`` (4096 outputs), each followed by
    dropout, then ``fc8`` (no activation, zero biases); weights drawn from a truncated
    normal of ``stddev`` and biases 0.1 unless a scope says otherwise."""
    with arg_scope(
        [conv2d],
        weights_initializer=truncated_normal_initializer(0.0, stddev),
        biases_initializer=constant_initializer(0.1),
    ):
        net = conv2d(net, spec[0], spec[1], padding="VALID", scope="fc6")
        net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
        net = conv2d(net, 4096, [1, 1], scope="fc7")
        net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout7")
        return conv2d(
            net,
            num_classes,
            [1, 1],
            activation_fn=None,
            normalizer_fn=None,
            biases_initializer=zeros_initializer(),
            scope="fc8",
        )


def classic_arg_scope(weight_decay, biases_initializer, max_pool_padding=None):
    """The arg scope of AlexNet, OverFeat and VGG: ReLU, an L2 regularizer and
    ``biases_initializer`` for conv2d and fully_connected, SAME convolutions and, when
    given, ``max_pool_padding`` for max_pool2d."""
    with arg_scope(
        [conv2d, fully_connected],
        activation_fn=relu,
        weights_regularizer=l2_regularizer(weight_decay),
        biases_initializer=biases_initializer,
    ):
        with arg_scope([conv2d], padding="SAME") as scope:
            if max_pool_padding is None:
                return scope
            with arg_scope([max_pool2d], padding=max_pool_padding) as scope:
                return scope


def squeezed_end(net, collection: str, scope_name: str, spatial_squeeze):
    """The end of AlexNet, OverFeat and VGG: the end points of ``collection`` and, with
    ``spatial_squeeze``, ``net`` squeezed to ``[batch, classes]`` (``fc8/squeezed``, end
    point ``<scope_name>/fc8``); returns ``(net, end_points)``."""
    end_points = collection_to_dict(collection)
    if spatial_squeeze:
        net = squeeze(net, [1, 2], name="fc8/squeezed")
        end_points[scope_name + "/fc8"] = net
    return net, end_points
