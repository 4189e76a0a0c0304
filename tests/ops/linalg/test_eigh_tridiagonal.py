"""tf.linalg.eigh_tridiagonal against numbers from the reference TensorFlow (TF 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

ALPHA = [1.0, 2.0, 3.0, 4.0]
BETA = [0.5, 1.0, -1.0]
TF_VALUES = [0.69141903, 1.53097958, 3.04248528, 4.73511611]
# TF's eigenvectors (columns); each is unique up to its sign.
TF_VECTORS = [
    [-0.82084368, -0.55154142, -0.1455227, -0.0289976],
    [0.50659348, -0.58571447, -0.59445595, -0.21661884],
    [-0.25249676, 0.55048276, -0.54695023, -0.57797886],
    [-0.07631573, 0.22295594, -0.57121862, 0.7862416],
]


def _run(t):
    return tf.Session().run(t)


def test_eigenvalues(graph):
    e = tf.linalg.eigh_tridiagonal(tf.constant(ALPHA, tf.float64), tf.constant(BETA, tf.float64))
    assert e.name.startswith("eigh_tridiagonal/compute_eigenvalues/")
    np.testing.assert_allclose(_run(e), TF_VALUES, rtol=1e-7)


def test_eigenvectors_up_to_sign(graph):
    a, b = tf.constant(ALPHA, tf.float64), tf.constant(BETA, tf.float64)
    e, v = tf.linalg.eigh_tridiagonal(a, b, eigvals_only=False)
    values, vectors = _run([e, v])
    expected = np.asarray(TF_VECTORS)
    signs = np.sign(np.sum(vectors * expected, axis=0))
    np.testing.assert_allclose(values, TF_VALUES, rtol=1e-7)
    np.testing.assert_allclose(vectors * signs, expected, atol=1e-7)


@pytest.mark.parametrize(("select", "select_range"), [("i", [1, 2]), ("v", [1.5, 4.0])])
def test_select(graph, select, select_range):
    a, b = tf.constant(ALPHA, tf.float64), tf.constant(BETA, tf.float64)
    e = tf.linalg.eigh_tridiagonal(a, b, select=select, select_range=select_range)
    np.testing.assert_allclose(_run(e), [1.53097958, 3.04248528], rtol=1e-7)


def test_complex_input_gives_real_eigenvalues(graph):
    alpha = tf.constant([1 + 1j, 2.0], tf.complex128)  # the imaginary part is ignored
    e = tf.linalg.eigh_tridiagonal(alpha, tf.constant([1j], tf.complex128))
    assert e.dtype == tf.float64
    np.testing.assert_allclose(_run(e), [0.38196601, 2.61803399], rtol=1e-7)


def test_complex_eigenvectors_solve_the_hermitian_problem(graph):
    alpha, beta = np.array([1.0, 2.0, 0.5], np.complex128), np.array([1j, 2 - 1j])
    e, v = tf.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=False)
    values, vectors = _run([e, v])
    # TF: [-1.26834772, 0.92254394, 3.84580378]; beta above the diagonal, conj(beta) below.
    np.testing.assert_allclose(values, [-1.26834772, 0.92254394, 3.84580378], rtol=1e-7)
    matrix = np.diag(alpha) + np.diag(beta, 1) + np.diag(beta.conj(), -1)
    np.testing.assert_allclose(matrix @ vectors, vectors * values, atol=1e-12)


def test_one_element_returns_alpha(graph):
    # TF returns alpha itself for n == 1, eigenvectors requested or not.
    e = tf.linalg.eigh_tridiagonal(
        tf.constant([3.0], tf.float64), tf.constant([], tf.float64), eigvals_only=False
    )
    np.testing.assert_array_equal(_run(e), [3.0])


def test_errors(graph):
    a, b = tf.constant(ALPHA, tf.float64), tf.constant(BETA, tf.float64)
    with pytest.raises(ValueError, match="select must have a value in"):
        tf.linalg.eigh_tridiagonal(a, b, select="x")
    with pytest.raises(ValueError, match="not inexact"):
        tf.linalg.eigh_tridiagonal(tf.constant([1, 2]), tf.constant([1]))
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.linalg.eigh_tridiagonal(a, tf.constant([1.0], tf.float64))
