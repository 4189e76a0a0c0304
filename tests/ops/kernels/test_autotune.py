"""The convolution autotuner (scopeflow/ops/kernels/autotune.py): every candidate algorithm,
Winograd F(2x2, 3x3) included, timed on first sight of a problem and the fastest kept for the
process; results within tolerance of float64 references whichever algorithm wins; off with
SCOPEFLOW_CONV_AUTOTUNE=0 (the cost model's choice, bit for bit)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from scopeflow.ops.kernels import autotune, winograd
from scopeflow.ops.kernels import conv as algo
from scopeflow.ops.kernels.parallel import Threads
from scopeflow.ops.kernels.windows import same_pads
from tests.ops.nn.test_conv import naive_conv, naive_conv_transpose
from tests.ops.nn.test_grad_kernels import naive_filter_grad

RNG = np.random.default_rng(11)
THREADS = Threads(2)


@pytest.fixture
def tuning(monkeypatch):
    """The autotuner on, for problems of any size, with no choices remembered."""
    monkeypatch.setenv(autotune.ENV, "1")
    monkeypatch.setattr(autotune, "MIN_WORK", 0)
    autotune.forget()
    yield
    autotune.forget()


def test_run_keeps_the_fastest_and_returns_its_result(tuning):
    calls = []

    def job(name, pause):
        def fn():
            calls.append(name)
            time.sleep(pause)
            return np.array(name)

        return fn

    jobs = {"slow": job("slow", 0.02), "fast": job("fast", 0.0)}
    assert autotune.run("k", jobs, "slow", work=1) == "fast"
    assert autotune.choices() == {"k": "fast"}
    calls.clear()
    assert autotune.run("k", jobs, "slow", work=1) == "fast"
    assert calls == ["fast"]  # remembered: no timing the second time


def test_timing_calls_compute_without_what_kernels_share(tuning):
    # Timed three times with the run's memo, the spectral kernels would find their spectra
    # kept from the first call and look cheaper than they are: the timing uses the versions
    # that share nothing, the chosen algorithm's own call (later runs) the sharing one.
    calls = []

    def job(name):
        def fn():
            calls.append(name)
            return np.array(name.split("-")[0])

        return fn

    jobs = {name: job(name + "-shared") for name in ("a", "b")}
    timed = {name: job(name + "-alone") for name in ("a", "b")}
    chosen = autotune.run("k", jobs, "a", work=1, timed=timed)
    assert {c.split("-")[1] for c in calls} == {"alone"}
    calls.clear()
    assert autotune.run("k", jobs, "a", work=1, timed=timed) == chosen
    assert calls == [f"{chosen}-shared"]


def test_conv_kernels_time_their_candidates_without_the_memo(tuning, monkeypatch):
    seen = []
    real = algo._filter_grad_by

    def recording(algorithm, x, dy, k, strides, dilations, pads, memo, threads):
        seen.append(memo is None)
        return real(algorithm, x, dy, k, strides, dilations, pads, memo, threads)

    monkeypatch.setattr(algo, "_filter_grad_by", recording)
    x = RNG.standard_normal((4, 12, 12, 8)).astype(np.float32)
    dy = RNG.standard_normal((4, 12, 12, 6)).astype(np.float32)
    memo: dict = {}
    args = ((3, 3, 8, 6), dy, (1, 1), (1, 1), (1, 1, 1, 1))
    first = algo.conv2d_backprop_filter(x, *args, memo, threads=THREADS)
    assert seen and all(seen)  # every timing call without the memo
    seen.clear()
    again = algo.conv2d_backprop_filter(x, *args, memo, threads=THREADS)
    assert seen == [False]  # the chosen algorithm, with the run's memo
    np.testing.assert_allclose(first, again, rtol=1e-5, atol=1e-5)


def test_run_uses_the_default_when_off_or_small(monkeypatch):
    autotune.forget()
    jobs = {"a": lambda: np.array("a"), "b": lambda: np.array("b")}
    monkeypatch.setenv(autotune.ENV, "0")
    assert autotune.run("k", jobs, "b", work=1e12) == "b"
    monkeypatch.setenv(autotune.ENV, "1")
    assert autotune.run("k", jobs, "b", work=autotune.MIN_WORK - 1) == "b"
    assert autotune.choices() == {}


def pads_for(padding, hw, k, dilations=(1, 1)):
    if padding == "SAME":
        return same_pads(hw[0], k[0], 1, dilations[0]) + same_pads(hw[1], k[1], 1, dilations[1])
    return (0, 0, 0, 0) if padding == "VALID" else (2, 0, 1, 3)


PROBLEMS = [  # (x shape, filter hw, output channels, dilations)
    ((3, 9, 10, 4), (3, 3), 5, (1, 1)),
    ((2, 11, 8, 3), (5, 5), 4, (1, 1)),
    ((2, 12, 12, 2), (3, 3), 3, (2, 2)),
]


@pytest.mark.parametrize(("x_shape", "k", "o", "dilations"), PROBLEMS)
@pytest.mark.parametrize("padding", ["SAME", "VALID", "EXPLICIT"])
def test_tuned_kernels_match_references(tuning, x_shape, k, o, dilations, padding):
    x = RNG.standard_normal(x_shape)
    w = RNG.standard_normal((*k, x_shape[3], o))
    pads = pads_for(padding, x_shape[1:3], k, dilations)
    explicit = [[0, 0], [2, 0], [1, 3], [0, 0]]
    ref_padding = explicit if padding == "EXPLICIT" else padding
    y = algo.conv2d(x, w, (1, 1), dilations, pads, threads=THREADS)
    np.testing.assert_allclose(y, naive_conv(x, w, (1, 1), dilations, ref_padding), atol=1e-9)
    dy = RNG.standard_normal(y.shape)
    dx = algo.conv2d_backprop_input(dy, w, x_shape[1:3], (1, 1), dilations, pads, threads=THREADS)
    expected = naive_conv_transpose(dy, w, x_shape[1:3], (1, 1), dilations, ref_padding)
    np.testing.assert_allclose(dx, expected, atol=1e-9)
    dw = algo.conv2d_backprop_filter(x, w.shape, dy, (1, 1), dilations, pads, threads=THREADS)
    expected = naive_filter_grad(x, k, dy, (1, 1), dilations, ref_padding)
    np.testing.assert_allclose(dw, expected, atol=1e-9)
    chosen = autotune.choices()
    assert sorted(key[0] for key in chosen) == ["conv2d", "filter", "input"]
    names = algo.candidates(x.shape, w.shape, (1, 1), dilations, pads, x.dtype)
    assert ("winograd" in names) == (k == (3, 3) and dilations == (1, 1))
    for key, name in chosen.items():
        assert name.removeprefix("flip-") in {*names, "spectral"}, key


@pytest.mark.parametrize("algorithm", ["gemm", "fft", "spectral", "winograd"])
def test_float32_within_tolerance_of_float64(algorithm):
    """Every algorithm's float32 result on a ResNet-like layer, against float64: within
    1e-5 of the result's scale (README: "Convolution algorithms")."""
    x = RNG.standard_normal((4, 16, 16, 32))
    w = RNG.standard_normal((3, 3, 32, 32)) / 17
    dy = RNG.standard_normal((4, 16, 16, 32))
    pads = (1, 1, 1, 1)
    x32, w32, dy32 = (a.astype(np.float32) for a in (x, w, dy))
    forward = algo._conv2d_by(algorithm, x32, w32, (1, 1), (1, 1), pads, None, None, THREADS)
    expected = naive_conv(x, w, (1, 1), (1, 1), "SAME")
    np.testing.assert_allclose(forward, expected, atol=1e-5 * np.abs(expected).max())
    args = (x32, dy32, (3, 3), (1, 1), (1, 1), pads, None, THREADS)
    grad = algo._filter_grad_by(algorithm, *args)
    expected = naive_filter_grad(x, (3, 3), dy, (1, 1), (1, 1), "SAME")
    np.testing.assert_allclose(grad, expected, atol=1e-5 * np.abs(expected).max())


