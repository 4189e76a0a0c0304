"""Tests for scopeflow/regularizers.py (also ``tf.contrib.layers``): penalties, their names
under ``<var>/Regularizer/``, the ``REGULARIZATION_LOSSES`` collection, and scale checks."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

W = np.array([[1.0, -2.0], [3.0, -4.0]], np.float32)


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _penalty(regularizer):
    tf.get_variable("w", initializer=W, regularizer=regularizer)
    (penalty,) = tf.losses.get_regularization_losses()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return penalty.name, float(sess.run(penalty))


@pytest.mark.parametrize(
    ("make", "name", "value"),
    [
        (lambda: tf.contrib.layers.l2_regularizer(0.1), "w/Regularizer/l2_regularizer:0", 1.5),
        (lambda: tf.contrib.layers.l1_regularizer(0.5), "w/Regularizer/l1_regularizer:0", 5.0),
        (
            lambda: tf.contrib.layers.l1_l2_regularizer(0.5, 0.1),
            "w/Regularizer/l1_l2_regularizer:0",
            6.5,
        ),
        (
            lambda: tf.contrib.layers.l1_l2_regularizer(0.0, 0.1),
            "w/Regularizer/l1_l2_regularizer:0",
            1.5,
        ),
        (
            lambda: tf.contrib.layers.sum_regularizer(
                [tf.contrib.layers.l1_regularizer(1.0), None, lambda w: tf.reduce_max(w)]
            ),
            "w/Regularizer/sum_regularizer:0",
            13.0,
        ),
    ],
)
def test_penalty_value_and_name(make, name, value):
    assert _penalty(make()) == (name, pytest.approx(value))


def test_scope_names_the_penalty(graph):
    _penalty(tf.contrib.layers.l2_regularizer(0.1, scope="decay"))
    names = [op.name for op in graph.get_operations() if op.name.startswith("w/Regularizer")]
    assert names == [
        "w/Regularizer/decay/scale",
        "w/Regularizer/decay/L2Loss",
        "w/Regularizer/decay",
    ]


def test_zero_scale_disables_the_regularizer():
    tf.get_variable("w", [2], regularizer=tf.contrib.layers.l2_regularizer(0.0))
    assert tf.losses.get_regularization_losses() == []
    assert tf.contrib.layers.sum_regularizer([None]) is None


@pytest.mark.parametrize(
    "make", [tf.contrib.layers.l1_regularizer, tf.contrib.layers.l2_regularizer]
)
def test_scale_checks(make):
    with pytest.raises(ValueError, match="scale cannot be an integer: 1"):
        make(1)
    with pytest.raises(ValueError, match="Setting a scale less than 0 on a regularizer: -0.5"):
        make(-0.5)
    with pytest.raises(ValueError, match="scale_l2 cannot be an integer"):
        tf.contrib.layers.l1_l2_regularizer(0.5, 2)


def test_apply_regularization_sums_over_weights():
    a = tf.Variable([1.0, -1.0], name="a")
    b = tf.Variable([2.0], name="b")
    tf.add_to_collection(tf.GraphKeys.WEIGHTS, a)
    total = tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0))
    both = tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0), [a, b])
    assert total.name == "get_regularization_penalty:0"
    assert tf.losses.get_regularization_losses() == [total, both]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([total, both]) == [2.0, 4.0]
    with tf.Graph().as_default(), pytest.raises(ValueError, match="No weights to regularize"):
        tf.contrib.layers.apply_regularization(tf.contrib.layers.l1_regularizer(1.0))
