"""Kernel threads are the session's decision: ``ConfigProto.intra_op_parallelism_threads``
(0: the default count; 1: kernels never hand work to another thread; N: at most N threads
per kernel), checked as TF1 checks it; the values do not depend on the count, bit for bit
except where convolution chunks of images follow it."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import parallel
from tests.ops.nn.test_conv import force_algorithm

RNG = np.random.default_rng(17)


def _config(intra: int, **fields) -> tf.ConfigProto:
    return tf.ConfigProto(intra_op_parallelism_threads=intra, **fields)


@pytest.fixture
def handoffs(monkeypatch):
    """The lanes of spans kernels hand to pool threads while the test runs."""
    pool = parallel._shared_pool()
    handed = []

    class Recording:
        def submit(self, fn, *args):
            handed.append(threading.current_thread().name)
            return pool.submit(fn, *args)

    monkeypatch.setattr(parallel, "_shared_pool", Recording)
    return handed


def _cnn_step(graph):
    """A step over arrays of megabytes: conv2d, depthwise conv, bias add, ReLU, max pooling
    and all their gradients."""
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None, 28, 28, 3])
        w = tf.constant(RNG.standard_normal((5, 5, 3, 16)).astype(np.float32) * 0.1)
        d = tf.constant(RNG.standard_normal((3, 3, 16, 1)).astype(np.float32) * 0.1)
        b = tf.constant(RNG.standard_normal(16).astype(np.float32))
        h = tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME") + b)
        h = tf.nn.max_pool(tf.nn.depthwise_conv2d(h, d, [1, 1, 1, 1], "SAME"), 2, 2, "SAME")
        loss = tf.reduce_sum(h * h)
        return x, [h, *tf.gradients(loss, [x, w, d, b])]


def _run(graph, intra, x, fetches, data):
    with tf.Session(graph=graph, config=_config(intra)) as sess:
        return sess.run(fetches, {x: data})


@pytest.mark.parametrize("algorithm", ["gemm", "spectral", "fft"])
def test_one_thread_never_hands_work_to_the_pool(monkeypatch, handoffs, algorithm):
    force_algorithm(monkeypatch, algorithm)
    graph = tf.Graph()
    x, fetches = _cnn_step(graph)
    data = RNG.standard_normal((64, 28, 28, 3)).astype(np.float32)
    single = _run(graph, 1, x, fetches, data)
    assert handoffs == []
    split = _run(graph, 2, x, fetches, data)
    assert handoffs and set(handoffs) == {threading.current_thread().name}
    for a, b in zip(single, split, strict=True):
        if algorithm == "fft":  # its chunks of images follow the thread count: rounding too
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-4)
        else:  # only copies and whole images are split
            np.testing.assert_array_equal(a, b)


def test_several_threads_give_the_values_of_one_bit_for_bit(handoffs):
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [None, 32, 36, 3])
        bias = tf.constant(RNG.standard_normal(3))
        h = tf.nn.relu(x + bias)
        pooled = tf.nn.max_pool(h, 3, [1, 2, 1, 1], "SAME")
        fetches = [h, pooled, *tf.gradients(tf.reduce_sum(pooled * pooled), [x, bias])]
    data = RNG.integers(-2, 3, (40, 32, 36, 3)).astype(np.float64)  # 1.1 MB, tied maxima
    single = _run(graph, 1, x, fetches, data)
    assert handoffs == []
    split = _run(graph, 3, x, fetches, data)
    assert handoffs  # the large kernels split
    for a, b in zip(single, split, strict=True):
        np.testing.assert_array_equal(a, b)


def test_thread_counts_of_sessions():
    graph = tf.Graph()
    with graph.as_default():
        y = tf.constant(2.0) * 3
    assert tf.Session(graph=graph)._threads.count == parallel.default_count()
    assert tf.Session(graph=graph, config=_config(0))._threads.count == parallel.default_count()
    assert tf.Session(graph=graph, config=_config(5))._threads.count == 5
    # Ops run one at a time on the calling thread: every inter-op value is accepted
    # (TF1: 0 picks a number, negative runs ops on the caller's thread).
    for inter in (-1, 0, 4):
        config = _config(1, inter_op_parallelism_threads=inter)
        with tf.Session(graph=graph, config=config) as sess:
            assert sess.run(y) == 6.0


def test_thread_settings_are_checked_as_tf1_checks_them():
    # Messages as TF 2.21's protobuf words them.
    with pytest.raises(TypeError, match="'float' object cannot be interpreted as an integer"):
        tf.ConfigProto(intra_op_parallelism_threads=1.5)
    with pytest.raises(TypeError, match="Expected an int, got a boolean"):
        tf.ConfigProto(intra_op_parallelism_threads=True)
    config = tf.ConfigProto()
    with pytest.raises(TypeError, match="'str' object cannot be interpreted as an integer"):
        config.inter_op_parallelism_threads = "2"
    with pytest.raises(TypeError, match="'NoneType' object cannot be interpreted"):
        config.inter_op_parallelism_threads = None
    assert tf.ConfigProto(intra_op_parallelism_threads=None).intra_op_parallelism_threads == 0
    numpy_count = tf.ConfigProto(intra_op_parallelism_threads=np.int64(3))
    assert type(numpy_count.intra_op_parallelism_threads) is int
    assert tf.ConfigProto(operation_timeout_in_ms=2**40).operation_timeout_in_ms == 2**40  # int64
    with pytest.raises(ValueError, match="Value out of range"):
        config.intra_op_parallelism_threads = 2**31
    assert config.intra_op_parallelism_threads == 0  # a rejected value leaves the field as it was
    config.intra_op_parallelism_threads = -1  # a valid int32, refused by the session
    with pytest.raises(ValueError, match="intra_op_parallelism_threads: expected 0"):
        tf.Session(graph=tf.Graph(), config=config)


@pytest.mark.parametrize("algorithm", ["spectral", "gemm"])
def test_conv_training_steps_in_sessions_at_once_match_one_session(monkeypatch, algorithm):
    # Sessions running at once share the pool; spectra memos are per run.
    force_algorithm(monkeypatch, algorithm)
    rng = np.random.default_rng(9)
    data = rng.standard_normal((64, 14, 14, 3)).astype(np.float32)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 14, 14, 3])
        w = tf.get_variable("w", initializer=rng.standard_normal((5, 5, 3, 8)).astype(np.float32))
        h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")), 2, 2, "SAME")
        loss = tf.reduce_sum(h * h)
        train = tf.train.GradientDescentOptimizer(1e-5).minimize(loss)
        init = tf.global_variables_initializer()

    def steps(out, index):
        with tf.Session(graph=graph, config=_config(3)) as sess:
            sess.run(init)
            for _ in range(3):
                sess.run(train, {x: data})
            out[index] = sess.run(w)

    alone = {}
    steps(alone, 0)
    together = {}
    threads = [threading.Thread(target=steps, args=(together, i)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(together) == 4
    for value in together.values():
        np.testing.assert_array_equal(value, alone[0])
