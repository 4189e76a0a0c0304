"""Tests for scopeflow/ops/sparse/extrema.py: ``sparse_reduce_max`` (and ``_sparse``),
``sparse_softmax``, ``sparse_maximum``/``sparse_minimum`` and ``sparse_split`` build TF1's ops,
names, attributes and static shapes (records read from TensorFlow 2.21 by
``tools/tf_reference.py`` from tests/data/tf_reference/sparse_extrema.py); their kernels
against NumPy and SparseSoftmax's gradient against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("sparse_extrema")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {}


(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)


# -- kernels ------------------------------------------------------------------------------

IDX = np.array([[0, 0], [0, 2], [1, 1]], np.int64)
VALS = np.array([-1.0, -2.0, 3.0], np.float32)
SHAPE = np.array([3, 3], np.int64)
SPARSE = (IDX, VALS, SHAPE)
OTHER = np.array([[0, 2], [1, 0], [2, 2]], np.int64)
OTHER_VALS = np.array([4.0, -5.0, 6.0], np.float32)


def sp(i, v, s):
    return tf.SparseTensor(i, v, s)


def parts(x: tf.SparseTensor) -> list:
    return [x.indices, x.values, x.dense_shape]


def merged(x: tf.SparseTensor) -> list:
    """The outputs of SparseSparseMaximum/Minimum (the dense shape is the first operand's)."""
    return [x.indices, x.values]


def _softmax_reference(indices, values):
    out = np.empty_like(values)
    for row in np.unique(indices[:, :-1], axis=0):
        inside = (indices[:, :-1] == row).all(1)
        e = np.exp(values[inside] - values[inside].max())
        out[inside] = e / e.sum()
    return out


SOFT_IDX = np.array([[0, 0, 1], [0, 0, 3], [0, 2, 0], [1, 1, 1], [1, 1, 2]], np.int64)
SOFT_VALS = np.array([1.0, 2.0, 5.0, -1.0, 0.5])

# fmt: off
CASES = [
    Case("reduce_max-axis1", "SparseReduceMax",
         lambda i, v, s: tf.sparse_reduce_max(sp(i, v, s), 1), SPARSE,
         np.array([-1.0, 3.0, 0.0], np.float32), exact_static=False),
    Case("reduce_max-all", "SparseReduceMax", lambda i, v, s: tf.sparse_reduce_max(sp(i, v, s)),
         SPARSE, np.float32(3.0), exact_static=False),
    Case("reduce_max-keepdims-int", "SparseReduceMax",
         lambda i, v, s: tf.sparse_reduce_max(sp(i, v, s), [0], keepdims=True),
         (IDX, np.array([4, -7, 2], np.int32), SHAPE), np.array([[4, 2, -7]], np.int32),
         exact_static=False),
    Case("reduce_max-axis", "SparseReduceMax",
         lambda i, v, s: tf.sparse_reduce_max(sp(i, v, s), 2), SPARSE,
         Raises(tf.errors.InvalidArgumentError,
                "Invalid reduction dimension 2, for input with 2 dimensions.")),
    Case("reduce_max_sparse", "SparseReduceMaxSparse",
         lambda i, v, s: parts(tf.sparse_reduce_max_sparse(sp(i, v, s), 1)), SPARSE,
         [np.array([[0], [1]]), np.array([-1.0, 3.0], np.float32), np.array([3])],
         exact_static=False),
    Case("reduce_max_sparse-keepdims", "SparseReduceMaxSparse",
         lambda i, v, s: parts(tf.sparse_reduce_max_sparse(sp(i, v, s), 0, keepdims=True)),
         SPARSE, [np.array([[0, 0], [0, 1], [0, 2]]), np.array([-1.0, 3.0, -2.0], np.float32),
                  np.array([1, 3])], exact_static=False),
    Case("softmax-3d", "SparseSoftmax", lambda i, v, s: tf.sparse_softmax(sp(i, v, s)).values,
         (SOFT_IDX, SOFT_VALS, np.array([2, 3, 4], np.int64)),
         _softmax_reference(SOFT_IDX, SOFT_VALS), tolerance=1e-12),
    Case("softmax-rank1", "SparseSoftmax",
         lambda i, v, s: tf.sparse_softmax(sp(i, v, s)).values,
         (np.array([[0]], np.int64), np.array([1.0]), np.array([3], np.int64)),
         Raises(tf.errors.InvalidArgumentError, "Input should have rank >= 2"),
         modes=("rank",)),
    Case("maximum", "SparseSparseMaximum",
         lambda i, v, s, j, w: merged(tf.sparse_maximum(sp(i, v, s), sp(j, w, s))),
         (*SPARSE, OTHER, OTHER_VALS),
         [np.array([[0, 0], [0, 2], [1, 0], [1, 1], [2, 2]]),
          np.array([0.0, 4.0, 0.0, 3.0, 6.0], np.float32)], exact_static=False),
    Case("minimum", "SparseSparseMinimum",
         lambda i, v, s, j, w: merged(tf.sparse_minimum(sp(i, v, s), sp(j, w, s))),
         (*SPARSE, OTHER, OTHER_VALS),
         [np.array([[0, 0], [0, 2], [1, 0], [1, 1], [2, 2]]),
          np.array([-1.0, -2.0, -5.0, 0.0, 0.0], np.float32)], exact_static=False),
    Case("maximum-shapes", "SparseSparseMaximum",
         lambda i, v, s, j, w, t: tf.sparse_maximum(sp(i, v, s), sp(j, w, t)).values,
         (*SPARSE, OTHER, OTHER_VALS, np.array([3, 4], np.int64)),
         Raises(tf.errors.InvalidArgumentError, "Operands do not have the same ranks or shapes")),
    Case("split-axis1", "SparseSplit",
         lambda i, v, s: [t for x in tf.sparse_split(sp_input=sp(i, v, s), num_split=2, axis=1)
                          for t in parts(x)], SPARSE,
         [np.array([[0, 0], [1, 1]]), np.array([-1.0, 3.0], np.float32), np.array([3, 2]),
          np.array([[0, 0]]), np.array([-2.0], np.float32), np.array([3, 1])],
         exact_static=False),
    Case("split-axis0", "SparseSplit",
         lambda i, v, s: [t for x in tf.sparse_split(sp_input=sp(i, v, s), num_split=3, axis=-2)
                          for t in parts(x)], SPARSE,
         [np.array([[0, 0], [0, 2]]), np.array([-1.0, -2.0], np.float32), np.array([1, 3]),
          np.array([[0, 1]]), np.array([3.0], np.float32), np.array([1, 3]),
          np.zeros((0, 2), np.int64), np.zeros(0, np.float32), np.array([1, 3])],
         exact_static=False),
    Case("split-too-many", "SparseSplit",
         lambda i, v, s: tf.sparse_split(sp_input=sp(i, v, s), num_split=4, axis=1)[0].values,
         SPARSE, Raises(tf.errors.InvalidArgumentError,
                        "Input num_split should be between 1 and the splitting dimension size")),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


GRAD_CASES = [
    GradCase(
        "softmax",
        lambda v: (
            tf.sparse_softmax(tf.SparseTensor(SOFT_IDX, v, [2, 3, 4])).values * np.arange(1.0, 6.0)
        ),
        (SOFT_VALS.copy(),),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_ops_without_tf1_gradient_stop_gradients():
    """Deliberate difference: TF registers no gradient for SparseReduceMax(Sparse) and
    SparseSplit (tf.gradients raises LookupError) and SparseSparseMaximum/Minimum's raise;
    scopeflow marks them not differentiable, as it does TF's other sparse ops without one
    (SparseReduceSumSparse, SparseConcat), so their gradients are None."""
    v = tf.constant([1.0, 2.0, 3.0])
    a = tf.SparseTensor(IDX, v, SHAPE)
    assert tf.gradients(tf.sparse_reduce_max(a, 1), v) == [None]
    assert tf.gradients(tf.sparse_maximum(a, a).values, v) == [None]
    assert tf.gradients(tf.sparse_split(sp_input=a, num_split=3, axis=0)[0].values, v) == [None]
