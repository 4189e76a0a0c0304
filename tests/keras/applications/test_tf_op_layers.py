"""TensorFlow ops on Keras tensors as ``TensorFlowOpLayer``s
(scopeflow/keras/tf_op_layers.py), and ConvNeXt's own layers: names, inputs,
values and re-made ops as tf_keras 2.21 (compat.v1 graph mode) has them for the same model;
a ConvNeXt weights file tf_keras wrote, loaded."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.keras.applications import convnext
from scopeflow.keras.tf_op_layers import TensorFlowOpLayer, track

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "keras_applications_h5"


def _model():
    x = tf.keras.Input(shape=(2,))
    y = tf.keras.layers.Dense(3, kernel_initializer="ones", name="d")(track(x * 2.0 + 1.0))
    return x, tf.keras.Model(x, tf.keras.layers.Add()([y, track(y * 0.5)]))


def test_op_layers_are_tensorflows(graph):
    x, model = _model()
    assert [(layer.name, type(layer).__name__) for layer in model.layers] == [
        ("input_1", "InputLayer"),
        ("tf_op_layer_mul", "TensorFlowOpLayer"),
        ("tf_op_layer_add", "TensorFlowOpLayer"),
        ("d", "Dense"),
        ("tf_op_layer_mul_1", "TensorFlowOpLayer"),
        ("add", "Add"),
    ]
    ops = [layer for layer in model.layers if isinstance(layer, TensorFlowOpLayer)]
    assert [layer.input.name for layer in ops] == ["input_1:0", "mul:0", "d/BiasAdd:0"]
    assert ops[0].constants == {1: (2.0, "mul/y")} and ops[0].op_type == "Mul"
    np.testing.assert_array_equal(model.predict(np.array([[1.0, 2.0]])), [[12.0, 12.0, 12.0]])


def test_calling_the_model_again_makes_the_ops_again(graph):
    _, model = _model()
    again = tf.keras.Input(shape=(2,), name="again")
    out = model(again)
    assert out.name == "model/add/add:0"
    made = sorted(op.name for op in graph.get_operations() if op.name.startswith("model/tf_op"))
    assert made == [
        "model/tf_op_layer_add/add",
        "model/tf_op_layer_add/add/y",
        "model/tf_op_layer_mul/mul",
        "model/tf_op_layer_mul/mul/y",
        "model/tf_op_layer_mul_1/mul_1",
        "model/tf_op_layer_mul_1/mul_1/y",
    ]
    value = tf.keras.backend.get_session().run(out, {again: [[1.0, 2.0]]})
    np.testing.assert_array_equal(value, [[12.0, 12.0, 12.0]])


def test_what_an_op_layer_cannot_hold(graph):
    x, model = _model()
    with pytest.raises(NotImplementedError, match="save their weights"):
        model.layers[1].get_config()
    fed = tf.placeholder(tf.float32, [])
    with pytest.raises(NotImplementedError, match="neither a Keras tensor nor a constant"):
        track(x * fed)


def test_layer_scale_and_stochastic_depth(graph):
    x = tf.constant(np.ones((4, 2, 2, 3)), tf.float32)
    scale = convnext.LayerScale(1e-6, 3, name="scale")
    scaled = scale(x)
    assert [w.name for w in scale.weights] == ["scale/gamma:0"]
    drop = convnext.StochasticDepth(0.5)
    assert drop.get_config()["drop_path_rate"] == 0.5
    kept, trained = drop(x, training=False), drop(x, training=True)
    phase = drop(x)  # the learning phase's: identity unless fed 1
    sess = tf.keras.backend.get_session()
    sess.run(tf.global_variables_initializer())
    np.testing.assert_allclose(sess.run(scaled), np.full((4, 2, 2, 3), 1e-6), rtol=1e-6)
    assert kept.op.type == "Identity" and kept.op.inputs[0] is x  # as Keras copies an input
    np.testing.assert_array_equal(sess.run(phase), np.ones((4, 2, 2, 3)))
    # Whole examples are dropped or scaled by 1 / keep_prob.
    values = sess.run(trained)
    assert set(np.unique(values)) <= {0.0, 2.0}
    assert all(len(np.unique(example)) == 1 for example in values)


def test_tensorflows_weights_file_loads(graph):
    # A small ConvNeXt saved by tf_keras 2.21 (tests/data/make_keras_applications_h5.py):
    # its nested Sequential blocks, layer scales and grouped convolutions load by name.
    pytest.importorskip("h5py")
    model = convnext.ConvNeXt(
        [1, 1, 1, 1], [8, 16, 24, 32], input_shape=(32, 32, 3), classes=3,
        model_name="convnext_mini", weights=str(DATA / "convnext_mini.h5"),
    )  # fmt: skip
    assert sum(isinstance(layer, TensorFlowOpLayer) for layer in model.layers) == 4
    x = (127.5 + 127.5 * np.sin(np.arange(2 * 32 * 32 * 3) * 0.37)).reshape(2, 32, 32, 3)
    want = json.loads((DATA / "predictions.json").read_text())["convnext_mini.h5"]
    np.testing.assert_allclose(model.predict(x), want, rtol=1e-5, atol=1e-6)
