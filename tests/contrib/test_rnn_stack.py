"""tf.contrib.rnn's stacked bidirectional drivers and tf.nn.static_state_saving_rnn: names as
TF 2.21 builds TF 1.15's scopes around its own bidirectional RNNs (recorded below), values
against a NumPy bidirectional RNN, errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(7)
X = RNG.normal(size=[3, 5, 2]).astype(np.float32)
LENGTHS = np.array([5, 3, 1], np.int32)

# TF 2.21 (tf_keras legacy cells) running TF 1.15's stack_bidirectional_*rnn scopes.
TF_NAMES = [
    "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/kernel:0",
    "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/bias:0",
    "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/lstm_cell/kernel:0",
    "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/lstm_cell/bias:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/gru_cell/gates/kernel:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/gru_cell/gates/bias:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/gru_cell/candidate/kernel:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/gru_cell/candidate/bias:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/gates/kernel:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/gates/bias:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/candidate/kernel:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/candidate/bias:0",
    "stack_bidirectional_rnn/cell_0/fw/lstm_cell/kernel:0",
    "stack_bidirectional_rnn/cell_0/fw/lstm_cell/bias:0",
    "stack_bidirectional_rnn/cell_0/bw/lstm_cell/kernel:0",
    "stack_bidirectional_rnn/cell_0/bw/lstm_cell/bias:0",
    "stack_bidirectional_rnn/cell_1/fw/gru_cell/gates/kernel:0",
    "stack_bidirectional_rnn/cell_1/fw/gru_cell/gates/bias:0",
    "stack_bidirectional_rnn/cell_1/fw/gru_cell/candidate/kernel:0",
    "stack_bidirectional_rnn/cell_1/fw/gru_cell/candidate/bias:0",
    "stack_bidirectional_rnn/cell_1/bw/gru_cell/gates/kernel:0",
    "stack_bidirectional_rnn/cell_1/bw/gru_cell/gates/bias:0",
    "stack_bidirectional_rnn/cell_1/bw/gru_cell/candidate/kernel:0",
    "stack_bidirectional_rnn/cell_1/bw/gru_cell/candidate/bias:0",
]
TF_TENSORS = [
    "stack_bidirectional_rnn/cell_1/concat:0",
    "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/fw/while/Exit_4:0",
    "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/bw/while/Exit_3:0",
    "stack_bidirectional_rnn_1/cell_1/concat_2:0",
    "stack_bidirectional_rnn_1/cell_0/cell_0/fw/fw/lstm_cell/mul_8:0",
    "stack_bidirectional_rnn_1/cell_1/cell_1/bw/bw/gru_cell/add_2:0",
]


def test_names_match_tf():
    with tf.Graph().as_default():

        def cells():
            return [tf.nn.rnn_cell.LSTMCell(3), tf.nn.rnn_cell.GRUCell(2)]

        out, fw, bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
            cells(), cells(), tf.ones([4, 6, 5]), dtype=tf.float32, sequence_length=[6, 5, 4, 3]
        )
        out2, fw2, bw2 = tf.contrib.rnn.stack_bidirectional_rnn(
            cells(), cells(), [tf.ones([4, 5])] * 3, dtype=tf.float32
        )
        tensors = [out, fw[0].h, bw[1], out2[-1], fw2[0].h, bw2[1]]
        assert [t.name for t in tensors] == TF_TENSORS
        assert [v.name for v in tf.global_variables()] == TF_NAMES
        assert out.shape.as_list() == [4, 6, 4] and len(out2) == 3


def _np_rnn(x, lengths, kernel, bias, reverse):
    batch, steps, _ = x.shape
    h = np.zeros([batch, bias.shape[0]], np.float32)
    out = np.zeros([batch, steps, bias.shape[0]], np.float32)
    for b in range(batch):
        hb = h[b]
        order = range(lengths[b])
        for t in reversed(order) if reverse else order:
            hb = np.tanh(np.concatenate([x[b, t], hb]) @ kernel + bias)
            out[b, t] = hb
        h[b] = hb
    return out, h


@pytest.mark.parametrize("time_major", [False, True])
def test_dynamic_values_match_numpy(time_major):
    with tf.Graph().as_default():
        cells_fw = [tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.BasicRNNCell(2)]
        cells_bw = [tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.BasicRNNCell(2)]
        inputs = tf.constant(X.transpose(1, 0, 2) if time_major else X)
        out, fw, bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
            cells_fw, cells_bw, inputs, dtype=tf.float32, sequence_length=LENGTHS,
            time_major=time_major,
        )  # fmt: skip
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, got_fw, got_bw, w = sess.run([out, fw, bw, tf.global_variables()])
    if time_major:
        got = got.transpose(1, 0, 2)
    layer = X
    for i in range(2):
        out_fw, h_fw = _np_rnn(layer, LENGTHS, w[4 * i], w[4 * i + 1], reverse=False)
        out_bw, h_bw = _np_rnn(layer, LENGTHS, w[4 * i + 2], w[4 * i + 3], reverse=True)
        np.testing.assert_allclose(got_fw[i], h_fw, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got_bw[i], h_bw, rtol=1e-5, atol=1e-6)
        layer = np.concatenate([out_fw, out_bw], 2)
    np.testing.assert_allclose(got, layer, rtol=1e-5, atol=1e-6)


def test_static_values_match_numpy_and_initial_states():
    with tf.Graph().as_default():
        cells_fw = [tf.nn.rnn_cell.BasicRNNCell(3)]
        cells_bw = [tf.nn.rnn_cell.BasicRNNCell(3)]
        start = [tf.zeros([3, 3])]
        out, fw, bw = tf.contrib.rnn.stack_bidirectional_rnn(
            cells_fw, cells_bw, tf.unstack(tf.constant(X), axis=1), initial_states_fw=start,
            initial_states_bw=start, sequence_length=LENGTHS,
        )  # fmt: skip
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, w = sess.run([out, tf.global_variables()])
    out_fw, _ = _np_rnn(X, LENGTHS, w[0], w[1], reverse=False)
    out_bw, _ = _np_rnn(X, LENGTHS, w[2], w[3], reverse=True)
    np.testing.assert_allclose(
        np.stack(got, 1), np.concatenate([out_fw, out_bw], 2), rtol=1e-5, atol=1e-6
    )


def test_stack_errors():
    stack = tf.contrib.rnn.stack_bidirectional_dynamic_rnn
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(2)
        x = tf.constant(X)
        with pytest.raises(ValueError, match="at least one fw cell"):
            stack([], [cell], x, dtype=tf.float32)
        with pytest.raises(ValueError, match="at least one bw cell"):
            stack([cell], [], x, dtype=tf.float32)
        with pytest.raises(ValueError, match="cells_fw must be a list"):
            stack((cell,), [cell], x, dtype=tf.float32)
        with pytest.raises(ValueError, match="same depth"):
            stack([cell], [cell, cell], x, dtype=tf.float32)
        with pytest.raises(ValueError, match="initial_states_bw must be a list"):
            tf.contrib.rnn.stack_bidirectional_rnn(
                [cell], [cell], [x[:, 0]], initial_states_bw=[], dtype=tf.float32
            )


class _Saver:
    """A state saver keeping each named state in a variable."""

    def __init__(self):
        self.variables = {}

    def state(self, name):
        self.variables[name] = tf.Variable(tf.fill([3, 2], 0.5), name=name)
        return self.variables[name].value()

    def save_state(self, name, value):
        return tf.assign(self.variables[name], value)


def test_static_state_saving_rnn_saves_the_final_state():
    with tf.Graph().as_default():
        saver = _Saver()
        cell = tf.nn.rnn_cell.BasicLSTMCell(2)
        steps = tf.unstack(tf.constant(X), axis=1)
        outputs, state = tf.nn.static_state_saving_rnn(cell, steps, saver, ("c", "h"))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first_c, first_h = sess.run(state)
            saved = sess.run([saver.variables["c"], saver.variables["h"]])
            second_h = sess.run(outputs[-1])
    np.testing.assert_allclose(saved[0], first_c)
    np.testing.assert_allclose(saved[1], first_h)
    assert not np.allclose(second_h, first_h)  # the second run starts from the saved state
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicLSTMCell(2)
        with pytest.raises(ValueError, match="state_name should be the same type"):
            tf.nn.static_state_saving_rnn(cell, steps, _Saver(), "h")
        with pytest.raises(ValueError, match="#elems"):
            tf.nn.static_state_saving_rnn(cell, steps, _Saver(), ("c", "h", "x"))
