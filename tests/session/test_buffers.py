"""Tests for scopeflow/session/buffers.py: after its first steps a training step takes its
large arrays from those the steps before freed (traced allocations), with the bits of a run
without the pool; arrays a user holds (fetched values, views, feeds, variable values read
earlier) are never written; the pool does not grow; concurrent runs never share an array; a
failed run changes nothing."""

from __future__ import annotations

import sys
import threading
import tracemalloc

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import compiled
from scopeflow.session import buffers

RNG = np.random.default_rng(5)
BATCH, WIDTH = 64, 256  # every activation and weight of the model is 64 KB or more


def _dense_model(optimizer):
    x = tf.placeholder(tf.float32, [BATCH, WIDTH], name="x")
    labels = tf.placeholder(tf.int64, [BATCH], name="labels")
    h = tf.layers.dense(x, WIDTH, activation=tf.nn.relu, name="d0")
    h = tf.layers.dense(h, WIDTH, activation=tf.nn.relu, name="d1")
    logits = tf.layers.dense(h, 10, name="out")
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )
    return x, labels, h, optimizer.minimize(loss)


def _conv_model(optimizer):
    x = tf.placeholder(tf.float32, [8, 16, 16, 32], name="x")
    labels = tf.placeholder(tf.int64, [8], name="labels")
    h = tf.layers.conv2d(x, 32, 3, padding="same", use_bias=False, name="conv")
    h = tf.nn.relu(tf.layers.batch_normalization(h, training=True, name="bn"))
    logits = tf.layers.dense(tf.reshape(h, [8, -1]), 10, name="out")
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    )
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(updates):
        return x, labels, h, optimizer.minimize(loss)


def _feed(x, labels) -> dict:
    shape = x.shape.as_list()
    return {
        x: RNG.standard_normal(shape).astype(np.float32),
        labels: RNG.integers(0, 10, shape[0]),
    }


OPTIMIZERS = {
    "adam": lambda: tf.train.AdamOptimizer(1e-2),
    "momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "sgd": lambda: tf.train.GradientDescentOptimizer(0.1),
}


def _train(model, optimizer: str, feeds: list[dict] | None = None, steps: int = 4):
    """The variables' values after ``steps`` steps, from a fresh graph seeded alike."""
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x, labels, _, train = model(OPTIMIZERS[optimizer]())
        feeds = feeds or [_feed(x, labels) for _ in range(steps)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for feed in feeds:
                sess.run(train, {x: feed[0], labels: feed[1]})
            return sess.run(tf.global_variables())


@pytest.mark.parametrize("model", [_dense_model, _conv_model], ids=["dense", "conv"])
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_steps_with_the_pool_give_the_bits_of_steps_without(monkeypatch, model, optimizer):
    monkeypatch.setattr(compiled, "MOMENTUM_MIN_SIZE", 1 << 12)  # the compiled pass too
    shapes = ([BATCH, WIDTH], [BATCH]) if model is _dense_model else ([8, 16, 16, 32], [8])
    feeds = [
        (RNG.standard_normal(shapes[0]).astype(np.float32), RNG.integers(0, 10, shapes[1]))
        for _ in range(4)
    ]
    pooled = _train(model, optimizer, feeds)
    monkeypatch.setattr(buffers, "MIN_BYTES", 1 << 62)  # nothing is kept or taken
    plain = _train(model, optimizer, feeds)
    for a, b in zip(pooled, plain, strict=True):
        assert a.tobytes() == b.tobytes()


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_after_its_first_steps_a_training_step_allocates_nothing_large(monkeypatch, optimizer):
    monkeypatch.setattr(compiled, "MOMENTUM_MIN_SIZE", 1 << 12)
    with tf.Graph().as_default():
        x, labels, _, train = _dense_model(OPTIMIZERS[optimizer]())
        feed = _feed(x, labels)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train, feed)
            tracemalloc.start()
            try:
                peaks = []
                for _ in range(3):
                    tracemalloc.reset_peak()
                    before = tracemalloc.get_traced_memory()[0]
                    sess.run(train, feed)
                    peaks.append(tracemalloc.get_traced_memory()[1] - before)
            finally:
                tracemalloc.stop()
    # Without the pool a step allocates its new weights, slots and activations: ~2.4 MB.
    assert max(peaks) < buffers.MIN_BYTES * 2


def test_values_a_user_holds_are_never_written(monkeypatch):
    with tf.Graph().as_default():
        x, labels, h, train = _dense_model(OPTIMIZERS["adam"]())
        flat = tf.reshape(h, [-1])  # a view of the activation
        kernel = tf.trainable_variables()[0]
        feed = _feed(x, labels)
        fed = {k: v.copy() for k, v in feed.items()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            held = sess.run([h, flat, kernel], feed)
            copies = [a.copy() for a in held]
            for _ in range(5):
                sess.run([train], feed)
            for a, b in zip(held, copies, strict=True):
                assert a.tobytes() == b.tobytes()
            for k, v in feed.items():
                assert v.tobytes() == fed[k].tobytes()
            assert sess.run(kernel).tobytes() != copies[2].tobytes()  # it did train


def test_the_pool_stops_growing():
    with tf.Graph().as_default():
        x, labels, _, train = _dense_model(OPTIMIZERS["adam"]())
        feed = _feed(x, labels)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())

            def held() -> int:
                return sum(a.nbytes for free in sess._buffers._free.values() for a in free)

            for _ in range(3):
                sess.run(train, feed)
            after_three = held()
            for _ in range(6):
                sess.run(train, feed)
            assert 0 < held() <= after_three
        assert held() == 0  # closing the session frees them


