"""Tests for ``tf.nn.crelu``, ``tf.nn.swish`` (``silu``),
``tf.nn.weighted_cross_entropy_with_logits``, ``tf.nn.log_poisson_loss`` and
``tf.nn.weighted_moments`` (scopeflow/ops/nn/activations_losses.py): TF1's ops and names
(TensorFlow 2.21's records, ``tests/data/tf_reference/nn_activations_losses.json``),
TensorFlow's values and gradients (``tests/data/nn_activations_losses_values.json``, by
``make_nn_activations_losses_values.py``) and the gradients against finite differences."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(DATA))
from nn_activations_losses_model import values  # noqa: E402

REFERENCE = tf_reference("nn_activations_losses")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
VALUES = json.loads((DATA / "nn_activations_losses_values.json").read_text())
NAMES = [k for k in VALUES if k not in ("generated_by", "tensorflow")]

DIFFERENCES: dict = {}

# TF walks a gradient's ops first in, first out; scopeflow's tf.gradients last in, first out:
# the same gradient ops (and results), added (and numbered) in another order.
WALK_ORDER = {
    "tf.gradients(tf.nn.weighted_cross_entropy_with_logits(y, x, 2.0), x)[0]",
    "tf.gradients(tf.nn.log_poisson_loss(y, x, compute_full_loss=True), [x, y])",
}


def _comparable(expr: str, want: dict) -> dict:
    """``want`` without TF's process-wide custom gradient name (see
    tests/ops/control/test_custom_gradient.py)."""
    if "attrs" not in want:
        return want
    return {**want, "attrs": {k: v for k, v in want["attrs"].items() if k != "_gradient_op_type"}}


@pytest.mark.parametrize("expr", [e for e in GROUPS["EXPRESSIONS"] if e not in WALK_ORDER])
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, _comparable(expr, want))


@pytest.mark.parametrize("expr", sorted(WALK_ORDER))
def test_gradients_build_tf1s_ops(graph, env, expr):
    want = GROUPS["EXPRESSIONS"][expr]
    before = len(graph.get_operations())
    results = eval(expr, env)
    ops = [[op.name, op.type] for op in graph.get_operations()[before:]]
    assert sorted(ops) == sorted(want["ops"])
    records = want.get("outputs", [want])
    results = results if isinstance(results, list) else [results]
    # which sum is AddN and which AddN_1 follows the walk
    assert sorted(t.name for t in results) == sorted(r["name"] for r in records)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


@pytest.mark.parametrize("name", NAMES)
def test_values_match_tensorflows(name):
    ours = values(tf, [name])[name]
    assert len(ours) == len(VALUES[name])
    for mine, theirs in zip(ours, VALUES[name], strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=2e-5, atol=2e-6)


RNG = np.random.default_rng(5)
X = RNG.standard_normal((2, 3))
Z = RNG.uniform(0.1, 0.9, (2, 3))
GRADIENTS = [
    GradCase("crelu", tf.nn.crelu, (X,)),
    GradCase("swish", lambda x, b: tf.nn.swish(x, b), (X, np.array(0.7))),
    GradCase(
        "weighted_cross_entropy",
        lambda z, x: tf.nn.weighted_cross_entropy_with_logits(z, x, 1.7),
        (Z, X),
    ),
    GradCase(
        "log_poisson_full",
        lambda t, x: tf.nn.log_poisson_loss(t, x, compute_full_loss=True),
        (Z + 1.5, X),
    ),
    GradCase("weighted_moments", lambda x, w: tf.nn.weighted_moments(x, [0], w)[1], (X, Z)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_weighted_moments_of_zero_weights_are_zero(graph):
    mean, variance = tf.nn.weighted_moments(tf.ones([2, 3]), [0], tf.zeros([2, 3]))
    np.testing.assert_array_equal(tf.Session().run([mean, variance]), np.zeros((2, 3)))


def test_silu_is_swish():
    assert tf.nn.silu is tf.nn.swish
