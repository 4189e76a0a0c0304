"""Tests for scopeflow/train/coordinator.py: tf.train.Coordinator and LooperThread stop
threads together and re-raise the first error, with TF1's words (checked against TF 2.21's
compat.v1)."""

from __future__ import annotations

import sys
import threading
import time

import pytest

import scopeflow as tf


def _raise(error):
    raise error


def test_join_reraises_the_first_error_a_thread_reported():
    coord = tf.train.Coordinator()
    started = threading.Event()

    def fail():
        with coord.stop_on_exception():
            _raise(ValueError("bad input"))

    def wait():
        started.set()
        while not coord.should_stop():
            time.sleep(0.001)

    threads = [threading.Thread(target=wait), threading.Thread(target=fail)]
    threads[0].start()
    started.wait()
    threads[1].start()
    with pytest.raises(ValueError, match="bad input"):
        coord.join(threads)
    assert coord.should_stop() and coord.joined
    assert not any(t.is_alive() for t in threads)


def test_only_the_first_error_is_kept():
    coord = tf.train.Coordinator()
    for message in ("first", "second"):
        try:
            _raise(RuntimeError(message))
        except RuntimeError as e:
            coord.request_stop(e)
    with pytest.raises(RuntimeError, match="first"):
        coord.join()


def test_an_exc_info_tuple_is_reraised():
    coord = tf.train.Coordinator()
    try:
        _raise(KeyError("k"))
    except KeyError:
        info = sys.exc_info()
    coord.request_stop(info)
    with pytest.raises(KeyError):
        coord.raise_requested_exception()


def test_out_of_range_stops_cleanly_by_default():
    coord = tf.train.Coordinator()
    with coord.stop_on_exception():
        raise tf.errors.OutOfRangeError(None, None, "End of sequence")
    assert coord.should_stop()
    coord.join()  # nothing raised


def test_clean_stop_exception_types_can_be_emptied():
    coord = tf.train.Coordinator(clean_stop_exception_types=[])
    with coord.stop_on_exception():
        raise tf.errors.OutOfRangeError(None, None, "End of sequence")
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        coord.join()


def test_threads_still_running_after_the_grace_period():
    coord = tf.train.Coordinator()
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="sleeper")
    thread.start()
    coord.request_stop()
    try:
        with pytest.raises(RuntimeError, match="threads still running: sleeper"):
            coord.join([thread], stop_grace_period_secs=0.01)
    finally:
        release.set()
        thread.join()


def test_ignore_live_threads_only_logs(caplog):
    coord = tf.train.Coordinator()
    release = threading.Event()
    thread = threading.Thread(target=release.wait, name="sleeper")
    thread.start()
    coord.request_stop()
    try:
        with caplog.at_level("INFO", logger="tensorflow"):
            coord.join([thread], stop_grace_period_secs=0.01, ignore_live_threads=True)
    finally:
        release.set()
        thread.join()
    assert "Coordinator stopped with threads still running: sleeper" in caplog.text


def test_an_error_reported_after_join_is_raised_at_once():
    coord = tf.train.Coordinator()
    coord.request_stop()
    coord.join()
    with pytest.raises(ValueError, match="late"):
        coord.request_stop(ValueError("late"))


def test_clear_stop_lets_the_threads_run_again():
    coord = tf.train.Coordinator()
    with coord.stop_on_exception():
        raise ValueError("x")
    coord.clear_stop()
    assert not coord.should_stop() and not coord.joined
    coord.raise_requested_exception()  # forgotten
    assert coord.wait_for_stop(0.001) is False


def test_join_waits_for_registered_threads():
    coord = tf.train.Coordinator()
    done = []
    thread = threading.Thread(target=lambda: done.append(1))
    coord.register_thread(thread)
    thread.start()
    coord.join()
    assert done == [1]


def test_looper_thread_calls_its_target_until_the_stop():
    coord = tf.train.Coordinator()
    calls = []

    def step(tag):
        calls.append(tag)
        if len(calls) == 3:
            coord.request_stop()

    looper = tf.train.LooperThread.loop(coord, None, target=step, args=("x",))
    coord.join([looper])
    assert calls == ["x", "x", "x"]


def test_looper_thread_on_a_timer_and_its_error():
    coord = tf.train.Coordinator()
    calls = []

    def step():
        calls.append(time.time())
        if len(calls) == 2:
            raise ValueError("step failed")

    tf.train.LooperThread.loop(coord, 0.01, target=step)
    with pytest.raises(ValueError, match="step failed"):
        coord.join()  # the looper registered itself
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.005


def test_looper_thread_subclass_hooks():
    coord = tf.train.Coordinator()
    events = []

    class Looper(tf.train.LooperThread):
        def start_loop(self):
            events.append("start")

        def run_loop(self):
            events.append("run")
            coord.request_stop()

        def stop_loop(self):
            events.append("stop")

    looper = Looper(coord, None)
    looper.start()
    coord.join()
    assert events == ["start", "run", "stop"] and looper.daemon


def test_looper_thread_bad_arguments():
    with pytest.raises(ValueError, match="'coord' argument must be a Coordinator"):
        tf.train.LooperThread(object(), 1)
    with pytest.raises(ValueError, match="require that you also pass 'target'"):
        tf.train.LooperThread(tf.train.Coordinator(), 1, args=(1,))
