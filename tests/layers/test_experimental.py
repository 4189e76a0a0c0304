"""Tests for scopeflow/layers/experimental.py (and its hunks in layers/base.py): Keras-style
``tf.layers`` under ``keras_style_scope``/``set_keras_style`` name layers, ops and weights as
TF 2.21's (tf.compat.v1 graph mode, tf_keras's legacy layers), with its errors. TF makes
resource variables there; scopeflow makes reference variables of the same names."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.layers.experimental import _Switch


@pytest.fixture
def keras_style():
    with tf.layers.experimental.keras_style_scope():
        yield


def _names(variables):
    return [v.name for v in variables]


def test_names_follow_the_layer_not_variable_scopes(graph, keras_style):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    d = tf.layers.Dense(4)
    assert d.name == "dense_1"
    y, y2 = d(x), d(x)
    same, same2 = tf.layers.Dense(4, name="same"), tf.layers.Dense(4, name="same")
    same(x)
    same2(x)
    with tf.variable_scope("vs", reuse=True):  # no reuse: a new layer makes new weights
        e = tf.layers.Dense(4)
        e(x)
    with tf.variable_scope("outer"):
        y3 = tf.layers.Dense(2, name="mine")(x)
    f = tf.layers.dense(x, 4)
    assert (y.name, y2.name, y3.name, f.name) == (
        "dense_1/BiasAdd:0",
        "dense_1_1/BiasAdd:0",
        "outer/mine/BiasAdd:0",
        "dense_3/BiasAdd:0",
    )
    assert _names(tf.global_variables()) == [
        "dense_1/kernel:0", "dense_1/bias:0", "same/kernel:0", "same/bias:0",
        "same_1/kernel:0", "same_1/bias:0", "vs/dense_2/kernel:0", "vs/dense_2/bias:0",
        "outer/mine/kernel:0", "outer/mine/bias:0", "dense_3/kernel:0", "dense_3/bias:0",
    ]  # fmt: skip
    kernel_ops = [op.name for op in tf.get_default_graph().get_operations()][1:9]
    assert kernel_ops == [
        "dense_1/kernel/Initializer/random_uniform/shape",
        "dense_1/kernel/Initializer/random_uniform/min",
        "dense_1/kernel/Initializer/random_uniform/max",
        "dense_1/kernel/Initializer/random_uniform/RandomUniform",
        "dense_1/kernel/Initializer/random_uniform/sub",
        "dense_1/kernel/Initializer/random_uniform/mul",
        "dense_1/kernel/Initializer/random_uniform",
        "dense_1/kernel",
    ]
    with pytest.raises(ValueError, match="No name available for layer scope"):
        _ = d.scope_name
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(y, {x: np.zeros((1, 3), np.float32)}).shape == (1, 4)


def test_losses_updates_and_batch_norm(graph, keras_style):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    d = tf.layers.Dense(4, kernel_regularizer=tf.nn.l2_loss, activation=tf.nn.relu)
    bn = tf.layers.BatchNormalization()
    z = bn(d(x), training=True)
    assert z.name == "batch_normalization_1/batchnorm/add_1:0"
    assert _names(tf.trainable_variables()) == [
        "dense_1/kernel:0", "dense_1/bias:0",
        "batch_normalization_1/gamma:0", "batch_normalization_1/beta:0",
    ]  # fmt: skip
    assert _names(bn.non_trainable_weights) == [
        "batch_normalization_1/moving_mean:0",
        "batch_normalization_1/moving_variance:0",
    ]
    # TF's collection holds the loss made in the call's name scope; updates stay on the layer.
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert _names(losses) == ["dense_1/dense_1/kernel/Regularizer/L2Loss:0"]
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    assert [u.name for u in bn.updates] == [
        "batch_normalization_1/AssignMovingAvg",
        "batch_normalization_1/AssignMovingAvg_1",
    ]


def test_errors_are_tfs(graph, keras_style):
    x = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(ValueError, match="reuse argument not allowed when keras style layers "):
        tf.layers.Dense(4, _reuse=True)
    with pytest.raises(ValueError, match="scope argument not allowed .* but saw: s"):
        tf.layers.Dense(4, _scope="s")
    with pytest.raises(ValueError, match="scope argument not allowed .* but saw: s"):
        tf.layers.Dense(4)(x, scope="s")
    # Each failed layer still took a name, as in TF (dense_1 to dense_3).
    assert tf.layers.Dense(4).name == "dense_4"


def test_rnn_cells_in_loops(graph, keras_style):
    x = tf.placeholder(tf.float32, [2, 5, 3], name="x")
    c1, c2 = tf.nn.rnn_cell.BasicRNNCell(4), tf.nn.rnn_cell.BasicRNNCell(4)
    o1, _ = tf.nn.dynamic_rnn(c1, x, dtype=tf.float32)
    tf.nn.dynamic_rnn(c2, x, dtype=tf.float32)
    tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(3), x, dtype=tf.float32, scope="lstm_rnn")
    assert (c1.name, c2.name) == ("basic_rnn_cell_1", "basic_rnn_cell_2")
    assert _names(tf.global_variables()) == [
        "rnn/while/basic_rnn_cell_1/kernel:0", "rnn/while/basic_rnn_cell_1/bias:0",
        "rnn_1/while/basic_rnn_cell_2/kernel:0", "rnn_1/while/basic_rnn_cell_2/bias:0",
        "lstm_rnn/while/lstm_cell_1/kernel:0", "lstm_rnn/while/lstm_cell_1/bias:0",
    ]  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(o1, {x: np.ones((2, 5, 3), np.float32)}).shape == (2, 5, 4)


def test_set_keras_style_is_for_good_and_the_scope_restores(graph):
    assert not tf.layers.Dense(4)._keras_style
    try:
        with tf.layers.experimental.keras_style_scope():
            pass
        assert not tf.layers.Dense(4)._keras_style
        tf.layers.experimental.set_keras_style()
        with tf.layers.experimental.keras_style_scope():
            pass
        assert tf.layers.Dense(4)._keras_style
    finally:
        _Switch.on = False
