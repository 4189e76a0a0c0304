"""Tests for scopeflow/ops/linalg/ (lu.py, functions.py): TF's ops and names (TensorFlow 2.21's
records, ``tests/data/tf_reference/linalg_functions.json``), kernels against SciPy and NumPy,
gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case
from tests.ops.math.linalg_records import diagonal_ops_v1

REFERENCE = tf_reference("linalg_functions")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF 2.21's eye and set_diag build the V3 diagonal ops (with k and padding).
    expr: built(diagonal_ops_v1(GROUPS["EXPRESSIONS"][expr]["ops"]))
    for expr in (
        "tf.linalg.lu_solve(*tf.linalg.lu(m), r)",
        "tf.linalg.lu_solve(*tf.linalg.lu(m), r, name='s')",
        "tf.linalg.lu_matrix_inverse(*tf.linalg.lu(m))",
        "tf.linalg.expm(m)",
        "tf.linalg.expm(b)",
        "tf.linalg.expm(u)",
        "tf.gradients(tf.linalg.sqrtm(m), m)[0]",
    )
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


RNG = np.random.default_rng(11)
A = RNG.standard_normal((2, 4, 4))
SPD = A @ np.swapaxes(A, -1, -2) + 4 * np.eye(4)  # positive definite: a real square root
C = (RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3))) + 3 * np.eye(3)


def _lu(a):
    """SciPy's LU as ``(lu, perm)`` with ``a[perm] == L @ U``."""
    p, low, up = scipy.linalg.lu(a)
    return np.tril(low, -1) + up, np.argmax(p, axis=0).astype(np.int32)


def _batched(fn):
    def apply(x):
        outs = [fn(m) for m in x.reshape(-1, *x.shape[-2:])]
        return [np.stack(o).reshape(*x.shape[:-2], *o[0].shape) for o in zip(*outs, strict=True)]

    return apply


def _real_sqrtm(x):
    return np.stack([scipy.linalg.sqrtm(m).real for m in x.reshape(-1, *x.shape[-2:])]).reshape(
        x.shape
    )


CASES = [
    Case("lu", "Lu", lambda x: list(tf.linalg.lu(x)), (A,), _batched(_lu), tolerance=1e-12),
    Case(
        "lu-int64-f32",
        "Lu",
        lambda x: list(tf.linalg.lu(x, output_idx_type=tf.int64)),
        (A[0].astype(np.float32),),
        lambda x: [_lu(x)[0], _lu(x)[1].astype(np.int64)],
        tolerance=1e-5,
    ),
    Case("lu-complex", "Lu", lambda x: list(tf.linalg.lu(x)), (C,), lambda x: list(_lu(x)),
         tolerance=1e-12),
    Case("lu-singular", "Lu", lambda x: tf.linalg.lu(x)[0], (np.zeros((2, 2)),),
         Raises(tf.errors.InvalidArgumentError, "Input is not invertible.")),
    Case("sqrtm", "MatrixSquareRoot", tf.linalg.sqrtm, (SPD,), _real_sqrtm, tolerance=1e-10),
    Case("sqrtm-complex", "MatrixSquareRoot", tf.linalg.sqrtm, (C,), scipy.linalg.sqrtm,
         tolerance=1e-10),
    Case("sqrtm-negative", "MatrixSquareRoot", tf.matrix_square_root,
         (np.diag([-1.0, 2.0]),), np.full((2, 2), np.nan)),
    Case("sqrtm-empty", "MatrixSquareRoot", tf.linalg.sqrtm, (np.zeros((2, 0, 0)),),
         np.zeros((2, 0, 0))),
    Case("logm", "MatrixLogarithm", tf.linalg.logm, (C,), scipy.linalg.logm, tolerance=1e-10),
    Case("logm-singular", "MatrixLogarithm", tf.linalg.logm, (np.diag([0j, 1]),),
         np.full((2, 2), complex(np.nan, np.nan))),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("scale", [0.01, 0.2, 1.0, 3.0])
def test_expm_matches_scipy_at_every_pade_order(graph, scale):
    got = tf.Session().run(tf.linalg.expm(A * scale))
    want = np.stack([scipy.linalg.expm(m * scale) for m in A])
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_expm_of_a_non_finite_matrix_is_nan(graph):
    got = tf.Session().run(tf.linalg.expm(np.array([[np.inf, 0.0], [0.0, 1.0]])))
    assert np.isnan(got).all()


def test_lu_solve_reconstruct_and_inverse_undo_lu(graph):
    rhs = RNG.standard_normal((2, 4, 3))
    lower_upper, perm = tf.linalg.lu(A)
    solved = tf.linalg.lu_solve(lower_upper, perm, rhs)
    rebuilt = tf.linalg.lu_reconstruct(lower_upper, perm)
    inverse = tf.linalg.lu_matrix_inverse(lower_upper, perm)
    got = tf.Session().run([solved, rebuilt, inverse])
    np.testing.assert_allclose(got[0], np.linalg.solve(A, rhs), rtol=1e-10)
    np.testing.assert_allclose(got[1], A, atol=1e-12)
    np.testing.assert_allclose(got[2], np.linalg.inv(A), rtol=1e-10)


def test_normalize_returns_the_unit_tensor_and_its_norm(graph):
    unit, length = tf.Session().run(tf.linalg.normalize(A[0], ord=1, axis=-1))
    np.testing.assert_allclose(length, np.abs(A[0]).sum(-1, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(unit, A[0] / length, rtol=1e-12)


def test_lu_validate_args_with_unknown_shapes_raise_not_implemented(graph):
    lower_upper = tf.placeholder(tf.float64, [None, None])
    with pytest.raises(NotImplementedError, match="validate_args"):
        tf.linalg.lu_reconstruct(lower_upper, tf.placeholder(tf.int32, [None]), True)


GRADIENTS = [
    GradCase("sqrtm", tf.linalg.sqrtm, (SPD[0, :3, :3],)),
    GradCase("sqrtm_batch", tf.linalg.sqrtm, (SPD[:, :2, :2],)),
    GradCase("expm", tf.linalg.expm, (A[0, :3, :3] * 0.5,)),
    GradCase("expm_squared", tf.linalg.expm, (A[1, :2, :2] * 3,)),
    GradCase("lu_solve", lambda lu, r: tf.linalg.lu_solve(lu, [1, 0, 2], r),
             (np.triu(A[0, :3, :3]) + 3 * np.eye(3), A[1, :3, :2])),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_lu_and_logm_have_no_gradient_as_in_tf(graph):
    m = tf.constant(A[0])
    with pytest.raises(LookupError, match="No gradient defined for operation 'Lu'"):
        tf.gradients(tf.linalg.lu(m)[0], m)
    c = tf.constant(C)
    with pytest.raises(LookupError, match="op type: MatrixLogarithm"):
        tf.gradients(tf.math.real(tf.linalg.logm(c)), c)
