"""What the RNN cells, wrappers and drivers compute: ``sequence_length``'s zeroed outputs and
carried state, the drivers agreeing with each other and with the cell stepped by hand,
``DropoutWrapper``'s masks (one per sequence with ``variational_recurrent``),
``ResidualWrapper``'s sum, and a user's own ``RNNCell`` subclass run by ``dynamic_rnn``."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(5)
X = RNG.standard_normal((3, 4, 2)).astype(np.float32)  # [batch, time, depth]
LENGTHS = np.array([4, 2, 0], np.int32)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_sequence_length_zeroes_outputs_and_carries_the_state(graph):
    x = tf.constant(X)
    cell = tf.nn.rnn_cell.GRUCell(3)
    outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=LENGTHS, dtype=tf.float32)
    full, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)  # the same cell: same variables
    out, last, every = _run([outputs, state, full])
    for row, n in enumerate(LENGTHS):
        np.testing.assert_allclose(out[row, :n], every[row, :n], rtol=1e-6)
        assert not out[row, n:].any()
        np.testing.assert_array_equal(last[row], out[row, n - 1] if n else 0.0)


def test_the_drivers_agree_with_the_cell_stepped_by_hand(graph):
    x = tf.constant(X)
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    dynamic, d_state = tf.nn.dynamic_rnn(cell, x, sequence_length=LENGTHS, dtype=tf.float32)
    with tf.variable_scope("rnn", reuse=True):
        static, s_state = tf.nn.static_rnn(
            cell, tf.unstack(x, axis=1), sequence_length=LENGTHS, dtype=tf.float32, scope="rnn"
        )
        state = cell.zero_state(3, tf.float32)
        by_hand = []
        for t in range(4):
            out, state = cell(x[:, t], state)
            by_hand.append(out)
    d, s, h, dc, sc = _run([dynamic, tf.stack(static, 1), tf.stack(by_hand, 1), d_state, s_state])
    np.testing.assert_allclose(d, s, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(d[0], h[0], rtol=1e-5, atol=1e-6)  # row 0 runs all 4 steps
    np.testing.assert_allclose(dc.c, sc.c, rtol=1e-6, atol=1e-7)


def test_bidirectional_backward_outputs_are_the_reversed_sequences_run_forward(graph):
    x = tf.constant(X)
    fw, bw = tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3)
    (_, out_bw), (_, state_bw) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=LENGTHS, dtype=tf.float32
    )
    reversed_x = tf.reverse_sequence(x, LENGTHS, seq_axis=1, batch_axis=0)
    with tf.variable_scope("bidirectional_rnn/bw", reuse=True):
        again, state_again = tf.nn.dynamic_rnn(
            bw, reversed_x, sequence_length=LENGTHS, dtype=tf.float32, scope="bw"
        )
    again = tf.reverse_sequence(again, LENGTHS, seq_axis=1, batch_axis=0)
    a, b, sa, sb = _run([out_bw, again, state_bw, state_again])
    np.testing.assert_allclose(a, b, rtol=1e-6)
    np.testing.assert_allclose(sa, sb, rtol=1e-6)


@pytest.mark.parametrize("variational", [False, True])
def test_dropout_masks_are_per_step_or_per_sequence(graph, variational):
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(64),
        output_keep_prob=0.5,
        variational_recurrent=variational,
        dtype=tf.float32,
        seed=7,
    )
    outputs, _ = tf.nn.dynamic_rnn(cell, tf.constant(np.abs(X) + 1.0), dtype=tf.float32)
    zeros = _run(outputs) == 0
    assert 0.3 < zeros.mean() < 0.7
    same_mask = all((zeros[:, t] == zeros[:, 0]).all() for t in range(1, 4))
    assert same_mask == variational


def test_keep_probabilities_fed_as_tensors_turn_dropout_off_for_inference(graph):
    keep = tf.placeholder_with_default(1.0, [])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.BasicLSTMCell(3), input_keep_prob=keep, output_keep_prob=keep
    )
    dropped, _ = tf.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        inference = sess.run(dropped)
        training = sess.run(dropped, {keep: 0.5})
    assert not (inference == 0).any() and (training == 0).any()


def test_residual_wrapper_adds_the_inputs(graph):
    inner = tf.nn.rnn_cell.GRUCell(2)
    cell = tf.nn.rnn_cell.ResidualWrapper(inner)
    x = tf.constant(X[:, 0])
    state = cell.zero_state(3, tf.float32)
    out, _ = cell(x, state)
    with tf.variable_scope("", reuse=True):
        raw, _ = inner(x, state)
    o, r = _run([out, raw])
    np.testing.assert_allclose(o, r + X[:, 0], rtol=1e-6)


def test_a_users_own_cell_runs_in_dynamic_rnn(graph):
    class Accumulator(tf.nn.rnn_cell.RNNCell):
        """Sums its scaled inputs: output = state + w * inputs."""

        @property
        def state_size(self):
            return 2

        @property
        def output_size(self):
            return 2

        def call(self, inputs, state):
            w = tf.get_variable("w", [2], initializer=tf.constant_initializer(2.0))
            new = state + w * inputs
            return new, new

    outputs, state = tf.nn.dynamic_rnn(Accumulator(), tf.constant(X), dtype=tf.float32)
    assert [v.name for v in tf.global_variables()] == ["rnn/accumulator/w:0"]
    out, last = _run([outputs, state])
    np.testing.assert_allclose(out, 2.0 * np.cumsum(X, axis=1), rtol=1e-5)
    np.testing.assert_allclose(last, out[:, -1])