def test_off_is_the_cost_model_bit_for_bit(monkeypatch, tuning):
    x = RNG.standard_normal((2, 10, 10, 8)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 8, 8)).astype(np.float32)
    pads = (1, 1, 1, 1)
    monkeypatch.setenv(autotune.ENV, "0")
    off = algo.conv2d(x, w, (1, 1), (1, 1), pads, threads=THREADS)
    default = algo.conv2d_algorithm(x.shape, w.shape, (1, 1), (1, 1), pads, x.dtype)
    by_default = algo._conv2d_by(default, x, w, (1, 1), (1, 1), pads, None, None, THREADS)
    np.testing.assert_array_equal(off, by_default)
    assert autotune.choices() == {}


def test_winograd_usable_only_for_undilated_stride_1_3x3():
    assert winograd.usable((3, 3), (1, 1), (1, 1))
    assert not winograd.usable((3, 3), (2, 2), (1, 1))
    assert not winograd.usable((3, 3), (1, 1), (2, 1))
    assert not winograd.usable((5, 5), (1, 1), (1, 1))


@pytest.mark.parametrize("algorithm", ["fft", "winograd"])
def test_chunked_algorithms_do_not_depend_on_the_thread_count(algorithm):
    """Batches are cut the same way for every thread count, so sums over chunks (the filter
    gradients) are too: one algorithm per problem gives the same bits for any session."""
    x = RNG.standard_normal((19, 12, 12, 6)).astype(np.float32)
    w = RNG.standard_normal((3, 3, 6, 5)).astype(np.float32)
    dy = RNG.standard_normal((19, 12, 12, 5)).astype(np.float32)
    pads = (1, 1, 1, 1)
    results = []
    for count in (1, 2, 3):
        threads = Threads(count)
        forward = algo._conv2d_by(algorithm, x, w, (1, 1), (1, 1), pads, None, None, threads)
        grad = algo._filter_grad_by(algorithm, x, dy, (3, 3), (1, 1), (1, 1), pads, None, threads)
        results.append((forward, grad))
    for forward, grad in results[1:]:
        np.testing.assert_array_equal(forward, results[0][0])
        np.testing.assert_array_equal(grad, results[0][1])


def test_each_candidate_by_name_agrees_with_the_others():
    """``conv2d_by``/``filter_grad_by`` (what benchmarks/conv_algorithms.py times) compute
    the same convolution whichever algorithm is named."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 12, 12, 4)).astype(np.float32)
    w = rng.standard_normal((3, 3, 4, 5)).astype(np.float32)
    dy = rng.standard_normal((2, 12, 12, 5)).astype(np.float32)
    one = ((1, 1), (1, 1), (1, 1, 1, 1))
    names = algo.candidates(x.shape, w.shape, *one, np.float32)
    assert {"gemm", "fft", "winograd"} <= set(names)
    forward = [algo.conv2d_by(name, x, w, *one, Threads(2)) for name in names]
    filters = [algo.filter_grad_by(name, x, dy, (3, 3), *one, Threads(2)) for name in names]
    for values in (forward, filters):
        for value in values[1:]:
            np.testing.assert_allclose(value, values[0], rtol=1e-4, atol=1e-4)
