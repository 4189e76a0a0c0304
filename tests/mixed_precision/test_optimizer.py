"""MixedPrecisionLossScaleOptimizer: names, skipped steps and values, as TF 2.21 gave them
for the same graphs (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_dynamic_scale_training_matches_tf(graph):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    w = tf.get_variable("w", initializer=tf.constant([[0.5], [-0.5]]))
    loss = tf.reduce_sum(tf.matmul(x, w) ** 2)
    scale = tf.mixed_precision.DynamicLossScale(initial_loss_scale=8.0, increment_period=2)
    opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
        tf.train.GradientDescentOptimizer(0.1), scale
    )
    train = opt.minimize(loss)
    assert train.name == "GradientDescent"
    assert (
        graph.get_operation_by_name(
            "cond_1/GradientDescent-wrapped/update_w/ApplyGradientDescent"
        ).type
        == "ApplyGradientDescent"
    )
    weights, scales = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
            weights.append(sess.run(w).ravel().tolist())
            scales.append(float(sess.run(scale())))
    np.testing.assert_allclose(weights, [[0.9, 0.1], [-1.18, -2.82], [9.076, 11.764]], rtol=1e-6)
    assert scales == [8.0, 16.0, 16.0]


def test_non_finite_gradients_skip_the_update_and_the_global_step(graph):
    factor = tf.placeholder(tf.float32, [])
    w = tf.get_variable("w", initializer=tf.constant([1.0, 2.0]))
    step = tf.train.get_or_create_global_step()
    opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
        tf.train.MomentumOptimizer(0.1, 0.9),
        tf.mixed_precision.DynamicLossScale(initial_loss_scale=4.0, increment_period=1),
    )
    grads = opt.compute_gradients(tf.reduce_sum(w * factor))
    train = opt.apply_gradients(grads, global_step=step)
    assert train.name == "Momentum"
    assert [v.name for v in opt.variables()] == [
        "w/Momentum:0",
        "current_loss_scale:0",
        "good_steps:0",
    ]
    assert opt.get_slot_names() == []  # as TF: the wrapper keeps no slots of its own
    seen = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in [1.0, np.inf, 1.0, np.nan, 2.0]:
            sess.run(train, {factor: value})
            seen.append((sess.run(w).tolist(), int(sess.run(step))))
        np.testing.assert_array_equal(sess.run(grads[0][0], {factor: 3.0}), [3.0, 3.0])
    np.testing.assert_allclose(
        [s[0] for s in seen],
        [[0.9, 1.9], [0.9, 1.9], [0.71, 1.71], [0.71, 1.71], [0.339, 1.339]],
        rtol=1e-5,
    )
    assert [s[1] for s in seen] == [1, 1, 2, 2, 3]


def test_sparse_gradients_and_named_steps(graph):
    emb = tf.get_variable("emb", initializer=tf.constant(np.arange(12.0, dtype=np.float32)
                                                         .reshape(4, 3)))  # fmt: skip
    ids = tf.placeholder(tf.int32, [None])
    factor = tf.placeholder(tf.float32, [])
    loss = tf.reduce_sum(tf.nn.embedding_lookup(emb, ids)) * factor
    opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
        tf.train.AdamOptimizer(0.1), "dynamic")  # fmt: skip
    assert type(opt.compute_gradients(loss)[0][0]).__name__ == "IndexedSlices"
    train = opt.minimize(loss, global_step=tf.train.get_or_create_global_step(), name="step")
    assert train.name == "step"
    graph.get_operation_by_name("cond_1/step-wrapped/update_emb/ScatterAdd")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in [1.0, np.inf, 2.0]:
            sess.run(train, {ids: [0, 2, 2], factor: value})
        np.testing.assert_allclose(sess.run(emb)[0], [-0.19651784, 0.8034822, 1.8034822])
        assert sess.run(opt._loss_scale()) == 16384.0


def test_fixed_scale_applies_without_cond(graph):
    w = tf.get_variable("w", initializer=tf.constant([1.0, 2.0]))
    opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
        tf.train.AdamOptimizer(0.1), 16)  # fmt: skip
    grads = opt.compute_gradients(tf.reduce_sum(w * w))
    train = opt.apply_gradients(grads, name="foo")
    assert [i.name for i in train.control_inputs] == [
        "foo/update_w/ApplyAdam",
        "foo/Assign",
        "foo/Assign_1",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.9, 1.9], rtol=1e-6)
        np.testing.assert_allclose(sess.run(grads[0][0]), [1.8, 3.8], rtol=1e-6)


def test_errors_and_graph_rewrite(graph, caplog):
    with pytest.raises(ValueError, match='"opt" must be an instance of Optimizer'):
        tf.train.experimental.MixedPrecisionLossScaleOptimizer(3, "dynamic")
    with pytest.raises(ValueError, match="Could not interpret loss scale identifier: foo"):
        tf.train.experimental.MixedPrecisionLossScaleOptimizer(tf.train.AdamOptimizer(), "foo")
    with pytest.raises(ValueError, match="tf.train.Optimizer or a tf.keras"):
        tf.mixed_precision.enable_mixed_precision_graph_rewrite(3)
    opt = tf.train.experimental.enable_mixed_precision_graph_rewrite(
        tf.train.GradientDescentOptimizer(0.1), loss_scale=128)  # fmt: skip
    assert repr(opt._loss_scale) == "FixedLossScale(128.0)"
    assert "not rewritten to float16" in caplog.text
    assert tf.mixed_precision.disable_mixed_precision_graph_rewrite() is None
