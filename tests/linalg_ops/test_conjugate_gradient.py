"""tf.linalg.experimental.conjugate_gradient against numbers from the reference TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

MATRIX = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])


def _operator(**hints):
    hints = hints or {"is_self_adjoint": True, "is_positive_definite": True}
    return tf.linalg.LinearOperatorFullMatrix(MATRIX, **hints)


def _run(state):
    return [np.asarray(v) for v in tf.Session().run(state)]


def test_converges_and_names_as_tf(graph):
    state = tf.linalg.experimental.conjugate_gradient(
        _operator(), tf.constant([1.0, 2.0, 3.0], tf.float64)
    )
    assert type(state).__name__ == "CGState"
    assert state._fields == ("i", "x", "r", "p", "gamma")
    assert [t.name for t in state] == [f"conjugate_gradient/while/Exit_{k}:0" for k in range(1, 6)]
    i, x, r, p, gamma = _run(state)
    assert i == 3
    np.testing.assert_allclose(x, [0.22222222, 0.11111111, 1.44444444], rtol=1e-7)
    np.testing.assert_allclose(r, 0.0, atol=1e-12)
    np.testing.assert_allclose(gamma, 0.0, atol=1e-12)


def test_stops_after_max_iter(graph):
    rhs = tf.constant([1.0, 2.0, 3.0], tf.float64)
    i, x, r, p, gamma = _run(
        tf.linalg.experimental.conjugate_gradient(_operator(), rhs, max_iter=2)
    )
    assert i == 2
    np.testing.assert_allclose(x, [0.04923077, 0.32923077, 1.30153846], rtol=1e-7)
    np.testing.assert_allclose(r, [0.47384615, -0.33846154, 0.06769231], rtol=1e-7)
    np.testing.assert_allclose(p, [0.35928994, -0.45301775, 0.29680473], rtol=1e-7)
    np.testing.assert_allclose(gamma, 0.34366864, rtol=1e-7)


def test_batch_with_a_start(graph):
    rhs = tf.constant([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], tf.float64)
    state = tf.linalg.experimental.conjugate_gradient(
        _operator(), rhs, tol=1e-2, x=tf.ones([2, 3], tf.float64)
    )
    i, x, *_ = _run(state)
    assert i == 3
    np.testing.assert_allclose(
        x,
        [[0.22222222, 0.11111111, 1.44444444], [-0.11111111, 0.44444444, -0.22222222]],
        rtol=1e-7,
    )


def test_preconditioner(graph):
    rhs = tf.constant([1.0, 2.0, 3.0], tf.float64)
    jacobi = tf.linalg.LinearOperatorDiag(np.array([0.25, 1 / 3.0, 0.5]))
    state = tf.linalg.experimental.conjugate_gradient(
        _operator(), rhs, preconditioner=jacobi, max_iter=1
    )
    i, x, r, p, gamma = _run(state)
    assert i == 1
    np.testing.assert_allclose(x, [0.18069307, 0.48184818, 1.08415842], rtol=1e-7)
    np.testing.assert_allclose(p, [-0.04129701, -0.21051041, 0.2340661], rtol=1e-6)
    np.testing.assert_allclose(gamma, 0.23988049, rtol=1e-7)


def test_errors(graph):
    rhs = tf.constant([1.0, 2.0, 3.0], tf.float64)
    with pytest.raises(ValueError, match="Expected a self-adjoint, positive definite operator"):
        tf.linalg.experimental.conjugate_gradient(_operator(is_self_adjoint=True), rhs)
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        tf.linalg.experimental.conjugate_gradient(_operator(), tf.constant([1.0, 2.0], tf.float64))
