"""More of slim's (tf.contrib's) metrics: streaming_false_positive_rate (default scope, a named one
with metrics_collections), streaming_false_negative_rate with weights, count with and without
weights (and updates_collections), cohen_kappa with and without weights, and the per-batch
accuracy with and without weights, over three batches, with TF's error for float labels. (The
reference ran tf_slim's metrics.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    metrics = tf.contrib.slim.metrics
    rng = np.random.RandomState(19)
    preds = rng.rand(3, 10) > 0.5
    labels = rng.rand(3, 10) > 0.4
    weights = rng.rand(3, 10).astype(np.float32)
    cls_a = rng.randint(0, 3, (3, 10))
    cls_b = np.where(rng.rand(3, 10) < 0.6, cls_a, rng.randint(0, 3, (3, 10)))
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.bool, [None])
        y = tf.placeholder(tf.bool, [None])
        w = tf.placeholder(tf.float32, [None])
        pairs = {
            "fpr": metrics.streaming_false_positive_rate(p, y),
            "fnr": metrics.streaming_false_negative_rate(p, y, weights=w),
            "fpr_named": metrics.streaming_false_positive_rate(
                p, y, name="my_fpr", metrics_collections=["m"]
            ),
            "count": metrics.count(w),
            "count_w": metrics.count(w, weights=w * 2.0, updates_collections=["u"]),
        }
        ci = tf.placeholder(tf.int64, [None])
        cj = tf.placeholder(tf.int64, [None])
        pairs["kappa"] = metrics.cohen_kappa(ci, cj, 3)
        pairs["kappa_w"] = metrics.cohen_kappa(ci[:, None], cj, 3, weights=w, name="kw")
        acc = metrics.accuracy(tf.cast(p, tf.int32), tf.cast(y, tf.int32))
        acc_w = metrics.accuracy(tf.cast(p, tf.int32), tf.cast(y, tf.int32), weights=w)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            first = sess.run({k: v[0] for k, v in pairs.items()})
            steps = []
            for i in range(3):
                fd = {p: preds[i], y: labels[i], w: weights[i], ci: cls_a[i], cj: cls_b[i]}
                up = sess.run({k: v[1] for k, v in pairs.items()}, fd)
                steps.append({k: float(v) for k, v in sorted(up.items())})
            final = sess.run({k: v[0] for k, v in pairs.items()})
            accs = sess.run([acc, acc_w], {p: preds[0], y: labels[0], w: weights[0]})
        try:
            metrics.accuracy(tf.constant([1.0]), tf.constant([1.0]))
        except ValueError as e:
            err = str(e)[:40]
        return {
            "first": {k: float(v) for k, v in sorted(first.items())},
            "steps": steps,
            "final": {k: float(v) for k, v in sorted(final.items())},
            "acc": [float(a) for a in accs],
            "names": {k: [v[0].name, v[1].name] for k, v in sorted(pairs.items())},
            "locals": sorted(v.op.name for v in tf.local_variables()),
            "colls": [
                [t.name for t in tf.get_collection("m")],
                [t.name for t in tf.get_collection("u")],
            ],
            "err": err,
        }


EXPECTED = {
    "first": {
        "count": 0.0,
        "count_w": 0.0,
        "fnr": 0.0,
        "fpr": 0.0,
        "fpr_named": 0.0,
        "kappa": 0.0,
        "kappa_w": 0.0,
    },
    "steps": [
        {
            "count": 10.0,
            "count_w": 12.05401611328125,
            "fnr": 0.5516629815101624,
            "fpr": 0.25,
            "fpr_named": 0.25,
            "kappa": 0.5384615384615384,
            "kappa_w": 0.6215898739602809,
        },
        {
            "count": 20.0,
            "count_w": 22.398300170898438,
            "fnr": 0.6632089018821716,
            "fpr": 0.3333333432674408,
            "fpr_named": 0.3333333432674408,
            "kappa": 0.6969696969696969,
            "kappa_w": 0.7820289485968024,
        },
        {
            "count": 30.0,
            "count_w": 32.24922180175781,
            "fnr": 0.4975104331970215,
            "fpr": 0.3636363744735718,
            "fpr_named": 0.3636363744735718,
            "kappa": 0.6974789915966386,
            "kappa_w": 0.7421243274950331,
        },
    ],
    "final": {
        "count": 30.0,
        "count_w": 32.24922180175781,
        "fnr": 0.4975104331970215,
        "fpr": 0.3636363744735718,
        "fpr_named": 0.3636363744735718,
        "kappa": 0.6974789915966386,
        "kappa_w": 0.7421243274950331,
    },
    "acc": [0.699999988079071, 0.6586802005767822],
    "names": {
        "count": ["count/Identity:0", "count/AssignAdd:0"],
        "count_w": ["count_1/Identity:0", "count_1/AssignAdd:0"],
        "fnr": ["false_negative_rate/value:0", "false_negative_rate/update_op:0"],
        "fpr": ["false_positive_rate/value:0", "false_positive_rate/update_op:0"],
        "fpr_named": ["my_fpr/value:0", "my_fpr/update_op:0"],
        "kappa": ["cohen_kappa/value:0", "cohen_kappa/update_op:0"],
        "kappa_w": ["kw/value:0", "kw/update_op:0"],
    },
    "locals": [
        "cohen_kappa/pe_col",
        "cohen_kappa/pe_row",
        "cohen_kappa/po",
        "count/count",
        "count_1/count",
        "false_negative_rate/false_negatives/count",
        "false_negative_rate/true_positives/count",
        "false_positive_rate/false_positives/count",
        "false_positive_rate/true_negatives/count",
        "kw/pe_col",
        "kw/pe_row",
        "kw/po",
        "my_fpr/false_positives/count",
        "my_fpr/true_negatives/count",
    ],
    "colls": [["my_fpr/value:0"], ["count_1/AssignAdd:0"]],
    "err": "Labels should have bool, integer, or str",
}


def test_slim_rate_metrics_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
