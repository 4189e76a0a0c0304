"""``tf.train.SyncReplicasOptimizer``: the wrapped optimizer's update, TF1's errors, and the
hook monitored sessions take; a between-graph replicated TF1 script runs as one worker."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _loss():
    w = tf.get_variable("w", [4, 1], initializer=tf.zeros_initializer())
    x = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4))
    return tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))


def _train(sync: bool, steps: int = 5):
    with tf.Graph().as_default():
        loss = _loss()
        step = tf.train.get_or_create_global_step()
        opt = tf.train.AdamOptimizer(0.1)
        if sync:
            opt = tf.train.SyncReplicasOptimizer(opt, replicas_to_aggregate=2)
        train = opt.minimize(loss, global_step=step)
        hooks = [opt.make_session_run_hook(is_chief=True)] if sync else []
        with tf.train.MonitoredTrainingSession(hooks=hooks) as sess:
            losses = [sess.run([train, loss])[1] for _ in range(steps)]
            names = sorted(v.op.name for v in tf.global_variables())
            return losses, names, sess.run(step)


def test_updates_are_the_wrapped_optimizer_s():
    plain, sync = _train(False), _train(True)
    np.testing.assert_array_equal(sync[0], plain[0])
    assert sync[1] == plain[1]  # the same variables: Adam's slots, no accumulators
    assert sync[2] == 5


def test_tf1_errors():
    with tf.Graph().as_default():
        loss = _loss()
        opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 2)
        with pytest.raises(ValueError, match="apply_gradient should be called before using"):
            opt.make_session_run_hook(True).begin()
        with pytest.raises(ValueError, match="Global step is required to check staleness"):
            opt.apply_gradients(opt.compute_gradients(loss))
        with pytest.raises(ValueError, match="Must supply at least one variable"):
            opt.apply_gradients([], global_step=tf.train.get_or_create_global_step())
        with pytest.raises(NotImplementedError, match="make_session_run_hook"):
            opt.get_chief_queue_runner()
        assert opt.get_init_tokens_op().type == "NoOp"
        with pytest.raises(NotImplementedError, match="ExponentialMovingAverage"):
            tf.train.SyncReplicasOptimizer(opt, 2, variable_averages=object())


def test_a_between_graph_replicated_script_runs_as_one_worker():
    cluster = tf.train.ClusterSpec({"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]})
    server = tf.train.Server(cluster, job_name="worker", task_index=0)
    with tf.Graph().as_default():
        setter = tf.train.replica_device_setter(worker_device="/job:worker/task:0", cluster=cluster)
        with tf.device(setter):
            loss = _loss()
            step = tf.train.get_or_create_global_step()
            opt = tf.train.SyncReplicasOptimizer(tf.train.AdagradOptimizer(0.1), 2, 2)
            train = opt.minimize(loss, global_step=step)
        config = tf.ConfigProto(
            allow_soft_placement=True, device_filters=["/job:ps", "/job:worker/task:0"]
        )
        hooks = [tf.train.StopAtStepHook(last_step=10), opt.make_session_run_hook(True)]
        with tf.train.MonitoredTrainingSession(
            master=server.target, is_chief=True, hooks=hooks, config=config
        ) as sess:
            first = sess.run(loss)
            while not sess.should_stop():
                _, last = sess.run([train, loss])
    assert step.op.device == "/job:ps/task:0" and last < first
