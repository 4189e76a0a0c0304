"""Tests for scopeflow/ops/math/svd.py: ``Svd``'s gradient through ``u`` and ``v`` against
finite differences; ``tf.linalg.pinv`` and ``tf.linalg.matrix_rank`` against NumPy; the ops,
names, static shapes and build errors of TensorFlow 2.21 for them and for the ``tf.linalg``
names of other modules' functions (records in ``tests/data/tf_reference/linalg_svd.json``,
from ``linalg_svd.py`` beside it). The ``Svd`` kernel is tested with ``tf.norm``
(test_norm.py).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference
from tests.ops.math.linalg_records import diagonal_ops_v1

REFERENCE = tf_reference("linalg_svd")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF 2.21 builds the V3 diagonal ops (with k and padding inputs).
    expr: built(diagonal_ops_v1(GROUPS["GRADIENTS"][expr]["ops"]))
    for expr in GROUPS["GRADIENTS"]
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)

R = np.random.default_rng(2)
COMPLEX = R.standard_normal((3, 4)) + 1j * R.standard_normal((3, 4))

# u and v are unique up to the signs (phases) of their columns: the cases differentiate
# functions that do not see them.
GRAD_CASES = [
    GradCase("values-with-uv", lambda x: tf.svd(x)[0], (R.standard_normal((2, 4, 3)),)),
    GradCase("u-tall", lambda x: tf.square(tf.svd(x)[1]), (R.standard_normal((4, 3)),)),
    GradCase("v-wide", lambda x: tf.square(tf.svd(x)[2]), (R.standard_normal((2, 3, 5)),)),
    GradCase("square", lambda x: tf.square(tf.svd(x)[1]), (R.standard_normal((3, 3)),)),
    GradCase(
        "full", lambda x: tf.square(tf.svd(x, full_matrices=True)[2]), (R.standard_normal((3, 4)),)
    ),
    GradCase("complex-u", lambda x: tf.abs(tf.svd(x)[1]), (COMPLEX,)),
    GradCase("complex-v", lambda x: tf.abs(tf.svd(x)[2]), (COMPLEX.T,)),
    GradCase("pinv", tf.linalg.pinv, (R.standard_normal((2, 3, 5)),)),
    GradCase("pinv-tall", tf.linalg.pinv, (R.standard_normal((5, 3)),)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient(case):
    check_gradient_case(case)


@pytest.mark.parametrize("shape", [(5, 4, 3), (3, 6), (2, 3, 3)])
def test_pinv_matches_numpy(run, shape):
    a = R.standard_normal(shape)
    np.testing.assert_allclose(run(tf.linalg.pinv(a)), np.linalg.pinv(a), rtol=1e-10, atol=1e-12)


def test_pinv_drops_small_singular_values(run):
    a = np.diag([2.0, 1e-16, 0.0])
    hidden = tf.placeholder_with_default(a, [None, None])
    want = np.diag([0.5, 0.0, 0.0])
    np.testing.assert_allclose(run(tf.linalg.pinv(hidden)), want, atol=1e-15)
    np.testing.assert_allclose(run(tf.linalg.pinv(a, rcond=1e-20)), np.diag([0.5, 1e16, 0.0]))


def test_matrix_rank_matches_numpy(run):
    a = R.standard_normal((4, 5, 3)) @ np.diag([1.0, 1.0, 0.0]) @ R.standard_normal((3, 3))
    a[0] = 0.0
    got = run(
        [tf.linalg.matrix_rank(a), tf.linalg.matrix_rank(tf.placeholder_with_default(a, None))]
    )
    for ranks in got:
        np.testing.assert_array_equal(ranks, np.linalg.matrix_rank(a))
        assert ranks.dtype == np.int32
    assert run(tf.linalg.matrix_rank(np.diag([1.0, 0.25]), tol=0.5)) == 1


def test_validate_args_says_what_to_do():
    with pytest.raises(NotImplementedError, match="static rank"):
        tf.linalg.pinv(np.eye(2), validate_args=True)
