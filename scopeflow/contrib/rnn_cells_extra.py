"""More of ``tf.contrib.rnn``'s cells, with TF 1.15's variables, gate orders and defaults:
the independently recurrent ``IndRNNCell``, ``IndyGRUCell``, ``IndyLSTMCell``; ``SRUCell``;
the ICLR 2017 cells ``UGRNNCell``, ``IntersectionRNNCell``, ``NASCell``; and the LSTM variants
``CoupledInputForgetGateLSTMCell`` and ``LayerNormLSTMCell``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     out, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.IndRNNCell(4), tf.ones([2, 3, 5]),
...                                dtype=tf.float32)
...     print(out.shape, [v.op.name for v in tf.global_variables()])
(2, 3, 4) ['rnn/ind_rnn_cell/kernel_w', 'rnn/ind_rnn_cell/kernel_u', 'rnn/ind_rnn_cell/bias']
"""

from __future__ import annotations

from scopeflow.contrib.normalization import layer_norm
from scopeflow.contrib.rnn_wrappers import linear
from scopeflow.framework import tensor_shape
from scopeflow.layers.base import InputSpec
from scopeflow.ops.array.join import concat, split, tile
from scopeflow.ops.math.clip import clip_by_value
from scopeflow.ops.math.elementwise import sigmoid, tanh
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.nn.basic import bias_add
from scopeflow.rnn.cell_base import LayerRNNCell, LSTMStateTuple, RNNCell
from scopeflow.variables.initializers import Zeros, constant_initializer, random_uniform_initializer
from scopeflow.variables.variable_scope import get_variable, get_variable_scope, variable_scope


def _depth(cell, inputs_shape) -> int:
    depth = tensor_shape.dimension_value(tensor_shape.as_shape(inputs_shape)[1])
    if depth is None:
        raise ValueError(
            f"Expected inputs.shape[-1] to be known, saw shape: {inputs_shape} (cell '{cell.name}')"
        )
    return depth


def _input_size(inputs) -> int:
    size = tensor_shape.dimension_value(inputs.shape.with_rank(2)[1])
    if size is None:
        raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
    return size


def _diag_u(cell, name, width):
    """The recurrent weights of an Indy cell: uniform in [-1, 1], one row."""
    init = random_uniform_initializer(minval=-1, maxval=1)
    return cell.add_weight(name, shape=[1, width], initializer=init)


class _IndCell(LayerRNNCell):
    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = activation or tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units


class IndRNNCell(_IndCell):
    """``h' = activation(x @ kernel_w + h * kernel_u + bias)`` (Li et al., 2018)."""

    def build(self, inputs_shape):
        depth = _depth(self, inputs_shape)
        self._kernel_w = self.add_weight("kernel_w", shape=[depth, self._num_units])
        self._kernel_u = _diag_u(self, "kernel_u", self._num_units)
        self._bias = self.add_weight("bias", shape=[self._num_units], initializer=Zeros())
        self.built = True

    def call(self, inputs, state):
        gates = matmul(inputs, self._kernel_w) + state * self._kernel_u
        output = self._activation(bias_add(gates, self._bias))
        return output, output


