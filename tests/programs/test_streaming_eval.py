"""A streaming evaluation loop as TF1 eval scripts ran it: a tf.data iterator of batches run
until OutOfRangeError, every update op of many tf.metrics (weighted accuracy, precision and
recall, at thresholds, true/false counts, AUC in ROC and PR forms with each summation method,
sensitivity_at_specificity, specificity_at_sensitivity, mean_iou, mean_per_class_accuracy,
regression errors, mean_cosine_distance, percentage_below, mean_tensor, average_precision_at_k,
recall_at_top_k) grouped and run per batch, the values read once at the end, then the metric
local variables reset by a variables_initializer over the METRIC_VARIABLES collection and a
second pass over half of the data.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np
import pytest

import scopeflow as tf
from tests.programs.compare import close


def _metrics(tf, labels, probs, weights, target, guess):
    m = tf.metrics
    pred = tf.argmax(probs, 1)
    pos = tf.equal(labels, 1)
    p1 = probs[:, 1]
    return {
        "accuracy": m.accuracy(labels, pred, weights=weights),
        "precision": m.precision(pos, tf.equal(pred, 1)),
        "recall": m.recall(pos, tf.equal(pred, 1), weights=weights),
        "p_thr": m.precision_at_thresholds(pos, p1, [0.2, 0.5, 0.8]),
        "r_thr": m.recall_at_thresholds(pos, p1, [0.2, 0.5, 0.8]),
        "tp_thr": m.true_positives_at_thresholds(pos, p1, [0.3, 0.6]),
        "fn": m.false_negatives(pos, tf.equal(pred, 1)),
        "fp": m.false_positives(pos, tf.equal(pred, 1)),
        "tn": m.true_negatives(pos, tf.equal(pred, 1)),
        "auc": m.auc(pos, p1, num_thresholds=20),
        "auc_pr": m.auc(
            pos, p1, num_thresholds=20, curve="PR", summation_method="careful_interpolation"
        ),
        "auc_min": m.auc(pos, p1, num_thresholds=20, summation_method="minoring"),
        "sens": m.sensitivity_at_specificity(pos, p1, 0.6, num_thresholds=20),
        "spec": m.specificity_at_sensitivity(pos, p1, 0.7, num_thresholds=20),
        "iou": m.mean_iou(labels, pred, 3),
        "pca": m.mean_per_class_accuracy(labels, pred, 3, weights=weights),
        "mae": m.mean_absolute_error(target, guess),
        "mse": m.mean_squared_error(target, guess, weights=weights[:, None]),
        "rel": m.mean_relative_error(target, guess, normalizer=target + 2.0),
        "cos": m.mean_cosine_distance(
            tf.nn.l2_normalize(target, 1), tf.nn.l2_normalize(guess, 1), dim=1
        ),
        "below": m.percentage_below(guess, 0.5),
        "mean_t": m.mean_tensor(tf.reduce_mean(guess, 0)),
        "ap_at_2": m.average_precision_at_k(labels, probs, 2),
        "r_top_2": m.recall_at_top_k(labels, tf.nn.top_k(probs, 2).indices),
    }


def program(tf, workdir):
    rng = np.random.RandomState(77)
    n = 24
    labels = rng.randint(0, 3, n).astype(np.int64)
    logits = rng.randn(n, 3).astype(np.float32) + np.eye(3, dtype=np.float32)[labels]
    weights = rng.choice([0.5, 1.0, 2.0], n).astype(np.float32)
    target = rng.rand(n, 2).astype(np.float32)
    guess = (target + 0.3 * rng.randn(n, 2)).astype(np.float32)
    out = {}
    g = tf.Graph()
    with g.as_default():
        batch_size = tf.placeholder(tf.int64, [], name="batch_size")
        take = tf.placeholder(tf.int64, [], name="take")
        ds = tf.data.Dataset.from_tensor_slices((labels, logits, weights, target, guess))
        it = ds.take(take).batch(batch_size).make_initializable_iterator()
        lab, lo, w, t, gu = it.get_next()
        with tf.variable_scope("eval_metrics"):
            metrics = _metrics(tf, lab, tf.nn.softmax(lo), w, t, gu)
        values = {k: v[0] for k, v in metrics.items()}
        update = tf.group(*[v[1] for v in metrics.values()], name="update_all")
        reset = tf.variables_initializer(
            tf.get_collection(tf.GraphKeys.METRIC_VARIABLES, scope="eval_metrics"), name="reset"
        )
        out["local"] = [[v.op.name, v.shape.as_list()] for v in tf.local_variables()][:12]
        out["n_local"] = len(tf.local_variables())
        out["names"] = {k: [v[0].name, v[1].name] for k, v in sorted(metrics.items())[:6]}
        with tf.Session() as sess:
            for size, count in [(5, n), (4, n // 2)]:
                sess.run([reset, it.initializer], {batch_size: size, take: count})
                batches = 0
                while True:
                    try:
                        sess.run(update)
                        batches += 1
                    except tf.errors.OutOfRangeError:
                        break
                got = sess.run(values)
                out[f"pass_{size}"] = [batches] + [
                    np.round(np.asarray(got[k], np.float64), 5).tolist() for k in sorted(got)
                ]
    return out


EXPECTED = {
    "local": [
        ["eval_metrics/accuracy/total", []],
        ["eval_metrics/accuracy/count", []],
        ["eval_metrics/precision/true_positives/count", []],
        ["eval_metrics/precision/false_positives/count", []],
        ["eval_metrics/recall/true_positives/count", []],
        ["eval_metrics/recall/false_negatives/count", []],
        ["eval_metrics/precision_at_thresholds/true_positives", [3]],
        ["eval_metrics/precision_at_thresholds/false_positives", [3]],
        ["eval_metrics/recall_at_thresholds/true_positives", [3]],
        ["eval_metrics/recall_at_thresholds/false_negatives", [3]],
        ["eval_metrics/true_positives/true_positives", [2]],
        ["eval_metrics/false_negatives/count", []],
    ],
    "n_local": 53,
    "names": {
        "accuracy": ["eval_metrics/accuracy/value:0", "eval_metrics/accuracy/update_op:0"],
        "ap_at_2": [
            "eval_metrics/average_precision_at_2/mean:0",
            "eval_metrics/average_precision_at_2:0",
        ],
        "auc": ["eval_metrics/auc/value:0", "eval_metrics/auc/update_op:0"],
        "auc_min": ["eval_metrics/auc_2/value:0", "eval_metrics/auc_2/update_op:0"],
        "auc_pr": [
            "eval_metrics/auc_1/interpolate_pr_auc:0",
            "eval_metrics/auc_1/interpolate_pr_auc_1:0",
        ],
        "below": [
            "eval_metrics/percentage_below_threshold/value:0",
            "eval_metrics/percentage_below_threshold/update_op:0",
        ],
    },
    "pass_5": [
        5,
        0.56452,
        0.75,
        0.81641,
        0.8125,
        0.55025,
        0.47917,
        0.09341,
        1.0,
        4.0,
        0.44293,
        0.23361,
        [0.55247, 0.5146],
        0.08863,
        [0.53333, 0.625, 0.5],
        0.58078,
        0.63636,
        [1.0, 0.625, 0.25],
        0.875,
        0.88235,
        0.09573,
        1.0,
        0.75,
        12.0,
        [7.0, 3.0],
    ],
    "pass_4": [
        3,
        0.48276,
        0.70833,
        0.85185,
        0.85185,
        0.48503,
        0.54167,
        0.0858,
        0.0,
        2.0,
        0.40952,
        0.23923,
        [0.5348, 0.46705],
        0.07862,
        [0.5, 0.5, 0.5],
        0.57407,
        0.6,
        [1.0, 0.66667, 0.33333],
        0.83333,
        1.0,
        0.09806,
        1.0,
        0.88889,
        7.0,
        [3.0, 1.0],
    ],
}


def test_streaming_eval_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)


def test_mean_tensor_of_a_partial_shape_fails_as_in_tensorflow():
    with tf.Graph().as_default():
        values = tf.placeholder(tf.float32, [None, 2])
        with pytest.raises(ValueError, match=r"partially known TensorShape \(\?, 2\) to a Tensor"):
            tf.metrics.mean_tensor(values)
        with pytest.raises(ValueError, match=r"partially known TensorShape \(\?, 2\) to a Tensor"):
            tf.ones(values.shape)
        with pytest.raises(TypeError, match="Expected int32, but got None"):
            tf.zeros([None, 2])
