"""``tf.contrib.rnn``: TF1's RNN cells and drivers under their contrib names, plus contrib's
own ``LayerNormBasicLSTMCell``, ``LSTMBlockCell`` and ``GRUBlockCell`` and the stacked
bidirectional drivers ``stack_bidirectional_rnn`` and ``stack_bidirectional_dynamic_rnn``;
the convolutional LSTMs (``rnn_conv.py``), fused RNNs such as ``LSTMBlockFusedCell``
(``rnn_fused.py``), the projection/embedding/highway/attention wrappers (``rnn_wrappers.py``)
and the other contrib cells (``rnn_cells_extra.py``) are exported here too.

``LSTMBlockCell`` and ``GRUBlockCell`` compute what ``LSTMCell`` and ``GRUCell`` do, with
TF 1.15's variables (``lstm_cell/kernel``, ``lstm_cell/bias``, ``w_i_diag``...;
``gru_cell/w_ru``, ``b_ru``, ``w_c``, ``b_c``, and ``GRUBlockCellV2`` ``gates/kernel``...),
built from the standard ops where TF1 runs one fused ``LSTMBlockCell``/``GRUBlockCell`` op,
so their checkpoints restore.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.contrib.rnn.LayerNormBasicLSTMCell(4)
...     out, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 3, 5]), dtype=tf.float32)
...     print(out.shape, [v.op.name for v in tf.global_variables()][:3])
(2, 3, 4) ['rnn/layer_norm_basic_lstm_cell/kernel', \
'rnn/layer_norm_basic_lstm_cell/input/gamma', 'rnn/layer_norm_basic_lstm_cell/input/beta']
"""

from __future__ import annotations

from scopeflow.contrib.normalization import layer_norm
from scopeflow.contrib.rnn_cells_extra import (
    CoupledInputForgetGateLSTMCell,
    IndRNNCell,
    IndyGRUCell,
    IndyLSTMCell,
    IntersectionRNNCell,
    LayerNormLSTMCell,
    NASCell,
    SRUCell,
    UGRNNCell,
)
from scopeflow.contrib.rnn_conv import Conv1DLSTMCell, Conv2DLSTMCell, Conv3DLSTMCell, ConvLSTMCell
from scopeflow.contrib.rnn_fused import (
    FusedRNNCell,
    FusedRNNCellAdaptor,
    LSTMBlockFusedCell,
    LSTMBlockWrapper,
    TimeReversedFusedRNN,
)
from scopeflow.contrib.rnn_wrappers import (
    AttentionCellWrapper,
    EmbeddingWrapper,
    HighwayWrapper,
    InputProjectionWrapper,
    OutputProjectionWrapper,
)
from scopeflow.framework import tensor_shape
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.math.elementwise import sigmoid, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.nn.composite import dropout
from scopeflow.rnn.cell_base import LayerRNNCell, LSTMStateTuple, RNNCell
from scopeflow.rnn.cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, MultiRNNCell
from scopeflow.rnn.dynamic import best_effort_batch_size as best_effort_input_batch_size
from scopeflow.rnn.dynamic import bidirectional_dynamic_rnn, transpose_batch_time
from scopeflow.rnn.static import static_bidirectional_rnn, static_rnn, static_state_saving_rnn
from scopeflow.rnn.wrappers import DeviceWrapper, DropoutWrapper, ResidualWrapper
from scopeflow.variables.initializers import constant_initializer
from scopeflow.variables.variable_scope import get_variable, variable_scope


