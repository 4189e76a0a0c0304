"""Tests for scopeflow/variables/collections.py: ``tf.report_uninitialized_variables``.

Expected names and values were read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph
mode).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _two_variables():
    a = tf.Variable(1.0, name="a")
    with tf.variable_scope("s"):
        b = tf.get_variable("b", [2])
    return a, b


def test_names_the_uninitialized_variables_in_creation_order():
    a, _ = _two_variables()
    report = tf.report_uninitialized_variables()
    assert report.name == "report_uninitialized_variables/boolean_mask/GatherV2:0"
    assert report.dtype == tf.string and report.shape.as_list() == [None]
    with tf.Session() as sess:
        assert sess.run(report).tolist() == [b"a", b"s/b"]
        sess.run(a.initializer)
        assert sess.run(report).tolist() == [b"s/b"]
        sess.run(tf.global_variables_initializer())
        assert sess.run(report).shape == (0,)


def test_builds_tf1s_ops_in_tf1s_order():
    _two_variables()
    tf.report_uninitialized_variables()
    ops = [
        (op.name, op.type)
        for op in tf.get_default_graph().get_operations()
        if op.name.startswith("report_uninitialized_variables/") and "boolean_mask/" not in op.name
    ]
    assert ops == [
        ("report_uninitialized_variables/IsVariableInitialized", "IsVariableInitialized"),
        ("report_uninitialized_variables/IsVariableInitialized_1", "IsVariableInitialized"),
        ("report_uninitialized_variables/stack", "Pack"),
        ("report_uninitialized_variables/LogicalNot", "LogicalNot"),
        ("report_uninitialized_variables/Const", "Const"),
    ]


def test_var_list_limits_the_report_and_local_variables_count():
    a, b = _two_variables()
    local = tf.get_local_variable("counter", [], initializer=tf.zeros_initializer())
    with tf.Session() as sess:
        assert sess.run(tf.report_uninitialized_variables([b])).tolist() == [b"s/b"]
        everything = sess.run(tf.report_uninitialized_variables())
        assert everything.tolist() == [b"a", b"s/b", local.op.name.encode()]


def test_no_variables_gives_an_empty_string_constant():
    report = tf.report_uninitialized_variables([])
    assert report.name == "report_uninitialized_variables/Const:0"
    assert report.shape.as_list() == [0]
    with tf.Session() as sess:
        value = sess.run(report)
    assert value.shape == (0,) and value.dtype == np.object_
