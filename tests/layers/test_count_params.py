"""tf.layers layers count their parameters (Layer.count_params), as TF 2.21's."""

import pytest

import scopeflow as tf


def test_count_params_of_built_layers(graph):
    dense = tf.layers.Dense(3)
    dense(tf.placeholder(tf.float32, [None, 4]))
    conv = tf.layers.Conv2D(2, 3)
    conv(tf.placeholder(tf.float32, [None, 8, 8, 3]))
    norm = tf.layers.BatchNormalization()
    norm(tf.placeholder(tf.float32, [None, 5]))
    assert [dense.count_params(), conv.count_params(), norm.count_params()] == [15, 56, 20]


def test_count_params_before_building(graph):
    dense = tf.layers.Dense(3)
    with pytest.raises(ValueError, match="You tried to call `count_params` on dense_1, but"):
        dense.count_params()
