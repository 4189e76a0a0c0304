"""Tests for scopeflow/metrics/: every tf.metrics function (and tf.confusion_matrix) builds
TF1's graph, op by op (its local variables, the ops updating and reading them, the value and
update tensors, their names, dtypes and shapes), and raises TF1's errors while building.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/metrics.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/metrics.py``; ``DIFFERENCES`` lists where scopeflow differs.
"""

from __future__ import annotations

import re

import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("metrics")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails

BUILDS = [(group, expr) for group in GROUPS if group != "ERRORS" for expr in GROUPS[group]]


@pytest.mark.parametrize(("group", "expr"), BUILDS)
def test_builds_tf1s_graph(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def test_variables_are_local_metric_variables_not_trainable(graph):
    labels = tf.placeholder(tf.bool, [None])
    probabilities = tf.placeholder(tf.float32, [None])
    tf.metrics.accuracy(labels, labels)
    tf.metrics.auc(labels, probabilities)
    names = [
        "accuracy/total:0",
        "accuracy/count:0",
        "auc/true_positives:0",
        "auc/false_negatives:0",
        "auc/true_negatives:0",
        "auc/false_positives:0",
    ]
    assert [v.name for v in tf.local_variables()] == names
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == tf.local_variables()
    assert tf.global_variables() == [] and tf.trainable_variables() == []


def test_collections_receive_value_and_update(graph):
    x = tf.placeholder(tf.float32, [None])
    value, update = tf.metrics.mean(x, metrics_collections=["m"], updates_collections=["u"])
    assert tf.get_collection("m") == [value] and tf.get_collection("u") == [update]
    value, update = tf.metrics.precision(x > 0, x > 1, metrics_collections=["m"])
    assert tf.get_collection("m")[-1] is value and tf.get_collection("u") != [update]


def test_a_failed_metric_leaves_no_variable_behind(graph):
    x = tf.placeholder(tf.float32, [4])
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        tf.metrics.mean(x, weights=tf.ones([3]))
    assert tf.local_variables() == []
    assert tf.metrics.mean(x)[0].name == "mean/value:0"  # the failed one took no name


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            "tf.metrics.accuracy(l4, tf.zeros([3], tf.int64))",
            "Shapes (3,) and (4,) are incompatible: tf.metrics.accuracy's predictions and labels",
        ),
        (
            "tf.metrics.precision(truth, tf.zeros([3], tf.bool))",
            "tf.metrics.precision's predictions and labels must have one shape",
        ),
        (
            "tf.metrics.auc(truth, tf.zeros([3]))",
            "Shapes (3,) and (4,) are incompatible: tf.metrics.auc's predictions and labels",
        ),
        (
            "tf.metrics.recall_at_thresholds(truth, tf.zeros([3]), [0.5])",
            "tf.metrics.recall_at_thresholds's predictions and labels",
        ),
        (
            "tf.metrics.mean_iou(l4, tf.zeros([3], tf.int64), 3)",
            "tf.metrics.mean_iou's predictions and labels",
        ),
        (
            "tf.metrics.mean(v23, weights=tf.ones([3, 3]))",
            "Mismatch at dim 0. values.shape=[2 3], weights.shape=[3 3].",
        ),
    ],
)
def test_shape_errors_name_the_metric_and_shapes(graph, env, expr, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        eval(expr, env)


def test_names_under_enclosing_scopes_are_tf1s(graph):
    # As TF 2.21 names them (read from tensorflow.compat.v1), the re-entered "vs_1" included
    x = tf.placeholder(tf.int64, [None])
    with tf.name_scope("eval"):
        a = tf.metrics.accuracy(x, x)
    with tf.variable_scope("vs"):
        b = tf.metrics.auc(tf.cast(x, tf.bool), tf.cast(x, tf.float32))
    with tf.variable_scope("vs", reuse=True):
        c = tf.metrics.mean(tf.cast(x, tf.float32))
    with tf.name_scope("p"):
        d = tf.metrics.precision_at_k(x, tf.ones([2, 3]), 1)
    assert [v.name for v in tf.local_variables()] == [
        *("eval/accuracy/total:0", "eval/accuracy/count:0"),
        *("vs/auc/true_positives:0", "vs/auc/false_negatives:0"),
        *("vs/auc/true_negatives:0", "vs/auc/false_positives:0"),
        *("vs_1/mean/total:0", "vs_1/mean/count:0"),
        *("p/precision_at_1/true_positive_at_1:0", "p/precision_at_1/false_positive_at_1:0"),
    ]
    assert [t.name for t in a + b + c + d] == [
        *("eval/accuracy/value:0", "eval/accuracy/update_op:0"),
        *("vs/auc/value:0", "vs/auc/update_op:0", "vs_1/mean/value:0", "vs_1/mean/update_op:0"),
        *("p/precision_at_1:0", "p/precision_at_1/update:0"),
    ]
