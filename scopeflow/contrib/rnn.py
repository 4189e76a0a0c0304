"""``tf.contrib.rnn``: TF1's RNN cells and drivers under their contrib names, plus contrib's
own ``LayerNormBasicLSTMCell``, ``LSTMBlockCell`` and ``GRUBlockCell``.

``LSTMBlockCell`` and ``GRUBlockCell`` compute what ``LSTMCell`` and ``GRUCell`` do, with
TF 1.15's variables (``lstm_cell/kernel``, ``lstm_cell/bias``, ``w_i_diag``...;
``gru_cell/gates/kernel``...), built from the standard ops where TF1 runs one fused
``LSTMBlockCell``/``GRUBlockCell`` op, so their checkpoints restore.

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
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.math.elementwise import sigmoid, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.nn.composite import dropout
from scopeflow.rnn.cell_base import LayerRNNCell, LSTMStateTuple, RNNCell
from scopeflow.rnn.cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, MultiRNNCell
from scopeflow.rnn.static import static_bidirectional_rnn, static_rnn
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
    """contrib's fused GRU cell: ``GRUCell`` named ``gru_cell`` (``cell_size`` is the old
    name of ``num_units``)."""

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        if num_units is None:
            num_units = cell_size
        if num_units is None:
            raise ValueError("Either num_units or cell_size must be set.")
        super().__init__(num_units, reuse=reuse, name=name)


__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUBlockCell",
    "GRUCell",
    "LSTMBlockCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerNormBasicLSTMCell",
    "LayerRNNCell",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
    "static_bidirectional_rnn",
    "static_rnn",
]
