"""MaxPool skips NaN as TF 2.21's CPU kernel does (values from the reference TF): a window
with a number gives its largest number, an all-NaN window the lowest finite float."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

NAN = float("nan")
LOWEST = float(np.finfo(np.float32).min)


def test_max_pool_skips_nan_valid_and_same(graph):
    valid = np.array([NAN, 1.0, 2.0, 3.0, NAN, NAN, NAN, NAN], np.float32).reshape(1, 2, 4, 1)
    same = np.array([NAN, 1.0, NAN, NAN, NAN, NAN, -2.0, NAN, NAN], np.float32)
    a = tf.nn.max_pool(valid, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    b = tf.nn.max_pool(same.reshape(1, 3, 3, 1), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    with tf.Session() as sess:
        got_a, got_b = sess.run([a, b])
    assert got_a.ravel().tolist() == [1.0, 3.0]
    assert got_b.ravel().tolist() == [1.0, LOWEST, -2.0, LOWEST]