class LayerNormBasicLSTMCell(RNNCell):
    """A basic LSTM whose four gate pre-activations and new cell state are layer-normalized
    (``input``, ``transform``, ``forget``, ``output``, ``state`` scopes with ``gamma`` and
    ``beta``), with recurrent dropout of the candidate (``dropout_keep_prob``), as TF 1.15's;
    the kernel has no bias unless ``layer_norm=False``."""

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        input_size=None,
        activation=tanh,
        layer_norm=True,
        norm_gain=1.0,
        norm_shift=0.0,
        dropout_keep_prob=1.0,
        dropout_prob_seed=None,
        reuse=None,
    ):
        super().__init__(_reuse=reuse)
        del input_size  # deprecated and unused in TF 1.15 as well
        self._num_units = num_units
        self._activation = activation
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _norm(self, inp, scope, dtype):
        shape = inp.shape[-1:]
        with variable_scope(scope):
            get_variable("gamma", shape, dtype, constant_initializer(self._norm_gain))
            get_variable("beta", shape, dtype, constant_initializer(self._norm_shift))
        return layer_norm(inp, reuse=True, scope=scope)

    def _linear(self, args):
        out_size = 4 * self._num_units
        weights = get_variable("kernel", [args.shape[-1].value, out_size], dtype=args.dtype)
        out = matmul(args, weights)
        if not self._layer_norm:
            out = bias_add(out, get_variable("bias", [out_size], dtype=args.dtype))
        return out

    def call(self, inputs, state):
        c, h = state
        args = concat([inputs, h], 1)
        dtype = args.dtype
        i, j, f, o = split(value=self._linear(args), num_or_size_splits=4, axis=1)
        if self._layer_norm:
            i = self._norm(i, "input", dtype)
            j = self._norm(j, "transform", dtype)
            f = self._norm(f, "forget", dtype)
            o = self._norm(o, "output", dtype)
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = dropout(g, self._keep_prob, seed=self._seed)
        new_c = c * sigmoid(f + self._forget_bias) + sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", dtype)
        new_h = self._activation(new_c) * sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class LSTMBlockCell(LSTMCell):
    """contrib's fused LSTM cell: ``LSTMCell`` named ``lstm_cell`` with ``use_peephole`` and
    ``cell_clip`` (clipping only when positive), the state always an ``LSTMStateTuple``."""

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        cell_clip=None,
        use_peephole=False,
        dtype=None,
        reuse=None,
        name="lstm_cell",
    ):
        clip = cell_clip if cell_clip is not None and cell_clip > 0 else None
        super().__init__(
            num_units,
            use_peepholes=use_peephole,
            cell_clip=clip,
            forget_bias=forget_bias,
            reuse=reuse,
            name=name,
            dtype=dtype,
        )


class GRUBlockCell(GRUCell):
    """contrib's fused GRU cell: ``GRUCell``'s arithmetic in the scope ``gru_cell`` with TF
    1.15's ``GRUBlockCell`` variables ``w_ru``, ``b_ru`` (ones), ``w_c``, ``b_c`` (zeros);
    ``cell_size`` is the old name of ``num_units``. TF 1.15 runs one ``GRUBlockCell`` op."""

    _NAMES = ("w_ru", "b_ru", "w_c", "b_c")

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        if (cell_size is None) == (num_units is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        super().__init__(num_units if cell_size is None else cell_size, reuse=reuse, name=name)

    def build(self, input_shape):
        depth = tensor_shape.dimension_value(tensor_shape.as_shape(input_shape)[1])
        if depth is None:
            raise ValueError(f"Expecting input_size to be set (cell '{self.name}').")
        units = self._num_units
        w_ru, b_ru, w_c, b_c = self._NAMES
        self._gate_kernel = self.add_weight(w_ru, [depth + units, 2 * units])
        self._gate_bias = self.add_weight(b_ru, [2 * units], initializer=constant_initializer(1.0))
        self._candidate_kernel = self.add_weight(w_c, [depth + units, units])
        self._candidate_bias = self.add_weight(b_c, [units], initializer=constant_initializer(0.0))
        self.built = True


class GRUBlockCellV2(GRUBlockCell):
    """``GRUBlockCell`` with ``GRUCell``'s variable names (``gates/kernel``, ``gates/bias``,
    ``candidate/kernel``, ``candidate/bias``), as TF 1.15's."""

    _NAMES = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw) -> None:
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for what, states in (("fw", initial_states_fw), ("bw", initial_states_bw)):
        if states is not None and (not isinstance(states, list) or len(states) != len(cells_fw)):
            raise ValueError(
                f"initial_states_{what} must be a list of state tensors (one per layer)."
            )


