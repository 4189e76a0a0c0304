"""Tests for scopeflow/ops/control/critical_section.py: ``tf.CriticalSection`` builds TF 2.21's
graph (tf.compat.v1 graph mode), raises its errors, and runs the sections one at a time across
threads, each held until its run ends."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

CASES = [
    Case(
        "critical-section-execute",
        "Identity",
        lambda x: tf.CriticalSection().execute(lambda: x * 2.0),
        (np.float32([1, -2]),),
        lambda x: x * 2,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _ops(graph, first=0):
    return [
        (op.type, op.name, [t.name for t in op.inputs], [c.name for c in op.control_inputs])
        for op in graph.get_operations()[first:]
    ]


def test_mutex_names_and_shared_names_are_tfs(graph):
    sections = [tf.CriticalSection(), tf.CriticalSection("m", "shared"), tf.CriticalSection()]
    assert [s.name for s in sections] == ["CriticalSection", "m", "CriticalSection_1"]
    mutexes = graph.get_operations()
    assert [op.type for op in mutexes] == ["MutexV2"] * 3
    assert [op.get_attr("shared_name") for op in mutexes] == [
        b"CriticalSection/",
        b"shared",
        b"CriticalSection_1/",
    ]
    assert graph.get_collection("critical_sections") == sections


def test_execute_builds_tfs_graph(graph):
    # TF 2.21 builds these ops (the tuple's control_dependency is a RefIdentity there, for a
    # reference result: scopeflow's tf.tuple gives an Identity).
    v = tf.Variable(0.0, name="v")
    cs = tf.CriticalSection()
    first = len(graph.get_operations())
    out = cs.execute(lambda: tf.assign_add(v, 1.0))
    s = "critical_section_execute/"
    ops = _ops(graph, first)
    assert out.name == s + "Identity_1:0"
    assert [op[1] for op in ops] == [
        s + n
        for n in [
            "MutexLock",
            "AssignAdd/value",
            "AssignAdd",
            "group_deps",
            "Identity",
            "ConsumeMutexLock",
            "tuple/group_deps",
            "tuple/control_dependency",
            "Identity_1",
        ]
    ]
    assert ops[0] == ("MutexLock", s + "MutexLock", ["CriticalSection:0"], [s + "group_deps"])
    assert ops[1][3] == [s + "MutexLock"]
    assert ops[3] == ("NoOp", s + "group_deps", [], ["v"])
    assert ops[5] == (
        "ConsumeMutexLock",
        s + "ConsumeMutexLock",
        [s + "MutexLock:0"],
        [s + "Identity"],
    )
    assert ops[8][3] == [s + "ConsumeMutexLock"]
    assert graph.get_operation_by_name(s + "ConsumeMutexLock").get_attr("_class") == [
        b"loc:@CriticalSection"
    ]
    (signature,) = graph.get_collection("critical_section_executions")
    assert signature.op.name == s + "MutexLock"
    assert signature.handle is cs._handle
    assert signature.resources == []  # a reference variable is no resource, as in TF
    assert signature.exclusive_resource_access is True


def test_execute_of_an_op_and_of_a_structure(graph):
    cs = tf.CriticalSection()
    first = len(graph.get_operations())
    done = cs.execute(lambda: tf.no_op(name="nop"), name="opret")
    assert done.name == "opret/group_deps_1"
    assert [c.name for c in done.control_inputs] == [
        "opret/ConsumeMutexLock",
        "opret/tuple/group_deps_1",
    ]
    assert [op[1] for op in _ops(graph, first)] == [
        "opret/MutexLock",
        "opret/nop",
        "opret/group_deps",
        "opret/ConsumeMutexLock",
        "opret/tuple/group_deps",
        "opret/tuple/group_deps_1",
        "opret/group_deps_1",
    ]
    a, b = cs.execute(lambda: (tf.constant(1.0), {"a": tf.constant([2, 3])}), name="struct")
    assert (a.name, b["a"].name) == ("struct/Identity_2:0", "struct/Identity_3:0")


def test_errors_are_tfs(graph):
    cs, other = tf.CriticalSection(), tf.CriticalSection()
    with pytest.raises(ValueError, match=r"signature=\('', 'CriticalSection/', None\)\) in which"):
        cs.execute(lambda: cs.execute(lambda: tf.constant(1.0)))
    q = tf.FIFOQueue(10, tf.float32)
    cs.execute(lambda: q.enqueue(1.0))
    cs.execute(lambda: q.enqueue(1.0))  # the same section may use it again
    for exclusive in (True, False):  # the first execution asked for it alone
        with pytest.raises(ValueError, match="exclusive_resource_access=False"):
            other.execute(lambda: q.enqueue(2.0), exclusive_resource_access=exclusive)
    shared = tf.FIFOQueue(10, tf.float32)
    cs.execute(lambda: shared.enqueue(1.0), exclusive_resource_access=False)
    other.execute(lambda: shared.size(), exclusive_resource_access=False)
    last = graph.get_collection("critical_section_executions")[-1]
    assert (last.resources, last.exclusive_resource_access) == ([shared.queue_ref], False)
    with pytest.raises(ValueError, match="None values not supported"):
        cs.execute(lambda: None)
    with pytest.raises(ValueError, match="are mutually exclusive"):
        tf.CriticalSection(name="x", critical_section_def=object())


def _slow_increment(v):
    """``v = v + 1`` through a Python function that sleeps between the read and the write:
    racy unless the runs take turns."""

    def slow(x):
        time.sleep(0.002)
        return x

    y = tf.py_func(slow, [tf.identity(v)], tf.float32, stateful=True)
    y.set_shape([])
    return tf.assign(v, y + 1.0)


def _in_threads(target, count):
    threads = [threading.Thread(target=target) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_threads_take_turns(graph):
    # TF 2.21: 20.0 with the section (11.0 without, on that run).
    v = tf.Variable(0.0, name="v")
    inc = tf.CriticalSection().execute(lambda: _slow_increment(v))
    racy = _slow_increment(v)
    with tf.Session() as sess:
        for op, want in ((inc, 20.0), (racy, None)):
            sess.run(v.initializer)
            start = threading.Barrier(4)
            _in_threads(
                lambda op=op, start=start: [start.wait(), *(sess.run(op) for _ in range(5))], 4
            )
            if want is not None:
                assert sess.run(v) == want
            else:
                assert sess.run(v) < 20.0


def test_two_executions_in_one_run(graph):
    # TF's count example: each execution reads v, then adds one; values as TF 2.21's.
    v = tf.Variable(0.0, name="v")
    cs = tf.CriticalSection(name="cs")

    def count():
        value = v * 1.0
        with tf.control_dependencies([value]):
            with tf.control_dependencies([tf.assign_add(v, 1.0)]):
                return tf.identity(value)

    f1, f2 = cs.execute(count), cs.execute(count)
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sorted(sess.run([f1, f2])) == [0.0, 1.0]
        assert sorted(sess.run([f1 + f2, f1, f2])[1:]) == [2.0, 3.0]
        assert sess.run(v) == 4.0


def test_a_failed_run_releases_the_lock(graph):
    # TF 2.21: the failing run raises, then both executions run (3.0, then 103.0).
    v = tf.Variable(0.0, name="v")
    cs = tf.CriticalSection()
    ok = tf.placeholder(tf.bool, [])

    def failing():
        with tf.control_dependencies([tf.Assert(ok, ["boom"])]):
            return tf.assign_add(v, 100.0)

    maybe = cs.execute(failing)
    inc = cs.execute(lambda: tf.assign_add(v, 1.0))
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(inc)
        with pytest.raises(tf.errors.InvalidArgumentError, match="boom"):
            sess.run(maybe, {ok: False})
        assert sess.run(inc) == 2.0
        assert sess.run(maybe, {ok: True}) == 102.0


def test_lock_is_held_until_the_run_ends(graph):
    # A run that fails after its section put its write back before another run takes the
    # lock: the other run never sees (nor builds on) the write that was undone. (TF keeps a
    # failed run's writes; scopeflow's runs are all-or-nothing.)
    v = tf.Variable(0.0, name="v")
    cs = tf.CriticalSection()
    inc = cs.execute(lambda: tf.assign_add(v, 1.0))
    started = threading.Event()

    def fail_later(x):
        started.set()
        time.sleep(0.2)
        raise ValueError("late failure")

    with tf.control_dependencies([inc]):
        late = tf.py_func(fail_later, [tf.constant(0.0)], tf.float32)
    results = []
    with tf.Session() as sess:
        sess.run(v.initializer)

        def first():
            with pytest.raises(tf.errors.InvalidArgumentError, match="late failure"):
                sess.run(late)

        thread = threading.Thread(target=first)
        thread.start()
        assert started.wait(5)
        results.append(sess.run(inc))  # waits for the failed run to end
        thread.join()
        assert results == [1.0]
        assert sess.run(v) == 1.0


def test_close_cancels_a_waiting_run(graph):
    v = tf.Variable(0.0, name="v")
    cs = tf.CriticalSection()
    inc = cs.execute(lambda: tf.assign_add(v, 1.0))
    started, release = threading.Event(), threading.Event()

    def hold(x):
        started.set()
        release.wait(5)
        return x

    with tf.control_dependencies([inc]):
        held = tf.py_func(hold, [tf.constant(0.0)], tf.float32)
    sess = tf.Session()
    sess.run(v.initializer)
    errors = []

    def run(fetch):
        try:
            sess.run(fetch)
        except (tf.errors.CancelledError, RuntimeError) as e:
            errors.append(type(e).__name__)

    holder = threading.Thread(target=run, args=(held,))
    holder.start()
    assert started.wait(5)
    waiter = threading.Thread(target=run, args=(inc,))
    waiter.start()
    (mutex,) = [s for s in sess._states.values() if hasattr(s, "waiting")]
    deadline = time.monotonic() + 5
    while mutex.waiting == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    sess.close()
    waiter.join(5)
    release.set()
    holder.join(5)
    assert not waiter.is_alive()
    assert "CancelledError" in errors
