"""Tests for ``tf.contrib.cudnn_rnn`` (scopeflow/contrib/cudnn_rnn.py): the cuDNN-compatible
cells' variable names (TF 1.15's) and their arithmetic against NumPy forms of cuDNN's
equations."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

cudnn_rnn = tf.contrib.cudnn_rnn


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _run_cell(cell, inputs):
    out, state = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = {v.op.name.split("/", 2)[2]: sess.run(v) for v in tf.global_variables()}
        return sess.run(out), values


def test_gru_cell_applies_the_reset_gate_after_the_hidden_product(graph):
    inputs = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    cell = cudnn_rnn.CudnnCompatibleGRUCell(5)
    out, w = _run_cell(cell, inputs)
    assert list(w) == [
        *("gates/kernel", "gates/bias"),
        *("candidate/input_projection/kernel", "candidate/hidden_projection/kernel"),
        *("candidate/input_projection/bias", "candidate/hidden_projection/bias"),
    ]
    assert [v.op.name for v in tf.global_variables()][
        0
    ] == "rnn/cudnn_compatible_gru_cell/gates/kernel"
    np.testing.assert_array_equal(w["gates/bias"], 1.0)
    h = np.zeros((2, 5), np.float32)
    for t in range(3):
        x = inputs[:, t]
        gates = _sigmoid(np.concatenate([x, h], 1) @ w["gates/kernel"] + w["gates/bias"])
        r, u = gates[:, :5], gates[:, 5:]
        hidden = h @ w["candidate/hidden_projection/kernel"] + w["candidate/hidden_projection/bias"]
        candidate = np.tanh(
            x @ w["candidate/input_projection/kernel"]
            + w["candidate/input_projection/bias"]
            + r * hidden
        )
        h = u * h + (1 - u) * candidate
        np.testing.assert_allclose(out[:, t], h, rtol=1e-5, atol=1e-6)


def test_lstm_cell_has_no_forget_bias(graph):
    inputs = np.random.default_rng(1).standard_normal((2, 3, 4)).astype(np.float32)
    out, w = _run_cell(cudnn_rnn.CudnnCompatibleLSTMCell(3), inputs)
    assert list(w) == ["kernel", "bias"]
    assert tf.global_variables()[0].op.name == "rnn/cudnn_compatible_lstm_cell/kernel"
    c = h = np.zeros((2, 3), np.float32)
    for t in range(3):
        z = np.concatenate([inputs[:, t], h], 1) @ w["kernel"] + w["bias"]
        i, j, f, o = np.split(z, 4, axis=1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * _sigmoid(o)
        np.testing.assert_allclose(out[:, t], h, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["CudnnLSTM", "CudnnGRU", "CudnnRNNTanh", "CudnnRNNRelu"])
def test_the_gpu_layers_name_the_cpu_cells(name):
    with pytest.raises(NotImplementedError, match="CudnnCompatibleLSTMCell or"):
        getattr(cudnn_rnn, name)(num_layers=1, num_units=4)
    assert cudnn_rnn.CUDNN_RNN_BIDIRECTION == "bidirectional"
