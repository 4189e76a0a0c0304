"""TF1's RNN cells: ``BasicRNNCell``, ``GRUCell``, ``BasicLSTMCell``, ``LSTMCell`` and
``MultiRNNCell``, with TF1's variables (``kernel``, ``bias``, ``gates/kernel``,
``projection/kernel``...), ops and op names.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.nn.rnn_cell.BasicLSTMCell(4)
...     state = cell.zero_state(2, tf.float32)
...     out, state = cell(tf.ones([2, 3]), state)
...     print([v.name for v in cell.variables], out.name, state.c.shape)
['basic_lstm_cell/kernel:0', 'basic_lstm_cell/bias:0'] basic_lstm_cell/Mul_2:0 (2, 4)
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import constant
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.layers.base import InputSpec
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.math.clip import clip_by_value
from scopeflow.ops.math.elementwise import add, multiply, sigmoid, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.activation import elu, relu, relu6, selu, softplus, softsign
from scopeflow.ops.nn.basic import bias_add
from scopeflow.rnn.cell_base import (
    LayerRNNCell,
    LSTMStateTuple,
    RNNCell,
    check_supported_dtypes,
)
from scopeflow.variables.initializers import Constant, Zeros
from scopeflow.variables.partitioned import fixed_size_partitioner
from scopeflow.variables.variable_scope import variable_scope

_ACTIVATIONS = {
    "tanh": tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "relu6": relu6,
    "elu": elu,
    "selu": selu,
    "softplus": softplus,
    "softsign": softsign,
    "linear": lambda x: x,
}


def _activation(activation):
    """A cell's activation: a callable, one of Keras's names (``"relu"``), or tanh."""
    if not activation:
        return tanh
    if callable(activation):
        return activation
    if activation in _ACTIVATIONS:
        return _ACTIVATIONS[activation]
    raise ValueError(
        f"Unknown activation function: {activation!r}. Use one of {sorted(_ACTIVATIONS)} or "
        "pass a function."
    )


def _initializer(initializer):
    if initializer is None or callable(initializer):
        return initializer
    raise NotImplementedError(
        f"initializer={initializer!r}: pass an initializer object instead of a name (such as "
        "tf.glorot_uniform_initializer() or tf.orthogonal_initializer())."
    )


def input_depth(cell: RNNCell, input_shape) -> int:
    depth = tensor_shape.dimension_value(tensor_shape.as_shape(input_shape)[-1])
    if depth is None:
        raise ValueError(
            f"Expected inputs.shape[-1] to be known, received shape: "
            f"{tuple(tensor_shape.as_shape(input_shape).as_list())} (cell '{cell.name}')"
        )
    check_supported_dtypes(cell.dtype)
    return depth


def _state_tuple(cell: RNNCell, state):
    """An LSTM's ``(c, h)`` state, or TF1's ``TypeError`` naming the cell and the state."""
    if isinstance(state, Tensor):
        raise TypeError(
            f"{type(cell).__name__} '{cell.name}' was called with a state tensor of shape "
            f"{tuple(state.shape.as_list()) if state.shape.ndims is not None else None}, but "
            "with state_is_tuple=True its state is an LSTMStateTuple(c, h) (see its "
            "zero_state); pass a tuple, or make the cell with state_is_tuple=False."
        )
    return state


class _Cell(LayerRNNCell):
    """What the built-in cells share: ``reuse=``, rank-2 inputs, float dtypes."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self.input_spec = InputSpec(ndim=2)
        check_supported_dtypes(self.dtype)
        self._num_units = num_units
        self._activation = _activation(activation)

    def _zeros(self):
        return Zeros(dtype=self.dtype)


