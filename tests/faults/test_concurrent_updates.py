"""Variables updated from several threads on one session: scatter updates, sparse optimizer
steps, locked dense updates and reads meanwhile, and a run failing while another changes the
same table. Every expected number is TensorFlow 2.21's for the same program (tf.compat.v1,
graph mode); before the per-variable update locks (session/update_locks.py) scopeflow lost
rows here (8 threads x 100 ``scatter_add`` on one row gave 391, ``scatter_sub`` on a row per
thread gave -29 to -77 instead of -100)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf


def _in_threads(work, n: int = 8) -> None:
    errors_seen: list = []

    def guarded(i):
        try:
            work(i)
        except Exception as e:  # noqa: BLE001 - reported below
            errors_seen.append(e)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads), "a thread is stuck"
    assert errors_seen == []


SCATTERS = {
    "scatter_add": (lambda v, i, u: tf.scatter_add(v, i, u), 100.0),
    "scatter_sub": (lambda v, i, u: tf.scatter_sub(v, i, u), -100.0),
    "scatter_nd_add": (lambda v, i, u: tf.scatter_nd_add(v, tf.expand_dims(i, 1), u), 100.0),
    "scatter_nd_sub": (lambda v, i, u: tf.scatter_nd_sub(v, tf.expand_dims(i, 1), u), -100.0),
}


@pytest.mark.parametrize("same_row", [False, True], ids=["row_per_thread", "one_row"])
@pytest.mark.parametrize("kind", list(SCATTERS))
def test_scatter_updates_from_eight_threads_all_count(graph, kind, same_row):
    build, per_thread = SCATTERS[kind]
    v = tf.Variable(np.zeros([10], np.float32))
    indices = tf.placeholder(tf.int32, [None])
    updates = tf.placeholder(tf.float32, [None])
    update = build(v, indices, updates)
    with tf.Session() as sess:
        sess.run(v.initializer)
        _in_threads(
            lambda i: [
                sess.run(update, {indices: [0 if same_row else i], updates: [1.0]})
                for _ in range(100)
            ]
        )
        want = [8 * per_thread] + [0.0] * 9 if same_row else [per_thread] * 8 + [0.0] * 2
        assert sess.run(v).tolist() == want  # as TF 2.21


def test_scatter_update_from_eight_threads_keeps_each_threads_last_value(graph):
    v = tf.Variable(np.zeros([10], np.float32))
    indices = tf.placeholder(tf.int32, [None])
    updates = tf.placeholder(tf.float32, [None])
    update = tf.scatter_update(v, indices, updates)
    with tf.Session() as sess:
        sess.run(v.initializer)
        _in_threads(
            lambda i: [sess.run(update, {indices: [i], updates: [float(k)]}) for k in range(100)]
        )
        assert sess.run(v).tolist() == [99.0] * 8 + [0.0] * 2  # as TF 2.21 (one was 40.0)


# TF 2.21's rows 0 and 1 of the table after 8 threads x 25 steps, each on its own row
SPARSE_STEPS = {
    "GradientDescent": (lambda: tf.train.GradientDescentOptimizer(0.1), [-1.5000002, -4.0000005]),
    "Adagrad": (lambda: tf.train.AdagradOptimizer(0.1), [0.14668182, 0.13880832]),
    "Momentum": (lambda: tf.train.MomentumOptimizer(0.1, 0.9), [-15.646107, -32.292213]),
}


@pytest.mark.parametrize("name", list(SPARSE_STEPS))
def test_sparse_optimizer_steps_from_eight_threads_all_count(graph, name):
    make, want = SPARSE_STEPS[name]
    table = tf.Variable(np.ones([8, 2], np.float32))
    ids = tf.placeholder(tf.int32, [None])
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, ids) * [1.0, 2.0])
    train = make().minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _in_threads(lambda i: [sess.run(train, {ids: [i]}) for _ in range(25)])
        got = sess.run(table)
    np.testing.assert_allclose(got, np.tile(want, (8, 1)), rtol=1e-6)  # every row the same


def test_adam_on_an_embedding_from_eight_threads_counts_every_step(graph):
    # Adam's sparse step is several ops (Assign, ScatterAdd, AssignSub; its beta powers are
    # read by one op and written by another), so how the threads' steps interleave changes
    # the numbers, in TF too; the global step's AssignAdd is one op and counts every step
    table = tf.Variable(np.ones([8, 2], np.float32))
    ids = tf.placeholder(tf.int32, [None])
    loss = tf.reduce_sum(tf.nn.embedding_lookup(table, ids) * [1.0, 2.0])
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _in_threads(lambda i: [sess.run(train, {ids: [i]}) for _ in range(25)])
        assert sess.run(step) == 200  # as TF 2.21


def test_locked_assign_add_with_readers_meanwhile(graph):
    v = tf.Variable(np.zeros(1000, np.float32))
    bump = tf.assign_add(v, tf.ones([1000]), use_locking=True)
    with tf.Session() as sess:
        sess.run(v.initializer)
        reading, done = threading.Event(), threading.Event()
        seen: list = []

        def read():  # never half an update, never going back
            last = 0.0
            while not done.is_set():
                value = sess.run(v)
                seen.append(bool((value == value[0]).all()) and value[0] >= last)
                last = value[0]
                reading.set()

        reader = threading.Thread(target=read)
        reader.start()
        assert reading.wait(10)
        _in_threads(lambda i: [sess.run(bump) for _ in range(50)])
        done.set()
        reader.join(30)
        assert sess.run(v)[[0, 999]].tolist() == [400.0, 400.0]  # as TF 2.21
        assert len(seen) > 1 and all(seen)


def _held_run(v, rows, values):
    """A run that adds ``values`` to ``rows`` of ``v``, waits for ``gate``, then fails."""
    gate = threading.Event()
    update = tf.scatter_add(v, rows, values)
    with tf.control_dependencies([update]):
        waits = tf.py_func(lambda x: gate.wait(10) and x, [tf.constant(0.0)], tf.float32)
    with tf.control_dependencies([waits]):
        failing = tf.Assert(tf.constant(False), ["fail"])
    return gate, failing


@pytest.mark.parametrize(
    ("rows", "after"),
    [
        # TF 2.21 keeps every row of the failed run; both keep a row another run changed since
        ([1, 2], [0.0, 111.0, 102.0, 3.0]),  # TF 2.21: the same
        ([2], [0.0, 1.0, 102.0, 3.0]),  # TF 2.21: [0, 11, 102, 3]: the failed run's +10 stays
    ],
)
def test_a_run_failing_while_another_changes_its_table(graph, rows, after):
    v = tf.Variable(np.arange(4, dtype=np.float32))
    gate, failing = _held_run(v, [1], [10.0])
    other = tf.scatter_add(v, rows, [100.0] * len(rows))
    with tf.Session() as sess:
        sess.run(v.initializer)
        raised = []
        in_flight = threading.Thread(
            target=lambda: (
                pytest.raises(tf.errors.InvalidArgumentError, sess.run, failing)
                and raised.append(True)
            )
        )
        in_flight.start()
        for _ in range(100):  # until the held run has made its change (TF: at once)
            if sess.run(v)[1] == 11.0:
                break
            threading.Event().wait(0.01)
        assert sess.run(v).tolist() == [0.0, 11.0, 2.0, 3.0]  # as TF 2.21
        want_now = np.array([0.0, 11.0, 2.0, 3.0], np.float32)
        want_now[rows] += 100.0
        assert sess.run(other).tolist() == want_now.tolist()  # as TF 2.21
        gate.set()
        in_flight.join(30)
        assert raised == [True]
        assert sess.run(v).tolist() == after
        assert sess._changing == {}


def test_a_checkpoint_saved_while_threads_update_holds_whole_updates(graph, tmp_path):
    # TF 2.21 saved half-done updates here (2 of 10 tensors had rows from two steps): its
    # Saver reads a variable while a kernel writes it. scopeflow's Saver reads each variable
    # as a whole update left it (a copy when a run is changing it in place)
    table = tf.Variable(np.zeros([2000, 4], np.float32), name="table")
    dense = tf.Variable(np.zeros([2000], np.float32), name="dense")
    every_row = tf.constant(np.arange(2000, dtype=np.int32))
    steps = [
        tf.scatter_add(table, every_row, tf.ones([2000, 4])),
        tf.assign_add(dense, tf.ones([2000])),
    ]
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        stop = threading.Event()

        def work():
            while not stop.is_set():
                sess.run(steps)

        workers = [threading.Thread(target=work) for _ in range(4)]
        for t in workers:
            t.start()
        whole = []
        try:
            for k in range(5):
                reader = tf.train.NewCheckpointReader(
                    saver.save(sess, str(tmp_path / "m"), global_step=k)
                )
                saved_table, saved_dense = reader.get_tensor("table"), reader.get_tensor("dense")
                whole.append(bool((saved_table == saved_table[0, 0]).all()))
                whole.append(bool((saved_dense == saved_dense[0]).all()))
        finally:
            stop.set()
            for t in workers:
                t.join(30)
        assert whole == [True] * 10


def test_the_threads_scopeflow_starts_are_named_daemons(graph, tmp_path):
    before = set(threading.enumerate())
    x = tf.random_normal([8, 16, 16, 8])
    loss = tf.reduce_sum(tf.layers.conv2d(x, 8, 3)) + tf.reduce_sum(
        tf.matmul(tf.random_normal([256, 256]), tf.random_normal([256, 256]))
    )
    train = tf.train.AdamOptimizer().minimize(loss)
    summary = tf.summary.scalar("loss", loss)
    writer = tf.summary.FileWriter(str(tmp_path))
    config = tf.ConfigProto(intra_op_parallelism_threads=2)
    with tf.Session(config=config) as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(2):
            writer.add_summary(sess.run([train, summary])[1], step)
        started = [t for t in threading.enumerate() if t not in before]
    writer.close()
    assert "EventLoggerThread" in [t.name for t in started]  # TF's name for the writer's
    assert all(t.daemon and not t.name.startswith("Thread-") for t in started)


def test_two_sessions_on_one_graph_keep_their_own_values_under_threads(graph):
    table = tf.Variable(np.zeros([4], np.float32))
    rows = tf.placeholder(tf.int32, [None])
    update = tf.scatter_add(table, rows, tf.ones([1]))
    first, second = tf.Session(), tf.Session()
    try:
        for sess in (first, second):
            sess.run(table.initializer)
        _in_threads(
            lambda i: [
                (first if i % 2 else second).run(update, {rows: [i // 2]}) for _ in range(50)
            ]
        )
        # as TF 2.21: each session holds its own values (odd threads: first; even: second)
        assert first.run(table).tolist() == [50.0] * 4
        assert second.run(table).tolist() == [50.0] * 4
    finally:
        first.close()
        second.close()
