"""Tests for scopeflow/ops/math/linalg_lstsq.py: ``tf.matrix_solve_ls`` against NumPy's least
squares (over- and underdetermined, regularized), the ``MatrixSolveLs`` op's kernel, errors
and gradient against finite differences, and the ops, names, static shapes and build errors
of TensorFlow 2.21 (records in ``tests/data/tf_reference/linalg_lstsq.json``, from
``linalg_lstsq.py`` beside it).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.core.infer import apply_op
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case
from tests.ops.math.linalg_records import diagonal_ops_v1

REFERENCE = tf_reference("linalg_lstsq")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF 2.21 builds the V3 diagonal ops (with k and padding inputs).
    **{
        expr: built(diagonal_ops_v1(GROUPS["BUILDS"][expr]["ops"]))
        for expr in (
            "tf.matrix_solve_ls(a, b, l2_regularizer=0.5)",
            "tf.linalg.lstsq(w, b[:3], l2_regularizer=0.5)",
            "tf.matrix_solve_ls(s, m, l2_regularizer=0.1)",
            "tf.matrix_solve_ls(a, b, l2_regularizer=tf.constant(0.5))",
        )
    },
    **{
        expr: built(diagonal_ops_v1(GROUPS["GRADIENTS"][expr]["ops"]))
        for expr in GROUPS["GRADIENTS"]
    },
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)

R = np.random.default_rng(3)
TALL = R.standard_normal((2, 5, 3))
WIDE = R.standard_normal((2, 3, 5))
RHS = R.standard_normal((2, 5, 2))
RANK_ONE = np.ones((4, 2))


def lstsq(a, b):
    """NumPy's minimum-norm least-squares solutions of a batch."""
    return np.linalg.pinv(a) @ b


def regularized(a, b, l2):
    a_h = np.swapaxes(a, -1, -2)
    return np.linalg.solve(a_h @ a + l2 * np.eye(a.shape[-1]), a_h @ b)


def solve_ls_op(a, b, l2=0.0, fast=True):
    """The MatrixSolveLs op itself (tf.matrix_solve_ls builds it only for large batches, for
    fast=False, or for matrices of unknown dims)."""
    l2 = tf.constant(l2, tf.float64)
    return apply_op("MatrixSolveLs", [a, b, l2], {"fast": fast})


KERNEL_CASES = [
    Case("slow-tall", "MatrixSolveLs", lambda a, b: tf.matrix_solve_ls(a, b, fast=False),
         (TALL, RHS), lstsq, tolerance=1e-12),
    Case("slow-wide", "MatrixSolveLs", lambda a, b: tf.matrix_solve_ls(a, b, fast=False),
         (WIDE, RHS[:, :3]), lstsq, tolerance=1e-12),
    Case("slow-rank-deficient", "MatrixSolveLs",
         lambda a, b: tf.matrix_solve_ls(a, b, fast=False, l2_regularizer=3.0),
         (RANK_ONE, RHS[0, :4]), lstsq, tolerance=1e-12),
    Case("fast-tall", "MatrixSolveLs", lambda a, b: solve_ls_op(a, b, 0.5), (TALL, RHS),
         lambda a, b: regularized(a, b, 0.5), tolerance=1e-12),
    Case("fast-wide", "MatrixSolveLs", solve_ls_op, (WIDE, RHS[:, :3]), lstsq,
         tolerance=1e-12),
    Case("fast-f32", "MatrixSolveLs", solve_ls_op,
         (TALL.astype(np.float32), RHS.astype(np.float32)), lstsq, tolerance=1e-4),
    Case("fast-rank-deficient", "MatrixSolveLs", solve_ls_op, (RANK_ONE, RHS[0, :4]),
         Raises(tf.errors.InvalidArgumentError, "Input matrix was rank deficient")),
    Case("rows", "MatrixSolveLs", solve_ls_op, (TALL, RHS[:, :4]),
         Raises(tf.errors.InvalidArgumentError, "Input matrix and rhs are incompatible"),
         modes=("dims", "rank")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


GRAD_CASES = [
    GradCase("op-tall", lambda a, b: solve_ls_op(a, b, 0.5), (TALL, RHS)),
    GradCase("op-wide", lambda a, b: solve_ls_op(a, b, 0.5), (WIDE, RHS[:, :3])),
    GradCase("op-wide-unregularized", solve_ls_op, (WIDE[0], RHS[0, :3])),
    GradCase("composite-tall", tf.matrix_solve_ls, (TALL, RHS)),
    GradCase("composite-wide", lambda a, b: tf.linalg.lstsq(a, b, l2_regularizer=0.5),
             (WIDE, RHS[:, :3])),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient(case):
    check_gradient_case(case)


@pytest.mark.parametrize("fast", [True, False])
def test_unknown_dims_pick_the_formula_at_run_time(run, fast):
    a = tf.placeholder(tf.float64, [None, None])
    b = tf.placeholder(tf.float64, [None, 2])
    x = tf.matrix_solve_ls(a, b, fast=fast)
    assert x.op.type == "MatrixSolveLs"
    for matrix, rhs in ((TALL[0], RHS[0]), (WIDE[0], RHS[0, :3])):
        np.testing.assert_allclose(run(x, {a: matrix, b: rhs}), lstsq(matrix, rhs), rtol=1e-10)


def test_gradient_of_unknown_dims_asks_for_a_static_shape():
    a = tf.placeholder(tf.float64, [None, None])
    x = tf.matrix_solve_ls(a, tf.placeholder(tf.float64, [None, 2]))
    with pytest.raises(NotImplementedError, match="set_shape the matrix"):
        tf.gradients(x, a)
