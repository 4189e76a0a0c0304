"""``tf.layers.dense``, ``dropout`` and ``flatten``: values against NumPy, dropout's training
and inference modes (a Python bool or a bool tensor), gradients, regularization losses and
reuse."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 5)).astype(np.float32)


def test_dense_computes_activation_of_x_kernel_plus_bias(run):
    y = tf.layers.dense(X, 3, activation=tf.nn.relu, bias_initializer=tf.constant_initializer(0.5))
    kernel, bias = tf.trainable_variables()
    value, k = run([y, kernel])
    np.testing.assert_allclose(value, np.maximum(X @ k + 0.5, 0), rtol=1e-5)


def test_dense_default_kernel_is_glorot_uniform(run):
    tf.layers.dense(tf.zeros([2, 300]), 200)
    kernel = run(tf.trainable_variables()[0])
    limit = np.sqrt(6 / (300 + 200))
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.95 * limit
    assert abs(kernel.std() - limit / np.sqrt(3)) < 0.01 * limit


def test_dense_on_rank_3_contracts_the_last_axis(run):
    x = RNG.standard_normal((2, 4, 5)).astype(np.float32)
    y = tf.layers.dense(tf.placeholder_with_default(x, [None, 4, 5]), 3, use_bias=False)
    assert y.shape.as_list() == [None, 4, 3]
    value, k = run([y, tf.trainable_variables()[0]])
    np.testing.assert_allclose(value, x @ k, rtol=1e-5, atol=1e-6)


def test_dense_gradients_match_finite_differences(graph):
    x = tf.constant(X.astype(np.float64))
    y = tf.layers.dense(x, 3, activation=tf.tanh, kernel_initializer=tf.constant_initializer(0.1))
    kernel, bias = tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for v in (kernel, bias):
            error = tf.test.compute_gradient_error(v, v.shape.as_list(), y, [4, 3])
            assert error < 1e-4


def test_regularizers_go_into_regularization_losses(run):
    y = tf.layers.dense(
        X,
        3,
        kernel_initializer=tf.ones_initializer(),
        bias_initializer=tf.ones_initializer(),
        kernel_regularizer=tf.nn.l2_loss,
        bias_regularizer=lambda b: tf.reduce_sum(b),
        activity_regularizer=tf.nn.l2_loss,
    )
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.op.name for t in losses] == [
        "dense/kernel/Regularizer/L2Loss",
        "dense/bias/Regularizer/Sum",
        "dense/ActivityRegularizer/truediv",
    ]
    values = run(losses)
    out = run(y)
    np.testing.assert_allclose(values, [7.5, 3.0, (out**2).sum() / 2 / 4], rtol=1e-5)
    # reusing the layer adds no second weight loss
    tf.layers.dense(X, 3, name="dense", reuse=True)
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3


def test_the_same_object_reuses_its_variables(run):
    layer = tf.layers.Dense(3)
    a, b = layer(X), layer.apply(X * 2)
    assert len(tf.global_variables()) == 2
    assert layer.kernel.name == "dense/kernel:0" and layer.bias.name == "dense/bias:0"
    assert layer.weights == [layer.kernel, layer.bias] == layer.trainable_variables
    va, vb = run([a, b])
    np.testing.assert_allclose(vb - run(layer.bias), 2 * (va - run(layer.bias)), rtol=1e-5)


def test_auto_reuse_inside_a_variable_scope(graph):
    for _ in range(2):
        with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
            tf.layers.dense(X, 3, name="fc")
    assert [v.name for v in tf.global_variables()] == ["tower/fc/kernel:0", "tower/fc/bias:0"]


def test_untrainable_layer_variables_are_not_trainable(graph):
    layer = tf.layers.Dense(3, trainable=False)
    layer(X)
    assert tf.trainable_variables() == [] and layer.non_trainable_variables == layer.variables


def test_another_input_size_raises_with_the_layer_name_and_shapes(graph):
    layer = tf.layers.Dense(3, name="fc")
    layer(X)
    with pytest.raises(ValueError, match=r'layer "fc".*value 5.*\(2, 4\)'):
        layer(tf.zeros([2, 4]))


@pytest.mark.parametrize("training", [False, True])
def test_dropout_python_bool(run, training):
    x = np.ones([100, 100], np.float32)
    y = run(tf.layers.dropout(x, 0.25, training=training))
    if not training:
        np.testing.assert_array_equal(y, x)
        return
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.03


def test_dropout_bool_tensor_chooses_at_run_time(run):
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.dropout(np.ones([50, 50], np.float32), 0.5, training=training)
    assert y.op.type == "Merge"
    np.testing.assert_array_equal(run(y, {training: False}), 1.0)
    assert 0.4 < (run(y, {training: True}) == 0).mean() < 0.6


def test_dropout_noise_shape_drops_whole_channels(run):
    y = run(tf.layers.dropout(np.ones([4, 6, 6, 8], np.float32), 0.5, [4, 1, 1, 8], True))
    per_channel = y.reshape(4, 36, 8)
    assert (per_channel.min(axis=1) == per_channel.max(axis=1)).all()


def test_flatten_keeps_the_batch(run):
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    y = tf.layers.flatten(tf.placeholder_with_default(x, [None, 3, 4]))
    assert y.shape.as_list() == [None, 12]
    np.testing.assert_array_equal(run(y), x.reshape(2, 12))


def test_flatten_channels_first_moves_channels_last_first(graph, run):
    # TF 2.21: flatten/transpose (perm [0, 2, 1]) then flatten/Reshape, channels_last's order
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    y = tf.layers.flatten(x, data_format="channels_first")
    names = [op.name for op in graph.get_operations()]
    assert names == ["Const", "flatten/transpose/perm", "flatten/transpose", "flatten/Const",
                     "flatten/Reshape"]  # fmt: skip
    assert y.shape.as_list() == [2, 12]
    np.testing.assert_array_equal(run(y), np.arange(24).reshape(2, 3, 4).transpose(0, 2, 1)
                                  .reshape(2, 12))  # fmt: skip
