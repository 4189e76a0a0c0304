"""tf.contrib.opt.MovingAverageOptimizer as slim-era training scripts used it: Momentum wrapped
so each step also updates an ExponentialMovingAverage (num_updates from the global step) after
the update, the grouped ``train_with_avg`` op, a swapping_saver writing each average under its
variable's name; then a fresh evaluation graph restoring that checkpoint with a plain Saver
gets the averaged weights, and the checkpoint's keys and values are read back; the errors of
a swapping_saver made too early or of a var_list missing an average.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled) running TF 1.15's tf.contrib.opt Python
code (from the 1.15 wheel).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(717)
    xs = rng.randn(6, 3).astype(np.float32)
    ys = rng.randn(6, 1).astype(np.float32)
    prefix = os.path.join(workdir, "model.ckpt")
    out = {}
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(718)
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.variable_scope("net"):
            pred = tf.layers.dense(tf.layers.dense(x, 4, tf.nn.tanh, name="h"), 1, name="out")
        loss = tf.reduce_mean(tf.square(pred - ys))
        step = tf.train.get_or_create_global_step()
        opt = tf.contrib.opt.MovingAverageOptimizer(
            tf.train.MomentumOptimizer(0.1, 0.9), average_decay=0.5, num_updates=step
        )
        try:
            opt.swapping_saver()
        except RuntimeError as e:
            out["early_error"] = str(e)
        train = opt.minimize(loss, global_step=step)
        saver = opt.swapping_saver()
        kernel = tf.trainable_variables()[0]
        try:
            opt.swapping_saver(var_list=[kernel])
        except ValueError as e:
            out["missing_error"] = str(e)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([loss, train], {x: xs})[0]) for _ in range(4)]
            raw_kernel = sess.run(kernel)
            avg_kernel = sess.run(opt._ema.average(kernel))
            path = saver.save(sess, prefix, global_step=step)
        out["vars"] = [[v.name, v.shape.as_list()] for v in tf.global_variables()]
        out["names"] = [train.name]  # (scopeflow's Saver adds no save ops to name)
        out["losses"] = losses
        out["raw_kernel"] = raw_kernel[0].tolist()
        out["avg_kernel"] = avg_kernel[0].tolist()
    out["ckpt_keys"] = [n for n, _ in tf.train.list_variables(path)]
    out["ckpt_kernel"] = tf.train.load_variable(path, "net/h/kernel")[0].tolist()
    out["ckpt_kernel_avg"] = tf.train.load_variable(path, "net/h/kernel/ExponentialMovingAverage")[
        0
    ].tolist()
    g2 = tf.Graph()
    with g2.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with tf.variable_scope("net"):
            pred = tf.layers.dense(tf.layers.dense(x, 4, tf.nn.tanh, name="h"), 1, name="out")
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            out["eval_pred"] = sess.run(pred, {x: xs})[:, 0].tolist()
    return out


EXPECTED = {
    "early_error": "Must call apply_gradients or minimize before creating the swapping_saver",
    "missing_error": "Variable to swap net/h/kernel/ExponentialMovingAverage is not part of "
    "variables to save. This breaks MovingAverageOptimizer.",
    "vars": [
        ["net/h/kernel:0", [3, 4]],
        ["net/h/bias:0", [4]],
        ["net/out/kernel:0", [4, 1]],
        ["net/out/bias:0", [1]],
        ["global_step:0", []],
        ["net/h/kernel/Momentum:0", [3, 4]],
        ["net/h/bias/Momentum:0", [4]],
        ["net/out/kernel/Momentum:0", [4, 1]],
        ["net/out/bias/Momentum:0", [1]],
        ["net/h/kernel/ExponentialMovingAverage:0", [3, 4]],
        ["net/h/bias/ExponentialMovingAverage:0", [4]],
        ["net/out/kernel/ExponentialMovingAverage:0", [4, 1]],
        ["net/out/bias/ExponentialMovingAverage:0", [1]],
    ],
    "names": ["train_with_avg"],
    "losses": [0.6883354783058167, 0.43890631198883057, 0.25771161913871765, 0.2695942223072052],
    "raw_kernel": [
        0.3451654314994812,
        -0.24053418636322021,
        -0.3804960548877716,
        -0.017286842688918114,
    ],
    "avg_kernel": [
        0.3380125164985657,
        -0.2931656539440155,
        -0.30700021982192993,
        -0.010405594483017921,
    ],
    "ckpt_keys": [
        "global_step",
        "net/h/bias",
        "net/h/bias/ExponentialMovingAverage",
        "net/h/bias/Momentum",
        "net/h/kernel",
        "net/h/kernel/ExponentialMovingAverage",
        "net/h/kernel/Momentum",
        "net/out/bias",
        "net/out/bias/ExponentialMovingAverage",
        "net/out/bias/Momentum",
        "net/out/kernel",
        "net/out/kernel/ExponentialMovingAverage",
        "net/out/kernel/Momentum",
    ],
    "ckpt_kernel": [
        0.3380125164985657,
        -0.2931656539440155,
        -0.30700021982192993,
        -0.010405594483017921,
    ],
    "ckpt_kernel_avg": [
        0.3451654314994812,
        -0.24053418636322021,
        -0.3804960548877716,
        -0.017286842688918114,
    ],
    "eval_pred": [
        -0.13980987668037415,
        -0.6061227917671204,
        -0.3886370360851288,
        -0.4578123390674591,
        0.029266394674777985,
        -0.6915518641471863,
    ],
}


def test_moving_average_optimizer_matches_tensorflow(tmp_path):
    close(program(tf, str(tmp_path)), EXPECTED)
