"""``tf.keras.layers.SimpleRNN``, ``LSTM`` and ``GRU``, as TF1.15's Keras builds them in graph
mode: the weights of the layer's cell (``lstm/lstm_cell/kernel``, ``recurrent_kernel``,
``bias``; checkpointed under ``cell/``), a ``tf.while_loop`` over the time steps of
``[batch, time, features]`` inputs from zero states, and the last output (or, with
``return_sequences``, every step's). ``LSTM`` and ``GRU`` are TF1.15's v1 layers:
``hard_sigmoid`` gates, the forget gate's bias starting at one, ``GRU``'s reset gate before
the recurrent product (``reset_after=False``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.Sequential([tf.keras.layers.LSTM(3, input_shape=(5, 2))])
>>> [w.name for w in model.weights]
['lstm/lstm_cell/kernel:0', 'lstm/lstm_cell/recurrent_kernel:0', 'lstm/lstm_cell/bias:0']
>>> model.outputs[0].shape.as_list()
[None, 3]
"""

from __future__ import annotations

from scopeflow.framework.graph_api import name_scope
from scopeflow.keras import activations, initializers, regularizers
from scopeflow.keras.engine import Layer
from scopeflow.layers.base import InputSpec, to_snake_case
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, reverse, split
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add


class _Cell:
    """The weights of a recurrent layer's cell (what Keras checkpoints as ``cell``)."""

    def __init__(self, name: str, tracked_lists: tuple = ()):
        self.name = name
        self.weights: list = []
        self._tracked_lists = tracked_lists  # an LSTM cell's state_size list is checkpointed


class _Recurrent(Layer):
    gates = 1
    state_count = 1

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="hard_sigmoid",
        use_bias=True,
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
        dropout=0.0,
        recurrent_dropout=0.0,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        **kwargs,
    ):
        for name, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if value:
                raise NotImplementedError(
                    f"{type(self).__name__}({name}=...) is not supported; apply "
                    "tf.keras.layers.Dropout to the inputs or outputs instead."
                )
        if stateful:
            raise NotImplementedError(
                f"{type(self).__name__}(stateful=True) is not supported; carry the state "
                "with return_state=True and tf.nn.dynamic_rnn's initial_state."
            )
        kwargs.pop("implementation", None)
        kwargs.pop("unit_forget_bias", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.constraints = (kernel_constraint, recurrent_constraint, bias_constraint)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.input_spec = InputSpec(ndim=3)
        name = to_snake_case(type(self).__name__) + "_cell"
        self.cell = _Cell(name, ("state_size",) if self.state_count > 1 else ())

    def build(self, input_shape):
        features = input_shape[-1].value
        width = self.gates * self.units
        with name_scope(self.cell.name):
            self.kernel = self.add_weight(
                "kernel",
                shape=(features, width),
                initializer=self.kernel_initializer,
                regularizer=self.kernel_regularizer,
                constraint=self.constraints[0],
            )
            self.recurrent_kernel = self.add_weight(
                "recurrent_kernel",
                shape=(self.units, width),
                initializer=self.recurrent_initializer,
                regularizer=self.recurrent_regularizer,
                constraint=self.constraints[1],
            )
            self.bias = None
            if self.use_bias:
                self.bias = self.add_weight(
                    "bias",
                    shape=(width,),
                    initializer=self._bias_initializer(),
                    regularizer=self.bias_regularizer,
                    constraint=self.constraints[2],
                )
        self.cell.weights = [
            w for w in (self.kernel, self.recurrent_kernel, self.bias) if w is not None
        ]
        self.built = True

    def _bias_initializer(self):
        return self.bias_initializer

    def _states(self, batch, dtype) -> list:
        zeros = array_ops.zeros(array_ops.stack([batch, self.units]), dtype)
        return [zeros] * self.state_count

    def step(self, x, states: list):
        """One time step: ``(output, new states)``."""
        raise NotImplementedError

    def call(self, inputs, initial_state=None):
        dtype = inputs.dtype.base_dtype
        states = list(initial_state) if initial_state is not None else None
        if states is None:
            states = self._states(array_ops.shape(inputs)[0], dtype)
        steps = array_ops.shape(inputs)[1]
        time_major = transpose(inputs, [1, 0, 2])
        if self.go_backwards:
            time_major = reverse(time_major, [0])
        sequence = TensorArray(dtype, size=steps).unstack(time_major)
        outputs = TensorArray(dtype, size=steps)

        def body(t, out, *carried):
            output, new = self.step(sequence.read(t), list(carried))
            return (t + 1, out.write(t, output), *new)

        loop = while_loop(lambda t, *_: t < steps, body, [0, outputs, *states])
        final_states = list(loop[2:])
        for state in final_states:
            state.set_shape([inputs.shape[0], self.units])
        if self.return_sequences:
            result = transpose(loop[1].stack(), [1, 0, 2])
            result.set_shape([inputs.shape[0], inputs.shape[1], self.units])
        else:
            result = final_states[0]
        return [result, *final_states] if self.return_state else result

    def _inputs_times_kernel(self, x):
        z = matmul(x, self.kernel)
        return bias_add(z, self.bias) if self.use_bias else z


class SimpleRNN(_Recurrent):
    """``h = activation(x @ kernel + h @ recurrent_kernel + bias)`` at each step."""

    def __init__(self, units, activation="tanh", **kwargs):
        kwargs.pop("recurrent_activation", None)
        super().__init__(units, activation=activation, **kwargs)

    def step(self, x, states):
        h = self.activation(self._inputs_times_kernel(x) + matmul(states[0], self.recurrent_kernel))
        return h, [h]


class LSTM(_Recurrent):
    """Long short-term memory (gates ``i, f, c, o``); states ``[h, c]``."""

    gates = 4
    state_count = 2

    def __init__(self, units, unit_forget_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.unit_forget_bias = unit_forget_bias

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def init(shape, dtype=None, partition_info=None):
            return concat(
                [
                    base([units], dtype=dtype),
                    array_ops.ones([units], dtype=dtype),
                    base([units * 2], dtype=dtype),
                ],
                axis=0,
            )

        return init

    def step(self, x, states):
        h, c = states
        z = self._inputs_times_kernel(x) + matmul(h, self.recurrent_kernel)
        z_i, z_f, z_c, z_o = split(z, 4, axis=1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]


class GRU(_Recurrent):
    """Gated recurrent unit (gates ``z, r, h``), the reset gate applied before the
    recurrent product as TF1.15's ``GRU``."""

    gates = 3

    def __init__(self, units, reset_after=False, **kwargs):
        if reset_after:
            raise NotImplementedError(
                "GRU(reset_after=True) is not supported; use TF1.15's default, reset_after=False."
            )
        super().__init__(units, **kwargs)

    def step(self, x, states):
        (h,) = states
        u = self.units
        x_z, x_r, x_h = split(self._inputs_times_kernel(x), 3, axis=1)
        k_zr = self.recurrent_kernel[:, : 2 * u]
        r_z, r_r = split(matmul(h, k_zr), 2, axis=1)
        z = self.recurrent_activation(x_z + r_z)
        r = self.recurrent_activation(x_r + r_r)
        hh = self.activation(x_h + matmul(r * h, self.recurrent_kernel[:, 2 * u :]))
        h = z * h + (1 - z) * hh
        return h, [h]


__all__ = ["GRU", "LSTM", "SimpleRNN"]
