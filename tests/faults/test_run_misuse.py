"""More of what users get wrong around ``Session.run``: feeding a variable, a callable of a
closed session, values that do not fit a placeholder, arrays too large to allocate, NaN or Inf
caught inside a loop, queues closed under a waiting enqueue, queue runners without a
coordinator, coordinators handed exceptions, and ops built while another thread runs the
graph. Expected types, words and values are TensorFlow 2.21's for the same programs
(tf.compat.v1, graph mode); where scopeflow differs the test says how."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import scopeflow as tf


@pytest.mark.parametrize("key", ["variable", "ref", "value"])
def test_feeding_a_variable_replaces_its_value_in_that_run_only(graph, key):
    v = tf.Variable([1.0, 2.0], name="v")
    fed = {"variable": v, "ref": v.op.outputs[0], "value": v.value()}[key]
    y = v * 2.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(y, {fed: [5.0, 6.0]}).tolist() == [10.0, 12.0]  # as TF 2.21
        assert sess.run(v).tolist() == [1.0, 2.0]
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor"):
            sess.run(y, {fed: [5.0, 6.0, 7.0]})


def test_a_variable_fed_and_fetched_gives_the_fed_value(graph):
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v, {v: [7.0, 8.0]}).tolist() == [7.0, 8.0]  # as TF 2.21
        assert sess.run(v).tolist() == [1.0, 2.0]


def test_make_callable_on_a_closed_session_is_cancelled_at_once(graph):
    c = tf.constant(1.0)
    with tf.Session() as sess:
        pass
    with pytest.raises(tf.errors.CancelledError, match="Session has been closed."):
        sess.make_callable(c)  # TF 2.21: at make_callable, not at the first call


def test_values_that_do_not_fit_a_placeholder(graph):
    a = tf.placeholder(tf.float32, [2])
    b = tf.placeholder(tf.int32, [None, 2])
    out = a[0] + tf.cast(b[0, 0], tf.float32)
    with tf.Session() as sess:
        # TF 2.21 flattens a structured key's value completely: the same error and words
        with pytest.raises(ValueError, match="Could not flatten dictionary. Key had 2 elements"):
            sess.run(out, {(a, b): ([1.0, 2.0], [[3, 4]])})
        with pytest.raises(ValueError, match="could not convert string to float"):
            sess.run(out, {a: ["x", "y"], b: [[1, 2]]})
        with pytest.raises(ValueError, match="inhomogeneous shape after 1 dimensions"):
            sess.run(out, {a: [1.0, 2.0], b: [[1, 2], [3]]})
        with pytest.raises(TypeError, match="float\\(\\) argument must be a string or a"):
            sess.run(out, {a: {"x": 1}, b: [[1, 2]]})
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor"):
            sess.run(out, {a: tf.constant([1.0, 2.0]), b: [[1, 2]]})
        assert sess.run(out, {a: [1.0, 2.0], b: [[1.5, 2.0]]}) == 2.0  # as TF 2.21
        # TF 2.21 wraps 2**40 around to 0 and gives 1.0; scopeflow refuses, in the words TF
        # uses for a scalar that does not fit
        with pytest.raises(TypeError, match="out of bounds for int32. Try explicitly setting"):
            sess.run(out, {a: [1.0, 2.0], b: [[2**40, 2]]})


def test_an_array_too_large_to_allocate_is_resource_exhausted(graph):
    n = tf.placeholder(tf.int32, [])
    big = tf.reduce_sum(tf.fill([n, n], 1.0))
    with tf.Session() as sess:
        # TF 2.21: ResourceExhaustedError 'OOM when allocating tensor with shape[262144,262144]
        # and type float on /job:localhost/replica:0/task:0/device:CPU:0 by allocator mklcpu'
        with pytest.raises(tf.errors.ResourceExhaustedError) as info:
            sess.run(big, {n: 2**18})
        assert "OOM when allocating tensor with shape[262144,262144] and type float" in str(
            info.value
        )
        assert info.value.op.name == "Fill"
        assert sess.run(big, {n: 3}) == 9.0  # the session goes on


@pytest.mark.parametrize(("start", "words"), [(1e30, "Inf"), (float("nan"), "NaN")])
def test_check_numerics_inside_a_loop_stops_the_run(graph, start, words):
    x0 = tf.placeholder(tf.float32, [])
    v = tf.Variable(0.0)

    def body(i, x):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1, tf.check_numerics(x * 10.0, "blew up")

    loop = tf.while_loop(lambda i, x: i < 50, body, [0, x0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match=f"blew up : Tensor had {words}"):
            sess.run(loop, {x0: start})  # as TF 2.21 (op while/CheckNumerics)
        assert sess.run(v) == 0.0  # TF 2.21 keeps the failed run's +1s; scopeflow puts back
        assert sess.run(loop, {x0: 0.0}) == (50, 0.0)  # as TF 2.21


def test_closing_a_queue_under_a_waiting_enqueue_keeps_its_element(graph):
    queue = tf.FIFOQueue(2, tf.float32)
    x = tf.placeholder(tf.float32, [])
    enqueue, close, dequeue = queue.enqueue(x), queue.close(), queue.dequeue()
    with tf.Session() as sess:
        raised = []

        def produce():
            try:
                for k in range(4):
                    sess.run(enqueue, {x: float(k)})
            except tf.errors.CancelledError as e:
                raised.append(str(e))

        producer = threading.Thread(target=produce)
        producer.start()
        deadline = time.monotonic() + 10
        while sess.run(queue.size()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # the third enqueue now waits for room
        sess.run(close)  # TF 2.21's close waits here for the enqueue; scopeflow's returns
        got = [sess.run(dequeue) for _ in range(3)]
        producer.join(10)
        assert got == [0.0, 1.0, 2.0]  # as TF 2.21: the waiting element went in
        assert len(raised) == 1 and "is closed" in raised[0]  # the fourth: as TF 2.21
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
            sess.run(dequeue)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_queue_runners_without_a_coordinator_end_with_their_session(graph):
    queue = tf.FIFOQueue(3, tf.float32)
    runner = tf.train.QueueRunner(queue, [queue.enqueue(1.0)])
    tf.train.add_queue_runner(runner)
    dequeue = queue.dequeue()
    sess = tf.Session()
    threads = tf.train.start_queue_runners(sess)
    assert sess.run(dequeue) == 1.0
    assert [(t.daemon, t.name) for t in threads] == [
        (True, "QueueRunnerThread-fifo_queue-fifo_queue_enqueue")
    ]  # as TF 2.21
    sess.close()  # the waiting enqueue is cancelled; with no coordinator the thread raises it
    for t in threads:
        t.join(10)
    assert [t.is_alive() for t in threads] == [False]
    # TF 2.21: [CancelledError 'Enqueue operation was cancelled']
    assert [type(e) for e in runner.exceptions_raised] == [tf.errors.CancelledError]


def test_a_coordinator_reraises_the_first_exception_its_threads_report():
    coord = tf.train.Coordinator()

    def failing():
        with coord.stop_on_exception():
            raise ValueError("boom")

    def waiting():
        while not coord.should_stop():
            time.sleep(0.01)

    threads = [threading.Thread(target=failing), threading.Thread(target=waiting)]
    for t in threads:
        t.start()
    for _ in range(2):  # as TF 2.21: raised by every join
        with pytest.raises(ValueError, match="boom"):
            coord.join(threads, stop_grace_period_secs=2)
    second = tf.train.Coordinator()
    for error in (RuntimeError("first"), ValueError("second")):
        try:
            raise error
        except Exception as e:  # noqa: BLE001 - handed to the coordinator
            second.request_stop(e)
    with pytest.raises(RuntimeError, match="first"):  # as TF 2.21: the first one
        second.join([])
    third = tf.train.Coordinator()
    try:
        raise tf.errors.OutOfRangeError(None, None, "end of input")
    except tf.errors.OutOfRangeError as e:
        third.request_stop(e)
    third.join([])  # as TF 2.21: the end of the input is a clean stop


def test_a_coordinator_names_the_threads_that_do_not_stop():
    coord = tf.train.Coordinator()
    release = threading.Event()
    stuck = threading.Thread(target=lambda: release.wait(10), name="stuck-reader")
    stuck.start()
    coord.request_stop()
    with pytest.raises(RuntimeError, match="threads still running: stuck-reader"):
        coord.join([stuck], stop_grace_period_secs=0.1)  # TF 2.21's words
    release.set()
    stuck.join(10)


def test_ops_built_in_threads_while_another_thread_trains():
    g = tf.Graph()
    with g.as_default():
        w = tf.get_variable("w", initializer=tf.ones([4, 4]))
        x = tf.placeholder(tf.float32, [None, 4])
        train = tf.train.GradientDescentOptimizer(1e-4).minimize(
            tf.reduce_sum(tf.matmul(x, w) ** 2)
        )
        init = tf.global_variables_initializer()
    built: dict = {}
    with tf.Session(graph=g) as sess:
        sess.run(init)
        stop = threading.Event()

        def train_loop():
            while not stop.is_set():
                sess.run(train, {x: np.ones([2, 4], np.float32)})

        def build(k):
            with g.as_default():
                outs = [
                    tf.matmul(tf.constant(np.eye(4, dtype=np.float32) * i), w, name="mm")
                    for i in range(30)
                ]
                extra = tf.Variable(float(k), name=f"extra{k}")
                sess.run(extra.initializer)
                built[k] = (outs[-1].op.name, float(sess.run(extra)), sess.run(outs[0]).sum())

        trainer = threading.Thread(target=train_loop)
        trainer.start()
        builders = [threading.Thread(target=build, args=(k,)) for k in range(4)]
        for t in builders:
            t.start()
        for t in builders:
            t.join(30)
        stop.set()
        trainer.join(30)
    # as TF 2.21: the threads' ops share one name sequence, none lost or repeated
    names = {op.name for op in g.get_operations() if op.type == "MatMul" and "mm" in op.name}
    assert names == {"mm"} | {f"mm_{i}" for i in range(1, 120)}
    assert {k: b[1:] for k, b in built.items()} == {k: (float(k), 0.0) for k in range(4)}
    assert sorted(v.op.name for v in g.get_collection("variables")) == [
        "extra0",
        "extra1",
        "extra2",
        "extra3",
        "w",
    ]


def test_blocked_queue_ops_give_up_at_the_runs_timeout(graph):
    queue = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    enqueue, dequeue, dequeue_two = queue.enqueue(1.0), queue.dequeue(), queue.dequeue_many(2)
    timeout = tf.RunOptions(timeout_in_ms=100)
    with tf.Session() as sess:
        started = time.monotonic()
        with pytest.raises(tf.errors.DeadlineExceededError, match="Timed out waiting for notif"):
            sess.run(dequeue, options=timeout)  # as TF 2.21
        assert time.monotonic() - started < 5
        sess.run(enqueue)
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(queue.enqueue(2.0), options=timeout)  # a full queue: as TF 2.21
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(dequeue_two, options=timeout)
        assert sess.run(queue.size()) == 0  # as TF 2.21: the element it took is lost
    config = tf.ConfigProto(operation_timeout_in_ms=100)
    with tf.Session(config=config) as sess:
        with pytest.raises(tf.errors.DeadlineExceededError, match="Timed out waiting for notif"):
            sess.run(dequeue)  # the session's timeout: as TF 2.21


def test_a_waiting_take_grad_gives_up_at_the_runs_timeout(graph):
    accumulator = tf.ConditionalAccumulator(tf.float32, shape=[2])
    apply = accumulator.apply_grad([1.0, 2.0], local_step=0)
    take = accumulator.take_grad(2)
    timeout = tf.RunOptions(timeout_in_ms=100)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.DeadlineExceededError, match="Timed out waiting for notif"):
            sess.run(take, options=timeout)  # as TF 2.21
        sess.run(apply)
        sess.run(apply)
        assert sess.run(accumulator.num_accumulated()) == 2  # as TF 2.21
        assert sess.run(take, options=timeout).tolist() == [1.0, 2.0]  # no taker left behind
