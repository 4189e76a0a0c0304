"""Tests for scopeflow/ops/state_ops.py: the shape functions of ``VariableV2``, ``Assign``,
``AssignAdd``, ``AssignSub`` and ``IsVariableInitialized`` (``tf.Variable`` builds them; its
own names are tested in tests/variables).
"""

from __future__ import annotations

import pytest

import scopeflow as tf


def _variable(graph, shape, dtype=tf.float32, name="v"):
    attrs = {"dtype": dtype, "shape": tf.TensorShape(shape)}
    return graph.create_op("VariableV2", [], attrs, name=name).outputs[0]


def test_variable_outputs_a_ref_of_its_shape(graph):
    v = _variable(graph, [2, None])
    assert (v.name, v.dtype, v.shape.as_list()) == ("v:0", tf.float32_ref, [2, None])


@pytest.mark.parametrize(
    ("value_shape", "validate", "expected"),
    [([2, 3], True, [2, 3]), ([None, 3], True, [2, 3]), ([5], False, [5])],
)
def test_assign_shape(graph, value_shape, validate, expected):
    v = _variable(graph, [2, 3])
    value = tf.placeholder(tf.float32, value_shape)
    out = graph.create_op("Assign", [v, value], {"validate_shape": validate}).outputs[0]
    assert (out.op.name, out.dtype, out.shape.as_list()) == ("Assign", tf.float32_ref, expected)


def test_assign_errors(graph):
    v = _variable(graph, [2, 3])
    with pytest.raises(ValueError, match=r"Shapes \(2, 3\) and \(3,\) are incompatible"):
        graph.create_op("Assign", [v, tf.placeholder(tf.float32, [3])], {"validate_shape": True})
    with pytest.raises(TypeError, match="Input 'value' of 'Assign' Op has type int32"):
        graph.create_op("Assign", [v, tf.placeholder(tf.int32, [2, 3])], {})


@pytest.mark.parametrize("op_type", ["AssignAdd", "AssignSub"])
def test_assign_updates_keep_the_variable_shape(graph, op_type):
    v = _variable(graph, [2, 3])
    out = graph.create_op(op_type, [v, tf.placeholder(tf.float32, [None, 3])], {}).outputs[0]
    assert (out.op.type, out.dtype, out.shape.as_list()) == (op_type, tf.float32_ref, [2, 3])
    with pytest.raises(ValueError, match="incompatible"):
        graph.create_op(op_type, [v, tf.placeholder(tf.float32, [3])], {})


def test_is_variable_initialized_is_a_bool_scalar(graph):
    v = _variable(graph, [2])
    out = graph.create_op("IsVariableInitialized", [v], {"dtype": tf.float32}).outputs[0]
    assert (out.op.name, out.dtype, out.shape.as_list()) == ("IsVariableInitialized", tf.bool, [])
