"""Tests for scopeflow/variables/legacy_scopes.py: ``tf.op_scope`` and
``tf.variable_op_scope`` give the scopes TF 2.21 gives; ``tf.dimension_at_index``."""

from __future__ import annotations

import scopeflow as tf


def test_op_scope_and_variable_op_scope_are_tfs(graph):
    x = tf.constant(1.0)
    with tf.op_scope([x], "myname", "default") as scope:
        assert scope == "myname/"
    with tf.op_scope([x], None, "default") as scope:
        assert scope == "default/"
    with tf.variable_op_scope([x], None, "vdefault") as vs:
        assert vs.name == "vdefault"
        assert tf.get_variable("w", [1]).name == "vdefault/w:0"
    with tf.variable_op_scope([x], "vdefault", reuse=True):
        assert tf.get_variable("w", [1]).name == "vdefault/w:0"


def test_dimension_at_index():
    assert tf.dimension_at_index(tf.TensorShape([2, None]), 0).value == 2
    assert tf.dimension_at_index(tf.TensorShape([2, None]), 1).value is None
    assert tf.dimension_at_index(tf.TensorShape(None), 3).value is None