class IndyGRUCell(_IndCell):
    """A GRU whose recurrent matrices are diagonal: ``gates/kernel_w``, ``gates/kernel_u``,
    ``gates/bias`` (ones), ``candidate/kernel``, ``candidate/kernel_u``, ``candidate/bias``."""

    def __init__(
        self,
        num_units,
        activation=None,
        reuse=None,
        kernel_initializer=None,
        bias_initializer=None,
        name=None,
        dtype=None,
    ):
        super().__init__(num_units, activation, reuse, name, dtype)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, inputs_shape):
        depth, units = _depth(self, inputs_shape), self._num_units
        k_init, b_init = self._kernel_initializer, self._bias_initializer
        self._gate_w = self.add_weight("gates/kernel_w", [depth, 2 * units], initializer=k_init)
        self._gate_u = _diag_u(self, "gates/kernel_u", 2 * units)
        self._gate_b = self.add_weight(
            "gates/bias", [2 * units], initializer=b_init or constant_initializer(1.0)
        )
        self._cand_w = self.add_weight("candidate/kernel", [depth, units], initializer=k_init)
        self._cand_u = _diag_u(self, "candidate/kernel_u", units)
        self._cand_b = self.add_weight("candidate/bias", [units], initializer=b_init or Zeros())
        self.built = True

    def call(self, inputs, state):
        gates = matmul(inputs, self._gate_w) + tile(state, [1, 2]) * self._gate_u
        r, u = split(sigmoid(bias_add(gates, self._gate_b)), num_or_size_splits=2, axis=1)
        candidate = matmul(inputs, self._cand_w) + r * state * self._cand_u
        c = self._activation(bias_add(candidate, self._cand_b))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class IndyLSTMCell(_IndCell):
    """A basic LSTM whose recurrent matrices are diagonal: ``kernel_w``, ``kernel_u``,
    ``bias``; gates ``i, j, f, o``; ``forget_bias`` added to the forget gate."""

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        activation=None,
        reuse=None,
        kernel_initializer=None,
        bias_initializer=None,
        name=None,
        dtype=None,
    ):
        super().__init__(num_units, activation, reuse, name, dtype)
        self._forget_bias = forget_bias
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    def build(self, inputs_shape):
        depth, units = _depth(self, inputs_shape), self._num_units
        self._kernel_w = self.add_weight(
            "kernel_w", [depth, 4 * units], initializer=self._kernel_initializer
        )
        self._kernel_u = _diag_u(self, "kernel_u", 4 * units)
        self._bias = self.add_weight(
            "bias", [4 * units], initializer=self._bias_initializer or Zeros()
        )
        self.built = True

    def call(self, inputs, state):
        c, h = state
        gates = matmul(inputs, self._kernel_w) + tile(h, [1, 4]) * self._kernel_u
        i, j, f, o = split(bias_add(gates, self._bias), num_or_size_splits=4, axis=1)
        new_c = c * sigmoid(f + self._forget_bias) + sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class SRUCell(_IndCell):
    """The Simple Recurrent Unit (Lei et al., 2017): ``kernel`` ``[depth, 4 * units]`` gives
    ``x̃, f, r, x'``; ``bias`` (``2 * units``, zeros) the forget and reset gates'.
    ``c' = f * c + (1 - f) * x̃``, ``h' = r * activation(c') + (1 - r) * x'``."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, **kwargs):
        super().__init__(num_units, activation, reuse, name, kwargs.pop("dtype", None))

    def build(self, inputs_shape):
        depth = _depth(self, inputs_shape)
        self._kernel = self.add_weight("kernel", shape=[depth, 4 * self._num_units])
        self._bias = self.add_weight("bias", shape=[2 * self._num_units], initializer=Zeros())
        self.built = True

    def call(self, inputs, state):
        x_bar, f_pre, r_pre, x_tx = split(matmul(inputs, self._kernel), 4, axis=1)
        f, r = split(sigmoid(bias_add(concat([f_pre, r_pre], 1), self._bias)), 2, axis=1)
        c = f * state + (1.0 - f) * x_bar
        h = r * self._activation(c) + (1.0 - r) * x_tx
        return h, c


class UGRNNCell(RNNCell):
    """The update-gate RNN (Collins et al., 2017): ``kernel``/``bias`` give ``g, c``;
    ``h' = g * h + (1 - g) * activation(c)`` with ``g = sigmoid(g + forget_bias)``."""

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=tanh, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._activation = activation

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        _input_size(inputs)
        with variable_scope(get_variable_scope(), initializer=self._initializer):
            g_act, c_act = split(linear([inputs, state], 2 * self._num_units), 2, axis=1)
            g = sigmoid(g_act + self._forget_bias)
            new_state = g * state + (1.0 - g) * self._activation(c_act)
        return new_state, new_state


class IntersectionRNNCell(RNNCell):
    """The +RNN (Collins et al., 2017): the state passes through time and the output through
    depth, each with its own gate; inputs of another size than ``num_units`` need
    ``num_in_proj`` (``in_projection/kernel``, ``/bias``).

    Raises:
        ValueError: for inputs of another size than ``num_units`` without ``num_in_proj``.
    """

    def __init__(
        self,
        num_units,
        num_in_proj=None,
        initializer=None,
        forget_bias=1.0,
        y_activation=relu,
        reuse=None,
    ):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._num_input_proj = num_in_proj
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._y_activation = y_activation

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        n = self._num_units
        with variable_scope(get_variable_scope(), initializer=self._initializer):
            if _input_size(inputs) != n:
                if not self._num_input_proj:
                    raise ValueError(
                        "Must have input size == output size for Intersection RNN. To fix, "
                        f"num_in_proj should be set to num_units at cell init (input size "
                        f"{_input_size(inputs)}, num_units {n})."
                    )
                with variable_scope("in_projection"):
                    inputs = linear(inputs, n)
            gh_act, h_act, gy_act, y_act = split(linear([inputs, state], 4 * n), 4, axis=1)
            gh = sigmoid(gh_act + self._forget_bias)
            gy = sigmoid(gy_act + self._forget_bias)
            new_state = gh * state + (1.0 - gh) * tanh(h_act)
            new_y = gy * inputs + (1.0 - gy) * self._y_activation(y_act)
        return new_y, new_state


