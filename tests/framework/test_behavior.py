"""Tests for scopeflow/framework/behavior.py: TF1's variable and control-flow switches (TF
2.21's compat.v1 answers False to both queries after ``disable_v2_behavior``)."""

from __future__ import annotations

import pytest

import scopeflow as tf


def test_queries_and_disabling_keep_tf1s():
    tf.disable_resource_variables()
    tf.disable_control_flow_v2()
    tf.disable_tensor_equality()
    tf.disable_v2_tensorshape()
    assert tf.resource_variables_enabled() is False
    assert tf.control_flow_v2_enabled() is False


@pytest.mark.parametrize(
    ("enable", "match"),
    [
        (tf.enable_control_flow_v2, "Switch, Merge"),
        (tf.enable_tensor_equality, "tf.equal"),
        (tf.enable_v2_tensorshape, "Dimension"),
    ],
)
def test_enabling_v2_is_refused(enable, match):
    with pytest.raises(NotImplementedError, match=match):
        enable()


def test_resource_variables_switch_the_default_as_tf():
    try:
        tf.enable_resource_variables()
        assert tf.resource_variables_enabled() is True
        with tf.Graph().as_default():
            assert tf.get_variable("v", [1]).op.type == "VarHandleOp"
        tf.disable_v2_behavior()  # as TF's: resource variables off again
        assert tf.resource_variables_enabled() is False
    finally:
        tf.disable_resource_variables()


def test_eager_queries_answer_false():
    assert tf.executing_eagerly() is False
    assert tf.executing_eagerly_outside_functions() is False
