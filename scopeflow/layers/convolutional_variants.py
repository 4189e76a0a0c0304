"""``tf.layers.Conv3DTranspose`` and ``tf.layers.SeparableConv1D`` (and their functions), as
TF1's ``tf.layers`` (tf_keras's legacy layers) build them: the transposed 3-D convolution's
output shape computed from ``tf.shape(inputs)``, and the separable 1-D convolution as a 2-D
one over a height of one, with TF's variable and op names."""

from __future__ import annotations

from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.layers.base import InputSpec
from scopeflow.layers.convolutional import Conv3D, SeparableConv2D, layer_function
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.nn.conv3d import conv3d_transpose
from scopeflow.ops.nn.conv_nd import separable_conv2d


def _deconv_length(size, k: int, stride: int, padding: str):
    """tf_keras's ``deconv_output_length`` (no output padding): a size after a transposed
    convolution (an int, a tensor, or None for None)."""
    if size is None:
        return None
    if padding == "same":
        return size * stride
    return size * stride + max(k - stride, 0)


class Conv3DTranspose(Conv3D):
    """The transpose of ``Conv3D`` (``Conv3DBackpropInputV2``): kernel
    ``[depth, height, width, filters, in_channels]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 2, 3, 4, 5])
    ...     y = tf.layers.Conv3DTranspose(4, 3, strides=2, padding="same")(x)
    ...     print(y.name, y.shape.as_list(), tf.global_variables()[0].shape.as_list())
    conv3d_transpose/BiasAdd:0 [None, 4, 6, 8, 4] [3, 3, 3, 4, 5]
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1, 1),
        padding="valid",
        data_format="channels_last",
        activation=None,
        use_bias=True,
        **kwargs,
    ):
        if kwargs.pop("output_padding", None) is not None:
            raise NotImplementedError(
                "Conv3DTranspose(output_padding=...) is not supported: leave it None (the "
                "output size is then input * strides for 'same' padding)."
            )
        super().__init__(
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            activation=activation,
            use_bias=use_bias,
            **kwargs,
        )
        if self.dilation_rate != (1, 1, 1):
            raise NotImplementedError(
                "Conv3DTranspose(dilation_rate > 1) is not supported; use dilation_rate=1."
            )
        self.input_spec = InputSpec(min_ndim=5)

    def _input_channels(self, input_shape: TensorShape) -> int:
        if input_shape.ndims != 5:
            raise ValueError(f"Inputs should have rank 5, received input shape: {input_shape}")
        channels = super()._input_channels(input_shape)
        self.input_spec = InputSpec(min_ndim=5, axes={-1: channels})
        return channels

    def _kernel_shape(self, channels: int) -> tuple:
        return (*self.kernel_size, self.filters, channels)

    def _convolve(self, inputs):
        dynamic = array_shape(inputs)
        batch = dynamic[0]
        sizes = [dynamic[axis] for axis in (1, 2, 3)]
        sizes = [
            _deconv_length(size, k, s, self.padding)
            for size, k, s in zip(sizes, self.kernel_size, self.strides, strict=True)
        ]
        output_shape = stack([batch, *sizes, self.filters])
        outputs = conv3d_transpose(
            inputs,
            self.kernel,
            output_shape,
            [1, *self.strides, 1],
            padding=self.padding.upper(),
        )
        dims = inputs.shape.as_list()
        static = zip(dims[1:4], self.kernel_size, self.strides, strict=True)
        outputs.set_shape(
            [dims[0], *(_deconv_length(d, k, s, self.padding) for d, k, s in static), self.filters]
        )
        return outputs


class SeparableConv1D(SeparableConv2D):
    """A depthwise then a pointwise convolution over ``[batch, width, channels]``: variables
    ``depthwise_kernel`` ``[k, channels, depth_multiplier]``, ``pointwise_kernel``
    ``[1, channels * depth_multiplier, filters]``, ``bias``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.SeparableConv1D(8, 3)(tf.placeholder(tf.float32, [None, 10, 3]))
    ...     print(y.name, y.shape.as_list())
    separable_conv1d/Squeeze:0 [None, 8, 8]
    """

    rank = 1

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format="channels_last",
        dilation_rate=1,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        **kwargs,
    ):
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            depth_multiplier=depth_multiplier,
            activation=activation,
            use_bias=use_bias,
            **kwargs,
        )

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel",
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            dtype=self.dtype,
            trainable=True,
        )
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel",
            shape=(1, self.depth_multiplier * channels, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            dtype=self.dtype,
            trainable=True,
        )
        self._build_bias()
        self.built = True

    def call(self, inputs):
        # tf_keras's strides (1, s, s, 1): the height of one makes the second s harmless.
        stride = self.strides[0]
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        if self.padding == "causal":
            inputs = self._causal_pad(inputs)
        inputs = expand_dims(inputs, 1)
        depthwise = expand_dims(self.depthwise_kernel, 0)
        pointwise = expand_dims(self.pointwise_kernel, 0)
        outputs = separable_conv2d(
            inputs,
            depthwise,
            pointwise,
            [1, stride, stride, 1],
            padding,
            rate=[1, self.dilation_rate[0]],
        )
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        outputs = squeeze(outputs, [1])
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


conv3d_transpose_layer = layer_function(
    Conv3DTranspose, "conv3d_transpose", "``Conv3DTranspose(filters, kernel_size, ...)(inputs)``."
)
separable_conv1d_layer = layer_function(
    SeparableConv1D, "separable_conv1d", "``SeparableConv1D(filters, kernel_size, ...)(inputs)``."
)

__all__ = ["Conv3DTranspose", "SeparableConv1D"]
