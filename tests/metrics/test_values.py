"""Tests for scopeflow/metrics/: the values tf.metrics give over several batches (each update
op's result, then the value read after it) and after ``tf.local_variables_initializer()``
resets them equal TensorFlow's, recorded in ``tests/data/metrics/values.json`` by
``tests/data/metrics/make_values.py``; and an evaluation loop streaming over batches gives
the metric over all the data."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf

VALUES = pathlib.Path(__file__).resolve().parents[1] / "data" / "metrics" / "values.json"
CASES = json.loads(VALUES.read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["expr"] for c in CASES])
def test_values_over_batches_equal_tfs(graph, case):
    holders = {n: tf.placeholder(d, s, name=n) for n, (d, s, *_) in case["feeds"].items()}
    value, update = eval(case["expr"], {"tf": tf, **holders})
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for batch, want_update, want_value in zip(
            case["batches"], case["updates"], case["values"], strict=True
        ):
            feed = {holders[n]: v for n, v in batch.items()}
            np.testing.assert_allclose(sess.run(update, feed), want_update, rtol=2e-6, atol=1e-7)
            np.testing.assert_allclose(sess.run(value), want_value, rtol=2e-6, atol=1e-7)
        sess.run(tf.local_variables_initializer())
        feed = {holders[n]: v for n, v in case["batches"][0].items()}
        np.testing.assert_allclose(sess.run(update, feed), case["after_reset"], rtol=2e-6)


def _classifier_metrics(num_classes):
    """run_classifier's metric_fn: accuracy and mean loss weighted by is_real_example, plus
    AUC of class 1 and mean IoU, over logits fed batch by batch."""
    logits = tf.placeholder(tf.float32, [None, num_classes], name="logits")
    label_ids = tf.placeholder(tf.int32, [None], name="label_ids")
    is_real = tf.placeholder(tf.float32, [None], name="is_real_example")
    per_example_loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=label_ids, logits=logits
    )
    predictions = tf.argmax(logits, axis=-1, output_type=tf.int32)
    metrics = {
        "eval_accuracy": tf.metrics.accuracy(label_ids, predictions, weights=is_real),
        "eval_loss": tf.metrics.mean(per_example_loss, weights=is_real),
        "auc": tf.metrics.auc(tf.equal(label_ids, 1), tf.nn.softmax(logits)[:, 1]),
        "mean_iou": tf.metrics.mean_iou(label_ids, predictions, num_classes),
    }
    return (logits, label_ids, is_real), metrics


def test_streaming_evaluation_equals_the_metrics_over_all_data(graph):
    rng = np.random.default_rng(7)
    n, num_classes, batch = 37, 3, 8
    data = (
        rng.standard_normal((n, num_classes)).astype(np.float32),
        rng.integers(0, num_classes, n).astype(np.int32),
        (np.arange(n) < 33).astype(np.float32),  # the padded tail is not real, as in TPU eval
    )
    holders, metrics = _classifier_metrics(num_classes)
    values = {k: v[0] for k, v in metrics.items()}
    updates = {k: v[1] for k, v in metrics.items()}
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for start in range(0, n, batch):
            sess.run(
                updates, dict(zip(holders, [d[start : start + batch] for d in data], strict=True))
            )
        streamed = sess.run(values)
        sess.run(tf.local_variables_initializer())  # a second evaluation starts from zero
        sess.run(updates, dict(zip(holders, data, strict=True)))
        at_once = sess.run(values)
    for key in values:
        np.testing.assert_allclose(streamed[key], at_once[key], rtol=1e-5, err_msg=key)
    logits, labels, real = data
    hits = (logits.argmax(-1) == labels) * real
    np.testing.assert_allclose(streamed["eval_accuracy"], hits.sum() / real.sum(), rtol=1e-6)


def test_weights_not_broadcastable_fail_when_run(graph):
    x = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    _, update = tf.metrics.mean(x, weights=w)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(update, {x: [1.0, 3.0], w: [1.0, 0.0]}) == 1.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="weights can not be broadcast"):
            sess.run(update, {x: [1.0, 2.0], w: [1.0, 1.0, 1.0]})
        # the failed run changed nothing
        assert sess.run(update, {x: [5.0], w: [1.0]}) == 3.0


def test_probabilities_outside_0_1_fail_when_run(graph):
    labels = tf.placeholder(tf.bool, [None])
    probabilities = tf.placeholder(tf.float64, [None])
    _, update = tf.metrics.auc(labels, probabilities)
    float32 = tf.placeholder(tf.float32, [None])
    _, unchecked = tf.metrics.auc(labels, float32)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        # as in TF1: the range check hangs on the cast to float32, which float32 input skips
        assert sess.run(unchecked, {labels: [True], float32: [1.5]}) == 0.0
        with pytest.raises(
            tf.errors.InvalidArgumentError, match=r"predictions must be in \[0, 1\]"
        ):
            sess.run(update, {labels: [True], probabilities: [1.5]})


def test_class_ids_out_of_range_fail_when_run(graph):
    labels = tf.placeholder(tf.int64, [None])
    _, update = tf.metrics.mean_iou(labels, labels, 3)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="`labels` out of bound"):
            sess.run(update, {labels: [0, 3]})


def test_uninitialized_metric_variables_name_the_fix(graph):
    _, update = tf.metrics.accuracy([1, 2], [1, 0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())  # does not initialize local variables
        with pytest.raises(tf.errors.FailedPreconditionError, match="accuracy/"):
            sess.run(update)


def test_checkpoints_leave_metric_variables_out(graph, tmp_path):
    # The eval workflow: restore trained weights, reset the metrics, stream the eval set.
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.placeholder(tf.int64, [None])
    w = tf.get_variable("w", initializer=[[1.0, -1.0], [0.5, 2.0]])
    accuracy, update = tf.metrics.accuracy(y, tf.argmax(tf.matmul(x, w), -1))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model"))
    assert [name for name, _ in tf.train.list_variables(path)] == ["w"]
    with tf.Session() as sess:
        saver.restore(sess, path)
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [
            b"accuracy/total",
            b"accuracy/count",
        ]
        sess.run(tf.local_variables_initializer())
        sess.run(update, {x: [[1.0, 0.0], [0.0, 1.0]], y: [0, 1]})
        assert sess.run(accuracy) == 1.0
