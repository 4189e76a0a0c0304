"""slim's (tf.contrib's) threshold metrics: streaming_false_positive_rate_at_thresholds,
streaming_false_negative_rate_at_thresholds with weights, recall_at_precision (nearest and
strict), precision_at_recall with weights, f1_score (plain and weighted) and
streaming_curve_points (ROC, and PR with weights), updated over three batches; values, names,
local variables and TF's errors. (The reference ran tf_slim's metrics.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    metrics = tf.contrib.slim.metrics
    rng = np.random.RandomState(29)
    scores = rng.rand(3, 12).astype(np.float32)
    labels = (rng.rand(3, 12) < scores).astype(np.int64)
    weights = rng.rand(3, 12).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float32, [None])
        y = tf.placeholder(tf.int64, [None])
        w = tf.placeholder(tf.float32, [None])
        pairs = {
            "fpr": metrics.streaming_false_positive_rate_at_thresholds(p, y, [0.2, 0.5, 0.8]),
            "fnr": metrics.streaming_false_negative_rate_at_thresholds(p, y, [0.3, 0.6], weights=w),
            "rap": metrics.recall_at_precision(y, p, 0.7, num_thresholds=20),
            "rap_strict": metrics.recall_at_precision(
                y, p, 0.9, num_thresholds=20, strict_mode=True, name="strict"
            ),
            "par": metrics.precision_at_recall(y, p, 0.6, weights=w, num_thresholds=50),
            "f1": metrics.f1_score(y, p, num_thresholds=30),
            "f1_w": metrics.f1_score(y, p, weights=w, num_thresholds=10, name="fw"),
        }
        roc, roc_up = metrics.streaming_curve_points(y, p, num_thresholds=5)
        pr, pr_up = metrics.streaming_curve_points(y, p, weights=w, num_thresholds=4, curve="PR")
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            steps = []
            for i in range(3):
                up = sess.run(
                    {k: v[1] for k, v in pairs.items()}, {p: scores[i], y: labels[i], w: weights[i]}
                )
                steps.append({k: np.asarray(v).ravel().tolist() for k, v in sorted(up.items())})
                sess.run([roc_up, pr_up], {p: scores[i], y: labels[i], w: weights[i]})
            final = sess.run({k: v[0] for k, v in pairs.items()})
            curves = sess.run([roc, pr])
        out = {
            "steps": steps,
            "final": {k: np.asarray(v).ravel().tolist() for k, v in sorted(final.items())},
            "names": {k: [v[0].name, v[1].name] for k, v in sorted(pairs.items())},
            "locals": sorted(v.op.name for v in tf.local_variables()),
            "curves": [c.tolist() for c in curves],
            "curve_names": [roc.name, roc_up.name, pr.name],
        }
    try:
        with tf.Graph().as_default():
            metrics.streaming_curve_points(tf.constant([1]), tf.constant([0.5]), curve="XY")
    except ValueError as e:
        out["curve"] = str(e)
    for bad in ("rap", "par"):
        try:
            with tf.Graph().as_default():
                if bad == "rap":
                    metrics.recall_at_precision(tf.constant([1]), tf.constant([0.5]), 1.5)
                else:
                    metrics.precision_at_recall(tf.constant([1]), tf.constant([0.5]), -0.1)
        except ValueError as e:
            out[bad] = str(e)
    return out


EXPECTED = {
    "steps": [
        {
            "f1": [0.7999999523162842],
            "f1_w": [0.8250112533569336],
            "fnr": [0.0, 0.0],
            "fpr": [0.875, 0.5, 0.125],
            "par": [0.9983140826225281],
            "rap": [0.75],
            "rap_strict": [0.0],
        },
        {
            "f1": [0.7272726893424988],
            "f1_w": [0.6973910927772522],
            "fnr": [0.22411735355854034, 0.22411735355854034],
            "fpr": [0.800000011920929, 0.46666666865348816, 0.20000000298023224],
            "par": [0.7404049038887024],
            "rap": [0.6666666865348816],
            "rap_strict": [0.0],
        },
        {
            "f1": [0.7727271914482117],
            "f1_w": [0.7681315541267395],
            "fnr": [0.10290157049894333, 0.31168133020401],
            "fpr": [0.7222222089767456, 0.3888888955116272, 0.1666666716337204],
            "par": [0.753333568572998],
            "rap": [0.7777777910232544],
            "rap_strict": [0.0],
        },
    ],
    "final": {
        "f1": [0.7727271914482117],
        "f1_w": [0.7681315541267395],
        "fnr": [0.10290157049894333, 0.31168133020401],
        "fpr": [0.7222222089767456, 0.3888888955116272, 0.1666666716337204],
        "par": [0.753333568572998],
        "rap": [0.7777777910232544],
        "rap_strict": [0.0],
    },
    "names": {
        "f1": ["f1/Max:0", "f1/Max_1:0"],
        "f1_w": ["fw/Max:0", "fw/Max_1:0"],
        "fnr": [
            "false_negative_rate_at_thresholds/fnr_value:0",
            "false_negative_rate_at_thresholds/fnr_update_op:0",
        ],
        "fpr": [
            "false_positive_rate_at_thresholds/fpr_value:0",
            "false_positive_rate_at_thresholds/fpr_update_op:0",
        ],
        "par": ["precision_at_recall/value:0", "precision_at_recall/update_op:0"],
        "rap": ["recall_at_precision/value:0", "recall_at_precision/update_op:0"],
        "rap_strict": ["strict/cond/Merge:0", "strict/cond_1/Merge:0"],
    },
    "locals": [
        "curve_points/false_negatives",
        "curve_points/false_positives",
        "curve_points/true_negatives",
        "curve_points/true_positives",
        "curve_points_1/false_negatives",
        "curve_points_1/false_positives",
        "curve_points_1/true_negatives",
        "curve_points_1/true_positives",
        "f1/false_negatives",
        "f1/false_positives",
        "f1/true_positives",
        "false_negative_rate_at_thresholds/false_negatives",
        "false_negative_rate_at_thresholds/true_positives",
        "false_positive_rate_at_thresholds/false_positives",
        "false_positive_rate_at_thresholds/true_negatives",
        "fw/false_negatives",
        "fw/false_positives",
        "fw/true_positives",
        "precision_at_recall/false_negatives",
        "precision_at_recall/false_positives",
        "precision_at_recall/true_negatives",
        "precision_at_recall/true_positives",
        "recall_at_precision/false_negatives",
        "recall_at_precision/false_positives",
        "recall_at_precision/true_negatives",
        "recall_at_precision/true_positives",
        "strict/false_negatives",
        "strict/false_positives",
        "strict/true_negatives",
        "strict/true_positives",
    ],
    "curves": [
        [
            [0.9999998807907104, 1.0],
            [0.666666567325592, 1.0],
            [0.3888888359069824, 0.7777777314186096],
            [0.166666641831398, 0.3888888955116272],
            [0.0, 5.55555494941018e-08],
        ],
        [
            [1.0, 0.5100915431976318],
            [0.8970984220504761, 0.6715847253799438],
            [0.4702833294868469, 0.6951323747634888],
            [1.055061744636987e-07, 1.0],
        ],
    ],
    "curve_names": [
        "curve_points/stack_1:0",
        "curve_points/group_deps",
        "curve_points_1/stack_1:0",
    ],
    "curve": "curve must be either ROC or PR, XY unknown",
    "rap": "`precision` must be in the range [0, 1].",
    "par": "`target_recall` must be in the range [0, 1].",
}


def test_slim_threshold_metrics_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
