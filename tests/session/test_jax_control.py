"""``Session(executor="jax")`` with ``tf.while_loop``: a loop lowers to ``lax.while_loop``
inside its compiled segment (TensorArrays as preallocated arrays) and agrees with the NumPy
executor; training through a loop of known trip count compiles (its gradient's stacks as
arrays); what does not lower (stacks of a loop of unknown trip count, a body assigning
variables, shapes computed from loop variables) runs the plan on the host, with the same
results; ``tf.cond`` compiles with both branches traced as selects."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.core.infer import apply_op

pytest.importorskip("jax")

RNG = np.random.default_rng(0)
SEQ = RNG.normal(size=(4, 7, 3)).astype(np.float32)


def _on_both(build, runs: int = 1):
    """``build()`` -> (fetches, feeds), run by both executors from the same variable values;
    returns ``{executor: [results per run]}`` and the JAX session's plan of the fetches."""
    out: dict = {}
    with tf.Graph().as_default():
        fetches, feeds = build()
        init = tf.global_variables_initializer()
        start = None
        for executor in ("numpy", "jax"):
            with tf.Session(executor=executor) as sess:
                sess.run(init)
                if start is None:
                    start = sess.run(tf.global_variables())
                else:
                    for v, value in zip(tf.global_variables(), start, strict=True):
                        v.load(value, sess)
                out[executor] = [sess.run(fetches, feeds) for _ in range(runs)]
                if executor == "jax":
                    plan = [p for k, p in sess._plans.items() if k[1] == tuple(feeds)][-1]
                    prepared = sess._jax.prepare(plan)
    return out, prepared


def _assert_close(a, b, tol=1e-5):
    if isinstance(a, list | tuple):
        for x, y in zip(a, b, strict=True):
            _assert_close(x, y, tol)
    elif a is None:
        assert b is None
    else:
        np.testing.assert_allclose(b, a, rtol=tol, atol=tol)


def test_a_loop_compiles_into_its_segment_and_agrees():
    def build():
        x = tf.placeholder(tf.float32, [3], name="x")
        n = tf.placeholder(tf.int32, [], name="n")
        i, y = tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * 2.0 + 1.0), [0, x])
        return [i, y, tf.reduce_sum(y)], {x: np.ones(3, np.float32), n: 5}

    out, prepared = _on_both(build)
    _assert_close(out["numpy"], out["jax"])
    assert out["jax"][0][0] == 5 and out["jax"][0][1].tolist() == [63.0] * 3
    assert not prepared.whole_on_host and prepared.segments == 1 and len(prepared.parts) == 1


def test_a_loop_reading_a_variable_compiles():
    def build():
        v = tf.Variable([1.0, 2.0], name="v")
        body = lambda i, s: (i + 1, s + v.read_value() * tf.cast(i, tf.float32))  # noqa: E731
        return tf.while_loop(lambda i, s: i < 4, body, [0, tf.zeros([2])])[1], {}

    out, prepared = _on_both(build)
    _assert_close(out["numpy"], out["jax"])
    assert out["jax"][0].tolist() == [6.0, 12.0] and not prepared.whole_on_host


def test_dynamic_rnn_compiles_into_one_segment_with_an_unknown_batch():
    def build():
        x = tf.placeholder(tf.float32, [None, 7, 3])
        cells = [tf.nn.rnn_cell.BasicLSTMCell(5), tf.nn.rnn_cell.GRUCell(4)]
        outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32)
        return [outputs, state[0].h, state[1]], {x: SEQ}

    out, prepared = _on_both(build)
    _assert_close(out["numpy"], out["jax"])
    assert out["jax"][0][0].shape == (4, 7, 4)
    assert not prepared.whole_on_host and prepared.segments == 1


