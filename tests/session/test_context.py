"""Tests for scopeflow/session/context.py's row updates (``RunContext.update_rows``, what the
sparse update kernels use): a table nothing else holds is changed in place, in the rows named;
one something else holds (a value read earlier in the run, a checkpoint being written) is
copied first; a failing or interrupted run writes the old rows back (not those another run
changed after it); and while runs have changed a table in place, other runs change it in place
too, and runs and ``Saver`` read copies of it with every change so far (as TF's in-place
kernels show them), never half an update.
"""

from __future__ import annotations

import threading
import time
import weakref

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework import registry
from scopeflow.session.context import RunContext

V = np.arange(12, dtype=np.float32).reshape(4, 3)


@pytest.fixture
def table():
    with tf.Graph().as_default():
        v = tf.Variable(V, name="table")
        with tf.Session() as sess:
            sess.run(v.initializer)
            yield sess, v


def _array(sess, v) -> np.ndarray:
    """The session's own array for ``v`` (what a run reads)."""
    return sess._values[v.op]


def test_an_update_changes_the_sessions_array_in_place(table):
    sess, v = table
    before = weakref.ref(_array(sess, v))
    sess.run(tf.scatter_sub(v, [1, 1], np.ones((2, 3), np.float32)))
    assert _array(sess, v) is before()  # no copy of the table
    assert not _array(sess, v).flags.writeable
    want = V.copy()
    want[1] -= 2
    np.testing.assert_array_equal(sess.run(v), want)


def test_a_value_read_earlier_in_the_run_keeps_the_old_rows(table):
    sess, v = table
    read = v.value()
    update = tf.scatter_add(v, [0], np.full((1, 3), 10.0, np.float32))
    old, new = sess.run([read, update])  # the read's value is held until the fetch: a copy
    np.testing.assert_array_equal(old, V)
    np.testing.assert_array_equal(new[0], V[0] + 10)
    np.testing.assert_array_equal(sess.run(v)[0], V[0] + 10)


