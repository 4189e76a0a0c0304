"""``tf.keras.layers.CuDNNLSTM`` and ``CuDNNGRU`` (TF1's ``tf.compat.v1.keras.layers``): the
layers whose weights are laid out for NVIDIA's cuDNN kernels, with cuDNN's equations.

TensorFlow runs them only on a GPU (its cuDNN op); here a ``tf.while_loop`` runs the same
equations on the CPU, so a model trained with them on a GPU loads and predicts the same:

- LSTM: ``i, f, o = sigmoid(x W + b_w + h R + b_r)`` (gates ``i, f, c, o`` in that order in
  ``kernel [input, 4 units]``, ``recurrent_kernel [units, 4 units]`` and the two biases in
  ``bias [8 units]``), ``c' = f c + i tanh(...)``, ``h' = o tanh(c')``; with
  ``unit_forget_bias`` the recurrent forget bias starts at one.
- GRU: gates ``z, r, h``; ``h~ = tanh(x W_h + b_wh + r (h R_h + b_rh))``,
  ``h' = z h + (1 - z) h~`` (Keras's ``GRU(reset_after=True)`` with sigmoid gates).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     layer = tf.keras.layers.CuDNNLSTM(3)
...     y = layer(tf.keras.Input((4, 5)))
>>> [w.name for w in layer.weights]
['cu_dnnlstm/kernel:0', 'cu_dnnlstm/recurrent_kernel:0', 'cu_dnnlstm/bias:0']
>>> [w.shape.as_list() for w in layer.weights]
[[5, 12], [3, 12], [24]]
"""

from __future__ import annotations

from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import arguments, constraints, initializers, regularizers
from scopeflow.keras.recurrent import RNN
from scopeflow.keras.serialization import config_value
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.matmul import matmul


class _Step:
    """One step of the layer's recurrence, on the layer's own weights (cuDNN layers keep
    them on the layer: ``cu_dnnlstm/kernel``, no cell scope)."""

    def __init__(self, layer, state_size):
        self.layer = layer
        self.state_size = state_size
        self.output_size = layer.units
        self.built = True

    def call(self, inputs, states):
        return self.layer._step(inputs, states)


class _CuDNNRNN(RNN):
    gates = 4

    def __init__(
        self,
        units,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
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
        **kwargs,
    ):
        self.units = int(units)
        sizes = [self.units, self.units] if self.gates == 4 else self.units
        super().__init__(
            _Step(self, sizes),
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        input_dim = shape[-1].value
        width = self.gates * self.units
        self.kernel = self.add_weight(
            "kernel",
            shape=(input_dim, width),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel",
            shape=(self.units, width),
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = self.add_weight(
            "bias",
            shape=(2 * width,),
            initializer=self._bias_initializer(),
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
        )
        if self.stateful:
            self._make_states(shape[0].value)
        self.built = True

    def _step(self, inputs, states):
        raise NotImplementedError

    def _own_config(self) -> dict:
        return {
            "units": self.units,
            "kernel_initializer": self.kernel_initializer,
            "recurrent_initializer": self.recurrent_initializer,
            "bias_initializer": self.bias_initializer,
        }

    def get_config(self) -> dict:
        base = {"name": self.name, "trainable": self.trainable}
        if self._batch_input_shape is not None:
            base["batch_input_shape"] = self._batch_input_shape
        base["dtype"] = None if self._dtype is None else self._dtype.name
        rnn = {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "time_major": self.time_major,
        }
        own = {
            **self._own_config(),
            "kernel_regularizer": self.kernel_regularizer,
            "recurrent_regularizer": self.recurrent_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "recurrent_constraint": self.recurrent_constraint,
            "bias_constraint": self.bias_constraint,
        }
        return {**base, **rnn, **{k: config_value(v) for k, v in own.items()}}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config.pop("time_major", None)
        return cls(**config)


@arguments.tf_positional(*arguments.CUDNN_LSTM)
class CuDNNLSTM(_CuDNNRNN):
    """An LSTM with cuDNN's weights and equations (sigmoid gates, two biases); states
    ``[h, c]``."""

    gates = 4

    def __init__(self, units, unit_forget_bias=True, **kwargs):
        self.unit_forget_bias = unit_forget_bias
        super().__init__(units, **kwargs)

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def initializer(shape, dtype=None, partition_info=None):
            ones = array_ops.ones([units], dtype=dtype)
            return concat([base([5 * units], dtype=dtype), ones, base([2 * units], dtype=dtype)], 0)

        return initializer

    def _step(self, inputs, states):
        h, c = states
        width = 4 * self.units
        z = matmul(inputs, self.kernel) + self.bias[:width]
        z += matmul(h, self.recurrent_kernel) + self.bias[width:]
        i, f, candidate, o = split(z, 4, axis=1)
        c = math_ops.sigmoid(f) * c + math_ops.sigmoid(i) * math_ops.tanh(candidate)
        h = math_ops.sigmoid(o) * math_ops.tanh(c)
        return h, [h, c]

    def _own_config(self) -> dict:
        return {**super()._own_config(), "unit_forget_bias": self.unit_forget_bias}


class CuDNNGRU(_CuDNNRNN):
    """A GRU with cuDNN's weights and equations (the reset gate on the recurrent product
    and its bias, two biases)."""

    gates = 3

    def _step(self, inputs, states):
        h = states[0] if isinstance(states, list | tuple) else states
        width = 3 * self.units
        x_z, x_r, x_h = split(matmul(inputs, self.kernel) + self.bias[:width], 3, axis=1)
        r_z, r_r, r_h = split(matmul(h, self.recurrent_kernel) + self.bias[width:], 3, axis=1)
        z = math_ops.sigmoid(x_z + r_z)
        r = math_ops.sigmoid(x_r + r_r)
        candidate = math_ops.tanh(x_h + r * r_h)
        h = z * h + (1 - z) * candidate
        return h, [h]


__all__ = ["CuDNNGRU", "CuDNNLSTM"]
