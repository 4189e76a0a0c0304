"""``tf.keras.layers.RNN`` and its ``SimpleRNN``, ``LSTM`` and ``GRU``, as TF1.15's Keras
builds them in graph mode: the cell's weights under the layer's name
(``lstm/lstm_cell/kernel``; checkpointed under ``cell/``), a ``tf.while_loop`` over the time
steps of ``[batch, time, features]`` inputs (``time_major``: ``[time, batch, features]``)
from zero states or ``initial_state``, and the last output (or, with ``return_sequences``,
every step's; with ``return_state``, the final states after it). ``LSTM`` and ``GRU`` are
TF1.15's v1 layers: ``hard_sigmoid`` gates, the forget gate's bias starting at one,
``GRU``'s reset gate before the recurrent product by default (``reset_after=False``; with
``reset_after=True`` after it, on a ``[2, 3 * units]`` bias).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.Sequential([tf.keras.layers.LSTM(3, input_shape=(5, 2))])
>>> [w.name for w in model.weights]
['lstm/lstm_cell/kernel:0', 'lstm/lstm_cell/recurrent_kernel:0', 'lstm/lstm_cell/bias:0']
>>> model.outputs[0].shape.as_list()
[None, 3]
"""

from __future__ import annotations

import contextlib

import numpy as np

from scopeflow.framework import dtypes, nest
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.keras import arguments, backend, model_config
from scopeflow.keras.engine import Layer
from scopeflow.keras.recurrent_cells import GRUCell, LSTMCell, SimpleRNNCell, StackedRNNCells
from scopeflow.keras.serialization import config_value
from scopeflow.layers.base import InputSpec, to_snake_case
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import reverse, tile, unstack
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.state.storage import assign


def _state_count(cell) -> int:
    return len(nest.flatten(cell.state_size))


_LAYER_KEYS = ("name", "trainable", "dtype", "batch_input_shape")


NO_BATCH_SIZE = (
    "If a RNN is stateful, it needs to know its batch size. Specify the batch size of your "
    "input tensors: \n- If using a Sequential model, specify the batch size by passing a "
    "`batch_input_shape` argument to your first layer.\n- If using the functional API, "
    "specify the batch size by passing a `batch_shape` argument to your Input layer."
)


def _output_size(cell) -> int:
    return getattr(cell, "output_size", nest.flatten(cell.state_size)[0])


