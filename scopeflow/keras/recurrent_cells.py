"""``tf.keras.layers.SimpleRNNCell``, ``LSTMCell``, ``GRUCell`` and ``StackedRNNCells``: one
step of a recurrent network, ``cell(inputs, states) -> (output, new_states)``, as TF1.15's
Keras defines them (``LSTMCell`` and ``GRUCell`` with ``hard_sigmoid`` gates, the forget
gate's bias starting at one, ``GRUCell``'s reset gate before the recurrent product).

A cell called on its own builds its weights under its name (``lstm_cell/kernel:0``); inside
``tf.keras.layers.RNN`` under the layer's (``rnn/lstm_cell/kernel:0``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.keras.layers.LSTMCell(3)
...     h = tf.zeros([4, 3])
...     output, states = cell(tf.ones([4, 2]), [h, h])
>>> [w.name for w in cell.weights], output.shape.as_list(), len(states)
(['lstm_cell/kernel:0', 'lstm_cell/recurrent_kernel:0', 'lstm_cell/bias:0'], [4, 3], 2)
"""

from __future__ import annotations

from scopeflow.framework import nest
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import activations, arguments, constraints, initializers, regularizers
from scopeflow.keras.engine import Layer
from scopeflow.keras.serialization import deserialize_keras_object
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, split, unstack
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add


class _Cell(Layer):
    """What the three cells share: their arguments and weights ``kernel``,
    ``recurrent_kernel`` and ``bias`` (``gates * units`` wide)."""

    gates = 1

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
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        **kwargs,
    ):
        for name, value in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if value:
                raise NotImplementedError(
                    f"{type(self).__name__}({name}=...) is not supported; apply "
                    "tf.keras.layers.Dropout to the inputs or outputs instead."
                )
        implementation = int(kwargs.pop("implementation", 1))  # TF1 graphs' default
        super().__init__(**kwargs)
        self.implementation = implementation
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
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def build(self, input_shape):
        features = TensorShape(input_shape)[-1].value
        width = self.gates * self.units
        self.kernel = self.add_weight(
            "kernel",
            shape=(features, width),
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
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=self._bias_shape(width),
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        self.built = True

    def _bias_initializer(self):
        return self.bias_initializer

    def _bias_shape(self, width: int) -> tuple:
        return (width,)

    def _inputs_times_kernel(self, x):
        z = matmul(x, self.kernel)
        return bias_add(z, self.bias) if self.use_bias else z

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None) -> list:
        """Zero states for ``batch_size`` examples (or ``inputs``' batch)."""
        if inputs is not None:
            batch_size = array_ops.shape(inputs)[0]
            dtype = inputs.dtype.base_dtype
        sizes = nest.flatten(self.state_size)
        return [array_ops.zeros([batch_size, size], dtype) for size in sizes]  # zeros/packed


@arguments.tf_positional(*arguments.SIMPLE_RNN_CELL)
class SimpleRNNCell(_Cell):
    """``h = activation(x @ kernel + h @ recurrent_kernel + bias)``."""

    def __init__(self, units, activation="tanh", **kwargs):
        kwargs.pop("recurrent_activation", None)
        super().__init__(units, activation=activation, **kwargs)

    def call(self, inputs, states):
        prev = states[0] if isinstance(states, list | tuple) else states
        h = self.activation(self._inputs_times_kernel(inputs) + matmul(prev, self.recurrent_kernel))
        return h, [h]


