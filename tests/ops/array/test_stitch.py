"""Tests for scopeflow/ops/array/stitch.py: ``tf.dynamic_stitch`` builds TF1's
``DynamicStitch`` (names, static shapes), refuses what TF1 refuses, and its kernel and gradient
(gathers, as TF1's) hold.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/stitch.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/stitch.py``; ``DIFFERENCES`` lists where scopeflow differs.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("stitch")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails


@pytest.mark.parametrize("expr", list(GROUPS["BUILDS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["BUILDS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def test_indices_and_data_must_be_lists(graph):
    with pytest.raises(TypeError, match="Expected list for 'indices'"):
        tf.dynamic_stitch(tf.constant([0]), [tf.constant([1.0])])


# -- kernels -------------------------------------------------------------------------------

I0 = np.int32([0, 2, 4])
I1 = np.int32([[1, 3], [2, 5]])
D0 = np.float32([[1, 2], [3, 4], [5, 6]])
D1 = np.float32([[[7, 8], [9, 10]], [[11, 12], [13, 14]]])


def _stitched(i0, i1, d0, d1):
    out = np.zeros((6, 2), np.float32)
    out[i0] = d0
    out[i1.reshape(-1)] = d1.reshape(-1, 2)  # later inputs win a row named twice
    return out


CASES = [
    Case(
        "two-inputs",
        "DynamicStitch",
        lambda i0, i1, d0, d1: tf.dynamic_stitch([i0, i1], [d0, d1]),
        (I0, I1, D0, D1),
        _stitched,
        exact_static=False,  # fed indices: the row count is known only when running
    ),
    Case(
        "parallel",  # TF's sharded embedding lookups make it; the same values
        "ParallelDynamicStitch",
        lambda i0, i1, d0, d1: tf.raw_ops.ParallelDynamicStitch(indices=[i0, i1], data=[d0, d1]),
        (I0, I1, D0, D1),
        _stitched,
        exact_static=False,
    ),
    Case(
        "constant-indices",
        "DynamicStitch",
        lambda d0: tf.dynamic_stitch([[2, 0], [1]], [d0[:2], d0[2:]]),
        (D0,),
        lambda d0: d0[[1, 2, 0]],
    ),
    Case(
        "scalars-int64",
        "DynamicStitch",
        lambda i, d: tf.dynamic_stitch([i], [d]),
        (np.int32([1, 0]), np.int64([5, 7])),
        np.int64([7, 5]),
        exact_static=False,
    ),
    Case(
        "empty",
        "DynamicStitch",
        lambda i, d: tf.dynamic_stitch([i], [d]),
        (np.zeros([0], np.int32), np.zeros([0, 3], np.float32)),
        np.zeros([0, 3], np.float32),
        exact_static=False,
    ),
    Case(
        "negative-index",
        "DynamicStitch",
        lambda i, d: tf.dynamic_stitch([i], [d]),
        (np.int32([0, -1]), np.float32([1, 2])),
        Raises(tf.errors.InvalidArgumentError, "indices[1] is out of range"),
    ),
    Case(
        "data-shape",
        "DynamicStitch",
        lambda i, d: tf.dynamic_stitch([i], [d]),
        (np.int32([0, 1]), np.float32([1, 2, 3])),
        Raises(tf.errors.InvalidArgumentError, "does not start with indices[0].shape = [2]"),
        modes=("dims", "rank"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


# -- gradient: each data input gets the rows of the output gradient its indices name --------


GRAD_CASES = [
    GradCase(
        "two-inputs",
        lambda a, b: tf.dynamic_stitch([[0, 2], [[1], [3]]], [a, b]),
        (np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 1, 3)),
    ),
    GradCase(
        "parallel",
        lambda a, b: tf.raw_ops.ParallelDynamicStitch(indices=[[0, 2], [[1], [3]]], data=[a, b]),
        (np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(2, 1, 3)),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_gradient_is_gathers_as_tf1s(graph):
    a = tf.placeholder(tf.float32, [2])
    b = tf.placeholder(tf.float32, [2])
    out = tf.dynamic_stitch([[0, 1], [1, 2]], [a, b])
    ga, gb = tf.gradients(out, [a, b])
    assert (ga.op.type, gb.op.type) == ("GatherV2", "GatherV2")
    with tf.Session() as sess:
        # row 1 is named twice: TF1 gives both inputs its gradient
        values = sess.run([ga, gb], {a: [1.0, 2.0], b: [3.0, 4.0]})
    np.testing.assert_array_equal(values, [[1.0, 1.0], [1.0, 1.0]])
