"""Model.fit on NumPy arrays (shuffle="batch", validation_freq lists, sample and class weights,
validation_split, callbacks' params and logs) and the *_on_batch options, with the numbers
tf_keras 2.21 (compat.v1 graph mode) gives under the same NumPy seed."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.keras.training_arrays import batch_shuffle

keras = tf.keras
X = np.random.RandomState(0).randn(10, 3).astype(np.float32)
Y = (X.sum(1, keepdims=True) > 0).astype(np.float32)


def _model():
    model = keras.Sequential(
        [
            keras.layers.Dense(
                1,
                activation="sigmoid",
                input_shape=(3,),
                kernel_initializer=keras.initializers.Constant(0.1),
            )
        ]
    )
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["acc"])
    return model


class _Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch", batch, sorted((k, type(v).__name__) for k, v in logs.items())))

    def on_test_begin(self, logs=None):
        self.events.append(("test_begin",))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch", epoch, sorted(logs)))


@pytest.fixture
def seeded():
    state = np.random.get_state()
    yield np.random.seed
    np.random.set_state(state)


def test_fit_batch_shuffle_and_validation_freq_list(graph, seeded):
    seeded(1)
    model, record = _model(), _Record()
    history = model.fit(
        X,
        Y,
        batch_size=4,
        epochs=3,
        verbose=0,
        callbacks=[record],
        validation_data=(X[:6], Y[:6]),
        validation_freq=[2, 3],
        shuffle="batch",
    )
    np.testing.assert_allclose(
        history.history["loss"], [0.4855383, 0.2364434, 0.1630317], rtol=1e-6
    )
    np.testing.assert_allclose(history.history["val_loss"], [0.1453072, 0.1067346], rtol=1e-6)
    assert record.params == {
        "batch_size": 4,
        "epochs": 3,
        "steps": None,
        "samples": 10,
        "verbose": 0,
        "do_validation": True,
        "metrics": ["loss", "acc", "val_loss", "val_acc"],
    }
    batch = [("acc", "float"), ("batch", "int"), ("loss", "float"), ("size", "int")]
    assert record.events[:4] == [
        *[("batch", i, batch) for i in range(3)],
        ("epoch", 0, ["acc", "loss"]),
    ]
    assert record.events[7:9] == [
        ("test_begin",),
        ("epoch", 1, ["acc", "loss", "val_acc", "val_loss"]),
    ]


def test_batch_shuffle_moves_whole_batches(seeded):
    seeded(0)
    assert batch_shuffle(np.arange(10), 3).tolist() == [6, 7, 8, 3, 4, 5, 0, 1, 2, 9]


def test_fit_weights_validation_split_and_on_batch_options(graph, seeded):
    seeded(2)
    model = _model()
    history = model.fit(
        X,
        Y,
        batch_size=3,
        epochs=2,
        verbose=0,
        sample_weight=np.linspace(0.5, 2, 10),
        class_weight={0: 3.0, 1: 1.0},
        validation_split=0.3,
    )
    # the validation examples are shuffled too (NumPy's random drawn), so epoch 2 matches
    np.testing.assert_allclose(history.history["loss"], [0.7296356, 0.2696996], rtol=1e-6)
    np.testing.assert_allclose(history.history["val_loss"], [0.8219018, 0.4934088], rtol=1e-6)
    first = model.train_on_batch(X[:4], Y[:4], sample_weight=np.arange(4.0), reset_metrics=False)
    second = model.train_on_batch(X[4:], Y[4:], class_weight={0: 2.0, 1: 1.0}, reset_metrics=False)
    np.testing.assert_allclose([first[0], second[0]], [0.2851446, 0.18794884], rtol=1e-6)
    weighted = model.test_on_batch(X[:4], Y[:4], sample_weight=np.arange(4.0), reset_metrics=False)
    np.testing.assert_allclose(
        [weighted[0], model.test_on_batch(X, Y)[0]], [0.20394245, 0.13845274], rtol=1e-6
    )
    assert model.metrics_names == ["loss", "acc"]
    model.reset_metrics()
    np.testing.assert_allclose(
        model.test_on_batch(X[:2], Y[:2], reset_metrics=False)[0], 0.04364142, rtol=1e-6
    )
    np.testing.assert_allclose(
        model.predict_on_batch(X[:2])[:, 0], [0.9704321, 0.9443400], rtol=1e-6
    )


def test_fit_initial_epoch_and_evaluate_callbacks(graph, seeded, capsys):
    seeded(4)
    model = _model()
    history = model.fit(X, Y, batch_size=5, epochs=4, initial_epoch=2, verbose=0)
    assert history.epoch == [2, 3]
    np.testing.assert_allclose(history.history["loss"], [0.5314341, 0.3069342], rtol=1e-6)
    record = _Record()
    model.evaluate(X, Y, batch_size=4, verbose=0, callbacks=[record])
    assert record.events == [("test_begin",)]
    assert record.params == {
        "batch_size": 4,
        "epochs": 1,
        "steps": None,
        "samples": 10,
        "verbose": 0,
        "do_validation": False,
        "metrics": ["loss", "acc"],
    }
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        model.fit(X, Y, nb_epochs=2)


def test_temporal_sample_weights(graph):
    rng = np.random.RandomState(0)
    x = rng.randn(6, 4, 3).astype(np.float32)
    y = rng.randint(0, 2, (6, 4, 1)).astype(np.float32)
    weights = rng.rand(6, 4).astype(np.float32)
    model = keras.Sequential(
        [
            keras.layers.Dense(
                1,
                activation="sigmoid",
                input_shape=(4, 3),
                kernel_initializer=keras.initializers.Constant(0.1),
            )
        ]
    )
    model.compile(
        keras.optimizers.SGD(0.5),
        "binary_crossentropy",
        metrics=["acc"],
        sample_weight_mode="temporal",
    )
    assert graph.get_tensor_by_name("dense_sample_weights:0").shape.as_list() == [None, None]
    history = model.fit(
        x, y, batch_size=4, epochs=2, verbose=0, sample_weight=weights, shuffle=False
    )
    np.testing.assert_allclose(history.history["loss"], [0.4545293, 0.4244732], rtol=1e-6)
    np.testing.assert_allclose(history.history["acc"], [0.5, 0.5833333], rtol=1e-6)
    weighted = model.evaluate(x, y, sample_weight=weights, verbose=0)
    unweighted = model.evaluate(x, y, verbose=0)  # each step weighs 1
    np.testing.assert_allclose([weighted[0], unweighted[0]], [0.40523753, 0.6509958], rtol=1e-6)
    np.testing.assert_allclose(
        model.train_on_batch(x[:2], y[:2], sample_weight=weights[:2])[0], 0.38349262, rtol=1e-6
    )
    with pytest.raises(ValueError, match="you should pass a 2D sample_weight array"):
        model.fit(x, y, sample_weight=weights[:, 0], verbose=0)
    with pytest.raises(ValueError, match="not supported for 3\\+ dimensional targets"):
        model.fit(x, y, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_weighted_metrics(graph):
    model = keras.Sequential(
        [
            keras.layers.Dense(
                1,
                activation="sigmoid",
                input_shape=(3,),
                kernel_initializer=keras.initializers.Constant(-0.1),
            )
        ]
    )
    model.compile(
        keras.optimizers.SGD(0.5),
        "binary_crossentropy",
        metrics=["acc", "mse"],
        weighted_metrics=["acc", keras.metrics.AUC()],
    )
    assert model.metrics_names == [
        "loss",
        "acc",
        "mean_squared_error",
        "weighted_acc",
        "weighted_auc",
    ]
    weights = np.linspace(0, 1, 10).astype(np.float32)
    history = model.fit(
        X, Y, batch_size=4, epochs=2, verbose=0, sample_weight=weights, shuffle=False
    )
    np.testing.assert_allclose(history.history["acc"], [0.2, 1.0], rtol=1e-6)
    np.testing.assert_allclose(history.history["weighted_acc"], [0.377778, 1.0], rtol=1e-5)
    np.testing.assert_allclose(history.history["weighted_auc"], [0.0, 1.0], atol=1e-6)
    np.testing.assert_allclose(
        history.history["mean_squared_error"], [0.279598, 0.122522], rtol=1e-5
    )
    np.testing.assert_allclose(
        model.evaluate(X, Y, sample_weight=weights, verbose=0),
        [0.16197, 1.0, 0.070362, 1.0, 1.0],
        rtol=1e-5,
    )


def test_predict_calls_the_predict_hooks(graph):
    events = []

    class Record(keras.callbacks.Callback):
        def on_predict_begin(self, logs=None):
            events.append(("begin", logs, self.params))

        def on_predict_batch_end(self, batch, logs=None):
            events.append((batch, logs["size"], len(logs["outputs"]), logs["outputs"][0].shape))

        def on_predict_end(self, logs=None):
            events.append(("end", logs))

    _model().predict(X, batch_size=4, callbacks=[Record()])
    params = {
        "batch_size": 4,
        "epochs": 1,
        "steps": None,
        "samples": 10,
        "verbose": 0,
        "do_validation": False,
        "metrics": [],
    }
    assert events == [
        ("begin", {}, params),
        (0, 4, 1, (4, 1)),
        (1, 4, 1, (4, 1)),
        (2, 2, 1, (2, 1)),
        ("end", {}),
    ]


def test_compile_arguments_are_attributes(graph):
    x = keras.Input((3,))
    model = keras.Model(x, [keras.layers.Dense(1, name="a")(x), keras.layers.Dense(2, name="b")(x)])
    assert (model.loss_weights, model.sample_weight_mode, model.run_eagerly) == (None, None, False)
    model.compile("sgd", ["mse", "mse"], loss_weights=[1.0, 0.5], sample_weight_mode=[None, None])
    assert model.loss_weights == [1.0, 0.5] and model.sample_weight_mode == [None, None]
    with pytest.raises(NotImplementedError, match="run_eagerly=True"):
        model.run_eagerly = True
