"""Tests for scopeflow/ops/array/tensor_scatter.py: ``tf.tensor_scatter_nd_update``/``add``/
``sub`` build TF1's ops and names (TensorFlow 2.21's records in
``tests/data/tf_reference/scatter_nd.json``, which also hold the variable forms checked in
tests/ops/state/test_scatter_nd.py), raise TF's build errors, compute NumPy's values, and have
TF's gradients (checked against finite differences)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("scatter_nd")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES = {
    # TF 2.21 takes the tensor for a resource variable and fails on a missing attribute.
    "tf.scatter_nd_update(x, i, r)": raised(TypeError, "tf.scatter_nd_update needs a variable"),
}


@pytest.mark.parametrize("expr", [*GROUPS["TENSORS"], *GROUPS["GRADIENTS"]])
def test_builds_tf1s_graph(graph, env, expr):
    record = {**GROUPS["TENSORS"], **GROUPS["GRADIENTS"]}[expr]
    check_against(graph, env, expr, expected(record, DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(
        graph, env, expr, want, left=("Placeholder", "Const", "VariableV2", "Assign", "Identity")
    )


T = np.arange(12, dtype=np.float64).reshape(4, 3)
ROWS = np.array([[3], [1], [3]], np.int32)
CELLS = np.array([[0, 2], [3, 1], [0, 2]], np.int64)


def _reference(ufunc):
    def reference(tensor, indices, updates):
        out = tensor.copy()
        where = tuple(np.moveaxis(indices, -1, 0))
        if ufunc is None:
            out[where] = updates
        else:
            ufunc.at(out, where, updates)
        return out

    return reference


# fmt: off
CASES = [
    Case("update-rows", "TensorScatterUpdate", tf.tensor_scatter_nd_update,
         (T, ROWS[:2], np.ones((2, 3))), _reference(None)),
    Case("add-rows-repeated", "TensorScatterAdd", tf.tensor_scatter_nd_add,
         (T, ROWS, np.arange(9.0).reshape(3, 3)), _reference(np.add)),
    Case("sub-cells-repeated", "TensorScatterSub", tf.tensor_scatter_nd_sub,
         (T.astype(np.float32), CELLS, np.float32([1, 2, 4])), _reference(np.subtract)),
    Case("add-int", "TensorScatterAdd", tf.tensor_scatter_nd_add,
         (np.arange(5, dtype=np.int32), np.array([[1], [4]]), np.int32([10, 20])),
         _reference(np.add)),
    Case("update-whole", "TensorScatterUpdate", tf.tensor_scatter_nd_update,
         (T, np.zeros((1, 0), np.int32), np.ones((1, 4, 3))), np.ones((4, 3))),
    Case("add-none", "TensorScatterAdd", tf.tensor_scatter_nd_add,
         (T, np.zeros((0, 1), np.int32), np.zeros((0, 3))), T),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    ("indices", "updates", "message"),
    [
        ([[4]], [[1.0, 1.0, 1.0]], "indices[0] = [4] does not index into shape [4,3]"),
        ([[0, -1]], [1.0], "indices[0] = [0, -1] does not index into shape [4,3]"),
        (  # TF 2.21's words for these two
            [[0, 1, 2]],
            [1.0],
            "Inner dimensions of output shape must match inner dimensions of updates shape. "
            "Output: [4,3] updates: [1]",
        ),
        (
            [[0], [1]],
            np.ones((2, 4)),
            "The inner 1 dimensions of output.shape=[4,3] must match the inner 1 dimensions of "
            "updates.shape=[2,4]",
        ),
    ],
)
def test_run_time_errors(run, indices, updates, message):
    ids = tf.placeholder(tf.int32)
    values = tf.placeholder(tf.float64)
    out = tf.tensor_scatter_nd_update(tf.constant(T), ids, values)
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(out, {ids: indices, values: updates})


GRADIENTS = [
    GradCase(
        "update", lambda t, u: tf.tensor_scatter_nd_update(t, ROWS[:2], u), (T, np.ones((2, 3)))
    ),
    GradCase("add", lambda t, u: tf.tensor_scatter_nd_add(t, CELLS, u), (T, np.ones(3))),
    GradCase("sub", lambda t, u: tf.tensor_scatter_nd_sub(t, ROWS, u), (T, np.ones((3, 3)))),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
