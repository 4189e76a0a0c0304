"""Keras's weighted ``Mean``/``Sum`` metrics as TF 2.21's tf_keras builds them in compat.v1
graph mode (reference venv): the weights' last dimension squeezed or added, TF's
``broadcast_weights`` block (``assert_broadcastable`` and its run-time ``Assert``), values
reduced over extra axes when weights cannot broadcast, and the op names a compiled model's
weighted metric makes."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

V23 = np.arange(6.0).reshape(2, 3)
V234 = np.arange(24.0).reshape(2, 3, 4)
BROADCAST = ["Const", "Fill", "Mul", "NoOp"]


@pytest.mark.parametrize(
    ("values", "weights", "mean", "total", "ops"),
    [
        (V23, [1.0, 2.0], 3.0, 27.0, BROADCAST),
        (V23, [[[1.0], [2.0], [0.5]], [[0.0], [1.0], [3.0]]], 2.93333, 22.0, []),
        (V234, np.arange(6.0).reshape(2, 3), 16.16667, 970.0, BROADCAST),
        (V234, [1.0, 3.0], 14.5, 696.0, ["Const"]),  # reduced over the extra axes
        (V23, 2.0, 2.5, 30.0, BROADCAST),
        (V23, [[1.0, 0.0, 2.0]], 2.83333, 17.0, BROADCAST),
    ],
)
def test_weighted_mean_and_sum_match_tf(values, weights, mean, total, ops):
    for cls, expected in ((tf.keras.metrics.Mean, mean), (tf.keras.metrics.Sum, total)):
        graph = tf.Graph()
        with graph.as_default():
            metric = cls()
            update = metric.update_state(tf.constant(values), sample_weight=tf.constant(weights))
            with tf.Session() as sess:
                sess.run(tf.variables_initializer(metric.variables))
                sess.run(update)
                assert sess.run(metric.result()) == pytest.approx(expected, abs=1e-5)
        types = sorted({op.type for op in graph.get_operations() if "broadcast" in op.name})
        assert types == ops


def test_weights_that_do_not_fit_are_refused_as_tf(graph):
    metric = tf.keras.metrics.Mean()
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        metric.update_state(tf.constant(V23), sample_weight=tf.constant(np.ones((2, 2))))


def test_unknown_shapes_are_checked_at_run_time(graph):
    metric = tf.keras.metrics.Mean()
    values = tf.placeholder(tf.float32, [None, 3])
    weights = tf.placeholder(tf.float32, [None, None])
    update = metric.update_state(values, sample_weight=weights)
    with tf.Session() as sess:
        sess.run(tf.variables_initializer(metric.variables))
        with pytest.raises(tf.errors.InvalidArgumentError, match="weights can not be broadcast"):
            sess.run(update, {values: V23, weights: np.ones((2, 2))})
        sess.run(update, {values: V23, weights: np.ones((2, 1))})
        assert sess.run(metric.result()) == pytest.approx(2.5)


def test_compiled_weighted_metric_ops_and_history_match_tf(graph):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile("sgd", "mse", metrics=["acc"], weighted_metrics=["mae"])
    for w in model.weights:
        shape = w.shape.as_list()
        tf.keras.backend.set_value(w, np.arange(np.prod(shape)).reshape(shape) * 0.1 - 0.3)
    x = np.linspace(-1, 1, 30).reshape(10, 3).astype("f")
    y = np.linspace(0, 1, 20).reshape(10, 2).astype("f")
    history = model.fit(
        x,
        y,
        epochs=2,
        batch_size=5,
        verbose=0,
        shuffle=False,
        sample_weight=np.linspace(0.5, 2, 10),
    )
    np.testing.assert_allclose(history.history["loss"], [1.12447, 1.04772], atol=1e-5)
    np.testing.assert_allclose(history.history["acc"], [0.7, 0.7])
    np.testing.assert_allclose(
        history.history["weighted_mean_absolute_error"], [0.87145, 0.84246], atol=1e-5
    )
    scope = "metrics_2/weighted_mean_absolute_error/"
    op = graph.get_operation_by_name
    assert [t.name for t in op(scope + "broadcast_weights").inputs] == [
        "dense_sample_weights:0",
        scope + "broadcast_weights/ones_like:0",
    ]
    assert op(scope + "broadcast_weights/assert_broadcastable/AssertGuard/Assert").type == "Assert"
    assert [t.name for t in op(scope + "Mul").inputs] == [
        scope + "Mean:0",
        scope + "broadcast_weights:0",
    ]
    assert [t.name for t in op(scope + "Sum").inputs][0] == scope + "Mul:0"
    assert [t.name for t in op(scope + "Sum_1").inputs][0] == scope + "broadcast_weights:0"
