"""A classifier with exponential_decay into a Nesterov Momentum, an ExponentialMovingAverage
applied after each step (num_updates from the global step), streaming eval metrics (accuracy,
mean_per_class_accuracy, auc, precision_at_k, recall_at_k, mean) under a name scope, top_k and
in_top_k, then the averages restored through variables_to_restore into a fresh graph.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(30)
    xs = rng.rand(20, 5).astype(np.float32)
    ys = rng.randint(0, 4, 20).astype(np.int64)
    path = os.path.join(str(workdir), "ema.ckpt")
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(41)
        x = tf.placeholder(tf.float32, [None, 5], name="x")
        y = tf.placeholder(tf.int64, [None], name="y")
        h = tf.layers.dense(x, 8, tf.nn.elu, name="h")
        logits = tf.layers.dense(h, 4, name="logits")
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        step = tf.train.get_or_create_global_step()
        lr = tf.train.exponential_decay(0.5, step, 2, 0.8, staircase=True)
        opt = tf.train.MomentumOptimizer(lr, 0.9, use_nesterov=True)
        train_step = opt.minimize(loss, global_step=step)
        ema = tf.train.ExponentialMovingAverage(0.9, num_updates=step)
        with tf.control_dependencies([train_step]):
            train = tf.group(ema.apply(tf.trainable_variables()), name="train")
        probs = tf.nn.softmax(logits)
        pred = tf.argmax(logits, 1)
        top2 = tf.nn.top_k(probs, 2)
        in2 = tf.nn.in_top_k(probs, tf.cast(y, tf.int32), 2)
        with tf.name_scope("eval"):
            acc, acc_up = tf.metrics.accuracy(y, pred)
            pca, pca_up = tf.metrics.mean_per_class_accuracy(y, pred, 4)
            auc, auc_up = tf.metrics.auc(tf.equal(y, 0), probs[:, 0], num_thresholds=50)
            p_at, p_up = tf.metrics.precision_at_k(y, logits, 2)
            r_at, r_up = tf.metrics.recall_at_k(y, logits, 2)
            mean_loss, ml_up = tf.metrics.mean(loss)
        updates = tf.group(acc_up, pca_up, auc_up, p_up, r_up, ml_up)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            losses = []
            for i in range(5):
                lv, _ = sess.run(
                    [loss, train], {x: xs[i * 4 : (i + 1) * 4], y: ys[i * 4 : (i + 1) * 4]}
                )
                losses.append(float(lv))
            for i in range(2):
                sess.run(updates, {x: xs[i * 10 : (i + 1) * 10], y: ys[i * 10 : (i + 1) * 10]})
            metrics = sess.run([acc, pca, auc, p_at, r_at, mean_loss])
            t2, i2 = sess.run([top2.values, in2], {x: xs[:3], y: ys[:3]})
            saver.save(sess, path)
            raw = sess.run(logits, {x: xs[:2]})
    restore_map = None
    g2 = tf.Graph()
    with g2.as_default():
        x = tf.placeholder(tf.float32, [None, 5], name="x")
        h = tf.layers.dense(x, 8, tf.nn.elu, name="h")
        logits = tf.layers.dense(h, 4, name="logits")
        ema = tf.train.ExponentialMovingAverage(0.9)
        restore_map = ema.variables_to_restore()
        with tf.Session() as sess:
            tf.train.Saver(restore_map).restore(sess, path)
            averaged = sess.run(logits, {x: xs[:2]})
    return {
        "vars": [v.name for v in g.get_collection("variables")],
        "local": [v.name for v in g.get_collection("local_variables")],
        "moving": [v.name for v in g.get_collection("moving_average_variables")],
        "restore": sorted(restore_map),
        "names": [
            acc.name,
            pca.name,
            auc.name,
            p_at.name,
            r_at.name,
            top2.indices.name,
            in2.name,
            train.name,
            lr.name,
        ],
        "losses": losses,
        "metrics": [float(m) for m in metrics],
        "top2": [round(float(v), 5) for v in t2.ravel()],
        "in2": i2.tolist(),
        "raw": [round(float(v), 5) for v in raw.ravel()],
        "averaged": [round(float(v), 5) for v in averaged.ravel()],
    }


EXPECTED = {
    "vars": [
        "h/kernel:0",
        "h/bias:0",
        "logits/kernel:0",
        "logits/bias:0",
        "global_step:0",
        "h/kernel/Momentum:0",
        "h/bias/Momentum:0",
        "logits/kernel/Momentum:0",
        "logits/bias/Momentum:0",
        "h/kernel/ExponentialMovingAverage:0",
        "h/bias/ExponentialMovingAverage:0",
        "logits/kernel/ExponentialMovingAverage:0",
        "logits/bias/ExponentialMovingAverage:0",
    ],
    "local": [
        "eval/accuracy/total:0",
        "eval/accuracy/count:0",
        "eval/mean_accuracy/total:0",
        "eval/mean_accuracy/count:0",
        "eval/auc/true_positives:0",
        "eval/auc/false_negatives:0",
        "eval/auc/true_negatives:0",
        "eval/auc/false_positives:0",
        "eval/precision_at_2/true_positive_at_2:0",
        "eval/precision_at_2/false_positive_at_2:0",
        "eval/recall_at_2/true_positive_at_2:0",
        "eval/recall_at_2/false_negative_at_2:0",
        "eval/mean/total:0",
        "eval/mean/count:0",
    ],
    "moving": ["h/kernel:0", "h/bias:0", "logits/kernel:0", "logits/bias:0"],
    "restore": [
        "h/bias/ExponentialMovingAverage",
        "h/kernel/ExponentialMovingAverage",
        "logits/bias/ExponentialMovingAverage",
        "logits/kernel/ExponentialMovingAverage",
    ],
    "names": [
        "eval/accuracy/value:0",
        "eval/mean_accuracy/mean_accuracy:0",
        "eval/auc/value:0",
        "eval/precision_at_2:0",
        "eval/recall_at_2:0",
        "TopKV2:1",
        "in_top_k/InTopKV2:0",
        "train",
        "ExponentialDecay:0",
    ],
    "losses": [
        1.4045829772949219,
        1.602942705154419,
        1.8036532402038574,
        1.2903680801391602,
        2.3545894622802734,
    ],
    "metrics": [0.4000000059604645, 0.375, 0.7890624403953552, 0.35, 0.7, 1.2487754821777344],
    "top2": [0.37692, 0.28397, 0.30305, 0.28616, 0.35032, 0.25385],
    "in2": [True, True, False],
    "raw": [-0.88519, -0.21676, 0.01956, 0.30272, -0.4456, -0.12923, 0.05668, 0.11401],
    "averaged": [-1.09531, -0.55927, -0.14908, 0.56091, -0.69632, -0.42269, -0.02576, 0.29064],
}


def test_ema_metrics_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
