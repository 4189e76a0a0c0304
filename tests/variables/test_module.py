"""``tf.Module``: names, name scopes, what ``variables``/``submodules`` find and in which
order, ``with_name_scope``; each fact as TF 2.21's ``tf.compat.v1`` gives it."""

from __future__ import annotations

import pytest

import scopeflow as tf


class MyDense(tf.Module):
    def __init__(self, n, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([n]), name="w")
            self.b = tf.Variable(0.0, name="b", trainable=False)

    @tf.Module.with_name_scope
    def __call__(self, x):
        return tf.add(x * self.w, self.b, name="out")


def test_names_and_name_scopes(graph):
    first, second = MyDense(2), MyDense(2)
    assert (first.name, first.name_scope.name, first.w.name) == (
        "my_dense",
        "my_dense/",
        "my_dense/w:0",
    )
    assert (second.name, second.name_scope.name, second.w.name) == (
        "my_dense",
        "my_dense_1/",
        "my_dense_1/w:0",
    )
    x = tf.constant([1.0, 2.0])
    assert [first(x).name, first(x).name] == ["my_dense/out:0", "my_dense/out_1:0"]
    assert tf.Module(name="outer").name_scope.name == "outer/"


def test_variables_and_submodules_in_tensorflows_order(graph):
    d, d2 = MyDense(2), MyDense(2)
    outer = tf.Module(name="outer")
    outer.layers = [d, d2]
    outer.z = tf.Variable(1.0, name="z")
    outer.d = {"k": d}
    names = lambda vs: [v.name for v in vs]  # noqa: E731
    assert names(outer.variables) == [
        "z:0",
        "my_dense/b:0",
        "my_dense/w:0",
        "my_dense_1/b:0",
        "my_dense_1/w:0",
    ]
    assert names(outer.trainable_variables) == ["z:0", "my_dense/w:0", "my_dense_1/w:0"]
    assert names(outer.non_trainable_variables) == ["my_dense/b:0", "my_dense_1/b:0"]
    assert outer.submodules == (d, d2)
    assert isinstance(outer.variables, tuple)


def test_default_names_and_bad_names(graph):
    class MLPBlock(tf.Module):
        pass

    assert MLPBlock().name == "mlp_block"
    with pytest.raises(ValueError, match="'a b' is not a valid module name"):
        tf.Module(name="a b")


def test_a_checkpoint_saves_a_module_by_its_attributes(graph, tmp_path):
    d, d2 = MyDense(2), MyDense(2)
    outer = tf.Module(name="outer")
    outer.layers = [d, d2]
    outer.z = tf.Variable(1.0, name="z")
    outer.d = {"k": d}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Checkpoint(o=outer).save(str(tmp_path / "ck"), session=sess)
    assert [name for name, _ in tf.train.list_variables(path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "o/layers/0/b/.ATTRIBUTES/VARIABLE_VALUE",
        "o/layers/0/w/.ATTRIBUTES/VARIABLE_VALUE",
        "o/layers/1/b/.ATTRIBUTES/VARIABLE_VALUE",
        "o/layers/1/w/.ATTRIBUTES/VARIABLE_VALUE",
        "o/z/.ATTRIBUTES/VARIABLE_VALUE",
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE",
    ]


def test_layers_are_submodules_as_tensorflows_keras_layers(graph):
    m = tf.Module(name="m")
    m.z = tf.Variable(1.0, name="z")
    m.d = tf.layers.Dense(2, name="d")
    m.d(tf.ones([1, 3]))
    m.bn = tf.keras.layers.BatchNormalization(name="bn")
    m.bn(tf.ones([1, 3]))
    assert [v.name for v in m.variables] == [  # TF 2.21's order
        "z:0",
        "bn/moving_mean:0",
        "bn/moving_variance:0",
        "bn/gamma:0",
        "bn/beta:0",
        "d/kernel:0",
        "d/bias:0",
    ]
    assert [v.name for v in m.trainable_variables] == [
        "z:0",
        "bn/gamma:0",
        "bn/beta:0",
        "d/kernel:0",
        "d/bias:0",
    ]
    assert m.submodules == (m.bn, m.d)
