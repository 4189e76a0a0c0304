"""The candidate samplers refuse true classes outside their range when run, as TF 2.21
does (``[0, range_max)``; ``[0, num_sampled)`` for ``all_candidate_sampler``)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

TRUE = np.int64([[1], [12]])


@pytest.mark.parametrize(
    "sampler, limit",
    [
        (lambda: tf.nn.uniform_candidate_sampler(TRUE, 1, 4, True, 10, seed=3), 10),
        (lambda: tf.nn.log_uniform_candidate_sampler(TRUE, 1, 4, True, 10, seed=3), 10),
        (
            lambda: tf.nn.fixed_unigram_candidate_sampler(
                TRUE, 1, 4, True, 10, unigrams=[1.0] * 10, seed=3
            ),
            10,
        ),
        (lambda: tf.nn.all_candidate_sampler(TRUE, 1, 4, True, seed=3), 4),
    ],
)
def test_true_class_out_of_range(run, sampler, limit):
    message = f"`true_candidate` out of range \\[0, {limit}\\), received 12"
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(list(sampler()))


def test_negative_true_class(run):
    sampled = tf.nn.uniform_candidate_sampler(np.int64([[-1]]), 1, 4, True, 10, seed=3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="received -1"):
        run(list(sampled))


def test_nce_loss_with_a_label_past_the_classes_fails(run):
    weights = tf.constant(np.ones([10, 4], np.float32))
    loss = tf.nn.nce_loss(weights, tf.zeros([10]), np.int64([[1], [10]]), tf.ones([2, 4]), 3, 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range \\[0, 10\\)"):
        run(loss)
