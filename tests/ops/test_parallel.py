"""Kernels split over the shared kernel threads (scopeflow/ops/kernels/parallel.py) give exactly
what one call gives: elementwise ufuncs with broadcasting, the ReLU gradient, errors and
NumPy's error state. The split is forced here on small arrays."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import parallel as _parallel

RNG = np.random.default_rng(5)


@pytest.fixture
def forced_split(monkeypatch):
    monkeypatch.setattr(_parallel, "_SPLIT_BYTES", 0)
    monkeypatch.setattr(_parallel, "THREADS", 3)


@pytest.mark.parametrize(
    ("fn", "x", "y"),
    [
        (np.add, RNG.standard_normal((7, 4, 3)).astype(np.float32), RNG.standard_normal(3)),
        (np.add, RNG.standard_normal((7, 4, 3)).astype(np.float32), np.float32(2) * np.ones(())),
        (np.multiply, RNG.standard_normal((1, 4, 3)), RNG.standard_normal((5, 1, 3))),
        (np.maximum, RNG.integers(-9, 9, (6, 2), dtype=np.int8), np.zeros((), np.int8)),
        (np.less, RNG.standard_normal((5, 3)), RNG.standard_normal((5, 3))),
        (np.subtract, RNG.standard_normal((4,)), RNG.standard_normal((6, 4))),
    ],
)
def test_split_ufunc_matches_one_call(forced_split, fn, x, y):
    expected = fn(x, y)
    got = _parallel.split_ufunc(fn, x, y)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_split_ufunc_raises_numpy_errors(forced_split):
    with pytest.raises(ValueError, match="could not be broadcast"):
        _parallel.split_ufunc(np.add, np.ones((4, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="negative integer powers"):
        _parallel.split_ufunc(np.power, np.arange(6).reshape(6, 1), -np.ones((6, 1), int))


def test_spans_keep_the_callers_error_state(forced_split):
    x = np.array([[1.0], [0.0], [2.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="ignore", invalid="ignore"):
            result = _parallel.split_ufunc(np.divide, x, np.zeros((4, 1)))
    assert np.isinf(result[0, 0]) and np.isnan(result[1, 0])


def test_relu_and_its_gradient_split_over_threads(forced_split):
    with tf.Graph().as_default():
        x = RNG.standard_normal((9, 5, 4)).astype(np.float32)
        x[0, 0, 0] = 0.0
        ph = tf.placeholder(tf.float32, [None, 5, 4])
        y = tf.nn.relu(ph)
        g = tf.gradients(tf.reduce_sum(y * x), ph)[0]
        b = ph + np.arange(4, dtype=np.float32)
        with tf.Session() as sess:
            value, grad, biased = sess.run([y, g, b], {ph: x})
    np.testing.assert_array_equal(value, np.maximum(x, 0))
    np.testing.assert_array_equal(grad, np.where(x > 0, x, 0))
    np.testing.assert_array_equal(biased, x + np.arange(4, dtype=np.float32))


def test_copyto_in_spans_changes_layout_exactly(forced_split):
    x = RNG.standard_normal((5, 4, 3, 2))
    out = np.empty((4, 3, 5, 2))
    _parallel.copyto(out, x.transpose(1, 2, 0, 3))
    np.testing.assert_array_equal(out, x.transpose(1, 2, 0, 3))
    scalar = np.empty(())
    _parallel.copyto(scalar, np.array(3.0))
    assert scalar == 3.0


def test_one_channel_im2col_in_spans_matches_one_span(monkeypatch):
    from scopeflow.ops.kernels import conv as algo

    x = RNG.standard_normal((5, 9, 8, 1))
    w = RNG.standard_normal((3, 3, 1, 4))
    pads = (1, 1, 1, 1)
    whole = algo.conv2d(x, w, (1, 1), (1, 1), pads)
    dy = RNG.standard_normal(whole.shape)
    grad = algo.conv2d_backprop_filter(x, w.shape, dy, (1, 1), (1, 1), pads)
    monkeypatch.setattr(algo, "conv2d_algorithm", lambda *args: "gemm")
    monkeypatch.setattr(_parallel, "_SPLIT_BYTES", 0)
    monkeypatch.setattr(_parallel, "THREADS", 3)
    np.testing.assert_allclose(algo.conv2d(x, w, (1, 1), (1, 1), pads), whole, atol=1e-12)
    np.testing.assert_allclose(
        algo.conv2d_backprop_filter(x, w.shape, dy, (1, 1), (1, 1), pads), grad, atol=1e-12
    )


def test_spans_split_again_inside_a_span_run_in_place(forced_split):
    # A pool thread that waited on spans queued behind its own could wait for ever: work
    # split inside a span runs on the thread that has it.
    seen = []

    def outer(a, b):
        _parallel.run_spans(lambda c, d: seen.append((a, c)), [(0, 1), (1, 2)])

    _parallel.run_spans(outer, _parallel.even_spans(6, 3))
    assert sorted(seen) == [(0, 0), (0, 1), (2, 0), (2, 1), (4, 0), (4, 1)]


@pytest.mark.parametrize("algorithm", ["spectral", "gemm"])
def test_conv_training_steps_on_several_threads_match_one_thread(
    forced_split, monkeypatch, algorithm
):
    # Sessions running at once share the kernel threads; spectra memos are per run.
    import threading

    from tests.ops.test_conv_kernels import force_algorithm

    force_algorithm(monkeypatch, algorithm)
    rng = np.random.default_rng(9)
    data = rng.standard_normal((6, 12, 12, 3)).astype(np.float32)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 12, 12, 3])
        w = tf.get_variable("w", initializer=rng.standard_normal((5, 5, 3, 8)).astype(np.float32))
        h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")), 2, 2, "SAME")
        loss = tf.reduce_sum(h * h)
        train = tf.train.GradientDescentOptimizer(1e-4).minimize(loss)
        init = tf.global_variables_initializer()

    def steps(out, index):
        with tf.Session(graph=graph) as sess:
            sess.run(init)
            for _ in range(5):
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
