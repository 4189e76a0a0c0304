"""``tf.contrib.rnn``'s fused RNNs: cells that run a whole time-major sequence in one call,
``outputs, final_state = cell(inputs, initial_state=None, dtype=None, sequence_length=None)``
with ``inputs`` ``[time, batch, depth]`` (or a list of ``[batch, depth]`` steps, giving a list
back): ``FusedRNNCell`` (the interface), ``FusedRNNCellAdaptor`` (any cell through
``static_rnn``/``dynamic_rnn``), ``TimeReversedFusedRNN`` (runs a fused cell backwards),
``LSTMBlockWrapper`` and ``LSTMBlockFusedCell`` (TF 1.15's layer ``lstm_fused_cell`` with
``kernel``, ``bias`` and peepholes ``w_i_diag``, ``w_f_diag``, ``w_o_diag``; gates ``i, j, f,
o`` as ``LSTMCell``'s, so checkpoints move between them).

TF 1.15 runs ``LSTMBlockFusedCell`` as one ``BlockLSTM`` op; here its steps are a
``dynamic_rnn`` loop of the standard ops. The values are the same: outputs past a row's
``sequence_length`` are zeros, the final state is the one at its length (the initial state
for length 0).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     lstm = tf.contrib.rnn.LSTMBlockFusedCell(4)
...     out, state = lstm(tf.ones([6, 2, 3]), dtype=tf.float32, sequence_length=[6, 2])
...     print(out.shape, state.h.shape, [v.op.name for v in tf.global_variables()])
(6, 2, 4) (2, 4) ['lstm_fused_cell/kernel', 'lstm_fused_cell/bias']
"""

from __future__ import annotations

from scopeflow.framework import tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.layers.base import InputSpec, Layer
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.join import concat, reverse, split, unstack
from scopeflow.ops.array.reverse_sequence import reverse_sequence
from scopeflow.ops.math.clip import clip_by_value
from scopeflow.ops.math.elementwise import sigmoid, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add
from scopeflow.rnn.cell_base import LSTMStateTuple, RNNCell
from scopeflow.rnn.dynamic import dynamic_rnn
from scopeflow.rnn.static import static_rnn
from scopeflow.variables.initializers import constant_initializer


class FusedRNNCell:
    """The interface of a fused RNN: ``__call__(inputs, initial_state=None, dtype=None,
    sequence_length=None, scope=None)`` runs the whole time-major sequence."""

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        raise NotImplementedError(f"{type(self).__name__} must implement __call__")


class FusedRNNCellAdaptor(FusedRNNCell):
    """Runs an ``RNNCell`` as a fused RNN: through ``static_rnn`` over the steps, or
    ``dynamic_rnn`` (``time_major``) with ``use_dynamic_rnn``; variables under ``scope``
    (default ``rnn``)."""

    def __init__(self, cell, use_dynamic_rnn=False):
        self._cell = cell
        self._use_dynamic_rnn = use_dynamic_rnn

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        is_list = isinstance(inputs, list)
        if self._use_dynamic_rnn:
            outputs, state = dynamic_rnn(
                self._cell, stack(inputs) if is_list else inputs,
                sequence_length=sequence_length, initial_state=initial_state, dtype=dtype,
                time_major=True, scope=scope,
            )  # fmt: skip
            return (unstack(outputs) if is_list else outputs), state
        outputs, state = static_rnn(
            self._cell, inputs if is_list else unstack(inputs), initial_state=initial_state,
            dtype=dtype, sequence_length=sequence_length, scope=scope,
        )  # fmt: skip
        return (outputs if is_list else stack(outputs)), state


class TimeReversedFusedRNN(FusedRNNCell):
    """Runs the fused ``cell`` on the inputs reversed in time (each row's first
    ``sequence_length`` steps when given) and reverses its outputs back: the backward half of
    a bidirectional RNN, sharing the variables' layout."""

    def __init__(self, cell):
        self._cell = cell

    @staticmethod
    def _reverse(t, lengths):
        if isinstance(t, list):
            if lengths is None:
                return list(reversed(t))
            return unstack(reverse_sequence(stack(t), lengths, 0, 1))
        if lengths is None:
            return reverse(t, [0])
        return reverse_sequence(t, lengths, 0, 1)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        outputs, state = self._cell(
            self._reverse(inputs, sequence_length), initial_state=initial_state, dtype=dtype,
            sequence_length=sequence_length, scope=scope,
        )  # fmt: skip
        return self._reverse(outputs, sequence_length), state


