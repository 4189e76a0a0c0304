"""Tests for scopeflow/ops/math/norm.py and svd.py: ``tf.norm`` builds TF1's ops and names for
every ``ord``/``axis`` form and ``tf.svd`` TF's ``Svd`` op (TensorFlow 2.21's records,
``tests/data/tf_reference/norm.json``), they raise TF1's errors, and compute NumPy's norms and
singular values with finite-difference gradients."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

REFERENCE = tf_reference("norm")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


def _matrix_2_ops(keepdims: bool) -> list:
    ops = [
        ("norm/transpose/perm", "Const"),
        ("norm/transpose", "Transpose"),
        ("norm/Svd", "Svd"),
        ("norm/Abs", "Abs"),
        ("norm/Max/reduction_indices", "Const"),
        ("norm/Max", "Max"),
        ("norm/ExpandDims/dim", "Const"),
        ("norm/ExpandDims", "ExpandDims"),
        ("norm/transpose_1/perm", "Const"),
        ("norm/transpose_1", "Transpose"),
    ]
    return ops if keepdims else [*ops, ("norm/Squeeze", "Squeeze")]


_SVD_GRAD = "tf.gradients(tf.svd(m, compute_uv=False), m)[0]"
DIFFERENCES = {
    # TF moves the pair of axes last with a map_fn of conds, setdiff1d and where ops computed
    # when run; scopeflow, knowing the rank, transposes by a constant permutation. The same
    # Svd/Abs/Max/ExpandDims/Transpose follow, and the result has TF's name; its static shape
    # is known (TF's is not, the permutations being computed when run).
    "tf.norm(m, ord=2, axis=[1, 2])": built(_matrix_2_ops(False), shape=[2]),
    "tf.norm(m, ord=2, axis=[2, 0], keepdims=True)": built(_matrix_2_ops(True), shape=[1, 3, 1]),
    # TF 2.21 builds the diagonal of the singular values' gradient with MatrixDiagV3 (and its
    # k/num_rows/num_cols/padding_value constants); scopeflow with MatrixDiag.
    _SVD_GRAD: built(
        [
            *GROUPS["SVD"][_SVD_GRAD]["ops"][:6],
            ("gradients/Svd_grad/diag", "MatrixDiag"),
            *GROUPS["SVD"][_SVD_GRAD]["ops"][11:],
        ]
    ),
}
GRAPHS = {**GROUPS["EXPRESSIONS"], **GROUPS["MATRIX_2"], **GROUPS["SVD"]}


@pytest.mark.parametrize("expr", list(GRAPHS))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GRAPHS[expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


RNG = np.random.default_rng(7)
M = RNG.standard_normal((2, 3, 4))

VALUES = [
    ({}, {}),
    ({"axis": 1}, {"axis": 1}),
    ({"ord": 1, "axis": -1, "keepdims": True}, {"ord": 1, "axis": -1, "keepdims": True}),
    ({"ord": np.inf, "axis": 0}, {"ord": np.inf, "axis": 0}),
    ({"ord": 3, "axis": 2}, {"ord": 3, "axis": 2}),
    ({"ord": 0.5, "axis": 1}, {"ord": 0.5, "axis": 1}),
    ({"ord": "fro", "axis": (1, 2)}, {"ord": "fro", "axis": (1, 2)}),
    ({"ord": 1, "axis": (1, 2)}, {"ord": 1, "axis": (1, 2)}),
    ({"ord": 1, "axis": (2, 0)}, {"ord": 1, "axis": (2, 0)}),
    (
        {"ord": np.inf, "axis": (1, 2), "keepdims": True},
        {"ord": np.inf, "axis": (1, 2), "keepdims": True},
    ),
]


@pytest.mark.parametrize(("ours", "numpys"), VALUES, ids=[str(o) for o, _ in VALUES])
def test_values_are_numpys(graph, ours, numpys):
    got = tf.Session().run(tf.norm(tf.constant(M), **ours))
    want = np.linalg.norm(M.reshape(-1) if not numpys else M, **numpys)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_complex_values_have_a_complex_dtype(graph):
    c = tf.constant([3 + 4j, 0 + 0j], tf.complex64)
    n = tf.norm(c)
    assert n.dtype == tf.complex64
    assert tf.Session().run(n) == pytest.approx(5.0)


GRADIENTS = [
    GradCase("euclidean", lambda x: tf.norm(x), (M,)),
    GradCase("euclidean-axis", lambda x: tf.norm(x, axis=1), (M,)),
    GradCase("1-axis", lambda x: tf.norm(x, ord=1, axis=2), (M,)),
    GradCase("inf-matrix", lambda x: tf.norm(x, ord=np.inf, axis=(1, 2)), (M,)),
    GradCase("1-matrix", lambda x: tf.norm(x, ord=1, axis=(1, 2), keepdims=True), (M,)),
    GradCase("3", lambda x: tf.norm(x, ord=3, axis=0), (M,)),
    GradCase("2-matrix", lambda x: tf.norm(x, ord=2, axis=(2, 1)), (M,)),
    GradCase("svd-values", lambda x: tf.svd(x, compute_uv=False), (M,)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


SVD_CASES = [
    Case(
        "values",
        "Svd",
        lambda x: tf.svd(x, compute_uv=False),
        (M,),
        lambda x: np.linalg.svd(x, compute_uv=False),
        1e-12,
    ),
    Case(
        "reconstructs",
        "Svd",
        lambda x: tf.svd(x),
        (M,),
        Holds(
            "u diag(s) v^H is the input, u and v orthonormal", lambda s, u, v: _factors(M, s, u, v)
        ),
    ),
    Case(
        "full-complex",
        "Svd",
        lambda x: tf.svd(x, full_matrices=True),
        (M + 1j * M[::-1],),
        Holds(
            "u diag(s) v^H is the input with square u and v",
            lambda s, u, v: _factors(M + 1j * M[::-1], s, u[..., :3], v[..., :3]),
        ),
    ),
]


def _factors(a, s, u, v) -> bool:
    rebuilt = u @ (s[..., None] * np.conj(np.swapaxes(v, -1, -2)))
    eye = np.eye(u.shape[-1])
    return np.allclose(rebuilt, a) and np.allclose(np.conj(np.swapaxes(u, -1, -2)) @ u, eye)


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(SVD_CASES))
def test_svd_kernel(run, case, mode):
    check_case(run, case, mode)
