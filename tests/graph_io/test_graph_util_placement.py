"""Tests for ``tf.graph_util.must_run_on_cpu``, ``tensor_shape_from_node_def_name`` and
``import_graph_def`` (scopeflow/graph_io/graph_util.py): answers recorded from TF 2.21."""

from __future__ import annotations

import pytest

import scopeflow as tf

# (node, must_run_on_cpu, with pin_variables_on_cpu) for the graph below, from TF 2.21
EXPECTED = [
    ("a", False, False), ("Reshape/shape", True, True), ("Reshape", False, False),
    ("v/initial_value", False, False), ("v", False, True), ("v/Assign", False, True),
    ("v/read", False, False), ("Const", True, True), ("Const_1", True, True),
    ("Cast", True, True), ("Const_2", True, True), ("Const_3", True, True),
    ("DynamicStitch", True, True), ("truncated_normal/shape", True, True),
    ("truncated_normal/mean", False, False), ("truncated_normal/stddev", False, False),
    ("truncated_normal/TruncatedNormal", False, True), ("truncated_normal/mul", False, False),
    ("truncated_normal", False, False),
]  # fmt: skip


def test_must_run_on_cpu_is_tfs_for_ops_and_node_defs(graph):
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    tf.reshape(a, [-1])
    tf.Variable(1.0, name="v")
    tf.constant("x")
    tf.cast(tf.constant(1), tf.float32)
    tf.dynamic_stitch([tf.constant([0])], [tf.constant([5])])
    tf.truncated_normal([2])
    by_op = [
        (op.name, tf.graph_util.must_run_on_cpu(op), tf.graph_util.must_run_on_cpu(op, True))
        for op in graph.get_operations()
    ]
    by_node = [
        (n.name, tf.graph_util.must_run_on_cpu(n), tf.graph_util.must_run_on_cpu(n, True))
        for n in graph.as_graph_def().node
    ]
    assert by_op == EXPECTED and by_node == EXPECTED


def test_tensor_shape_from_node_def_name(graph):
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    tf.reshape(a, [-1])
    assert tf.graph_util.tensor_shape_from_node_def_name(graph, "a").as_list() == [None, 3]
    assert tf.graph_util.tensor_shape_from_node_def_name(graph, "Reshape:0").as_list() == [None]
    with pytest.raises(KeyError, match="nope"):
        tf.graph_util.tensor_shape_from_node_def_name(graph, "nope")
    assert tf.graph_util.import_graph_def is tf.import_graph_def
