"""Tests for scopeflow/ops/linalg/tridiagonal.py: TF's ops and names (TensorFlow 2.21's
records, ``tests/data/tf_reference/linalg_tridiagonal.json``), kernels against dense NumPy
solves and products, gradients against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("linalg_tridiagonal")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: none.
DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


RNG = np.random.default_rng(21)
D = RNG.standard_normal((2, 3, 5))
D[:, 0, -1] = D[:, 2, 0] = 0.0  # the entries outside the matrix
RHS = RNG.standard_normal((2, 5, 3))
C = D + 1j * RNG.standard_normal(D.shape)


def _dense(d):
    """The ``[..., M, M]`` matrices of compact diagonals ``[..., 3, M]``."""
    m = d.shape[-1]
    out = np.zeros((*d.shape[:-2], m, m), d.dtype)
    idx = np.arange(m)
    out[..., idx, idx] = d[..., 1, :]
    out[..., idx[:-1], idx[1:]] = d[..., 0, :-1]
    out[..., idx[1:], idx[:-1]] = d[..., 2, 1:]
    return out


def _solve_op(pivoting):
    return lambda d, r: (
        tf.get_default_graph()
        .create_op(
            "TridiagonalSolve",
            [d, r],
            attrs={"partial_pivoting": pivoting, "perturb_singular": False},
        )
        .outputs[0]
    )


def _matmul_op(d, r):
    parts = [tf.expand_dims(d[..., i, :], -2) for i in range(3)]
    return tf.get_default_graph().create_op("TridiagonalMatMul", [*parts, r]).outputs[0]


SINGULAR = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
CASES = [
    Case("solve", "TridiagonalSolve", _solve_op(True), (D, RHS),
         lambda d, r: np.linalg.solve(_dense(d), r), tolerance=1e-10),
    Case("solve-thomas", "TridiagonalSolve", _solve_op(False), (D + 4 * np.eye(3, 5)[1], RHS),
         lambda d, r: np.linalg.solve(_dense(d), r), tolerance=1e-10),
    Case("solve-complex", "TridiagonalSolve", _solve_op(True), (C, RHS.astype(complex)),
         lambda d, r: np.linalg.solve(_dense(d), r), tolerance=1e-10),
    Case("solve-singular", "TridiagonalSolve", _solve_op(True), (SINGULAR, np.ones((3, 1))),
         np.full((3, 1), np.nan)),
    Case("matmul", "TridiagonalMatMul", _matmul_op, (D, RHS),
         lambda d, r: _dense(d) @ r, tolerance=1e-12),
    Case("matmul-complex", "TridiagonalMatMul", _matmul_op, (C, RHS.astype(complex)),
         lambda d, r: _dense(d) @ r, tolerance=1e-12),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_solve_matches_tf_on_a_system_that_needs_pivoting(graph):
    d = tf.constant([[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 7.0, 8.0]], tf.float64)
    x = tf.linalg.tridiagonal_solve(d, tf.constant([[1.0], [2.0], [3.0]], tf.float64))
    # TF 2.21's values
    np.testing.assert_allclose(tf.Session().run(x)[:, 0], [4 / 7, -9 / 7, 31 / 14], rtol=1e-12)


def test_unsupported_options_raise_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="compact"):
        tf.linalg.tridiagonal_solve(tf.eye(3), tf.ones([3, 1]), diagonals_format="matrix")
    with pytest.raises(NotImplementedError, match="perturb_singular"):
        tf.linalg.tridiagonal_solve(tf.ones([3, 3]), tf.ones([3, 1]), perturb_singular=True)


GRADIENTS = [
    GradCase("solve", _solve_op(True), (D[0] + 3 * np.eye(3, 5)[1], RHS[0])),
    GradCase("solve_batch", lambda d, r: tf.linalg.tridiagonal_solve(d, r),
             (D + 3 * np.eye(3, 5)[1], RHS)),
    GradCase("matmul", lambda d, r: tf.linalg.tridiagonal_matmul(d, r), (D, RHS)),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
