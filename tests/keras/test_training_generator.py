"""Model.fit_generator / evaluate_generator / predict_generator, and fit / evaluate / predict
on generators and Sequences: histories, callback logs and params, and errors, with the
numbers tf_keras 2.21 (compat.v1 graph mode) gives on the same data."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

import scopeflow as tf

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


def _batches(size=4, weighted=False):
    while True:
        for s in range(0, 10, size):
            if weighted:
                yield X[s : s + size], Y[s : s + size], np.linspace(0.5, 1.5, len(X[s : s + size]))
            else:
                yield X[s : s + size], Y[s : s + size]


class _Seq(keras.utils.Sequence):
    def __init__(self, size=4):
        self.size, self.ends = size, 0

    def __len__(self):
        return (10 + self.size - 1) // self.size

    def __getitem__(self, i):
        return X[i * self.size : (i + 1) * self.size], Y[i * self.size : (i + 1) * self.size]

    def on_epoch_end(self):
        self.ends += 1


class _Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.events = []

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch", batch, sorted((k, type(v).__name__) for k, v in logs.items())))

    def on_test_begin(self, logs=None):
        self.events.append(("test_begin",))

    def on_test_batch_end(self, batch, logs=None):
        self.events.append(("test_batch", batch, sorted(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch", epoch, sorted(logs)))


def _history(h):
    return {k: np.asarray(v, np.float64) for k, v in h.history.items()}


def test_fit_generator_history_logs_and_params(graph):
    model, record = _model(), _Record()
    history = model.fit_generator(
        _batches(),
        steps_per_epoch=3,
        epochs=3,
        verbose=0,
        callbacks=[record],
        validation_data=_Seq(3),
        validation_freq=[1, 3],
    )
    got = _history(history)
    assert sorted(got) == ["acc", "loss", "val_acc", "val_loss"] and history.epoch == [0, 1, 2]
    # the loss: the mean over the examples (batches of 4, 4, 2), as tf_keras's BaseLogger
    np.testing.assert_allclose(got["loss"], [0.4855383, 0.2364434, 0.1630317], rtol=1e-6)
    np.testing.assert_allclose(got["acc"], [1.0, 1.0, 1.0])
    assert len(got["val_loss"]) == 2
    assert record.params == {
        "batch_size": None,
        "epochs": 3,
        "steps": 3,
        "samples": 3,
        "verbose": 0,
        "do_validation": True,
        "metrics": ["loss", "acc", "val_loss", "val_acc"],
    }
    batch = [("acc", "float"), ("batch", "int"), ("loss", "float"), ("size", "int")]
    epoch0 = [("batch", i, batch) for i in range(3)] + [("test_begin",)]
    epoch0 += [("test_batch", i, ["acc", "batch", "loss", "size"]) for i in range(4)]
    epoch0 += [("epoch", 0, ["acc", "loss", "val_acc", "val_loss"])]
    assert record.events[:9] == epoch0
    assert record.events[9:13] == [
        *[("batch", i, batch) for i in range(3)],
        ("epoch", 1, ["acc", "loss"]),
    ]


def test_evaluate_and_predict_generator(graph):
    model = _model()
    model.fit_generator(_batches(), steps_per_epoch=3, epochs=3, verbose=0)
    loss, acc = model.evaluate_generator(_batches(3), steps=4)
    assert isinstance(loss, np.float32) and acc == 1.0
    np.testing.assert_allclose(loss, 0.12334557, rtol=1e-6)  # the mean over the 4 steps
    out = model.predict_generator(_batches(4), steps=3)
    assert out.shape == (10, 1)
    np.testing.assert_allclose(
        out[:, 0],
        [
            0.968673,
            0.967722,
            0.827694,
            0.906044,
            0.871099,
            0.860718,
            0.242637,
            0.804464,
            0.90404,
            0.922081,
        ],
        atol=2e-6,
    )


def test_fit_generator_sample_and_class_weights(graph):
    model = _model()
    history = model.fit_generator(
        _batches(weighted=True),
        steps_per_epoch=3,
        epochs=2,
        verbose=0,
        class_weight={0: 2.0, 1: 0.5},
    )
    np.testing.assert_allclose(history.history["loss"], [0.36049, 0.2168755], rtol=1e-6)
    np.testing.assert_allclose(
        model.evaluate_generator(_batches(4, True), steps=3)[0], 0.27003005, rtol=1e-6
    )


def test_fit_generator_sequence_shuffled_with_python_random(graph):
    state = random.getstate()
    random.seed(3)
    try:
        model, seq = _model(), _Seq()
        history = model.fit_generator(
            seq, epochs=3, verbose=0, validation_data=_Seq(3), shuffle=True
        )
    finally:
        random.setstate(state)
    got = _history(history)
    np.testing.assert_allclose(got["loss"], [0.4588194, 0.2486891, 0.1695752], rtol=1e-6)
    np.testing.assert_allclose(got["val_loss"], [0.269477, 0.172764, 0.1274572], rtol=1e-6)
    assert seq.ends == 2  # between the passes (tf_keras's timer may add one after the last)


def test_fit_generator_steps_run_on_across_epochs(graph):
    state = random.getstate()
    random.seed(5)
    try:
        model, seq = _model(), _Seq(3)
        history = model.fit_generator(seq, steps_per_epoch=3, epochs=3, verbose=0, shuffle=True)
    finally:
        random.setstate(state)
    np.testing.assert_allclose(
        history.history["loss"], [0.4723072, 0.2811568, 0.1599604], rtol=1e-6
    )
    assert seq.ends == 2  # 9 batches: two whole passes of 4


def test_fit_evaluate_predict_take_sequences_and_generators(graph):
    model, seq = _model(), _Seq()
    history = model.fit(
        seq, epochs=3, verbose=0, workers=0, steps_per_epoch=2, validation_data=(X[:5], Y[:5])
    )
    got = _history(history)
    np.testing.assert_allclose(got["loss"], [0.5279531, 0.2408985, 0.2584669], rtol=1e-6)
    # validation arrays cut into batches of the last training batch's size (4): 4 and 1
    np.testing.assert_allclose(got["val_loss"], [0.3205908, 0.2033694, 0.1433842], rtol=1e-6)
    assert seq.ends == 0  # workers=0: the Sequence is read in order, never shuffled
    np.testing.assert_allclose(model.evaluate(_Seq(3), workers=0)[0], 0.16518317, rtol=1e-6)
    np.testing.assert_allclose(model.evaluate(_batches(3), steps=2)[0], 0.14530714, rtol=1e-6)
    np.testing.assert_allclose(
        model.predict(_batches(4), steps=1)[:, 0],
        [0.946354, 0.947325, 0.789008, 0.866094],
        atol=2e-6,
    )


def test_generator_argument_errors(graph):
    model = _model()
    with pytest.raises(ValueError, match="via the `steps_per_epoch` argument"):
        model.fit_generator(_batches())
    with pytest.raises(ValueError, match="via the `steps` argument"):
        model.evaluate_generator(_batches())
    with pytest.raises(ValueError, match="Please specify the `validation_steps` argument"):
        model.fit_generator(_batches(), steps_per_epoch=1, validation_data=_batches())
    with pytest.raises(ValueError, match="`batch_size` argument must not be specified"):
        model.fit(_Seq(), batch_size=4)
    with pytest.raises(ValueError, match="`y` argument is not supported"):
        model.fit(_Seq(), Y)
    with pytest.raises(ValueError, match="cannot use `validation_split`"):
        model.fit(_Seq(), validation_split=0.5)
    with pytest.raises(ValueError, match="`validation_freq` can not be less than 1"):
        model.fit(_Seq(), validation_data=_Seq(), validation_freq=0, verbose=0)
    with pytest.raises(ValueError, match="tuple of 1 or 2 or 3 elements"):
        model.fit_generator(iter([(X, Y, None, None)]), steps_per_epoch=1, verbose=0)


def test_generator_running_out_stops_training(graph, caplog):
    model = _model()
    history = model.fit_generator(
        iter([(X[:4], Y[:4])] * 4), steps_per_epoch=3, epochs=3, verbose=0, workers=0
    )
    assert history.epoch == [0, 1] and "ran out of data" in caplog.text


def test_two_outputs_log_each_output_loss_running_mean(graph):
    def batches(size=4):
        while True:
            for s in range(0, 10, size):
                yield X[s : s + size], [Y[s : s + size], 2 * X[s : s + size, :1]]

    x = keras.Input(shape=(3,))
    constant = keras.initializers.Constant
    p = keras.layers.Dense(1, activation="sigmoid", name="p", kernel_initializer=constant(0.1))(x)
    q = keras.layers.Dense(1, name="q", kernel_initializer=constant(0.2))(x)
    model = keras.Model(x, [p, q])
    model.compile(
        keras.optimizers.SGD(0.1),
        ["binary_crossentropy", "mse"],
        loss_weights=[1.0, 0.5],
        metrics=["mae"],
    )
    history = model.fit_generator(
        batches(),
        steps_per_epoch=3,
        epochs=2,
        verbose=0,
        validation_data=batches(3),
        validation_steps=4,
    )
    expected = {
        "loss": [2.66616, 0.900661],
        "p_loss": [0.566736, 0.467728],
        "q_loss": [4.600639, 0.968217],
        "p_mean_absolute_error": [0.436036, 0.376873],
        "q_mean_absolute_error": [1.621364, 0.667848],
        "val_loss": [0.921215, 0.540441],
        "val_p_loss": [0.488081, 0.410966],
        "val_q_loss": [0.866269, 0.258951],
        "val_p_mean_absolute_error": [0.389165, 0.339853],
        "val_q_mean_absolute_error": [0.701517, 0.395001],
    }
    assert sorted(history.history) == sorted(expected)
    for key, values in expected.items():
        np.testing.assert_allclose(history.history[key], values, rtol=2e-6, atol=1e-6)
    evaluated = model.evaluate_generator(batches(3), steps=4)
    np.testing.assert_allclose(
        evaluated, [0.540441, 0.410966, 0.258951, 0.339853, 0.395001], rtol=2e-6, atol=1e-6
    )
    # reset_metrics=False: each output's loss is its running mean since the last reset (the
    # evaluation's four batches and this one), as tf_keras's loss metrics
    first = model.train_on_batch(X[:4], [Y[:4], X[:4, :1]], reset_metrics=False)
    second = model.train_on_batch(X[4:], [Y[4:], X[4:, :1]], reset_metrics=False)
    np.testing.assert_allclose(
        [first, second],
        [
            [0.85147, 0.40307, 0.399153, 0.330714, 0.553183],
            [0.621244, 0.407419, 0.396654, 0.33596, 0.547022],
        ],
        rtol=2e-6,
        atol=1e-6,
    )


def test_sequence_with_use_multiprocessing_gives_keras_processes_batches(graph):
    state = random.getstate()
    random.seed(3)
    try:
        history = _model().fit_generator(
            _Seq(),
            epochs=3,
            verbose=0,
            validation_data=_Seq(3),
            shuffle=True,
            workers=2,
            use_multiprocessing=True,
        )
    finally:
        random.setstate(state)
    np.testing.assert_allclose(
        history.history["loss"], [0.4588194, 0.2486891, 0.1695752], rtol=1e-6
    )
    with pytest.raises(NotImplementedError, match="use_multiprocessing=False"):
        _model().fit_generator(
            _batches(), steps_per_epoch=1, workers=2, use_multiprocessing=True, verbose=0
        )


def test_progress_bar_counting_steps_shows_batch_and_size_as_tf_keras(graph, capsys):
    _model().fit_generator(iter([(X[:4], Y[:4])] * 3), steps_per_epoch=2, verbose=1)
    out = re.sub(r"\d+(us|ms|s)(/step|/sample)?", "T", capsys.readouterr().out).replace("\b", "")
    assert out == (
        "\r1/2 [==============>...............] - ETA: T - batch: 0.0000e+00 - size: 4.0000 - "
        "loss: 0.5885 - acc: 1.0000\r2/2 [==============================] - T T - batch: "
        "0.5000 - size: 4.0000 - loss: 0.4660 - acc: 1.0000\n"
    )