class _BlockStep(RNNCell):
    """One step of ``BlockLSTM`` on the fused cell's variables (it makes none)."""

    def __init__(self, fused):
        super().__init__(name="block_lstm_step")
        self._fused = fused

    @property
    def state_size(self):
        return LSTMStateTuple(self._fused.num_units, self._fused.num_units)

    @property
    def output_size(self):
        return self._fused.num_units

    def call(self, inputs, state):
        fused = self._fused
        cs_prev, h_prev = state
        gates = bias_add(matmul(concat([inputs, h_prev], 1), fused.kernel), fused.bias)
        i, j, f, o = split(gates, num_or_size_splits=4, axis=1)
        if fused.use_peephole:
            i += cs_prev * fused.w_i_diag
            f += cs_prev * fused.w_f_diag
        cs = sigmoid(f + fused.forget_bias) * cs_prev + sigmoid(i) * tanh(j)
        if fused.cell_clip > 0:
            cs = clip_by_value(cs, -fused.cell_clip, fused.cell_clip)
        if fused.use_peephole:
            o += cs * fused.w_o_diag
        h = tanh(cs) * sigmoid(o)
        return h, LSTMStateTuple(cs, h)


class LSTMBlockWrapper(Layer, FusedRNNCell):
    """A fused LSTM layer: subclasses give ``num_units`` and ``_call_cell(inputs,
    initial_cell_state, initial_output, dtype, sequence_length) -> (outputs, final_state)``.

    Raises:
        ValueError: for inputs not of rank 3 or of unknown depth; without ``initial_state``
            nor ``dtype``; for an ``initial_state`` that is not a pair.
    """

    @property
    def num_units(self):
        raise NotImplementedError(f"{type(self).__name__} must define num_units")

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = stack(inputs)
        outputs, state = Layer.__call__(
            self, inputs, initial_state=initial_state, dtype=dtype,
            sequence_length=sequence_length, scope=scope,
        )  # fmt: skip
        return (unstack(outputs) if is_list else outputs), state

    def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
        shape = inputs.shape.with_rank(3)
        if not tensor_shape.dimension_value(shape[2]):
            raise ValueError(f"Expecting inputs_shape[2] to be set: {shape}")
        if initial_state is None:
            if dtype is None:
                raise ValueError("Either initial_state or dtype needs to be specified")
        else:
            if len(initial_state) != 2:
                raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
            if dtype is None:
                dtype = initial_state[0].dtype
            initial_state = LSTMStateTuple(*initial_state)
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length)
        return self._call_cell(inputs, initial_state, dtype, sequence_length)

    def _call_cell(self, inputs, initial_state, dtype, sequence_length):
        raise NotImplementedError(f"{type(self).__name__} must implement _call_cell")


class LSTMBlockFusedCell(LSTMBlockWrapper):
    """TF 1.15's fused LSTM over time-major ``[time, batch, depth]`` inputs: the layer
    ``lstm_fused_cell`` with ``kernel`` ``[depth + num_units, 4 * num_units]``, ``bias``
    (zeros) and, with ``use_peephole``, ``w_i_diag``, ``w_f_diag``, ``w_o_diag``;
    ``forget_bias`` added to the forget gate; the cell state clipped to ``±cell_clip`` when
    it is positive (no clipping by default). Returns ``(outputs, LSTMStateTuple(c, h))``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     lstm = tf.contrib.rnn.LSTMBlockFusedCell(3, use_peephole=True)
    ...     steps = [tf.ones([2, 5])] * 4
    ...     out, state = lstm(steps, dtype=tf.float32)
    ...     print(len(out), [v.op.name for v in tf.global_variables()][2:])
    4 ['lstm_fused_cell/w_i_diag', 'lstm_fused_cell/w_f_diag', 'lstm_fused_cell/w_o_diag']
    """

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        cell_clip=None,
        use_peephole=False,
        reuse=None,
        dtype=None,
        name="lstm_fused_cell",
    ):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self.forget_bias = forget_bias
        self.cell_clip = cell_clip if cell_clip is not None else -1
        self.use_peephole = use_peephole
        self.input_spec = InputSpec(ndim=3)

    @property
    def num_units(self):
        return self._num_units

    def build(self, input_shape):
        depth = tensor_shape.dimension_value(input_shape[2])
        if depth is None:
            raise ValueError(f"Expecting inputs_shape[2] to be set: {input_shape}")
        units = self._num_units
        self.kernel = self.add_weight("kernel", [depth + units, 4 * units])
        self.bias = self.add_weight("bias", [4 * units], initializer=constant_initializer(0.0))
        if self.use_peephole:
            self.w_i_diag = self.add_weight("w_i_diag", [units])
            self.w_f_diag = self.add_weight("w_f_diag", [units])
            self.w_o_diag = self.add_weight("w_o_diag", [units])
        self.built = True

    def _call_cell(self, inputs, initial_state, dtype, sequence_length):
        return dynamic_rnn(
            _BlockStep(self), inputs, sequence_length=sequence_length,
            initial_state=initial_state, dtype=dtype, time_major=True, scope="block_lstm",
        )  # fmt: skip


__all__ = [
    "FusedRNNCell",
    "FusedRNNCellAdaptor",
    "LSTMBlockFusedCell",
    "LSTMBlockWrapper",
    "TimeReversedFusedRNN",
]
