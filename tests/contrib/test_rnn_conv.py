"""Tests for ``tf.contrib.rnn``'s convolutional LSTM cells (scopeflow/contrib/rnn_conv.py):
TF 1.15's variable names and arithmetic against a NumPy form of its equations."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

rnn = tf.contrib.rnn


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _conv_same(x, w):
    """A stride-1 ``SAME`` convolution of ``[batch, *spatial, c]`` with ``[*k, c, out]``."""
    k = w.shape[:-2]
    pads = [(0, 0)] + [((n - 1) // 2, n - 1 - (n - 1) // 2) for n in k] + [(0, 0)]
    xp = np.pad(x, pads)
    out = np.zeros(x.shape[:-1] + (w.shape[-1],), np.float64)
    for offset in np.ndindex(*k):
        window = tuple(slice(o, o + s) for o, s in zip(offset, x.shape[1:-1], strict=True))
        out += xp[(slice(None), *window)] @ w[offset]
    return out


@pytest.mark.parametrize(
    ("cell_type", "spatial", "kernel", "scope"),
    [
        (rnn.Conv1DLSTMCell, [5], [3], "conv_1d_lstm_cell"),
        (rnn.Conv2DLSTMCell, [4, 3], [3, 2], "conv_2d_lstm_cell"),
        (rnn.Conv3DLSTMCell, [2, 3, 3], [1, 3, 3], "conv_3d_lstm_cell"),
    ],
)
def test_conv_lstm_matches_numpy(graph, cell_type, spatial, kernel, scope):
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal([2, 3, *spatial, 2]).astype(np.float32)
    cell = cell_type(input_shape=[*spatial, 2], output_channels=3, kernel_shape=kernel)
    out, state = tf.nn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
    names = [v.op.name for v in tf.global_variables()]
    assert names == [f"rnn/{scope}/kernel", f"rnn/{scope}/biases"]
    assert tf.global_variables()[0].shape.as_list() == [*kernel, 5, 12]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, c_got, (w, b) = sess.run([out, state.c, tf.global_variables()])
    np.testing.assert_array_equal(b, 0.0)
    c = h = np.zeros([2, *spatial, 3])
    for t in range(3):
        gates = _conv_same(np.concatenate([inputs[:, t], h], -1), w) + b
        i, j, f, o = np.split(gates, 4, axis=-1)
        c = _sigmoid(f + 1.0) * c + _sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * _sigmoid(o)
        np.testing.assert_allclose(got[:, t], h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(c_got, c, rtol=1e-4, atol=1e-5)


def test_skip_connection_and_no_bias(graph):
    cell = rnn.ConvLSTMCell(
        conv_ndims=1, input_shape=[4, 2], output_channels=3, kernel_shape=[3],
        use_bias=False, skip_connection=True,
    )  # fmt: skip
    assert cell.output_size.as_list() == [4, 5]
    assert cell.state_size.c.as_list() == [4, 3]
    out, state = cell(tf.ones([2, 4, 2]), cell.zero_state(2, tf.float32))
    assert [v.op.name for v in tf.global_variables()] == ["conv_lstm_cell/kernel"]
    assert out.shape.as_list() == [2, 4, 5] and state.h.shape.as_list() == [2, 4, 5]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(out)[..., 3:], 1.0)
    # As in TF 1.15, the state's h carries the skipped inputs, so it no longer matches
    # state_size and a dynamic_rnn loop rejects it.
    with pytest.raises(ValueError, match="enters the loop with shape"):
        tf.nn.dynamic_rnn(cell, tf.ones([2, 3, 4, 2]), dtype=tf.float32)


def test_bad_input_shape_raises(graph):
    with pytest.raises(ValueError, match=r"Invalid input_shape \[4, 2\] for conv_ndims=2"):
        rnn.Conv2DLSTMCell(input_shape=[4, 2], output_channels=3, kernel_shape=[3, 3])
    cell = rnn.Conv1DLSTMCell(input_shape=[4, 2], output_channels=3, kernel_shape=[3])
    state = cell.zero_state(2, tf.float32)
    with pytest.raises(ValueError, match="Conv Linear expects all args to be of same Dim"):
        cell(tf.ones([2, 4, 4, 2]), state)
