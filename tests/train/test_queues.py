"""Queue-based input pipelines: QueueRunner threads, input producers, batch and shuffle_batch.
Graphs are checked op for op against TF 2.21 (tests/data/queues/queue_pipelines.json);
every test that could wait on a queue runs under a timeout and closes what it started."""

from __future__ import annotations

import json
import pathlib
import threading
import time

import numpy as np
import pytest

import scopeflow as tf

REFERENCE = json.loads(
    (pathlib.Path(__file__).parents[1] / "data" / "queues" / "queue_pipelines.json").read_text()
)

GRAPHS = {
    "range_input_producer": lambda: tf.train.range_input_producer(5, shuffle=False).dequeue(),
    "range_input_producer_epochs": lambda: tf.train.range_input_producer(
        5, num_epochs=2, shuffle=True, seed=3
    ).dequeue(),
    "string_input_producer": lambda: tf.train.string_input_producer(["a", "b"]).dequeue(),
    "slice_input_producer": lambda: tf.train.slice_input_producer(
        [tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([0, 1])], shuffle=False
    ),
    "batch": lambda: tf.train.batch([tf.constant([1.0, 2.0]), tf.constant(3)], 4),
    "batch_smaller_final": lambda: tf.train.batch(
        {"x": tf.constant([1.0, 2.0])}, 4, num_threads=2, allow_smaller_final_batch=True
    ),
    "shuffle_batch": lambda: tf.train.shuffle_batch(
        [tf.constant([1.0, 2.0])], 4, capacity=20, min_after_dequeue=5, seed=1
    ),
    "batch_enqueue_many": lambda: tf.train.batch(
        [tf.constant([[1.0], [2.0]])], 2, enqueue_many=True
    ),
    "batch_join": lambda: tf.train.batch_join([[tf.constant(1.0)], [tf.constant(2.0)]], 2),
}


@pytest.mark.parametrize("key", sorted(GRAPHS))
def test_pipeline_graph_matches_tf(key):
    expected = REFERENCE[key]
    g = tf.Graph()
    with g.as_default():
        GRAPHS[key]()
    assert [[op.name, op.type] for op in g.get_operations()] == expected["ops"]
    runners = g.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    assert [
        [qr.name, [op.name for op in qr.enqueue_ops], qr.close_op.name, qr.cancel_op.name]
        for qr in runners
    ] == expected["queue_runners"]
    assert [t.op.name for t in g.get_collection(tf.GraphKeys.SUMMARIES)] == expected["summaries"]
    assert [v.name for v in g.get_collection(tf.GraphKeys.LOCAL_VARIABLES)] == expected[
        "local_variables"
    ]


def _stop(coord, threads):
    coord.request_stop()
    coord.join(threads, stop_grace_period_secs=10)


def test_producer_batch_train_loop_ends_on_out_of_range_after_num_epochs():
    data = np.arange(10, dtype=np.float32).reshape(10, 1)
    with tf.Graph().as_default():
        x, y = tf.train.slice_input_producer(
            [tf.constant(data), tf.constant(data[:, 0] * 2.0)], num_epochs=3, seed=2
        )
        xb, yb = tf.train.batch([x, y], batch_size=4, allow_smaller_final_batch=True)
        w = tf.Variable([[0.0]])
        loss = tf.reduce_mean(tf.square(tf.matmul(xb, w)[:, 0] - yb))
        train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            assert all(t.daemon for t in threads)
            assert any("QueueRunnerThread-batch/fifo_queue-" in t.name for t in threads)
            rows, steps = 0, 0
            try:
                while not coord.should_stop():
                    _, batch = sess.run([train, xb])
                    rows += len(batch)
                    steps += 1
            except tf.errors.OutOfRangeError:
                pass
            finally:
                _stop(coord, threads)
            assert rows == 30 and steps == 8  # 7 full batches and the 2 rows left
            assert abs(sess.run(w)[0, 0] - 2.0) < 0.5


def test_ptb_reader_style_range_producer_and_strided_slice():
    raw = np.arange(40, dtype=np.int32)
    batch_size, num_steps = 2, 4
    with tf.Graph().as_default():
        data = tf.reshape(tf.constant(raw), [batch_size, 20])
        epoch_size = (20 - 1) // num_steps
        i = tf.train.range_input_producer(epoch_size, shuffle=False).dequeue()
        x = tf.strided_slice(data, [0, i * num_steps], [batch_size, (i + 1) * num_steps])
        y = tf.strided_slice(data, [0, i * num_steps + 1], [batch_size, (i + 1) * num_steps + 1])
        x.set_shape([batch_size, num_steps])
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            try:
                seen = [sess.run([x, y]) for _ in range(epoch_size + 1)]
            finally:
                _stop(coord, threads)
    first_x, first_y = seen[0]
    np.testing.assert_array_equal(first_x, [[0, 1, 2, 3], [20, 21, 22, 23]])
    np.testing.assert_array_equal(first_y, [[1, 2, 3, 4], [21, 22, 23, 24]])
    np.testing.assert_array_equal(seen[epoch_size][0], first_x)  # the next epoch starts over


