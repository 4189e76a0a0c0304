"""Tests for ``tf.contrib.util`` (scopeflow/contrib/util.py)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_values_protos_and_op_types(graph):
    util = tf.contrib.util
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.identity(x * tf.constant([2.0, 3.0]))
    assert util.constant_value(y) is None
    np.testing.assert_array_equal(util.constant_value(tf.shape(x)), [2])
    proto = util.make_tensor_proto(np.arange(6, dtype=np.int32).reshape(2, 3))
    np.testing.assert_array_equal(util.make_ndarray(proto), np.arange(6).reshape(2, 3))
    graph_def = graph.as_graph_def()
    assert util.ops_used_by_graph_def(graph_def) == ["Const", "Identity", "Mul", "Placeholder"]
