"""Kernels of scopeflow/ops/conv_ops.py, pooling_ops.py and conv_algorithms.py against naive
loop references written here: a grid over strides, paddings, dilations and filter sizes that
reaches every conv2d algorithm (1x1 matmul, im2col GEMM, FFT), groups, unknown dimensions,
dtypes, run-time errors, the FFT filter cache, and property tests (hypothesis) that static
shapes inferred while building agree with the shapes the kernels produce."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scopeflow as tf
from scopeflow.ops.kernels import autotune, im2col, spectral, winograd
from scopeflow.ops.kernels import conv as algo
from scopeflow.ops.kernels import windows as conv_windows
from tests.ops.kernel_table import Case, cases_by_mode, check_case

RNG = np.random.default_rng(7)


# -- naive references (loops over output pixels: fine at these sizes) -----------------------


def pads_of(padding, h, w, kh, kw, strides, dilations):
    if padding == "SAME":
        return conv_windows.same_pads(h, kh, strides[0], dilations[0]) + conv_windows.same_pads(
            w, kw, strides[1], dilations[1]
        )
    if padding == "VALID":
        return (0, 0, 0, 0)
    (t, b), (left, r) = padding[1], padding[2]
    return (t, b, left, r)


def naive_conv(x, w, strides, dilations, padding):
    n, h, wd, c = x.shape
    kh, kw, kc, o = w.shape
    pt, pb, pl, pr = pads_of(padding, h, wd, kh, kw, strides, dilations)
    xp = np.pad(x.astype(np.float64), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    oh = (h + pt + pb - (kh - 1) * dilations[0] - 1) // strides[0] + 1
    ow = (wd + pl + pr - (kw - 1) * dilations[1] - 1) // strides[1] + 1
    groups, og = c // kc, o // (c // kc)
    out = np.zeros((n, oh, ow, o))
    for y, z, i, j in itertools.product(range(oh), range(ow), range(kh), range(kw)):
        pixel = xp[:, y * strides[0] + i * dilations[0], z * strides[1] + j * dilations[1]]
        for g in range(groups):
            out[:, y, z, g * og : (g + 1) * og] += (
                pixel[:, g * kc : (g + 1) * kc] @ w[i, j, :, g * og : (g + 1) * og]
            )
    return out


def naive_conv_transpose(dy, w, in_hw, strides, dilations, padding):
    """The input gradient of conv2d: scatter each output-gradient pixel through the filter."""
    n, oh, ow, _ = dy.shape
    kh, kw, c, _ = w.shape
    pt, pb, pl, pr = pads_of(padding, *in_hw, kh, kw, strides, dilations)
    dx = np.zeros((n, in_hw[0] + pt + pb + kh * dilations[0], in_hw[1] + pl + pr + kw * 9, c))
    for y, z, i, j in itertools.product(range(oh), range(ow), range(kh), range(kw)):
        row, col = y * strides[0] + i * dilations[0], z * strides[1] + j * dilations[1]
        dx[:, row, col] += dy[:, y, z] @ w[i, j].T
    return dx[:, pt : pt + in_hw[0], pl : pl + in_hw[1]]


def naive_depthwise(x, w, strides, dilations, padding):
    kh, kw, c, m = w.shape
    per_channel = [
        naive_conv(x[..., ch : ch + 1], w[:, :, ch : ch + 1], strides, dilations, padding)
        for ch in range(c)
    ]
    return np.concatenate(per_channel, axis=3)


def naive_pool(x, ksize, strides, padding, kind):
    n, h, w, c = x.shape
    pt, pb, pl, pr = pads_of(padding, h, w, *ksize, strides, (1, 1))
    oh = (h + pt + pb - ksize[0]) // strides[0] + 1
    ow = (w + pl + pr - ksize[1]) // strides[1] + 1
    out = np.zeros((n, oh, ow, c), np.float64)
    for y, z in itertools.product(range(oh), range(ow)):
        r0, c0 = y * strides[0] - pt, z * strides[1] - pl
        window = x[:, max(r0, 0) : r0 + ksize[0], max(c0, 0) : c0 + ksize[1]]
        out[:, y, z] = window.max(axis=(1, 2)) if kind == "max" else window.mean(axis=(1, 2))
    return out


# -- conv2d: every algorithm ----------------------------------------------------------------

PADDINGS = ["SAME", "VALID", [[0, 0], [2, 0], [1, 3], [0, 0]]]
CONV_GRID = [
    # (filter hw, strides, dilations): 1x1 -> matmul; strided/small -> GEMM; larger -> FFT
    ((1, 1), (1, 1), (1, 1)),
    ((1, 1), (2, 3), (1, 1)),
    ((3, 3), (1, 1), (1, 1)),
    ((3, 3), (2, 2), (1, 1)),
    ((3, 2), (1, 1), (2, 3)),
    ((2, 4), (3, 1), (1, 1)),
    ((5, 5), (1, 1), (1, 1)),
    ((5, 5), (2, 1), (1, 1)),
    ((7, 4), (1, 1), (1, 1)),
    ((4, 4), (1, 1), (2, 2)),
]


def force_algorithm(monkeypatch, algorithm: str) -> None:
    """Makes stride-1 convolutions (and their gradients) use ``algorithm`` (with the
    autotuner off); 1x1 filters keep their matrix product, strided ones GEMM, and
    ``"winograd"`` applies to undilated 3x3 filters only (GEMM elsewhere)."""
    real = algo.conv2d_algorithm

    def forced(x_shape, w_shape, strides, dilations, *rest):
        if real(x_shape, w_shape, strides, dilations, *rest) == "matmul":
            return "matmul"
        if algorithm == "winograd" and not winograd.usable(w_shape[:2], strides, dilations):
            return "gemm"
        return algorithm if strides == (1, 1) else "gemm"

    monkeypatch.setattr(algo, "conv2d_algorithm", forced)
    monkeypatch.setenv(autotune.ENV, "0")


ALGORITHMS = ["gemm", "fft", "spectral", "winograd", "chosen"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize(("k", "strides", "dilations"), CONV_GRID)
@pytest.mark.parametrize("padding", PADDINGS, ids=["SAME", "VALID", "EXPLICIT"])
def test_conv2d_matches_naive_reference(
    run, monkeypatch, algorithm, k, strides, dilations, padding
):
    if algorithm != "chosen":
        force_algorithm(monkeypatch, algorithm)
    x = RNG.standard_normal((2, 11, 12, 3))
    w = RNG.standard_normal((*k, 3, 4))
    ph = tf.placeholder(tf.float64, [None, None, None, 3])
    y = tf.nn.conv2d(ph, w, [1, *strides, 1], padding, dilations=[1, *dilations, 1])
    np.testing.assert_allclose(run(y, {ph: x}), naive_conv(x, w, strides, dilations, padding),
                               rtol=1e-9, atol=1e-9)  # fmt: skip


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "strides", "expected"),
    [
        ((100, 32, 32, 32), (5, 5, 32, 32), (1, 1), "fft"),  # the seed's image filter
        ((8, 64, 64, 16), (9, 9, 16, 16), (1, 1), "fft"),
        ((100, 32, 32, 32), (3, 3, 32, 32), (1, 1), "gemm"),
        ((64, 7, 7, 256), (3, 3, 256, 256), (1, 1), "spectral"),
        ((64, 14, 14, 64), (3, 3, 64, 64), (1, 1), "gemm"),
        ((64, 14, 14, 32), (5, 5, 32, 64), (1, 1), "spectral"),  # benchmarks/train_cnn.py
        ((64, 28, 28, 1), (5, 5, 1, 32), (1, 1), "gemm"),
        ((100, 32, 32, 32), (5, 5, 32, 32), (2, 2), "gemm"),
        ((4, 224, 224, 3), (7, 7, 3, 64), (1, 1), "gemm"),
        ((100, 32, 32, 32), (1, 1, 32, 64), (2, 2), "matmul"),
    ],
)
def test_conv2d_algorithm_choice(x_shape, w_shape, strides, expected):
    pads = conv_windows.same_pads(x_shape[1], w_shape[0], strides[0], 1) + conv_windows.same_pads(
        x_shape[2], w_shape[1], strides[1], 1
    )
    assert algo.conv2d_algorithm(x_shape, w_shape, strides, (1, 1), pads, np.float32) == expected


def test_conv2d_integer_input_uses_gemm(run):
    x = RNG.integers(-5, 5, (1, 6, 6, 2)).astype(np.int32)
    w = RNG.integers(-3, 3, (5, 5, 2, 3)).astype(np.int32)
    y = tf.nn.conv2d(x, w, 1, "SAME")
    value = run(y)
    assert value.dtype == np.int32
    np.testing.assert_array_equal(value, naive_conv(x, w, (1, 1), (1, 1), "SAME").astype(np.int32))


def test_conv2d_chunks_large_images_by_rows(run, monkeypatch):
    monkeypatch.setattr(im2col, "_CHUNK_BYTES", 2000)  # forces row blocks and batch chunks
    x = RNG.standard_normal((3, 9, 10, 4))
    for k in (3, 6):
        w = RNG.standard_normal((k, k, 4, 5))
        y = tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME")
        np.testing.assert_allclose(run(y), naive_conv(x, w, (2, 1), (1, 1), "SAME"), atol=1e-9)
        y = tf.nn.conv2d(x, w, 1, "SAME")
        np.testing.assert_allclose(run(y), naive_conv(x, w, (1, 1), (1, 1), "SAME"), atol=1e-9)


@pytest.mark.parametrize(("k", "strides", "dilations"), [((5, 5), (1, 1), (1, 1)),
                                                       ((3, 2), (2, 1), (1, 2))])  # fmt: skip
def test_conv2d_one_input_channel_by_taps(run, monkeypatch, k, strides, dilations):
    # One input channel: im2col copies tap by tap (several blocks of images here).
    monkeypatch.setattr(algo, "conv2d_algorithm", lambda *args: "gemm")
    monkeypatch.setattr(im2col, "_CHUNK_BYTES", 3000)
    x = RNG.standard_normal((5, 9, 8, 1))
    w = RNG.standard_normal((*k, 1, 3))
    for padding in PADDINGS:
        y = tf.nn.conv2d(x, w, [1, *strides, 1], padding, dilations=[1, *dilations, 1])
        np.testing.assert_allclose(run(y), naive_conv(x, w, strides, dilations, padding),
                                   atol=1e-9)  # fmt: skip


def test_conv2d_groups(run):
    x = RNG.standard_normal((2, 7, 7, 6))
    w = RNG.standard_normal((3, 3, 2, 9))  # 3 groups of 2 input and 3 output channels
    y = tf.nn.conv2d(x, w, 1, "SAME")
    np.testing.assert_allclose(run(y), naive_conv(x, w, (1, 1), (1, 1), "SAME"), atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("k", [1, 3, 6])
def test_conv2d_float_dtypes(run, dtype, k):
    x = RNG.standard_normal((2, 8, 8, 3)).astype(dtype)
    w = RNG.standard_normal((k, k, 3, 4)).astype(dtype)
    value = run(tf.nn.conv2d(x, w, 1, "SAME"))
    assert value.dtype == dtype
    tolerance = {np.float16: 2e-2, np.float32: 1e-4, np.float64: 1e-10}[dtype]
    expected = naive_conv(x.astype(np.float64), w.astype(np.float64), (1, 1), (1, 1), "SAME")
    np.testing.assert_allclose(value, expected, rtol=tolerance, atol=tolerance * 10)


@pytest.mark.parametrize(
    ("algorithm", "module", "name"),
    [("fft", algo, "_filter_spectrum"), ("spectral", spectral, "filter_spectrum")],
)
def test_filter_spectrum_cache_follows_the_variable(run, monkeypatch, algorithm, module, name):
    force_algorithm(monkeypatch, algorithm)
    spectra = []
    real = getattr(module, name)
    monkeypatch.setattr(
        module, name, lambda *args, **kwargs: spectra.append(real(*args, **kwargs)) or spectra[-1]
    )
    w = tf.get_variable("w", initializer=RNG.standard_normal((5, 5, 3, 4)))
    x = RNG.standard_normal((2, 12, 12, 3))
    y = tf.nn.conv2d(x, w, 1, "SAME")
    first = run(y)
    np.testing.assert_allclose(first, naive_conv(x, run(w), (1, 1), (1, 1), "SAME"), atol=1e-9)
    np.testing.assert_array_equal(first, run(y))
    assert spectra[0] is spectra[1]  # the second run reused the filter's transform
    new = RNG.standard_normal((5, 5, 3, 4))
    run(w.assign(new))
    np.testing.assert_allclose(run(y), naive_conv(x, new, (1, 1), (1, 1), "SAME"), atol=1e-9)
    assert spectra[2] is not spectra[1]


def test_fft_filter_cache_skips_writeable_arrays():
    cache = {}
    w = RNG.standard_normal((5, 5, 2, 2))
    algo._filter_spectrum(w, (1, 1), (16, 16), cache)
    assert cache == {}
    w.flags.writeable = False
    spectrum = algo._filter_spectrum(w, (1, 1), (16, 16), cache)
    assert algo._filter_spectrum(w, (1, 1), (16, 16), cache) is spectrum


def test_conv2d_run_time_errors(run):
    x = tf.placeholder(tf.float32, [None, None, None, None])
    y = tf.nn.conv2d(x, tf.ones([5, 5, 3, 2]), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Computed output size"):
        run(y, {x: np.ones((1, 3, 3, 3))})
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="input depth must be evenly divisible by filter depth: 4 vs 3",
    ):
        run(y, {x: np.ones((1, 8, 8, 4))})


# -- conv2d_transpose -------------------------------------------------------------------------

TRANSPOSE_GRID = [
    # (output hw, filter hw, strides, dilations, padding)
    ((9, 10), (3, 3), (1, 1), (1, 1), "SAME"),
    ((9, 10), (3, 3), (1, 1), (1, 1), "VALID"),
    ((9, 10), (6, 6), (1, 1), (1, 1), "SAME"),  # stride 1: a forward conv (FFT path)
    ((9, 10), (2, 3), (1, 1), (2, 2), "VALID"),
    ((18, 20), (4, 4), (2, 2), (1, 1), "SAME"),  # strided: col2im
    ((17, 19), (3, 3), (2, 2), (1, 1), "SAME"),
    ((17, 19), (5, 3), (3, 2), (1, 1), "VALID"),
    ((9, 10), (3, 3), (1, 1), (1, 1), [[0, 0], [1, 2], [3, 0], [0, 0]]),
    ((9, 10), (3, 3), (2, 1), (1, 1), [[0, 0], [1, 2], [3, 0], [0, 0]]),
    ((9, 10), (1, 1), (1, 1), (1, 1), [[0, 0], [2, 0], [0, 1], [0, 0]]),
]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize(("out_hw", "k", "strides", "dilations", "padding"), TRANSPOSE_GRID)
def test_conv2d_transpose_matches_naive_reference(
    run, monkeypatch, algorithm, out_hw, k, strides, dilations, padding
):
    if algorithm != "chosen":
        force_algorithm(monkeypatch, algorithm)
    w = RNG.standard_normal((*k, 3, 4))
    pads = pads_of(padding, *out_hw, *k, strides, dilations)
    in_hw = tuple(
        conv_windows.output_size(
            out_hw[i], k[i], strides[i], dilations[i], *pads[2 * i : 2 * i + 2]
        )
        for i in range(2)
    )
    dy = RNG.standard_normal((2, *in_hw, 4))
    ph = tf.placeholder(tf.float64, [None, None, None, 4])
    y = tf.nn.conv2d_transpose(ph, w, [2, *out_hw, 3], [1, *strides, 1], padding,
                               dilations=[1, *dilations, 1])  # fmt: skip
    assert y.shape.as_list() == [2, *out_hw, 3]
    expected = naive_conv_transpose(dy, w, out_hw, strides, dilations, padding)
    np.testing.assert_allclose(run(y, {ph: dy}), expected, rtol=1e-9, atol=1e-9)


def test_conv2d_transpose_is_the_adjoint_of_conv2d(run):
    """<conv(x), dy> == <x, conv_transpose(dy)> for every x and dy."""
    x = RNG.standard_normal((2, 10, 9, 3))
    w = RNG.standard_normal((4, 3, 3, 5))
    forward = run(tf.nn.conv2d(x, w, [1, 2, 3, 1], "SAME"))
    dy = RNG.standard_normal(forward.shape)
    back = run(tf.nn.conv2d_transpose(dy, w, x.shape, [1, 2, 3, 1], "SAME"))
    assert np.isclose(np.sum(forward * dy), np.sum(x * back))


def test_conv2d_transpose_run_time_shape_check(run):
    sizes = tf.placeholder(tf.int32, [4])
    dy = np.ones((1, 4, 4, 2), np.float32)
    y = tf.nn.conv2d_transpose(dy, np.ones((3, 3, 1, 2), np.float32), sizes, 2, "SAME")
    assert run(y, {sizes: [1, 8, 7, 1]}).shape == (1, 8, 7, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="doesn't match"):
        run(y, {sizes: [1, 12, 8, 1]})


def test_conv2d_backprop_input_with_two_sizes(run):
    dy = RNG.standard_normal((2, 5, 5, 4))
    w = RNG.standard_normal((3, 3, 3, 4))
    y = tf.nn.conv2d_backprop_input([9, 10], w, dy, [1, 2, 2, 1], "SAME")
    assert y.shape.as_list() == [2, 9, 10, 3]
    expected = naive_conv_transpose(dy, w, (9, 10), (2, 2), (1, 1), "SAME")
    np.testing.assert_allclose(run(y), expected, atol=1e-9)


# -- depthwise conv2d -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "strides", "rate", "padding"),
    [
        ((3, 3), (1, 1), (1, 1), "SAME"),
        ((3, 2), (2, 2), (1, 1), "VALID"),
        ((3, 3), (1, 1), (2, 2), "SAME"),
        ((5, 4), (1, 1), (1, 3), "VALID"),
        ((2, 2), (2, 1), (1, 1), [[0, 0], [1, 1], [0, 2], [0, 0]]),
    ],
)
def test_depthwise_conv2d_matches_naive_reference(run, k, strides, rate, padding):
    x = RNG.standard_normal((2, 9, 10, 3))
    w = RNG.standard_normal((*k, 3, 2))
    y = tf.nn.depthwise_conv2d(x, w, [1, *strides, 1], padding, rate=rate)
    expected = naive_depthwise(x, w, strides, rate, padding)
    assert y.shape.as_list() == list(expected.shape)
    np.testing.assert_allclose(run(y), expected, atol=1e-9)


# -- pooling ------------------------------------------------------------------------------------

POOL_GRID = [
    ((2, 2), (2, 2), "VALID"),
    ((2, 2), (2, 2), "SAME"),
    ((3, 3), (2, 2), "SAME"),
    ((3, 2), (1, 3), "SAME"),
    ((3, 3), (1, 1), "VALID"),
    ((4, 1), (3, 2), "SAME"),
]


@pytest.mark.parametrize(("ksize", "strides", "padding"), POOL_GRID)
def test_pools_match_naive_reference(run, ksize, strides, padding):
    x = RNG.standard_normal((2, 7, 9, 3)).astype(np.float32)
    ph = tf.placeholder(tf.float32, [None, None, None, 3])
    for fn, kind in ((tf.nn.max_pool, "max"), (tf.nn.avg_pool, "avg")):
        y = fn(ph, [1, *ksize, 1], [1, *strides, 1], padding)
        value = run(y, {ph: x})
        assert value.dtype == np.float32
        np.testing.assert_allclose(value, naive_pool(x, ksize, strides, padding, kind), rtol=1e-5)


def test_max_pool_explicit_padding_and_integers(run):
    x = RNG.integers(-100, 100, (1, 5, 6, 2)).astype(np.int32)
    y = tf.nn.max_pool(x, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])
    value = run(y)
    assert value.dtype == np.int32 and value.shape == (1, 3, 3, 2)
    padded = np.pad(x, ((0, 0), (1, 0), (0, 1), (0, 0)), constant_values=np.iinfo(np.int32).min)
    np.testing.assert_array_equal(value, naive_pool(padded, (2, 2), (2, 2), "VALID", "max"))


def test_avg_pool_float16(run):
    x = RNG.standard_normal((1, 5, 5, 2)).astype(np.float16)
    value = run(tf.nn.avg_pool(x, 3, 2, "SAME"))
    assert value.dtype == np.float16
    np.testing.assert_allclose(value, naive_pool(x.astype(np.float64), (3, 3), (2, 2), "SAME",
                                                 "avg"), atol=2e-3)  # fmt: skip


def test_bfloat16_computes_in_float32(run):
    ml_dtypes = pytest.importorskip("ml_dtypes")
    x = RNG.standard_normal((1, 8, 8, 2)).astype(ml_dtypes.bfloat16)
    w = RNG.standard_normal((5, 5, 2, 3)).astype(ml_dtypes.bfloat16)
    for y, expected in (
        (tf.nn.conv2d(x, w, 1, "SAME"), naive_conv(x.astype(np.float64), w.astype(np.float64),
                                                   (1, 1), (1, 1), "SAME")),
        (tf.nn.max_pool(x, 2, 2, "SAME"), naive_pool(x.astype(np.float64), (2, 2), (2, 2),
                                                     "SAME", "max")),
    ):  # fmt: skip
        value = run(y)
        assert value.dtype == ml_dtypes.bfloat16
        np.testing.assert_allclose(value.astype(np.float64), expected, rtol=0.05, atol=0.1)


# -- unknown dimensions and rank (the shared kernel table) -----------------------------------

X = RNG.standard_normal((2, 6, 7, 3)).astype(np.float32)
W = RNG.standard_normal((3, 3, 3, 4)).astype(np.float32)
DW = RNG.standard_normal((3, 3, 3, 2)).astype(np.float32)
DY = RNG.standard_normal((2, 3, 4, 4)).astype(np.float32)

# fmt: off
CASES = [
    Case("conv2d", "Conv2D", lambda x, w: tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME"), (X, W),
         lambda x, w: naive_conv(x, w, (2, 1), (1, 1), "SAME"), tolerance=1e-4),
    Case("conv2d-transpose", "Conv2DBackpropInput",
         lambda dy, w: tf.nn.conv2d_transpose(dy, w, [2, 6, 7, 3], [1, 2, 2, 1], "SAME"), (DY, W),
         lambda dy, w: naive_conv_transpose(dy, w, (6, 7), (2, 2), (1, 1), "SAME"),
         tolerance=1e-4),
    Case("depthwise", "DepthwiseConv2dNative",
         lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID"), (X, DW),
         lambda x, w: naive_depthwise(x, w, (1, 1), (1, 1), "VALID"), tolerance=1e-4),
    Case("max-pool", "MaxPool", lambda x: tf.nn.max_pool(x, 3, 2, "SAME"), (X,),
         lambda x: naive_pool(x, (3, 3), (2, 2), "SAME", "max"), tolerance=1e-6),
    Case("avg-pool", "AvgPool", lambda x: tf.nn.avg_pool(x, 2, 1, "VALID"), (X,),
         lambda x: naive_pool(x, (2, 2), (1, 1), "VALID", "avg"), tolerance=1e-5),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


# -- static shapes agree with the kernels' (hypothesis) ---------------------------------------

windows = st.fixed_dictionaries(
    {
        "h": st.integers(1, 9),
        "w": st.integers(1, 9),
        "k": st.tuples(st.integers(1, 4), st.integers(1, 4)),
        "s": st.tuples(st.integers(1, 3), st.integers(1, 3)),
        "d": st.tuples(st.integers(1, 2), st.integers(1, 2)),
        "padding": st.sampled_from(["SAME", "VALID", "EXPLICIT"]),
        "pads": st.lists(st.integers(0, 2), min_size=4, max_size=4),
    }
)


def _padding(cfg):
    if cfg["padding"] != "EXPLICIT":
        return cfg["padding"]
    t, b, left, r = cfg["pads"]
    return [[0, 0], [t, b], [left, r], [0, 0]]


def _fits(cfg, dilated: bool) -> bool:
    pads = cfg["pads"] if cfg["padding"] == "EXPLICIT" else [0, 0, 0, 0]
    d = cfg["d"] if dilated else (1, 1)
    return cfg["padding"] == "SAME" or all(
        size + pads[2 * i] + pads[2 * i + 1] >= (cfg["k"][i] - 1) * d[i] + 1
        for i, size in enumerate((cfg["h"], cfg["w"]))
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cfg=windows, op=st.sampled_from(["conv2d", "depthwise", "max_pool", "avg_pool"]))
def test_static_shapes_agree_with_kernels(cfg, op):
    dilated = op in ("conv2d", "depthwise")
    if not _fits(cfg, dilated) or (op == "avg_pool" and cfg["padding"] == "EXPLICIT"):
        return
    if op == "depthwise" and cfg["d"] != (1, 1) and cfg["s"] != (1, 1):
        return
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, cfg["h"], cfg["w"], 3])
        strides, k, padding = [1, *cfg["s"], 1], cfg["k"], _padding(cfg)
        if op == "conv2d":
            y = tf.nn.conv2d(x, tf.ones([*k, 3, 2]), strides, padding, dilations=[1, *cfg["d"], 1])
        elif op == "depthwise":
            y = tf.nn.depthwise_conv2d(x, tf.ones([*k, 3, 2]), strides, padding, rate=cfg["d"])
        elif op == "max_pool":
            y = tf.nn.max_pool(x, [1, *k, 1], strides, padding)
        else:
            y = tf.nn.avg_pool(x, [1, *k, 1], strides, padding)
        with tf.Session() as sess:
            value = sess.run(y, {x: np.ones((2, cfg["h"], cfg["w"], 3), np.float32)})
    assert y.shape.as_list() == list(value.shape)


@settings(max_examples=25, deadline=None)
@given(cfg=windows)
def test_conv2d_transpose_static_shape_agrees_with_kernel(cfg):
    if not _fits(cfg, True):
        return
    strides, dilations, k, padding = [1, *cfg["s"], 1], [1, *cfg["d"], 1], cfg["k"], _padding(cfg)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, cfg["h"], cfg["w"], 3])
        forward = tf.nn.conv2d(x, tf.ones([*k, 3, 2]), strides, padding, dilations=dilations)
        back = tf.nn.conv2d_transpose(forward, tf.ones([*k, 3, 2]), [2, cfg["h"], cfg["w"], 3],
                                      strides, padding, dilations=dilations)  # fmt: skip
        with tf.Session() as sess:
            value = sess.run(back, {x: np.ones((2, cfg["h"], cfg["w"], 3), np.float32)})
    assert back.shape.as_list() == list(value.shape) == [2, cfg["h"], cfg["w"], 3]


def test_pooling_split_over_kernel_threads_matches_one_span(graph):
    # Large batches are cut into spans run on the kernel threads: same values, ties included.
    x = RNG.integers(0, 3, (40, 32, 36, 3)).astype(np.float64)  # many tied maxima; 1.1 MB
    ph = tf.placeholder(tf.float64, [None, 32, 36, 3])
    fetches = []
    for ksize, strides in (([1, 2, 2, 1], [1, 2, 2, 1]), ([1, 3, 3, 1], [1, 2, 1, 1])):
        pooled = tf.nn.max_pool(ph, ksize, strides, "SAME")
        fetches += [pooled, tf.gradients(tf.reduce_sum(pooled * pooled), ph)[0]]
    values = []
    for threads in (1, 3):  # one span, then three spans of 14, 14 and 12 images
        config = tf.ConfigProto(intra_op_parallelism_threads=threads)
        with tf.Session(graph=graph, config=config) as sess:
            values.append(sess.run(fetches, {ph: x}))
    for a, b in zip(*values, strict=True):
        np.testing.assert_array_equal(a, b)
