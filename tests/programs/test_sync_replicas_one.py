"""SyncReplicasOptimizer with one replica (replicas_to_aggregate=1, total_num_replicas=1) under
MonitoredTrainingSession with its session-run hook (no initial tokens) and a StopAtStepHook:
global variables, the checkpoint's names and the losses equal TF's. The chief's queue runner
is still waiting for gradients when the session closes, so TF's monitored session (and
scopeflow's, which builds the same accumulators, token queue and runner:
tests/train/test_sync_replicas.py) waits stop_grace_period_secs for it, 120 s by default:
the program passes 0, which changes none of the compared values. The runner then ends with
CancelledError ('Session has been closed'), handed to the joined coordinator, as TF's does
(pytest reports it as an unhandled thread exception warning).

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import os

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    rng = np.random.RandomState(9)
    xs = rng.randn(8, 4).astype(np.float32)
    ys = rng.randn(8, 1).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1)
        step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.float32, [None, 1])
        pred = tf.layers.dense(tf.layers.dense(x, 5, tf.nn.relu, name="h"), 1, name="out")
        loss = tf.losses.mean_squared_error(y, pred)
        base = tf.train.GradientDescentOptimizer(0.1)
        opt = tf.train.SyncReplicasOptimizer(base, replicas_to_aggregate=1, total_num_replicas=1)
        train_op = opt.minimize(loss, global_step=step)
        hook = opt.make_session_run_hook(is_chief=True, num_tokens=0)
        ckpt = os.path.join(str(workdir), "ckpt")
        losses = []
        with tf.train.MonitoredTrainingSession(
            checkpoint_dir=ckpt,
            hooks=[hook, tf.train.StopAtStepHook(last_step=4)],
            save_summaries_steps=None,
            save_summaries_secs=None,
            log_step_count_steps=None,
            stop_grace_period_secs=0,
        ) as sess:
            while not sess.should_stop():
                losses.append(float(sess.run([train_op, loss], {x: xs, y: ys})[1]))
        names = sorted(n for n, _ in tf.train.list_variables(ckpt))
        return {
            "vars": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
            "ckpt": names,
            "losses": losses,
        }


EXPECTED = {
    "vars": [
        ["global_step:0", []],
        ["h/kernel:0", [4, 5]],
        ["h/bias:0", [5]],
        ["out/kernel:0", [5, 1]],
        ["out/bias:0", [1]],
    ],
    "ckpt": ["global_step", "h/bias", "h/kernel", "out/bias", "out/kernel"],
    "losses": [5.161536693572998, 1.5077099800109863, 1.2996177673339844, 1.1548902988433838],
}


def test_sync_replicas_one_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
