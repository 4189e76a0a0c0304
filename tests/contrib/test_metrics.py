"""Tests for scopeflow/contrib/metrics.py: ``tf.contrib.metrics``' streaming names take
``predictions`` first and build exactly ``tf.metrics``' graphs (names included), give its
values, and the contrib-only metrics name an alternative."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


PAIRS = [
    ("streaming_accuracy", "accuracy", ()),
    ("streaming_auc", "auc", (None, 11)),
    ("streaming_precision", "precision", ()),
    ("streaming_recall", "recall", ()),
    ("streaming_true_positives", "true_positives", ()),
    ("streaming_false_negatives", "false_negatives", ()),
    ("streaming_mean_iou", "mean_iou", (2,)),
    ("streaming_mean_squared_error", "mean_squared_error", ()),
    ("streaming_precision_at_thresholds", "precision_at_thresholds", ([0.3, 0.6],)),
    ("streaming_sensitivity_at_specificity", "sensitivity_at_specificity", (0.5,)),
]


def _ops(build):
    g = tf.Graph()
    with g.as_default():
        labels = tf.placeholder(tf.int64, [None], name="labels")
        scores = tf.placeholder(tf.float32, [None], name="scores")
        value, update = build(labels, scores)
        return [(op.name, op.type) for op in g.get_operations()], value.name, update.name


def _inputs(metric, labels, scores):
    if metric in ("auc", "precision_at_thresholds", "sensitivity_at_specificity"):
        return tf.cast(labels, tf.bool), scores
    if metric in ("mean_iou", "accuracy"):
        return labels, tf.cast(scores > 0.5, tf.int64)
    if metric == "mean_squared_error":
        return tf.cast(labels, tf.float32), scores
    return tf.cast(labels, tf.bool), scores > 0.5


@pytest.mark.parametrize(("contrib", "metric", "args"), PAIRS)
def test_streaming_names_build_tf_metrics_graphs(contrib, metric, args):
    def ours(labels, scores):
        truth, predicted = _inputs(metric, labels, scores)
        return getattr(tf.contrib.metrics, contrib)(predicted, truth, *args)

    def tfs(labels, scores):
        truth, predicted = _inputs(metric, labels, scores)
        return getattr(tf.metrics, metric)(truth, predicted, *args)

    assert _ops(ours) == _ops(tfs)


def test_streaming_recall_at_k_is_the_mean_of_in_top_k(graph):
    scores = tf.placeholder(tf.float32, [None, 3])
    labels = tf.placeholder(tf.int32, [None])
    value, update = tf.contrib.metrics.streaming_recall_at_k(scores, labels, 2)
    assert [v.name for v in tf.local_variables()] == ["recall_at_2/total:0", "recall_at_2/count:0"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update, {scores: [[0.1, 0.5, 0.4], [0.9, 0.0, 0.1]], labels: [0, 0]})
        assert sess.run(update, {scores: [[0.2, 0.3, 0.5]], labels: [1]}) == pytest.approx(2 / 3)


def test_top_k_ids_forms(graph):
    ids = tf.placeholder(tf.int64, [None, 2])
    labels = tf.placeholder(tf.int64, [None])
    precision, update_p = tf.contrib.metrics.streaming_sparse_precision_at_top_k(ids, labels)
    recall, update_r = tf.contrib.metrics.sparse_recall_at_top_k(labels, ids)
    average, update_a = tf.contrib.metrics.streaming_sparse_average_precision_at_top_k(ids, labels)
    # names and values as tf_slim's copy of tf.contrib.metrics gives them on TF 2.21
    names = [t.name for t in (precision, update_p, recall, update_r, average, update_a)]
    assert names == [
        *("precision_at_k:0", "precision_at_k/update:0", "recall_at_k:0", "recall_at_k/update:0"),
        *("average_precision_at_top_k/mean:0", "average_precision_at_top_k:0"),
    ]
    assert [v.name for v in tf.local_variables()] == [
        *("precision_at_k/true_positive_at_k:0", "precision_at_k/false_positive_at_k:0"),
        *("recall_at_k/true_positive_at_k:0", "recall_at_k/false_negative_at_k:0"),
        *("average_precision_at_top_k/max:0", "average_precision_at_top_k/total:0"),
    ]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        feed = {ids: [[2, 0], [1, 3]], labels: [0, 2]}
        values = sess.run([update_p, update_r, update_a], feed)
    np.testing.assert_allclose(values, [0.25, 0.5, 0.25])


def test_aggregate_metrics(graph):
    x = tf.placeholder(tf.float32, [None])
    mean, below = tf.metrics.mean(x), tf.metrics.percentage_below(x, 1.0)
    values, updates = tf.contrib.metrics.aggregate_metrics(mean, below)
    assert values == [mean[0], below[0]] and updates == [mean[1], below[1]]
    with pytest.raises(ValueError, match="Expected at least one value_tensor/update_op pair"):
        tf.contrib.metrics.aggregate_metrics()


def test_contrib_only_metrics_name_an_alternative():
    with pytest.raises(NotImplementedError, match="auc_with_confidence_intervals.*tf.metrics"):
        tf.contrib.metrics.auc_with_confidence_intervals  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        tf.contrib.metrics.nonsense  # noqa: B018


def test_streaming_covariance_and_pearson_merge_batches(run):
    # the values TF 2.21's (tf_slim's) metrics give over these two batches
    p = tf.placeholder(tf.float32, [None])
    lab = tf.placeholder(tf.float32, [None])
    cov, cov_up = tf.contrib.metrics.streaming_covariance(p, lab)
    r, r_up = tf.contrib.metrics.streaming_pearson_correlation(p, lab, weights=[1.0, 2.0])
    run(tf.local_variables_initializer())
    assert np.isnan(run(cov))
    first = run([cov_up, r_up], {p: [1.0, 2.0], lab: [1.0, 3.0]})
    second = run([cov_up, r_up], {p: [4.0, 0.0], lab: [3.0, 1.0]})
    np.testing.assert_allclose(first, [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(second, [1.6666666, 0.84270084], rtol=1e-6)
    assert cov.name == "covariance/covariance:0" and r.name == "pearson_r/pearson_r:0"
