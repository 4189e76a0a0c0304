"""Tests for scopeflow/session/side_by_side.py: independent heavy steps (a conv's two
gradients, a dense layer's two products) become pairs that run on two threads; the values are
those of ops one at a time bit for bit; ``inter_op_parallelism_threads=1`` and
``intra_op_parallelism_threads=1`` keep ops one at a time; a failing op of a pair is the one
named; slots freed early by the new order are not read after."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.framework import errors
from scopeflow.session import side_by_side
from tests.ops.nn.test_conv import force_algorithm

RNG = np.random.default_rng(21)


def _config(intra: int = 0, inter: int = 0) -> tf.ConfigProto:
    return tf.ConfigProto(intra_op_parallelism_threads=intra, inter_op_parallelism_threads=inter)


def _pairs(sess) -> list:
    """The pairs in the prepared plans of ``sess``."""
    return [
        step.kernel
        for plan in sess._plans.values()
        for prepared in getattr(plan, "prepared", ())
        for step in prepared
        if isinstance(step.kernel, side_by_side.SideBySide)
    ]


def _filter(*shape) -> np.ndarray:
    return (0.1 * RNG.standard_normal(shape)).astype(np.float32)


def _cnn_training(graph):
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 16, 16, 8])
        w1 = tf.get_variable("w1", initializer=_filter(3, 3, 8, 16))
        w2 = tf.get_variable("w2", initializer=_filter(3, 3, 16, 16))
        dense = tf.get_variable("dense", initializer=RNG.standard_normal((4096, 10)).astype("f"))
        h = tf.nn.relu(tf.nn.conv2d(x, w1, 1, "SAME"))
        h = tf.nn.relu(tf.nn.conv2d(h, w2, 1, "SAME"))
        loss = tf.reduce_sum(tf.square(tf.matmul(tf.reshape(h, [-1, 4096]), dense)))
        train = tf.train.GradientDescentOptimizer(1e-6).minimize(loss)
        return x, loss, train, tf.global_variables_initializer()


@pytest.mark.parametrize("algorithm", ["gemm", "spectral", "winograd"])
def test_pairs_give_the_values_of_ops_one_at_a_time(monkeypatch, algorithm):
    force_algorithm(monkeypatch, algorithm)
    graph = tf.Graph()
    x, loss, train, init = _cnn_training(graph)
    data = RNG.standard_normal((64, 16, 16, 8)).astype(np.float32)
    lanes: list = []
    real = side_by_side.SideBySide.__call__

    def recording(self, ctx, op, *args):
        lanes.append(ctx.side_by_side)
        return real(self, ctx, op, *args)

    monkeypatch.setattr(side_by_side.SideBySide, "__call__", recording)
    values = {}
    for intra, inter in ((1, 1), (2, 0), (2, 1), (1, 2)):
        with tf.Session(graph=graph, config=_config(intra, inter)) as sess:
            sess.run(init)
            for _ in range(2):
                sess.run(train, {x: data})
            values[intra, inter] = sess.run([loss, *tf.trainable_variables()], {x: data})
            if (intra, inter) == (2, 0):
                # The dense layer's two gradient products pair up (the filter gradients go
                # to session/overlap.py's lane).
                assert len(_pairs(sess)) >= 1
    assert True in lanes and False in lanes  # side by side, and one after the other
    for key, got in values.items():
        for a, b in zip(values[1, 1], got, strict=True):
            np.testing.assert_array_equal(a, b, err_msg=str(key))


def test_a_pair_runs_its_ops_on_two_threads(monkeypatch):
    graph = tf.Graph()
    with graph.as_default():
        a = tf.placeholder(tf.float64, [256, 256])
        b = tf.placeholder(tf.float64, [256, 256])
        c = tf.matmul(a, b)
        d = tf.matmul(b, a)
    seen: set = set()
    real = side_by_side.SideBySide.__call__
    kernels = {}

    def recording(self, ctx, op, *args):
        for step in (self.first, self.second):
            kernels.setdefault(step.op.name, step.kernel)
        return real(self, ctx, op, *args)

    monkeypatch.setattr(side_by_side.SideBySide, "__call__", recording)
    x, y = RNG.standard_normal((2, 256, 256))
    with tf.Session(graph=graph) as sess:
        sess.run([c, d], {a: x, b: y})  # prepares the pair
        for name, kernel in list(kernels.items()):

            def on_thread(ctx, op, *args, _kernel=kernel):
                seen.add((op.name, threading.current_thread().name, ctx.threads.count))
                return _kernel(ctx, op, *args)

            for pair in _pairs(sess):
                for attr in ("first", "second"):
                    step = getattr(pair, attr)
                    if step.op.name == name:
                        setattr(pair, attr, step._replace(kernel=on_thread))
        # The ops go to whichever thread claims them first: on a loaded machine the caller
        # may run both before the pool thread starts, so a few runs are allowed.
        for _ in range(50):
            got = sess.run([c, d], {a: x, b: y})
            if len({thread for _, thread, _ in seen}) == 2:
                break
    np.testing.assert_array_equal(got[0], x @ y)
    np.testing.assert_array_equal(got[1], y @ x)
    assert {name for name, _, _ in seen} == {c.op.name, d.op.name}
    assert len({thread for _, thread, _ in seen}) == 2  # the caller and a pool thread
    assert {count for _, _, count in seen} == {1}  # each kernel on one thread


def test_small_pairs_and_one_thread_sessions_never_hand_off(monkeypatch):
    graph = tf.Graph()
    with graph.as_default():
        a = tf.placeholder(tf.float32, [None, 256])
        w = tf.constant(RNG.standard_normal((256, 128)).astype(np.float32))  # 128 KB
        c, d = tf.matmul(a, w), tf.matmul(a, w * 2.0)
    handed = []
    real = side_by_side.run_claimed

    def recording(threads, fn, spans):
        handed.append(spans)
        return real(threads, fn, spans)

    monkeypatch.setattr(side_by_side, "run_claimed", recording)
    small, large = (RNG.standard_normal((n, 256)).astype(np.float32) for n in (4, 512))
    with tf.Session(graph=graph) as sess:
        sess.run([c, d], {a: small})
        assert handed == []  # inputs under MIN_BYTES: one after the other
        sess.run([c, d], {a: large})
        assert len(handed) == 1
    for config in (_config(1, 0), _config(2, 1), _config(2, -1)):
        with tf.Session(graph=graph, config=config) as sess:
            sess.run([c, d], {a: large})
    assert len(handed) == 1


@pytest.mark.parametrize("failing", ["first", "second", "both"])
def test_a_failing_op_of_a_pair_is_the_one_named(failing):
    graph = tf.Graph()
    with graph.as_default():
        a = tf.placeholder(tf.float32, [None, None], name="a")
        b = tf.placeholder(tf.float32, [None, None], name="b")
        first = tf.matmul(a, b, name="first")
        second = tf.matmul(b, a, name="second")
    ok = RNG.standard_normal((512, 512)).astype(np.float32)
    bad = RNG.standard_normal((512, 300)).astype(np.float32)
    feeds = {
        "first": {a: bad, b: bad.T.copy()[:299]},  # first: 512x300 @ 299x512 fails
        "second": {a: bad, b: bad.T.copy()},  # both fine: 512x300 @ 300x512, 300x512 @ 512x300
        "both": {a: bad, b: bad},
    }[failing]
    with tf.Session(graph=graph) as sess:
        sess.run([first, second], {a: ok, b: ok})
        assert _pairs(sess)
        if failing == "second":
            sess.run([first, second], feeds)  # no failure: shapes agree both ways
            return
        with pytest.raises(errors.InvalidArgumentError) as info:
            sess.run([first, second], feeds)
    assert info.value.op.name == "first"


def test_slots_freed_after_their_last_reader_in_the_new_order():
    # The second product moves up beside the first; a value the steps between read
    # must still be there for them.
    graph = tf.Graph()
    with graph.as_default():
        a = tf.placeholder(tf.float64, [128, 128])
        shared = tf.identity(a * 2.0)
        first = tf.matmul(a, a)
        between = tf.reduce_sum(shared + 1.0)
        second = tf.matmul(shared, shared)
    x = RNG.standard_normal((128, 128))
    with tf.Session(graph=graph) as sess:
        got = sess.run([first, between, second], {a: x})
        assert _pairs(sess)
    np.testing.assert_array_equal(got[0], x @ x)
    assert got[1] == np.sum(x * 2.0 + 1.0)
    np.testing.assert_array_equal(got[2], (x * 2.0) @ (x * 2.0))
