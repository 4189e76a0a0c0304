"""``tf.keras.experimental.LinearModel``: weight names, outputs, a short ``fit`` and its
config as tf_keras 2.21's in compat.v1 graph mode."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
X = np.random.RandomState(0).randn(8, 3).astype(np.float32)
Y = (X @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3).reshape(-1, 1)


def test_called_on_tensors(graph):
    model = K.experimental.LinearModel(units=2, use_bias=False)
    out = model({"b": tf.constant(X[:, 2:]), "a": tf.constant(X[:, :2])})
    assert [(w.name, w.shape.as_list()) for w in model.weights] == [
        ("linear_model/kernel:0", [2, 2]),
        ("linear_model/kernel_1:0", [1, 2]),
    ]
    assert (out.name, out.shape.as_list()) == ("linear_model/add:0", [8, 2])
    listed = K.experimental.LinearModel(activation="sigmoid", kernel_initializer="ones")
    out = listed([tf.constant(X[:, :2]), tf.constant(X[:, 2:])])
    assert [w.name for w in listed.weights] == [
        "linear_model_1/kernel:0",
        "linear_model_1/kernel_1:0",
        "linear_model_1/bias:0",
    ]
    assert out.name == "linear_model_1/Sigmoid:0"
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(out)[:, 0], 1 / (1 + np.exp(-X.sum(1))), rtol=1e-6)


def test_fit_predict_and_config(graph):
    model = K.models.LinearModel(kernel_initializer="ones")
    model.compile("sgd", "mse")
    history = model.fit(X, Y, epochs=3, batch_size=4, verbose=0, shuffle=False)
    assert [w.name for w in model.weights] == ["linear_model/kernel:0", "linear_model/bias:0"]
    np.testing.assert_allclose(
        history.history["loss"],
        [7.851520538330078, 6.975260257720947, 6.234409332275391],
        rtol=1e-6,
    )
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(
        kernel[:, 0], [0.8103113174438477, 0.7064160704612732, 0.9050047397613525], rtol=1e-6
    )
    np.testing.assert_allclose(bias, [-0.10380825400352478], rtol=1e-6)
    np.testing.assert_allclose(
        model.predict(X[:2])[:, 0], [2.494063377380371, 2.1468448638916016], rtol=1e-6
    )
    assert model.outputs[0].name == "linear_model/BiasAdd:0"
    assert model.get_config() == {
        "name": "linear_model",
        "trainable": True,
        "dtype": "float32",
        "units": 1,
        "activation": "linear",
        "use_bias": True,
        "kernel_initializer": {"class_name": "Ones", "config": {"dtype": "float32"}},
        "bias_initializer": {"class_name": "Zeros", "config": {"dtype": "float32"}},
        "kernel_regularizer": None,
        "bias_regularizer": None,
    }


def test_dict_keys_must_match(graph):
    model = K.experimental.LinearModel()
    model({"a": tf.ones([2, 1])})
    with pytest.raises(ValueError, match="Missing keys: {'a'}"):
        model({"b": tf.ones([2, 1])})


def test_wide_deep_model_trains_with_two_optimizers(graph):
    linear = K.experimental.LinearModel(kernel_initializer="ones")
    dnn = K.Sequential(
        [K.layers.Dense(4, kernel_initializer="ones"), K.layers.Dense(1, kernel_initializer="ones")]
    )
    model = K.experimental.WideDeepModel(linear, dnn)
    model.compile(["sgd", "adam"], "mse")
    history = model.fit([X, X], Y, epochs=2, batch_size=4, verbose=0, shuffle=False)
    assert [w.name for w in model.weights] == [
        "wide_deep_model/linear_model/kernel:0",
        "wide_deep_model/linear_model/bias:0",
        "wide_deep_model/sequential/dense/kernel:0",
        "wide_deep_model/sequential/dense/bias:0",
        "wide_deep_model/sequential/dense_1/kernel:0",
        "wide_deep_model/sequential/dense_1/bias:0",
    ]
    names = [v.name for v in tf.global_variables()]
    assert "training/SGD/iter:0" in names and "training/Adam/iter:0" in names
    assert "training/Adam/wide_deep_model/sequential/dense/kernel/m:0" in names
    assert not any(n.startswith("training/Adam/wide_deep_model/linear_model") for n in names)
    np.testing.assert_allclose(
        history.history["loss"], [124.49767684936523, 105.9021110534668], rtol=1e-6
    )
    weights = model.get_weights()
    np.testing.assert_allclose(weights[0][:, 0], [0.298595, 0.305091, 0.525593], rtol=1e-5)
    np.testing.assert_allclose(weights[1], [-0.423006], rtol=1e-5)
    np.testing.assert_allclose(weights[2][:, 0], [0.996724, 0.996024, 0.996446], rtol=1e-5)
    np.testing.assert_allclose(weights[5], [-0.003265], rtol=1e-4)
