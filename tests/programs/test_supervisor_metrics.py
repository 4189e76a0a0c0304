"""A 2016-style training script: tf.train.Supervisor with managed_session, a layer warm-started
through tf.train.init_from_checkpoint under a new scope, ProximalAdagrad, and streaming
tf.metrics (accuracy, mean, precision, mean_per_class_accuracy) updated over two batches.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(14)
    xs = rng.rand(10, 4).astype(np.float32)
    ys = rng.randint(0, 3, 10).astype(np.int64)
    warm = os.path.join(str(workdir), "warm", "model.ckpt")
    logdir = os.path.join(str(workdir), "logs")
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(8)
        with tf.variable_scope("old_body"):
            tf.get_variable("kernel", [4, 5])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            old = sess.run("old_body/kernel:0")
            tf.train.Saver().save(sess, warm)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(9)
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.int64, [None])
        with tf.variable_scope("body"):
            h = tf.layers.dense(x, 5, tf.nn.tanh, name="hidden", use_bias=False)
        logits = tf.layers.dense(h, 3, name="head")
        tf.train.init_from_checkpoint(warm, {"old_body/kernel": "body/hidden/kernel"})
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        step = tf.train.get_or_create_global_step()
        train = tf.train.ProximalAdagradOptimizer(0.3, l1_regularization_strength=0.01).minimize(
            loss, global_step=step
        )
        preds = tf.argmax(logits, 1)
        acc, acc_up = tf.metrics.accuracy(y, preds)
        mean_loss, mean_up = tf.metrics.mean(loss)
        prec, prec_up = tf.metrics.precision(tf.equal(y, 0), tf.equal(preds, 0))
        mpca, mpca_up = tf.metrics.mean_per_class_accuracy(y, preds, 3)
        sv = tf.train.Supervisor(logdir=logdir, save_model_secs=0, save_summaries_secs=0)
        with sv.managed_session() as sess:
            same_warm = bool(np.allclose(sess.run("body/hidden/kernel:0"), old))
            out = []
            for _ in range(3):
                if sv.should_stop():
                    break
                _, lv = sess.run([train, loss], {x: xs, y: ys})
                out.append(float(lv))
            for i in range(2):
                feed = {x: xs[i * 5 : (i + 1) * 5], y: ys[i * 5 : (i + 1) * 5]}
                sess.run([acc_up, mean_up, prec_up, mpca_up], feed)
            metrics = [float(v) for v in sess.run([acc, mean_loss, prec, mpca])]
            gs = int(sess.run(step))
            sv.saver.save(sess, sv.save_path, global_step=step)
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "local": [v.name for v in tf.local_variables()],
            "names": [acc.name, acc_up.name, mean_loss.name, prec.name, mpca.name, train.name],
            "same_warm": same_warm,
            "losses": out,
            "metrics": metrics,
            "gs": gs,
            "files": sorted(f for f in os.listdir(logdir) if not f.startswith("events")),
        }


EXPECTED = {
    "vars": [
        ["body/hidden/kernel:0", [4, 5]],
        ["head/kernel:0", [5, 3]],
        ["head/bias:0", [3]],
        ["global_step:0", []],
        ["body/hidden/kernel/ProximalAdagrad:0", [4, 5]],
        ["head/kernel/ProximalAdagrad:0", [5, 3]],
        ["head/bias/ProximalAdagrad:0", [3]],
    ],
    "local": [
        "accuracy/total:0",
        "accuracy/count:0",
        "mean/total:0",
        "mean/count:0",
        "precision/true_positives/count:0",
        "precision/false_positives/count:0",
        "mean_accuracy/total:0",
        "mean_accuracy/count:0",
    ],
    "names": [
        "accuracy/value:0",
        "accuracy/update_op:0",
        "mean/value:0",
        "precision/value:0",
        "mean_accuracy/mean_accuracy:0",
        "ProximalAdagrad",
    ],
    "same_warm": True,
    "losses": [1.432880163192749, 1.1094567775726318, 1.0566610097885132],
    "metrics": [0.5, 1.0375874042510986, 0.0, 0.3333333432674408],
    "gs": 3,
    "files": [
        "checkpoint",
        "graph.pbtxt",
        "model.ckpt-3.data-00000-of-00001",
        "model.ckpt-3.index",
        "model.ckpt-3.meta",
    ],
}


def test_supervisor_metrics_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
