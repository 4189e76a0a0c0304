"""Gradients through the RNN drivers (``dynamic_rnn`` with and without ``sequence_length``,
``time_major``, ``bidirectional_dynamic_rnn``, ``static_rnn``, ``static_bidirectional_rnn``,
``raw_rnn``) match finite differences, for the inputs and for the cells' weights (fed through
a custom getter, so that they are placeholders the check can perturb)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases

RNG = np.random.default_rng(3)
X = RNG.uniform(-1, 1, (2, 3, 2))  # [batch, time, depth]
LENGTHS = [3, 1]


def _weights(**tensors):
    """A custom getter giving each variable whose name ends in a key the tensor for it, and
    fixed values for the others."""

    def custom_getter(getter, name, shape, *args, **kwargs):
        for suffix, tensor in tensors.items():
            if name.endswith(suffix):
                return tensor
        size = int(np.prod(shape))
        return tf.constant(np.linspace(-0.5, 0.5, size).reshape(shape), tf.float64)

    return custom_getter


def _flat(*tensors):
    return tf.concat([tf.reshape(t, [-1]) for t in tensors], 0)


def _lstm(x, kernel, bias):
    with tf.variable_scope("m", custom_getter=_weights(kernel=kernel, bias=bias)):
        cell = tf.nn.rnn_cell.BasicLSTMCell(2, forget_bias=0.5)
        out, state = tf.nn.dynamic_rnn(cell, x, sequence_length=LENGTHS, dtype=tf.float64)
    return _flat(out, state.c, state.h)


def _gru_time_major(x, gates, candidate):
    with tf.variable_scope(
        "m", custom_getter=_weights(**{"gates/kernel": gates, "candidate/kernel": candidate})
    ):
        cell = tf.nn.rnn_cell.GRUCell(2)
        out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float64, time_major=True)
    return _flat(out, state)


def _bidirectional(x, kernel):
    with tf.variable_scope("m", custom_getter=_weights(kernel=kernel)):
        cells = tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(2)
        (fw, bw), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
            *cells, x, sequence_length=LENGTHS, dtype=tf.float64
        )
    return _flat(fw, bw, s_fw, s_bw)


def _static_peephole(x, kernel):
    with tf.variable_scope("m", custom_getter=_weights(**{"lstm_cell/kernel": kernel})):
        cell = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2, cell_clip=0.8)
        outs, state = tf.nn.static_rnn(
            cell, tf.unstack(x, axis=1), sequence_length=LENGTHS, dtype=tf.float64
        )
    return _flat(*outs, state.c, state.h)


def _static_bidirectional(x, kernel):
    with tf.variable_scope("m", custom_getter=_weights(**{"candidate/kernel": kernel})):
        cells = tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2)
        outs, s_fw, s_bw = tf.nn.static_bidirectional_rnn(
            *cells, tf.unstack(x, axis=1), sequence_length=tf.constant(LENGTHS), dtype=tf.float64
        )
    return _flat(*outs, s_fw, s_bw)


def _raw(x, kernel):
    inputs = tf.transpose(x, [1, 0, 2])
    with tf.variable_scope("m", custom_getter=_weights(kernel=kernel)):
        cell = tf.nn.rnn_cell.BasicRNNCell(2)

        def loop_fn(time, out, state, loop_state):
            finished = time >= LENGTHS
            next_input = tf.cond(
                tf.reduce_all(finished),
                lambda: tf.zeros([2, 2], tf.float64),
                lambda: inputs[tf.minimum(time, 2)],
            )
            state = cell.zero_state(2, tf.float64) if out is None else state
            return finished, next_input, state, out, loop_state

        emit_ta, state, _ = tf.nn.raw_rnn(cell, loop_fn)
    return _flat(emit_ta.stack(), state)


# fmt: off
GRADIENTS = [
    GradCase("dynamic-lstm-lengths", _lstm,
             (X, RNG.uniform(-1, 1, (4, 8)), RNG.uniform(-1, 1, 8))),
    GradCase("dynamic-gru-time-major", _gru_time_major,
             (X.transpose(1, 0, 2), RNG.uniform(-1, 1, (4, 4)), RNG.uniform(-1, 1, (4, 2)))),
    GradCase("bidirectional-dynamic", _bidirectional, (X, RNG.uniform(-1, 1, (4, 2)))),
    GradCase("static-peephole-projection", _static_peephole, (X, RNG.uniform(-1, 1, (4, 12)))),
    GradCase("static-bidirectional", _static_bidirectional, (X, RNG.uniform(-1, 1, (4, 2)))),
    GradCase("raw-rnn", _raw, (X, RNG.uniform(-1, 1, (4, 2)))),
]
# fmt: on


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients_through_the_drivers_match_finite_differences(case):
    check_gradient_case(case)


def test_gradient_with_unknown_batch_and_an_unused_final_state_builds_and_runs(graph):
    # The gradient loop carries the state's gradients with the state's shapes ([?, 4]); they
    # hold because Slice (the concat gradient) keeps the known entries of a tf.shape size.
    x = tf.placeholder(tf.float32, [None, 3, 2])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4) for _ in range(2)])
    outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    grads = tf.gradients(tf.reduce_sum(outputs), [x] + tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(grads, {x: np.float32(X)})
    assert all(np.isfinite(v).all() and v.any() for v in values)
