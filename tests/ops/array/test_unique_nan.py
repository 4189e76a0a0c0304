"""tf.unique / tf.unique_with_counts keep each NaN as its own value, as TF 2.21's kernel
does (values from the reference TF)."""

from __future__ import annotations

import math

import numpy as np

import scopeflow as tf

NAN = float("nan")


def test_unique_keeps_every_nan_distinct(graph):
    y, idx = tf.unique(tf.constant([NAN, 1.0, NAN, 1.0]))
    cy, cidx, counts = tf.unique_with_counts(tf.constant([NAN, 2.0, NAN, 2.0, 1.0]))
    dy, didx = tf.unique(tf.constant([1.0, NAN], tf.float64), out_idx=tf.int64)
    with tf.Session() as sess:
        got = sess.run([y, idx, cy, cidx, counts, dy, didx])
    y_v, idx_v, cy_v, cidx_v, counts_v, dy_v, didx_v = got
    assert [math.isnan(v) for v in y_v] == [True, False, True] and y_v[1] == 1.0
    assert idx_v.tolist() == [0, 1, 2, 1]
    assert np.isnan(cy_v).tolist() == [True, False, True, False]
    assert cy_v[[1, 3]].tolist() == [2.0, 1.0]
    assert cidx_v.tolist() == [0, 1, 2, 1, 3] and counts_v.tolist() == [1, 2, 1, 1]
    assert dy_v[0] == 1.0 and math.isnan(dy_v[1])
    assert didx_v.dtype == np.int64 and didx_v.tolist() == [0, 1]
