"""Tests for scopeflow/ops/control/numerics.py: ``CheckNumerics`` (its kernel, its gradient
against finite differences and its own check of the gradient), ``tf.verify_tensor_all_finite``
and ``tf.add_check_numerics_ops`` build TF1's ops and fail runs with TF1's messages.

Expected graphs are TensorFlow 2.21's own, recorded in
``tests/data/tf_reference/numerics.json`` by ``tools/tf_reference.py``; scopeflow differs
from them nowhere. Run-time messages were read from TF 2.21.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("numerics")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["EXPRESSIONS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


X = np.float32([[0.5, -1, 2], [0, 1, -3]])

# fmt: off
CASES = [
    Case("check-numerics", "CheckNumerics", lambda x: tf.check_numerics(x, "m"), (X,),
         lambda x: x),
    Case("check-numerics-f64", "CheckNumerics", lambda x: tf.check_numerics(x, "m"),
         (np.float64([1e300, -0.0]),), lambda x: x),
    Case("check-numerics-nan", "CheckNumerics", lambda x: tf.check_numerics(x, "bad x"),
         (np.float32([1, np.nan]),),
         Raises(tf.errors.InvalidArgumentError, "bad x : Tensor had NaN values")),
    Case("check-numerics-inf", "CheckNumerics", lambda x: tf.check_numerics(x, "bad x"),
         (np.float16([-np.inf, 1]),),
         Raises(tf.errors.InvalidArgumentError, "bad x : Tensor had Inf values")),
    Case("check-numerics-both", "CheckNumerics", lambda x: tf.check_numerics(x, ""),
         (np.float64([np.nan, np.inf]),),
         Raises(tf.errors.InvalidArgumentError, " : Tensor had Inf and NaN values")),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    "case",
    gradient_cases([GradCase("check-numerics", lambda x: tf.check_numerics(x * x, "m"),
                             (np.arange(-2.0, 2.0),))]),
)  # fmt: skip
def test_gradient_passes_through(case):
    check_gradient_case(case)


def test_gradient_is_checked_too(run):
    x = tf.placeholder(tf.float32, [2])
    y = tf.sqrt(tf.check_numerics(x, "x"))
    (dx,) = tf.gradients(y, x)
    np.testing.assert_allclose(run(dx, {x: [4.0, 1.0]}), [0.25, 0.5])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(dx, {x: [4.0, 0.0]})  # sqrt's gradient at 0 is Inf
    assert info.value.message.splitlines()[0] == (
        "Not a number (NaN) or infinity (Inf) values detected in gradient. x : Tensor had Inf "
        "values"
    )
    assert info.value.op.name == "gradients/CheckNumerics_grad/CheckNumerics"


def test_add_check_numerics_ops_reports_the_first_bad_tensor(graph, run):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.log(x) * 2.0
    check = tf.add_check_numerics_ops()
    assert [(op.name, [c.name for c in op.control_inputs]) for op in graph.get_operations()
            if op.type == "CheckNumerics"] == [
        ("CheckNumerics", []), ("CheckNumerics_1", ["CheckNumerics"]),
        ("CheckNumerics_2", ["CheckNumerics_1"]), ("CheckNumerics_3", ["CheckNumerics_2"]),
    ]  # fmt: skip
    np.testing.assert_allclose(run([y, check], {x: [1, 1, 1]})[0], [0, 0, 0])
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run([y, check], {x: [1, -1, 0]})
    assert info.value.message.splitlines()[0] == "Log:0 : Tensor had Inf and NaN values"


def test_verify_tensor_all_finite_fails_the_run(run):
    x = tf.placeholder(tf.float32, [3])
    y = tf.verify_tensor_all_finite(x, "msg") * 2.0
    np.testing.assert_array_equal(run(y, {x: [1, 2, 3]}), [2, 4, 6])
    with pytest.raises(tf.errors.InvalidArgumentError, match="^msg : Tensor had NaN values"):
        run(y, {x: [1, np.nan, 3]})


def test_failed_check_changes_no_variable(graph):
    v = tf.Variable([1.0, 2.0], name="v")
    x = tf.placeholder(tf.float32, [2])
    step = tf.assign(v, tf.check_numerics(v / x, "v / x"))
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had Inf values"):
            sess.run(step, {x: [1.0, 0.0]})
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
        np.testing.assert_array_equal(sess.run(step, {x: [2.0, 4.0]}), [0.5, 0.5])