class BasicRNNCell(_Cell):
    """The most basic RNN cell: ``output = new_state = activation(W [x, h] + b)``."""

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = input_depth(self, input_shape)
        self._kernel = self.add_weight("kernel", shape=[depth + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", shape=[self._num_units], initializer=self._zeros())
        self.built = True

    def call(self, inputs, state):
        check_supported_dtypes([inputs, state])
        gate_inputs = matmul(concat([inputs, state], 1), self._kernel)
        gate_inputs = bias_add(gate_inputs, self._bias)
        output = self._activation(gate_inputs)
        return output, output


class GRUCell(_Cell):
    """A gated recurrent unit (Cho et al., 2014): ``gates/`` and ``candidate/`` kernels and
    biases (the gates' bias starts at 1)."""

    def __init__(
        self,
        num_units,
        activation=None,
        reuse=None,
        kernel_initializer=None,
        bias_initializer=None,
        name=None,
        dtype=None,
        **kwargs,
    ):
        super().__init__(num_units, activation, reuse, name, dtype, **kwargs)
        self._kernel_initializer = _initializer(kernel_initializer)
        self._bias_initializer = _initializer(bias_initializer)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = input_depth(self, input_shape)
        units, bias_init = self._num_units, self._bias_initializer
        self._gate_kernel = self.add_weight(
            "gates/kernel", shape=[depth + units, 2 * units], initializer=self._kernel_initializer
        )
        self._gate_bias = self.add_weight(
            "gates/bias",
            shape=[2 * units],
            initializer=bias_init if bias_init is not None else Constant(1.0, dtype=self.dtype),
        )
        self._candidate_kernel = self.add_weight(
            "candidate/kernel", shape=[depth + units, units], initializer=self._kernel_initializer
        )
        self._candidate_bias = self.add_weight(
            "candidate/bias",
            shape=[units],
            initializer=bias_init if bias_init is not None else self._zeros(),
        )
        self.built = True

    def call(self, inputs, state):
        check_supported_dtypes([inputs, state])
        gate_inputs = matmul(concat([inputs, state], 1), self._gate_kernel)
        gate_inputs = bias_add(gate_inputs, self._gate_bias)
        r, u = split(value=sigmoid(gate_inputs), num_or_size_splits=2, axis=1)
        candidate = matmul(concat([inputs, r * state], 1), self._candidate_kernel)
        candidate = bias_add(candidate, self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class BasicLSTMCell(_Cell):
    """The basic LSTM cell (no peepholes, clipping or projection); ``forget_bias`` is added to
    the forget gate. The state is an ``LSTMStateTuple(c, h)``, or with ``state_is_tuple=False``
    the two concatenated."""

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=None,
        reuse=None,
        name=None,
        dtype=None,
        **kwargs,
    ):
        super().__init__(num_units, activation, reuse, name, dtype, **kwargs)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        units = self._num_units
        return LSTMStateTuple(units, units) if self._state_is_tuple else 2 * units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_shape):
        depth = input_depth(self, input_shape)
        units = self._num_units
        self._kernel = self.add_weight("kernel", shape=[depth + units, 4 * units])
        self._bias = self.add_weight("bias", shape=[4 * units], initializer=self._zeros())
        self.built = True

    def call(self, inputs, state):
        check_supported_dtypes([inputs, state])
        one = constant(1, dtype=dtypes.int32)
        if self._state_is_tuple:
            c, h = _state_tuple(self, state)
        else:
            c, h = split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = matmul(concat([inputs, h], 1), self._kernel)
        gate_inputs = bias_add(gate_inputs, self._bias)
        i, j, f, o = split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias = constant(self._forget_bias, dtype=f.dtype)
        new_c = add(
            multiply(c, sigmoid(add(f, forget_bias))),
            multiply(sigmoid(i), self._activation(j)),
        )
        new_h = multiply(self._activation(new_c), sigmoid(o))
        new_state = (
            LSTMStateTuple(new_c, new_h) if self._state_is_tuple else concat([new_c, new_h], 1)
        )
        return new_h, new_state


class LSTMCell(_Cell):
    """The LSTM cell with optional peepholes (``use_peepholes``: ``w_f_diag``, ``w_i_diag``,
    ``w_o_diag``), cell clipping (``cell_clip``), a projection of the output (``num_proj``:
    ``projection/kernel``) and its clipping (``proj_clip``)."""

    def __init__(
        self,
        num_units,
        use_peepholes=False,
        cell_clip=None,
        initializer=None,
        num_proj=None,
        proj_clip=None,
        num_unit_shards=None,
        num_proj_shards=None,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=None,
        reuse=None,
        name=None,
        dtype=None,
        **kwargs,
    ):
        super().__init__(num_units, activation, reuse, name, dtype, **kwargs)
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = _initializer(initializer)
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        out = num_proj if num_proj else num_units
        if state_is_tuple:
            self._state_size = LSTMStateTuple(num_units, out)
        else:
            self._state_size = num_units + out
        self._output_size = out

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, input_shape):
        depth = input_depth(self, input_shape)
        units = self._num_units
        h_depth = units if self._num_proj is None else self._num_proj
        init = self._initializer
        self._kernel = self.add_weight(
            "kernel",
            shape=[depth + h_depth, 4 * units],
            initializer=init,
            partitioner=_shards_partitioner(self._num_unit_shards),
        )
        self._bias = self.add_weight("bias", shape=[4 * units], initializer=self._zeros())
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", shape=[units], initializer=init)
            self._w_i_diag = self.add_weight("w_i_diag", shape=[units], initializer=init)
            self._w_o_diag = self.add_weight("w_o_diag", shape=[units], initializer=init)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight(
                "projection/kernel",
                shape=[units, self._num_proj],
                initializer=init,
                partitioner=_shards_partitioner(self._num_proj_shards),
            )
        self.built = True

    def call(self, inputs, state):
        check_supported_dtypes([inputs, state])
        units = self._num_units
        num_proj = units if self._num_proj is None else self._num_proj
        act = self._activation
        if self._state_is_tuple:
            c_prev, m_prev = _state_tuple(self, state)
        else:
            c_prev = slice_(state, [0, 0], [-1, units])
            m_prev = slice_(state, [0, units], [-1, num_proj])
        if tensor_shape.dimension_value(inputs.shape.with_rank(2)[1]) is None:
            raise ValueError(
                "Could not infer input size from inputs.get_shape()[-1].Received input shape: "
                f"{inputs.shape}"
            )
        lstm_matrix = matmul(concat([inputs, m_prev], 1), self._kernel)
        lstm_matrix = bias_add(lstm_matrix, self._bias)
        i, j, f, o = split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev + sigmoid(
                i + self._w_i_diag * c_prev
            ) * act(j)
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * act(c)
        else:
            m = sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1)
        return m, new_state


