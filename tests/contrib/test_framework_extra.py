"""Tests for the variable helpers of scopeflow/contrib/framework_extra.py (tf_slim's
``assign_from_values``, ``assign_from_checkpoint``, ``filter_variables``...)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

framework = tf.contrib.framework


def test_assign_from_values_feeds_named_placeholders(graph):
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [2, 2], initializer=tf.zeros_initializer())
    assign, feed = framework.assign_from_values({"net/w": np.arange(4.0)})
    assert [p.op.name for p in feed] == ["placeholder/net/w"]
    with tf.Session() as sess:
        framework.assign_from_values_fn({"net/w": np.ones(4)})(sess)
        assert sess.run(w).tolist() == [[1, 1], [1, 1]]
        sess.run(assign, feed)
        assert sess.run(w).tolist() == [[0, 1], [2, 3]]
    with pytest.raises(ValueError, match="Variable nope wasn't found"):
        framework.assign_from_values({"nope": np.ones(1)})


def test_assign_from_checkpoint_with_parts_and_missing_names(graph, tmp_path):
    with tf.variable_scope("a"):
        w = tf.get_variable("w", [4, 2], initializer=tf.constant_initializer(3.0))
        b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(np.arange(8.0).reshape(4, 2)))
        path = tf.train.Saver().save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        with tf.variable_scope("a"):
            parts = tf.get_variable(
                "w",
                [4, 2],
                partitioner=tf.fixed_size_partitioner(2),
                initializer=tf.zeros_initializer(),
            )
            extra = tf.get_variable("c", [1])
        pieces = list(parts)
        assert [framework.get_variable_full_name(p) for p in pieces] == ["a/w", "a/w"]
        with pytest.raises(ValueError, match=r"Checkpoint is missing variable \[a/c\]"):
            framework.assign_from_checkpoint(path, [*pieces, extra])
        assign, feed = framework.assign_from_checkpoint(path, [*pieces, extra], True)
        with tf.Session() as sess:
            sess.run(assign, feed)
            np.testing.assert_array_equal(sess.run(parts.as_tensor()), np.arange(8.0).reshape(4, 2))
    with tf.Graph().as_default():
        wrong = tf.get_variable("wrong", [3])
        with pytest.raises(ValueError, match="Total size of new array must be unchanged for a/b"):
            framework.assign_from_checkpoint(path, {"a/b": wrong})
    del b


def test_filters_collections_and_the_global_step(graph):
    with tf.variable_scope("net"):
        w = tf.get_variable("weights", [1])
        b = tf.get_variable("biases", [1])
    g = framework.global_variable(1.0, name="g")
    loc = framework.local_variable(2.0, name="loc")
    assert framework.filter_variables([w, b, g], include_patterns=["net"]) == [w, b]
    assert framework.filter_variables([w, b], exclude_patterns=["bias"]) == [w]
    assert framework.filter_variables([w, b], include_patterns=["weights"], reg_search=False) == []
    assert g in tf.global_variables() and g not in tf.trainable_variables()
    assert loc in tf.local_variables() and loc not in tf.global_variables()
    framework.add_model_variable(w)
    framework.add_model_variable(w)
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == [w]
    assert framework.assert_or_get_global_step() is None
    step = tf.contrib.slim.create_global_step()
    assert framework.assert_or_get_global_step() is step
    assert framework.assert_or_get_global_step(global_step_tensor=step) is step
    with pytest.raises(TypeError):
        framework.assert_or_get_global_step(global_step_tensor=w)