@arguments.tf_positional(*arguments.LSTM_CELL)
class LSTMCell(_Cell):
    """Long short-term memory (gates ``i, f, c, o``); states ``[h, c]``."""

    gates = 4

    def __init__(self, units, unit_forget_bias=True, implementation=1, **kwargs):
        super().__init__(units, implementation=implementation, **kwargs)
        self.unit_forget_bias = unit_forget_bias
        self._tracked_lists = ("state_size",)  # Keras checkpoints its list as an object

    @property
    def state_size(self):
        return [self.units, self.units]

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

    def call(self, inputs, states):
        """One step, with TF's ops: ``implementation=1`` a product per gate (the kernel and
        bias split, the recurrent kernel sliced), ``2`` one product of each kernel."""
        h, c = states
        act, gate = self.activation, self.recurrent_activation
        if self.implementation != 1:
            z = matmul(inputs, self.kernel)
            z += matmul(h, self.recurrent_kernel)
            if self.use_bias:
                z = bias_add(z, self.bias)
            z_i, z_f, z_c, z_o = split(z, 4, axis=1)
            i, f = gate(z_i), gate(z_f)
            c = f * c + i * act(z_c)
            o = gate(z_o)
            return self._output(o, c)
        x_i, x_f, x_c, x_o = (matmul(inputs, k) for k in split(self.kernel, 4, axis=1))
        if self.use_bias:
            b_i, b_f, b_c, b_o = split(self.bias, 4, axis=0)
            x_i, x_f = bias_add(x_i, b_i), bias_add(x_f, b_f)
            x_c, x_o = bias_add(x_c, b_c), bias_add(x_o, b_o)
        u, kernel = self.units, self.recurrent_kernel
        i = gate(x_i + matmul(h, kernel[:, :u]))
        f = gate(x_f + matmul(h, kernel[:, u : 2 * u]))
        c = f * c + i * act(x_c + matmul(h, kernel[:, 2 * u : 3 * u]))
        o = gate(x_o + matmul(h, kernel[:, 3 * u :]))
        return self._output(o, c)

    def _output(self, o, c):
        h = o * self.activation(c)
        return h, [h, c]


@arguments.tf_positional(*arguments.GRU_CELL)
class GRUCell(_Cell):
    """Gated recurrent unit (gates ``z, r, h``), the reset gate applied before the
    recurrent product (TF1.15's default ``reset_after=False``) or after it
    (``reset_after=True``: a ``[2, 3 * units]`` bias, input and recurrent rows)."""

    gates = 3

    def __init__(self, units, reset_after=False, implementation=1, **kwargs):
        super().__init__(units, implementation=implementation, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self, width: int) -> tuple:
        return (2, width) if self.reset_after else (width,)

    def call(self, inputs, states):
        """One step, with TF's ops: ``implementation=1`` a product per gate on kernel
        slices, ``2`` one product of each kernel split after."""
        h = states[0] if isinstance(states, list | tuple) else states
        u, kernel, recurrent = self.units, self.kernel, self.recurrent_kernel
        input_bias = recurrent_bias = None
        if self.use_bias:
            input_bias, recurrent_bias = (
                unstack(self.bias) if self.reset_after else (self.bias, None)
            )
        gate = self.recurrent_activation
        if self.implementation == 1:
            x_z = matmul(inputs, kernel[:, :u])
            x_r = matmul(inputs, kernel[:, u : 2 * u])
            x_h = matmul(inputs, kernel[:, 2 * u :])
            if self.use_bias:
                x_z = bias_add(x_z, input_bias[:u])
                x_r = bias_add(x_r, input_bias[u : 2 * u])
                x_h = bias_add(x_h, input_bias[2 * u :])
            r_z = matmul(h, recurrent[:, :u])
            r_r = matmul(h, recurrent[:, u : 2 * u])
            if self.reset_after and self.use_bias:
                r_z = bias_add(r_z, recurrent_bias[:u])
                r_r = bias_add(r_r, recurrent_bias[u : 2 * u])
            z, r = gate(x_z + r_z), gate(x_r + r_r)
            if self.reset_after:
                r_h = matmul(h, recurrent[:, 2 * u :])
                if self.use_bias:
                    r_h = bias_add(r_h, recurrent_bias[2 * u :])
                r_h = r * r_h
            else:
                r_h = matmul(r * h, recurrent[:, 2 * u :])
        else:
            x = matmul(inputs, kernel)
            if self.use_bias:
                x = bias_add(x, input_bias)
            x_z, x_r, x_h = split(x, 3, axis=-1)
            if self.reset_after:
                inner = matmul(h, recurrent)
                if self.use_bias:
                    inner = bias_add(inner, recurrent_bias)
            else:
                inner = matmul(h, recurrent[:, : 2 * u])
            r_z, r_r, r_h = split(inner, [u, u, -1], axis=-1)
            z, r = gate(x_z + r_z), gate(x_r + r_r)
            r_h = r * r_h if self.reset_after else matmul(r * h, recurrent[:, 2 * u :])
        hh = self.activation(x_h + r_h)
        h = z * h + (1 - z) * hh
        return h, [h]


