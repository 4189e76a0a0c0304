"""``fit``/``evaluate``/``predict`` arguments as TF 2.21's tf_keras takes them in compat.v1
graph mode (numbers and errors from the reference venv): ``validation_freq``,
``initial_epoch``, ``steps_per_epoch`` and ``steps`` on arrays, sample-weighted evaluation,
empty training data, a batch size of 0, keyword arguments ``evaluate``/``predict`` do not
take."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
X = np.cos(np.arange(30)).reshape(10, 3).astype("f")
Y = np.sin(np.arange(10)).reshape(10, 1).astype("f")


def _model():
    model = K.Sequential([K.layers.Dense(2, input_shape=(3,), name="d"), K.layers.Dense(1)])
    model.compile(K.optimizers.SGD(0.05), "mse", metrics=["mae"])
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        K.backend.set_value(w, np.sin(np.arange(np.prod(shape)) * 0.37 + i).reshape(shape) * 0.5)
    return model


def _rounded(history) -> dict:
    return {k: np.round(v, 5).tolist() for k, v in history.history.items()}


def test_training_arguments_give_tf_numbers(graph):
    model = _model()
    first = model.fit(
        X, Y, epochs=4, batch_size=3, verbose=0, shuffle=False,
        validation_data=(X[:4], Y[:4]), validation_freq=2,
    )  # fmt: skip
    assert _rounded(first) == {
        "loss": [0.61602, 0.52045, 0.48989, 0.47684],
        "mean_absolute_error": [0.64816, 0.62744, 0.61641, 0.60947],
        "val_loss": [0.18202, 0.19755],
        "val_mean_absolute_error": [0.35674, 0.37066],
    }
    later = model.fit(X, Y, epochs=5, initial_epoch=3, batch_size=3, verbose=0, shuffle=False)
    assert _rounded(later) == {
        "loss": [0.47033, 0.46681],
        "mean_absolute_error": [0.60463, 0.60101],
    }
    stepped = model.fit(X, Y, epochs=2, steps_per_epoch=2, verbose=0, shuffle=False)
    assert _rounded(stepped) == {
        "loss": [0.43242, 0.43094],
        "mean_absolute_error": [0.57584, 0.57475],
    }
    assert model.history.params["steps"] == 2 and model.history.epoch == [0, 1]
    np.testing.assert_allclose(
        model.evaluate(X, Y, steps=2, verbose=0), [0.43023, 0.57407], atol=1e-5
    )
    assert model.predict(X, steps=2).shape == (20, 1)  # as TF's: each step predicts all of X
    weighted = model.evaluate(X, Y, verbose=0, sample_weight=np.linspace(0, 1, 10))
    np.testing.assert_allclose(weighted, [0.22304, 0.57407], atol=1e-5)


def test_bad_training_arguments_raise_as_tf(graph):
    model = _model()
    with pytest.raises(ValueError, match="^Empty training data.$"):
        model.fit(X, Y, epochs=1, verbose=0, validation_split=0.95)
    with pytest.raises(ValueError, match="^Empty training data.$"):
        model.evaluate(X[:0], Y[:0], verbose=0)
    with pytest.raises(ZeroDivisionError):
        model.fit(X, Y, batch_size=0, verbose=0)
    with pytest.raises(TypeError, match="Model.evaluate.. got an unexpected keyword argument"):
        model.evaluate(X, Y, verbose=0, return_dict=True)
    with pytest.raises(TypeError, match="Model.predict.. got an unexpected keyword argument 'foo'"):
        model.predict(X, foo=1)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments: {'foo': 1}"):
        model.fit(X, Y, verbose=0, foo=1)
