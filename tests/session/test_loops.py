"""Tests for scopeflow/session/loops.py: a loop's condition and body run once per iteration,
what they compute from constants and outside values alone runs once per loop run, and state
(random ops, variables, TensorArrays) still changes every iteration."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def _graph():
    with tf.Graph().as_default():
        yield


def _loop_step(sess):
    plan = next(iter(sess._plans.values()))
    return next(step.kernel for step in plan.steps if hasattr(step.kernel, "body"))


def test_values_from_outside_are_computed_once_per_loop_run():
    x = tf.placeholder(tf.float32, [3])

    def body(i, h):
        scale = tf.exp(tf.reduce_sum(x))  # the same every iteration: computed once
        return i + 1, h + scale

    _, h = tf.while_loop(lambda i, h: i < 4, body, [0, tf.zeros([3])])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(h, {x: [0.0, 1.0, -1.0]}), np.full(3, 4.0))
        np.testing.assert_allclose(sess.run(h, {x: [1.0, 1.0, 0.0]}), np.full(3, 4 * np.e**2))
        _, body_prepared, _ = _loop_step(sess).prepared
    once = {op.type for _, op, _, _ in body_prepared.once}
    each = {op.type for _, op, _, _ in body_prepared.each}
    assert {"Exp", "Sum"} <= once and "Exp" not in each
    assert "Identity" not in each  # identities pass their input on without a step


def test_state_changes_every_iteration():
    v = tf.Variable(1.0, name="v")

    def body(i, samples):
        noise = tf.random_uniform([])  # stateful: a new sample each iteration
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            read = v.read_value()  # after the assignment of the same iteration
        return i + 1, samples.write(i, tf.stack([noise, read]))

    ta = tf.TensorArray(tf.float32, size=3)
    _, ta = tf.while_loop(lambda i, s: i < 3, body, [0, ta])
    with tf.Session() as sess:
        sess.run(v.initializer)
        values = sess.run(ta.stack())
    assert len(set(values[:, 0].tolist())) == 3
    assert values[:, 1].tolist() == [2.0, 3.0, 4.0]


def test_an_error_inside_the_body_names_the_op():
    x = tf.placeholder(tf.int32, [])
    y = tf.while_loop(lambda i: i < 3, lambda i: i // x, [1])
    with (
        tf.Session() as sess,
        pytest.raises(tf.errors.InvalidArgumentError, match="while/floordiv"),
    ):
        sess.run(y, {x: 0})


def test_an_error_inside_the_condition_names_the_op_and_shapes():
    x = tf.placeholder(tf.int32, [])
    y = tf.while_loop(lambda i: i // x < 3, lambda i: i + 1, [1])
    with (
        tf.Session() as sess,
        pytest.raises(tf.errors.InvalidArgumentError, match=r"while/floordiv .*\[\], \[\]"),
    ):
        sess.run(y, {x: 0})


def test_scalar_arithmetic_is_inlined_with_the_kernels_results():
    n = tf.placeholder(tf.int32, [])

    def body(i, a, b, c):  # int32 wraps around as in TF; float32 keeps its rounding
        return i + 1, a * 3 + 7, b * np.float32(1.1), c - np.float64(0.25)

    start = [0, tf.constant(1, tf.int32), tf.constant(1.0), tf.constant(0.0, tf.float64)]
    results = tf.while_loop(lambda i, *_: i < n, body, start)
    with tf.Session() as sess:
        sess.run(results, {n: 1})
        loop = _loop_step(sess).prepared[2]
        calls = []
        less = loop.__globals__["kc_0"]
        loop.__globals__["kc_0"] = lambda *args: calls.append(1) or less(*args)
        i, a, b, c = sess.run(results, {n: 40})
    a_np, b_np = np.int32(1), np.float32(1.0)
    with np.errstate(over="ignore"):
        for _ in range(40):
            a_np, b_np = a_np * np.int32(3) + np.int32(7), b_np * np.float32(1.1)
    assert (i, a, b, c) == (40, a_np, b_np, -10.0)
    assert (a.dtype, b.dtype, c.dtype) == (np.int32, np.float32, np.float64)
    assert len(calls) == 1  # the first iteration's 0-d arrays; NumPy scalars after that


def _count_in_place(monkeypatch) -> list:
    from scopeflow.session import fusion

    calls = []
    original = fusion.run_into

    def counting(ctx, rule, args, out):
        calls.append(out.shape)
        return original(ctx, rule, args, out)

    monkeypatch.setattr(fusion, "run_into", counting)
    return calls


def test_sums_over_iterations_write_into_the_iterations_products(monkeypatch):
    calls = _count_in_place(monkeypatch)
    rng = np.random.default_rng(3)
    xs = rng.standard_normal((5, 64, 96)).astype(np.float32)
    w = rng.standard_normal((96, 80)).astype(np.float32)
    start = rng.standard_normal((64, 80)).astype(np.float32)
    x, init = tf.placeholder(tf.float32, [5, 64, 96]), tf.placeholder(tf.float32, [64, 80])

    def body(i, acc):
        return i + 1, acc + tf.matmul(x[i], w)  # the product dies at the add

    _, total = tf.while_loop(lambda i, acc: i < 5, body, [0, init])
    with tf.Session() as sess:
        fed = start.copy()
        got = sess.run(total, {x: xs, init: fed})
    expected = start
    for k in range(5):
        expected = expected + xs[k] @ w  # the same float32 operations, in the same order
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(fed, start)  # the fed initial value is never written
    assert calls.count((64, 80)) >= 4


def test_values_kept_by_a_tensor_array_are_not_written(monkeypatch):
    calls = _count_in_place(monkeypatch)
    x = tf.constant(np.arange(64 * 80, dtype=np.float32).reshape(64, 80) / 7)

    def body(i, acc, ta):
        y = tf.sin(x * tf.cast(i + 1, tf.float32))
        ta = ta.write(i, y)  # the array holds y: the add must not write into it
        return i + 1, acc + y, ta

    ta = tf.TensorArray(tf.float32, size=3)
    _, total, ta = tf.while_loop(lambda i, a, t: i < 3, body, [0, tf.zeros([64, 80]), ta])
    with tf.Session() as sess:
        got_total, got_ta = sess.run([total, ta.stack()])
    base = np.arange(64 * 80, dtype=np.float32).reshape(64, 80) / np.float32(7)
    want = [np.sin(base * np.float32(k + 1)) for k in range(3)]
    np.testing.assert_array_equal(got_ta, np.stack(want))
    np.testing.assert_array_equal(
        got_total, np.zeros((64, 80), np.float32) + want[0] + want[1] + want[2]
    )
    assert calls.count((64, 80)) == 2  # the sum, from the second iteration on, into itself