def test_a_failing_run_writes_the_old_rows_back(table):
    sess, v = table
    before = weakref.ref(_array(sess, v))
    update = tf.scatter_update(v, [2], np.zeros((1, 3), np.float32))
    with tf.control_dependencies([update]):
        failing = tf.gather(tf.constant([1.0]), [5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in"):
        sess.run(failing)
    assert _array(sess, v) is before()
    np.testing.assert_array_equal(sess.run(v), V)
    assert sess._changing == {}


def test_an_interrupted_run_writes_the_old_rows_back(table, monkeypatch):
    sess, v = table
    update = tf.scatter_update(v, [2], np.zeros((1, 3), np.float32))
    with tf.control_dependencies([update]):
        interrupted = tf.stop_gradient(tf.constant(1.0))

    def interrupt(ctx, op, x):
        raise KeyboardInterrupt

    monkeypatch.setattr(registry.get_op_def("StopGradient"), "kernel", interrupt)
    with pytest.raises(KeyboardInterrupt):
        sess.run(interrupted)
    monkeypatch.undo()
    np.testing.assert_array_equal(sess.run(v), V)


def test_other_runs_see_a_copy_with_the_changes_made_so_far(table):
    # TF 2.21 (a scatter_add in a run held by a py_func): another run reads the new rows
    sess, v = table
    changing = RunContext(sess)
    new = changing.update_rows(v.op, np.array([3]), np.full((1, 3), -1.0, np.float32), None)
    assert new is _array(sess, v)  # changed in place
    assert list(sess._changing) == [v.op]
    want = V.copy()
    want[3] = -1.0
    other = RunContext(sess).read_variable(v.op)
    assert other is not new and not other.flags.writeable
    np.testing.assert_array_equal(other, want)
    np.testing.assert_array_equal(sess._read_values([v.op])[v.op], want)  # what Saver writes
    changing.commit()
    assert sess._changing == {}
    assert RunContext(sess).read_variable(v.op) is new  # no copy once no run is changing it


def test_an_abandoned_change_leaves_the_committed_value(table):
    sess, v = table
    changing = RunContext(sess)
    changing.update_rows(v.op, np.array([0, 2]), np.zeros((2, 3), np.float32), None)
    changing.update_rows(v.op, np.array([0]), np.ones((1, 3), np.float32), None)
    changing.abandon()
    assert sess._changing == {}
    np.testing.assert_array_equal(sess.run(v), V)


def test_a_second_run_changes_a_changing_table_in_place_too(table):
    sess, v = table
    first = RunContext(sess)
    first.update_rows(v.op, np.array([0]), np.zeros((1, 3), np.float32), None)
    changing = _array(sess, v)
    second = RunContext(sess)
    new = second.update_rows(v.op, np.array([1]), np.zeros((1, 3), np.float32), None)
    assert new is changing and new is _array(sess, v)
    first.abandon()  # its row 0 back; the second run's row 1 stays
    assert list(sess._changing) == [v.op]
    second.commit()
    assert sess._changing == {}
    want = V.copy()
    want[1] = 0
    np.testing.assert_array_equal(sess.run(v), want)


def test_a_failed_run_leaves_the_rows_another_run_changed_after_it(table):
    # TF 2.21 keeps all of a failed run's writes; scopeflow puts back those no run built on
    sess, v = table
    first = RunContext(sess)
    first.update_rows(v.op, np.array([0, 1]), np.zeros((2, 3), np.float32), None)
    second = RunContext(sess)
    second.update_rows(v.op, np.array([1, 2]), np.full((2, 3), 5.0, np.float32), None)
    first.update_rows(v.op, np.array([3]), np.ones((1, 3), np.float32), None)
    first.abandon()
    second.commit()
    want = V.copy()
    want[1:3] = 5.0
    np.testing.assert_array_equal(sess.run(v), want)
    assert sess._changing == {}


def test_a_table_held_elsewhere_is_copied_and_the_holder_keeps_its_value(table):
    sess, v = table
    held = sess._read_values([v.op])[v.op]  # e.g. a checkpoint being written
    sess.run(tf.scatter_add(v, [0], np.ones((1, 3), np.float32)))
    assert _array(sess, v) is not held
    np.testing.assert_array_equal(held, V)
    np.testing.assert_array_equal(sess.run(v)[0], V[0] + 1)


def test_concurrent_runs_see_each_update_whole(table):
    sess, _ = table
    v = tf.Variable(np.zeros((2000, 4), np.float32), name="big")
    sess.run(v.initializer)
    rows = np.arange(0, 2000, 7)
    update = tf.scatter_add(v, rows, np.ones((len(rows), 4), np.float32))
    read = v.value()
    stop = time.monotonic() + 0.5
    torn = []

    def write():
        while time.monotonic() < stop:
            sess.run(update)

    def check():
        while time.monotonic() < stop:
            seen = sess.run(read)[rows]
            if not (seen == seen[0, 0]).all():
                torn.append(seen)

    threads = [threading.Thread(target=f) for f in (write, write, check, check)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert torn == []
    final = sess.run(v)
    assert (final[rows] == final[0, 0]).all() and final[0, 0] > 0
    assert not final[1].any()


def test_run_end_callbacks_run_once_after_commit_or_abandon(table):
    sess, v = table
    calls = []
    committed = RunContext(sess)
    committed.at_run_end(lambda: calls.append(("commit", sess.run(v)[0, 0])))
    committed.write_variable(v.op, np.full((4, 3), 7.0, np.float32))
    committed.commit()
    committed.commit()  # no second call
    failed = RunContext(sess)
    failed.at_run_end(lambda: calls.append(("abandon", sess.run(v)[0, 0])))
    failed.write_variable(v.op, np.full((4, 3), 9.0, np.float32))
    failed.abandon()  # the callback sees the value put back
    failed.abandon()
    assert calls == [("commit", 7.0), ("abandon", 7.0)]
