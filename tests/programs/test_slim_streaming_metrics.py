"""A slim evaluation loop's streaming metrics: aggregate_metric_map over streaming_accuracy,
streaming_auc, streaming_root_mean_squared_error, streaming_pearson_correlation (plain and
weighted), streaming_covariance with weights, streaming_mean_iou,
streaming_sparse_recall_at_k and streaming_mean, updated over three batches. (The reference ran
tf_slim's metrics, TF 1.15's code.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    slim = tf.contrib.slim
    rng = np.random.RandomState(13)
    preds = rng.rand(3, 8, 4).astype(np.float32)
    labels = rng.randint(0, 4, (3, 8)).astype(np.int64)
    vals = rng.rand(3, 8).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.int64, [None])
        v = tf.placeholder(tf.float32, [None])
        cls = tf.argmax(p, 1)
        names_to_values, names_to_updates = slim.metrics.aggregate_metric_map(
            {
                "acc": slim.metrics.streaming_accuracy(cls, y),
                "auc": slim.metrics.streaming_auc(p[:, 1], tf.equal(y, 1)),
                "rmse": slim.metrics.streaming_root_mean_squared_error(v, p[:, 0]),
                "pearson": slim.metrics.streaming_pearson_correlation(v, p[:, 2]),
                "miou": slim.metrics.streaming_mean_iou(cls, y, 4),
                "recall5": slim.metrics.streaming_sparse_recall_at_k(p, y, 2),
                "mean": slim.metrics.streaming_mean(v),
                "cov_w": slim.metrics.streaming_covariance(v, p[:, 3], weights=p[:, 1]),
                "pearson_w": slim.metrics.streaming_pearson_correlation(
                    p[:, 0], v, weights=tf.ones_like(v) * 2.0, name="pw"
                ),
            }
        )
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            keys = sorted(names_to_updates)
            steps = []
            for i in range(3):
                up = sess.run(
                    [names_to_updates[k] for k in keys], {p: preds[i], y: labels[i], v: vals[i]}
                )
                steps.append([float(np.asarray(u).ravel()[0]) for u in up])
            got = sess.run(names_to_values)
        return {
            "values": {k: float(np.asarray(val)) for k, val in sorted(got.items())},
            "steps": steps,
            "locals": sorted(x.op.name for x in tf.local_variables()),
            "names": sorted(t.name for t in names_to_values.values()),
        }


EXPECTED = {
    "values": {
        "acc": 0.25,
        "auc": 0.6018518805503845,
        "cov_w": -0.03928867727518082,
        "mean": 0.41143861413002014,
        "miou": 0.1259920597076416,
        "pearson": -0.08189261704683304,
        "pearson_w": 0.13791823387145996,
        "recall5": 0.5416666666666666,
        "rmse": 0.4463173747062683,
    },
    "steps": [
        [
            0.25,
            0.583333432674408,
            -0.014467398636043072,
            0.23288893699645996,
            0.0,
            -0.5222461819648743,
            0.16617770493030548,
            0.5,
            0.4715631604194641,
        ],
        [
            0.3125,
            0.5625001192092896,
            -0.030392544344067574,
            0.3882475197315216,
            0.0,
            -0.08452446013689041,
            -0.09725422412157059,
            0.5,
            0.4664650857448578,
        ],
        [
            0.25,
            0.6018518805503845,
            -0.03928867727518082,
            0.41143861413002014,
            0.0,
            -0.08189261704683304,
            0.13791823387145996,
            0.5416666666666666,
            0.4463173747062683,
        ],
    ],
    "locals": [
        "accuracy/count",
        "accuracy/total",
        "auc/false_negatives",
        "auc/false_positives",
        "auc/true_negatives",
        "auc/true_positives",
        "covariance/comoment",
        "covariance/count",
        "covariance/mean_label",
        "covariance/mean_prediction",
        "mean/count",
        "mean/total",
        "mean_iou/total_confusion_matrix",
        "pearson_r/covariance/comoment",
        "pearson_r/covariance/count",
        "pearson_r/covariance/mean_label",
        "pearson_r/covariance/mean_prediction",
        "pearson_r/variance_labels/comoment",
        "pearson_r/variance_labels/count",
        "pearson_r/variance_labels/mean_label",
        "pearson_r/variance_labels/mean_prediction",
        "pearson_r/variance_predictions/comoment",
        "pearson_r/variance_predictions/count",
        "pearson_r/variance_predictions/mean_label",
        "pearson_r/variance_predictions/mean_prediction",
        "pw/covariance/comoment",
        "pw/covariance/count",
        "pw/covariance/mean_label",
        "pw/covariance/mean_prediction",
        "pw/variance_labels/comoment",
        "pw/variance_labels/count",
        "pw/variance_labels/mean_label",
        "pw/variance_labels/mean_prediction",
        "pw/variance_predictions/comoment",
        "pw/variance_predictions/count",
        "pw/variance_predictions/mean_label",
        "pw/variance_predictions/mean_prediction",
        "recall_at_2/false_negative_at_2",
        "recall_at_2/true_positive_at_2",
        "root_mean_squared_error/count",
        "root_mean_squared_error/total",
    ],
    "names": [
        "Sqrt:0",
        "accuracy/value:0",
        "auc/value:0",
        "covariance/covariance:0",
        "mean/value:0",
        "mean_iou/Select_1:0",
        "pearson_r/pearson_r:0",
        "pw/pearson_r:0",
        "recall_at_2:0",
    ],
}


def test_slim_streaming_metrics_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
