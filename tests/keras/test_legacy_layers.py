"""``tf.layers`` layers (TF's legacy layers) in Keras models: TF 2.21's tf_keras refuses them
with a ``TypeError`` naming them ("The following are legacy tf.layers.Layers"), in
``Sequential([...])``, ``Sequential.add`` and functional models; checked in the reference
venv."""

from __future__ import annotations

import pytest

import scopeflow as tf

ADVICE = "To use keras as a framework"


def test_sequential_list_refuses_tf_layers_naming_each(graph):
    dense, drop = tf.layers.Dense(4, input_shape=(3,)), tf.layers.Dropout(0.5)
    with pytest.raises(TypeError, match="The following are legacy tf.layers.Layers") as info:
        tf.keras.Sequential([dense, tf.keras.layers.Dense(2), drop])
    text = str(info.value)
    assert ADVICE in text and str(dense) in text and str(drop) in text
    assert text.count("\n  <") == 2  # one line per legacy layer, as TF lists them


def test_sequential_add_refuses_tf_layer_after_keras_layer(graph):
    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Dense(3, input_shape=(2,)))
    with pytest.raises(TypeError, match="legacy tf.layers.Layers"):
        model.add(tf.layers.Dense(3))
    assert len(model.layers) == 1


def test_functional_model_over_tf_layers_dense_is_a_type_error(graph):
    inputs = tf.keras.Input((3,))
    outputs = tf.layers.Dense(2, name="dd")(inputs)
    with pytest.raises(TypeError, match="legacy tf.layers.Layers") as info:
        tf.keras.Model(inputs, outputs)
    assert "'dd/BiasAdd'" in str(info.value) and ADVICE in str(info.value)


def test_keras_layers_keep_working(graph):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0"]
