"""``tf.train.SyncReplicasOptimizer``: TF 2.21's accumulators, local step, token queue and
chief ops (names, inputs, devices), and the values workers driven by threads reach, equal to
TF 2.21's run of the same script."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import scopeflow as tf

# A worker still waiting for gradients when its session closes fails, as in TF.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


def _join_chief_runners() -> None:
    """Waits for the chief's runner threads a closed session stopped (their error is TF's)."""
    for thread in threading.enumerate():
        if thread.name.startswith("QueueRunnerThread-sync_token_q"):
            thread.join(5)


def _model(x, ids):
    w = tf.get_variable("w", [4, 1], initializer=tf.constant_initializer(0.1))
    emb = tf.get_variable("emb", [5, 2], initializer=tf.ones_initializer())
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    return w, emb, loss + tf.reduce_sum(tf.square(tf.gather(emb, ids)))


def _train_with_threads(make_opt, workers: int, replicas: int, steps: int = 6):
    """``workers`` threads, each a tower of one graph with its own optimizer (accumulators
    and token queue shared by name, as between-graph replicas), in step with each other;
    worker 0 is the chief. Returns each worker's losses and the final values."""
    step = tf.train.get_or_create_global_step()
    towers = []
    for k in range(workers):
        with tf.variable_scope(tf.get_variable_scope(), reuse=k > 0):
            x, ids = tf.placeholder(tf.float32, [2, 4]), tf.placeholder(tf.int32, [2])
            w, emb, loss = _model(x, ids)
            opt = tf.train.SyncReplicasOptimizer(make_opt(), replicas_to_aggregate=replicas)
            towers.append((x, ids, opt.minimize(loss, global_step=step), loss, opt))
    chief = towers[0][-1]
    counts = [a.num_accumulated() for a, _ in chief._accumulator_list]
    sess = tf.Session()
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    sess.run([chief.chief_init_op] + [t[-1].local_step_init_op for t in towers[1:]])
    sess.run(chief.get_init_tokens_op())
    coord = tf.train.Coordinator()
    runners = chief.get_chief_queue_runner().create_threads(sess, coord, daemon=True, start=True)
    barrier, losses = threading.Barrier(workers), {k: [] for k in range(workers)}

    def work(k):
        x, ids, train, loss, _ = towers[k]
        feed = {x: np.arange(8, dtype=np.float32).reshape(2, 4) / (8 + k), ids: [k, 2 + k]}
        for _ in range(steps):
            losses[k].append(sess.run([train, loss], feed)[1])
            barrier.wait()
            while k == 0 and any(sess.run(counts)):  # the chief has taken them
                time.sleep(0.001)
            barrier.wait()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    values = sess.run([w, emb, step] + [t[-1]._local_step for t in towers])
    coord.request_stop()
    sess.close()
    coord.join(runners, stop_grace_period_secs=5)
    return losses, values


def test_one_worker_aggregating_one_gradient_as_tf(graph):
    losses, (w, emb, *steps) = _train_with_threads(
        lambda: tf.train.GradientDescentOptimizer(0.1), workers=1, replicas=1
    )
    # TF 2.21: step 1's update; step 2's gradient (local step 0) stale; steps 3-6 updates.
    # Step 2's loss reads w while the chief may still be applying step 1: not compared.
    expected = [4.690625190734863, 3.0703253746032715, 2.0370383262634277, 1.3777995109558105]
    np.testing.assert_allclose(np.array(losses[0])[[0, 2, 3, 4]], expected, rtol=1e-6)
    np.testing.assert_allclose(losses[0][5], 0.9569437503814697, rtol=1e-6)
    np.testing.assert_allclose(
        w.ravel(), [0.2015611082, 0.2783250511, 0.3550889492, 0.4318528771], rtol=1e-6
    )
    np.testing.assert_allclose(emb[:, 0], [0.32767996, 1, 0.32767996, 1, 1], rtol=1e-6)
    assert steps == [5, 5]  # global step, local step