class StackedRNNCells(Layer):
    """Several cells run one after the other at each step, as one cell (its states: the
    cells' states in order)."""

    def __init__(self, cells, **kwargs):
        for cell in cells:
            if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
                raise ValueError(
                    "All cells must have a `call` method and a `state_size` attribute. "
                    f"Received cells: {cells}"
                )
        super().__init__(**kwargs)
        self.cells = list(cells)

    def get_config(self) -> dict:
        """Its cells' configs (``cells``)."""
        cells = [{"class_name": type(c).__name__, "config": c.get_config()} for c in self.cells]
        return {**super().get_config(), "cells": cells}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """New cells from a ``get_config`` dictionary."""
        config = dict(config)
        classes = {c.__name__: c for c in (SimpleRNNCell, LSTMCell, GRUCell)}
        cells = [
            deserialize_keras_object(c, classes, custom_objects, "cell")
            for c in config.pop("cells")
        ]
        return cls(cells, **config)

    @property
    def state_size(self) -> tuple:
        return tuple(self.cells_state_sizes())

    def cells_state_sizes(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        last = self.cells[-1]
        return getattr(last, "output_size", nest.flatten(last.state_size)[0])

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        for cell in self.cells:
            if not cell.built:
                with name_scope(cell.name):
                    cell.build(shape)
                cell.built = True
            out = getattr(cell, "output_size", nest.flatten(cell.state_size)[0])
            shape = TensorShape([shape[0].value, out])
        for cell in self.cells:
            self._trainable_weights.extend(cell._trainable_weights)
            self._non_trainable_weights.extend(cell._non_trainable_weights)
        self.built = True

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None) -> list:
        return [s for cell in self.cells for s in cell.get_initial_state(inputs, batch_size, dtype)]

    def call(self, inputs, states):
        new_states = []
        states = list(nest.flatten(states))
        for cell in self.cells:
            count = len(nest.flatten(cell.state_size))
            mine, states = states[:count], states[count:]
            with name_scope(cell.name):  # as TF's cell.__call__ inside the stack's scope
                inputs, mine = cell.call(inputs, mine)
            new_states.extend(nest.flatten(mine))
        return inputs, new_states


class AbstractRNNCell(Layer):
    """The base of user-written Keras cells: define ``state_size``, ``output_size`` and
    ``call(inputs, states) -> (output, new_states)``; zero initial states come with it.

    >>> import scopeflow as tf
    >>> class Running(tf.keras.layers.AbstractRNNCell):
    ...     state_size = output_size = 2
    ...     def call(self, inputs, states):
    ...         total = states[0] + inputs
    ...         return total, [total]
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     y = tf.keras.layers.RNN(Running())(tf.ones([1, 3, 2]))
    ...     print(sess.run(y))
    [[3. 3.]]
    """

    def call(self, inputs, states):
        raise NotImplementedError(f"{type(self).__name__} must implement call(inputs, states)")

    @property
    def state_size(self):
        raise NotImplementedError(f"{type(self).__name__} must define state_size")

    @property
    def output_size(self):
        raise NotImplementedError(f"{type(self).__name__} must define output_size")

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None) -> list:
        """Zero states for ``batch_size`` examples (or ``inputs``' batch)."""
        return _Cell.get_initial_state(self, inputs, batch_size, dtype)


__all__ = ["AbstractRNNCell", "GRUCell", "LSTMCell", "SimpleRNNCell", "StackedRNNCells"]
