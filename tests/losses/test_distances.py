"""Tests for scopeflow/losses/distances.py (``tf.losses.cosine_distance``, ``hinge_loss``,
``mean_pairwise_squared_error``): result names, values and build errors as TF 2.21's
``compat.v1`` gave them for the same graph (the values below are TF's, to 5 decimals), and the
aliases ``tf.contrib.losses`` (slim's losses, as in TF 1.15) and
``tf.contrib.distributions``."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _graph():
    rng = np.random.default_rng(0)
    p = tf.constant(rng.standard_normal((4, 3)).astype(np.float32))
    labels = tf.constant(rng.standard_normal((4, 3)).astype(np.float32))
    binary = tf.constant((rng.random((4, 3)) > 0.5).astype(np.float32))
    w = tf.constant([[1.0], [0.0], [2.0], [1.0]])
    return p, labels, binary, w


def test_names_values_and_gradients_are_tf1s():
    with tf.Graph().as_default():
        p, labels, binary, w = _graph()
        none = tf.losses.Reduction.NONE
        outs = [
            tf.losses.cosine_distance(labels, p, axis=1),
            tf.losses.cosine_distance(labels, p, axis=1, weights=w, reduction=none),
            tf.losses.hinge_loss(binary, p),
            tf.losses.hinge_loss(binary, p, weights=w, reduction=tf.losses.Reduction.SUM),
            tf.losses.mean_pairwise_squared_error(labels, p),
            tf.losses.mean_pairwise_squared_error(labels, p, weights=w),
        ]
        assert [o.name for o in outs] == [
            "cosine_distance_loss/value:0",
            "cosine_distance_loss_1/Mul_1:0",
            "hinge_loss/value:0",
            "hinge_loss_1/Sum:0",
            "mean_pairwise_squared_error/value_2:0",
            "mean_pairwise_squared_error_1/value_2:0",
        ]
        assert tf.losses.get_losses() == outs
        total = sum(tf.reduce_sum(o) for o in outs)
        (grad,) = tf.gradients(total, [p])
        with tf.Session() as sess:
            values = sess.run(outs + [grad])
    expected = [
        1.16161,
        [[2.06133], [0.0], [-1.22913], [2.30003]],
        1.02869,
        11.51846,
        8.77641,
        9.50968,
        [
            [5.72762, -4.1948, 2.12101],
            [0.7583, -0.94586, 0.33576],
            [3.98458, -1.27839, -1.52214],
            [-9.45209, 3.78271, 3.27007],
        ],
    ]
    for got, want in zip(values, expected, strict=True):
        np.testing.assert_allclose(got, want, atol=2e-5)


@pytest.mark.parametrize(
    "build, words",
    [
        (lambda p, labels: tf.losses.cosine_distance(labels, p), "You must specify argument"),
        (lambda p, labels: tf.losses.hinge_loss(None, p), "`labels` must not be None"),
        (
            lambda p, labels: tf.losses.mean_pairwise_squared_error(labels, p[:, :2]),
            "are incompatible",
        ),
        (lambda p, labels: tf.losses.cosine_distance(labels, p, 1, dim=1), "both 'axis'"),
    ],
)
def test_build_errors_are_tf1s(build, words):
    with tf.Graph().as_default():
        p, labels, _, _ = _graph()
        with pytest.raises(ValueError, match=words):
            build(p, labels)


def test_contrib_aliases():
    assert tf.contrib.losses.softmax_cross_entropy is tf.contrib.slim.losses.softmax_cross_entropy
    assert tf.contrib.distributions.Normal is tf.distributions.Normal
