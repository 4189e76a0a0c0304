"""Tests for scopeflow/ops/math/linalg_solve.py: ``MatrixInverse``, ``MatrixDeterminant``,
``LogMatrixDeterminant``, ``Cholesky`` and ``MatrixSolve`` against NumPy (batches, dtypes,
adjoints, empty matrices), their gradients against finite differences, TF1's run-time errors,
and the ops, names, static shapes and build errors of TensorFlow 2.21 (records in
``tests/data/tf_reference/linalg_solve.json``, from ``linalg_solve.py`` beside it).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case
from tests.ops.math.linalg_records import diagonal_ops_v1

REFERENCE = tf_reference("linalg_solve")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF 2.21 builds the V3 diagonal ops (with k and padding inputs).
    **{
        expr: built(diagonal_ops_v1(GROUPS["BUILDS"][expr]["ops"]))
        for expr in (
            "tf.linalg.logdet(s)",
            "tf.linalg.logdet(d, name='op')",
            "tf.linalg.trace(s)",
            "tf.trace(i)",
            "tf.trace(x, name='op')",
        )
    },
    **{
        expr: built(diagonal_ops_v1(GROUPS["GRADIENTS"][expr]["ops"]))
        for expr in ("tf.gradients(tf.cholesky(s), s)[0]",)
    },
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)


R = np.random.default_rng(11)


def well_conditioned(*shape, dtype=np.float64):
    """Random matrices ``[..., n, n]`` with a dominant diagonal."""
    n = shape[-1]
    a = R.standard_normal(shape) + 3 * np.eye(n)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * R.standard_normal(shape)
    return a.astype(dtype)


def positive_definite(*shape, dtype=np.float64):
    a = well_conditioned(*shape, dtype=dtype)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + np.eye(shape[-1])).astype(dtype)


def via32(fn):
    """A float16 reference: ``fn`` in float32, rounded to float16."""
    return lambda *xs: np.asarray(fn(*(x.astype(np.float32) for x in xs))).astype(np.float16)


def adj(x):
    return np.conj(np.swapaxes(x, -1, -2))


A = well_conditioned(4, 3, 3)
A32 = A.astype(np.float32)
C = well_conditioned(2, 3, 3, dtype=np.complex128)
PD = positive_definite(2, 3, 3)
PDC = positive_definite(3, 3, dtype=np.complex64)
B = R.standard_normal((4, 3, 2))
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
NOT_PD = np.array([[1.0, 2.0], [2.0, 1.0]], np.float32)
# Cholesky reads only the lower triangle: what is above it does not matter.
LOWER_ONLY = np.array([[4.0, 100.0], [2.0, 5.0]])

KERNEL_CASES = [
    Case("inv", "MatrixInverse", tf.matrix_inverse, (A,), np.linalg.inv, tolerance=1e-12),
    Case("inv-f32", "MatrixInverse", tf.linalg.inv, (A32,), np.linalg.inv, tolerance=1e-5),
    Case(
        "inv-adjoint",
        "MatrixInverse",
        lambda x: tf.matrix_inverse(x, adjoint=True),
        (C,),
        lambda x: np.linalg.inv(adj(x)),
        tolerance=1e-12,
    ),
    Case("inv-half", "MatrixInverse", tf.matrix_inverse, (A[0].astype(np.float16),),
         via32(np.linalg.inv), tolerance=1e-2),
    Case("inv-empty", "MatrixInverse", tf.matrix_inverse, (np.zeros((2, 0, 0)),),
         np.zeros((2, 0, 0))),
    Case("det", "MatrixDeterminant", tf.matrix_determinant, (A,), np.linalg.det,
         tolerance=1e-12),
    Case("det-f32", "MatrixDeterminant", tf.linalg.det, (A32[0],), np.linalg.det,
         tolerance=1e-5),
    Case("det-complex", "MatrixDeterminant", tf.linalg.det, (C,), np.linalg.det,
         tolerance=1e-12),
    Case("det-half", "MatrixDeterminant", tf.linalg.det, (A[0].astype(np.float16),),
         via32(np.linalg.det), tolerance=1e-2),
    Case("det-singular", "MatrixDeterminant", tf.linalg.det, (SINGULAR,), np.float32(0.0)),
    Case("det-empty", "MatrixDeterminant", tf.linalg.det, (np.zeros((2, 0, 0)),), np.ones(2)),
    Case(
        "slogdet",
        "LogMatrixDeterminant",
        lambda x: list(tf.linalg.slogdet(x)),
        (A,),
        lambda x: list(np.linalg.slogdet(x)),
        tolerance=1e-12,
    ),
    Case(
        "slogdet-complex",
        "LogMatrixDeterminant",
        lambda x: list(tf.linalg.slogdet(x)),
        (C.astype(np.complex64),),
        lambda x: [np.linalg.slogdet(x)[0], np.linalg.slogdet(x)[1].astype(np.complex64)],
        tolerance=1e-5,
    ),
    Case(
        "slogdet-singular",
        "LogMatrixDeterminant",
        lambda x: list(tf.linalg.slogdet(x)),
        (SINGULAR,),
        [np.float32(0.0), np.float32(-np.inf)],
    ),
    Case("cholesky", "Cholesky", tf.cholesky, (PD,), np.linalg.cholesky, tolerance=1e-12),
    Case("cholesky-complex", "Cholesky", tf.linalg.cholesky, (PDC,), np.linalg.cholesky,
         tolerance=1e-5),
    Case("cholesky-lower", "Cholesky", tf.cholesky, (LOWER_ONLY,), np.array([[2.0, 0], [1, 2]])),
    Case("cholesky-half", "Cholesky", tf.cholesky, (PD[0].astype(np.float16),),
         via32(np.linalg.cholesky), tolerance=1e-2),
    Case("solve", "MatrixSolve", tf.matrix_solve, (A, B), np.linalg.solve, tolerance=1e-12),
    Case(
        "solve-adjoint",
        "MatrixSolve",
        lambda a, b: tf.linalg.solve(a, b, adjoint=True),
        (C, C[..., :1]),
        lambda a, b: np.linalg.solve(adj(a), b),
        tolerance=1e-12,
    ),
    Case("solve-f32", "MatrixSolve", tf.matrix_solve, (A32, B.astype(np.float32)),
         np.linalg.solve, tolerance=1e-5),
    # TF1's run-time errors (TF 2.21's MatrixInverse fails with a garbled message, and its
    # Cholesky fills the factor with NaN instead).
    Case("inv-singular", "MatrixInverse", tf.matrix_inverse, (SINGULAR,),
         Raises(tf.errors.InvalidArgumentError, "Input is not invertible.")),
    Case("cholesky-not-pd", "Cholesky", tf.cholesky, (NOT_PD,),
         Raises(tf.errors.InvalidArgumentError, "Cholesky decomposition was not successful. "
                "The input might not be valid.")),
    Case("solve-singular", "MatrixSolve", tf.matrix_solve, (SINGULAR, SINGULAR),
         Raises(tf.errors.InvalidArgumentError, "Input matrix is not invertible.")),
    Case("solve-rows", "MatrixSolve", tf.matrix_solve, (A32[0], A32[0, :2]),
         Raises(tf.errors.InvalidArgumentError, "Input matrix and rhs are incompatible"),
         modes=("dims", "rank")),
    Case("inv-not-square", "MatrixInverse", tf.matrix_inverse, (A32[0, :2],),
         Raises(tf.errors.InvalidArgumentError, "Input matrix must be square"),
         modes=("dims", "rank")),
    Case("det-vector", "MatrixDeterminant", tf.matrix_determinant, (A32[0, 0],),
         Raises(tf.errors.InvalidArgumentError, "must have rank >= 2"), modes=("rank",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


def hide(t, mode):
    """``t`` through a ``placeholder_with_default`` of unknown dims (``dims``) or rank."""
    return tf.placeholder_with_default(t, None if mode == "rank" else [None] * t.shape.ndims)


def symmetric(x):
    """The symmetric part of ``x``: Cholesky reads only a triangle, and TF's gradient is the
    symmetric one."""
    return 0.5 * (x + tf.linalg.adjoint(x))


GRAD_CASES = [
    GradCase("inv", tf.matrix_inverse, (A[:2],)),
    GradCase("inv-adjoint", lambda x: tf.matrix_inverse(x, adjoint=True), (A[0],)),
    GradCase("inv-complex", tf.matrix_inverse, (C[0],)),
    GradCase("det", tf.matrix_determinant, (A[:2],)),
    GradCase("det-rank", lambda x: tf.matrix_determinant(hide(x, "rank")), (A[0],)),
    GradCase("slogdet", lambda x: tf.linalg.slogdet(x).log_abs_determinant, (A[:2],)),
    GradCase("slogdet-negative", lambda x: tf.linalg.slogdet(x)[1], (-A[0],)),
    GradCase("logdet", lambda x: tf.linalg.logdet(symmetric(x)), (PD,)),
    GradCase("cholesky", lambda x: tf.cholesky(symmetric(x)), (PD,)),
    GradCase("cholesky-dims", lambda x: tf.cholesky(hide(symmetric(x), "dims")), (PD[0],)),
    GradCase("cholesky-rank", lambda x: tf.cholesky(hide(symmetric(x), "rank")), (PD,)),
    GradCase("solve", tf.matrix_solve, (A, B)),
    GradCase("solve-adjoint", lambda a, b: tf.matrix_solve(a, b, adjoint=True), (A[0], B[0])),
    GradCase("solve-complex", tf.matrix_solve, (C, C[..., :2])),
    GradCase("cholesky-solve", lambda c, b: tf.cholesky_solve(c, b), (np.linalg.cholesky(PD),
                                                                      B[:2])),
    GradCase("trace", tf.linalg.trace, (A,)),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient(case):
    check_gradient_case(case)


def test_slogdet_is_tf1s_named_tuple(run):
    result = tf.linalg.slogdet(tf.constant(A32[0]))
    assert type(result).__name__ == "LogMatrixDeterminant"
    assert result._fields == ("sign", "log_abs_determinant")
    sign, log_abs = run(result)
    want_sign, want_log = np.linalg.slogdet(A32[0])
    assert sign == want_sign
    np.testing.assert_allclose(log_abs, want_log, rtol=1e-6)


def test_cholesky_solve_and_logdet_of_a_factor(run):
    chol = tf.cholesky(tf.constant(PD))
    x, logdet = run([tf.cholesky_solve(chol, B[:2]), tf.linalg.logdet(PD)])
    np.testing.assert_allclose(x, np.linalg.solve(PD, B[:2]), rtol=1e-10)
    np.testing.assert_allclose(logdet, np.linalg.slogdet(PD)[1], rtol=1e-12)


def test_adjoint_and_trace_of_complex_matrices(run):
    got = run([tf.linalg.adjoint(C), tf.trace(C)])
    np.testing.assert_array_equal(got[0], adj(C))
    np.testing.assert_allclose(got[1], np.trace(C, axis1=-2, axis2=-1), rtol=1e-15)


def test_logdet_of_a_complex_matrix_is_real(run):
    # TF 2.21: [[4, 1j], [-1j, 3]] gives float32 2.3978953 (log 11), through a Real op
    out = tf.linalg.logdet(np.array([[4, 1j], [-1j, 3]], np.complex64))
    real = tf.get_default_graph().get_operation_by_name("logdet/Real")
    assert out.dtype == tf.float32 and real.type == "Real"
    np.testing.assert_allclose(run(out), 2.3978953, rtol=1e-5)
    np.testing.assert_allclose(run(tf.linalg.logdet(PDC)), np.linalg.slogdet(PDC)[1], rtol=1e-4)


def test_failure_in_one_matrix_of_a_batch_fails_the_run(run):
    batch = np.stack([np.eye(2, dtype=np.float32), SINGULAR])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Input is not invertible"):
        run(tf.matrix_inverse(batch))