def test_two_workers_aggregating_two_gradients_as_tf(graph):
    losses, (w, emb, *steps) = _train_with_threads(
        lambda: tf.train.AdamOptimizer(0.1), workers=2, replicas=2
    )
    expected = [
        [4.690625190734863, 3.702500343322754, 3.702500343322754, 2.880528688430786,
         2.2210144996643066, 1.7099050283432007],
        [4.720987796783447, 3.746173143386841, 3.746173143386841, 2.9207475185394287,
         2.2430343627929688, 1.7035821676254272],
    ]  # fmt: skip
    # Step 2's losses read w and emb while the chief may still be applying step 1's update
    # (TF happened to read the new values, scopeflow reads either): not compared, as above.
    keep = [0, 2, 3, 4, 5]
    got = np.array([losses[0], losses[1]])[:, keep]
    np.testing.assert_allclose(got, np.array(expected)[:, keep], rtol=1e-6)
    np.testing.assert_allclose(
        w.ravel(), [0.5009390712, 0.5344563127, 0.5473762751, 0.5540158749], rtol=1e-6
    )
    np.testing.assert_allclose(emb[:, 1], [0.5079651475] * 4 + [1.0], rtol=1e-6)
    assert steps == [5, 5, 5]


def test_names_inputs_and_devices_as_tf(graph):
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        w = tf.get_variable("w", [4, 1])
        emb = tf.get_variable("emb", [5, 2])
        loss = tf.reduce_sum(tf.matmul(tf.ones([2, 4]), w)) + tf.reduce_sum(tf.gather(emb, [1]))
        step = tf.train.get_or_create_global_step()
        opt = tf.train.SyncReplicasOptimizer(tf.train.AdamOptimizer(0.1), 2, 3)
        train = opt.minimize(loss, global_step=step)
        tokens, none = opt.get_init_tokens_op(), opt.get_init_tokens_op(0)
    op = graph.get_operation_by_name
    assert (train.name, [v.name for v in tf.local_variables()]) == (
        "Assign_1:0",
        ["sync_rep_local_step:0"],
    )
    assert op("sync_rep_local_step").get_attr("_class") == [b"loc:@NoOp"]
    dense, sparse = (
        op(f"sync_replicas/{n}")
        for n in ("conditional_accumulator", "sparse_conditional_accumulator")
    )
    assert (dense.type, dense.device, dense.get_attr("shared_name")) == (
        "ResourceConditionalAccumulator",
        "/job:ps/task:0",
        b"w:0/grad_accum",
    )
    assert (sparse.type, sparse.device, sparse.get_attr("shared_name")) == (
        "SparseConditionalAccumulator",
        "/job:ps/task:1",
        b"emb:0/grad_accum",
    )
    assert [i.name for i in op("sync_replicas/SparseAccumulatorApplyGradient").inputs][:3] == [
        "sync_replicas/sparse_conditional_accumulator:0",
        "sync_rep_local_step/read:0",
        "sync_replicas/Cast:0",
    ]
    for name in (
        "SparseAccumulatorApplyGradient",
        "SparseAccumulatorTakeGradient",
        "SetGlobalStep_1",
    ):
        sparse_op = op(f"sync_replicas/{name}")  # TF's handle is a reference: colocated with it
        assert sparse_op.get_attr("_class") == [
            b"loc:@sync_replicas/sparse_conditional_accumulator"
        ]
        assert sparse_op.device == "/job:ps/task:1"
    assert op("Adam/update_w/ApplyAdam").inputs[-1].name == (
        "sync_replicas/ResourceAccumulatorTakeGradient:0"
    )
    queue, dequeue = op("sync_token_q"), op("sync_token_q_Dequeue")
    assert (queue.type, queue.device, queue.get_attr("shared_name")) == (
        "FIFOQueueV2",
        "/job:ps/task:0/device:CPU:*",
        b"sync_token_q",
    )
    assert sorted(c.name for c in dequeue.control_inputs) == [
        "sync_replicas/ResourceAccumulatorApplyGradient",
        "sync_replicas/SparseAccumulatorApplyGradient",
    ]
    assert [c.name for c in op("Fill/dims").control_inputs] == ["Adam"]
    assert [i.name for i in op("Fill").inputs] == ["Fill/dims:0", "global_step/read:0"]
    # tf.group of ops on three devices: a NoOp per device, in the devices' order
    per_device = [
        (c.name, c.device, c.control_inputs[0].name) for c in opt.chief_init_op.control_inputs
    ]
    assert per_device == [
        ("sync_replicas/group_deps/NoOp", "/job:ps/task:0", "sync_replicas/SetGlobalStep"),
        ("sync_replicas/group_deps/NoOp_1", "/job:ps/task:1", "sync_replicas/SetGlobalStep_1"),
        ("sync_replicas/group_deps/NoOp_2", "/job:worker", "Assign"),
    ]
    assert opt.chief_init_op.device == "/job:worker"
    update = op("Adam/update")
    assert (update.device, [(c.name, c.device) for c in update.control_inputs]) == (
        "/job:ps/task:0",
        [("Adam/update/NoOp", "/job:ps/task:0"), ("Adam/update/NoOp_1", "/job:ps/task:1")],
    )
    assert op("sync_replicas/SetGlobalStep_1").type == "AccumulatorSetGlobalStep"
    qr = opt.get_chief_queue_runner()
    assert (qr.name, [o.name for o in qr.enqueue_ops], qr.close_op.name, qr.cancel_op.name) == (
        "sync_token_q",
        ["sync_token_q_EnqueueMany"],
        "sync_token_q_Close",
        "sync_token_q_Close_1",
    )
    assert (tokens.name, tokens.type, none.name, none.type) == (
        "sync_token_q_EnqueueMany_1",
        "QueueEnqueueManyV2",
        "no_init_tokens",
        "NoOp",
    )
    assert tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS) == []
    assert (
        opt.ready_for_local_init_op.name == "report_uninitialized_variables/boolean_mask/GatherV2:0"
    )


