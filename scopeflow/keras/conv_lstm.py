"""``tf.keras.layers.ConvLSTM1D``, ``ConvLSTM2D`` and ``ConvLSTM3D``: LSTMs whose input and
recurrent transformations are convolutions, over ``[batch, time, *spatial, channels]``.

Weights as TF's Keras names them, on the layer (``conv_lstm2d/kernel`` ``[*kernel_size,
channels, 4 filters]``, ``recurrent_kernel`` ``[*kernel_size, filters, 4 filters]``, ``bias``
``[4 filters]``, gates ``i, f, c, o``; ``unit_forget_bias`` starts the forget bias at one).
Each step: ``i, f, o = recurrent_activation(conv(x, W) + b + conv_same(h, R))``,
``c' = f c + i activation(...)``, ``h' = o activation(c')``, the input convolution with the
layer's strides, padding and dilation, the recurrent one stride 1 and ``same``. A
``tf.while_loop`` runs the steps. ``channels_last`` only, as scopeflow's Keras backend.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     layer = tf.keras.layers.ConvLSTM2D(3, (3, 3), padding="same")
...     y = layer(tf.keras.Input((4, 5, 5, 2)))
>>> [w.shape.as_list() for w in layer.weights], y.shape.as_list()
([[3, 3, 2, 12], [3, 3, 3, 12], [12]], [None, 5, 5, 3])
"""

from __future__ import annotations

from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import activations, backend, constraints, initializers, regularizers
from scopeflow.keras.backend_nn import conv1d, conv2d, conv3d
from scopeflow.keras.engine import Layer
from scopeflow.keras.recurrent import NO_BATCH_SIZE, RNN
from scopeflow.keras.serialization import config_value
from scopeflow.layers.base import InputSpec
from scopeflow.layers.utils import normalize_tuple
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, reverse, split
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.state.storage import assign

_CONVOLVE = {1: conv1d, 2: conv2d, 3: conv3d}


def _conv_length(length, kernel: int, padding: str, stride: int, dilation: int):
    if length is None:
        return None
    span = (kernel - 1) * dilation + 1
    kept = length if padding == "same" else length - span + 1
    return (kept + stride - 1) // stride


