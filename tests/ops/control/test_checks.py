"""Tests for scopeflow/ops/control/checks.py: the rank, type and order checks build TF1's ops,
decide while building what TF1 decides then (with its errors and words), and check the rest
when run.

Expected graphs and build errors are TensorFlow 2.21's own, recorded in
``tests/data/tf_reference/assertions.json`` by ``tools/tf_reference.py``; scopeflow differs
from them nowhere. The values of the checks that return no graph element (``dtype``s,
``bool``s) and the run-time messages were read from TF 2.21.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("assertions")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.mark.parametrize("expr", list(GROUPS["CHECKS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["CHECKS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["CHECK_ERRORS"]))
def test_build_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["CHECK_ERRORS"][expr], None))


def test_python_level_checks(env):
    x, i, s = env["x"], env["i"], env["s"]
    assert tf.assert_same_float_dtype([x, env["y"]]) is tf.float32
    assert tf.assert_same_float_dtype(None, tf.float64) is tf.float64
    assert tf.assert_same_float_dtype() is tf.float32
    assert tf.assert_same_float_dtype([None, x], tf.float32) is tf.float32
    with pytest.raises(ValueError, match=r"x:0, type=<dtype: 'float32'>, must be of the same "
                       r"type \(<dtype: 'float64'>\)\.$"):  # fmt: skip
        tf.assert_same_float_dtype([x], tf.float64)
    assert [tf.is_numeric_tensor(t) for t in (x, i, s, 1.0)] == [True, True, False, False]
    assert tf.is_numeric_tensor(tf.constant(True)) is False
    assert tf.assert_proper_iterable([x, 1]) is None
    assert tf.assert_proper_iterable(v for v in ()) is None


def test_rank_checks_at_run_time(run, env):
    u, r = env["u"], env["r"]
    checks = [tf.assert_rank(u, 2), tf.assert_rank_at_least(u, 2), tf.assert_rank_in(u, [2, 3])]
    assert run(checks, {u: np.zeros([2, 2])}) == [None, None, None]
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(checks[0], {u: np.zeros([3])})
    assert info.value.message.splitlines()[0] == (
        "assertion failed: [] [Tensor u:0 must have rank] [2] [Received shape: ] [3]"
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must have rank in\] \[2\] \[3\]"):
        run(checks[2], {u: np.zeros([3])})
    # A rank only known when run must be a scalar, checked first.
    dynamic = tf.assert_rank(u, r)
    assert run(dynamic, {u: np.zeros([1, 1, 1]), r: 3}) is None
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must have rank\] \[2\]"):
        run(dynamic, {u: np.zeros([1]), r: 2})


@pytest.mark.parametrize(
    ("values", "non_decreasing", "strictly_increasing"),
    [([1, 2, 2, 5], True, False), ([1, 2, 3], True, True), ([3, 1], False, False), ([], True, True),
     ([7], True, True), ([[1, 2], [3, 3]], True, False)],
)  # fmt: skip
def test_order_checks(run, values, non_decreasing, strictly_increasing):
    x = tf.placeholder(tf.float32, None)
    checks = [tf.is_non_decreasing(x), tf.is_strictly_increasing(x)]
    assert run(checks, {x: np.float32(values)}) == [non_decreasing, strictly_increasing]
