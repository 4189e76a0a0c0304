"""Keras loss objects take the loss function's arguments first, in TF's order, then
``reduction`` and ``name``; ``axis`` reaches the cross entropies. Values from TF 2.21
(tf_keras)."""

import numpy as np
import pytest

import scopeflow as tf

L = tf.keras.losses
YT = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], np.float32)
LOGITS = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], np.float32)
PROBS = np.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]], np.float32)
ONE_HOT = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], np.float32)


def _run(graph, t):
    with tf.Session(graph=graph) as sess:
        return sess.run(t)


@pytest.mark.parametrize(
    ("make", "y_true", "y_pred", "expected"),
    [
        (lambda: L.BinaryCrossentropy(True), YT, LOGITS, 0.7122035),
        (lambda: L.CategoricalCrossentropy(True, 0.1), ONE_HOT, LOGITS, 0.42482495),
        (lambda: L.SparseCategoricalCrossentropy(True), np.array([2, 0]), LOGITS, 0.2931583),
        (lambda: L.CategoricalCrossentropy(axis=0), ONE_HOT.T, PROBS.T, 0.6019864),
        (lambda: L.Huber(0.5), YT, LOGITS, 0.40833336),
        (lambda: L.CosineSimilarity(0), YT, LOGITS, -0.34579706),
    ],
)
def test_positional_arguments_are_the_loss_functions(graph, make, y_true, y_pred, expected):
    np.testing.assert_allclose(_run(graph, make()(y_true, y_pred)), expected, rtol=1e-5)


def test_cross_entropy_functions_take_an_axis(graph):
    bce = L.binary_crossentropy(YT, LOGITS, True, 0.0, 0)
    cce = L.categorical_crossentropy(ONE_HOT.T, PROBS.T, False, 0.0, 0)
    np.testing.assert_allclose(_run(graph, bce), [1.0877452, 0.43380848, 0.615057], rtol=1e-5)
    np.testing.assert_allclose(_run(graph, cce), [0.6931472, 0.5108256], rtol=1e-5)


def test_configs_hold_the_arguments_as_tf():
    assert L.BinaryCrossentropy(True).get_config() == {
        "reduction": "auto",
        "name": "binary_crossentropy",
        "from_logits": True,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "binary_crossentropy",
    }
    assert L.SparseCategoricalCrossentropy(True).get_config()["ignore_class"] is None
    assert L.Huber(2.0).get_config() == {
        "reduction": "auto",
        "name": "huber_loss",
        "delta": 2.0,
        "fn": "huber",
    }


def test_unknown_arguments_and_ignore_class(graph):
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        L.BinaryCrossentropy(foo=1)
    with pytest.raises(TypeError, match="MeanSquaredError.__init__"):
        L.MeanSquaredError(foo=1)
    with pytest.raises(NotImplementedError, match="sample_weight"):
        L.SparseCategoricalCrossentropy(ignore_class=0)(np.array([2, 0]), LOGITS)
