"""Tests for scopeflow/ops/control/sparse_reset_shape.py: ``tf.sparse.reset_shape``, its graph
and errors as TF 2.21's ``tf.compat.v1`` builds them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _sparse():
    return tf.SparseTensor([[0, 0], [0, 1], [1, 2]], [3, 3, 5], [2, 4])


def test_known_shapes_are_checked_while_building(graph, run):
    reset = tf.sparse_reset_shape(_sparse(), [3, 5])
    assert reset.dense_shape.op.name == "SparseTensor_1/dense_shape"
    assert run(reset.dense_shape).tolist() == [3, 5]
    assert run(tf.sparse.reset_shape(_sparse())).dense_shape.tolist() == [2, 3]
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        tf.sparse.reset_shape(_sparse(), [3, 5, 1])
    with pytest.raises(ValueError, match="new_shape should have dimension sizes >= sp_input"):
        tf.sparse.reset_shape(_sparse(), [1, 5])
    with pytest.raises(ValueError, match=r"Shape \(1, 2\) must have rank 1"):
        tf.sparse.reset_shape(_sparse(), [[3, 5]])
    with pytest.raises(TypeError, match="Input must be a SparseTensor."):
        tf.sparse.reset_shape(tf.constant([1]))


def test_unknown_shapes_are_checked_when_run(graph, run):
    holder = tf.sparse_placeholder(tf.float32, shape=[None, None])
    reset = tf.sparse.reset_shape(holder, tf.constant([5, 6]))
    assert reset.dense_shape.op.name == "control_dependency_1"
    feed = {holder: tf.SparseTensorValue([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])}
    assert run(reset, feed).dense_shape.tolist() == [5, 6]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Condition x <= y did not hold"):
        run(tf.sparse.reset_shape(holder, tf.constant([1, 6])), feed)
    tight = tf.sparse.reset_shape(holder)
    assert tight.dense_shape.op.name == "Maximum"
    value = tf.SparseTensorValue([[0, 0], [1, 3]], [1.0, 2.0], [5, 9])
    assert run(tight, {holder: value}).dense_shape.tolist() == [2, 4]
    empty = tf.SparseTensorValue(np.zeros([0, 2], np.int64), np.zeros(0, np.float32), [5, 9])
    assert run(tight, {holder: empty}).dense_shape.tolist() == [0, 0]
