"""``tf.layers`` convolutions: ``Conv1D``, ``Conv2D``, ``Conv3D``, ``Conv2DTranspose`` and
``SeparableConv2D`` (and their functions), channels last, with TF1's variable and op names:
``conv2d/kernel``, ``conv2d/bias``, ``conv2d/Conv2D``, ``conv2d/BiasAdd``."""

from __future__ import annotations

import inspect

from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.layers.base import InputSpec, Layer
from scopeflow.layers.core import check_channels_last
from scopeflow.layers.utils import normalize_padding, normalize_tuple
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.pad import pad
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.nn.conv import conv2d, conv2d_transpose
from scopeflow.ops.nn.conv3d import conv3d
from scopeflow.ops.nn.conv_nd import conv1d, separable_conv2d
from scopeflow.ops.nn.dilated import convolution
from scopeflow.ops.nn.transposed import atrous_conv2d_transpose
from scopeflow.variables.initializers import zeros_initializer

_CONV_OPS = {1: ("Conv1D", conv1d), 2: ("Conv2D", conv2d), 3: ("Conv3D", conv3d)}


def check_strides_with_dilation(strides: tuple, dilation_rate: tuple) -> None:
    """tf_keras's check when a convolution layer is made: strides and dilation together are
    refused (TF's ValueError)."""
    if max(strides) > 1 and max(dilation_rate) > 1:
        raise ValueError(
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
            f"Received: strides={strides} and dilation_rate={dilation_rate}"
        )


class _Conv(Layer):
    """The convolution layers' common part: arguments, the kernel and bias, bias and
    activation after the convolution."""

    rank = 2

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format="channels_last",
        dilation_rate=1,
        activation=None,
        use_bias=True,
        kernel_initializer=None,
        bias_initializer=None,
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        check_channels_last(data_format, type(self).__name__)
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        causal = isinstance(padding, str) and padding.lower() == "causal"
        if causal and self.rank != 1:
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        self.padding = "causal" if causal else normalize_padding(padding)
        self.data_format = "channels_last"
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        check_strides_with_dilation(self.strides, self.dilation_rate)
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=self.rank + 2)

    def _input_channels(self, input_shape: TensorShape) -> int:
        channels = input_shape[-1].value
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. The input_shape "
                f"received is {input_shape}, where axis -1 (0-based) is the channel dimension, "
                "which found to be `None`."
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={-1: channels})
        return channels

    def _kernel_shape(self, channels: int) -> tuple:
        return (*self.kernel_size, channels, self.filters)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)  # a tuple or list too, as TF's
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight(
            "kernel",
            shape=self._kernel_shape(channels),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            dtype=self.dtype,
            trainable=True,
        )
        self._build_bias()
        self.built = True

    def _build_bias(self) -> None:
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(self.filters,),
                initializer=self.bias_initializer or zeros_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                dtype=self.dtype,
                trainable=True,
            )

    def _causal_pad(self, inputs):
        """tf_keras's causal padding: the time axis padded at its start by the filter's
        dilated reach, ``(kernel_size - 1) * dilation_rate`` (``Pad``), then a VALID
        convolution."""
        reach = (self.kernel_size[0] - 1) * self.dilation_rate[0]
        return pad(inputs, [[0, 0], [reach, 0], [0, 0]])

    def _convolve(self, inputs):
        name, op = _CONV_OPS[self.rank]
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        if any(r != 1 for r in self.dilation_rate):
            # as TF: SpaceToBatchND, the VALID convolution, BatchToSpaceND under ``Conv2D/``
            return convolution(
                inputs,
                self.kernel,
                padding,
                strides=self.strides,
                dilation_rate=self.dilation_rate,
                name=name,
            )
        if self.rank == 1:
            return op(
                inputs,
                self.kernel,
                self.strides[0],
                padding,
                dilations=self.dilation_rate[0],
                name=name,
            )
        return op(
            inputs,
            self.kernel,
            [1, *self.strides, 1],
            padding,
            dilations=[1, *self.dilation_rate, 1],
            name=name,
        )

    def call(self, inputs):
        if self.padding == "causal":
            inputs = self._causal_pad(inputs)
        outputs = self._convolve(inputs)
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


class Conv1D(_Conv):
    """1-D convolution over ``[batch, width, channels]`` (``tf.nn.conv1d``)."""

    rank = 1


class Conv2D(_Conv):
    """2-D convolution over NHWC images.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.Conv2D(8, 3, padding="same")(tf.placeholder(tf.float32, [None, 8, 8, 3]))
    ...     print(y.name, y.shape.as_list(), [v.name for v in tf.global_variables()])
    conv2d/BiasAdd:0 [None, 8, 8, 8] ['conv2d/kernel:0', 'conv2d/bias:0']
    """

    rank = 2


class Conv3D(_Conv):
    """3-D convolution over ``[batch, depth, height, width, channels]``."""

    rank = 3