def test_a_loop_whose_trip_count_is_known_while_tracing_lowers_to_scan():
    jax = pytest.importorskip("jax")
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 7, 3])
        rnn, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype=tf.float32)
        n = tf.placeholder(tf.int32, [])
        fed = tf.while_loop(lambda i: i < n, lambda i: i + 2, [0])
        body = lambda i, a: [i + 1, a * 2.0]  # noqa: E731
        limited = tf.while_loop(lambda i, a: a < 100.0, body, [0, 1.0], maximum_iterations=3)
        with tf.Session(executor="jax") as sess:
            sess.run(tf.global_variables_initializer())
            cases = [(rnn, {x: SEQ}, "scan"), (fed, {n: 7}, "while"), (limited[1], {}, "scan")]
            for fetch, feeds, primitive in cases:
                got = sess.run(fetch, feeds)
                plan = sess._plans[((fetch,), tuple(feeds))]
                (segment,) = sess._jax.prepare(plan).parts
                values = [sess._values[op] for op in segment.full_variables]
                jaxpr = str(jax.make_jaxpr(segment.fast)(*values, *feeds.values()))
                (other,) = {"scan", "while"} - {primitive}
                assert f"{primitive}[" in jaxpr and f"{other}[" not in jaxpr
            assert got == 8.0 and sess.run(fed, {n: 7}) == 8


def test_nested_loops_map_fn_and_scan_agree():
    def build():
        x = tf.placeholder(tf.float32, [5, 3])

        def outer_body(i, total):
            inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + 1.0), [0, 0.0])
            return i + 1, total + inner[1]

        nested = tf.while_loop(lambda i, t: i < 4, outer_body, [0, 0.0])[1]
        mapped = tf.map_fn(lambda row: tf.reduce_sum(row * row), x)
        scanned = tf.scan(lambda acc, row: acc + row, x)
        return [nested, mapped, scanned], {x: RNG.normal(size=(5, 3)).astype(np.float32)}

    out, prepared = _on_both(build)
    _assert_close(out["numpy"], out["jax"])
    assert out["jax"][0][0] == 6.0
    assert not prepared.whole_on_host and prepared.segments == 1


def test_random_ops_in_a_loop_draw_new_numbers_each_iteration():
    with tf.Graph().as_default():
        ta = tf.TensorArray(tf.float32, size=3)
        _, ta = tf.while_loop(
            lambda i, ta: i < 3, lambda i, ta: (i + 1, ta.write(i, tf.random_uniform([4]))), [0, ta]
        )
        draws = ta.stack()
        with tf.Session(executor="jax") as sess:
            first, second = sess.run(draws), sess.run(draws)
            assert not sess._jax.prepare(next(iter(sess._plans.values()))).whole_on_host
    assert len({row.tobytes() for row in first}) == 3
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("trips", ["known", "nested", "fed"])
def test_training_through_a_loop_compiles_when_its_trip_count_is_known(trips):
    def build():
        if trips == "known":  # the stacks are arrays of 7 rows, the gradient loop one segment
            x = tf.placeholder(tf.float32, [4, 7, 3])
            cells = [tf.nn.rnn_cell.BasicLSTMCell(5), tf.nn.rnn_cell.GRUCell(4)]
            cell = tf.nn.rnn_cell.MultiRNNCell(cells)
            outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
            loss, feeds = tf.reduce_sum(outputs**2), {x: SEQ}
        elif trips == "nested":  # the inner loop's stacks: 4 x 3 rows
            w = tf.Variable([0.5, 0.9, 1.1], name="w")

            def outer(i, a):
                inner = lambda j, b: [j + 1, tf.sin(b * w)]  # noqa: E731
                return [i + 1, tf.while_loop(lambda j, b: j < 3, inner, [0, a])[1] + a * 0.5]

            loss = tf.reduce_sum(tf.while_loop(lambda i, a: i < 4, outer, [0, tf.ones(3)])[1])
            feeds = {}
        else:  # how many rows the stacks need is not known while tracing: on the host
            n = tf.placeholder(tf.int32, [])
            w = tf.Variable([0.5, 0.9], name="w")
            body = lambda i, a: [i + 1, a * w + 1.0]  # noqa: E731
            loss = tf.reduce_sum(tf.while_loop(lambda i, a: i < n, body, [0, tf.ones(2)])[1])
            feeds = {n: 4}
        return [loss, tf.train.GradientDescentOptimizer(0.01).minimize(loss)], feeds

    out, prepared = _on_both(build, runs=3)
    _assert_close(out["numpy"], out["jax"], tol=1e-4)
    if trips == "fed":
        assert prepared.whole_on_host
    else:
        assert not prepared.whole_on_host and prepared.segments == 1