def test_tf1_errors(graph):
    w = tf.get_variable("w", [2])
    loss = tf.reduce_sum(w * w)
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 3, 1)
    with pytest.raises(ValueError, match="apply_gradient should be called before using"):
        opt.make_session_run_hook(True).begin()
    with pytest.raises(ValueError, match=r"Should be called after apply_gradients\(\)"):
        opt.get_chief_queue_runner()
    with pytest.raises(ValueError, match="should be called after apply_gradients"):
        opt.get_init_tokens_op()
    with pytest.raises(ValueError, match="Global step is required to check staleness"):
        opt.apply_gradients(opt.compute_gradients(loss))
    step = tf.train.get_or_create_global_step()
    with pytest.raises(ValueError, match="Must supply at least one variable"):
        opt.apply_gradients([], global_step=step)
    opt.minimize(loss, global_step=step)
    with pytest.raises(ValueError, match=r"Too few tokens .*: 1 \(given\) vs 2 \(needed\)"):
        opt.get_init_tokens_op(1)


def test_a_monitored_chief_with_the_hook(graph):
    w, emb, loss = _model(tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4) / 8), [1, 3])
    step = tf.train.get_or_create_global_step()
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 1)
    train = opt.minimize(loss, global_step=step)
    with tf.train.MonitoredTrainingSession(
        hooks=[opt.make_session_run_hook(True)], stop_grace_period_secs=0
    ) as sess:
        for _ in range(4):
            sess.run(train)
        # TF 2.21: steps 1, 3 and 4 update (step 2's gradient is stale)
        assert sess.run([step, opt._local_step]) == [3, 3]
    _join_chief_runners()


def test_a_between_graph_replicated_script_runs_as_one_worker(graph):
    cluster = tf.train.ClusterSpec({"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]})
    server = tf.train.Server(cluster, job_name="worker", task_index=0)
    setter = tf.train.replica_device_setter(worker_device="/job:worker/task:0", cluster=cluster)
    with tf.device(setter):
        w, emb, loss = _model(tf.ones([2, 4]), [0, 1])
        step = tf.train.get_or_create_global_step()
        opt = tf.train.SyncReplicasOptimizer(tf.train.AdagradOptimizer(0.1), 2, 2)
        train = opt.minimize(loss, global_step=step)
    config = tf.ConfigProto(device_filters=["/job:ps", "/job:worker/task:0"])
    hooks = [tf.train.StopAtStepHook(last_step=3), opt.make_session_run_hook(True)]
    with tf.train.MonitoredTrainingSession(
        master=server.target, is_chief=True, hooks=hooks, config=config, stop_grace_period_secs=0
    ) as sess:
        first = sess.run(loss)
        while not sess.should_stop():
            _, last = sess.run([train, loss])
    _join_chief_runners()
    assert step.op.device == "/job:ps/task:0" and last < first


def test_variable_averages_follow_the_tokens_as_tf(graph):
    x = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4) / 8)
    w, emb, loss = _model(x, [1, 3])
    step = tf.train.get_or_create_global_step()
    ema = tf.train.ExponentialMovingAverage(0.5)
    opt = tf.train.SyncReplicasOptimizer(
        tf.train.GradientDescentOptimizer(0.1), 1, variable_averages=ema, variables_to_average=[w]
    )
    train = opt.minimize(loss, global_step=step)
    counts = [a.num_accumulated() for a, _ in opt._accumulator_list]
    sess = tf.Session()
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    sess.run([opt.chief_init_op, opt.get_init_tokens_op()])
    coord = tf.train.Coordinator()
    runners = opt.get_chief_queue_runner().create_threads(sess, coord, daemon=True, start=True)
    for _ in range(5):
        sess.run(train)
        while any(sess.run(counts)):
            time.sleep(0.001)
    expected = [0.1772907078, 0.2293097377, 0.2813287675, 0.3333477676]  # TF 2.21, 4 updates
    for _ in range(500):  # the chief's runner averages after handing out the tokens
        if np.allclose(sess.run(ema.average(w)).ravel(), expected, rtol=1e-6):
            break
        time.sleep(0.01)
    np.testing.assert_allclose(sess.run(ema.average(w)).ravel(), expected, rtol=1e-6)
    assert sess.run(step) == 4
    coord.request_stop()
    sess.close()
    coord.join(runners, stop_grace_period_secs=5)


