"""Tests for scopeflow/ops/control/custom_gradient.py: ``tf.identity_n`` and
``tf.custom_gradient`` build TF1's graphs, ``tf.gradients`` uses the user's gradient (with
``variables=`` for the variables the function reads), and ``tf.no_gradient`` /
``tf.RegisterGradient`` keep TF1's rules.

Expected graphs are TensorFlow 2.21's own, recorded in
``tests/data/tf_reference/custom_gradient.json`` by ``tools/tf_reference.py``, except the
``_gradient_op_type`` of a custom gradient's ``IdentityN``: TF names each one apart
(``CustomGradient-14``, a count over the process), scopeflow names them all
``CustomGradient`` and keeps each one's function with its op in the graph.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("custom_gradient")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


def _without_gradient_name(record: dict) -> dict:
    """``record`` without TF's process-wide custom gradient name (see the module docstring)."""
    out = dict(record)
    if "attrs" in record:
        out["attrs"] = {k: v for k, v in record["attrs"].items() if k != "_gradient_op_type"}
    if "outputs" in record:
        out["outputs"] = [_without_gradient_name(r) for r in record["outputs"]]
    return out


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    want = _without_gradient_name(expected(GROUPS["EXPRESSIONS"][expr], None))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


X = np.float32([[0.5, -1, 2], [0, 1, -3]])


@tf.custom_gradient
def _log1pexp(x):
    e = tf.exp(x)
    return tf.log(1.0 + e), lambda dy: dy * (1.0 - 1.0 / (1.0 + e))


@tf.custom_gradient
def _scaled_pair(a, b):
    def grad(da, db):
        return da * 2.0 + db * b, db * a

    return [a * 2.0, a * b], grad


# fmt: off
CASES = [
    Case("identity-n", "IdentityN", lambda x, i: tf.identity_n([x, i]),
         (X, np.int32([1, 2])), lambda x, i: [x, i]),
    Case("custom-gradient", "IdentityN", _log1pexp, (X,), lambda x: np.log1p(np.exp(x)),
         tolerance=1e-6),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


# The custom gradients here are the true ones: finite differences check the plumbing.
GRAD_CASES = [
    GradCase("identity-n", lambda x: tf.identity_n([x * x, x])[0] + tf.identity_n([x])[0],
             (np.arange(-1.0, 2.0),)),
    GradCase("custom-gradient", _log1pexp, (np.linspace(-3.0, 3.0, 5),)),
    GradCase("custom-gradient-two-results",
             lambda a, b: tf.add_n(_scaled_pair(a, b)), (np.arange(3.0), np.arange(1.0, 4.0))),
]  # fmt: skip


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_against_finite_differences(case):
    check_gradient_case(case)


def test_the_users_gradient_is_used_not_the_functions(run):
    @tf.custom_gradient
    def clip_gradient(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    x = tf.constant([1.0, 2.0])
    y = clip_gradient(x)
    assert run(tf.gradients(5.0 * y, x)[0]).tolist() == [1.0, 1.0]
    assert run(tf.gradients(-0.5 * y, x)[0]).tolist() == [-0.5, -0.5]
    assert y.op.get_attr("_gradient_op_type") == b"CustomGradient"


def test_variables_get_their_gradients_from_grad_fn(graph, run):
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    seen = []

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            seen.append(variables)
            return dy * 2.0, [dy * 3.0]

        return x * w, grad

    x = tf.placeholder(tf.float32, [2])
    y = scale(x)
    assert [t.name for t in y.op.inputs[1:]] == [x.name, "w/read:0"]  # inputs, variables
    dx, dw = tf.gradients(y, [x, w])
    assert seen == [[w]]
    assert [v.tolist() for v in run([dx, dw], {x: [1.0, 2.0]})] == [[2.0, 2.0], [3.0, 3.0]]
    # An optimizer uses it too.
    step = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(scale(x)))
    run(step, {x: [1.0, 2.0]})
    assert run(w).tolist() == [-0.5, -0.5]


def test_a_variable_made_inside_the_function_is_differentiated(graph, run):
    """TF1 raises TypeError here unless the variable is a resource variable; scopeflow's
    variables stand for both kinds."""

    @tf.custom_gradient
    def dense(x):
        v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
        return x * v, lambda dy, variables: (dy * v, [dy * x])

    x = tf.constant([3.0, 4.0])
    (dv,) = tf.gradients(dense(x), [tf.trainable_variables()[0]])
    assert run(dv).tolist() == [3.0, 4.0]


def test_grad_fn_must_return_a_gradient_per_variable(graph):
    w = tf.get_variable("w", [2])

    @tf.custom_gradient
    def f(x):
        return x * w, lambda dy, variables: (dy, [])

    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="Must return gradient for each variable"):
        tf.gradients(f(x), [x, w])


def test_a_failed_call_leaves_nothing(graph):
    @tf.custom_gradient
    def bad(x):
        return x * 2.0, lambda dy: dy

    x = tf.constant(1.0)
    before = len(graph.get_operations())
    with pytest.raises(ValueError, match="keywords arguments only when eager"):
        bad(x=x)
    assert len(graph.get_operations()) == before
    assert tf.custom_gradient(None) is tf.custom_gradient


def test_no_gradient_and_register_gradient_keep_tf1_rules():
    assert tf.no_gradient is tf.NotDifferentiable is tf.NoGradient
    tf.no_gradient("NoGradientTestOp")
    with pytest.raises(KeyError, match="Registering two gradient with name 'NoGradientTestOp'"):
        tf.RegisterGradient("NoGradientTestOp")(lambda op, grad: grad)
    with pytest.raises(KeyError, match=re.escape("name 'Square'")):
        tf.no_gradient("Square")  # it has a gradient of its own
    with pytest.raises(KeyError, match="'CustomGradient'"):
        tf.RegisterGradient("CustomGradient")(lambda op, grad: grad)
