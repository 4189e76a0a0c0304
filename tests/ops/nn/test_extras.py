"""Tests for ``tf.nn.xw_plus_b``, ``tf.nn.zero_fraction`` (scopeflow/ops/nn/composite.py) and
``tf.nn.local_response_normalization`` (scopeflow/ops/nn/normalization.py), and TF's names and
values for ``tf.einsum`` and ``tf.broadcast_to`` (whose kernels and gradients
tests/ops/math/test_einsum.py checks): TF1's ops and names (TensorFlow 2.21's records,
``tests/data/tf_reference/nn_extras.json``), TensorFlow's values and gradients
(``tests/data/nn_extras_values.json``, by ``make_nn_extras_values.py``), the kernels against
NumPy and the gradients against finite differences."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(DATA))
from nn_extras_model import values  # noqa: E402

REFERENCE = tf_reference("nn_extras")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
VALUES = json.loads((DATA / "nn_extras_values.json").read_text())
NAMES = [k for k in VALUES if k not in ("generated_by", "tensorflow")]

DIFFERENCES: dict = {}

# TF orders the labels an operand alone sums over as a Python set iterates (string hash order,
# which changes from one process to the next), so the constants that follow that order (the
# strided slices of the shape, the axes) are not compared; scopeflow sorts the labels.
LABEL_ORDER = {"tf.gradients(tf.einsum('ij->', x), x)[0]"}


def _comparable(expr: str, want: dict) -> dict:
    if expr not in LABEL_ORDER:
        return want
    consts = {k: v for k, v in want["consts"].items() if "strided_slice" not in k}
    return {**want, "consts": {k: v for k, v in consts.items() if not k.endswith("_grad/Const")}}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, _comparable(expr, want))


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


def _lrn_reference(x, radius=5, bias=1.0, alpha=1.0, beta=0.5):
    squares = np.square(x.astype(np.float64))
    sums = np.stack(
        [squares[..., max(0, d - radius) : d + radius + 1].sum(-1) for d in range(x.shape[-1])],
        axis=-1,
    )
    return (x / (bias + alpha * sums) ** beta).astype(x.dtype)


RNG = np.random.default_rng(3)
IMG = RNG.standard_normal((2, 2, 3, 6))
# fmt: off
CASES = [
    Case("lrn-default", "LRN", tf.nn.lrn, (IMG.astype(np.float32),), _lrn_reference,
         tolerance=1e-6),
    Case("lrn-radius-1", "LRN",
         lambda x: tf.nn.lrn(x, depth_radius=1, bias=2.0, alpha=0.5, beta=0.75), (IMG,),
         lambda x: _lrn_reference(x, 1, 2.0, 0.5, 0.75), tolerance=1e-12),
    Case("lrn-radius-0", "LRN", lambda x: tf.nn.lrn(x, depth_radius=0), (IMG,),
         lambda x: _lrn_reference(x, 0), tolerance=1e-12),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRADIENTS = [
    GradCase("lrn", lambda x: tf.nn.lrn(x, depth_radius=2, bias=1.5, alpha=0.3, beta=0.75), (IMG,)),
    GradCase("lrn-wide", lambda x: tf.nn.lrn(x, depth_radius=9), (IMG[:1],)),
    GradCase(
        "xw_plus_b",
        tf.nn.xw_plus_b,
        (RNG.standard_normal((2, 3)), RNG.standard_normal((3, 4)), RNG.standard_normal(4)),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_zero_fraction_of_an_empty_tensor_is_nan(graph):
    assert np.isnan(tf.Session().run(tf.nn.zero_fraction(tf.zeros([0, 3]))))