@pytest.mark.parametrize("case", ["shape from the loop variable", "assigns", "changes shape"])
def test_loops_that_do_not_lower_run_on_the_host(case, caplog):
    def build():
        v = tf.Variable(1.0, name="v")
        if case == "shape from the loop variable":
            body = lambda i, s: (i + 1, s + tf.reduce_sum(tf.ones(tf.stack([i]))))  # noqa: E731
            loop = tf.while_loop(lambda i, s: i < 4, body, [0, 0.0])
        elif case == "assigns":

            def body(i, s):
                with tf.control_dependencies([tf.assign_add(v, 1.0)]):
                    return i + 1, s + v.read_value()

            loop = tf.while_loop(lambda i, s: i < 3, body, [0, 0.0])
        else:
            x0 = tf.zeros([1])
            loop = tf.while_loop(
                lambda i, x: i < 3,
                lambda i, x: (i + 1, tf.concat([x, x], 0)),
                [0, x0],
                shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])],
            )
        return [loop], {}

    with caplog.at_level(logging.INFO, "scopeflow.jax"):
        out, prepared = _on_both(build, runs=2)
    _assert_close(out["numpy"], out["jax"])
    assert prepared.whole_on_host
    assert any("runs on the host" in r.message for r in caplog.records)


@pytest.mark.parametrize("taken", [True, False])
def test_conds_their_gradients_and_conds_in_loops_compile_and_agree(taken):
    def build():
        p = tf.placeholder(tf.bool, [])
        x = tf.placeholder(tf.float32, [3])
        v = tf.Variable([1.0, 2.0, 3.0], name="v")
        value = tf.cond(p, lambda: x * 2.0, lambda: x - 1.0)
        loss = tf.reduce_sum(tf.cond(p, lambda: tf.square(x * v), lambda: tf.sin(x)))
        odd = lambda i, s: (i + 1, tf.cond(tf.equal(i % 2, 0), lambda: s + 1.0, lambda: s * 2.0))  # noqa: E731
        loop = tf.while_loop(lambda i, s: i < 5, odd, [0, 1.0])
        fetches = [value, loss, tf.gradients(loss, [x, v]), loop]
        return fetches, {p: taken, x: np.array([1.0, 2.0, 3.0], np.float32)}

    out, prepared = _on_both(build)
    _assert_close(out["numpy"], out["jax"])
    assert not prepared.whole_on_host and prepared.segments == 1


def test_a_variable_assigned_in_a_cond_branch_changes_only_when_taken():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        v = tf.Variable([1.0, 2.0], name="v")
        step = tf.cond(p, lambda: tf.assign_add(v, [1.0, 1.0]), lambda: tf.identity(v))
        with tf.Session(executor="jax") as sess:
            sess.run(v.initializer)
            assert sess.run(step, {p: False}).tolist() == [1.0, 2.0]
            assert sess.run(step, {p: True}).tolist() == [2.0, 3.0]
            assert sess.run(v).tolist() == [2.0, 3.0]
            (plan,) = [q for k, q in sess._plans.items() if step in k[0]]
            assert sess._jax.prepare(plan).segments == 1


def test_fetching_from_a_switch_not_taken_raises_and_changes_nothing():
    # a Switch outside tf.cond: a fetch of its untaken side has no value (inside tf.cond the
    # fetch is refused before running, as in TF1)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        v = tf.Variable(1.0, name="v")
        _, taken = apply_op("Switch", [v.value(), p])
        inside = tf.assign_add(v, taken) * 3.0
        with tf.Session(executor="jax") as sess:
            sess.run(v.initializer)
            assert sess.run(inside, {p: True}) == 6.0
            with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
                sess.run(inside, {p: False})
            assert sess.run(v) == 2.0
