"""Tests for scopeflow/ops/math/norm.py: ``tf.norm`` builds TF1's ops and names for every
``ord``/``axis`` form (TensorFlow 2.21's records, ``tests/data/tf_reference/norm.json``),
raises TF1's errors, and computes NumPy's norms with finite-difference gradients."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("norm")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES = {
    # TF builds a map_fn/cond/setdiff1d graph around an Svd op, which scopeflow lacks.
    "tf.norm(m, ord=2, axis=[1, 2])": raised(NotImplementedError, "matrix 2-norm"),
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", [*GROUPS["ERRORS"], *GROUPS["MATRIX_2"]])
def test_errors(graph, env, expr):
    record = {**GROUPS["ERRORS"], **GROUPS["MATRIX_2"]}[expr]
    check_against(graph, env, expr, expected(record, DIFFERENCES.get(expr)), left=None)


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
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
