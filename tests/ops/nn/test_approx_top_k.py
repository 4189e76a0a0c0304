"""Tests for scopeflow/ops/nn/approx_top_k.py (``tf.nn.approx_max_k``/``approx_min_k``):
TF 2.21's values (its CPU kernel is exact, as this one), gradients and build errors. The op
takes no float64, too coarse for finite differences: its gradient is checked against TF's
values."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

X = np.float32([[3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8]])

CASES = [
    Case("max-k", "ApproxTopK", lambda x: list(tf.nn.approx_max_k(x, 3)), (X,),
         [np.float32([[9, 6, 5], [8, 8, 8]]), np.int32([[5, 7, 4], [3, 5, 7]])], 0,
         ("full", "dims")),
    Case("min-k-axis-0", "ApproxTopK",
         lambda x: list(tf.math.approx_min_k(x, 1, reduction_dimension=0)), (X,),
         [np.float32([[2, 1, 1, 1, 2, 8, 1, 6]]), np.int32([[1, 0, 1, 0, 1, 1, 1, 0]])], 0,
         ("full",)),
    Case("max-k-float16", "ApproxTopK", lambda x: list(tf.nn.approx_max_k(x, 1)),
         (np.float16([[1, 3, 2]]),), [np.float16([[3]]), np.int32([[1]])], 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_gradient_is_tfs(run):
    p = tf.placeholder(tf.float32, [2, 8])
    values, _ = tf.nn.approx_max_k(p, 3)
    (grad,) = tf.gradients(values, p, grad_ys=np.float32([[1, 2, 3], [4, 5, 6]]))
    assert grad.name == "gradients/ApproxTopK_grad/ScatterNd:0"
    want = [[0, 0, 0, 0, 3, 1, 0, 2], [0, 0, 0, 4, 0, 5, 0, 6]]  # TF 2.21's
    assert run(grad, {p: X}).tolist() == want


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda p: tf.nn.approx_max_k(p, 9), ValueError,
         "input must have last dimension >= k = 9 but was 8"),
        (lambda p: tf.nn.approx_max_k(p, 2, reduction_dimension=2), ValueError,
         r"Invalid reduction dimension: 2. Must be within the range of \[-2, 1\]"),
        (lambda p: tf.nn.approx_max_k(p[0, 0], 1), ValueError,
         "Shape must be at least rank 1 but is rank 0"),
        (lambda p: tf.nn.approx_max_k(tf.cast(p, tf.int32), 2), TypeError,
         "not in list of allowed values: float16, bfloat16, float32"),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(build, error, match):
    with pytest.raises(error, match=match):
        build(tf.placeholder(tf.float32, [2, 8]))


def test_the_raw_op_at_the_top_level_is_tfs(run, graph):
    values, indices = tf.approx_top_k([[3.0, 1.0, 4.0], [1.0, 5.0, 9.0]], 2)
    low = tf.approx_top_k(X, 1, is_max_k=False, reduction_dimension=0, name="ap")
    assert [op.name for op in graph.get_operations()] == [
        "ApproxTopK/input", "ApproxTopK", "ap/input", "ap",
    ]  # fmt: skip
    assert values.op.get_attr("is_max_k") and not low.values.op.get_attr("is_max_k")
    got = run([values, indices, low.indices])
    assert got[0].tolist() == [[4, 3], [9, 5]] and got[1].tolist() == [[2, 0], [2, 1]]
    assert got[2].tolist() == [[1, 0, 1, 0, 1, 1, 1, 0]]
