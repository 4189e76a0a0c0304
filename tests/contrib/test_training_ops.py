"""Tests for tf.contrib.training's training functions and slim.learning
(scopeflow/contrib/training_ops.py, scopeflow/contrib/slim/learning.py): names, summaries and
values as tf_slim gives them on TF 2.21 compat.v1."""

from __future__ import annotations

import os

import numpy as np
import pytest

import scopeflow as tf

slim = tf.contrib.slim


def test_create_train_op_transforms_summarises_and_updates(graph):
    w = tf.Variable([3.0, 4.0], name="w")
    b = tf.Variable(1.0, name="b")
    loss = tf.reduce_sum(tf.square(w)) + b
    train_op = slim.learning.create_train_op(
        loss,
        tf.train.GradientDescentOptimizer(0.1),
        summarize_gradients=True,
        clip_gradient_norm=1.0,
        gradient_multipliers={"b": 2.0},
    )
    assert train_op.name == "train_op/control_dependency:0"
    assert [s.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)] == [
        *("summarize_grads/w_gradient:0", "summarize_grads/w_gradient_norm:0"),
        *("summarize_grads/b_gradient:0", "summarize_grads/b_gradient_norm:0"),
    ]
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP)[-1] is train_op  # after the optimizer's
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_op)  # its value: the loss read before or after b's update, as in TF
        w_value, b_value = sess.run([w, b])
    np.testing.assert_allclose(w_value, [2.94, 3.92], rtol=1e-6)  # clipped to norm 1
    np.testing.assert_allclose(b_value, 0.9, rtol=1e-6)  # 2x, then clipped to 1


def test_update_ops_run_first_and_bad_losses_fail(graph):
    counter = tf.Variable(0.0)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0).op)
    w = tf.Variable(1.0)
    bad = tf.contrib.training.create_train_op(
        w / tf.placeholder_with_default(1.0, []), tf.train.GradientDescentOptimizer(0.1)
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(bad)
        assert sess.run(counter) == 1.0
        feed = {bad.graph.get_tensor_by_name("PlaceholderWithDefault:0"): 0.0}
        with pytest.raises(tf.errors.InvalidArgumentError, match="LossTensor is inf or nan"):
            sess.run(bad, feed)
    with pytest.raises(ValueError, match="must be a dict"):
        tf.contrib.training.multiply_gradients([(None, w)], [2.0])
    with pytest.raises(ValueError, match="Requested multiple of `None` gradient"):
        tf.contrib.training.multiply_gradients([(None, w)], {w: 2.0})


def test_contrib_training_train_runs_until_a_hook_stops(graph, tmp_path):
    w = tf.Variable(3.0)
    train_op = tf.contrib.training.create_train_op(
        tf.square(w), tf.train.GradientDescentOptimizer(0.25)
    )
    loss = tf.contrib.training.train(
        train_op,
        str(tmp_path),
        hooks=[tf.train.StopAtStepHook(num_steps=2)],
        save_checkpoint_secs=None,
        save_summaries_steps=None,
    )
    assert loss == 2.25
    with pytest.raises(ValueError, match="logdir cannot be None when save_summaries_steps"):
        tf.contrib.training.train(train_op, None)


def test_slim_learning_train_restores_fine_tunes_and_stops(tmp_path):
    logdir = str(tmp_path / "train")
    with tf.Graph().as_default():
        w = tf.Variable(3.0, name="w")
        train_op = slim.learning.create_train_op(
            tf.square(w), tf.train.GradientDescentOptimizer(0.25)
        )
        assert slim.learning.train(train_op, logdir, number_of_steps=2) == 2.25
    assert tf.train.latest_checkpoint(logdir).endswith("model.ckpt-2")
    with tf.Graph().as_default():  # resumes from logdir: two more steps
        w = tf.Variable(3.0, name="w")
        train_op = slim.learning.create_train_op(
            tf.square(w), tf.train.GradientDescentOptimizer(0.25)
        )
        assert slim.learning.train(train_op, logdir, number_of_steps=4) == 0.5625 * 0.25
    with tf.Graph().as_default():  # stops at the end of its input
        x = tf.data.Dataset.from_tensor_slices([1.0, 2.0]).make_one_shot_iterator().get_next()
        v = tf.Variable(0.0)
        train_op = slim.learning.create_train_op(
            tf.square(v - x), tf.train.GradientDescentOptimizer(0.5)
        )
        loss = slim.learning.train(train_op, str(tmp_path / "data"), log_every_n_steps=0)
        assert loss == 1.0  # (0 - 1)^2, then v = 1 and (1 - 2)^2; the third step ends it
    assert os.path.exists(os.path.join(tmp_path, "data", "checkpoint"))
    with pytest.raises(ValueError, match="`number_of_steps` must be either None or a positive"):
        slim.learning.train(train_op, logdir, number_of_steps=0)
