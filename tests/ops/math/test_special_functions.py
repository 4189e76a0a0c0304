"""Tests for scopeflow/ops/math/special_functions.py (``tf.math.special``): what its functions
build (names, static shapes, gradient graphs), what they refuse, their values at ordinary and
edge arguments, and their gradients.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/math_special.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/math_special.py``. The kernels' values (zeros, negatives,
infinities, nan, underflow, float16) were compared with TF 2.21's, element for element.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("math_special")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, {}
)

NAN, INF = float("nan"), float("inf")
S = tf.math.special
X = np.float32([0, 0.5, -3, 100, INF, NAN])
# TF 2.21's values at X (float32)
VALUES = {
    "BesselJ0": (S.bessel_j0, [1, 0.93846989, -0.26005191, 0.019985581, NAN, NAN]),
    "BesselJ1": (S.bessel_j1, [0, 0.24226847, -0.33905897, -0.077145405, NAN, NAN]),
    "BesselY0": (S.bessel_y0, [-INF, -0.44451872, -INF, -0.077244386, NAN, NAN]),
    "BesselY1": (S.bessel_y1, [NAN, -1.4714724, -INF, -0.020372093, NAN, NAN]),
    "BesselK0": (S.bessel_k0, [INF, 0.92441911, INF, 0, 0, NAN]),
    "BesselK0e": (S.bessel_k0e, [INF, 1.5241094, INF, 0.12517564, 0, NAN]),
    "BesselK1": (S.bessel_k1, [INF, 1.656441, INF, 0, 0, NAN]),
    "BesselK1e": (S.bessel_k1e, [INF, 2.7310095, INF, 0.12579995, 0, NAN]),
    "Dawsn": (S.dawsn, [0, 0.42443639, -0.17827101, 0.0050002499, 0, NAN]),
    "Expint": (S.expint, [-INF, 0.45421982, NAN, INF, NAN, NAN]),
    "FresnelCos": (S.fresnel_cos, [0, 0.4923442, -0.60572076, 0.50000179, 0.5, NAN]),
    "FresnelSin": (S.fresnel_sin, [0, 0.064732425, -0.49631301, 0.4968169, 0.5, NAN]),
    "Spence": (S.spence, [1.6449341, 0.58224034, NAN, -12.192423, NAN, NAN]),
}
CASES = [
    Case(op.lower(), op, fn, (X,), np.float32(want), 2e-6,
         ("full", "rank") if op == "BesselJ0" else ("full",))
    for op, (fn, want) in VALUES.items()
] + [
    Case("y1-float64", "BesselY1", S.bessel_y1, (np.float64([0, -3, 1]),),
         np.float64([-INF, -INF, -0.78121282]), 1e-8, ("full",)),
    Case("k0-float32-underflow", "BesselK0", S.bessel_k0, (np.float32([80, 90]),),
         np.float32([2.52512e-36, 0]), 1e-6, ("full",)),
    Case("j0-float16", "BesselJ0", S.bessel_j0, (np.float16([0.5, 2]),),
         np.float16([0.93847656, 0.22387695]), 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_bessel_i_functions_are_tf_maths():
    assert S.bessel_i0 is tf.math.bessel_i0 and S.bessel_i1e is tf.math.bessel_i1e


R = np.random.default_rng(17)
POSITIVE = (R.uniform(0.5, 3, (2, 3)),)
GRAD_CASES = [
    GradCase(op.lower(), fn, (R.uniform(-2, 2, (2, 3)),) if op in ("Dawsn",) else POSITIVE)
    for op, (fn, _) in VALUES.items()
] + [GradCase("spence-around-1", S.spence, (np.float64([0.5, 1.5, 2.5]),))]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)


def test_gradients_at_tfs_special_points(run):
    x = tf.constant([0.0, 1.0])
    (g_j1,) = tf.gradients(S.bessel_j1(x), x)
    (g_spence,) = tf.gradients(S.spence(x), x)
    np.testing.assert_allclose(run(g_j1), [0.5, 0.32514709], rtol=1e-6)  # TF 2.21's values
    assert run(g_spence)[1] == -1.0