class _ConvLSTM(Layer):
    rank = 2

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="hard_sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        dropout=0.0,
        recurrent_dropout=0.0,
        **kwargs,
    ):
        name = type(self).__name__
        for arg, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if value:
                raise NotImplementedError(
                    f"{name}({arg}=...) is not supported; apply tf.keras.layers.Dropout to the "
                    "inputs or outputs instead."
                )
        if not kwargs.get("name"):  # TF's name, where its snake case would give conv_lst_m2d
            kwargs["name"] = backend.unique_object_name(f"conv_lstm{self.rank}d")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = padding.lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(
                f"The `padding` argument must be one of 'valid', 'same'. Received: {padding}"
            )
        self.data_format = data_format or "channels_last"
        if self.data_format != "channels_last":
            raise NotImplementedError(
                f"{name}(data_format={data_format!r}) is not supported: scopeflow takes "
                "channels_last inputs; tf.transpose channels-first ones."
            )
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self._state_variables = None
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.input_spec = InputSpec(ndim=self.rank + 3)

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        filters, base = self.filters, self.bias_initializer

        def initializer(shape, dtype=None, partition_info=None):
            ones = array_ops.ones([filters], dtype=dtype)
            return concat([base([filters], dtype=dtype), ones, base([2 * filters], dtype=dtype)], 0)

        return initializer

    def build(self, input_shape):
        shape = TensorShape(input_shape).as_list()
        channels = shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        self._spatial_out = [
            _conv_length(n, k, self.padding, s, d)
            for n, k, s, d in zip(
                shape[2:-1], self.kernel_size, self.strides, self.dilation_rate, strict=True
            )
        ]
        width = 4 * self.filters
        self.kernel = self.add_weight(
            "kernel",
            shape=(*self.kernel_size, channels, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel",
            shape=(*self.kernel_size, self.filters, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=(width,),
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        if self.stateful:  # zero state variables [batch, *spatial_out, filters], as an RNN's
            if shape[0] is None:
                raise ValueError(NO_BATCH_SIZE)
            dims = (shape[0], *self._spatial_out, self.filters)
            dtype = self.dtype or backend.floatx()
            self._state_variables = [backend.zeros(dims, dtype=dtype) for _ in range(2)]
        self.built = True

    @property
    def states(self) -> list:
        """A stateful layer's state variables ``[h, c]`` (once built); else ``[None, None]``."""
        return list(self._state_variables or [None, None])

    reset_states = RNN.reset_states

    def _input_conv(self, x, kernel, bias):
        out = _CONVOLVE[self.rank](
            x, kernel, self.strides, self.padding, dilation_rate=self.dilation_rate
        )
        return out if bias is None else bias_add(out, bias)

    def _recurrent_conv(self, h, kernel):
        return _CONVOLVE[self.rank](h, kernel, (1,) * self.rank, "same")

    def _step(self, x, h, c):
        kernels = split(self.kernel, 4, axis=-1)
        recurrent = split(self.recurrent_kernel, 4, axis=-1)
        biases = [None] * 4 if self.bias is None else split(self.bias, 4, axis=0)
        z = [
            self._input_conv(x, k, b) + self._recurrent_conv(h, r)
            for k, r, b in zip(kernels, recurrent, biases, strict=True)
        ]
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        return o * self.activation(c), c

    def get_initial_state(self, inputs) -> list:
        """Zero states ``[batch, *spatial_out, filters]``: the input convolution of zeros, as
        TF's Keras makes them."""
        first = zeros_like(inputs[:, 0])
        zero_kernel = array_ops.zeros([*self.kernel_size, inputs.shape[-1].value, self.filters])
        state = self._input_conv(first, zero_kernel, None)
        return [state, state]

    def call(self, inputs, initial_state=None, mask=None):
        if isinstance(inputs, list | tuple):
            inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
        if mask is not None:
            raise NotImplementedError(f"{type(self).__name__} with a mask is not supported.")
        states = list(initial_state) if initial_state is not None else None
        if states is not None and len(states) != 2:
            raise ValueError(
                f"Layer {self.name} expects 2 states, but it received {len(states)} initial states."
            )
        if states is None:
            states = self.states if self.stateful else self.get_initial_state(inputs)
        rank = inputs.shape.ndims
        order = [1, 0, *range(2, rank)]
        time_major = transpose(inputs, order)
        if self.go_backwards:
            time_major = reverse(time_major, [0])
        steps = array_ops.shape(time_major)[0]
        dtype = inputs.dtype.base_dtype
        sequence = TensorArray(dtype, size=steps).unstack(time_major)
        outputs = TensorArray(dtype, size=steps)

        def body(t, out, h, c):
            h, c = self._step(sequence.read(t), h, c)
            return t + 1, out.write(t, h), h, c

        _, out, h, c = while_loop(lambda t, *_: t < steps, body, [0, outputs, *states])
        batch = inputs.shape[0].value
        state_shape = [batch, *self._spatial_out, self.filters]
        h.set_shape(state_shape)
        c.set_shape(state_shape)
        if self.stateful:  # the next run starts from these states
            new = zip(self._state_variables, (h, c), strict=True)
            self.add_update([assign(v, s) for v, s in new])
        if self.return_sequences:
            result = transpose(out.stack(), order)
            result.set_shape([batch, inputs.shape[1].value, *state_shape[1:]])
        else:
            result = h
        return [result, h, c] if self.return_state else result

    def compute_mask(self, inputs, mask=None):
        return [None, None, None] if self.return_state else None

    def get_config(self) -> dict:
        rnn = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": False,
            "time_major": False,
        }
        own = {
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": self.activation,
            "recurrent_activation": self.recurrent_activation,
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_initializer,
            "recurrent_initializer": self.recurrent_initializer,
            "bias_initializer": self.bias_initializer,
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": self.kernel_regularizer,
            "recurrent_regularizer": self.recurrent_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "recurrent_constraint": self.recurrent_constraint,
            "bias_constraint": self.bias_constraint,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
        }
        own = {k: config_value(v) for k, v in own.items()}
        return {**super().get_config(), **rnn, **own}

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        for key in ("unroll", "time_major"):
            config.pop(key, None)
        return cls(**config)


class ConvLSTM1D(_ConvLSTM):
    """A convolutional LSTM over ``[batch, time, steps, channels]``."""

    rank = 1


class ConvLSTM2D(_ConvLSTM):
    """A convolutional LSTM over ``[batch, time, rows, cols, channels]``."""

    rank = 2


class ConvLSTM3D(_ConvLSTM):
    """A convolutional LSTM over ``[batch, time, depth, rows, cols, channels]``."""

    rank = 3


__all__ = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]
