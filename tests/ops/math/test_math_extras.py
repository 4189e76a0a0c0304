"""Tests for scopeflow/ops/math/math_extras.py (and ``tf.lbeta``, ``tf.math.invert_permutation``
under the names TF 2.21 files them): what they build (names, static shapes, gradient graphs),
what they refuse, their kernels and gradients.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/math_extras.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/math_extras.py``; ``DIFFERENCES`` lists where scopeflow differs.
The kernels' values were compared with TF 2.21's on the same inputs.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("math_extras")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}
DIFFERENCES: dict = {}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, DIFFERENCES
)

NAN, INF = float("nan"), float("inf")
I32 = np.int32([[1, 2, 3], [1, 1, 1]])

# TF 2.21's values for the same inputs
CASES = [
    Case("euclidean-norm", "EuclideanNorm", lambda x: tf.math.reduce_euclidean_norm(x, 1),
         (np.float32([[3, 4], [0, 1], [INF, 1], [NAN, 1]]),), np.float32([5, 1, INF, NAN]), 0,
         ("full", "dims", "rank")),
    Case("euclidean-norm-int", "EuclideanNorm", tf.math.reduce_euclidean_norm, (I32,),
         np.int32(4), 0, ("full",)),
    Case("euclidean-norm-uint8-wraps", "EuclideanNorm",
         lambda x: tf.math.reduce_euclidean_norm(x, 1), (np.uint8([[15, 10]]),), np.uint8([8]),
         0, ("full",)),
    Case("euclidean-norm-float16-overflows", "EuclideanNorm",
         lambda x: tf.math.reduce_euclidean_norm(x, 1, keepdims=True),
         (np.float16([[300, 400]]),), np.float16([[INF]]), 0, ("full",)),
    Case("euclidean-norm-complex", "EuclideanNorm",
         lambda x: tf.math.reduce_euclidean_norm(x, 1), (np.complex64([[3 + 4j, 1j]]),),
         np.complex64([np.sqrt(26)]), 1e-6, ("full",)),
    Case("cumulative-logsumexp", "CumulativeLogsumexp", tf.math.cumulative_logsumexp,
         (np.float32([0, 0, 1000, -INF, NAN, 1]),),
         np.float32([0, 0.6931472, 1000, 1000, 1000.6932, 1000.6932]), 1e-6,
         ("full", "dims", "rank")),
    Case("cumulative-logsumexp-exclusive", "CumulativeLogsumexp",
         lambda x: tf.math.cumulative_logsumexp(x, axis=1, exclusive=True),
         (np.float64([[1, 2, 3], [-1, -2, -3]]),),
         np.float64([[-INF, 1, np.logaddexp(1, 2)], [-INF, -1, np.logaddexp(-1, -2)]]), 1e-12,
         ("full",)),
    Case("cumulative-logsumexp-reverse", "CumulativeLogsumexp",
         lambda x: tf.math.cumulative_logsumexp(x, axis=0, exclusive=True, reverse=True),
         (np.float64([[1, 2, 3], [-1, -2, -3]]),), np.float64([[-1, -2, -3], [-INF] * 3]),
         1e-12, ("full",)),
    Case("cumulative-logsumexp-infinities", "CumulativeLogsumexp", tf.math.cumulative_logsumexp,
         (np.float32([INF, INF, -INF]),), np.float32([INF, NAN, NAN]), 0, ("full",)),
    Case("cumulative-logsumexp-float16", "CumulativeLogsumexp", tf.math.cumulative_logsumexp,
         (np.float16([1, 2, 3]),), np.float16([1, 2.3132, 3.4076]), 1e-3, ("full",)),
    Case("multiply-no-nan", "MulNoNan", tf.math.multiply_no_nan,
         (np.float32([NAN, INF, 2, 3, -INF]), np.float32([0, 0, 3, NAN, -0.0])),
         np.float32([0, 0, 6, NAN, 0]), 0, ("full", "rank")),
    Case("multiply-no-nan-complex", "MulNoNan", tf.math.multiply_no_nan,
         (np.complex64([NAN, 2]), np.complex64([0, 1j])), np.complex64([0, 2j]), 0, ("full",)),
    Case("nextafter", "NextAfter", tf.math.nextafter,
         (np.float32([1, 1, 0, -0.0, INF, NAN, 1]), np.float32([2, 0, 1, -1, 0, 1, NAN])),
         np.nextafter(np.float32([1, 1, 0, -0.0, INF, NAN, 1]),
                      np.float32([2, 0, 1, -1, 0, 1, NAN])), 0, ("full", "rank")),
    Case("nextafter-float64", "NextAfter", tf.math.nextafter,
         (np.float64([1, 0]), np.float64([[2], [-1]])),
         np.nextafter(np.float64([1, 0]), np.float64([[2], [-1]])), 0, ("full",)),
    Case("reciprocal-no-nan", "DivNoNan", tf.math.reciprocal_no_nan,
         (np.float32([2, 0, -4, INF, NAN]),), np.float32([0.5, 0, -0.25, 0, NAN]), 0,
         ("full",)),
    Case("erfcinv", "Mul", tf.math.erfcinv, (np.float32([0, 0.5, 1, 1.5, 2, -1, 3, NAN]),),
         np.float32([INF, 0.4769363, 0, -0.4769363, -INF, NAN, NAN, NAN]), 1e-6, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_composites(run):
    x = np.float32([0, 1, -2])
    assert run(tf.math.polyval([1.0, 2.0, 3.0], x)).tolist() == [3, 6, 3]
    assert run(tf.math.polyval([2, 3], np.int32([4]))).tolist() == [11]
    assert run(tf.scalar_mul(2.0, x)).tolist() == [0, 2, -4]
    assert run(tf.math.accumulate_n([I32, I32, I32])).tolist() == (3 * I32).tolist()
    np.testing.assert_allclose(run(tf.lbeta([[1.0, 2.0], [0.5, 0.5]])), [-0.6931472, 1.1447299])
    assert run(tf.math.invert_permutation([2, 0, 3, 1])).tolist() == [1, 3, 0, 2]


def test_scalar_mul_keeps_indexed_slices(run):
    params = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    (g,) = tf.gradients(tf.gather(params, [2, 0]), params)
    scaled = tf.scalar_mul(3.0, g)
    assert isinstance(scaled, tf.IndexedSlices) and scaled.values.op.type == "Mul"
    np.testing.assert_array_equal(run(scaled.values), np.full([2, 2], 3.0))


def test_gradient_values(run):
    x = tf.constant([[3.0, 4.0], [0.0, 0.0]])
    y = tf.constant([0.5, 2.0, -1.0])
    gx = tf.gradients(tf.math.reduce_euclidean_norm(x, 1), x)[0]
    gy = tf.gradients(tf.math.cumulative_logsumexp(y), y, grad_ys=tf.constant([1.0, -2.0, 0.5]))[0]
    got_x, got_y = run([gx, gy])
    np.testing.assert_allclose(got_x, [[0.6, 0.8], [NAN, NAN]])  # TF 2.21's values
    np.testing.assert_allclose(got_y, [0.7227942, -1.2423502, 0.01955629], rtol=1e-5)


R = np.random.default_rng(13)
GRAD_CASES = [
    GradCase("euclidean-norm", lambda x: tf.math.reduce_euclidean_norm(x, 1),
             (R.normal(size=(2, 3)),)),
    GradCase("euclidean-norm-all", tf.math.reduce_euclidean_norm, (R.normal(size=(2, 3)),)),
    GradCase("cumulative-logsumexp", lambda x: tf.math.cumulative_logsumexp(x, axis=1),
             (R.normal(size=(2, 4)),)),
    GradCase("cumulative-logsumexp-reverse",
             lambda x: tf.math.cumulative_logsumexp(x, reverse=True), (R.normal(size=(4,)),)),
    GradCase("multiply-no-nan", tf.math.multiply_no_nan,
             (R.normal(size=(2, 3)), R.normal(size=(3,)))),
    GradCase("nextafter", lambda x, y: tf.math.nextafter(x, y) * 2.0,
             (R.normal(size=(2, 3)), R.normal(size=(3,)))),
    GradCase("erfcinv", tf.math.erfcinv, (R.uniform(0.3, 1.7, (3,)),)),
    GradCase("polyval", lambda x: tf.math.polyval(list(np.float64([1, -2, 3])), x),
             (R.normal(size=(3,)),)),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)