class Conv2DTranspose(Conv2D):
    """The transpose of ``Conv2D`` (``Conv2DBackpropInput``): kernel
    ``[height, width, filters, in_channels]``; "same" padding multiplies the image size by
    ``strides``."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format="channels_last",
        activation=None,
        use_bias=True,
        **kwargs,
    ):
        if kwargs.pop("output_padding", None) is not None:
            raise NotImplementedError(
                "Conv2DTranspose(output_padding=...) is not supported: leave it None (the "
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
        self.input_spec = InputSpec(ndim=4)

    def _input_channels(self, input_shape: TensorShape) -> int:
        if input_shape.ndims != 4:
            raise ValueError(f"Inputs should have rank 4. Received input_shape={input_shape}")
        channels = super()._input_channels(input_shape)
        self.input_spec = InputSpec(ndim=4, axes={-1: channels})
        return channels

    def _kernel_shape(self, channels: int) -> tuple:
        return (*self.kernel_size, self.filters, channels)

    def _output_size(self, size, axis: int):
        """An image size after the layer (an int, a tensor, or None for None)."""
        if size is None:
            return None
        k, s = self.kernel_size[axis], self.strides[axis]
        k += (k - 1) * (self.dilation_rate[axis] - 1)  # the dilated kernel's reach
        return size * s if self.padding == "same" else size * s + max(k - s, 0)

    def _convolve(self, inputs):
        dynamic = array_shape(inputs)
        dims = inputs.shape.as_list()
        batch = dynamic[0]  # then the unknown image sizes, then the arithmetic, as tf_keras
        image = [dynamic[1 + a] if dims[1 + a] is None else dims[1 + a] for a in (0, 1)]
        sizes = [self._output_size(size, a) for a, size in enumerate(image)]
        output_shape = stack([batch, *sizes, self.filters])
        _ = output_shape[0]  # TF1's Keras backend reads the batch size back (strided_slice_1)
        rate = self.dilation_rate
        if rate == (1, 1):
            outputs = conv2d_transpose(
                inputs, self.kernel, output_shape, [1, *self.strides, 1], self.padding.upper()
            )
        elif rate[0] != rate[1]:  # tf_keras's backend, when called
            raise ValueError(
                "Expected the 2 dimensions of the `dilation_rate` argument to be equal to each "
                f"other. Received: dilation_rate={rate}"
            )
        else:  # strides are 1 (checked when made), as tf_keras's backend
            outputs = atrous_conv2d_transpose(
                inputs, self.kernel, output_shape, rate[0], self.padding.upper()
            )
        outputs.set_shape(
            [dims[0], *(self._output_size(dims[1 + a], a) for a in (0, 1)), self.filters]
        )
        return outputs


class SeparableConv2D(Conv2D):
    """A depthwise convolution (``depth_multiplier`` filters per input channel) then a 1x1
    convolution to ``filters`` channels: variables ``depthwise_kernel``,
    ``pointwise_kernel``, ``bias``."""

    def __init__(
        self,
        filters,
        kernel_size,
        strides=(1, 1),
        padding="valid",
        data_format="channels_last",
        dilation_rate=(1, 1),
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer=None,
        pointwise_initializer=None,
        bias_initializer=None,
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        trainable=True,
        name=None,
        **kwargs,
    ):
        super().__init__(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            use_bias=use_bias,
            bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint,
            trainable=trainable,
            name=name,
            **kwargs,
        )
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)  # a tuple or list too, as TF's
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
            shape=(1, 1, self.depth_multiplier * channels, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            dtype=self.dtype,
            trainable=True,
        )
        self._build_bias()
        self.built = True

    def _convolve(self, inputs):
        return separable_conv2d(
            inputs,
            self.depthwise_kernel,
            self.pointwise_kernel,
            [1, *self.strides, 1],
            self.padding.upper(),
            rate=self.dilation_rate,
        )


def layer_function(layer_class, public_name: str, doc: str):
    """The functional form of ``layer_class``: builds one and applies it to ``inputs``. Its
    parameters are TF's: ``inputs``, the class's (through ``name``), ``reuse``; a class that
    lists fewer of them takes the rest by keyword."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    own = [
        p
        for p in inspect.signature(layer_class.__init__).parameters.values()
        if p.name != "self" and p.kind == kind
    ]
    complete = "name" in {p.name for p in own}
    reuse_kind = kind if complete else inspect.Parameter.KEYWORD_ONLY  # not in TF's place
    params = [
        inspect.Parameter("inputs", kind),
        *own,
        inspect.Parameter("reuse", reuse_kind, default=None),
    ]
    if not complete:
        params.append(inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD))
    signature = inspect.Signature(params)

    def apply(*args, **kwargs) -> Tensor:
        try:
            arguments = signature.bind(*args, **kwargs).arguments
        except TypeError as e:
            raise TypeError(f"{public_name}() {e}") from None
        inputs, reuse = arguments.pop("inputs"), arguments.pop("reuse", None)
        arguments.update(arguments.pop("kwargs", {}))
        name = arguments.pop("name", None)
        layer = layer_class(**arguments, name=name, _scope=name, _reuse=reuse)
        return layer.apply(inputs)

    apply.__signature__ = signature
    apply.__doc__ = doc
    apply.__name__ = apply.__qualname__ = public_name
    return apply


conv1d_layer = layer_function(Conv1D, "conv1d", "``Conv1D(filters, kernel_size, ...)(inputs)``.")
conv2d_layer = layer_function(
    Conv2D,
    "conv2d",
    """``Conv2D(filters, kernel_size, ...)(inputs)`` in the variable scope ``name``
    (``conv2d``, ``conv2d_1``... by default).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.conv2d(tf.zeros([1, 8, 8, 3]), 4, 3, strides=2, padding="same")
    >>> y.name, y.shape.as_list()
    ('conv2d/BiasAdd:0', [1, 4, 4, 4])
    """,
)
conv3d_layer = layer_function(Conv3D, "conv3d", "``Conv3D(filters, kernel_size, ...)(inputs)``.")
conv2d_transpose_layer = layer_function(
    Conv2DTranspose, "conv2d_transpose", "``Conv2DTranspose(filters, kernel_size, ...)(inputs)``."
)
separable_conv2d_layer = layer_function(
    SeparableConv2D, "separable_conv2d", "``SeparableConv2D(filters, kernel_size, ...)(inputs)``."
)

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose", "Conv3D", "SeparableConv2D"]
