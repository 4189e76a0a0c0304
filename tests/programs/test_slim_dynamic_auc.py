"""slim's (tf.contrib's) streaming_dynamic_auc: the exact ROC and PR areas of every prediction so
far (with tied scores), weighted and not, after each of three batches, the label check's
error, names, local variables and updates_collections. (The reference ran tf_slim's metrics.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    metrics = tf.contrib.slim.metrics
    rng = np.random.RandomState(47)
    scores = np.round(rng.rand(3, 8), 1).astype(np.float32)
    labels = (rng.rand(3, 8) < scores).astype(np.int64)
    weights = rng.rand(3, 8).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float32, [None])
        y = tf.placeholder(tf.int64, [None])
        w = tf.placeholder(tf.float32, [None])
        pairs = {
            "roc": metrics.streaming_dynamic_auc(y, p),
            "pr": metrics.streaming_dynamic_auc(y, p, curve="PR", name="pr"),
            "roc_w": metrics.streaming_dynamic_auc(y, p, weights=w, updates_collections=["u"]),
        }
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            steps = []
            for i in range(3):
                fd = {p: scores[i], y: labels[i], w: weights[i]}
                sess.run([v[1] for v in pairs.values()], fd)
                # the values wait on the label checks, so they need the feeds too (as in TF)
                values = sess.run({k: v[0] for k, v in pairs.items()}, fd)
                steps.append({k: float(v) for k, v in sorted(values.items())})
            try:
                sess.run(pairs["roc"][1], {p: [0.5], y: [2], w: [1.0]})
                bad = "ran"
            except tf.errors.InvalidArgumentError as e:
                bad = [ln for ln in e.message.splitlines() if "labels must be" in ln][0][:60]
        return {
            "steps": steps,
            "bad": bad,
            "names": {k: [v[0].name, v[1].name] for k, v in sorted(pairs.items())},
            "locals": sorted(v.op.name for v in tf.local_variables()),
            "u": [op.name for op in tf.get_collection("u")],
        }


EXPECTED = {
    "steps": [
        {"pr": 0.9880952380952381, "roc": 0.9583333333333334, "roc_w": 0.9221580038414948},
        {"pr": 0.9737654320987654, "roc": 0.9603174603174603, "roc_w": 0.9794026399505711},
        {"pr": 0.972285067873303, "roc": 0.9615384615384615, "roc_w": 0.9836475016599697},
    ],
    "bad": "assertion failed: [labels must be 0 or 1, at least one is >1",
    "names": {
        "pr": ["pr/cond/Merge:0", "pr/group_deps"],
        "roc": ["dynamic_auc/cond/Merge:0", "dynamic_auc/group_deps"],
        "roc_w": ["dynamic_auc_1/cond/Merge:0", "dynamic_auc_1/group_deps"],
    },
    "locals": [
        "dynamic_auc/concat_labels/array",
        "dynamic_auc/concat_labels/size",
        "dynamic_auc/concat_preds/array",
        "dynamic_auc/concat_preds/size",
        "dynamic_auc_1/concat_labels/array",
        "dynamic_auc_1/concat_labels/size",
        "dynamic_auc_1/concat_preds/array",
        "dynamic_auc_1/concat_preds/size",
        "dynamic_auc_1/concat_weights/array",
        "dynamic_auc_1/concat_weights/size",
        "pr/concat_labels/array",
        "pr/concat_labels/size",
        "pr/concat_preds/array",
        "pr/concat_preds/size",
    ],
    "u": ["dynamic_auc_1/group_deps"],
}


def test_slim_dynamic_auc_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
