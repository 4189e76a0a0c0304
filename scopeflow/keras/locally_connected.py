"""``tf.keras.layers.LocallyConnected1D`` and ``LocallyConnected2D``: convolutions whose
weights are not shared, one kernel matrix per output position (Keras's ``implementation=1``:
``kernel`` ``[positions, kernel_size * channels, filters]``, ``bias`` one per output entry),
computed with ``backend.local_conv1d``/``local_conv2d``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     layer = tf.keras.layers.LocallyConnected1D(4, 2, strides=2)
...     y = layer(tf.keras.Input((5, 3)))
>>> [(w.name, w.shape.as_list()) for w in layer.weights]
[('locally_connected1d/kernel:0', [2, 6, 4]), ('locally_connected1d/bias:0', [2, 4])]
>>> y.shape.as_list()
[None, 2, 4]
"""

from __future__ import annotations

from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import activations, constraints, initializers, regularizers
from scopeflow.keras.backend_extra import local_conv1d, local_conv2d
from scopeflow.keras.backend_nn import bias_add
from scopeflow.keras.engine import Layer
from scopeflow.keras.serialization import config_value
from scopeflow.layers.base import InputSpec
from scopeflow.layers.utils import normalize_tuple


def _output_length(length, kernel: int, stride: int):
    return None if length is None else (length - kernel) // stride + 1


class _LocallyConnected(Layer):
    rank = 1

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        implementation=1,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        name = type(self).__name__
        padding = padding.lower()
        if padding != "valid":
            raise ValueError(
                f'Invalid border mode for {name} (only "valid" is supported if implementation '
                f"is 1): {padding}"
            )
        if implementation != 1:
            raise NotImplementedError(
                f"{name}(implementation={implementation}) is not supported; implementation=1 "
                "computes the same values (its kernel has the shape implementation 1 gives)."
            )
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = padding
        self.data_format = data_format or "channels_last"
        if self.data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                'The `data_format` argument must be one of "channels_first", '
                f'"channels_last". Received: {data_format}'
            )
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.implementation = implementation
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def build(self, input_shape):
        shape = TensorShape(input_shape).as_list()
        if self.data_format == "channels_first":
            channels, spatial = shape[1], shape[2:]
        else:
            channels, spatial = shape[-1], shape[1:-1]
        if None in spatial or channels is None:
            raise ValueError(
                f"The spatial dimensions and channels of the inputs of {type(self).__name__} "
                f"must be defined. Found shape: {tuple(shape)}"
            )
        self.output_shape_ = tuple(
            _output_length(n, k, s)
            for n, k, s in zip(spatial, self.kernel_size, self.strides, strict=True)
        )
        positions = 1
        for n in self.output_shape_:
            positions *= n
        patch = channels
        for k in self.kernel_size:
            patch *= k
        self.kernel = self.add_weight(
            "kernel",
            shape=(positions, patch, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            if self.data_format == "channels_first":
                bias_shape = (self.filters, *self.output_shape_)
            else:
                bias_shape = (*self.output_shape_, self.filters)
            self.bias = self.add_weight(
                "bias",
                shape=bias_shape,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def _convolve(self, inputs):
        raise NotImplementedError

    def call(self, inputs):
        output = self._convolve(inputs)
        if self.use_bias:
            output = bias_add(output, self.bias)
        return self.activation(output) if self.activation is not None else output

    def get_config(self) -> dict:
        own = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "activation": self.activation,
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "bias_constraint": self.bias_constraint,
            "implementation": self.implementation,
        }
        own = {k: config_value(v) for k, v in own.items()}
        own["activation"] = own["activation"] or "linear"
        return {**super().get_config(), **own}


class LocallyConnected1D(_LocallyConnected):
    """``[batch, steps, channels]`` to ``[batch, new_steps, filters]``, each output step
    from its own kernel."""

    rank = 1

    def _convolve(self, inputs):
        return local_conv1d(inputs, self.kernel, self.kernel_size, self.strides, self.data_format)


class LocallyConnected2D(_LocallyConnected):
    """``[batch, rows, cols, channels]`` to ``[batch, new_rows, new_cols, filters]``, each
    output pixel from its own kernel."""

    rank = 2

    def _convolve(self, inputs):
        return local_conv2d(
            inputs,
            self.kernel,
            self.kernel_size,
            self.strides,
            self.output_shape_,
            self.data_format,
        )


__all__ = ["LocallyConnected1D", "LocallyConnected2D"]
