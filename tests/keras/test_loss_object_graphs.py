"""A tf.keras loss object called on tensors reduces under ``<name>/weighted_loss/`` as TF 2.21's
tf_keras (compile's losses reduce after that scope, as TF's: tests/keras/test_sample_weight_graphs);
a Python list of sample weights is ``weighted_loss/Const`` and Huber's delta ``Cast/x``. The op
names and values below are TF 2.21's (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

Y_TRUE = [[0.2, 0.8], [0.5, 0.5]]
Y_PRED = [[0.3, 0.7], [0.4, 0.6]]
MSE_UNWEIGHTED = [
    "mean_squared_error/SquaredDifference",
    "mean_squared_error/Mean/reduction_indices",
    "mean_squared_error/Mean",
    "mean_squared_error/weighted_loss/Const",
    "mean_squared_error/weighted_loss/Mul",
    "mean_squared_error/weighted_loss/Const_1",
    "mean_squared_error/weighted_loss/Sum",
    "mean_squared_error/weighted_loss/num_elements",
    "mean_squared_error/weighted_loss/num_elements/Cast",
    "mean_squared_error/weighted_loss/Rank",
    "mean_squared_error/weighted_loss/range/start",
    "mean_squared_error/weighted_loss/range/delta",
    "mean_squared_error/weighted_loss/range",
    "mean_squared_error/weighted_loss/Sum_1",
    "mean_squared_error/weighted_loss/value",
]
MSE_WEIGHTED = [
    "Const_2",
    "mean_squared_error_1/SquaredDifference",
    "mean_squared_error_1/Mean/reduction_indices",
    "mean_squared_error_1/Mean",
    "mean_squared_error_1/weighted_loss/Mul",
    "mean_squared_error_1/weighted_loss/Const",
    "mean_squared_error_1/weighted_loss/Sum",
    "mean_squared_error_1/weighted_loss/num_elements",
    "mean_squared_error_1/weighted_loss/num_elements/Cast",
    "mean_squared_error_1/weighted_loss/Rank",
    "mean_squared_error_1/weighted_loss/range/start",
    "mean_squared_error_1/weighted_loss/range/delta",
    "mean_squared_error_1/weighted_loss/range",
    "mean_squared_error_1/weighted_loss/Sum_1",
    "mean_squared_error_1/weighted_loss/value",
]
MSE_SUM = [
    "mean_squared_error/SquaredDifference",
    "mean_squared_error/Mean/reduction_indices",
    "mean_squared_error/Mean",
    "mean_squared_error/weighted_loss/Const",
    "mean_squared_error/weighted_loss/Mul",
    "mean_squared_error/weighted_loss/Const_1",
    "mean_squared_error/weighted_loss/Sum",
]
MAE_NONE = [
    "mean_absolute_error/sub",
    "mean_absolute_error/Abs",
    "mean_absolute_error/Mean/reduction_indices",
    "mean_absolute_error/Mean",
    "mean_absolute_error/weighted_loss/Const",
    "mean_absolute_error/weighted_loss/Mul",
]
HUBER = [
    "huber_loss/Cast/x",
    "huber_loss/Sub",
    "huber_loss/Abs",
    "huber_loss/Const",
    "huber_loss/LessEqual",
    "huber_loss/Square",
    "huber_loss/mul",
    "huber_loss/mul_1",
    "huber_loss/Square_1",
    "huber_loss/mul_2",
    "huber_loss/sub_1",
    "huber_loss/SelectV2",
    "huber_loss/Mean/reduction_indices",
    "huber_loss/Mean",
    "huber_loss/weighted_loss/Const",
    "huber_loss/weighted_loss/Mul",
    "huber_loss/weighted_loss/Const_1",
    "huber_loss/weighted_loss/Sum",
    "huber_loss/weighted_loss/num_elements",
    "huber_loss/weighted_loss/num_elements/Cast",
    "huber_loss/weighted_loss/Rank",
    "huber_loss/weighted_loss/range/start",
    "huber_loss/weighted_loss/range/delta",
    "huber_loss/weighted_loss/range",
    "huber_loss/weighted_loss/Sum_1",
    "huber_loss/weighted_loss/value",
]


def _ops_made(graph, build):
    before = len(graph.get_operations())
    out = build()
    return [op.name for op in graph.get_operations()[before:]], out


def test_mean_squared_error_object_with_and_without_weights(graph):
    y, p = tf.constant(Y_TRUE), tf.constant(Y_PRED)
    names, _ = _ops_made(graph, lambda: tf.keras.losses.MeanSquaredError()(y, p))
    assert names == MSE_UNWEIGHTED
    names, _ = _ops_made(
        graph, lambda: tf.keras.losses.MeanSquaredError()(y, p, tf.constant([1.0, 2.0]))
    )
    assert names == MSE_WEIGHTED


def test_reductions_and_huber_with_list_weights(graph):
    y, p = tf.constant(Y_TRUE), tf.constant(Y_PRED)
    outs = []
    for loss, expected in (
        (tf.keras.losses.MeanSquaredError(reduction="sum"), MSE_SUM),
        (tf.keras.losses.MeanAbsoluteError(reduction="none"), MAE_NONE),
        (tf.keras.losses.Huber(), HUBER),
    ):
        names, out = _ops_made(graph, lambda loss=loss: loss(y, p, sample_weight=[0.5, 2.0]))
        assert names == expected
        outs.append(out)
    with tf.Session() as sess:
        total, per_example, huber = sess.run(outs)
    np.testing.assert_allclose(total, 0.025000005960464478, rtol=1e-5)
    np.testing.assert_allclose(per_example, [0.05000000819563866, 0.20000001788139343], rtol=1e-5)
    np.testing.assert_allclose(huber, 0.006250001490116119, rtol=1e-5)
