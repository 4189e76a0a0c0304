"""Tests for scopeflow/ops/math/sparse_matmul.py: ``tf.sparse_matmul`` (``SparseMatMul``), its
values, gradients (TF 2.21's numbers, and MatMul's for every transpose) and errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

A = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]], np.float32)
B = np.array([[1.0, 2.0], [0.0, 1.0], [4.0, 0.0]], np.float32)

CASES = [
    Case("plain", "SparseMatMul", tf.sparse_matmul, (A, B), A @ B, 0, ("full", "dims")),
    Case(
        "transposed_hints",
        "SparseMatMul",
        lambda a, b: tf.sparse_matmul(a, b, True, True, a_is_sparse=True, b_is_sparse=True),
        (A.T.copy(), B.T.copy()),
        A @ B,
        0,
        ("full", "dims"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def _in_float32(ta, tb):
    def build(a, b):
        product = tf.sparse_matmul(tf.cast(a, tf.float32), tf.cast(b, tf.float32), ta, tb, True)
        return tf.cast(product, tf.float64)

    return build


# The product is linear in each input, so central differences are exact for any step: a step
# of 0.25 keeps every float32 value exact.
GRADIENTS = [
    GradCase(f"transpose_{ta:d}{tb:d}", _in_float32(ta, tb), (A.T if ta else A, B.T if tb else B))
    for ta, tb in itertools.product([False, True], repeat=2)
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients_match_differences(case):
    check_gradient_case(case, delta=0.25)


def test_gradients_are_tensorflows(graph, run):
    a, b = tf.constant(A.T.copy()), tf.constant(B.T.copy())
    product = tf.sparse_matmul(a, b, transpose_a=True, transpose_b=True, a_is_sparse=True)
    w = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    ga, gb = run(tf.gradients(product, [a, b], grad_ys=w))
    np.testing.assert_array_equal(ga, [[5, 11], [2, 4], [4, 12]])
    np.testing.assert_array_equal(gb, [[1, 9, 2], [2, 12, 4]])


@pytest.mark.parametrize(("ta", "tb"), list(itertools.product([False, True], repeat=2)))
def test_gradients_equal_matmuls(graph, run, ta, tb):
    a = tf.constant(A.T.copy() if ta else A)
    b = tf.constant(B.T.copy() if tb else B)
    w = tf.constant([[1.0, -2.0], [0.5, 4.0]])
    sparse = tf.gradients(tf.sparse_matmul(a, b, ta, tb, b_is_sparse=True), [a, b], w)
    dense = tf.gradients(tf.matmul(a, b, ta, tb), [a, b], w)
    for got, want in zip(run(sparse), run(dense), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_types_and_shapes(graph):
    product = tf.sparse_matmul(tf.cast(A, tf.bfloat16), B)
    assert (product.dtype, product.shape.as_list()) == (tf.float32, [2, 2])
    with pytest.raises(TypeError, match="float32"):
        tf.sparse_matmul(tf.constant([[1, 2]]), tf.constant([[1], [2]]))
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.sparse_matmul(A, A)