def _shards_partitioner(shards):
    """TF1's deprecated ``num_unit_shards``/``num_proj_shards``: a fixed-size partitioner."""
    return None if shards is None else fixed_size_partitioner(shards)


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output is the next one's input, their variables under
    ``multi_rnn_cell/cell_<i>/``; the state is a tuple of theirs (``state_is_tuple=False``:
    concatenated)."""

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not nest.is_sequence(cells):
            raise TypeError(f"cells must be a list or tuple, but received: {cells}.")
        self._cells = cells
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(nest.is_sequence(c.state_size) for c in cells):
            raise ValueError(
                "Some cells return tuples of states, but the flag state_is_tuple is not set. "
                f"State sizes are: {[c.state_size for c in cells]}"
            )

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super().zero_state(batch_size, dtype)

    @property
    def trainable_weights(self) -> list:
        if not self.trainable:
            return []
        return [w for cell in self._cells for w in getattr(cell, "trainable_weights", [])]

    @property
    def non_trainable_weights(self) -> list:
        weights = [w for cell in self._cells for w in getattr(cell, "non_trainable_weights", [])]
        if not self.trainable:
            trainable = [w for cell in self._cells for w in getattr(cell, "trainable_weights", [])]
            return trainable + weights
        return weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def call(self, inputs, state):
        position = 0
        current = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with variable_scope(f"cell_{i}"):
                if self._state_is_tuple:
                    if not nest.is_sequence(state):
                        raise ValueError(
                            f"Expected state to be a tuple of length {len(self.state_size)}, "
                            f"but received: {state}"
                        )
                    cell_state = state[i]
                else:
                    cell_state = slice_(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                current, new_state = cell(current, cell_state)
                new_states.append(new_state)
        return current, tuple(new_states) if self._state_is_tuple else concat(new_states, 1)
