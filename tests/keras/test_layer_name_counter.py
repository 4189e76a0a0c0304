"""Keras layers and ``tf.layers`` layers count their names in one per-graph counter, as TF
2.21 (tf_keras) does: a ``tf.layers`` layer takes ``<base>_<count + 1>`` (``dense_1`` first),
a Keras layer ``<base>`` then ``<base>_<count>``, each counting once. Expected names from TF
2.21 (``TF_USE_LEGACY_KERAS=1``, ``tf.compat.v1`` with ``disable_v2_behavior()``)."""

from __future__ import annotations

import scopeflow as tf


def _matmul_scopes(graph) -> list:
    return [op.name.rsplit("/", 1)[0] for op in graph.get_operations() if op.type == "MatMul"]


def test_layer_objects_share_one_name_counter(graph):
    names = [
        tf.layers.Dense(3).name,
        tf.keras.layers.Dense(3).name,
        tf.layers.Dense(2).name,
        tf.keras.layers.Dense(2).name,
    ]
    assert names == ["dense_1", "dense_1", "dense_3", "dense_3"]


def test_mixed_calls_take_tfs_variable_and_op_scopes(graph):
    x = tf.placeholder(tf.float32, [None, 4])
    tf.layers.dense(x, 2)
    tf.keras.layers.Dense(2)(x)
    tf.layers.dense(x, 2)
    layer = tf.layers.Dense(2)
    layer(x)
    layer(x)
    keras_layer = tf.keras.layers.Dense(2)
    keras_layer(x)
    keras_layer(x)
    with tf.variable_scope("s"):
        tf.layers.dense(x, 2)
        tf.keras.layers.Dense(2)(x)
        tf.layers.Dense(2)(x)
    kernels = [v.name for v in tf.global_variables() if "kernel" in v.name]
    assert kernels == [
        "dense/kernel:0",
        "dense_1/kernel:0",
        "dense_1/kernel_1:0",
        "dense_2/kernel:0",
        "dense_4/kernel:0",
        "s/dense/kernel:0",
        "s/dense_6/kernel:0",
        "s/dense_1/kernel:0",
    ]
    assert _matmul_scopes(graph) == [
        "dense",
        "dense_1",
        "dense_2",
        "dense_3",
        "dense_3",
        "dense_4",
        "dense_4_1",
        "s/dense",
        "s/dense_6",
        "s/dense_1",
    ]


class M(tf.keras.Model):  # named "m", as in the TF run
    def __init__(self):
        super().__init__()
        self.a = tf.layers.Dense(3)
        self.b = tf.keras.layers.Dense(3)
        self.c = tf.layers.Dense(2)

    def call(self, x):
        return self.c(self.b(self.a(x)))


def test_tf_layers_inside_a_subclassed_keras_model(graph):
    x = tf.placeholder(tf.float32, [None, 4])
    model = M()
    assert [model.name, model.a.name, model.b.name, model.c.name] == [
        "m",
        "dense_1",
        "dense_1",
        "dense_3",
    ]
    model(x)
    model(x)
    tf.layers.dense(x, 2)
    tf.keras.layers.Dense(2)(x)
    assert [v.name for v in model.weights] == [
        "dense/kernel:0",
        "dense/bias:0",
        "m/dense_1/kernel:0",
        "m/dense_1/bias:0",
        "dense_1/kernel:0",
        "dense_1/bias:0",
    ]
    assert [v.name for v in tf.global_variables()][6:] == [
        "dense_2/kernel:0",
        "dense_2/bias:0",
        "dense_4/kernel:0",
        "dense_4/bias:0",
    ]
    assert _matmul_scopes(graph) == [
        "m/dense",
        "m/dense_1",
        "m/dense_2",
        "m/dense",
        "m_1/dense_1",
        "m/dense_2",
        "dense",
        "dense_4",
    ]
