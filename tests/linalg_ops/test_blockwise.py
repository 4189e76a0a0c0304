# ruff: noqa: E501 - the table holds TF's tensor names, long as they are
"""Blockwise arguments (a list with one tensor a block) of LinearOperatorBlockDiag and
LinearOperatorBlockLowerTriangular give a list, with the values and names of the reference
TensorFlow (TF 2.21)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

L = tf.linalg
DS = "LinearOperatorFullMatrix_ds_LinearOperatorDiag"
BLT = "LinearOperatorBlockLowerTriangular"


def _block_diag():
    return L.LinearOperatorBlockDiag(
        [L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]]), L.LinearOperatorDiag([5.0])]
    )


def _block_lower():
    return L.LinearOperatorBlockLowerTriangular(
        [
            [L.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])],
            [L.LinearOperatorFullMatrix([[1.0, -1.0]]), L.LinearOperatorDiag([5.0])],
        ]
    )


def _columns():
    return [tf.constant([[1.0], [2.0]]), tf.constant([[3.0]])]


def _vectors():
    return [tf.constant([1.0, 2.0]), tf.constant([3.0])]


CASES = [
    ("bd", lambda op: op.matmul(_columns()), [[[5.0], [11.0]], [[15.0]]],
     [f"{DS}/matmul/LinearOperatorFullMatrix/matmul/MatMul:0", f"{DS}/matmul/LinearOperatorDiag/matmul/mul:0"]),
    ("bd", lambda op: op.matmul(_columns(), adjoint=True), [[[7.0], [10.0]], [[15.0]]], None),
    ("bd", lambda op: op.matmul([tf.constant([[1.0, 2.0]]), tf.constant([[3.0]])], adjoint_arg=True),
     [[[5.0], [11.0]], [[15.0]]], None),
    ("bd", lambda op: op.solve(_columns()), [[[0.0], [0.5]], [[0.6]]],
     [f"{DS}/solve/LinearOperatorFullMatrix/solve/MatrixSolveWithBroadcast/MatrixSolve:0", f"{DS}/solve/LinearOperatorDiag/solve/mul:0"]),
    ("bd", lambda op: op.matvec(_vectors()), [[5.0, 11.0], [15.0]],
     [f"{DS}/matvec/Squeeze:0", f"{DS}/matvec/Squeeze_1:0"]),
    ("bd", lambda op: op.solvevec(_vectors()), [[0.0, 0.5], [0.6]],
     [f"{DS}/solve/Squeeze:0", f"{DS}/solve/Squeeze_1:0"]),
    ("blt", lambda op: op.matmul(_columns()), [[[5.0], [11.0]], [[14.0]]],
     [f"{BLT}/matmul/LinearOperatorFullMatrix/matmul/MatMul:0", f"{BLT}/matmul/add:0"]),
    ("blt", lambda op: op.solve(_columns(), adjoint=True), [[[3.1], [-0.9]], [[0.6]]],
     [f"{BLT}/solve/LinearOperatorFullMatrix/solve/MatrixSolveWithBroadcast/MatrixSolve:0", f"{BLT}/solve/LinearOperatorDiag/solve/mul:0"]),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "method", "expected", "names"), CASES)
def test_blockwise_arguments_give_blockwise_results(graph, kind, method, expected, names):
    result = method(_block_diag() if kind == "bd" else _block_lower())
    assert isinstance(result, list)
    values = tf.Session().run(result)
    for value, want in zip(values, expected, strict=True):
        np.testing.assert_allclose(value, want, rtol=1e-6)
    if names is not None:
        assert [t.name for t in result] == names


def test_a_nested_python_list_is_one_argument(graph):
    y = _block_diag().matmul([[1.0], [2.0], [3.0]])
    assert y.name == f"{DS}/matmul/concat:0"
    np.testing.assert_allclose(tf.Session().run(y), [[5.0], [11.0], [15.0]])


def test_a_block_of_the_wrong_size_is_refused(graph):
    a = tf.constant([[1.0], [2.0]])
    with pytest.raises(ValueError, match="Dimensions 1 and 2 are not compatible"):
        _block_diag().matmul([a, a])
