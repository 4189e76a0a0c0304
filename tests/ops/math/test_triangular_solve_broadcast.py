"""``tf.matrix_triangular_solve`` with batch dimensions that broadcast, as TF 2.21's
``MatrixTriangularSolve``: the static shape, the values and the gradients (summed back over
the broadcast batches), with TF's numbers."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

_R = np.random.RandomState(0)
A = np.tril(_R.rand(2, 3, 3) + np.eye(3)).astype(np.float32)
B = _R.rand(3, 2).astype(np.float32)
# TF 2.21, rounded to 4 places: the solution, d(sum x^2)/dA, d(sum x^2)/dB
X = [
    [[0.5024, 0.5617], [0.4951, 0.3463], [-0.1018, 0.115]],
    [[0.5625, 0.6289], [0.3423, 0.2295], [0.2213, 0.3935]],
]
GRAD_A = [
    [[-0.5135, 0.0, 0.0], [-0.6142, -0.5196, 0.0], [-0.0137, 0.0108, -0.024]],
    [[-0.8617, 0.0, 0.0], [-0.3456, -0.1745, 0.0], [-0.4059, -0.1812, -0.2224]],
]
GRAD_B = [[1.0635, 1.333], [1.1135, 0.647], [0.1378, 0.5466]]


def test_rhs_broadcast_over_the_matrices_batch(run):
    a, b = tf.constant(A), tf.constant(B)
    x = tf.matrix_triangular_solve(a, b)
    assert x.op.type == "MatrixTriangularSolve" and x.shape.as_list() == [2, 3, 2]
    grad_a, grad_b = tf.gradients(tf.reduce_sum(x * x), [a, b])
    assert grad_a.shape.as_list() == [2, 3, 3] and grad_b.shape.as_list() == [3, 2]
    got = run([x, grad_a, grad_b])
    for value, want in zip(got, [X, GRAD_A, GRAD_B], strict=True):
        np.testing.assert_allclose(value, want, atol=1e-4)


def test_static_shapes_broadcast():
    a = tf.placeholder(tf.float32, [4, 1, 3, 3])
    assert tf.matrix_triangular_solve(a, tf.placeholder(tf.float32, [5, 3, 2])).shape.as_list() == [
        4,
        5,
        3,
        2,
    ]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 4"):
        tf.matrix_triangular_solve(tf.zeros([2, 3, 3]), tf.zeros([4, 3, 2]))


def test_fed_batches_broadcast_when_run(run):
    a = tf.placeholder(tf.float32, [None, 3, 3])
    b = tf.placeholder(tf.float32, [None, 3, 2])
    x = tf.matrix_triangular_solve(a, b, lower=False, adjoint=True)
    grad_a, grad_b = tf.gradients(tf.reduce_sum(x * x), [a, b])
    feed = {a: np.swapaxes(A, 1, 2)[:1], b: np.stack([B, 2 * B])}
    value, ga, gb = run([x, grad_a, grad_b], feed)
    assert value.shape == (2, 3, 2) and ga.shape == (1, 3, 3) and gb.shape == (2, 3, 2)
    np.testing.assert_allclose(value[1], 2 * value[0], rtol=1e-5)
