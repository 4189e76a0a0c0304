"""Tests for scopeflow/ops/state/slice_assign.py: ``v[...].assign(x)`` builds TF1's
``StridedSliceAssign`` (names, dtypes, shapes as TensorFlow 2.21 compat.v1 records them in
``tests/data/tf_reference/slice_assign.json``), sets the slice and returns the whole
variable, and refuses a value of another shape, or a gradient, as TF does."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("slice_assign")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
V = np.float32([[1, 2, 3], [4, 5, 6]])


@pytest.mark.parametrize("expr", list(GROUPS["BUILDS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["BUILDS"][expr], None), left=("Placeholder",))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


def _with(index):
    def build(x):
        return tf.Variable(V, name="v")[index].assign(x)

    return build


CASES = [
    Case("rows", "StridedSliceAssign", _with(np.s_[1]), (np.float32([7, 8, 9]),),
         lambda x: np.stack([V[0], x])),
    Case("strided", "StridedSliceAssign", _with(np.s_[:, ::2]), (np.float32([[0, 0], [1, 1]]),),
         lambda x: np.float32([[0, 2, 0], [1, 5, 1]])),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_the_value_must_have_the_slices_shape(run):
    update = tf.Variable(V, name="v")[0].assign([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"l-value shape \[3\] does not"):
        run(update)


def test_an_assignment_reads_earlier_ones_and_has_no_gradient(run):
    v = tf.Variable(V, name="v")
    first = v[0, 0].assign(10.0)
    with tf.control_dependencies([first]):
        second = v[1, 2].assign(20.0)
    assert run(second).tolist() == [[10, 2, 3], [4, 5, 20]]
    with pytest.raises(LookupError, match="No gradient defined"):
        tf.gradients(second, v)
