"""The contrib sequence losses against NumPy, with their reductions and errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _numpy_crossent(logits, targets):
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    return -np.take_along_axis(log_probs, targets[..., None], -1)[..., 0]


RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=[3, 4, 5]).astype(np.float32)
TARGETS = RNG.integers(0, 5, size=[3, 4]).astype(np.int32)
WEIGHTS = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], np.float32)
CE = _numpy_crossent(LOGITS, TARGETS) * WEIGHTS
COUNT_T = (WEIGHTS != 0).sum(1)
COUNT_B = (WEIGHTS != 0).sum(0)


@pytest.mark.parametrize(
    "flags, expected",
    [
        ({}, CE.sum() / WEIGHTS.sum()),
        (dict(average_across_timesteps=False), CE.sum(0) / WEIGHTS.sum(0)),
        (dict(average_across_batch=False), CE.sum(1) / WEIGHTS.sum(1)),
        (dict(average_across_timesteps=False, average_across_batch=False), CE),
        (
            dict(
                average_across_timesteps=False,
                average_across_batch=False,
                sum_over_timesteps=True,
                sum_over_batch=True,
            ),
            CE.sum() / (WEIGHTS != 0).sum(),
        ),
        (
            dict(
                average_across_timesteps=False, average_across_batch=False, sum_over_timesteps=True
            ),
            CE.sum(1) / COUNT_T,
        ),
        (
            dict(average_across_timesteps=False, average_across_batch=False, sum_over_batch=True),
            CE.sum(0) / COUNT_B,
        ),
    ],
)
def test_sequence_loss_reductions(flags, expected):
    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(
            tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS), **flags
        )
        assert loss.op.name.startswith("sequence_loss/")
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(loss), expected, rtol=1e-5)


def test_sequence_loss_errors_and_custom_loss():
    seq = tf.contrib.seq2seq.sequence_loss
    with tf.Graph().as_default():
        logits, targets, weights = tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS)
        with pytest.raises(ValueError, match="Logits must be a .* tensor"):
            seq(logits[0], targets, weights)
        with pytest.raises(ValueError, match="Targets must be"):
            seq(logits, targets[0], weights)
        with pytest.raises(ValueError, match="cannot be set to True at same time"):
            seq(logits, targets, weights, sum_over_batch=True)
        calls = []

        def loss_fn(labels, logits):
            calls.append((labels.shape.as_list(), logits.shape.as_list()))
            return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)

        loss = seq(logits, targets, weights, softmax_loss_function=loss_fn)
        assert calls == [([12], [12, 5])]
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run(loss), CE.sum() / WEIGHTS.sum(), rtol=1e-5)


def test_legacy_sequence_losses():
    legacy = tf.contrib.legacy_seq2seq
    with tf.Graph().as_default():
        logits = [tf.constant(LOGITS[:, t]) for t in range(4)]
        targets = [tf.constant(TARGETS[:, t]) for t in range(4)]
        weights = [tf.constant(WEIGHTS[:, t]) for t in range(4)]
        by_example = legacy.sequence_loss_by_example(logits, targets, weights)
        summed = legacy.sequence_loss(logits, targets, weights, average_across_timesteps=False)
        mean = legacy.sequence_loss(logits, targets, weights)
        assert by_example.op.name.startswith("sequence_loss_by_example/")
        with tf.Session() as sess:
            got = sess.run([by_example, summed, mean])
        per_example = CE.sum(1) / (WEIGHTS.sum(1) + 1e-12)
        np.testing.assert_allclose(got[0], per_example, rtol=1e-5)
        np.testing.assert_allclose(got[1], CE.sum() / 3, rtol=1e-5)
        np.testing.assert_allclose(got[2], per_example.sum() / 3, rtol=1e-5)
        with pytest.raises(ValueError, match="must be the same 4, 3, 4"):
            legacy.sequence_loss(logits, targets, weights[:3])


def test_sequence_loss_trains():
    with tf.Graph().as_default():
        logits = tf.get_variable("logits", initializer=LOGITS)
        loss = tf.contrib.seq2seq.sequence_loss(logits, tf.constant(TARGETS), tf.constant(WEIGHTS))
        train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(loss)
            for _ in range(5):
                sess.run(train)
            assert sess.run(loss) < before
