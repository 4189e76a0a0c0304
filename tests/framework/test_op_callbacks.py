"""Tests for scopeflow/framework/op_callbacks.py: callbacks see the ops this thread builds
(through ``apply_op`` and ``tf.constant``), may give the builder other tensors, are not shown
their own ops, and are added once and removed with TF's KeyError."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.framework import op_callbacks


@pytest.fixture
def callback():
    seen = []

    def negate_floats(op, outputs):
        seen.append((op.type, op.name, tf.get_default_graph().get_name_scope()))
        if op.type in ("Const", "Square"):
            return [tf.negative(t) for t in outputs]
        return None

    op_callbacks.add_op_callback(negate_floats)
    op_callbacks.add_op_callback(negate_floats)  # once
    yield seen
    op_callbacks.remove_op_callback(negate_floats)


def test_callbacks_see_ops_and_replace_outputs(graph, callback):
    with tf.name_scope("s"):
        c = tf.constant(3.0, name="c")
    y = tf.square(c, name="sq")
    # Constants: ops made in the current scope; other ops: in the op's own scope. The
    # negations the callback makes are not shown to it.
    assert callback == [("Const", "s/c", "s"), ("Square", "sq", "sq")]
    assert (c.name, y.name) == ("s/Neg:0", "sq/Neg:0")
    assert y.op.inputs[0].op.inputs[0] is c
    with tf.Session() as sess:
        assert sess.run(y) == -9.0


def test_remove_and_wrong_output_counts(graph):
    def one_too_many(op, outputs):
        return [*outputs, outputs[0]]

    with pytest.raises(KeyError, match="not found"):
        op_callbacks.remove_op_callback(one_too_many)
    op_callbacks.add_op_callback(one_too_many)
    try:
        with pytest.raises(ValueError, match="returned 2 tensors, which does not match"):
            tf.constant(1.0)
    finally:
        op_callbacks.remove_op_callback(one_too_many)
    assert tf.constant(1.0).op.type == "Const"