def test_string_input_producer_epochs_then_out_of_range():
    with tf.Graph().as_default():
        name = tf.train.string_input_producer(["a", "b", "c"], num_epochs=2, seed=1).dequeue()
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            try:
                got = [sess.run(name) for _ in range(6)]
                with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has"):
                    sess.run(name)
            finally:
                _stop(coord, threads)
    assert sorted(got) == [b"a", b"a", b"b", b"b", b"c", b"c"]


def test_shuffle_batch_draws_from_all_rows():
    with tf.Graph().as_default():
        (i,) = tf.train.slice_input_producer([tf.range(20)], num_epochs=1, shuffle=False)
        batch = tf.train.shuffle_batch(
            [i], 5, capacity=12, min_after_dequeue=4, seed=3, allow_smaller_final_batch=True
        )
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            got = []
            try:
                while True:
                    got += sess.run(batch).tolist()
            except tf.errors.OutOfRangeError:
                pass
            finally:
                _stop(coord, threads)
    assert sorted(got) == list(range(20)) and got != list(range(20))


def test_dequeue_waits_for_an_enqueue_from_another_thread():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.float32)
        put, take = q.enqueue(7.0), q.dequeue()
        with tf.Session() as sess:
            result = []
            t = threading.Thread(target=lambda: result.append(sess.run(take)), daemon=True)
            t.start()
            time.sleep(0.2)
            assert result == []  # still waiting
            sess.run(put)
            t.join(timeout=10)
            assert result == [7.0]


def test_enqueue_waits_while_full_and_close_cancels_it():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(1, tf.float32)
        put = q.enqueue(1.0)
        with tf.Session() as sess:
            sess.run(put)
            errors = []

            def blocked():
                try:
                    sess.run(put)
                except tf.errors.CancelledError as e:
                    errors.append(e)

            t = threading.Thread(target=blocked, daemon=True)
            t.start()
            time.sleep(0.2)
            assert t.is_alive()
            sess.run(q.close(cancel_pending_enqueues=True))
            t.join(timeout=10)
            assert not t.is_alive()
            assert "is closed" in str(errors[0])
            assert sess.run(q.dequeue()) == 1.0  # what was in it stays


def test_session_close_unblocks_a_waiting_dequeue():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.float32)
        take = q.dequeue()
        sess = tf.Session()
        errors = []

        def blocked():
            try:
                sess.run(take)
            except tf.errors.CancelledError as e:
                errors.append(e)

        t = threading.Thread(target=blocked, daemon=True)
        t.start()
        time.sleep(0.2)
        sess.close()
        t.join(timeout=10)
        assert not t.is_alive()
        assert "Session has been closed" in str(errors[0])


def test_queue_runner_closes_the_queue_when_its_input_runs_out():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(10, tf.int64)
        v = tf.Variable(0, dtype=tf.int64, name="n")
        qr = tf.train.QueueRunner(q, [q.enqueue(tf.count_up_to(v, 3))])
        with tf.Session() as sess:
            sess.run(v.initializer)
            threads = qr.create_threads(sess, start=True)
            for t in threads:
                t.join(timeout=10)
            assert sess.run(q.is_closed())
            assert sess.run(q.dequeue_up_to(10)).tolist() == [0, 1, 2]
            assert qr.exceptions_raised == []


def test_queue_runner_errors_are_tfs():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.float32)
        with pytest.raises(ValueError, match="Must provide queue and enqueue_ops."):
            tf.train.QueueRunner(q, [])
        with pytest.raises(TypeError, match="must be a tuple of tf.error types"):
            tf.train.QueueRunner(q, [q.enqueue(1.0)], queue_closed_exception_types=[ValueError])
        with pytest.raises(ValueError, match="capacity 10 must be bigger than min_after_dequeue"):
            tf.train.shuffle_batch([tf.constant(1.0)], 2, 10, 10)
        with pytest.raises(ValueError, match="No default session is registered"):
            tf.train.start_queue_runners()


def test_monitored_training_session_starts_the_queue_runners():
    with tf.Graph().as_default():
        (i,) = tf.train.slice_input_producer([tf.range(6)], num_epochs=1, shuffle=False)
        batch = tf.train.batch([i], 2)
        tf.train.get_or_create_global_step()
        got = []
        with tf.train.MonitoredTrainingSession() as sess:
            while not sess.should_stop():
                got += sess.run(batch).tolist()
    assert got == [0, 1, 2, 3, 4, 5]


def test_strided_slice_builds_tfs_ops():
    # TF 2.21: tf.strided_slice(x, [0, i * 4], [2, (i + 1) * 4]) without strides.
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.int32, [2, 20])
        i = tf.placeholder(tf.int32, [])
        y = tf.strided_slice(x, [0, i * 4], [2, (i + 1) * 4])
    assert [op.name for op in g.get_operations()][2:] == [
        "mul/y", "mul", "add/y", "add", "mul_1/y", "mul_1", "ones_like/tensor/0",
        "ones_like/tensor", "ones_like/Shape/shape_as_tensor", "ones_like/Const", "ones_like",
        "StridedSlice/begin/0", "StridedSlice/begin", "StridedSlice/end/0", "StridedSlice/end",
        "StridedSlice",
    ]  # fmt: skip
    with tf.Session(graph=g) as sess:
        value = sess.run(y, {x: np.arange(40).reshape(2, 20), i: 1})
    np.testing.assert_array_equal(value, [[4, 5, 6, 7], [24, 25, 26, 27]])
