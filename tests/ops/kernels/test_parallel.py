"""Kernels split over threads (scopeflow/ops/kernels/parallel.py) give exactly what one call
gives: elementwise ufuncs with broadcasting, copies, errors and NumPy's error state. The
split is forced here on small arrays with an explicit
``Threads(3, split_bytes=0, ufunc_bytes=0)``."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

from scopeflow.ops.kernels import conv as algo
from scopeflow.ops.kernels.parallel import MAX_THREADS, Threads, even_spans

RNG = np.random.default_rng(5)
SPLIT = Threads(3, split_bytes=0, ufunc_bytes=0)  # three spans for two rows or more
ONE = Threads(1)


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
def test_split_ufunc_matches_one_call(fn, x, y):
    expected = fn(x, y)
    got = SPLIT.split_ufunc(fn, x, y)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_split_ufunc_raises_numpy_errors():
    with pytest.raises(ValueError, match="could not be broadcast"):
        SPLIT.split_ufunc(np.add, np.ones((4, 3)), np.ones((4, 2)))
    with pytest.raises(ValueError, match="negative integer powers"):
        SPLIT.split_ufunc(np.power, np.arange(6).reshape(6, 1), -np.ones((6, 1), int))


def test_spans_keep_the_callers_error_state():
    x = np.array([[1.0], [0.0], [2.0], [0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="ignore", invalid="ignore"):
            result = SPLIT.split_ufunc(np.divide, x, np.zeros((4, 1)))
    assert np.isinf(result[0, 0]) and np.isnan(result[1, 0])


def test_copyto_in_spans_changes_layout_exactly():
    x = RNG.standard_normal((5, 4, 3, 2))
    out = np.empty((4, 3, 5, 2))
    SPLIT.copyto(out, x.transpose(1, 2, 0, 3))
    np.testing.assert_array_equal(out, x.transpose(1, 2, 0, 3))
    scalar = np.empty(())
    SPLIT.copyto(scalar, np.array(3.0))
    assert scalar == 3.0


def test_spans_run_on_at_most_count_threads_in_lanes():
    ran: dict[tuple[int, int], str] = {}

    def span(a, b):
        ran[(a, b)] = threading.current_thread().name

    Threads(2).run_spans(span, [(i, i + 1) for i in range(5)])
    assert sorted(ran) == [(i, i + 1) for i in range(5)]
    assert len(set(ran.values())) == 2  # lane 0 (spans 0, 2, 4) on a pool thread, lane 1 here
    assert ran[(1, 2)] == ran[(3, 4)] == threading.current_thread().name
    assert Threads(1000).count == MAX_THREADS and Threads(0).count == 1


def test_one_channel_im2col_in_spans_matches_one_span(monkeypatch):
    x = RNG.standard_normal((5, 9, 8, 1))
    w = RNG.standard_normal((3, 3, 1, 4))
    pads = (1, 1, 1, 1)
    whole = algo.conv2d(x, w, (1, 1), (1, 1), pads, threads=ONE)
    dy = RNG.standard_normal(whole.shape)
    grad = algo.conv2d_backprop_filter(x, w.shape, dy, (1, 1), (1, 1), pads, threads=ONE)
    monkeypatch.setattr(algo, "conv2d_algorithm", lambda *args: "gemm")
    split = algo.conv2d(x, w, (1, 1), (1, 1), pads, threads=SPLIT)
    np.testing.assert_allclose(split, whole, atol=1e-12)
    np.testing.assert_allclose(
        algo.conv2d_backprop_filter(x, w.shape, dy, (1, 1), (1, 1), pads, threads=SPLIT),
        grad,
        atol=1e-12,
    )


def test_spans_split_again_inside_a_span_run_in_place():
    # A pool thread that waited on spans queued behind its own could wait for ever: work
    # split inside a span runs on the thread that has it.
    seen = []

    def outer(a, b):
        SPLIT.run_spans(lambda c, d: seen.append((a, c)), [(0, 1), (1, 2)])

    SPLIT.run_spans(outer, even_spans(6, 3))
    assert sorted(seen) == [(0, 0), (0, 1), (2, 0), (2, 1), (4, 0), (4, 1)]
