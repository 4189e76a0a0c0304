# ruff: noqa: E501 - the table holds TF's operator names, long as they are
"""Products and solves of two operators (``a.matmul(b)``, ``a.solve(b)``): the operator TF
returns (its name, its hints, its dense value) for each pair, from the reference TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

L = tf.linalg
SPD = np.array([[4.0, 1.0], [1.0, 3.0]])


def _operators():
    pd = {"is_self_adjoint": True, "is_positive_definite": True}
    return {
        "full": L.LinearOperatorFullMatrix(SPD, **pd),
        "diag": L.LinearOperatorDiag(np.array([1.0, 2.0]), is_positive_definite=True),
        "ident": L.LinearOperatorIdentity(2, dtype=tf.float64),
        "scaled": L.LinearOperatorScaledIdentity(2, np.float64(3.0), is_positive_definite=True),
        "tril": L.LinearOperatorLowerTriangular(np.array([[2.0, 0.0], [1.0, 3.0]])),
        "zeros": L.LinearOperatorZeros(2, dtype=tf.float64),
        "circ": L.LinearOperatorCirculant(
            np.array([3.0, 1.0]), input_output_dtype=tf.float64, is_positive_definite=True
        ),
        "house": L.LinearOperatorHouseholder(np.array([1.0, 2.0])),
        "perm": L.LinearOperatorPermutation(np.array([1, 0], np.int32), dtype=tf.float64),
        "kron": L.LinearOperatorKronecker(
            [L.LinearOperatorDiag(np.array([2.0]), is_positive_definite=True),
             L.LinearOperatorFullMatrix(SPD, **pd)]
        ),
        "comp": L.LinearOperatorComposition(
            [L.LinearOperatorFullMatrix(np.array([[4.0, 1.0], [2.0, 3.0]])),
             L.LinearOperatorDiag(np.array([1.0, 2.0]))]
        ),
    }  # fmt: skip


PRODUCTS = [
    (
        "full.matmul(full)",
        "LinearOperatorFullMatrix_o_LinearOperatorFullMatrix",
        [True, True, True, True],
        [[17.0, 7.0], [7.0, 10.0]],
    ),
    (
        "full.solve(ident)",
        "LinearOperatorFullMatrix_inv",
        [True, True, True, True],
        [[0.272727, -0.090909], [-0.090909, 0.363636]],
    ),
    (
        "full.solve(zeros)",
        "LinearOperatorFullMatrix_inv_o_LinearOperatorZeros",
        [False, None, None, True],
        [[0.0, 0.0], [0.0, 0.0]],
    ),
    (
        "full.matmul(zeros)",
        "LinearOperatorZeros",
        [False, True, False, True],
        [[0.0, 0.0], [0.0, 0.0]],
    ),
    ("diag.matmul(diag)", "LinearOperatorDiag", [True, True, True, True], [[1.0, 0.0], [0.0, 4.0]]),
    (
        "diag.matmul(scaled)",
        "LinearOperatorDiag",
        [True, True, True, True],
        [[3.0, 0.0], [0.0, 6.0]],
    ),
    (
        "diag.matmul(tril)",
        "LinearOperatorLowerTriangular",
        [None, None, None, True],
        [[2.0, 0.0], [2.0, 6.0]],
    ),
    (
        "diag.solve(tril)",
        "LinearOperatorLowerTriangular",
        [None, None, None, True],
        [[2.0, 0.0], [0.5, 1.5]],
    ),
    (
        "diag.solve(full)",
        "LinearOperatorDiag_inv_o_LinearOperatorFullMatrix",
        [True, None, None, True],
        [[4.0, 1.0], [0.5, 1.5]],
    ),
    ("diag.solve(ident)", "LinearOperatorDiag", [True, True, True, True], [[1.0, 0.0], [0.0, 0.5]]),
    (
        "scaled.matmul(diag)",
        "LinearOperatorDiag",
        [True, True, True, True],
        [[3.0, 0.0], [0.0, 6.0]],
    ),
    (
        "scaled.solve(scaled)",
        "LinearOperatorScaledIdentity",
        [True, True, True, True],
        [[1.0, 0.0], [0.0, 1.0]],
    ),
    (
        "tril.matmul(diag)",
        "LinearOperatorLowerTriangular",
        [None, None, None, True],
        [[2.0, 0.0], [1.0, 6.0]],
    ),
    (
        "tril.solve(diag)",
        "LinearOperatorLowerTriangular_inv_o_LinearOperatorDiag",
        [None, None, None, True],
        [[0.5, 0.0], [-0.166667, 0.666667]],
    ),
    (
        "circ.solve(ident)",
        "LinearOperatorCirculant",
        [True, True, True, True],
        [[0.666667, -0.333333], [-0.333333, 0.666667]],
    ),
    (
        "circ.matmul(full)",
        "LinearOperatorCirculant_o_LinearOperatorFullMatrix",
        [True, None, None, True],
        [[9.0, 5.0], [6.0, 7.0]],
    ),
    (
        "house.matmul(house)",
        "LinearOperatorHouseholder_o_LinearOperatorHouseholder",
        [None, True, None, True],
        [[1.0, -0.0], [-0.0, 1.0]],
    ),
    (
        "house.solve(ident)",
        "LinearOperatorHouseholder",
        [None, True, False, True],
        [[0.6, -0.8], [-0.8, -0.6]],
    ),
    (
        "kron.matmul(kron)",
        "LinearOperatorDiag_x_LinearOperatorFullMatrix_o_LinearOperatorDiag_x_LinearOperatorFullMatrix",
        [True, True, True, True],
        [[68.0, 28.0], [28.0, 40.0]],
    ),
    (
        "kron.solve(ident)",
        "LinearOperatorDiag_x_LinearOperatorFullMatrix_inv",
        [True, True, True, True],
        [[0.136364, -0.045455], [-0.045455, 0.181818]],
    ),
    (
        "ident.matmul(full)",
        "LinearOperatorFullMatrix",
        [True, True, True, True],
        [[4.0, 1.0], [1.0, 3.0]],
    ),
    (
        "ident.solve(zeros)",
        "LinearOperatorZeros",
        [False, True, False, True],
        [[0.0, 0.0], [0.0, 0.0]],
    ),
    (
        "zeros.matmul(full)",
        "LinearOperatorZeros",
        [False, True, False, True],
        [[0.0, 0.0], [0.0, 0.0]],
    ),
    (
        "perm.solve(perm)",
        "LinearOperatorPermutation_inv_o_LinearOperatorPermutation",
        [None, None, None, True],
        [[1.0, 0.0], [0.0, 1.0]],
    ),
    (
        "house.solve(circ)",
        "LinearOperatorHouseholder_inv_o_LinearOperatorCirculant",
        [None, None, None, True],
        [[0.4, -1.0], [-2.2, -2.0]],
    ),
    (
        "full.solve(comp)",
        "LinearOperatorFullMatrix_inv_o_LinearOperatorFullMatrix_o_LinearOperatorDiag",
        [None, None, None, True],
        [[0.909091, 0.0], [0.363636, 2.0]],
    ),
    (
        "scaled.solve(diag)",
        "LinearOperatorDiag",
        [True, True, True, True],
        [[0.333333, 0.0], [0.0, 0.666667]],
    ),
]


@pytest.mark.parametrize(("expr", "name", "hints", "dense"), PRODUCTS)
def test_product_as_tf(graph, expr, name, hints, dense):
    ops = _operators()
    a, method, b = expr.replace("(", ".").rstrip(")").split(".")
    result = getattr(ops[a], method)(ops[b])
    assert result.name == name
    got = [result.is_non_singular, result.is_self_adjoint, result.is_positive_definite]
    assert got + [result.is_square] == hints
    np.testing.assert_allclose(tf.Session().run(result.to_dense()), dense, atol=1e-6)
