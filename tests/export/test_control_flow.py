"""``scopeflow.export`` with TF1 control flow: ``tf.while_loop`` becomes ``lax.scan`` when its
trip count is known while tracing (a ``dynamic_rnn`` over a known time axis), else
``lax.while_loop``; ``tf.cond`` computes both branches and selects. Round trips against
``Session.run``; ``jax.jit``/``jax.vmap`` work on both, ``jax.grad`` on scans (JAX cannot
reverse-differentiate ``lax.while_loop``: its error says so)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

jax = pytest.importorskip("jax")

from scopeflow.export import to_jax, to_jax_train_step  # noqa: E402

RNG = np.random.default_rng(0)
SEQ = RNG.normal(size=(3, 6, 2)).astype(np.float32)


@pytest.fixture
def sess():
    with tf.Graph().as_default(), tf.Session() as s:
        tf.set_random_seed(0)  # the same initial weights in every run: CI's flake was seed-bound
        yield s


def _rnn():
    x = tf.placeholder(tf.float32, [None, 6, 2], name="x")
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(5), tf.nn.rnn_cell.GRUCell(3)])
    outputs, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    return x, outputs, state, tf.reduce_mean(outputs**2)


def test_dynamic_rnn_round_trip_jit_vmap_and_grad(sess):
    x, outputs, state, loss = _rnn()
    sess.run(tf.global_variables_initializer())
    want = sess.run([outputs, state[1], loss], {x: SEQ})
    fn, params = to_jax([outputs, state[1], loss], [x], sess)
    for got in (fn(params, SEQ), jax.jit(fn)(params, SEQ)):
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    mapped = jax.vmap(fn, in_axes=(None, 0))(params, SEQ[:, None])  # one sequence at a time
    np.testing.assert_allclose(mapped[0][:, 0], want[0], rtol=1e-5, atol=1e-6)
    grads = jax.grad(lambda t: fn({**params, "trainable": t}, SEQ)[2])(params["trainable"])
    variables = tf.trainable_variables()
    for v, g in zip(variables, sess.run(tf.gradients(loss, variables), {x: SEQ}), strict=True):
        leaf = grads
        for key in v.op.name.split("/"):
            leaf = leaf[key]
        np.testing.assert_allclose(leaf, g, rtol=1e-4, atol=1e-6)


def test_a_train_step_through_dynamic_rnn_equals_session_runs(sess):
    x, _, _, loss = _rnn()  # its gradient loop pops stacks the forward loop pushes
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    sess.run(tf.global_variables_initializer())
    step_fn, state = to_jax_train_step(train, [x], sess, fetches=loss)
    step_fn = jax.jit(step_fn)
    losses = []
    for _ in range(3):
        state, got = step_fn(state, SEQ)
        losses.append(got)
    want = [sess.run([train, loss], {x: SEQ})[1] for _ in range(3)]
    # XLA orders float32 sums by the CPU's vector width, and Adam's m/sqrt(v) magnifies the
    # rounding on a loss this small (~3e-4): CI's CPU gave 6.6e-5 relative at the second step
    np.testing.assert_allclose(losses, want, rtol=2e-4, atol=1e-8)
    for v in tf.trainable_variables():
        leaf = state["trainable"]
        for key in v.op.name.split("/"):
            leaf = leaf[key]
        np.testing.assert_allclose(leaf, sess.run(v), rtol=1e-4, atol=1e-6)


def test_a_loop_with_a_fed_bound_is_a_while_loop_jit_and_vmap_work_grad_says_why(sess):
    p = tf.placeholder(tf.float32, [], name="p")
    n = tf.placeholder(tf.int32, [], name="n")
    power = tf.while_loop(lambda i, a: i < n, lambda i, a: [i + 1, a * p], [0, 1.0])[1]
    fn, params = to_jax(power, [p, n], sess)
    assert sess.run(power, {p: 1.5, n: 3}) == fn(params, 1.5, 3) == jax.jit(fn)(params, 1.5, 3)
    np.testing.assert_allclose(
        jax.vmap(fn, (None, 0, None))(params, np.array([2.0, 3.0]), 3), [8, 27]
    )
    assert "while[" in str(jax.make_jaxpr(fn)(params, 1.5, 3))
    np.testing.assert_allclose(jax.jvp(lambda q: fn(params, q, 3), (1.5,), (1.0,))[1], 6.75)
    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work for lax"):
        jax.grad(lambda q: fn(params, q, 3))(1.5)


def test_maximum_iterations_with_a_known_condition_is_a_scan(sess):
    x = tf.placeholder(tf.float32, [2], name="x")
    body = lambda i, a: [i + 1, a * 2.0]  # noqa: E731
    _, out = tf.while_loop(lambda i, a: i < 100, body, [0, x], maximum_iterations=4)
    fn, params = to_jax(out, [x], sess)
    assert "scan[" in str(jax.make_jaxpr(fn)(params, np.ones(2, np.float32)))
    np.testing.assert_allclose(fn(params, [1.0, 3.0]), sess.run(out, {x: [1.0, 3.0]}))
    np.testing.assert_allclose(jax.grad(lambda v: fn(params, v).sum())(np.ones(2)), [16, 16])


@pytest.mark.parametrize("value", [-2.0, 3.0])
def test_cond_round_trip_under_jit_vmap_and_grad(sess, value):
    p = tf.placeholder(tf.float32, [], name="p")
    w = tf.get_variable("w", initializer=2.0)
    out = tf.cond(p > 0.0, lambda: p * w, lambda: tf.square(p) + w)
    sess.run(tf.global_variables_initializer())
    fn, params = to_jax(out, [p], sess)
    want = sess.run(out, {p: value})
    assert fn(params, value) == jax.jit(fn)(params, value) == want
    np.testing.assert_allclose(
        jax.vmap(fn, (None, 0))(params, np.array([value, -value])),
        [want, sess.run(out, {p: -value})],
    )
    want_grad = sess.run(tf.gradients(out, p)[0], {p: value})
    np.testing.assert_allclose(jax.grad(lambda q: fn(params, q))(value), want_grad)


def test_a_variable_assigned_in_a_branch_changes_only_when_taken(sess):
    p = tf.placeholder(tf.bool, [], name="p")
    v = tf.get_variable("v", initializer=1.0)
    out = tf.cond(p, lambda: tf.assign_add(v, 5.0), lambda: tf.identity(v))
    sess.run(tf.global_variables_initializer())
    step_fn, state = to_jax_train_step(out, [p], sess, fetches=out)
    for taken in (False, True, True):
        state, got = step_fn(state, taken)
        assert got == sess.run(out, {p: taken})
        assert state["trainable"]["v"] == sess.run(v)


def test_a_fetch_from_one_branch_is_refused(sess):
    p = tf.placeholder(tf.float32, [], name="p")
    inside = []

    def branch():
        inside.append(p * 3.0)
        return inside[0]

    tf.cond(p > 0.0, branch, lambda: p)
    with pytest.raises(tf.errors.InvalidArgumentError, match="only in one branch of a tf.cond"):
        to_jax(inside[0], [p], sess)


def test_a_loop_gradient_needs_a_known_trip_count(sess):
    x = tf.placeholder(tf.float32, [], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    out = tf.while_loop(lambda i, a: i < n, lambda i, a: [i + 1, a * x], [0, 1.0])[1]
    (grad,) = tf.gradients(out, [x])
    fn, params = to_jax(grad, [x, n], sess)
    with pytest.raises(tf.errors.UnimplementedError, match="trip count is known while tracing"):
        fn(params, 1.5, 3)


def test_a_loop_that_does_not_lower_is_named_when_traced(sess):
    v = tf.get_variable("v", initializer=1.0)

    def body(i, s):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1, s + v.read_value()

    out = tf.while_loop(lambda i, s: i < 3, body, [0, 0.0], name="counting")[1]
    sess.run(tf.global_variables_initializer())
    fn, params = to_jax(out, [], sess)
    with pytest.raises(tf.errors.UnimplementedError, match="counting.*assigns variables"):
        fn(params)


@pytest.mark.parametrize("n", [2, 9])
def test_maximum_iterations_with_a_fed_condition_is_a_scan_of_that_length(sess, n):
    p = tf.placeholder(tf.float32, [], name="p")
    m = tf.placeholder(tf.int32, [], name="m")
    body = lambda i, a: [i + 1, a * p]  # noqa: E731
    count, power = tf.while_loop(lambda i, a: i < m, body, [0, 1.0], maximum_iterations=5)
    fn, params = to_jax([count, power], [p, m], sess)
    assert "scan[" in str(jax.make_jaxpr(fn)(params, 1.5, n))
    want = sess.run([count, power], {p: 1.5, m: n})  # min(n, 5) steps
    np.testing.assert_allclose(fn(params, 1.5, n), want)
    np.testing.assert_allclose(jax.jit(fn)(params, 1.5, n), want)
    steps = min(n, 5)
    grad = jax.grad(lambda q: fn(params, q, n)[1])(1.5)
    np.testing.assert_allclose(grad, steps * 1.5 ** (steps - 1), rtol=1e-6)