class NASCell(RNNCell):
    """The recurrent cell found by Neural Architecture Search (Zoph & Le, 2017):
    ``recurrent_kernel`` and ``kernel`` (``8 * num_units`` wide; ``bias`` with ``use_bias``),
    ``projection_weights`` with ``num_proj``."""

    def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None, **kwargs):
        super().__init__(_reuse=reuse, **kwargs)
        self._num_units = num_units
        self._num_proj = num_proj
        self._use_bias = use_bias

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_proj or self._num_units)

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def call(self, inputs, state):
        c_prev, m_prev = state
        dtype, units = inputs.dtype, self._num_units
        size = _input_size(inputs)
        w_m = get_variable("recurrent_kernel", [self.output_size, 8 * units], dtype)
        w_in = get_variable("kernel", [size, 8 * units], dtype)
        m_matrix = matmul(m_prev, w_m)
        if self._use_bias:
            b = get_variable("bias", [8 * units], dtype, initializer=Zeros())
            m_matrix = bias_add(m_matrix, b)
        m = split(m_matrix, 8, axis=1)
        x = split(matmul(inputs, w_in), 8, axis=1)
        l0, l1 = sigmoid(x[0] + m[0]), relu(x[1] + m[1])
        l2, l3 = sigmoid(x[2] + m[2]), relu(x[3] * m[3])
        l4, l5 = tanh(x[4] + m[4]), sigmoid(x[5] + m[5])
        l6, l7 = tanh(x[6] + m[6]), sigmoid(x[7] + m[7])
        new_c = tanh(tanh(l0 * l1) + c_prev) * tanh(l2 + l3)
        new_m = tanh(new_c * tanh(tanh(l4 * l5) + sigmoid(l6 + l7)))
        if self._num_proj is not None:
            w_proj = get_variable("projection_weights", [units, self._num_proj], dtype)
            new_m = matmul(new_m, w_proj)
        return new_m, LSTMStateTuple(new_c, new_m)


def _norm(gain, shift, inp, scope):
    """TF1's ``_norm``: ``gamma``/``beta`` made under ``scope``, then ``layer_norm``."""
    shape = inp.shape[-1:]
    with variable_scope(scope):
        get_variable("gamma", shape, initializer=constant_initializer(gain))
        get_variable("beta", shape, initializer=constant_initializer(shift))
    return layer_norm(inp, reuse=True, scope=scope)


def _concat_variable(name, shape, dtype, num_shards):
    """TF1's ``_get_concat_variable``: shards ``<name>_0``... split on the first axis (one
    shard is ``<name>_0`` itself), concatenated as ``<name>/concat``."""
    if num_shards > shape[0]:
        raise ValueError(f"Too many shards: shape={shape}, num_shards={num_shards}")
    unit, extra = divmod(shape[0], num_shards)
    shards = [
        get_variable(f"{name}_{i}", [unit + (i < extra)] + shape[1:], dtype=dtype)
        for i in range(num_shards)
    ]
    return shards[0] if num_shards == 1 else concat(shards, 0, name=f"{name}/concat")


def _split_state(cell, state, num_proj):
    if cell._state_is_tuple:
        return state
    return state[:, : cell._num_units], state[:, cell._num_units : cell._num_units + num_proj]