class RNN(Layer):
    """Runs ``cell`` (a Keras cell, a list of cells, or any layer with ``call(inputs,
    states)`` and ``state_size``) over the time steps of its inputs.

    Args:
        cell: the cell, or a list of cells (stacked as ``StackedRNNCells``).
        return_sequences: every step's output, ``[batch, time, units]``.
        return_state: also the final states.
        go_backwards: run over the steps from the last (the outputs in that order).
        time_major: inputs (and sequences returned) are ``[time, batch, features]``.
    """

    zero_output_for_mask = False  # Bidirectional sets it for return_sequences

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        time_major=False,
        **kwargs,
    ):
        if isinstance(cell, list | tuple):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call"):
            raise ValueError(f"`cell` should have a `call` method. The RNN was passed: {cell}")
        if not hasattr(cell, "state_size"):
            raise ValueError(
                "The RNN cell should have an attribute `state_size` (tuple of integers, one "
                "integer per RNN state)."
            )
        if kwargs.pop("constants", None) is not None:
            raise NotImplementedError("RNN(constants=...) is not supported.")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self._state_variables = None
        self.unroll = unroll
        self.time_major = time_major
        self.input_spec = InputSpec(ndim=3)

    def _layer_config(self) -> dict:
        return {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "time_major": self.time_major,
            "trainable": self.trainable,
        }

    def get_config(self) -> dict:
        """Its layer arguments and its cell's config (``cell``)."""
        config = {**super().get_config(), **self._rnn_config()}
        return {**config, "cell": model_config.serialize(self.cell)}

    def _rnn_config(self) -> dict:
        return {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "time_major": self.time_major,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """A new layer (and cell) from a ``get_config`` dictionary."""
        config = dict(config)
        cell = model_config.deserialize(config.pop("cell"), custom_objects)
        return cls(cell, **config)

    def copy(self, **changes):
        """A new layer like this one (its own cell and weights), with ``changes``."""
        cell = type(self.cell)(**self.cell.get_config())
        if isinstance(self.cell, StackedRNNCells):
            raise NotImplementedError(
                "Bidirectional of a stacked RNN is not supported; wrap each layer instead."
            )
        return RNN(cell, **{**self._layer_config(), **changes})

    def build(self, input_shape):
        shape = TensorShape(input_shape)
        batch = shape[1] if self.time_major else shape[0]
        step = TensorShape([batch.value, shape[2].value])
        if not self.cell.built:
            with name_scope(self.cell.name):
                self.cell.build(step)
            self.cell.built = True
        self._trainable_weights.extend(self.cell._trainable_weights)
        self._non_trainable_weights.extend(self.cell._non_trainable_weights)
        if self.stateful:
            self._make_states(batch.value)
        self.built = True

    def _make_states(self, batch) -> None:
        """A stateful layer's states: zero variables ``Variable``, ``Variable_1``... in its
        name scope, ``[batch, size]`` each (trainable, not weights, as TF's Keras makes)."""
        if batch is None:
            raise ValueError(NO_BATCH_SIZE)
        dtype = self.dtype or backend.floatx()
        self._state_variables = [
            backend.zeros((batch, size), dtype=dtype) for size in nest.flatten(self.cell.state_size)
        ]

    @property
    def states(self) -> list:
        """A stateful layer's state variables (once built; nested as the cell's
        ``state_size``); else ``None`` for each state."""
        found = self._state_variables or [None] * _state_count(self.cell)
        packed = nest.pack_sequence_as(self.cell.state_size, found)
        return list(packed) if nest.is_sequence(packed) else [packed]

    def reset_states(self, states=None) -> None:
        """Sets a stateful layer's states to zeros, or to ``states`` (arrays, one per state,
        ``[batch, size]`` each)."""
        if not self.stateful:
            raise AttributeError("Layer must be stateful.")
        if self._state_variables is None:  # not built: TF's Keras says why it cannot be
            raise ValueError(NO_BATCH_SIZE)
        variables = self._state_variables
        if states is None:
            values = [np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype) for v in variables]
        else:
            values = list(states) if isinstance(states, list | tuple) else [states]
            if len(values) != len(variables):
                raise ValueError(
                    f"Layer {self.name} expects {len(variables)} states, but it received "
                    f"{len(values)} state values. Input received: {states}"
                )
            for index, (value, variable) in enumerate(zip(values, variables, strict=True)):
                expected = tuple(variable.shape.as_list())
                if np.shape(value) != expected:
                    raise ValueError(
                        f"State {index} is incompatible with layer {self.name}: expected "
                        f"shape={expected} but found shape={np.shape(value)}"
                    )
        backend.batch_set_value(list(zip(variables, values, strict=True)))

    def get_initial_state(self, inputs) -> list:
        """Zero states for ``inputs``' batch (its size read once, as TF's)."""
        batch = array_ops.shape(inputs)[1 if self.time_major else 0]
        dtype = inputs.dtype.base_dtype
        initial = getattr(self.cell, "get_initial_state", None)
        if initial is not None:
            return initial(inputs=None, batch_size=batch, dtype=dtype)
        sizes = nest.flatten(self.cell.state_size)
        return [array_ops.zeros(array_ops.stack([batch, size]), dtype) for size in sizes]

    def compute_mask(self, inputs, mask=None):
        """The input's mask with ``return_sequences`` (none for the states)."""
        if isinstance(mask, list | tuple):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        return (
            [output_mask] + [None] * _state_count(self.cell) if self.return_state else output_mask
        )

    def call(self, inputs, initial_state=None, mask=None):
        if isinstance(mask, list | tuple):
            mask = mask[0]
        if isinstance(inputs, list | tuple):
            inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
        states = nest.flatten(initial_state) if initial_state is not None else None
        if states is not None and len(states) != _state_count(self.cell):
            raise ValueError(
                f"Layer {self.name} expects {_state_count(self.cell)} states, but it received "
                f"{len(states)} initial states."
            )
        if states is None:
            states = self._state_variables if self.stateful else self.get_initial_state(inputs)
        dtype = inputs.dtype.base_dtype
        time_major = inputs if self.time_major else transpose(inputs, [1, 0, 2])
        steps = array_ops.shape(time_major)[0]
        if mask is not None:  # as TF's K.rnn: [time, batch, 1] booleans
            mask = convert_to_tensor(mask)
            mask = mask if mask.dtype.base_dtype == dtypes.bool else cast(mask, dtypes.bool)
            mask = expand_dims(mask, -1) if mask.shape.ndims == 2 else mask
            mask = mask if self.time_major else transpose(mask, [1, 0, 2])
        if self.unroll and mask is None and hasattr(self.cell, "name"):
            last, stacked, final_states = self._unrolled(time_major, states)
            return self._finish(inputs, last, stacked, final_states)
        sequence = TensorArray(dtype, size=steps)  # made before the reversal, as TF's
        sequence = sequence.unstack(reverse(time_major, [0]) if self.go_backwards else time_major)
        cell = self.cell
        probe = None
        if hasattr(cell, "name"):  # as TF's K.rnn: a first step outside the loop, unused
            first = time_major[0]
            with name_scope(cell.name):
                probe, _ = cell.call(first, list(states))
        outputs = TensorArray(dtype, size=steps)
        time = constant(0, dtypes.int32, name="time")
        if mask is None:

            def body(t, out, *carried):
                step = sequence.read(t)
                with _cell_scope(cell):
                    output, new = cell.call(step, list(carried))
                written = out.write(t, output)
                return (t + 1, written, *nest.flatten(new))

            loop = while_loop(lambda t, *_: t < steps, body, [time, outputs, *states])
            final_states = list(loop[2:])
        else:
            loop = self._masked_loop(mask, sequence, outputs, states, steps, time, probe)
            final_states = list(loop[3:])
        stacked = loop[1].stack()
        return self._finish(inputs, stacked[-1], stacked, final_states)

    def _unrolled(self, time_major, states):
        """TF's unrolled ``K.rnn``: the steps unstacked, the cell called on each in turn."""
        if time_major.shape[0].value is None:
            raise ValueError("Unrolling requires a fixed number of timesteps.")
        steps = unstack(time_major)
        if self.go_backwards:
            steps.reverse()
        outputs, current = [], list(states)
        for step in steps:
            with name_scope(self.cell.name):
                output, new = self.cell.call(step, current)
            outputs.append(output)
            current = list(nest.flatten(new))
        return outputs[-1], array_ops.stack(outputs), current

    def _finish(self, inputs, last, stacked, final_states):
        """The layer's results from the last output, the time-major outputs and the final
        states (as TF's K.rnn: the outputs made batch-major, then the states' updates)."""
        cell = self.cell
        batch = inputs.shape[1] if self.time_major else inputs.shape[0]
        for state, size in zip(final_states, nest.flatten(cell.state_size), strict=True):
            state.set_shape([batch, size])
        sequences = stacked if self.time_major else transpose(stacked, [1, 0, 2])
        if self.stateful:  # the next run starts from these states (Model.fit runs the update)
            self.add_update(
                [assign(v, s) for v, s in zip(self._state_variables, final_states, strict=True)]
            )
        units = _output_size(cell)
        if self.return_sequences:
            result = sequences
            time = inputs.shape[0] if self.time_major else inputs.shape[1]
            dims = [time, batch, units] if self.time_major else [batch, time, units]
            result.set_shape(dims)
        else:
            result = last
            result.set_shape([batch, units])
        if not self.return_state:
            return result
        packed = nest.pack_sequence_as(cell.state_size, final_states)
        return [result, *(packed if nest.is_sequence(packed) else [packed])]

    def _masked_loop(self, mask, sequence, outputs, states, steps, time, probe):
        """The steps where ``mask`` is false keep the previous states and output (zeros
        before the first step; zeros always with ``zero_output_for_mask``), with TF's
        ``K.rnn`` ops (the step's mask tiled to each value, ``SelectV2``)."""
        if self.go_backwards:
            mask = reverse(mask, [0])
        masks = TensorArray(dtypes.bool, size=steps).unstack(mask)
        cell = self.cell
        if probe is not None:
            zero = zeros_like(probe)
        else:  # a CuDNN layer's step function: no first step outside the loop
            zero = array_ops.zeros(
                array_ops.stack([array_ops.shape(states[0])[0], _output_size(cell)]),
                states[0].dtype.base_dtype,
            )

        def body(t, out, previous, *carried):
            step = sequence.read(t)
            keep = masks.read(t)
            with _cell_scope(cell):
                output, new = cell.call(step, list(carried))
            # a masked step repeats the last output, or gives zeros (as Bidirectional asks
            # of its layers with return_sequences); its states always carry over
            fill = zero if self.zero_output_for_mask else previous
            output = where_v2(_tiled(keep, output), output, fill)
            new = nest.flatten(new)
            tiles = [_tiled(keep, n) for n in new]  # all tiled first, as TF's
            new = [where_v2(k, n, c) for k, n, c in zip(tiles, new, carried, strict=True)]
            written = out.write(t, output)
            return (t + 1, written, output, *new)

        return while_loop(lambda t, *_: t < steps, body, [time, outputs, zero, *states])


