"""Tests for scopeflow/ops/math/trig.py: what the trigonometric and hyperbolic functions,
expm1, rint, atan2 and floor_div build (names, static shapes, gradient graphs), what they
refuse, their kernels and their gradients.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/math_trig.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/math_trig.py``; ``DIFFERENCES`` lists where scopeflow differs.
The kernels' edge values (signed zeros, infinities, nan, out-of-domain inputs, float16,
bfloat16, complex) were compared with TF 2.21's, element for element.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("math_trig")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}

DIFFERENCES = {}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, DIFFERENCES
)

NAN, INF = float("nan"), float("inf")
EDGES = np.float32([0, -0.0, 0.5, -1, 1, 1.5, -3, INF, -INF, NAN])
WIDE = np.float64([0, 1e-300, -0.7, 3, 700, -700, INF, NAN])
Z = np.complex64([1 + 1j, -0.5j, 2, 0.5])


def _case(op_type, fn, reference, arrays, tolerance=1e-6, modes=("full",)):
    return Case(op_type.lower() + "-" + str(arrays[0].dtype), op_type, fn, arrays,
                reference, tolerance, modes)  # fmt: skip


UNARY = {
    "Tan": (tf.tan, np.tan),
    "Asin": (tf.asin, np.arcsin),
    "Acos": (tf.acos, np.arccos),
    "Atan": (tf.atan, np.arctan),
    "Sinh": (tf.sinh, np.sinh),
    "Cosh": (tf.cosh, np.cosh),
    "Asinh": (tf.asinh, np.arcsinh),
    "Acosh": (tf.acosh, np.arccosh),
    "Atanh": (tf.atanh, np.arctanh),
    "Expm1": (tf.expm1, np.expm1),
}


def _quiet(fn):
    def reference(*xs):
        with np.errstate(all="ignore"):
            return fn(*xs)

    return reference


CASES = [
    *(_case(op, fn, _quiet(ref), (EDGES,), modes=("full", "rank")) for op, (fn, ref) in
      UNARY.items()),
    *(_case(op, fn, _quiet(ref), (WIDE,), 1e-13) for op, (fn, ref) in UNARY.items()),
    *(_case(op, fn, _quiet(ref), (Z,), 1e-5) for op, (fn, ref) in UNARY.items()),
    _case("Sinh", tf.sinh, np.float16([0.5211, -0.0, INF]), (np.float16([0.5, -0.0, 12]),),
          1e-3),
    _case("Expm1", tf.expm1, np.float32([1e-10, -1e-10, 1.7182817]), (np.float32([1e-10, -1e-10,
          1]),)),
    _case("Rint", tf.rint, np.float32([0, 2, 2, -0.0, -2, -2, 2, 1e20, INF, NAN, -0.0]),
          (np.float32([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 1e20, INF, NAN, -0.2]),),
          0, ("full", "dims", "rank")),
    _case("Rint", tf.rint, np.float64([-4, 4]), (np.float64([-3.5, 4.5]),), 0),
    Case("atan2-signed-zeros", "Atan2", tf.atan2,
         (np.float32([0, 0, -0.0, -0.0, 1, -1, INF, INF, NAN, 0]),
          np.float32([0, -0.0, 0, -0.0, 0, 0, INF, -INF, 1, NAN])),
         np.float32([0, np.pi, -0.0, -np.pi, np.pi / 2, -np.pi / 2, np.pi / 4, 3 * np.pi / 4,
                     NAN, NAN]), 1e-6),
    Case("atan2-broadcast", "Atan2", tf.atan2, (np.float64([[1], [2]]), np.float64([1, -1, 3])),
         lambda y, x: np.arctan2(y, x), 1e-13),
    Case("atan2-float16", "Atan2", tf.atan2, (np.float16([1, 2]), np.float16([1, -1])),
         np.float16([0.7856, 2.0344]), 1e-3, ("full",)),
    Case("floor-div-int", "FloorDiv", tf.floor_div, (np.int32([7, -7, 7, -7, 0]),
         np.int32([2, 2, -2, -2, 3])), np.int32([3, -4, -4, 3, 0]), 0, ("full",)),
    Case("floor-div-float", "FloorDiv", tf.floor_div,
         (np.float32([7, -7, 7.5, -7.5, 1, 1, 0]), np.float32([2, 2, -2, -2, 0, -0.0, 0])),
         np.float32([3, -4, -4, 3, INF, -INF, NAN]), 0, ("full",)),
    Case("floor-div-uint8", "FloorDiv", tf.floor_div, (np.uint8([7, 200]), np.uint8([2, 3])),
         np.uint8([3, 66]), 0, ("full",)),
    Case("floor-div-by-zero", "FloorDiv", tf.floor_div, (np.int32([1]), np.int32([0])),
         Raises(tf.errors.InvalidArgumentError, "Integer division by zero"), 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_rint_and_floor_div_have_no_gradient():
    x = tf.placeholder(tf.float32, [2])
    assert tf.gradients([tf.rint(x), tf.floor_div(x, x)], x) == [None]


R = np.random.default_rng(3)


def _between(lo, hi, *shape):
    return R.uniform(lo, hi, shape)


GRAD_CASES = [
    GradCase("tan", tf.tan, (_between(-1.2, 1.2, 2, 3),)),
    GradCase("asin", tf.asin, (_between(-0.9, 0.9, 2, 3),)),
    GradCase("acos", tf.acos, (_between(-0.9, 0.9, 2, 3),)),
    GradCase("atan", tf.atan, (_between(-3, 3, 2, 3),)),
    GradCase("sinh", tf.sinh, (_between(-3, 3, 2, 3),)),
    GradCase("cosh", tf.cosh, (_between(-3, 3, 2, 3),)),
    GradCase("asinh", tf.asinh, (_between(-3, 3, 2, 3),)),
    GradCase("acosh", tf.acosh, (_between(1.2, 4, 2, 3),)),
    GradCase("atanh", tf.atanh, (_between(-0.9, 0.9, 2, 3),)),
    GradCase("expm1", tf.expm1, (_between(-3, 3, 2, 3),)),
    GradCase("atan2", tf.atan2, (_between(-2, 2, 2, 3), _between(0.5, 2, 2, 3))),
    GradCase("atan2-broadcast", tf.atan2, (_between(-2, 2, 2, 1), _between(-2, -0.5, 3))),
    GradCase("atan-complex", tf.atan, (_between(-1, 1, 3) + 1j * _between(-0.5, 0.5, 3),)),
    GradCase("acosh-complex", tf.acosh, (_between(1.5, 3, 3) + 1j * _between(-1, 1, 3),)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)
