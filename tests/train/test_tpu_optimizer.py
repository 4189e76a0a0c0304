"""Tests for scopeflow/train/tpu_optimizer.py (``tf.tpu.CrossShardOptimizer``): TF 2.21's
graph (a ``CrossReplicaSum`` per gradient, colocated with it), names and errors, and training
equal to the wrapped optimizer's on the one replica."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _train(wrap: bool, steps: int = 3):
    with tf.Graph().as_default():
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, -2.0]))
        opt = tf.train.AdamOptimizer(0.1)
        if wrap:
            opt = tf.tpu.CrossShardOptimizer(opt)
        train = opt.minimize(tf.reduce_sum(w * w * w))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(train)
            return sess.run(w)


def test_training_is_the_wrapped_optimizers():
    np.testing.assert_array_equal(_train(True), _train(False))


def test_graph_names_and_slots_are_tfs(graph):
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    opt = tf.tpu.CrossShardOptimizer(
        tf.train.AdamOptimizer(0.1), reduction=tf.losses.Reduction.SUM, name="X"
    )
    assert (opt.get_name(), opt._opt.get_name()) == ("X", "Adam")
    gv = opt.compute_gradients(tf.reduce_sum(w * w))
    n = len(graph.get_operations())
    opt.apply_gradients(gv)
    made = graph.get_operations()[n : n + 2]
    assert [(op.name, op.type, [t.name for t in op.inputs]) for op in made] == [
        ("CrossReplicaSum/group_assignment", "Const", []),
        ("CrossReplicaSum", "CrossReplicaSum",
         ["gradients/AddN:0", "CrossReplicaSum/group_assignment:0"]),
    ]  # fmt: skip
    assert made[1].colocation_groups() == [b"loc:@gradients/mul_grad/Mul"]
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(w, "m").name == "w/Adam:0"
    assert [v.name for v in opt.variables()] == [
        "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0",
    ]  # fmt: skip


def test_errors_are_tfs(graph):
    w = tf.get_variable("w", [2])
    sgd = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match=r"`reduction` should be one of \('weighted_sum', 'w"):
        tf.tpu.CrossShardOptimizer(sgd, reduction="foo")
    with pytest.raises(TypeError, match="only works with tf.training.Optimizer"):
        tf.tpu.CrossShardOptimizer(object())
    bad = tf.tpu.CrossShardOptimizer(sgd, group_assignment=[[0, 1]])
    with pytest.raises(ValueError, match=r"must be a permutation of range\(1\)"):
        bad.compute_gradients(tf.reduce_sum(w))
    flat = tf.tpu.CrossShardOptimizer(sgd, group_assignment=[0])
    with pytest.raises(ValueError, match="must be a list of lists"):
        flat.compute_gradients(tf.reduce_sum(w))
