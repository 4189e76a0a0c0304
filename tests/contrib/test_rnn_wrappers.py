"""Tests for ``tf.contrib.rnn``'s Embedding/InputProjection/OutputProjection/Highway wrappers
(scopeflow/contrib/rnn_wrappers.py): TF 1.15's variable names and values against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

rnn = tf.contrib.rnn


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _run(out, names):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        by_name = {v.op.name: v for v in tf.global_variables()}
        return sess.run(out), sess.run({n: by_name[n] for n in names})


def test_output_projection_wrapper(graph):
    inputs = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    cell = rnn.OutputProjectionWrapper(tf.nn.rnn_cell.BasicRNNCell(3), 5, activation=tf.tanh)
    out, state = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
    assert out.shape.as_list() == [2, 3, 5] and state.shape.as_list() == [2, 3]
    pre = "rnn/output_projection_wrapper/"
    names = [
        pre + "basic_rnn_cell/kernel",
        pre + "basic_rnn_cell/bias",
        pre + "kernel",
        pre + "bias",
    ]
    assert [v.op.name for v in tf.global_variables()] == names
    got, w = _run(out, names)
    h = np.zeros((2, 3))
    for t in range(3):
        h = np.tanh(np.concatenate([inputs[:, t], h], 1) @ w[names[0]] + w[names[1]])
        expected = np.tanh(h @ w[names[2]] + w[names[3]])
        np.testing.assert_allclose(got[:, t], expected, rtol=1e-5, atol=1e-6)


def test_input_projection_wrapper(graph):
    inputs = np.random.default_rng(1).standard_normal((2, 3, 4)).astype(np.float32)
    cell = rnn.InputProjectionWrapper(tf.nn.rnn_cell.BasicRNNCell(3), 6)
    out, _ = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
    pre = "rnn/input_projection_wrapper/"
    names = [
        pre + "kernel",
        pre + "bias",
        pre + "basic_rnn_cell/kernel",
        pre + "basic_rnn_cell/bias",
    ]
    assert [v.op.name for v in tf.global_variables()] == names
    assert tf.global_variables()[0].shape.as_list() == [4, 6]
    got, w = _run(out, names)
    h = np.zeros((2, 3))
    for t in range(3):
        x = inputs[:, t] @ w[names[0]] + w[names[1]]
        h = np.tanh(np.concatenate([x, h], 1) @ w[names[2]] + w[names[3]])
        np.testing.assert_allclose(got[:, t], h, rtol=1e-5, atol=1e-6)


def test_embedding_wrapper(graph):
    ids = np.array([[[1], [4], [0]], [[2], [2], [3]]], np.int32)
    cell = rnn.EmbeddingWrapper(tf.nn.rnn_cell.BasicRNNCell(3), 5, 4)
    out, _ = tf.nn.dynamic_rnn(cell, tf.constant(ids), dtype=tf.float32)
    pre = "rnn/embedding_wrapper/"
    names = [pre + "embedding", pre + "basic_rnn_cell/kernel", pre + "basic_rnn_cell/bias"]
    assert [v.op.name for v in tf.global_variables()] == names
    got, w = _run(out, names)
    assert np.abs(w[names[0]]).max() <= np.sqrt(3)
    h = np.zeros((2, 3))
    for t in range(3):
        x = w[names[0]][ids[:, t, 0]]
        h = np.tanh(np.concatenate([x, h], 1) @ w[names[1]] + w[names[2]])
        np.testing.assert_allclose(got[:, t], h, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("couple", [True, False])
def test_highway_wrapper(graph, couple):
    inputs = np.random.default_rng(2).standard_normal((2, 3, 4)).astype(np.float32)
    cell = rnn.HighwayWrapper(tf.nn.rnn_cell.BasicRNNCell(4), couple, carry_bias_init=0.5)
    out, _ = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
    names = ["rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/bias", "rnn/carry_w", "rnn/carry_b"]
    names += [] if couple else ["rnn/transform_w", "rnn/transform_b"]
    assert [v.op.name for v in tf.global_variables()] == names
    got, w = _run(out, names)
    np.testing.assert_allclose(w["rnn/carry_b"], 0.5)
    h = np.zeros((2, 4))
    for t in range(3):
        x = inputs[:, t]
        h = np.tanh(np.concatenate([x, h], 1) @ w[names[0]] + w[names[1]])
        carry = _sigmoid(x @ w["rnn/carry_w"] + w["rnn/carry_b"])
        if couple:
            transform = 1 - carry
        else:
            np.testing.assert_allclose(w["rnn/transform_b"], -0.5)
            transform = _sigmoid(x @ w["rnn/transform_w"] + w["rnn/transform_b"])
        np.testing.assert_allclose(got[:, t], x * carry + h * transform, rtol=1e-5, atol=1e-6)


def test_bad_arguments_raise(graph):
    with pytest.raises(TypeError, match="The parameter cell is not RNNCell"):
        rnn.OutputProjectionWrapper("cell", 3)
    with pytest.raises(ValueError, match="Parameter output_size must be > 0: 0"):
        rnn.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(3), 0)
    with pytest.raises(ValueError, match="embedding_classes and embedding_size must be > 0"):
        rnn.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(3), 0, 4)
    cell = rnn.HighwayWrapper(tf.nn.rnn_cell.GRUCell(3))
    with pytest.raises(ValueError, match="are incompatible"):
        cell(tf.ones([2, 4]), cell.zero_state(2, tf.float32))


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@pytest.mark.parametrize("state_is_tuple", [True, False])
def test_attention_cell_wrapper(graph, state_is_tuple):
    inputs = np.random.default_rng(3).standard_normal((2, 4, 5)).astype(np.float32)
    cell = rnn.AttentionCellWrapper(
        tf.nn.rnn_cell.BasicRNNCell(3), attn_length=2, state_is_tuple=state_is_tuple
    )
    assert cell.state_size == ((3, 3, 6) if state_is_tuple else 12)
    out, _ = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
    pre = "rnn/attention_cell_wrapper/"
    names = [
        *("kernel", "bias", "basic_rnn_cell/kernel", "basic_rnn_cell/bias"),
        *("attention/attn_w", "attention/attn_v", "attention/kernel", "attention/bias"),
        *("attn_output_projection/kernel", "attn_output_projection/bias"),
    ]
    assert [v.op.name for v in tf.global_variables()] == [pre + n for n in names]
    got, w = _run(out, [pre + n for n in names])
    w = {n: w[pre + n] for n in names}
    h, attns, window = np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 2, 3))
    for t in range(4):
        x = np.concatenate([inputs[:, t], attns], 1) @ w["kernel"] + w["bias"]
        h = np.tanh(
            np.concatenate([x, h], 1) @ w["basic_rnn_cell/kernel"] + w["basic_rnn_cell/bias"]
        )
        features = window @ w["attention/attn_w"][0, 0]
        y = h @ w["attention/kernel"] + w["attention/bias"]
        a = _softmax((w["attention/attn_v"] * np.tanh(features + y[:, None])).sum(-1))
        attns = (a[..., None] * window).sum(1)
        proj = w["attn_output_projection/kernel"]
        output = np.concatenate([h, attns], 1) @ proj + w["attn_output_projection/bias"]
        window = np.concatenate([window[:, 1:], output[:, None]], 1)
        np.testing.assert_allclose(got[:, t], output, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="attn_length should be greater than zero, got 0"):
        rnn.AttentionCellWrapper(tf.nn.rnn_cell.GRUCell(3), 0)
    with pytest.raises(ValueError, match="Cell returns tuple of states"):
        rnn.AttentionCellWrapper(tf.nn.rnn_cell.LSTMCell(3), 2, state_is_tuple=False)