def _tiled(keep, value):
    """A step's ``[batch, 1]`` mask tiled to ``value``'s shape, as TF's ``K.rnn``."""
    for _ in range(value.shape.ndims - keep.shape.ndims):
        keep = expand_dims(keep, -1)
    return tile(keep, [1, *value.shape.as_list()[1:]])


def _cell_scope(cell):
    """The name scope of a Keras cell's call, as TF's ``cell.__call__`` opens it (none for the
    step functions of the CuDNN layers, which have no name)."""
    return name_scope(cell.name) if hasattr(cell, "name") else contextlib.nullcontext()


class _Recurrent(RNN):
    """A recurrent layer that makes its own cell of ``cell_class`` (named like the layer's
    class: ``lstm_cell``) from the cell's arguments."""

    cell_class = SimpleRNNCell

    def __init__(
        self,
        units,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        time_major=False,
        **kwargs,
    ):
        layer_keys = {"name", "trainable", "dtype", "input_shape", "batch_input_shape"}
        layer_keys |= {"batch_size", "input_dim", "weights", "activity_regularizer"}
        layer_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in layer_keys}
        cell_class = type(self).cell_class
        name = to_snake_case(cell_class.__name__)
        cell = cell_class(units, name=name, dtype=layer_kwargs.get("dtype"), **kwargs)
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            time_major=time_major,
            **layer_kwargs,
        )

    def get_config(self) -> dict:
        """Its layer arguments and its cell's (``units``, ``activation``...), flat."""
        config = {**Layer.get_config(self), **self._rnn_config()}
        for key, value in self.cell.get_config().items():
            if key not in _LAYER_KEYS:
                config[key] = value
            if key == "bias_regularizer":  # TF lists the layer's own regularizer here
                config["activity_regularizer"] = config_value(self._activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def copy(self, **changes):
        config = self.cell.get_config()
        config.pop("name", None)
        config.pop("dtype", None)
        return type(self)(**{**config, **self._layer_config(), **changes})

    @property
    def units(self) -> int:
        return self.cell.units

    @property
    def implementation(self) -> int:
        return self.cell.implementation

    @property
    def activation(self):
        return self.cell.activation

    @property
    def recurrent_activation(self):
        return self.cell.recurrent_activation

    @property
    def use_bias(self) -> bool:
        return self.cell.use_bias


@arguments.tf_positional(*arguments.SIMPLE_RNN)
class SimpleRNN(_Recurrent):
    """``h = activation(x @ kernel + h @ recurrent_kernel + bias)`` at each step."""

    cell_class = SimpleRNNCell


@arguments.tf_positional(*arguments.LSTM)
class LSTM(_Recurrent):
    """Long short-term memory (gates ``i, f, c, o``); states ``[h, c]``."""

    cell_class = LSTMCell


@arguments.tf_positional(*arguments.GRU)
class GRU(_Recurrent):
    """Gated recurrent unit (gates ``z, r, h``), the reset gate applied before the
    recurrent product as TF1.15's ``GRU``."""

    cell_class = GRUCell


__all__ = ["GRU", "LSTM", "RNN", "SimpleRNN"]
