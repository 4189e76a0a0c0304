"""``Layer(weights=[...])`` (a pre-trained embedding matrix, a Dense layer's kernel and bias,
an LSTM's or a Conv1D's weights) set once the layer is built, as TF 2.21's tf_keras does in
compat.v1 graph mode (numbers and errors from the reference venv)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
L = K.layers


def test_frozen_pretrained_embedding_and_given_dense_weights(graph):
    matrix = np.arange(40, dtype="f").reshape(10, 4) / 10
    model = K.Sequential(
        [
            L.Embedding(10, 4, weights=[matrix], input_length=3, trainable=False, name="e"),
            L.GlobalAveragePooling1D(),
            L.Dense(1, name="d", weights=[np.full((4, 1), 0.5, "f"), np.array([0.1], "f")]),
        ]
    )
    model.compile(K.optimizers.SGD(0.1), "mse")
    ids = np.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_allclose(model.predict(ids), [[2.0], [4.4]], rtol=1e-6)
    history = model.fit(ids, np.array([[1.0], [2.0]]), epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [3.38, 6.56637], rtol=1e-5)
    np.testing.assert_allclose(K.backend.get_value(model.layers[0].embeddings), matrix)
    assert len(model.trainable_weights) == 2
    assert "weights" not in model.layers[2].get_config()


def test_recurrent_and_convolution_weights(graph):
    weights = [
        np.sin(np.arange(24)).reshape(3, 8).astype("f") * 0.3,
        np.cos(np.arange(16)).reshape(2, 8).astype("f") * 0.3,
        np.linspace(0, 1, 8).astype("f"),
    ]
    x_in = K.Input((4, 3))
    lstm = L.LSTM(2, weights=weights, name="l")(x_in)
    conv = L.Conv1D(2, 2, weights=[np.ones((2, 3, 2), "f"), np.zeros(2, "f")], name="c")(x_in)
    last, steps = K.Model(x_in, [lstm, conv]).predict(np.cos(np.arange(24)).reshape(2, 4, 3))
    np.testing.assert_allclose(last, [[0.31141, 0.37429], [0.31251, 0.40739]], atol=1e-5)
    np.testing.assert_allclose(steps[0, :, 0], [-0.2358, 0.2086, -0.1772], atol=1e-4)


def test_a_wrong_number_of_weights_is_refused_at_build(graph):
    layer = L.Dense(2, weights=[np.ones((3, 3))])
    with pytest.raises(ValueError, match='on layer "dense" with a weight list of length 1, but'):
        layer(K.Input((4,)))
