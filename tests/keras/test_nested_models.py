"""A model holding models (a shared functional encoder applied to two inputs, a Sequential
head) as TF 2.21's tf_keras shows, trains and saves it in compat.v1 graph mode (reference
venv): ``summary()`` (nested functional models are ``Functional``), weight names, the loss
history, and an HDF5 file of it written here and read back."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
L = K.layers

SUMMARY = [  # TF's lines, trailing spaces left out
    'Model: "siamese"',
    "_" * 98,
    " Layer (type)                Output Shape                 Param #   Connected to",
    "=" * 98,
    " a (InputLayer)              [(None, 6)]                  0         []",
    "",
    " b (InputLayer)              [(None, 6)]                  0         []",
    "",
    " encoder (Functional)        (None, 3)                    21        ['a[0][0]',",
    "                                                                     'b[0][0]']",
    "",
    " average (Average)           (None, 3)                    0         ['encoder[0][0]',",
    "                                                                     'encoder[1][0]']",
    "",
    " head (Sequential)           (None, 1)                    37        ['average[0][0]']",
    "",
    "=" * 98,
    "Total params: 58 (232.00 Byte)",
    "Trainable params: 50 (200.00 Byte)",
    "Non-trainable params: 8 (32.00 Byte)",
    "_" * 98,
]


def _siamese():
    enc_in = K.Input((6,), name="ei")
    encoder = K.Model(enc_in, L.Dense(3, activation="tanh", name="ed")(enc_in), name="encoder")
    head = K.Sequential(
        [
            L.Dense(4, activation="relu", input_shape=(3,), name="h1"),
            L.BatchNormalization(name="bn"),
            L.Dense(1, name="h2"),
        ],
        name="head",
    )
    a, b = K.Input((6,), name="a"), K.Input((6,), name="b")
    model = K.Model([a, b], head(L.average([encoder(a), encoder(b)])), name="siamese")
    model.compile(K.optimizers.SGD(0.05), "mse", metrics=["mae"])
    return model


def test_nested_models_summary_weights_and_training_match_tf(graph, tmp_path):
    model = _siamese()
    printed = []
    model.summary(print_fn=printed.append)
    assert [line.rstrip() for line in printed] == SUMMARY
    assert [w.name for w in model.weights] == [
        "ed/kernel:0",
        "ed/bias:0",
        "h1/kernel:0",
        "h1/bias:0",
        "bn/gamma:0",
        "bn/beta:0",
        "bn/moving_mean:0",
        "bn/moving_variance:0",
        "h2/kernel:0",
        "h2/bias:0",
    ]
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        value = np.sin(np.arange(np.prod(shape)) * 0.37 + i).reshape(shape) * 0.5
        K.backend.set_value(w, value + (1.0 if "variance" in w.name else 0.0))
    x = np.cos(np.arange(48)).reshape(8, 6).astype("f")
    y = np.sin(np.arange(8)).reshape(8, 1).astype("f")
    history = model.fit([x, x[::-1]], y, epochs=3, batch_size=4, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [0.59206, 0.52875, 0.50062], atol=1e-5)
    path = str(tmp_path / "siamese.h5")
    model.save(path)
    with tf.Graph().as_default():
        loaded = K.models.load_model(path)
        assert [layer.name for layer in loaded.layers] == ["a", "b", "encoder", "average", "head"]
        np.testing.assert_allclose(loaded.predict([x, x[::-1]])[:, 0], [-0.02985] * 8, atol=1e-5)
        again = loaded.fit([x, x[::-1]], y, epochs=1, batch_size=4, verbose=0, shuffle=False)
        np.testing.assert_allclose(again.history["loss"], [0.48709], atol=1e-5)


def test_calling_a_model_makes_no_learning_phase_of_its_own(graph):
    a = K.Input((3,))
    inner = K.Model(a, L.Dense(2, name="d")(a), name="inner")
    b = K.Input((3,))
    before = len(graph.get_operations())
    inner(b)
    made = [op.name for op in graph.get_operations()[before:] if op.type != "Identity"]
    assert "keras_learning_phase" not in made  # as TF's: only layers that use it make it
    assert [n for n in made if "MatMul" in n or "BiasAdd" in n] == [  # resource weights
        "inner/d/MatMul/ReadVariableOp",
        "inner/d/MatMul",
        "inner/d/BiasAdd/ReadVariableOp",
        "inner/d/BiasAdd",
    ]


def test_dropout_inside_a_nested_model_trains_as_tf(graph):
    tf.set_random_seed(5)
    a = K.Input((3,))
    inner = K.Model(a, L.Dropout(0.5)(L.Dense(4, name="d")(a)), name="inner")
    b = K.Input((3,))
    model = K.Model(b, L.Dense(1, name="o")(inner(b)))
    model.compile(K.optimizers.SGD(0.1), "mse")
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        K.backend.set_value(w, np.sin(np.arange(np.prod(shape)) * 0.37 + i).reshape(shape) * 0.5)
    x = np.cos(np.arange(30)).reshape(10, 3).astype("f")
    y = np.sin(np.arange(10)).reshape(10, 1).astype("f")
    history = model.fit(x, y, epochs=3, batch_size=5, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [0.88069, 0.57504, 0.56398], atol=1e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(0.44352, abs=1e-5)
