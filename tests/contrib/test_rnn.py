"""tf.contrib.rnn: the core cells under contrib names, LayerNormBasicLSTMCell against NumPy,
and LSTMBlockCell/GRUBlockCell as LSTMCell/GRUCell with TF 1.15's variable names.

TF 2.21 has no tf.contrib.rnn, so the expected names are TF 1.15's source
(contrib/rnn/python/ops/rnn_cell.py and lstm_ops.py / gru_ops.py): the block cells default
to the scopes ``lstm_cell`` (``kernel``, ``bias``, ``w_i_diag``, ``w_f_diag``, ``w_o_diag``)
and ``gru_cell`` (``gates/kernel``...); LayerNormBasicLSTMCell makes ``kernel`` then
``gamma``/``beta`` under ``input``, ``transform``, ``forget``, ``output`` and ``state``."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(1)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _ln(x, gain=1.0, shift=0.0):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gain + shift


def test_core_cells_under_contrib_names():
    rnn = tf.contrib.rnn
    assert rnn.LSTMCell is tf.nn.rnn_cell.LSTMCell and rnn.GRUCell is tf.nn.rnn_cell.GRUCell
    assert rnn.LSTMStateTuple is tf.nn.rnn_cell.LSTMStateTuple
    assert rnn.static_rnn is tf.nn.static_rnn
    assert rnn.static_bidirectional_rnn is tf.nn.static_bidirectional_rnn
    for name in ("BasicLSTMCell", "BasicRNNCell", "MultiRNNCell", "DropoutWrapper", "RNNCell"):
        assert getattr(rnn, name) is getattr(tf.nn.rnn_cell, name)


def test_layer_norm_basic_lstm_cell_names_and_values():
    x, c0, h0 = (RNG.normal(size=s).astype(np.float32) for s in ([2, 3], [2, 4], [2, 4]))
    with tf.Graph().as_default():
        cell = tf.contrib.rnn.LayerNormBasicLSTMCell(4, norm_gain=2.0, norm_shift=0.5)
        out, state = cell(tf.constant(x), tf.contrib.rnn.LSTMStateTuple(c0, h0))
        names = [v.op.name for v in tf.global_variables()]
        assert names[0] == "layer_norm_basic_lstm_cell/kernel"
        assert names[1:] == [
            f"layer_norm_basic_lstm_cell/{scope}/{p}"
            for scope in ("input", "transform", "forget", "output", "state")
            for p in ("gamma", "beta")
        ]
        assert tf.model_variables() == [] and cell.state_size == (4, 4)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            kernel = sess.run(tf.global_variables()[0])
            got_h, got_c = sess.run([out, state.c])
    z = np.concatenate([x, h0], 1) @ kernel
    i, j, f, o = (_ln(p, 2.0, 0.5) for p in np.split(z, 4, 1))
    c = _ln(c0 * _sigmoid(f + 1.0) + _sigmoid(i) * np.tanh(j), 2.0, 0.5)
    np.testing.assert_allclose(got_c, c, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_h, np.tanh(c) * _sigmoid(o), rtol=1e-4, atol=1e-5)


def test_layer_norm_basic_lstm_cell_in_dynamic_rnn_without_layer_norm_has_a_bias():
    with tf.Graph().as_default():
        cell = tf.contrib.rnn.LayerNormBasicLSTMCell(3, layer_norm=False)
        out, _ = tf.nn.dynamic_rnn(cell, tf.ones([2, 5, 4]), dtype=tf.float32)
        assert [v.op.name for v in tf.global_variables()] == [
            "rnn/layer_norm_basic_lstm_cell/kernel",
            "rnn/layer_norm_basic_lstm_cell/bias",
        ]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            assert sess.run(out).shape == (2, 5, 3)


def test_lstm_block_cell_is_lstm_cell_named_lstm_cell():
    x = RNG.normal(size=[2, 5, 3]).astype(np.float32)
    with tf.Graph().as_default():
        init = tf.constant_initializer(0.1)
        with tf.variable_scope("block", initializer=init):
            block = tf.contrib.rnn.LSTMBlockCell(4, use_peephole=True, cell_clip=0.5)
            got, _ = tf.nn.dynamic_rnn(block, x, dtype=tf.float32)
        with tf.variable_scope("core", initializer=init):
            core = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, cell_clip=0.5)
            want, _ = tf.nn.dynamic_rnn(core, x, dtype=tf.float32)
        names = sorted(v.op.name for v in tf.global_variables() if v.op.name.startswith("block"))
        assert names == [
            f"block/rnn/lstm_cell/{n}"
            for n in ("bias", "kernel", "w_f_diag", "w_i_diag", "w_o_diag")
        ]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(*sess.run([got, want]), rtol=1e-6)


def test_gru_block_cell_has_tf115_block_names_and_v2_gru_cell_names():
    with tf.Graph().as_default():
        x = tf.ones([1, 2, 4])
        tf.nn.dynamic_rnn(tf.contrib.rnn.GRUBlockCell(cell_size=3), x, dtype=tf.float32)
        cell = tf.contrib.rnn.GRUBlockCellV2(3)
        tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="v2")
        assert [v.op.name for v in tf.global_variables()] == [
            *("rnn/gru_cell/w_ru", "rnn/gru_cell/b_ru", "rnn/gru_cell/w_c", "rnn/gru_cell/b_c"),
            *("v2/gru_cell/gates/kernel", "v2/gru_cell/gates/bias"),
            *("v2/gru_cell/candidate/kernel", "v2/gru_cell/candidate/bias"),
        ]
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        tf.contrib.rnn.GRUBlockCell()
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        tf.contrib.rnn.GRUBlockCell(3, cell_size=3)


def test_gru_block_cell_computes_gru_cell():
    with tf.Graph().as_default():
        x = tf.constant(np.random.default_rng(3).standard_normal((2, 3, 4)), tf.float32)
        got, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.GRUBlockCell(3), x, dtype=tf.float32)
        with tf.variable_scope("ref"):
            want, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(3), x, dtype=tf.float32)
        block, ref = tf.global_variables()[:4], tf.global_variables()[4:]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run([r.assign(b) for b, r in zip(block, ref, strict=True)])
            np.testing.assert_allclose(*sess.run([got, want]), rtol=1e-6)