def test_a_loop_keeps_what_one_iteration_holds_not_one_array_per_iteration():
    with tf.Graph().as_default():
        w = tf.constant(RNG.standard_normal((WIDTH, WIDTH)).astype(np.float32) / 16)
        start = tf.placeholder(tf.float32, [BATCH, WIDTH])

        def body(i, h):
            return i + 1, tf.tanh(tf.matmul(h, w)) * 0.5 + tf.sigmoid(h)

        _, out = tf.while_loop(lambda i, h: i < 40, body, [0, start])
        value = RNG.standard_normal((BATCH, WIDTH)).astype(np.float32)
        with tf.Session() as sess:
            first = sess.run(out, {start: value})
            for _ in range(3):
                assert sess.run(out, {start: value}).tobytes() == first.tobytes()
            kept = sum(len(free) for free in sess._buffers._free.values())
    assert kept <= 3


def test_concurrent_runs_never_share_an_array():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [BATCH, WIDTH])
        w = tf.constant(RNG.standard_normal((WIDTH, WIDTH)).astype(np.float32))
        y = tf.nn.relu(tf.matmul(tf.nn.relu(tf.matmul(x, w)), w)) * 2.0
        inputs = [RNG.standard_normal((BATCH, WIDTH)).astype(np.float32) for _ in range(2)]
        with tf.Session() as sess:
            expected = [sess.run(y, {x: value}) for value in inputs]
            wrong = []

            def runs(k):
                for _ in range(30):
                    if sess.run(y, {x: inputs[k]}).tobytes() != expected[k].tobytes():
                        wrong.append(k)

            threads = [threading.Thread(target=runs, args=(k,)) for k in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    assert wrong == []


def test_a_failed_step_changes_nothing_and_the_next_is_as_if_it_never_ran():
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x, labels, _, train = _dense_model(OPTIMIZERS["adam"]())
        feeds = [_feed(x, labels) for _ in range(3)]
        bad = dict(feeds[1])
        bad[labels] = np.full(BATCH, 99)  # out of range: the loss's kernel fails
        results = []
        for fail in (False, True):
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(train, feeds[0])
                if fail:
                    before = sess.run(tf.global_variables())
                    with pytest.raises(tf.errors.InvalidArgumentError):
                        sess.run(train, bad)
                    after = sess.run(tf.global_variables())
                    assert [a.tobytes() for a in after] == [b.tobytes() for b in before]
                sess.run(train, feeds[2])
                results.append(sess.run(tf.global_variables()))
    assert [a.tobytes() for a in results[0]] == [b.tobytes() for b in results[1]]


@pytest.mark.parametrize("algorithm", ["gemm", "fft", "spectral", "winograd"])
def test_a_convolutions_output_comes_from_the_pool_after_the_first_step(monkeypatch, algorithm):
    """Conv2D and its input gradient write into arrays the step before freed
    (ops/kernels/workspace.py), whichever algorithm computes them."""
    from scopeflow.ops.kernels import autotune, conv

    monkeypatch.setenv(autotune.ENV, "0")  # the default algorithm, set here
    monkeypatch.setattr(conv, "conv2d_algorithm", lambda *args: algorithm)
    taken: list = []
    take = buffers.Buffers.take

    def counting(self, shape, dtype, counts):
        caller = sys._getframe(2).f_globals["__name__"]  # (RunContext.empty's caller)
        if caller == "scopeflow.ops.kernels.workspace":  # a convolution's output or scratch
            taken.append((shape, bool(self._free.get((shape, dtype)))))
        return take(self, shape, dtype, counts)

    monkeypatch.setattr(buffers.Buffers, "take", counting)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [8, 16, 16, 32])
        w = tf.Variable(RNG.standard_normal([3, 3, 32, 32]).astype(np.float32) * 0.1)
        y = tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"))
        (dx,) = tf.gradients(tf.reduce_sum(y * y), [x])
        feed = {x: RNG.standard_normal([8, 16, 16, 32]).astype(np.float32)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(tf.reduce_sum(dx), feed)
            sess.run(tf.reduce_sum(dx), feed)
            del taken[:]
            assert sess.run(tf.reduce_sum(dx), feed) == first
    assert [shape for shape, _ in taken].count((8, 16, 16, 32)) == 2  # the conv's output, dx
    assert all(hit for _, hit in taken)  # ... and scratch (im2col's patches), all reused


def test_scratch_arrays_are_plain_arrays_outside_a_run():
    from scopeflow.ops.kernels import workspace

    array = workspace.empty((4, 5), np.float32)
    assert type(array) is np.ndarray and array.shape == (4, 5) and array.flags.writeable
    workspace.release(array)  # nothing to give it to: a no-op
    assert array.shape == (4, 5)
