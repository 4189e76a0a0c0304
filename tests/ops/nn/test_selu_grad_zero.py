"""SELU's gradient at 0 is its scale, as TF 2.21's SeluGrad (outputs < 0 take the negative
branch, so 0 and -0.0 do not); values from the reference TF."""

from __future__ import annotations

import scopeflow as tf


def test_selu_gradient_at_zero_is_the_scale(graph):
    x = tf.constant([-1.0, 0.0, -0.0, 1.0])
    (g,) = tf.gradients(tf.nn.selu(x), x)
    raw = tf.raw_ops.SeluGrad(gradients=tf.ones([3]), outputs=tf.constant([-0.0, 0.0, 1.0]))
    with tf.Session() as sess:
        got, raw_got = sess.run([g, raw])
    scale = 1.0507010221481323
    assert got.tolist() == [0.6467685699462891, scale, scale, scale]
    assert raw_got.tolist() == [scale] * 3
