"""Whole models and weights in TF's Keras HDF5 layout. Files tf_keras wrote
(``tests/data/keras_saving/*.h5``, by ``tests/data/make_keras_saving.py``: a functional model
with a shared layer and a nested ``Sequential``, a CNN with batch normalization trained with
momentum, an embedding + bidirectional LSTM + GRU model trained with RMSprop, a model of
``Lambda`` layers whose Python code the file holds, one of each other weighted layer kind:
transposed, separable and depthwise convolutions, layer normalization, PReLU, attention...)
load here with
TF's predictions and TF's config, and the functional model with TF's Adam state (one more
training step gives TF's numbers). Files scopeflow writes load back; ``save_weights`` and
``load_weights`` on ``.h5`` paths, by order and by name."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf

h5py = pytest.importorskip("h5py")

K = tf.keras
L = K.layers
DATA = pathlib.Path(__file__).parents[1] / "data" / "keras_saving"


def _record(name: str):
    record = json.loads((DATA / f"{name}.json").read_text())
    if name == "functional":
        return [np.array(v, np.float32) for v in record["x"]], [np.array(v) for v in record["y"]]
    if name == "zoo":
        return [np.array(v, np.float32) for v in record["x"]], np.array(record["y"], np.float32)
    return np.array(record["x"], np.float32), np.array(record["y"], np.float32)


def _comparable(config):
    """A model config with its ``Lambda`` layers' marshalled code blanked (marshalling a
    loaded code object again need not give the same bytes) and without the
    ``shared_object_id`` TF adds to an initializer object two layers share (scopeflow writes
    each layer's own)."""
    if isinstance(config, list):
        return [_comparable(v) for v in config]
    if not isinstance(config, dict):
        return config
    if config.get("class_name") == "Lambda":
        config["config"]["function"][0] = None
    return {k: _comparable(v) for k, v in config.items() if k != "shared_object_id"}


def _close(actual, expected) -> None:
    if isinstance(actual, list):
        for a, e in zip(actual, expected, strict=True):
            np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["functional", "cnn", "rnn", "lambda", "zoo"])
def test_a_model_tf_keras_saved_loads_predicts_and_trains_as_in_tf(graph, name):
    record = json.loads((DATA / f"{name}.json").read_text())
    x, y = _record(name)
    model = K.models.load_model(str(DATA / f"{name}.h5"))
    with h5py.File(DATA / f"{name}.h5", "r") as f:
        config = _comparable(json.loads(json.dumps(K.layers.serialize(model))))
        assert config == _comparable(json.loads(f.attrs["model_config"]))
    _close(model.predict(x), record["predictions"])
    if name == "functional":  # the others' training graphs take a second to build
        model.fit(x, y, batch_size=6, verbose=0)
        _close(model.predict(x), record["after_step"])


def test_save_then_load_model_round_trips_weights_compile_and_optimizer(graph, tmp_path):
    x = np.random.RandomState(0).randn(8, 3).astype(np.float32)
    y = (x.sum(axis=1, keepdims=True) > 0).astype(np.float32)
    model = K.Sequential([L.Dense(4, activation="relu", input_shape=(3,)), L.Dense(1)])
    model.compile(K.optimizers.Adam(0.01), "mse", metrics=["mae"])
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    path = str(tmp_path / "model.h5")
    model.save(path)
    model.fit(x, y, batch_size=8, verbose=0)
    expected = model.predict(x)
    with h5py.File(path, "r") as f:
        training = json.loads(f.attrs["training_config"])
        assert (training["loss"], training["metrics"]) == ("mse", ["mae"])
        assert training["optimizer_config"]["class_name"] == "Adam"
        names = [n.decode() for n in f["optimizer_weights"].attrs["weight_names"]]
        assert names[0] == "training/Adam/iter:0" and names[1].endswith("dense/kernel/m:0")
        assert [n.decode() for n in f["model_weights"].attrs["layer_names"]] == [
            "dense",
            "dense_1",
        ]
    with tf.Graph().as_default():
        loaded = K.models.load_model(path)
        assert loaded.metrics_names == model.metrics_names
        loaded.fit(x, y, batch_size=8, verbose=0)
        _close(loaded.predict(x), expected)
    with tf.Graph().as_default():
        assert K.models.load_model(path, compile=False).optimizer is None


