"""Build-time errors of ``tf.einsum`` and ``tf.matrix_triangular_solve`` as TF 2.21 raises
them: the output subscripts are checked while building, and an ``rhs`` of another dtype is
the op's ``TypeError``."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_einsum_output_label_missing_from_inputs():
    with pytest.raises(ValueError, match="Output subscripts contain the label k not present"):
        tf.einsum("ij->k", tf.ones([3, 4]))


@pytest.mark.parametrize("equation", ["ij->ii", "ij->jij"])
def test_einsum_output_label_repeated(equation):
    with pytest.raises(ValueError, match="label appearing more than once: " + equation):
        tf.einsum(equation, tf.ones([3, 4]))


def test_einsum_output_ellipsis_without_input_ellipsis_is_allowed():
    assert tf.einsum("ij->i...", tf.ones([3, 4])).shape.as_list() == [3]


def test_triangular_solve_rhs_of_another_dtype_is_type_error():
    matrix = tf.constant(np.eye(2, dtype=np.float32))
    with pytest.raises(TypeError, match="Input 'rhs' of 'MatrixTriangularSolve' Op has type"):
        tf.matrix_triangular_solve(matrix, tf.ones([2, 1], tf.float64))


def test_triangular_solve_python_rhs_takes_the_matrix_dtype(run):
    matrix = tf.constant(np.array([[2.0, 0.0], [1.0, 1.0]]))
    out = run(tf.matrix_triangular_solve(matrix, [[2.0], [3.0]]))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [[1.0], [2.0]])
