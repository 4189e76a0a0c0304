"""Tests for ``tf.contrib.rnn``'s fused RNNs (scopeflow/contrib/rnn_fused.py): the
``LSTMBlockFusedCell`` variables TF 1.15 names, its values against a NumPy LSTM (sequence
lengths, peepholes, clipping), and the adaptor and time-reversed runners."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

rnn = tf.contrib.rnn


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _numpy_lstm(x, w, lengths, peep=None, clip=None, forget_bias=1.0):
    """Time-major LSTM: outputs zero past each row's length, the state kept at its length."""
    batch, units = x.shape[1], w["bias"].shape[0] // 4
    c = h = np.zeros((batch, units))
    outs = []
    for t in range(x.shape[0]):
        i, j, f, o = np.split(np.concatenate([x[t], h], 1) @ w["kernel"] + w["bias"], 4, 1)
        if peep:
            i, f = i + c * w["w_i_diag"], f + c * w["w_f_diag"]
        new_c = _sigmoid(f + forget_bias) * c + _sigmoid(i) * np.tanh(j)
        if clip:
            new_c = np.clip(new_c, -clip, clip)
        if peep:
            o = o + new_c * w["w_o_diag"]
        new_h = np.tanh(new_c) * _sigmoid(o)
        alive = (t < lengths)[:, None]
        c, h = np.where(alive, new_c, c), np.where(alive, new_h, h)
        outs.append(np.where(alive, new_h, 0.0))
    return np.stack(outs), c, h


@pytest.mark.parametrize(("peep", "clip"), [(False, None), (True, 0.3)])
def test_lstm_block_fused_cell_matches_numpy(graph, peep, clip):
    x = np.random.default_rng(0).standard_normal((4, 3, 2)).astype(np.float32)
    lengths = np.array([4, 2, 0])
    lstm = rnn.LSTMBlockFusedCell(5, cell_clip=clip, use_peephole=peep, forget_bias=0.5)
    with tf.variable_scope("enc"):
        out, state = lstm(tf.constant(x), dtype=tf.float32, sequence_length=lengths)
    names = ["kernel", "bias"] + (["w_i_diag", "w_f_diag", "w_o_diag"] if peep else [])
    assert [v.op.name for v in tf.global_variables()] == [f"enc/lstm_fused_cell/{n}" for n in names]
    assert tf.global_variables()[0].shape.as_list() == [7, 20]
    assert out.shape.as_list() == [4, 3, 5] and isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w = dict(zip(names, sess.run(tf.global_variables()), strict=True))
        got, c, h = sess.run([out, state.c, state.h])
    np.testing.assert_array_equal(w["bias"], 0.0)
    want, want_c, want_h = _numpy_lstm(x, w, lengths, peep, clip, forget_bias=0.5)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c, want_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h, want_h, rtol=1e-5, atol=1e-6)


def test_lstm_block_fused_cell_list_inputs_initial_state_and_reuse(graph):
    lstm = rnn.LSTMBlockFusedCell(3)
    init = (tf.ones([2, 3]), tf.zeros([2, 3]))
    out, state = lstm([tf.ones([2, 4])] * 5, initial_state=init)
    assert isinstance(out, list) and len(out) == 5 and out[0].shape.as_list() == [2, 3]
    lstm(tf.ones([5, 2, 4]), dtype=tf.float32)
    assert len(tf.global_variables()) == 2
    with pytest.raises(ValueError, match="Either initial_state or dtype needs to be specified"):
        rnn.LSTMBlockFusedCell(3)(tf.ones([5, 2, 4]))
    with pytest.raises(ValueError, match="Expecting initial_state to be a tuple with length 2"):
        rnn.LSTMBlockFusedCell(3, name="b")(tf.ones([5, 2, 4]), initial_state=(init[0],))
    with pytest.raises(ValueError, match="expected ndim=3"):
        rnn.LSTMBlockFusedCell(3, name="c")(tf.ones([5, 4]), dtype=tf.float32)


@pytest.mark.parametrize("dynamic", [False, True])
def test_adaptor_and_time_reversed(graph, dynamic):
    x = np.random.default_rng(1).standard_normal((4, 2, 3)).astype(np.float32)
    lengths = np.array([4, 3])
    cell = tf.nn.rnn_cell.LSTMCell(5)
    fused = rnn.FusedRNNCellAdaptor(cell, use_dynamic_rnn=dynamic)
    out, state = rnn.TimeReversedFusedRNN(fused)(
        tf.constant(x), dtype=tf.float32, sequence_length=lengths
    )
    assert [v.op.name for v in tf.global_variables()] == [
        "rnn/lstm_cell/kernel",
        "rnn/lstm_cell/bias",
    ]
    reversed_x = np.stack(
        [np.concatenate([x[:n, b][::-1], x[n:, b]]) for b, n in enumerate(lengths)], 1
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = sess.run(tf.global_variables())
        got, h = sess.run([out, state.h])
    want, _, want_h = _numpy_lstm(reversed_x, {"kernel": kernel, "bias": bias}, lengths)
    want = np.stack(
        [np.concatenate([want[:n, b][::-1], want[n:, b]]) for b, n in enumerate(lengths)], 1
    )
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h, want_h, rtol=1e-5, atol=1e-6)


def test_fused_rnn_cell_is_abstract_and_helpers_exported(graph):
    with pytest.raises(NotImplementedError, match="must implement __call__"):
        rnn.FusedRNNCell()(tf.ones([2, 2, 2]))
    x = tf.ones([2, 5, 3])
    assert rnn.transpose_batch_time(x).shape.as_list() == [5, 2, 3]
    assert rnn.best_effort_input_batch_size([rnn.transpose_batch_time(x)]) == 2