def test_save_weights_and_load_weights_by_order_and_by_name(graph, tmp_path):
    model = K.Sequential([L.Dense(3, input_shape=(2,), name="a"), L.Dense(2, name="b")])
    path = str(tmp_path / "weights.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        assert [n.decode() for n in f["a"].attrs["weight_names"]] == ["a/kernel:0", "a/bias:0"]
    values = model.get_weights()
    with tf.Graph().as_default():
        other = K.Sequential([L.Dense(3, input_shape=(2,), name="x"), L.Dense(2, name="y")])
        other.load_weights(path)
        for a, b in zip(other.get_weights(), values, strict=True):
            np.testing.assert_array_equal(a, b)
    with tf.Graph().as_default():
        partial = K.Sequential([L.Dense(3, input_shape=(2,), name="a"), L.Dense(5, name="b")])
        with pytest.raises(ValueError, match=r"Shape mismatch in layer #1 \(named b\)"):
            partial.load_weights(path, by_name=True)
        with pytest.warns(UserWarning, match="Skipping loading weights"):
            partial.load_weights(path, by_name=True, skip_mismatch=True)
        np.testing.assert_array_equal(partial.get_weights()[0], values[0])
    with tf.Graph().as_default():
        bigger = K.Sequential([L.Dense(3, input_shape=(2,)), L.Dense(2), L.Dense(1)])
        with pytest.raises(ValueError, match="Layer count mismatch"):
            bigger.load_weights(path)


def test_load_weights_of_a_whole_model_file_tf_wrote(graph):
    model = K.Sequential(
        [
            L.Conv2D(4, 3, padding="same", activation="relu", input_shape=(6, 6, 2)),
            L.BatchNormalization(),
            L.MaxPooling2D(),
            L.Activation("elu"),
            L.Flatten(),
            L.Dense(3, activation="softmax"),
        ]
    )
    model.load_weights(str(DATA / "cnn.h5"))
    x, _ = _record("cnn")
    expected = json.loads((DATA / "cnn.json").read_text())["predictions"]
    _close(model.predict(x), expected)


def test_what_is_not_hdf5_raises(graph, tmp_path):
    model = K.Sequential([L.Dense(1, input_shape=(2,))])
    with pytest.raises(NotImplementedError, match="save as HDF5"):
        model.save(str(tmp_path / "saved_model"))
    (tmp_path / "saved_model").mkdir()  # a path not there is TF's OSError
    with pytest.raises(NotImplementedError, match="only HDF5 files"):
        K.models.load_model(str(tmp_path / "saved_model"))
    with h5py.File(tmp_path / "empty.h5", "w"):
        pass
    with pytest.raises(ValueError, match="No model config found"):
        K.models.load_model(str(tmp_path / "empty.h5"))


def test_metric_objects_and_tf_train_optimizers_in_saved_files(graph, tmp_path):
    model = K.Sequential([L.Dense(2, input_shape=(3,), activation="softmax")])
    model.compile("sgd", "categorical_crossentropy", metrics=[K.metrics.CategoricalAccuracy()])
    path = str(tmp_path / "metrics.h5")
    model.save(path)
    with tf.Graph().as_default():
        loaded = K.models.load_model(path)
        assert type(loaded._compile_args[0][0]).__name__ == "CategoricalAccuracy"
    model.compile(tf.train.GradientDescentOptimizer(0.1), "categorical_crossentropy")
    with pytest.warns(UserWarning, match="cannot save the optimizer"):
        model.save(path)
    with h5py.File(path, "r") as f:
        assert "training_config" not in f.attrs and "optimizer_weights" not in f


def test_an_open_h5py_file_is_written_and_read_in_place(graph, tmp_path):
    model = K.Sequential([L.Dense(2, input_shape=(3,))])
    with h5py.File(tmp_path / "open.h5", "w") as f:
        model.save(f)
        assert "model_config" in f.attrs
    with h5py.File(tmp_path / "open.h5", "r") as f, tf.Graph().as_default():
        loaded = K.models.load_model(f, compile=False)
        assert [w.shape.as_list() for w in loaded.weights] == [[3, 2], [2]]


def test_model_checkpoint_saves_whole_models_as_hdf5(graph, tmp_path):
    model = K.Sequential([L.Dense(1, input_shape=(2,))])
    model.compile("sgd", "mse")
    path = str(tmp_path / "m.{epoch:02d}.h5")
    model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
              callbacks=[K.callbacks.ModelCheckpoint(path)])  # fmt: skip
    with tf.Graph().as_default():
        loaded = K.models.load_model(str(tmp_path / "m.02.h5"))
        assert loaded.optimizer.get_config()["name"] == "SGD"
