"""Tests for scopeflow/losses: each loss and reduction against NumPy and against the values
TensorFlow computed, the ``LOSSES`` collection, the loss-gathering functions and errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

LABELS = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], np.float32)
LOGITS = np.array([[0.2, 0.5, -1.0], [2.0, 0.1, 0.3]], np.float32)
R = tf.losses.Reduction


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _huber(e, delta):
    a = np.abs(e)
    return np.where(a <= delta, 0.5 * a**2, 0.5 * delta**2 + delta * (a - delta))


def _by_nonzero(losses, weights=1.0):
    weights = np.broadcast_to(weights, losses.shape)
    return np.sum(losses * weights) / np.count_nonzero(weights)


SQ = (LOGITS - LABELS) ** 2
XENT = -np.sum(LABELS * _log_softmax(LOGITS), axis=-1)
SIG = np.maximum(LOGITS, 0) - LOGITS * LABELS + np.log1p(np.exp(-np.abs(LOGITS)))
P = _sigmoid(LOGITS)
SMOOTH = LABELS * 0.9 + 0.1 / 3
SIG_SMOOTH = LABELS * 0.8 + 0.1
Q = np.array([[0.0, 1.0, 0.5], [0.9, 0.1, 0.2]], np.float32)

# name -> (the loss, the NumPy value, TensorFlow's value (TF 2.21, tf.compat.v1), its name)
CASES = {
    "mse": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS),
        SQ.mean(),
        0.3983333110809326,
        "mean_squared_error/value:0",
    ),
    "mse_scalar_weight": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS, weights=2.0),
        2 * SQ.mean(),
        0.7966666221618652,
        "mean_squared_error/value:0",
    ),
    "mse_row_weights": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS, weights=[[1.0], [0.0]]),
        _by_nonzero(SQ, [[1.0], [0.0]]),
        0.429999977350235,
        "mean_squared_error/value:0",
    ),
    "mse_column_weights": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS, weights=[[0.0, 2.0, 1.0]]),
        _by_nonzero(SQ, [[0.0, 2.0, 1.0]]),
        0.4025000035762787,
        "mean_squared_error/value:0",
    ),
    "mse_mean": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS, [[1.0], [3.0]], reduction=R.MEAN),
        np.sum(SQ * [[1.0], [3.0]]) / 12.0,
        0.382500022649765,
        "mean_squared_error/value:0",
    ),
    "mse_sum": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS, [[1.0], [3.0]], reduction=R.SUM),
        np.sum(SQ * [[1.0], [3.0]]),
        4.590000152587891,
        "mean_squared_error/Sum:0",
    ),
    "mse_sum_over_batch_size": (
        lambda: tf.losses.mean_squared_error(
            LABELS, LOGITS, [[1.0], [3.0]], reduction=R.SUM_OVER_BATCH_SIZE
        ),
        np.sum(SQ * [[1.0], [3.0]]) / 6.0,
        0.76500004529953,
        "mean_squared_error/value:0",
    ),
    "mse_zero_weight": (
        lambda: tf.losses.mean_squared_error(LABELS, LOGITS, weights=0.0),
        0.0,
        0.0,
        "mean_squared_error/value:0",
    ),
    "absolute_difference": (
        lambda: tf.losses.absolute_difference(LABELS, LOGITS),
        np.abs(LOGITS - LABELS).mean(),
        0.5166666507720947,
        "absolute_difference/value:0",
    ),
    "huber": (
        lambda: tf.losses.huber_loss(LABELS, LOGITS),
        _huber(LOGITS - LABELS, 1.0).mean(),
        0.1991666555404663,
        "huber_loss/value:0",
    ),
    "huber_delta": (
        lambda: tf.losses.huber_loss(LABELS, LOGITS, delta=0.5),
        _huber(LOGITS - LABELS, 0.5).mean(),
        0.1574999988079071,
        "huber_loss/value:0",
    ),
    "softmax": (
        lambda: tf.losses.softmax_cross_entropy(LABELS, LOGITS),
        XENT.mean(),
        0.4809138774871826,
        "softmax_cross_entropy_loss/value:0",
    ),
    "softmax_smoothing": (
        lambda: tf.losses.softmax_cross_entropy(LABELS, LOGITS, label_smoothing=0.1),
        -np.sum(SMOOTH * _log_softmax(LOGITS), axis=-1).mean(),
        0.5709139108657837,
        "softmax_cross_entropy_loss/value:0",
    ),
    "softmax_weights": (
        lambda: tf.losses.softmax_cross_entropy(LABELS, LOGITS, weights=[3.0, 1.0]),
        np.sum(XENT * [3.0, 1.0]) / 2,
        1.155870795249939,
        "softmax_cross_entropy_loss/value:0",
    ),
    "sparse_softmax": (
        lambda: tf.losses.sparse_softmax_cross_entropy([1, 0], LOGITS),
        XENT.mean(),
        0.4809138774871826,
        "sparse_softmax_cross_entropy_loss/value:0",
    ),
    "sparse_softmax_columns": (
        lambda: tf.losses.sparse_softmax_cross_entropy([[1], [0]], LOGITS, [[2.0], [1.0]]),
        np.sum(XENT * [2.0, 1.0]) / 2,
        0.8183923959732056,
        "sparse_softmax_cross_entropy_loss/value:0",
    ),
    "sigmoid": (
        lambda: tf.losses.sigmoid_cross_entropy(LABELS, LOGITS),
        SIG.mean(),
        0.5518596172332764,
        "sigmoid_cross_entropy_loss/value:0",
    ),
    "sigmoid_smoothing": (
        lambda: tf.losses.sigmoid_cross_entropy(LABELS, LOGITS, label_smoothing=0.2),
        (np.maximum(LOGITS, 0) - LOGITS * SIG_SMOOTH + np.log1p(np.exp(-np.abs(LOGITS)))).mean(),
        0.6001928448677063,
        "sigmoid_cross_entropy_loss/value:0",
    ),
    "log_loss": (
        lambda: tf.losses.log_loss(LABELS, tf.sigmoid(LOGITS)),
        (-LABELS * np.log(P + 1e-7) - (1 - LABELS) * np.log(1 - P + 1e-7)).mean(),
        0.5518593788146973,
        "log_loss/value:0",
    ),
    "log_loss_epsilon": (
        lambda: tf.losses.log_loss(LABELS, Q, epsilon=1e-3),
        (-LABELS * np.log(Q + 1e-3) - (1 - LABELS) * np.log(1 - Q + 1e-3)).mean(),
        0.186590775847435,
        "log_loss/value:0",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_matches_numpy_and_tensorflow(name):
    build, numpy_value, tf_value, tensor_name = CASES[name]
    loss = build()
    assert (loss.name, loss.dtype, loss.shape.as_list()) == (tensor_name, tf.float32, [])
    assert tf.losses.get_losses() == [loss]
    with tf.Session() as sess:
        value = sess.run(loss)
    np.testing.assert_allclose(value, numpy_value, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(value, tf_value, rtol=1e-6)


def test_reduction_none_keeps_the_weighted_elements():
    loss = tf.losses.mean_squared_error(LABELS, LOGITS, [[1.0], [2.0]], reduction=R.NONE)
    assert (loss.name, loss.shape.as_list()) == ("mean_squared_error/Mul:0", [2, 3])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(loss), SQ * [[1.0], [2.0]], rtol=1e-6)


def test_reductions_are_tf1s_strings():
    assert R.all() == (
        "none",
        "weighted_sum",
        "weighted_mean",
        "weighted_sum_over_batch_size",
        "weighted_sum_by_nonzero_weights",
        "weighted_sum_by_nonzero_weights",
    )
    with pytest.raises(ValueError, match="Invalid Reduction Key mean"):
        tf.losses.mean_squared_error(LABELS, LOGITS, reduction="mean")


def test_float64_losses_are_computed_in_float32_then_cast_back():
    losses = tf.constant([1.0, 3.0], tf.float64)
    loss = tf.losses.compute_weighted_loss(losses, weights=[1.0, 0.0], scope="mine")
    assert (loss.name, loss.dtype) == ("mine/Cast_2:0", tf.float64)
    with tf.Session() as sess:
        assert sess.run(loss) == 1.0


def test_loss_collection_and_scope():
    with tf.name_scope("tower"):
        first = tf.losses.absolute_difference(LABELS, LOGITS)
    second = tf.losses.log_loss(LABELS, P, loss_collection="my_losses")
    third = tf.losses.huber_loss(LABELS, LOGITS, loss_collection=None)
    assert first.name == "tower/absolute_difference/value:0"
    assert tf.losses.get_losses() == [first]
    assert tf.losses.get_losses(scope="tower") == [first]
    assert tf.losses.get_losses(scope="other") == []
    assert tf.losses.get_losses(loss_collection="my_losses") == [second]
    assert third not in tf.get_collection(tf.GraphKeys.LOSSES)
    extra = tf.constant(2.0)
    tf.losses.add_loss(extra)
    assert tf.losses.get_losses() == [first, extra]


def test_total_loss_adds_the_regularization_losses():
    tf.get_variable("w", initializer=[1.0, 2.0], regularizer=lambda w: tf.reduce_sum(w))
    loss = tf.losses.mean_squared_error([0.0], [2.0])
    total = tf.losses.get_total_loss()
    data_only = tf.losses.get_total_loss(add_regularization_losses=False, name="data")
    regularization = tf.losses.get_regularization_loss()
    assert (total.name, total.op.type) == ("total_loss:0", "AddN")
    assert regularization.name == "total_regularization_loss:0"
    assert [t.name for t in tf.losses.get_regularization_losses()] == ["w/Regularizer/Sum:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([total, data_only, regularization, loss]) == [7.0, 4.0, 3.0, 4.0]


def test_gathering_without_losses():
    with tf.Session() as sess:
        assert sess.run(tf.losses.get_regularization_loss()) == 0.0
    with pytest.raises(ValueError, match="No losses to sum"):
        tf.losses.get_total_loss()


def test_errors():
    with pytest.raises(ValueError, match="Argument `labels` must not be None"):
        tf.losses.mean_squared_error(None, LOGITS)
    with pytest.raises(ValueError, match="Argument `predictions` must not be None"):
        tf.losses.absolute_difference(LABELS, None)
    with pytest.raises(ValueError, match="Argument `onehot_labels` must not be None"):
        tf.losses.softmax_cross_entropy(None, LOGITS)
    with pytest.raises(ValueError, match=r"Shapes \(2, 2\) and \(2, 3\) are incompatible"):
        tf.losses.mean_squared_error(LABELS, LOGITS[:, :2])
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        tf.losses.mean_squared_error(LABELS, LOGITS, weights=[1.0, 2.0])
    assert tf.get_default_graph().get_operations() == []
