"""``tf.contrib.layers.separable_conv2d`` as TF 1.15's: a depthwise convolution
(``depthwise_weights`` ``[kh, kw, in, depth_multiplier]``) then a 1x1 one
(``pointwise_weights``), or with ``num_outputs=None`` the depthwise convolution alone, plus
``biases``, in the variable scope ``SeparableConv2d``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     y = tf.contrib.slim.separable_conv2d(tf.zeros([1, 8, 8, 3]), 5, [3, 3], 2)
...     print(y.name, y.shape, [v.op.name for v in tf.model_variables()])
SeparableConv2d/Relu:0 (1, 8, 8, 5) ['SeparableConv2d/depthwise_weights', \
'SeparableConv2d/pointwise_weights', 'SeparableConv2d/biases']
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import add_arg_scope
from scopeflow.contrib.framework import model_variable
from scopeflow.contrib.initializers import xavier_initializer
from scopeflow.contrib.layers_core import (
    WeightLayer,
    check_nhwc,
    check_rank4,
    layer_regularizer,
    pair,
    variable_collections,
)
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.nn.conv_nd import separable_conv2d as nn_separable_conv2d
from scopeflow.ops.nn.depthwise import depthwise_conv2d
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import variable_scope

_XAVIER = xavier_initializer()
_ZEROS = zeros_initializer()


@add_arg_scope
def separable_convolution2d(
    inputs,
    num_outputs,
    kernel_size,
    depth_multiplier=1,
    stride=1,
    padding="SAME",
    data_format="NHWC",
    rate=1,
    activation_fn=relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    pointwise_initializer=None,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
):
    """A depthwise-separable 2-D convolution (see the module's docstring)."""
    layer = WeightLayer.of(locals())
    check_nhwc(data_format, "separable_conv2d")
    kernel = pair(kernel_size, "kernel_size")
    strides = [1, *pair(stride, "strides"), 1]
    rates = pair(rate, "dilation_rate")
    padding = padding.upper()
    with variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        check_rank4(inputs, "SeparableConv2D", sc.name)
        dtype = inputs.dtype.base_dtype
        channels = inputs.shape[-1].value
        collections = variable_collections(variables_collections, "weights")
        separable = num_outputs is not None
        depthwise = model_variable(
            "depthwise_weights",
            shape=[*kernel, channels, depth_multiplier],
            dtype=dtype,
            initializer=weights_initializer,
            regularizer=layer_regularizer(weights_regularizer, "depthwise_kernel")
            if separable
            else weights_regularizer,
            collections=collections,
            trainable=trainable,
        )
        if separable:
            pointwise = model_variable(
                "pointwise_weights",
                shape=[1, 1, channels * depth_multiplier, num_outputs],
                dtype=dtype,
                initializer=pointwise_initializer or weights_initializer,
                regularizer=layer_regularizer(weights_regularizer, "pointwise_kernel"),
                collections=collections,
                trainable=trainable,
            )
        biases = None
        if not normalizer_fn and biases_initializer is not None:
            biases = model_variable(
                "biases",
                shape=[num_outputs if separable else channels * depth_multiplier],
                dtype=dtype,
                initializer=biases_initializer,
                regularizer=layer_regularizer(biases_regularizer, "bias")
                if separable
                else biases_regularizer,
                collections=variable_collections(variables_collections, "biases"),
                trainable=trainable,
            )
        if separable:
            outputs = nn_separable_conv2d(
                inputs, depthwise, pointwise, strides, padding, rate=rates
            )
        else:
            outputs = depthwise_conv2d(inputs, depthwise, strides, padding, rate=rates)
        return layer.finish(outputs, biases, sc)


separable_conv2d = separable_convolution2d

__all__ = ["separable_conv2d", "separable_convolution2d"]