def stack_bidirectional_rnn(
    cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None, dtype=None,
    sequence_length=None, scope=None,
):  # fmt: skip
    """Layers of ``static_bidirectional_rnn`` over a list of per-step inputs, each layer's
    concatenated outputs the next one's inputs: ``(outputs, states_fw, states_bw)``, the
    states one per layer. Variables under ``stack_bidirectional_rnn/cell_<i>/fw`` and ``/bw``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     cells = lambda: [tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(2)]
    ...     out, fw, bw = tf.contrib.rnn.stack_bidirectional_rnn(
    ...         cells(), cells(), [tf.ones([4, 5])] * 6, dtype=tf.float32)
    ...     names = [v.op.name for v in tf.global_variables()]
    >>> len(out), out[0].shape.as_list(), len(fw), names[0]
    (6, [4, 4], 2, 'stack_bidirectional_rnn/cell_0/fw/gru_cell/gates/kernel')
    """
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            with variable_scope(f"cell_{i}") as cell_scope:
                prev_layer, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw,
                    cell_bw,
                    prev_layer,
                    initial_state_fw=initial_states_fw[i] if initial_states_fw else None,
                    initial_state_bw=initial_states_bw[i] if initial_states_bw else None,
                    sequence_length=sequence_length,
                    dtype=dtype,
                    scope=cell_scope,
                )
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(
    cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None, dtype=None,
    sequence_length=None, parallel_iterations=None, time_major=False, scope=None,
    swap_memory=False,
):  # fmt: skip
    """Layers of ``bidirectional_dynamic_rnn``, each layer's outputs concatenated on the last
    axis as the next one's inputs: ``(outputs, states_fw, states_bw)``, the states one per
    layer. Variables under ``stack_bidirectional_rnn/cell_<i>/bidirectional_rnn/fw`` and
    ``/bw``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     cells = lambda: [tf.nn.rnn_cell.LSTMCell(3), tf.nn.rnn_cell.LSTMCell(2)]
    ...     out, fw, bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
    ...         cells(), cells(), tf.ones([4, 6, 5]), dtype=tf.float32)
    ...     names = [v.op.name for v in tf.global_variables()]
    >>> out.shape.as_list(), fw[1].h.shape.as_list(), names[0]
    ([4, 6, 4], [4, 2], 'stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/kernel')
    """
    _check_stack(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            with variable_scope(f"cell_{i}"):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    cell_fw,
                    cell_bw,
                    prev_layer,
                    initial_state_fw=initial_states_fw[i] if initial_states_fw else None,
                    initial_state_bw=initial_states_bw[i] if initial_states_bw else None,
                    sequence_length=sequence_length,
                    parallel_iterations=parallel_iterations,
                    dtype=dtype,
                    swap_memory=swap_memory,
                    time_major=time_major,
                )
                prev_layer = concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


__all__ = [
    "AttentionCellWrapper",
    "BasicLSTMCell",
    "BasicRNNCell",
    "Conv1DLSTMCell",
    "Conv2DLSTMCell",
    "Conv3DLSTMCell",
    "ConvLSTMCell",
    "CoupledInputForgetGateLSTMCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "EmbeddingWrapper",
    "FusedRNNCell",
    "FusedRNNCellAdaptor",
    "GRUBlockCell",
    "GRUBlockCellV2",
    "GRUCell",
    "HighwayWrapper",
    "IndRNNCell",
    "IndyGRUCell",
    "IndyLSTMCell",
    "InputProjectionWrapper",
    "IntersectionRNNCell",
    "LSTMBlockCell",
    "LSTMBlockFusedCell",
    "LSTMBlockWrapper",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerNormBasicLSTMCell",
    "LayerNormLSTMCell",
    "LayerRNNCell",
    "MultiRNNCell",
    "NASCell",
    "OutputProjectionWrapper",
    "RNNCell",
    "ResidualWrapper",
    "SRUCell",
    "TimeReversedFusedRNN",
    "UGRNNCell",
    "best_effort_input_batch_size",
    "stack_bidirectional_dynamic_rnn",
    "stack_bidirectional_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
    "static_state_saving_rnn",
    "transpose_batch_time",
]
