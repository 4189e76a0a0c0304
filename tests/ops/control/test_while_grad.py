"""Tests for scopeflow/ops/control/while_grad.py: the gradient loop's results carry TF1's
names (a loop variable's start gets its gradient from ``<Enter>_grad/Exit``, a value read
from outside from ``<Enter>_grad/b_acc_3``), and loop variables that feed no result get no
gradient, as in TF 2.21 (``tensorflow.compat.v1``, ``disable_v2_behavior()``), whose names
and values the tests below were read from. IndexedSlices accumulators:
test_indexed_slices_gradients.py."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.fixture
def sess(graph):
    with tf.Session() as session:
        yield session


def test_a_dense_gradient_of_a_value_read_inside_is_summed_under_tf1_names(graph, sess):
    x = tf.placeholder(tf.float32, [])
    _, y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, 1.0])
    (grad,) = tf.gradients(y, x)
    assert grad.name == "gradients/while/mul/Enter_grad/b_acc_3:0"
    assert sess.run(grad, {x: 2.0}) == 12.0


def test_a_loop_variables_start_gets_its_gradient_from_tf1s_exit(graph, sess):
    x, h = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
    _, y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, h])
    (grad,) = tf.gradients(y, h)
    assert grad.name == "gradients/while/Enter_1_grad/Exit:0"
    assert sess.run(grad, {x: 2.0, h: 1.0}) == 8.0


def test_loop_variables_that_feed_no_result_get_no_gradient(graph, sess):
    x, h, g0 = (tf.placeholder(tf.float32, []) for _ in range(3))
    body = lambda i, a, b: (i + 1, a * x, b * a)  # noqa: E731
    _, y, z = tf.while_loop(lambda i, a, b: i < 3, body, [0, h, g0])
    grad_h, grad_g0, grad_x = tf.gradients(y, [h, g0, x])
    assert grad_g0 is None  # as TF1: b does not feed y
    assert (grad_h.name, grad_x.name) == (
        "gradients/while/Enter_1_grad/Exit:0",
        "gradients/while/mul/Enter_grad/b_acc_3:0",
    )
    grads = tf.gradients(z, [h, g0, x])  # z = g0 h^3 x^3
    assert [g.name for g in grads] == [
        "gradients_1/while/Enter_1_grad/Exit:0",
        "gradients_1/while/Enter_2_grad/Exit:0",
        "gradients_1/while/mul/Enter_grad/b_acc_3:0",
    ]
    assert sess.run(grads, {x: 2.0, h: 1.0, g0: 1.0}) == [24.0, 8.0, 12.0]
