"""``tf.keras.utils.model_to_dot``/``plot_model`` (the node labels and edges tf_keras 2.21
draws, its ``ImportError`` without pydot and Graphviz), ``legacy`` serialization and the
TF1-variable shim (``track_tf1_style_variables``, ``get_or_create_layer``) as tf_keras's in
graph mode."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.keras import vis_utils

K = tf.keras


def _mlp():
    x = K.Input((4,), name="inp")
    h = K.layers.Dense(3, activation="relu", name="hidden")(x)
    return K.Model(x, K.layers.Dense(2, name="out")(h), name="mlp")


def test_model_graph_labels_are_tf_kerass(graph):
    model = _mlp()
    nodes, edges = vis_utils.graph_of(model)
    ids = [str(id(layer)) for layer in model.layers]
    assert nodes == list(zip(ids, ["inp|InputLayer", "hidden|Dense", "out|Dense"], strict=True))
    assert edges == [(ids[0], ids[1]), (ids[1], ids[2])]
    full = vis_utils.graph_of(model, True, True, True, True, True)[0]
    assert [label for _, label in full] == [
        "T|{inp|InputLayer|float32}|{input:|output:}|{{[(None, 4)]}|{[(None, 4)]}}",
        "T|{hidden|{Dense|relu}|float32}|{input:|output:}|{{(None, 4)}|{(None, 3)}}",
        "T|{out|{Dense|linear}|float32}|{input:|output:}|{{(None, 3)}|{(None, 2)}}",
    ]
    sequential = K.Sequential([K.layers.Dense(2, input_shape=(3,))])
    nodes, edges = vis_utils.graph_of(sequential, show_shapes=True, show_layer_names=False)
    assert [label for _, label in nodes] == [
        "{InputLayer}|{input:|output:}|{{[(None, 3)]}|{[(None, 3)]}}",
        "{Dense}|{input:|output:}|{{(None, 3)}|{(None, 2)}}",
    ]
    assert len(edges) == 1


def test_model_to_dot_needs_pydot_and_graphviz(graph, monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match=r"You must install pydot \(`pip install pydot`\)"):
        K.utils.model_to_dot(_mlp())
    with pytest.raises(ImportError, match="install graphviz"):
        K.utils.plot_model(_mlp(), to_file="unused.png")


def test_legacy_serialization_is_the_config_format():
    config = K.utils.legacy.serialize_keras_object(K.regularizers.L2(0.5))
    assert config == {"class_name": "L2", "config": {"l2": 0.5}}
    restored = K.utils.legacy.deserialize_keras_object(config, {"L2": K.regularizers.L2})
    assert restored.get_config() == {"l2": 0.5}


def test_tf1_style_variables_are_made_once(graph):
    class Wrapped(K.layers.Layer):
        @K.utils.track_tf1_style_variables
        def call(self, inputs):
            with tf.variable_scope("dense_one"):
                out = tf.layers.dense(inputs, 3, kernel_initializer=tf.ones_initializer())
            w = tf.get_variable("scale", [], initializer=tf.constant_initializer(2.0))
            nested = K.utils.get_or_create_layer(
                "nested", lambda: K.layers.Dense(2, kernel_initializer="ones")
            )
            return nested(out * w)

    layer = Wrapped()
    x = tf.ones([2, 4])
    y, again = layer(x), layer(x)
    names = [v.name for v in tf.global_variables()]
    assert names[:3] == ["dense_one/dense/kernel:0", "dense_one/dense/bias:0", "scale:0"]
    assert len(names) == 5 and names[3].startswith("wrapped/dense") and layer.weights == []
    assert (y.name.split("/")[0], again.name.split("/")[0]) == ("wrapped", "wrapped_1")
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run([y, again]), np.full((2, 2, 2), 24.0))
    outside = K.utils.get_or_create_layer("x", lambda: K.layers.Dense(1))
    assert isinstance(outside, K.layers.Dense)


def test_warmstart_embedding_matrix(graph, tmp_path):
    base = np.float32([[1, 1], [2, 2], [3, 3]])
    matrix = K.utils.warmstart_embedding_matrix(["a", "b", "c"], ["c", "x", "a", "y"], base, "ones")
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("b\nz\n")
    from_file = K.utils.warmstart_embedding_matrix(["a", "b", "c"], str(vocab), base, "zeros")
    assert matrix.shape.as_list() == [4, 2]
    with tf.Session(graph=graph) as sess:
        assert sess.run(matrix).tolist() == [[3, 3], [1, 1], [1, 1], [1, 1]]
        assert sess.run(from_file).tolist() == [[2, 2], [0, 0]]
    with pytest.raises(ValueError, match="with at least one token. Received 0 instead"):
        K.utils.warmstart_embedding_matrix([], ["a"], base)
    with pytest.raises(ValueError, match="does not exist"):
        K.utils.warmstart_embedding_matrix(str(tmp_path / "none.txt"), ["a"], base)
