"""Session.partial_run_setup / partial_run: one run over several calls, as TF1's (values and
error texts checked against TF 2.21's tf.compat.v1 Session)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _chain(graph):
    p1 = tf.placeholder(tf.float32, [], name="p1")
    p2 = tf.placeholder(tf.float32, [], name="p2")
    r = tf.random_uniform([3], seed=1)
    a = p1 * 2.0 + r[0] * 0
    b = a + p2
    c = b * r
    return p1, p2, r, a, b, c


def test_later_calls_see_earlier_values_and_random_ops_run_once(graph):
    p1, p2, r, a, b, c = _chain(graph)
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([a, b, c, r], [p1, p2])
        assert isinstance(h, str) and h.startswith("p1:0,p2:0->add:0,add_1:0,mul_2:0,")
        assert sess.partial_run(h, a, {p1: 1}) == np.float32(2.0)
        out = sess.partial_run(h, [b, {"c": c}, r], {p2: 2})
    assert out[0] == np.float32(4.0)
    # the r of c (run in the first call, for a) is the r fetched now: TF's c is 4 * r
    np.testing.assert_allclose(out[1]["c"], 4.0 * out[2], rtol=1e-6)
    assert out[2].shape == (3,) and out[2].dtype == np.float32


def test_an_assign_add_reached_by_two_calls_adds_once(graph):
    p2 = tf.placeholder(tf.float32, [], name="p2")
    v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 1.0)
    d = inc * 10.0 + p2 * 0
    e = inc + 1.0
    read = tf.identity(v)
    with tf.Session(graph=graph) as sess:
        sess.run(v.initializer)
        h = sess.partial_run_setup([d, e, read], [p2])
        assert sess.partial_run(h, [d], {p2: 1.0}) == [np.float32(20.0)]
        assert sess.partial_run(h, (e, read)) == (np.float32(3.0), np.float32(2.0))
        assert sess.run(v) == np.float32(2.0)  # TF: 2.0


def test_resource_variables_are_read_as_they_are_now(graph):
    w = tf.Variable(1.0, name="w", use_resource=True)
    incw = w.assign_add(2.0)
    rdw = w.read_value() * 1.0
    with tf.Session(graph=graph) as sess:
        sess.run(w.initializer)
        h = sess.partial_run_setup([incw, rdw], [])
        assert sess.partial_run(h, incw) == np.float32(3.0)
        assert sess.partial_run(h, rdw) == np.float32(3.0)
        assert sess.run(w) == np.float32(3.0)


def test_fetch_structures_come_back_as_run_gives_them(graph):
    p1 = tf.placeholder(tf.float32, [], name="p1")
    p2 = tf.placeholder(tf.float32, [2], name="p2")
    b = p1 * 2.0 + p2
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([b], [p1, p2])
        out = sess.partial_run(h, {"x": b, "y": [b]}, {p1: 1, p2: [1, 2]})
        assert sess.partial_run(sess.partial_run_setup({"q": [b]}, (p1, p2)), [], {p1: 1}) == []
    np.testing.assert_array_equal(out["x"], np.array([3.0, 4.0], np.float32))
    np.testing.assert_array_equal(out["y"][0], np.array([3.0, 4.0], np.float32))


def _error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), info.value.args[-1] if info.value.args else ""


def test_errors_have_tfs_types_and_texts(graph):
    p1, p2, r, a, b, c = _chain(graph)
    n = tf.no_op(name="n")
    invalid = tf.errors.InvalidArgumentError
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([a, b, n], [p1, p2])
        assert _error(lambda: sess.partial_run(h, c, {p1: 1})) == (
            invalid,
            "The fetch mul_2:0 was not specified in partial_run_setup.",
        )
        assert _error(lambda: sess.partial_run(h, b, {r: [1, 2, 3]})) == (
            invalid,
            "The feed random_uniform/RandomUniform:0 was not specified in partial_run_setup.",
        )
        assert _error(lambda: sess.partial_run(h, b, {p1: 1})) == (
            invalid,
            "Fetch p2:0 can't be computed from the feeds that have been fed so far.",
        )
        assert _error(lambda: sess.partial_run(h, n)) == (
            RuntimeError,
            "partial_run() requires empty `target_list`. Received: "
            "target_list=[<tf.Operation 'n' type=NoOp>] (non-empty)",
        )
        assert sess.partial_run(h, a, {p1: 1}) == np.float32(2.0)
        assert _error(lambda: sess.partial_run(h, a)) == (
            invalid,
            "The fetch add:0 has already been fetched.",
        )
        assert _error(lambda: sess.partial_run(h, b, {p1: 1})) == (
            invalid,
            "The feed p1:0 has already been fed.",
        )
        assert _error(lambda: sess.partial_run("foo", a, {p1: 1})) == (
            invalid,
            "Must run 'setup' before performing partial runs!",
        )
        with tf.Session(graph=graph) as other:
            assert _error(lambda: other.partial_run(h, b, {p2: 1})) == (
                invalid,
                "Must run 'setup' before performing partial runs!",
            )
        assert _error(lambda: sess.partial_run_setup([a], [a])) == (
            invalid,
            "add:0 is both fed and fetched.",
        )
        assert sess.partial_run(h, b, {p2: 2}) == np.float32(4.0)  # errors consumed nothing
        h2 = sess.partial_run_setup([a], [p1])
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.partial_run(h2, a, {p1: 1})
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.partial_run_setup([a], [p1])


def test_a_declared_intermediate_must_be_fed_before_what_depends_on_it(graph):
    # TF checks every data ancestor of a fetch, past tensors fed in the call
    p1 = tf.placeholder(tf.float32, [], name="p1")
    p2 = tf.placeholder(tf.float32, [2], name="p2")
    a = p1 * 2.0
    b = a + p2
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([b], [p1, p2, a])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Fetch p1:0 can't be computed"):
            sess.partial_run(h, b, {a: 5, p2: [1, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="Fetch mul:0 can't be computed"):
            sess.partial_run(h, b)


def test_bad_feeds_and_undeclared_placeholders(graph):
    p = tf.placeholder(tf.float32, [None, 2], name="p")
    q = tf.placeholder(tf.int32, [], name="q")
    s = tf.reduce_sum(p) + tf.cast(q, tf.float32)
    p2 = tf.placeholder(tf.float32, [2], name="p2")
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([s], [p])
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match="You must feed a value for placeholder tensor 'q' with dtype int32",
        ):
            sess.partial_run(h, s, {p: [[1, 2]]})
        m = p2 * 2.0
        h = sess.partial_run_setup([m], [p2])
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor p2:0"):
            sess.partial_run(h, m, {p2: [1, 2, 3]})
        np.testing.assert_array_equal(sess.partial_run(h, m, {p2: [1, 2]}), [2.0, 4.0])


def test_a_failing_call_leaves_variables_as_they_were(graph):
    # scopeflow's run() guarantee, per call (TF1 would keep the assignment)
    p = tf.placeholder(tf.float32, [], name="p")
    v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 1.0)
    checked = tf.check_numerics(inc * p, "bad")
    with tf.Session(graph=graph) as sess:
        sess.run(v.initializer)
        h = sess.partial_run_setup([checked], [p])
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad"):
            sess.partial_run(h, checked, {p: np.nan})
        assert sess.run(v) == np.float32(1.0)


def test_declared_ops_run_once_their_declared_feeds_are_in(graph):
    # TF starts a declared op at setup when it needs no declared feed, else in the call that
    # gives its last one
    p1 = tf.placeholder(tf.float32, [], name="p1")
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(0.0, name="w")
    inc = tf.assign_add(v, 1.0)
    add_p = tf.assign_add(w, p1)
    a = p1 * 2.0
    with tf.Session(graph=graph) as sess:
        sess.run([v.initializer, w.initializer])
        h = sess.partial_run_setup([a, inc.op, add_p.op], [p1])
        assert sess.run([v, w]) == [np.float32(2.0), np.float32(0.0)]
        assert sess.partial_run(h, a, {p1: 3}) == np.float32(6.0)
        assert sess.run([v, w]) == [np.float32(2.0), np.float32(3.0)]


def test_a_finished_handle_is_dropped_and_empty_calls_return_at_once(graph):
    p1 = tf.placeholder(tf.float32, [], name="p1")
    a = p1 * 2.0
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([a], [p1])
        assert sess.partial_run(h, [a], {p1: 1}) == [np.float32(2.0)]
        assert sess.partial_run(h, [], {}) == []
        assert sess.partial_run("foo", []) == []
        with pytest.raises(tf.errors.InvalidArgumentError, match="Must run 'setup'"):
            sess.partial_run(h, [], {p1: 1})
        h = sess.partial_run_setup([a], [p1])
        assert sess.partial_run(h, [], {p1: 5}) == []  # a feed alone: nothing fetched yet
        assert sess.partial_run(h, a) == np.float32(10.0)
        assert not sess._partial_runs


def test_control_flow_in_the_subgraph_is_not_supported_yet(graph):
    p = tf.placeholder(tf.float32, [], name="p")
    c = tf.cond(p > 0, lambda: p * 2.0, lambda: p * 3.0)
    w = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    with tf.Session(graph=graph) as sess:
        h = sess.partial_run_setup([c, w], [p])
        with pytest.raises(NotImplementedError, match="use one Session.run with all fetches"):
            sess.partial_run(h, c, {p: 1.0})
        with pytest.raises(NotImplementedError, match="tf.while_loop"):
            sess.partial_run(h, w)
