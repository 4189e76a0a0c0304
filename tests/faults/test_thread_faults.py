"""Threads thrown at scopeflow: one session run from eight threads, graphs built in threads,
the per-thread default graph and scopes, queue runners stopped with their queues full, a
session closed under a blocked dequeue, an interrupt in the middle of a run. Expected values
are TensorFlow 2.21's for the same programs (tf.compat.v1, graph mode) unless said."""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import pytest

import scopeflow as tf


def _join(threads, timeout=30.0) -> None:
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"


def test_eight_threads_on_one_session_get_their_own_results(graph):
    x = tf.placeholder(tf.float32, [None])
    y = x * 2.0 + 1.0
    counters = [tf.Variable(0.0, name=f"c{i}") for i in range(8)]
    bumps = [tf.assign_add(c, 1.0) for c in counters]
    errors_seen = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def work(i):
            try:
                for n in range(40):
                    value = np.full(3, i * 1000.0 + n, np.float32)
                    got, _ = sess.run([y, bumps[i]], {x: value})
                    assert (got == value * 2 + 1).all()
            except Exception as e:  # noqa: BLE001 - reported below
                errors_seen.append(e)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        _join(threads)
        assert errors_seen == []
        assert sess.run(counters) == [40.0] * 8


def test_updates_from_eight_threads_all_count(graph):
    x = tf.placeholder(tf.float32, [3])
    v = tf.Variable(0.0)
    w = tf.Variable(np.zeros(3, np.float32))
    step = [tf.assign_add(v, 1.0), tf.assign_add(w, x)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())

        def work():
            for _ in range(50):
                sess.run(step, {x: np.ones(3, np.float32)})

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        _join(threads)
        assert sess.run(v) == 400.0 and sess.run(w).tolist() == [400.0] * 3  # as TF 2.21


def test_an_update_committed_while_another_run_is_in_flight_is_kept(graph):
    # as TF1's in-place updates: the +1 of the run in flight is seen, and the +10 kept
    v = tf.Variable(0.0)
    gate = threading.Event()
    slow_bump = tf.assign_add(v, 1.0)
    with tf.control_dependencies([slow_bump]):  # the run then waits, its +1 made
        slow = tf.py_func(lambda x: gate.wait(10) and x, [tf.constant(0.0)], tf.float32)
    fast_bump = tf.assign_add(v, 10.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        slow_run = threading.Thread(target=lambda: sess.run(slow))
        slow_run.start()
        time.sleep(0.3)
        assert sess.run(v) == 1.0  # the run in flight made its +1 (TF 2.21: 1.0)
        sess.run(fast_bump)
        gate.set()
        _join([slow_run])
        assert sess.run(v) == 11.0  # TF 2.21: 11.0 (scopeflow gave 1.0: +10 lost)


def test_graphs_built_in_eight_threads_get_the_same_names():
    built = {}

    def build(i):
        with tf.Graph().as_default() as g:
            for k in range(20):
                with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
                    with tf.variable_scope(f"layer{k % 3}"):
                        w = tf.get_variable("w", [2, 2])
                        h = tf.matmul(tf.ones([1, 2]), w, name="mm")
            names = sorted(v.name for v in tf.global_variables())
            built[i] = (names, h.name, len(g.get_operations()))

    threads = [threading.Thread(target=build, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    _join(threads)
    expected = (
        ["model/layer0/w:0", "model/layer1/w:0", "model/layer2/w:0"],
        "model_19/layer1/mm:0",
    )
    assert {b[:2] == expected and b[2] == 70 for b in built.values()} == {True}


def test_the_default_graph_and_the_scopes_are_per_thread():
    g = tf.Graph()
    seen = {}
    with g.as_default():
        t = threading.Thread(target=lambda: seen.update(same=tf.get_default_graph() is g))
        t.start()
        _join([t])
    assert seen == {"same": False}

    names, inside, done = {}, threading.Event(), threading.Event()

    def in_scopes():
        with g.as_default(), tf.variable_scope("A"), tf.name_scope("NA"):
            inside.set()
            done.wait(10)
            names["A"] = (tf.get_variable("va", [1]).name, tf.constant(1.0, name="ca").name)

    def outside():
        inside.wait(10)
        with g.as_default():
            names["B"] = (tf.get_variable("vb", [1]).name, tf.constant(1.0, name="cb").name)
        done.set()

    threads = [threading.Thread(target=in_scopes), threading.Thread(target=outside)]
    for t in threads:
        t.start()
    _join(threads)
    assert names == {"A": ("A/va:0", "A/NA/ca:0"), "B": ("vb:0", "cb:0")}


def test_queue_runners_stop_with_their_queue_full(graph):
    queue = tf.FIFOQueue(2, tf.float32, name="inputs")
    runner = tf.train.QueueRunner(queue, [queue.enqueue(tf.random_uniform([]))] * 3)
    dequeue = queue.dequeue()
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = runner.create_threads(sess, coord=coord, start=True)
        assert [(t.name, t.daemon) for t in threads] == [
            ("QueueRunnerThread-inputs-inputs_enqueue", False)
        ] * 3 + [("QueueRunnerThread-inputs-close_on_stop", False)]
        time.sleep(0.2)  # the queue fills; three enqueues block
        sess.run(dequeue)
        started = time.monotonic()
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=5)
        assert time.monotonic() - started < 3
        assert not any(t.is_alive() for t in threads)
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
            for _ in range(3):
                sess.run(dequeue)


def test_start_queue_runners_starts_daemon_threads(graph):
    queue = tf.FIFOQueue(2, tf.float32)
    tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue(1.0)]))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        assert [t.daemon for t in threads] == [True, True]
        coord.request_stop()
        coord.join(threads)


