"""Igamma, Igammac, Zeta and Polygamma at their edges, with TF 2.21's values (where SciPy,
which computes them, gives other ones): poles of the Hurwitz zeta, x = 0, infinite orders."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

INF, NAN = np.inf, np.nan


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_igamma_is_zero_at_x_zero_for_every_a(run, dtype):
    a = np.array([0.0, NAN, -1.0, 2.0, INF, INF, 2.0], dtype)
    x = np.array([0.0, 0.0, 0.0, 0.0, INF, 0.5, -1.0], dtype)
    np.testing.assert_array_equal(run(tf.math.igamma(a, x)), [0, 0, 0, 0, 0, 0, NAN])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_igammac_of_infinite_a_and_x_is_zero(run, dtype):
    a = np.array([INF, 0.0, NAN, -1.0, 1.0], dtype)
    x = np.array([INF, 0.0, 0.0, 0.0, INF], dtype)
    np.testing.assert_array_equal(run(tf.math.igammac(a, x)), [0, NAN, NAN, NAN, 0])


def test_zeta_at_poles_of_q_is_inf_for_even_orders_only(run):
    x = np.array([1.0, 1.5, 2.0, 3.0, 4.0, 51.0, INF, 0.5, NAN])
    for q in (0.0, -1.0, -2.0):
        out = run(tf.math.zeta(x, np.full_like(x, q)))
        np.testing.assert_array_equal(out, [INF, NAN, INF, NAN, INF, NAN, INF, NAN, NAN])


def test_zeta_negative_q_wants_an_integer_order(run):
    out = run(tf.math.zeta([2.0, 3.5, 3.0], [-2.5, -2.5, -1.5]))
    np.testing.assert_allclose(out, [9.53925, NAN, 0.118102], rtol=1e-5)


def test_zeta_of_infinite_order(run):
    out = run(tf.math.zeta(np.full(5, INF, np.float32), np.float32([0.25, 1.0, 1.5, 3.0, INF])))
    np.testing.assert_array_equal(out, [INF, 1, 0, 0, 0])


def test_polygamma_at_poles_is_inf_for_odd_n_and_nan_for_even(run):
    x = np.array([-3.0, -INF, 0.0, -1.5])
    n = np.array([[1.0], [2.0], [4.0], [5.0]]) * np.ones([1, 4])
    out = run(tf.math.polygamma(n, np.broadcast_to(x, [4, 4])))
    np.testing.assert_array_equal(out[:, :3], [[INF] * 3, [NAN] * 3, [NAN] * 3, [INF] * 3])
    np.testing.assert_allclose(out[:, 3], [9.37925, -0.236204, -0.313756, 15381.6], rtol=1e-5)
