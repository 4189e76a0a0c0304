"""``tf.keras.layers.Conv1DTranspose``, ``Conv3DTranspose``, ``SeparableConv1D`` and
``DepthwiseConv1D`` (and the ``Convolution*Transpose`` aliases), as TensorFlow's Keras
builds them: the same weights (names, shapes) and outputs, ``channels_last`` only.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(5, 3))
...     layer = tf.keras.layers.Conv1DTranspose(4, 3, strides=2, padding="same")
...     y = layer(x)
>>> y.shape.as_list(), [w.shape.as_list() for w in layer.weights]
([None, 10, 4], [[3, 4, 3], [4]])
"""

from __future__ import annotations

from scopeflow.keras import activations, backend, constraints, initializers, regularizers
from scopeflow.keras.engine import Layer
from scopeflow.keras.layer_signatures import (
    CONV1D_TRANSPOSE,
    CONV3D_TRANSPOSE,
    SEPARABLE_CONV1D,
    keras_parameters,
)
from scopeflow.keras.layers_extra import DepthwiseConv2D
from scopeflow.layers import convolutional as tf_conv
from scopeflow.layers import convolutional_variants as tf_variants
from scopeflow.layers.base import InputSpec
from scopeflow.layers.core import check_channels_last
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.nn.transposed import conv1d_transpose


def _no_output_padding(output_padding, name: str) -> None:
    if output_padding is not None:
        raise NotImplementedError(
            f"{name}(output_padding=...) is not supported: leave it None (the output size is "
            "then input * strides for 'same' padding, input * strides + max(kernel - strides, "
            "0) for 'valid')."
        )


@keras_parameters(*CONV1D_TRANSPOSE)
class Conv1DTranspose(Layer, tf_conv.Conv1D):
    """The transpose (gradient) of a 1-D convolution: kernel ``[width, filters,
    in_channels]``, output ``[batch, steps * strides (+ kernel - strides), filters]``."""

    def __init__(
        self, filters, kernel_size, strides=1, padding="valid", output_padding=None, **kwargs
    ):
        _no_output_padding(output_padding, "Conv1DTranspose")
        super().__init__(filters, kernel_size, strides=strides, padding=padding, **kwargs)
        if self.dilation_rate != (1,):
            raise NotImplementedError(
                "Conv1DTranspose(dilation_rate > 1) is not supported; use dilation_rate=1."
            )
        self.output_padding = None
        self.input_spec = InputSpec(ndim=3)

    def _input_channels(self, input_shape):
        if input_shape.ndims != 3:
            raise ValueError(f"Inputs should have rank 3. Received input_shape={input_shape}.")
        channels = super()._input_channels(input_shape)
        self.input_spec = InputSpec(ndim=3, axes={-1: channels})
        return channels

    def _kernel_shape(self, channels: int) -> tuple:
        return (*self.kernel_size, self.filters, channels)

    def _convolve(self, inputs):
        (k,), (stride,) = self.kernel_size, self.strides
        dynamic = array_shape(inputs)
        length = tf_variants._deconv_length(dynamic[1], k, stride, self.padding)
        outputs = conv1d_transpose(
            inputs,
            self.kernel,
            stack([dynamic[0], length, self.filters]),
            stride,
            padding=self.padding.upper(),
        )
        batch, steps = inputs.shape.as_list()[:2]
        steps = tf_variants._deconv_length(steps, k, stride, self.padding)
        outputs.set_shape([batch, steps, self.filters])
        return outputs


@keras_parameters(*CONV3D_TRANSPOSE)
class Conv3DTranspose(Layer, tf_variants.Conv3DTranspose):
    """The transpose of a 3-D convolution over NDHWC volumes: kernel ``[depth, height,
    width, filters, in_channels]``."""


@keras_parameters(*SEPARABLE_CONV1D)
class SeparableConv1D(Layer, tf_variants.SeparableConv1D):
    """A depthwise then a pointwise 1-D convolution (weights ``depthwise_kernel``,
    ``pointwise_kernel``, ``bias``)."""


class DepthwiseConv1D(DepthwiseConv2D):
    """Each input channel of ``[batch, steps, channels]`` convolved with its own
    ``depth_multiplier`` filters (weight ``depthwise_kernel`` ``[width, channels,
    depth_multiplier]``), plus ``bias``."""

    def __init__(
        self,
        kernel_size,
        strides=1,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        check_channels_last(data_format, "DepthwiseConv1D")
        single = lambda v: (v,) if isinstance(v, int) else tuple(v)  # noqa: E731
        self.kernel_size = single(kernel_size)
        self.strides = single(strides)
        self.dilation_rate = single(dilation_rate)
        if padding.lower() == "causal":  # tf_keras's check, for every layer but two
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        self.padding = padding.lower()
        self.depth_multiplier = depth_multiplier
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        channels = input_shape[-1].value
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs to `DepthwiseConv1D` should be defined. "
                f"The input_shape received is {input_shape}, where axis -1 (0-based) is the "
                "channel dimension, which found to be `None`."
            )
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.input_spec = InputSpec(ndim=3, axes={-1: channels})
        self.built = True

    def call(self, inputs):
        outputs = backend.depthwise_conv2d(
            expand_dims(inputs, 1),
            expand_dims(self.depthwise_kernel, 0),
            strides=(1, *self.strides),
            padding=self.padding,
            dilation_rate=(1, *self.dilation_rate),
        )
        if self.use_bias:  # on the 4-D result, then squeezed, as tf_keras
            outputs = backend.bias_add(outputs, self.bias)
        return self.activation(squeeze(outputs, [1]))


Convolution1DTranspose = Conv1DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D

__all__ = [
    "Conv1DTranspose",
    "Conv3DTranspose",
    "Convolution1DTranspose",
    "Convolution3DTranspose",
    "DepthwiseConv1D",
    "SeparableConv1D",
    "SeparableConvolution1D",
]
