"""Ctrl-C in the middle of a run: inside a long ``tf.while_loop`` that updates variables,
between the matmuls of a long chain, and while another thread's run updates the same table.
TensorFlow 2.21 (tf.compat.v1, graph mode) cannot stop a run: it finishes it (a 100000-step
loop adding 1 to ``v`` leaves ``v`` at 100000), prints the interrupt from its runtime and
raises nothing. scopeflow stops the run where the signal finds it, raises
``KeyboardInterrupt``, puts back what the run wrote, and the session goes on."""

from __future__ import annotations

import _thread
import threading

import numpy as np
import pytest

import scopeflow as tf


def _interrupt_when(event: threading.Event) -> threading.Thread:
    """A thread that interrupts the main thread once ``event`` is set."""
    thread = threading.Thread(target=lambda: event.wait(10) and _thread.interrupt_main())
    thread.start()
    return thread


def _counting_loop(v, table, row, steps, started=None, at=100, done=None):
    """A while_loop adding 1 to ``v`` and to ``table[row]`` each step; ``started`` is set at
    step ``at``; ``done`` collects the steps finished."""

    def mark(i):
        if started is not None and i == at:
            started.set()
        if done is not None:
            done.append(i)
        return i

    def body(i):
        updates = [tf.assign_add(v, 1.0), tf.scatter_add(table, [row], [1.0])]
        with tf.control_dependencies(updates):
            i = tf.py_func(mark, [i], tf.int32, stateful=True)
            i.set_shape([])
            return i + 1

    return tf.while_loop(lambda i: i < steps, body, [tf.constant(0)])


def test_an_interrupt_inside_a_long_loop_changes_nothing_and_the_session_goes_on(graph):
    v = tf.Variable(0.0)
    table = tf.Variable(np.zeros([4], np.float32))
    started = threading.Event()
    endless = _counting_loop(v, table, 0, 10**8, started)
    short = _counting_loop(v, table, 1, 10)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        interrupter = _interrupt_when(started)
        with pytest.raises(KeyboardInterrupt):
            sess.run(endless)
        interrupter.join(10)
        assert sess.run(v) == 0.0 and sess.run(table).tolist() == [0.0] * 4
        assert sess._changing == {}
        assert sess.run(short) == 10  # the update locks were let go
        assert sess.run(v) == 10.0 and sess.run(table).tolist() == [0.0, 10.0, 0.0, 0.0]


def test_an_interrupt_between_matmuls_leaves_the_weights(graph):
    w = tf.Variable(np.eye(64, dtype=np.float32) * 0.5)
    h = w
    for _ in range(20):
        h = tf.matmul(h, w)
    with tf.control_dependencies([h]):  # the signal comes in the middle of the chain
        signal = tf.py_func(lambda: _thread.interrupt_main() or np.float32(0), [], tf.float32)
    rest = h
    with tf.control_dependencies([signal]):
        for _ in range(20):
            rest = tf.matmul(rest, w)
    step = tf.assign(w, rest)
    plain = tf.assign(w, tf.matmul(w, w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        with pytest.raises(KeyboardInterrupt):
            sess.run(step)
        np.testing.assert_array_equal(sess.run(w), np.eye(64) * 0.5)
        np.testing.assert_array_equal(sess.run(plain), np.eye(64) * 0.25)


def test_an_interrupt_leaves_another_threads_updates_to_the_same_table(graph):
    # The other thread's 200 updates all stay and v, which only the interrupted run wrote, is
    # put back. Row 0, which only the interrupted run changed: put back when its steps
    # changed the table in place (rows no other run changed since are written back), kept
    # when a step had to copy the table (something held its array) and the other run wrote
    # the copy after it (as TF keeps every write), rather than lose the other run's updates
    v = tf.Variable(0.0)
    table = tf.Variable(np.zeros([4], np.float32))
    started = threading.Event()
    steps: list = []
    endless = _counting_loop(v, table, 0, 10**8, started, done=steps)
    other = tf.scatter_add(table, [1], [1.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        done = threading.Event()

        def work():
            started.wait(10)
            for _ in range(200):
                sess.run(other)
            done.set()

        worker = threading.Thread(target=work)
        worker.start()
        interrupter = _interrupt_when(done)
        with pytest.raises(KeyboardInterrupt):
            sess.run(endless)
        worker.join(10)
        interrupter.join(10)
        table_value = sess.run(table).tolist()
        assert table_value[1:] == [200.0, 0.0, 0.0] and sess.run(v) == 0.0
        assert table_value[0] in (0.0, len(steps), len(steps) + 1)  # +1: the last step
        assert sess._changing == {}


def test_closing_the_session_cancels_a_long_loop_running_in_another_thread(graph):
    v = tf.Variable(0.0)
    table = tf.Variable(np.zeros([4], np.float32))
    started = threading.Event()
    endless = _counting_loop(v, table, 0, 10**8, started)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    raised = []

    def run():
        try:
            sess.run(endless)
        except tf.errors.CancelledError as e:
            raised.append(str(e))

    runner = threading.Thread(target=run)
    runner.start()
    assert started.wait(10)
    sess.close()  # TF 2.21: the run raises CancelledError at once
    runner.join(10)
    assert not runner.is_alive() and len(raised) == 1 and "cancelled" in raised[0]