def test_the_supervisor_pattern_of_tf1_replica_scripts(tmp_path):
    # mnist_replica.py's chief: Supervisor(local_init_op=chief_init_op, ...), init tokens,
    # start_queue_runners([chief_queue_runner]); an int32 global step (the local step's Cast)
    with tf.Graph().as_default():
        w, emb, loss = _model(tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4) / 8), [0])
        step = tf.Variable(0, name="global_step", trainable=False)
        opt = tf.train.SyncReplicasOptimizer(
            tf.train.AdamOptimizer(0.01), 1, 1, name="mnist_sync_replicas"
        )
        train = opt.minimize(loss, global_step=step, var_list=[w])
        runner, tokens = opt.get_chief_queue_runner(), opt.get_init_tokens_op()
        init = tf.global_variables_initializer()
        counts = [a.num_accumulated() for a, _ in opt._accumulator_list]
        sv = tf.train.Supervisor(
            is_chief=True, logdir=str(tmp_path), init_op=init, local_init_op=opt.chief_init_op,
            ready_for_local_init_op=opt.ready_for_local_init_op, global_step=step,
            save_model_secs=0, save_summaries_secs=0,
        )  # fmt: skip
        sess = sv.prepare_or_wait_for_session("")
        sess.run(tokens)
        sv.start_queue_runners(sess, [runner])
        for _ in range(5):
            sess.run(train)
            while any(sess.run(counts)):
                time.sleep(0.001)
        while sess.run(step) < 4:  # the chief's last update (TF 2.21: 4 of 5 steps)
            time.sleep(0.001)
        np.testing.assert_allclose(
            sess.run(w).ravel(), [0.13989311, 0.13991325, 0.13992223, 0.13992731], rtol=1e-6
        )
        assert tf.get_default_graph().get_operation_by_name("mnist_sync_replicas/Cast").type == (
            "Cast"
        )
        sv.request_stop()
        sess.close()
    _join_chief_runners()


def test_fewer_replicas_than_gradients_to_aggregate_as_tf(graph):
    # total_num_replicas=1 < replicas_to_aggregate=2: the worker computes two batches per
    # update (two init tokens, then two tokens per update)
    w, emb, loss = _model(tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4) / 8), [1, 3])
    step = tf.train.get_or_create_global_step()
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 2, 1)
    train = opt.minimize(loss, global_step=step)
    counts = [a.num_accumulated() for a, _ in opt._accumulator_list]
    sess = tf.Session()
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    sess.run([opt.chief_init_op, opt.get_init_tokens_op()])
    coord = tf.train.Coordinator()
    runners = opt.get_chief_queue_runner().create_threads(sess, coord, daemon=True, start=True)
    losses = []
    for _ in range(7):
        losses.append(sess.run([train, loss])[1])
        while max(sess.run(counts)) >= 2:  # the chief has taken them
            time.sleep(0.001)
    # TF 2.21: updates after steps 2, 5 and 7; step 3's gradient is stale (its loss may read
    # the update in flight: not compared)
    expected = [4.690625190734863, 4.690625190734863, 3.0703253746032715, 3.0703253746032715,
                2.0370383262634277, 2.0370383262634277]  # fmt: skip
    np.testing.assert_allclose(np.array(losses)[[0, 1, 3, 4, 5, 6]], expected, rtol=1e-6)
    assert sess.run([step, opt._local_step]) == [3, 3]
    np.testing.assert_allclose(
        sess.run(w).ravel(), [0.1812351197, 0.2340223491, 0.2868095935, 0.339596808], rtol=1e-6
    )
    np.testing.assert_allclose(sess.run(emb)[:, 0], [1, 0.512, 1, 0.512, 1], rtol=1e-6)
    coord.request_stop()
    sess.close()
    coord.join(runners, stop_grace_period_secs=5)
