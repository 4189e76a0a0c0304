"""Tests for scopeflow/framework/graph_api.py's ``tf.init_scope``: it clears control
dependencies and the control-flow context, and keeps the name scope, as TF1's graph mode."""

from __future__ import annotations

import scopeflow as tf


def test_init_scope_keeps_the_name_scope_and_drops_control_dependencies(graph):
    x = tf.constant(1.0, name="x")
    with tf.name_scope("outer"), tf.control_dependencies([x]):
        with tf.init_scope():
            c = tf.constant(2.0, name="c")
        d = tf.constant(3.0, name="d")
    assert (c.name, c.op.control_inputs) == ("outer/c:0", [])
    assert d.op.control_inputs == [x.op]


def test_init_scope_leaves_a_while_loop_body(graph):
    made = []

    def body(i):
        with tf.init_scope():
            made.append(tf.constant(5, name="limit"))
        return [i + 1]

    tf.while_loop(lambda i: i < 3, body, [tf.constant(0)])
    assert made[0].op._frame is None
