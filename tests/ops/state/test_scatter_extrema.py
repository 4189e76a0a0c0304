"""Tests for the variable updates ``ScatterMul``, ``ScatterDiv``, ``ScatterMax``, ``ScatterMin``
(scopeflow/ops/state/scatter.py) and for ``TensorScatterMax``/``TensorScatterMin``
(scopeflow/ops/math/tensor_scatter_extrema.py): what they build (names, attrs, static shapes,
gradient graphs), what they refuse, their kernels (repeated indices applied in order, integer
division truncated, ``nan`` as TF's ``cwiseMax`` treats it) and the tensor scatters' gradients.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/math_scatter.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/math_scatter.py``; the kernels' values were compared with TF's.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("math_scatter")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, {}
)

NAN = float("nan")
V = np.float32([[1, 2], [3, 4], [5, 6]])
IDS = np.int32([0, 2, 0])
UPD = np.float32([[2, 3], [0.5, -1], [10, 0]])
NAN_V = np.float32([1, NAN, 3, 0])
NAN_IDS = np.int32([0, 1, 2, 2, 3])
NAN_UPD = np.float32([NAN, 5, 2, 7, -0.0])


def _on_variable(fn, value):
    return lambda indices, updates: fn(tf.Variable(value, name="v"), indices, updates)


# TF 2.21's values for the same inputs
CASES = [
    Case("mul", "ScatterMul", _on_variable(tf.scatter_mul, V), (IDS, UPD),
         np.float32([[20, 0], [3, 4], [2.5, -6]])),
    Case("div", "ScatterDiv", _on_variable(tf.scatter_div, V), (IDS, UPD),
         np.float32([[0.05, np.inf], [3, 4], [10, -6]]), 1e-7, ("full",)),
    Case("div-int-truncates", "ScatterDiv", _on_variable(tf.scatter_div, np.int32([7, -7, 9])),
         (np.int32([0, 1, 0, 2]), np.int32([2, 2, -2, 3])), np.int32([-1, -3, 3]), 0, ("full",)),
    Case("div-int-by-zero", "ScatterDiv", _on_variable(tf.scatter_div, np.int32([7, -7])),
         (np.int32([0]), np.int32([0])),
         Raises(tf.errors.InvalidArgumentError, "Integer division by zero"), 0, ("full",)),
    Case("mul-int8-wraps", "ScatterMul", _on_variable(tf.scatter_mul, np.int8([7, -7, 9])),
         (np.int32([0, 1, 0]), np.int8([100, 2, 3])), np.int8([52, -14, 9]), 0, ("full",)),
    Case("mul-complex", "ScatterMul", _on_variable(tf.scatter_mul, np.complex64([1 + 1j, 2j])),
         (np.int32([0, 0]), np.complex64([1j, 2])), np.complex64([-2 + 2j, 2j]), 0, ("full",)),
    Case("max-nan", "ScatterMax", _on_variable(tf.scatter_max, NAN_V), (NAN_IDS, NAN_UPD),
         np.float32([1, NAN, 7, 0]), 0, ("full", "rank")),
    Case("min-nan", "ScatterMin", _on_variable(tf.scatter_min, NAN_V), (NAN_IDS, NAN_UPD),
         np.float32([1, NAN, 2, 0]), 0, ("full",)),
    Case("max-int-2d-indices", "ScatterMax", _on_variable(tf.scatter_max, np.int32([1, 5, 3])),
         (np.int32([[0, 1], [2, 2]]), np.int32([[4, 4], [2, 9]])), np.int32([4, 5, 9]), 0,
         ("full",)),
    Case("min-scalar-update", "ScatterMin", _on_variable(tf.scatter_min, V),
         (np.int32([1]), np.float32(3.5)), np.float32([[1, 2], [3, 3.5], [5, 6]]), 0, ("full",)),
    Case("mul-out-of-range", "ScatterMul", _on_variable(tf.scatter_mul, V),
         (np.int32([3]), np.float32([[2, 2]])),
         Raises(tf.errors.InvalidArgumentError, "indices[0] = 3 is not in [0, 3)"), 0, ("full",)),
    Case("tensor-max-nan", "TensorScatterMax", tf.tensor_scatter_nd_max,
         (NAN_V, NAN_IDS[:, None], NAN_UPD), np.float32([1, NAN, 7, 0]), 0,
         ("full", "dims", "rank")),
    Case("tensor-min-nan", "TensorScatterMin", tf.tensor_scatter_nd_min,
         (NAN_V, NAN_IDS[:, None], NAN_UPD), np.float32([1, NAN, 2, 0]), 0, ("full", "rank")),
    Case("tensor-max-rows", "TensorScatterMax", tf.tensor_scatter_nd_max,
         (np.zeros([3, 2], np.int32), np.int32([[0], [2], [0]]), np.int32([[1, -1], [5, 6],
          [3, -4]])), np.int32([[3, 0], [0, 0], [5, 6]]), 0, ("full",)),
    Case("tensor-min-cells", "TensorScatterMin", tf.tensor_scatter_nd_min,
         (np.zeros([3, 2], np.float64), np.int32([[0, 1], [2, 0]]), np.float64([-1, 5])),
         np.float64([[0, -1], [0, 0], [0, 0]]), 0, ("full",)),
    Case("tensor-max-out-of-range", "TensorScatterMax", tf.tensor_scatter_nd_max,
         (np.zeros([3, 2], np.float32), np.int32([[3, 1]]), np.float32([-1])),
         Raises(tf.errors.InvalidArgumentError, "does not index into shape [3,2]"), 0,
         ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_tensor_scatter_gradients_share_ties(run):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = tf.constant([[1.0, 3.0], [0.0, 6.0], [1.0, 0.0]])
    gx, gy = run(tf.gradients(tf.tensor_scatter_nd_max(x, [[0], [2], [0]], y), [x, y]))
    third = np.float32(1) / 3  # TF 2.21's values
    np.testing.assert_allclose(gx, [[third, 0], [1, 1], [1, 0.5]])
    np.testing.assert_allclose(gy, [[third, 1], [0, 0.5], [third, 0]])


R = np.random.default_rng(11)
GRAD_CASES = [
    GradCase("tensor-max", lambda x, y: tf.tensor_scatter_nd_max(x, [[0], [2]], y),
             (R.normal(size=(3, 2)), R.normal(size=(2, 2)))),
    GradCase("tensor-min", lambda x, y: tf.tensor_scatter_nd_min(x, [[0, 1], [2, 0]], y),
             (R.normal(size=(3, 2)), R.normal(size=(2,)))),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)