class CoupledInputForgetGateLSTMCell(RNNCell):
    """An LSTM whose input gate is ``1 - forget gate`` (Greff et al., 2015), with TF 1.15's
    variables ``W_0`` (``[depth + num_proj, 3 * num_units]``, gates ``j, f, o``; ``W_1``...
    with ``num_unit_shards``), ``B``, peepholes ``W_F_diag``/``W_O_diag``, projection
    ``W_P_0``, and layer normalization (``transform``, ``forget``, ``output``, ``state``; the
    bias then unused). ``initializer`` is accepted and, as in TF 1.15, unused."""

    def __init__(
        self,
        num_units,
        use_peepholes=False,
        initializer=None,
        num_proj=None,
        proj_clip=None,
        num_unit_shards=1,
        num_proj_shards=1,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=tanh,
        reuse=None,
        layer_norm=False,
        norm_gain=1.0,
        norm_shift=0.0,
    ):
        super().__init__(_reuse=reuse)
        del initializer
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._shards = (num_unit_shards, num_proj_shards)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation
        self._norm = (norm_gain, norm_shift) if layer_norm else None

    @property
    def state_size(self):
        m = self._num_proj or self._num_units
        return LSTMStateTuple(self._num_units, m) if self._state_is_tuple else self._num_units + m

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def call(self, inputs, state):
        units, num_proj = self._num_units, self.output_size
        c_prev, m_prev = _split_state(self, state, num_proj)
        dtype = inputs.dtype
        size = _input_size(inputs)
        w = _concat_variable("W", [size + num_proj, 3 * units], dtype, self._shards[0])
        b = get_variable("B", shape=[3 * units], initializer=Zeros(), dtype=dtype)
        lstm_matrix = matmul(concat([inputs, m_prev], 1), w)
        if self._norm is None:
            lstm_matrix = bias_add(lstm_matrix, b)
        j, f, o = split(lstm_matrix, 3, axis=1)
        if self._norm is not None:
            j, f, o = (_norm(*self._norm, t, s) for t, s in zip((j, f, o), _JFO, strict=True))
        if self._use_peepholes:
            w_f_diag = get_variable("W_F_diag", shape=[units], dtype=dtype)
            w_o_diag = get_variable("W_O_diag", shape=[units], dtype=dtype)
            f_act = sigmoid(f + self._forget_bias + w_f_diag * c_prev)
        else:
            f_act = sigmoid(f + self._forget_bias)
        c = f_act * c_prev + (1 - f_act) * self._activation(j)
        if self._norm is not None:
            c = _norm(*self._norm, c, "state")
        o = o + w_o_diag * c if self._use_peepholes else o
        m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = matmul(m, _concat_variable("W_P", [units, num_proj], dtype, self._shards[1]))
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        return m, (LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1))


_JFO = ("transform", "forget", "output")


class LayerNormLSTMCell(RNNCell):
    """``LSTMCell`` with optional layer normalization of its gates (``input``, ``transform``,
    ``forget``, ``output``) and new cell state (``state``), each with ``gamma``/``beta``:
    ``kernel``, ``bias`` (made but unused with ``layer_norm``), peepholes ``w_f_diag``,
    ``w_i_diag``, ``w_o_diag``, ``projection/kernel``; ``cell_clip`` after the norm."""

    def __init__(
        self,
        num_units,
        use_peepholes=False,
        cell_clip=None,
        initializer=None,
        num_proj=None,
        proj_clip=None,
        forget_bias=1.0,
        activation=None,
        layer_norm=False,
        norm_gain=1.0,
        norm_shift=0.0,
        reuse=None,
    ):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._activation = activation or tanh
        self._norm = (norm_gain, norm_shift) if layer_norm else None

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_proj or self._num_units)

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def call(self, inputs, state):
        c_prev, m_prev = state
        units, dtype = self._num_units, inputs.dtype
        size = _input_size(inputs)
        act = self._activation
        with variable_scope(get_variable_scope(), initializer=self._initializer):
            kernel = get_variable("kernel", [size + self.output_size, 4 * units], dtype=dtype)
            bias = get_variable("bias", [4 * units], dtype=dtype, initializer=Zeros())
            lstm_matrix = matmul(concat([inputs, m_prev], 1), kernel)
            if self._norm is None:
                lstm_matrix = bias_add(lstm_matrix, bias)
            i, j, f, o = split(lstm_matrix, 4, axis=1)
            if self._norm is not None:
                scopes = ("input",) + _JFO
                pairs = zip((i, j, f, o), scopes, strict=True)
                i, j, f, o = (_norm(*self._norm, t, s) for t, s in pairs)
            if self._use_peepholes:
                w_f, w_i, w_o = (get_variable(f"w_{g}_diag", [units], dtype=dtype) for g in "fio")
                c = sigmoid(f + self._forget_bias + w_f * c_prev) * c_prev + sigmoid(
                    i + w_i * c_prev
                ) * act(j)
            else:
                c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
            if self._norm is not None:
                c = _norm(*self._norm, c, "state")
            if self._cell_clip is not None:
                c = clip_by_value(c, -self._cell_clip, self._cell_clip)
            m = sigmoid(o + w_o * c if self._use_peepholes else o) * act(c)
            if self._num_proj is not None:
                with variable_scope("projection"):
                    m = linear(m, self._num_proj, bias=False)
                if self._proj_clip is not None:
                    m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        return m, LSTMStateTuple(c, m)


__all__ = [
    "CoupledInputForgetGateLSTMCell",
    "IndRNNCell",
    "IndyGRUCell",
    "IndyLSTMCell",
    "IntersectionRNNCell",
    "LayerNormLSTMCell",
    "NASCell",
    "SRUCell",
    "UGRNNCell",
]
