"""slim's (tf.contrib's) auc_using_histogram: ROC AUC estimates from running score histograms
(10 and 50 bins, with and without the rank checks) after each of three batches, names, local
variables and TF's dtype error. (The reference ran tf_slim's histogram_ops.)

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    metrics = tf.contrib.slim.metrics
    rng = np.random.RandomState(113)
    scores = rng.rand(3, 20).astype(np.float32)
    labels = rng.rand(3, 20) < scores
    g = tf.Graph()
    with g.as_default():
        s = tf.placeholder(tf.float32, [None])
        y = tf.placeholder(tf.bool, [None])
        auc, update = metrics.auc_using_histogram(y, s, [0.0, 1.0], nbins=10)
        auc2, update2 = metrics.auc_using_histogram(
            y, s, [0.0, 1.0], nbins=50, name="fine", check_shape=False
        )
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            steps = []
            for i in range(3):
                fd = {s: scores[i], y: labels[i]}
                sess.run([update, update2], fd)
                steps.append([float(v) for v in sess.run([auc, auc2], fd)])
        out = {
            "steps": steps,
            "names": [auc.name, update.name, auc2.name],
            "locals": sorted(v.op.name for v in tf.local_variables()),
        }
    try:
        with tf.Graph().as_default():
            metrics.auc_using_histogram(tf.constant([1, 0]), tf.constant([0.2, 0.3]), [0.0, 1.0])
    except ValueError as e:
        out["err"] = str(e)
    return out


EXPECTED = {
    "steps": [
        [0.7979798316955566, 0.8030303716659546],
        [0.7710996866226196, 0.7762148380279541],
        [0.7728794813156128, 0.784598171710968],
    ],
    "names": [
        "auc_using_histogram/auc:0",
        "auc_using_histogram/hist_accumulate/update_op",
        "fine/auc:0",
    ],
    "locals": [
        "auc_using_histogram/hist_accumulate/hist_false_acc",
        "auc_using_histogram/hist_accumulate/hist_true_acc",
        "fine/hist_accumulate/hist_false_acc",
        "fine/hist_accumulate/hist_true_acc",
    ],
    "err": "Argument boolean_labels should have dtype bool.  Found: <dtype: 'int32'>",
}


def test_slim_auc_histogram_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
