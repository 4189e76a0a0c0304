"""``Session(executor="jax")`` gives the NumPy kernels' (TF 2.21's) values at the edges of
Igamma, Igammac, Zeta and Polygamma, and TF's NaN handling in unsorted_segment_max/min
(fed through placeholders, so the JAX lowerings compute them, not constant folding)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

pytest.importorskip("jax")

INF, NAN = np.inf, np.nan


def _jax_run(fn, *arrays):
    with tf.Graph().as_default():
        holders = [tf.placeholder(a.dtype, a.shape) for a in arrays]
        with tf.Session(executor="jax") as sess:
            return sess.run(fn(*holders), dict(zip(holders, arrays, strict=True)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_igamma_and_igammac_edges(dtype):
    a = np.array([0.0, NAN, -1.0, 2.0, INF, INF, 2.0, INF, 1.0], dtype)
    x = np.array([0.0, 0.0, 0.0, 0.0, INF, 0.5, -1.0, 3.0, INF], dtype)
    got = _jax_run(tf.math.igamma, a, x)
    np.testing.assert_array_equal(got, [0, 0, 0, 0, 0, 0, NAN, 0, 1])
    got = _jax_run(tf.math.igammac, a, x)
    np.testing.assert_array_equal(got, [NAN, NAN, NAN, 1, 0, 1, NAN, 1, 0])


def test_zeta_at_poles_and_infinite_arguments():
    x = np.array([1.0, 1.5, 2.0, 3.0, 4.0, 51.0, INF, 0.5, NAN])
    for q in (0.0, -1.0, -2.0):
        out = _jax_run(tf.math.zeta, x, np.full_like(x, q))
        np.testing.assert_array_equal(out, [INF, NAN, INF, NAN, INF, NAN, INF, NAN, NAN])
    out = _jax_run(tf.math.zeta, np.full(5, INF, np.float32), np.float32([0.25, 1, 1.5, 3, INF]))
    np.testing.assert_array_equal(out, [INF, 1, 0, 0, 0])
    out = _jax_run(tf.math.zeta, np.array([0.5, 1.0, 2.0, NAN]), np.full(4, INF))
    np.testing.assert_array_equal(out, [NAN, INF, 0, NAN])
    out = _jax_run(tf.math.zeta, np.array([2.0, 3.5, 3.0]), np.array([-2.5, -2.5, -1.5]))
    np.testing.assert_allclose(out, [9.53925, NAN, 0.118102], rtol=1e-5)


def test_polygamma_at_poles_and_infinities():
    x = np.array([-3.0, -INF, 0.0, -1.5])
    n = np.array([[1.0], [2.0], [4.0], [5.0]]) * np.ones([1, 4])
    out = _jax_run(tf.math.polygamma, n, np.broadcast_to(x, [4, 4]).copy())
    np.testing.assert_array_equal(out[:, :3], [[INF] * 3, [NAN] * 3, [NAN] * 3, [INF] * 3])
    np.testing.assert_allclose(out[:, 3], [9.37925, -0.236204, -0.313756, 15381.6], rtol=1e-5)
    n = np.float32([0, 1, 2, 51, INF, INF, INF, -1, 1.5])
    x = np.float32([INF, INF, INF, INF, INF, 0.5, 2, 1, 1])
    out = _jax_run(tf.math.polygamma, n, x)
    np.testing.assert_array_equal(out, [INF, 0, 0, NAN, NAN, INF, NAN, NAN, NAN])


@pytest.mark.parametrize("fn", [tf.math.unsorted_segment_max, tf.math.unsorted_segment_min])
def test_segment_extremum_nan_stands_until_a_number_follows(fn):
    data = np.float32([NAN, 1, 2, NAN, NAN, NAN, 3, NAN, 4, 5, NAN, 6, NAN, 7, NAN])
    ids = np.int32([0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5])
    expected = np.float32([1, NAN, NAN, 4, 6, NAN])
    out = _jax_run(lambda d, i: fn(d, i, 6), data, ids)
    np.testing.assert_array_equal(out, expected)
    out = _jax_run(lambda d, i: fn(d, i, 7), np.stack([data, -data], 1), ids)
    np.testing.assert_array_equal(out[:6], np.stack([expected, -expected], 1))
    start = (
        np.finfo(np.float32).min if fn is tf.math.unsorted_segment_max else np.finfo(np.float32).max
    )
    np.testing.assert_array_equal(out[6], [start, start])
