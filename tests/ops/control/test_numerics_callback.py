"""Tests for scopeflow/ops/control/numerics_callback.py: ``tf.debugging.enable_check_numerics``
builds TF 2.21's graph (tf.compat.v1 graph mode: ``CheckNumericsV2`` ops, their names, what
builders return, placeholders' checks, skipped op types and outputs, this thread only), and
the ``CheckNumericsV2`` kernel and gradient give TF's messages."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

X = np.float32([[0.5, -1, 2], [0, 1, -3]])


def _check(x):
    return tf.raw_ops.CheckNumericsV2(tensor=x, message="msg")


# TF 2.21's words for each mix of -Inf, +Inf and NaN.
# fmt: off
CASES = [
    Case("finite", "CheckNumericsV2", _check, (X,), lambda x: x),
    Case("finite-f64", "CheckNumericsV2", _check, (X.astype(np.float64),), lambda x: x),
    Case("nan", "CheckNumericsV2", _check, (np.float32([np.nan]),),
         Raises(tf.errors.InvalidArgumentError, "msg : Tensor had NaN values")),
    Case("pos-inf", "CheckNumericsV2", _check, (np.float32([np.inf]),),
         Raises(tf.errors.InvalidArgumentError, "msg : Tensor had +Inf values")),
    Case("neg-inf", "CheckNumericsV2", _check, (np.float32([-np.inf]),),
         Raises(tf.errors.InvalidArgumentError, "msg : Tensor had -Inf values")),
    Case("both-infs", "CheckNumericsV2", _check, (np.float32([np.inf, -np.inf]),),
         Raises(tf.errors.InvalidArgumentError, "msg : Tensor had -Inf and +Inf values")),
    Case("nan-inf", "CheckNumericsV2", _check, (np.float32([np.nan, np.inf]),),
         Raises(tf.errors.InvalidArgumentError, "msg : Tensor had +Inf and NaN values")),
    Case("all", "CheckNumericsV2", _check, (np.float32([np.nan, np.inf, -np.inf]),),
         Raises(tf.errors.InvalidArgumentError, "msg : Tensor had -Inf, +Inf, and NaN values")),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize(
    "case",
    gradient_cases(
        [GradCase("check-numerics-v2", lambda x: _check(x * x), (np.arange(-2.0, 2.0),))]
    ),
)
def test_gradient_passes_through(case):
    check_gradient_case(case)


def test_int_input_is_refused(graph):
    with pytest.raises(TypeError, match="int32 not in list of allowed values"):
        _check(tf.constant([1]))


def test_gradient_is_checked_with_tfs_message(graph):
    x = tf.placeholder(tf.float32, [None])
    (grad,) = tf.gradients(_check(x) * 2.0, x)
    assert grad.op.type == "CheckNumericsV2"
    assert grad.op.name == "gradients/CheckNumericsV2_grad/CheckNumericsV2"
    assert grad.op.get_attr("message") == (
        b"Not a number (NaN) or infinity (Inf) values detected in gradient. b'msg'"
    )


@pytest.fixture
def checking():
    tf.debugging.enable_check_numerics()
    yield
    tf.debugging.disable_check_numerics()


def _ops(graph):
    return [(op.type, op.name, [t.name for t in op.inputs]) for op in graph.get_operations()]


def test_graph_is_tfs(graph, checking):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.log(x, name="mylog")
    z = y * 2.0
    tf.debugging.disable_check_numerics()
    w = tf.log(x)
    assert (y.name, z.name, w.name) == (
        "mylog/CheckNumericsV2:0",
        "mul/CheckNumericsV2_1:0",
        "Log:0",
    )
    assert _ops(graph) == [
        ("Placeholder", "x", []),
        ("CheckNumericsV2", "x/CheckNumericsV2", ["x:0"]),
        ("Log", "mylog", ["x:0"]),
        ("CheckNumericsV2", "mylog/CheckNumericsV2", ["mylog:0"]),
        ("Const", "mul/y", []),
        ("CheckNumericsV2", "mul/CheckNumericsV2", ["mul/y:0"]),
        ("Mul", "mul", ["mylog/CheckNumericsV2:0", "mul/CheckNumericsV2:0"]),
        ("CheckNumericsV2", "mul/CheckNumericsV2_1", ["mul:0"]),
        ("Log", "Log", ["x:0"]),
    ]
    # A placeholder stays feedable: the ops taking it wait for its check.
    assert [c.name for c in graph.get_operation_by_name("mylog").control_inputs] == [
        "x/CheckNumericsV2"
    ]
    assert graph.get_operation_by_name("Log").control_inputs == []  # built after disable
    message = graph.get_operation_by_name("mul/CheckNumericsV2_1").get_attr("message").decode()
    assert message.startswith(
        '\n\n!!! Detected Infinity or NaN in output 0 of graph op "Mul" (# of outputs: 1) !!!\n'
        "  dtype: <dtype: 'float32'>\n"
        "  shape: (2,)\n\n"
        "  Input tensors (2):\n"
        '         0: Tensor("mylog:0", shape=(2,), dtype=float32)\n'
        '         1: Tensor("mul/y:0", shape=(), dtype=float32)\n\n'
        '  Stack trace of op\'s creation ("->": inferred user code):\n'
        "    + ..."
    )
    assert "test_numerics_callback.py (L" in message and " -> |   z = y * 2.0" in message
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(z, {x: [1.0, 2.0]}), [0.0, 2 * np.log(2.0)])
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(z, {x: [0.0, 2.0]})
        assert info.value.op.name == "mylog/CheckNumericsV2"
        lines = info.value.message.splitlines()
        assert (
            lines[2]
            == '!!! Detected Infinity or NaN in output 0 of graph op "Log" (# of outputs: 1) !!!'
        )  # noqa: E501
        assert " : Tensor had -Inf values" in info.value.message
        with pytest.raises(tf.errors.InvalidArgumentError, match='graph op "Placeholder"'):
            sess.run(z, {x: [np.nan, 2.0]})
        assert np.isnan(sess.run(w, {x: [-1.0, 1.0]})[0])  # unchecked


def test_skipped_ops_outputs_and_threads(graph, checking):
    # TF 2.21 builds exactly these: moves of values (Reshape, Identity) and the batch
    # statistics of a fused batch norm go unchecked, ints too; another thread builds
    # unchecked ops; enabling twice is enabling once.
    x = tf.constant(np.ones((2, 2, 2, 3), np.float32), name="x")
    r = tf.reshape(x, [-1], name="r")
    i = tf.identity(r, name="i")
    y, m, v = tf.nn.fused_batch_norm(x, tf.ones([3]), tf.zeros([3]), name="bn")[:3]
    s = tf.reduce_sum(tf.cast(tf.cast(x, tf.int32), tf.float32), name="s")
    other = []
    thread = threading.Thread(target=lambda: other.append(tf.square(x, name="sq_other_thread")))
    with graph.as_default():
        thread.start()
        thread.join()
    tf.debugging.enable_check_numerics()
    z = tf.square(x, name="sq")
    names = [t.name for t in (r, i, y, m, v, s, z, other[0])]
    assert names == [
        "r:0", "i:0", "bn/CheckNumericsV2:0", "bn:1", "bn:2", "s/CheckNumericsV2:0",
        "sq/CheckNumericsV2:0", "sq_other_thread:0",
    ]  # fmt: skip
    assert [op.name for op in graph.get_operations() if op.type == "CheckNumericsV2"] == [
        "CheckNumericsV2", "ones/CheckNumericsV2", "zeros/CheckNumericsV2", "CheckNumericsV2_1",
        "CheckNumericsV2_2", "bn/CheckNumericsV2", "Cast_1/CheckNumericsV2",
        "s/CheckNumericsV2", "sq/CheckNumericsV2",
    ]  # fmt: skip


def test_training_graph_runs_and_names_gradients_as_tf(graph, checking):
    # TF 2.21 (resource variables there: its reference variables fail under the check):
    # the gradient of a checked tensor is checked twice, with TF's names; the loss 1.7320508.
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
    loss = tf.reduce_mean(tf.sqrt(tf.matmul(x, w)))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    names = [op.name for op in graph.get_operations()]
    assert "gradients/Mean/CheckNumericsV2_grad/CheckNumericsV2/CheckNumericsV2" in names
    assert "w/Initializer/ones/CheckNumericsV2" in names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(loss, {x: [[1.0, 2.0]]}) == pytest.approx(1.7320508, abs=1e-6)
        sess.run(train, {x: [[1.0, 2.0]]})
        with pytest.raises(tf.errors.InvalidArgumentError, match='graph op "Sqrt"'):
            sess.run(train, {x: [[-1.0, -2.0]]})
        np.testing.assert_allclose(sess.run(w), [[0.9711325168609619], [0.942264974117279]], 1e-6)
