"""Queues under threads: a ``dequeue_many`` larger than the queue, two dequeues waiting in
line, and a close that cuts a waiting dequeue short. TF 2.21 serves dequeues in the order
they came, the first taking elements as they arrive; a dequeue the close leaves short puts
back what it took. Expected values from TF 2.21 running the same steps."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

import scopeflow as tf


def _wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


class _Consumer(threading.Thread):
    def __init__(self, sess, fetch):
        super().__init__(daemon=True)
        self.sess, self.fetch, self.result, self.error = sess, fetch, None, None
        self.start()

    def run(self):
        try:
            self.result = self.sess.run(self.fetch).tolist()
        except tf.errors.OpError as e:
            self.error = e

    def outcome(self):
        self.join(10)
        assert not self.is_alive(), "the dequeue still waits"
        return self.result, self.error


@pytest.fixture
def fifo(graph):
    def make(capacity):
        queue = tf.FIFOQueue(capacity, tf.float32, shapes=[])
        x = tf.placeholder(tf.float32, [])
        return queue, x, queue.enqueue(x)

    return make


def test_a_dequeue_many_larger_than_the_capacity_takes_elements_as_they_come(fifo):
    queue, x, enqueue = fifo(2)
    with tf.Session() as sess:
        consumer = _Consumer(sess, queue.dequeue_many(3))
        for k in range(5):  # blocked here forever before: 3 never fitted in a queue of 2
            sess.run(enqueue, {x: float(k)})
        assert consumer.outcome() == ([0.0, 1.0, 2.0], None)  # as TF 2.21
        assert sess.run(queue.size()) == 2
        consumer = _Consumer(sess, queue.dequeue_many(3))
        _wait_until(lambda: sess.run(queue.size()) == 0)  # it took the two left
        sess.run(queue.close())
        result, error = consumer.outcome()
        assert type(error) is tf.errors.OutOfRangeError
        assert "is closed and has insufficient elements (requested 1, current size 0)" in str(error)
        assert sess.run(queue.dequeue_up_to(3)).tolist() == [3.0, 4.0]  # they went back


def test_a_dequeue_cut_short_by_a_close_puts_back_what_it_took(fifo):
    queue, x, enqueue = fifo(5)
    with tf.Session() as sess:
        consumer = _Consumer(sess, queue.dequeue_many(5))
        for k in (1.0, 2.0, 3.0):
            sess.run(enqueue, {x: k})
        _wait_until(lambda: sess.run(queue.size()) == 0)
        sess.run(queue.close())
        result, error = consumer.outcome()
        # TF 2.21's words: the elements still wanted, and the size before the put-back
        assert type(error) is tf.errors.OutOfRangeError
        assert "(requested 2, current size 0)" in str(error)
        assert sess.run(queue.size()) == 3
        assert sess.run(queue.dequeue_up_to(3)).tolist() == [1.0, 2.0, 3.0]


def test_a_waiting_dequeue_up_to_gives_what_it_took_when_the_queue_closes(fifo):
    queue, x, enqueue = fifo(2)
    with tf.Session() as sess:
        consumer = _Consumer(sess, queue.dequeue_up_to(3))
        sess.run(enqueue, {x: 1.0})
        _wait_until(lambda: sess.run(queue.size()) == 0)
        sess.run(queue.close())
        assert consumer.outcome() == ([1.0], None)  # as TF 2.21


def test_waiting_dequeues_are_served_in_the_order_they_came(fifo):
    queue, x, enqueue = fifo(10)
    with tf.Session() as sess:
        first = _Consumer(sess, queue.dequeue_many(3))
        sess.run(enqueue, {x: 1.0})
        _wait_until(lambda: sess.run(queue.size()) == 0)  # the first now holds one
        second = _Consumer(sess, queue.dequeue_many(3, name="second"))
        for k in (2.0, 3.0, 4.0, 5.0, 6.0):
            sess.run(enqueue, {x: k})
        assert first.outcome() == ([1.0, 2.0, 3.0], None)  # as TF 2.21
        assert second.outcome() == ([4.0, 5.0, 6.0], None)


def test_a_random_shuffle_dequeue_many_takes_what_min_after_dequeue_frees(graph):
    queue = tf.RandomShuffleQueue(3, 1, tf.float32, shapes=[], seed=3)
    x = tf.placeholder(tf.float32, [])
    enqueue = queue.enqueue(x)
    with tf.Session() as sess:
        consumer = _Consumer(sess, queue.dequeue_many(3))
        for k in (1.0, 2.0, 3.0, 4.0):  # the fourth waits for room before: 3 never left 1
            sess.run(enqueue, {x: k})
        result, error = consumer.outcome()
        assert error is None and len(result) == 3
        assert sess.run(queue.size()) == 1  # as TF 2.21: min_after_dequeue stays
        sess.run(queue.close())
        left = sess.run(queue.dequeue())  # a closed queue hands out its last element
        assert sorted([*result, float(left)]) == [1.0, 2.0, 3.0, 4.0]


def test_waiting_enqueues_are_served_in_the_order_they_came(fifo):
    queue, x, enqueue = fifo(1)
    with tf.Session() as sess:
        many = threading.Thread(target=sess.run, args=(queue.enqueue_many([[1.0, 2.0, 3.0]]),))
        many.start()
        _wait_until(lambda: sess.run(queue.size()) == 1)  # its first element is in
        one = threading.Thread(target=sess.run, args=(enqueue, {x: 10.0}))
        one.start()
        got = [sess.run(queue.dequeue()) for _ in range(4)]
        many.join(10)
        one.join(10)
        # as TF 2.21: the enqueue_many puts all its elements in before the next enqueue
        assert got == [1.0, 2.0, 3.0, 10.0]  # 1, 10, 2, 3 half the time before


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT to its own process")
def test_an_interrupted_dequeue_many_puts_back_what_it_took(graph):
    # TF 2.21 cannot interrupt a blocked run; scopeflow raises KeyboardInterrupt there and,
    # as for variables, leaves the queue as it was
    queue = tf.FIFOQueue(5, tf.float32, shapes=[])
    with tf.Session() as sess:
        sess.run(queue.enqueue_many([[1.0, 2.0]]))
        timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            # it took both and waits for a third; the timeout only guards the test
            sess.run(queue.dequeue_many(3), options=tf.RunOptions(timeout_in_ms=10000))
        timer.join()
        back = sess.run(queue.dequeue_many(2), options=tf.RunOptions(timeout_in_ms=5000))
        assert back.tolist() == [1.0, 2.0]
