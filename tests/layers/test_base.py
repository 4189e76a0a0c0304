"""``tf.layers.Layer``: scopes and names chosen as TF1's layers choose them, variables made once
and reused, updates and losses into their collections, and failed calls that leave nothing.

The names asserted here were read from TensorFlow 2.21 with ``tf_keras``
(``TF_USE_LEGACY_KERAS=1``, ``tensorflow.compat.v1``); ``tests/layers/test_names.py`` checks
the full graphs against records of it.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


class Scale(tf.layers.Layer):
    """A user's layer: one trainable vector, one counter, an update op per call."""

    def build(self, input_shape):
        self.w = self.add_weight("w", [input_shape[-1].value], initializer=tf.ones_initializer())
        self.count = self.add_weight(
            "count", [], initializer=tf.zeros_initializer(), trainable=False
        )
        self.built = True

    def call(self, inputs, training=False):
        if training:
            self.add_update(tf.assign_add(self.count, 1.0))
        return inputs * self.w


def test_names_follow_tf1s_layers(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    layer = Scale()
    assert layer.name == "scale_1"  # Keras counts object names from 1...
    y, y2 = layer(x), layer(x)
    assert layer.scope_name == "scale"  # ...and variable scopes from 0
    assert (y.name, y2.name) == ("scale/mul:0", "scale/mul_1:0")
    assert [v.name for v in layer.variables] == ["scale/w:0", "scale/count:0"]
    assert Scale()(x).name == "scale_1/mul:0"
    with tf.variable_scope("outer"), tf.name_scope("inner"):
        assert Scale(name="s")(x).name == "outer/inner/s/mul:0"
    assert tf.global_variables()[-1].name == "outer/s/count:0"


def test_a_layer_made_in_one_scope_takes_the_scope_of_its_first_call(graph):
    with tf.variable_scope("made"):
        layer = Scale()
    with tf.variable_scope("called"):
        layer(tf.placeholder(tf.float32, [2, 3]))
    assert layer.w.name == "called/scale/w:0"


def test_weights_split_by_trainability(graph):
    layer = Scale()
    layer(tf.placeholder(tf.float32, [2, 3]))
    assert layer.trainable_variables == [layer.w]
    assert layer.non_trainable_variables == [layer.count]
    frozen = Scale(trainable=False)
    frozen(tf.placeholder(tf.float32, [2, 3]), training=True)
    assert frozen.trainable_weights == [] and len(frozen.non_trainable_weights) == 2
    assert frozen.updates == []  # a layer that is not trainable hands out no updates (TF1)
    assert tf.trainable_variables() == [layer.w]


def test_updates_go_into_update_ops(graph, run):
    layer = Scale()
    y = layer(tf.placeholder_with_default(np.ones([2, 3], np.float32), [2, 3]), training=True)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == layer.updates
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        step = tf.identity(y)
    run(step)
    run(step)
    assert run(layer.count) == 2.0


def test_scope_name_before_the_first_call_raises(graph):
    with pytest.raises(ValueError, match="has not been used yet"):
        _ = Scale().scope_name


def test_scope_argument_names_the_first_call(graph):
    layer = Scale()
    layer(tf.placeholder(tf.float32, [2, 3]), scope="mine")
    assert layer.w.name == "mine/w:0"


def test_reuse_shares_variables_through_variable_scopes(graph):
    x = tf.placeholder(tf.float32, [2, 3])
    Scale(name="s")(x)
    Scale(name="s", _scope="s", _reuse=True)(x)
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        Scale(name="t", _scope="t")(x)
        Scale(name="t", _scope="t")(x)
    assert [v.name for v in tf.global_variables()] == [
        "s/w:0",
        "s/count:0",
        "auto/t/w:0",
        "auto/t/count:0",
    ]


def test_unknown_keyword_arguments_raise(graph):
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        Scale(units=3)


def test_a_failed_call_leaves_neither_ops_nor_layer_state(graph):
    layer = tf.layers.Dense(4)
    before = len(graph.get_operations())
    with pytest.raises(ValueError, match="should be defined"):
        layer(tf.placeholder(tf.float32, [2, None]))  # unknown last dimension
    assert [op.type for op in graph.get_operations()[before:]] == ["Placeholder"]
    assert not layer.built and layer.variables == []
    assert layer(tf.zeros([2, 3])).name == "dense/BiasAdd:0"


def test_numpy_inputs_become_constants(graph, run):
    y = tf.layers.Dense(2, kernel_initializer=tf.ones_initializer())(np.ones([1, 3], np.float32))
    np.testing.assert_array_equal(run(y), [[3.0, 3.0]])


def test_to_snake_case():
    from scopeflow.layers.base import to_snake_case

    assert to_snake_case("SeparableConv2D") == "separable_conv2d"
    assert to_snake_case("MaxPooling1D") == "max_pooling1d"
