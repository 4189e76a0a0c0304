"""Gradients of the sparse ops (scopeflow/ops/sparse/) against central differences in float64:
with respect to a sparse tensor's values and to the dense operands, as TF1 defines them. The
ops these gradients build are checked against TF's records in test_ops.py."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases

IDX = np.array([[0, 0], [0, 2], [1, 1]], np.int64)
SHAPE = [2, 3]
UNSORTED = np.array([[1, 1], [0, 2], [0, 0]], np.int64)
OTHER = np.array([[0, 1], [0, 2], [1, 2]], np.int64)  # overlaps IDX at [0, 2]
RNG = np.random.default_rng(0)


def values(n: int = 3) -> np.ndarray:
    return RNG.standard_normal(n) + 2.0


def sp(v, indices=IDX, shape=SHAPE):
    return tf.SparseTensor(indices, v, shape)


def _matmul(adjoint_a: bool, adjoint_b: bool, complex_: bool = False) -> GradCase:
    inner = 2 if adjoint_a else 3
    b = RNG.standard_normal((4, inner) if adjoint_b else (inner, 4))
    v = values()
    if complex_:
        b, v = b + 1j * RNG.standard_normal(b.shape), v - 1j * values()
    return GradCase(
        f"matmul-{adjoint_a:d}{adjoint_b:d}" + ("-complex" if complex_ else ""),
        lambda v, b: tf.sparse_tensor_dense_matmul(sp(v), b, adjoint_a, adjoint_b),
        (v, b),
    )


def _lookup(combiner: str, weighted: bool, fast: bool = False) -> GradCase:
    positions = [[0, 0], [0, 1], [0, 2], [2, 0], [2, 1]]

    def build(table, w):
        sp_weights = tf.SparseTensor(positions, w, [3, 3]) if weighted else None
        sp_ids = tf.SparseTensor(positions, tf.constant([3, 0, 3, 1, 2], tf.int64), [3, 3])
        return tf.nn.embedding_lookup_sparse(
            table, sp_ids, sp_weights, combiner=combiner, allow_fast_lookup=fast
        )

    return GradCase(
        f"embedding_lookup_sparse-{combiner}"
        + ("-weighted" if weighted else "")
        + ("-fast" if fast else ""),
        build,
        (RNG.standard_normal((4, 2)), values(5)),
    )


CASES = [
    _matmul(False, False),
    _matmul(True, False),
    _matmul(False, True),
    _matmul(True, True),
    _matmul(True, True, complex_=True),
    GradCase("to_dense", lambda v: tf.sparse.to_dense(sp(v)), (values(),)),
    GradCase(
        "sparse_to_dense-default",
        lambda v, k: tf.sparse_to_dense(IDX, SHAPE, v, k),
        (values(), np.float64(0.5)),
    ),
    GradCase(
        "sparse_add",
        lambda v, w: tf.sparse_add(sp(v), sp(w, OTHER)).values,
        (values(), values()),
    ),
    GradCase(
        "sparse_add-threshold",
        lambda v, w: tf.sparse_add(sp(v), sp(w, OTHER), threshold=0.1).values,
        (np.array([1.0, 2.0, 3.0]), np.array([4.0, -2.0, 5.0])),
    ),
    GradCase(
        "sparse_add-dense",
        lambda v, d: tf.sparse_add(sp(v), d),
        (values(), RNG.standard_normal(SHAPE)),
    ),
    GradCase("reduce_sum-axis", lambda v: tf.sparse_reduce_sum(sp(v), 1), (values(),)),
    GradCase("reduce_sum-all", lambda v: tf.sparse_reduce_sum(sp(v)), (values(),)),
    GradCase(
        "reduce_sum-keepdims",
        lambda v: tf.sparse_reduce_sum(sp(v), [0], keepdims=True),
        (values(),),
    ),
    GradCase(
        "reorder",
        lambda v: tf.sparse_reorder(sp(v, UNSORTED)).values * [1.0, 2.0, 3.0],
        (values(),),
    ),
    GradCase("slice", lambda v: tf.sparse_slice(sp(v), [0, 1], [2, 2]).values, (values(),)),
    GradCase(
        "fill_empty_rows",
        lambda v, k: tf.sparse_fill_empty_rows(sp(v, shape=[4, 3]), k)[0].values,
        (values(), np.float64(0.5)),
    ),
    GradCase("mul-broadcast", lambda v, d: (sp(v) * d).values, (values(), RNG.standard_normal(3))),
    GradCase("mul-scalar", lambda v, d: (sp(v) * d).values, (values(), np.float64(1.5))),
    GradCase("div", lambda v, d: (sp(v) / d).values, (values(), values(2).reshape(2, 1))),
    GradCase(
        "segment_sum",
        lambda d: tf.segment_sum(d, [0, 0, 2, 2]),
        (RNG.standard_normal((4, 2)),),
    ),
    GradCase(
        "sparse_segment_sum",
        lambda d: tf.sparse_segment_sum(d, [0, 3, 3, 1], [0, 0, 1, 1]),
        (RNG.standard_normal((4, 2)),),
    ),
    GradCase(
        "sparse_segment_mean",
        lambda d: tf.sparse_segment_mean(d, [0, 3, 3, 1], [0, 0, 0, 2], num_segments=4),
        (RNG.standard_normal((4, 2)),),
    ),
    GradCase(
        "sparse_segment_sqrt_n",
        lambda d: tf.sparse_segment_sqrt_n(d, [2, 3, 3], [0, 0, 2]),
        (RNG.standard_normal((4, 2)),),
    ),
    GradCase(
        "sparse_segment_sum-num_segments",
        lambda d: tf.sparse_segment_sum(d, [1], [2], num_segments=3),
        (RNG.standard_normal((4, 2)),),
    ),
    GradCase(
        "sparse_segment_sqrt_n-num_segments",
        lambda d: tf.sparse_segment_sqrt_n(d, [0, 1], [1, 1], num_segments=2),
        (RNG.standard_normal((4, 2)),),
    ),
    GradCase("retain", lambda v: tf.sparse_retain(sp(v), [True, False, True]).values, (values(),)),
    _lookup("mean", weighted=False),
    _lookup("sum", weighted=False),
    _lookup("sqrtn", weighted=False),
    _lookup("mean", weighted=True),
    _lookup("sum", weighted=True),
    _lookup("sqrtn", weighted=True),
    _lookup("mean", weighted=True, fast=True),
    _lookup("sum", weighted=False, fast=True),
]


@pytest.mark.parametrize("case", gradient_cases(CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_matmul_values_gradient_is_the_dense_gradient_at_the_indices(run):
    a = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])
    b = RNG.standard_normal((3, 4))
    v = tf.constant(a[tuple(IDX.T)])
    (dv,) = tf.gradients(tf.reduce_sum(tf.sparse_tensor_dense_matmul(sp(v), b) ** 2), v)
    dense_grad = 2 * (a @ b) @ b.T
    np.testing.assert_allclose(run(dv), dense_grad[tuple(IDX.T)], rtol=1e-12)


def test_ops_tf1_leaves_without_gradient_stop_gradients():
    v = tf.constant([1.0, 2.0, 3.0])
    reduced = tf.sparse_reduce_sum_sparse(sp(v), 1)
    assert tf.gradients(reduced.values, v) == [None]


def test_embedding_lookup_sparse_trains_only_the_rows_it_read(run):
    table = tf.Variable(np.ones((5, 2)), name="table")
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 1, 3], tf.int64), [2, 2])
    loss = tf.reduce_sum(tf.nn.embedding_lookup_sparse(table, ids, None, combiner="sum"))
    (grad,) = tf.gradients(loss, table)
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.values.op.type == "SparseSegmentSumGradV2"
    run(tf.train.GradientDescentOptimizer(0.5).minimize(loss))
    np.testing.assert_array_equal(run(table)[:, 0], [1.0, 0.5, 1.0, 0.0, 1.0])