def test_a_dequeue_blocked_when_its_session_closes_is_cancelled(graph):
    dequeue = tf.FIFOQueue(2, tf.float32).dequeue()
    sess = tf.Session()
    raised = []

    def blocked():
        try:
            sess.run(dequeue)
        except tf.errors.CancelledError as e:
            raised.append(e)

    t = threading.Thread(target=blocked, daemon=True)
    t.start()
    time.sleep(0.2)
    sess.close()
    _join([t], 5)
    assert len(raised) == 1


def test_closing_with_cancel_pending_enqueues_cancels_a_blocked_enqueue(graph):
    queue = tf.FIFOQueue(1, tf.float32)
    enqueue = queue.enqueue(1.0)
    close = queue.close(cancel_pending_enqueues=True)
    with tf.Session() as sess:
        sess.run(enqueue)
        raised = []

        def blocked():
            try:
                sess.run(enqueue)
            except tf.errors.CancelledError as e:
                raised.append(e)

        t = threading.Thread(target=blocked, daemon=True)
        t.start()
        time.sleep(0.2)
        sess.run(close)
        _join([t], 5)
        assert len(raised) == 1 and sess.run(queue.size()) == 1


def test_an_interrupted_run_changes_no_variable_and_the_session_goes_on(graph):
    # TF 2.21 lets the run finish and raises KeyboardInterrupt after it (v is 11.0 then);
    # scopeflow stops the run where the signal finds it and keeps it all-or-nothing.
    in_run = threading.Event()
    calls = []

    def slow(x):
        calls.append(x)
        if len(calls) == 1:  # the first run waits here for the signal
            in_run.set()
            time.sleep(10)
        return x

    v = tf.Variable(0.0)
    step = tf.assign_add(v, 1.0)
    with tf.control_dependencies([step]):
        waits = tf.py_func(slow, [tf.constant(0.0)], tf.float32)
    with tf.control_dependencies([waits]):
        step2 = tf.assign_add(v, 10.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        signal_it = threading.Thread(
            target=lambda: in_run.wait(10) and os.kill(os.getpid(), signal.SIGINT)
        )
        signal_it.start()
        with pytest.raises(KeyboardInterrupt):
            sess.run(step2)
        _join([signal_it])
        assert sess.run(v) == 0.0
        assert sess.run(step2) == 11.0


def test_a_failed_run_puts_back_its_writes_but_not_over_another_runs(graph):
    # TF 2.21 gives v 100.0 and w 1.0 (it keeps a failed run's writes); scopeflow puts back
    # the failed run's own write to w, and leaves v to the run that wrote it since
    v, w = tf.Variable(0.0), tf.Variable(0.0)
    gate = threading.Event()
    with tf.control_dependencies([tf.assign_add(v, 1.0), tf.assign_add(w, 1.0)]):
        waits = tf.py_func(lambda x: gate.wait(10) and x, [tf.constant(0.0)], tf.float32)
    with tf.control_dependencies([waits]):
        failing = tf.Assert(tf.constant(False), ["fail"])
    with tf.Session() as sess:
        sess.run([v.initializer, w.initializer])
        raised = []

        def run():
            try:
                sess.run(failing)
            except tf.errors.InvalidArgumentError as e:
                raised.append(e)

        t = threading.Thread(target=run)
        t.start()
        time.sleep(0.3)
        assert sess.run([v, w]) == [1.0, 1.0]  # as TF 2.21
        sess.run(v.assign(100.0))
        gate.set()
        _join([t])
        assert len(raised) == 1 and sess.run([v, w]) == [100.0, 0.0]
