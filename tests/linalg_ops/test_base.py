"""A user's LinearOperator subclass and gradients through operators, against numbers and names
from the reference TensorFlow (TF 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


class Scale2(tf.linalg.LinearOperator):
    """Twice the identity, known only through ``_shape``, ``_shape_tensor`` and ``_matmul``."""

    def __init__(self, n):
        self._n = n
        super().__init__(dtype=tf.float32, is_self_adjoint=True, name="Scale2")

    def _shape(self):
        return tf.TensorShape([self._n, self._n])

    def _shape_tensor(self):
        return tf.constant([self._n, self._n])

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return 2.0 * x


SUBCLASS_CASES = [
    ("to_dense", lambda op: op.to_dense(), "Scale2/to_dense/Scale2/matmul/mul:0", np.eye(3) * 2),
    ("det", lambda op: op.determinant(), "Scale2/det/MatrixDeterminant:0", 8.0),
    (
        "lad",
        lambda op: op.log_abs_determinant(),
        "Scale2/log_abs_det/LogMatrixDeterminant:1",
        2.079442024230957,
    ),
    ("trace", lambda op: op.trace(), "Scale2/trace/Sum:0", 6.0),
    (
        "solve",
        lambda op: op.solve(tf.ones([3, 1])),
        "Scale2/solve/MatrixSolveWithBroadcast/MatrixSolve:0",
        [[0.5], [0.5], [0.5]],
    ),
    ("matvec", lambda op: op.matvec([1.0, 2.0, 3.0]), "Scale2/matvec/Squeeze:0", [2.0, 4.0, 6.0]),
    ("eigvals", lambda op: op.eigvals(), "Scale2/eigvals/SelfAdjointEigV2:0", [2.0, 2.0, 2.0]),
    ("cond", lambda op: op.cond(), "Scale2/cond/truediv:0", 1.0),
    ("diag_part", lambda op: op.diag_part(), "Scale2/diag_part/diag_part:0", [2.0, 2.0, 2.0]),
]


@pytest.mark.parametrize(("what", "method", "name", "expected"), SUBCLASS_CASES)
def test_subclass_gets_the_dense_fallbacks(graph, what, method, name, expected):
    op = Scale2(3)
    assert (op.shape.as_list(), op.is_square, op.is_self_adjoint) == ([3, 3], True, True)
    t = method(op)
    assert t.name == name
    np.testing.assert_allclose(tf.Session().run(t), expected, rtol=1e-6)


def _gradients():
    m = tf.constant([[2.0, 1.0], [0.5, 3.0]])
    full = tf.linalg.LinearOperatorFullMatrix(m)
    yield (
        tf.gradients(tf.reduce_sum(full.solve([[1.0], [2.0]])), m)[0],
        [[-0.082645, -0.289256], [-0.033058, -0.115702]],
    )
    d = tf.constant([1.0, -2.0, 4.0])
    yield (
        tf.gradients(tf.linalg.LinearOperatorDiag(d).log_abs_determinant(), d)[0],
        [1.0, -0.5, 0.25],
    )
    spd = tf.constant([[4.0, 1.0], [1.0, 3.0]])
    op = tf.linalg.LinearOperatorFullMatrix(spd, is_self_adjoint=True, is_positive_definite=True)
    yield (
        tf.gradients(op.log_abs_determinant(), spd)[0],
        [[0.272727, -0.090909], [-0.090909, 0.363636]],
    )
    spectrum = tf.constant([6.0, 2.0, 1.0, 2.0])
    circulant = tf.linalg.LinearOperatorCirculant(spectrum, input_output_dtype=tf.float32)
    y = tf.reduce_sum(circulant.matvec([1.0, 2.0, 3.0, 4.0]))
    yield tf.gradients(y, spectrum)[0], [10.0, 0.0, 0.0, 0.0]
    u = tf.constant([[1.0], [0.5]])
    update = tf.linalg.LinearOperatorLowRankUpdate(tf.linalg.LinearOperatorDiag([1.0, 2.0]), u)
    yield tf.gradients(update.log_abs_determinant(), u)[0], [[0.941176], [0.235294]]


def test_gradients_flow_through_operators(graph):
    grads, expected = zip(*_gradients(), strict=True)
    values = tf.Session().run(list(grads))
    for value, want in zip(values, expected, strict=True):
        np.testing.assert_allclose(value, want, rtol=1e-5, atol=1e-6)
