"""``tf.contrib.slim.nets.resnet_utils``: what the ResNets of TF 1.15's slim share - the
``Block`` description, ``subsample``, ``conv2d_same`` (explicit padding before a strided
VALID convolution, so the output does not depend on the input's parity),
``stack_blocks_dense`` (with atrous rates for an ``output_stride``) and ``resnet_arg_scope``.
"""

from __future__ import annotations

import collections

from scopeflow.contrib.arg_scope import add_arg_scope, arg_scope
from scopeflow.contrib.layers import (
    batch_norm,
    conv2d,
    l2_regularizer,
    max_pool2d,
    variance_scaling_initializer,
)
from scopeflow.contrib.layers_core import collect_named_outputs
from scopeflow.framework.graph import GraphKeys
from scopeflow.ops.array.pad import pad
from scopeflow.ops.nn.activation import relu
from scopeflow.variables.variable_scope import variable_scope


class Block(collections.namedtuple("Block", ["scope", "unit_fn", "args"])):
    """One ResNet block: its scope name, the function making a unit, and one dict of that
    function's arguments (``depth``, ``depth_bottleneck``, ``stride``) per unit."""


def subsample(inputs, factor: int, scope: str | None = None):
    """``inputs`` itself for ``factor`` 1, else every ``factor``-th row and column (a 1x1
    max pool with that stride)."""
    if factor == 1:
        return inputs
    return max_pool2d(inputs, [1, 1], stride=factor, scope=scope)


def conv2d_same(inputs, num_outputs, kernel_size, stride, rate=1, scope=None):
    """A convolution that, at stride 1, is SAME-padded; at a larger stride, pads the input
    explicitly by the (dilated) kernel's extent and convolves VALID."""
    if stride == 1:
        return conv2d(
            inputs, num_outputs, kernel_size, stride=1, rate=rate, padding="SAME", scope=scope
        )
    extent = kernel_size + (kernel_size - 1) * (rate - 1)
    before = (extent - 1) // 2
    after = extent - 1 - before
    inputs = pad(inputs, [[0, 0], [before, after], [before, after], [0, 0]])
    return conv2d(
        inputs, num_outputs, kernel_size, stride=stride, rate=rate, padding="VALID", scope=scope
    )


@add_arg_scope
def stack_blocks_dense(net, blocks, output_stride=None, outputs_collections=None):
    """Runs ``blocks`` one after another (scopes ``<block.scope>/unit_<i>``). With an
    ``output_stride``, units past that stride run at stride 1 with a growing atrous rate.

    Raises:
        ValueError: ``output_stride`` cannot be reached with these blocks' strides.
    """
    stride_so_far = 1
    rate = 1
    for block in blocks:
        with variable_scope(block.scope, "block", [net]) as sc:
            for index, unit in enumerate(block.args, start=1):
                if output_stride is not None and stride_so_far > output_stride:
                    raise ValueError("The target output_stride cannot be reached.")
                with variable_scope(f"unit_{index}", values=[net]):
                    if output_stride is not None and stride_so_far == output_stride:
                        net = block.unit_fn(net, rate=rate, **dict(unit, stride=1))
                        rate *= unit.get("stride", 1)
                    else:
                        net = block.unit_fn(net, rate=1, **unit)
                        stride_so_far *= unit.get("stride", 1)
            net = collect_named_outputs(outputs_collections, sc.name, net)
    if output_stride is not None and stride_so_far != output_stride:
        raise ValueError("The target output_stride cannot be reached.")
    return net


def resnet_arg_scope(
    weight_decay: float = 0.0001,
    batch_norm_decay: float = 0.997,
    batch_norm_epsilon: float = 1e-5,
    batch_norm_scale: bool = True,
):
    """conv2d with an L2 regularizer, He initialization, ReLU and batch norm (these decay,
    epsilon and scale, moving averages in UPDATE_OPS); SAME max pooling."""
    norm_params = {
        "decay": batch_norm_decay,
        "epsilon": batch_norm_epsilon,
        "scale": batch_norm_scale,
        "updates_collections": GraphKeys.UPDATE_OPS,
    }
    with arg_scope(
        [conv2d],
        weights_regularizer=l2_regularizer(weight_decay),
        weights_initializer=variance_scaling_initializer(),
        activation_fn=relu,
        normalizer_fn=batch_norm,
        normalizer_params=norm_params,
    ):
        with arg_scope([batch_norm], **norm_params):
            with arg_scope([max_pool2d], padding="SAME") as scope:
                return scope
