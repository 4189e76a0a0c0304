"""``compile`` with outputs left out of training, as TF 2.21's tf_keras does in compat.v1
graph mode (numbers from the reference venv): ``loss=None`` on a model trained through
``add_loss`` (the autoencoder/VAE pattern), a loss dictionary naming only some outputs, and
the errors of such models (no loss at all, targets for left-out outputs, variables that do
not affect the loss)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
L = K.layers


def _fill(model):
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        K.backend.set_value(w, np.sin(np.arange(np.prod(shape)) * 0.37 + i).reshape(shape) * 0.5)


def test_add_loss_only_model_compiles_with_loss_none_and_trains_as_tf(graph):
    x = K.Input((4,))
    reconstruction = L.Dense(4, name="dec")(L.Dense(3, name="enc")(x))
    model = K.Model(x, reconstruction)
    model.add_loss(tf.reduce_mean(tf.square(x - reconstruction)))
    model.compile("sgd", loss=None)
    assert model.metrics_names == ["loss"]
    assert model.total_loss.name == "Mean:0"  # the added loss itself, as TF's
    _fill(model)
    xs = np.cos(np.arange(40)).reshape(10, 4).astype("f")
    history = model.fit(xs, epochs=2, batch_size=5, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [1.02505, 0.9826], atol=1e-5)
    assert model.evaluate(xs, verbose=0) == pytest.approx(0.95265, abs=1e-5)
    with pytest.raises(ValueError, match="checking model target: expected no data, but got:"):
        model.fit(xs, xs, verbose=0)


def test_compile_without_any_loss_is_refused(graph):
    model = K.Sequential([L.Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match="The model cannot be compiled because it has no loss"):
        model.compile("sgd")


def test_loss_dict_naming_one_output_trains_that_output(graph):
    x = K.Input((4,))
    hidden = L.Dense(3, name="h")(x)
    model = K.Model(x, [L.Dense(2, name="o1")(hidden), L.Dense(1, name="o2")(hidden)])
    model.add_loss(0.1 * tf.reduce_mean(tf.square(hidden)))
    model.compile("adam", loss={"o1": "mse"}, metrics=["mae"])
    assert model.metrics_names == ["loss", "o1_loss", "o1_mean_absolute_error"]
    assert model.total_loss.name == "loss/AddN:0"
    _fill(model)
    xs = np.cos(np.arange(40)).reshape(10, 4).astype("f")
    y1 = np.sin(np.arange(20)).reshape(10, 2).astype("f")
    with pytest.raises(ValueError, match="Variable <.*'o2/kernel:0'.* has `None` for gradient"):
        model.fit(xs, {"o1": y1}, verbose=0)
    model.get_layer("o2").trainable = False
    model.compile("adam", loss={"o1": "mse"}, metrics=["mae"])
    history = model.fit(
        xs, {"o1": y1}, epochs=2, batch_size=5, verbose=0, shuffle=False, validation_split=0.2
    )
    expected = {
        "loss": [0.56385, 0.55712],
        "o1_loss": [0.51161, 0.50515],
        "o1_mean_absolute_error": [0.63584, 0.63096],
        "val_loss": [0.68125, 0.67561],
        "val_o1_loss": [0.60647, 0.60114],
        "val_o1_mean_absolute_error": [0.61284, 0.60763],
    }
    assert sorted(history.history) == sorted(expected)
    for key, values in expected.items():
        np.testing.assert_allclose(history.history[key], values, atol=1e-5)
    np.testing.assert_allclose(
        model.evaluate(xs, [y1], verbose=0), [0.57679, 0.51046, 0.62382], atol=1e-5
    )
    with pytest.raises(ValueError, match=r"Expected to see 1 array\(s\), for inputs \['o1'\]"):
        model.fit(xs, [y1, np.ones((10, 1))], verbose=0)
    assert len(model.predict(xs)) == 2
