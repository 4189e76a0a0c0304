"""Gradients through ``tf.truncatediv``/``tf.truncatemod``/the shifts as TF 2.21 gives them
(checked in the reference TF): TruncateDiv and the shifts are not differentiable (None),
TruncateMod has no gradient registered (``LookupError`` for a float input)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_truncatemod_float_gradient_raises_lookup_error_as_in_tf(graph):
    x = tf.constant([5.0, 7.0])
    y = tf.constant([3.0, 2.0])
    z = tf.truncatemod(x, y, name="tm")
    with pytest.raises(
        LookupError,
        match="No gradient defined for operation 'tm' "
        r"\(op type: TruncateMod\)",
    ):
        tf.gradients(z, [x, y])


def test_truncatemod_int_and_stopped_gradients_are_none_as_in_tf(graph):
    i = tf.constant([5, 7])
    assert tf.gradients(tf.truncatemod(i, tf.constant([3, 2])), [i]) == [None]
    x = tf.constant([5.0, 7.0])
    y = tf.constant([3.0, 2.0])
    z = tf.truncatemod(x, y)
    assert tf.gradients(z, [x], stop_gradients=[z]) == [None]
    gx, gy = tf.gradients(tf.stop_gradient(z) * x, [x, y])
    assert gy is None
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(gx), np.float32([2, 1]))  # TF: [2., 1.]


@pytest.mark.parametrize(
    "fn", [tf.truncatediv, tf.bitwise.left_shift, tf.bitwise.right_shift], ids=lambda f: f.__name__
)
def test_truncatediv_and_shifts_gradients_are_none_as_in_tf(graph, fn):
    x = tf.constant([5, 7])
    y = tf.constant([3, 2])
    assert tf.gradients(fn(x, y), [x, y]) == [None, None]
