"""The frequency-domain convolutions (scopeflow/ops/conv_spectral.py) beyond the naive-
reference grids of nn/test_conv.py and nn/test_grad_kernels.py: spectra shared by the
three kernels of one convolution within a run (and only within it), float32 accuracy at a
real model's shapes, and the frame lengths that keep circular correlation from wrapping.
The filter's cache across runs is tested with the FFT's in nn/test_conv.py."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import conv as algo
from scopeflow.ops.kernels import spectral, windows
from scopeflow.ops.kernels.parallel import Threads
from tests.ops.nn.test_conv import force_algorithm, naive_conv, naive_conv_transpose
from tests.ops.nn.test_grad_kernels import naive_filter_grad

RNG = np.random.default_rng(11)
ONE = Threads(1)


def _count_calls(monkeypatch, name: str) -> list:
    calls = []
    real = getattr(spectral, name)

    def counted(array, *args):
        calls.append(array)
        return real(array, *args)

    monkeypatch.setattr(spectral, name, counted)
    return calls


def test_one_training_step_transforms_each_array_once(run, monkeypatch):
    force_algorithm(monkeypatch, "spectral")
    transformed = _count_calls(monkeypatch, "spectrum")
    x = RNG.standard_normal((3, 9, 8, 2))
    w = tf.get_variable("w", initializer=RNG.standard_normal((3, 4, 2, 5)))
    y = tf.nn.conv2d(tf.constant(x), w, 1, "SAME")
    dy = RNG.standard_normal((3, 9, 8, 5))
    loss = tf.reduce_sum(y * dy)
    dx, dw = tf.gradients(loss, [y.op.inputs[0], w])
    value, grad_x, grad_w = run([y, dx, dw])
    w_value = run(w)
    np.testing.assert_allclose(value, naive_conv(x, w_value, (1, 1), (1, 1), "SAME"), atol=1e-9)
    np.testing.assert_allclose(
        grad_x, naive_conv_transpose(dy, w_value, (9, 8), (1, 1), (1, 1), "SAME"), atol=1e-9
    )
    np.testing.assert_allclose(
        grad_w, naive_filter_grad(x, (3, 4), dy, (1, 1), (1, 1), "SAME"), atol=1e-9
    )
    # First run: x once (forward, reused by the filter gradient), dy once (both gradients),
    # the filter once (forward and input gradient), as a (1, KH, KW, C * O) image.
    shapes = sorted(a.shape for a in transformed)
    assert shapes == [(1, 3, 4, 10), (3, 9, 8, 2), (3, 9, 8, 5)]
    # A new run transforms x and dy again (nothing is kept between runs); the filter's
    # spectrum is kept by the op while the variable's value is unchanged.
    run([y, dx, dw])
    assert sorted(a.shape for a in transformed[3:]) == [(3, 9, 8, 2), (3, 9, 8, 5)]


def test_filter_spectrum_cache_skips_writeable_arrays():
    frame = algo.spectral_frame((6, 6), (3, 3), (1, 1), (1, 1, 1, 1))
    cache = {}
    w = RNG.standard_normal((3, 3, 2, 2))
    spectral.filter_spectrum(w, frame, cache, threads=ONE)
    assert cache == {}  # a writeable array may change in place: never cached
    w.flags.writeable = False
    spectral.filter_spectrum(w, frame, cache, threads=ONE)
    assert cache["filter_spectrum"][0] is w


def test_float32_accuracy_at_the_benchmark_cnn_shapes():
    x = RNG.standard_normal((4, 14, 14, 32)).astype(np.float32)
    w = (RNG.standard_normal((5, 5, 32, 64)) * 0.05).astype(np.float32)
    dy = RNG.standard_normal((4, 14, 14, 64)).astype(np.float32)
    pads = (2, 2, 2, 2)
    frame = algo.spectral_frame((14, 14), (5, 5), (1, 1), pads)
    x64, w64, dy64 = (a.astype(np.float64) for a in (x, w, dy))
    checks = [
        (spectral.conv2d(x, w, frame, threads=ONE), naive_conv(x64, w64, (1, 1), (1, 1), "SAME")),
        (
            spectral.backprop_input(dy, w, frame, threads=ONE),
            naive_conv_transpose(dy64, w64, (14, 14), (1, 1), (1, 1), "SAME"),
        ),
        (
            spectral.backprop_filter(x, dy, frame, threads=ONE),
            naive_filter_grad(x64, (5, 5), dy64, (1, 1), (1, 1), "SAME"),
        ),
    ]
    for got, expected in checks:
        assert got.dtype == np.float32
        scale = np.abs(expected).max()
        np.testing.assert_allclose(got / scale, expected / scale, atol=2e-6)


@pytest.mark.parametrize(
    ("in_hw", "k", "dilations", "pads"),
    [
        ((14, 14), (5, 5), (1, 1), (2, 2, 2, 2)),
        ((7, 9), (3, 2), (2, 3), (0, 0, 0, 0)),
        ((5, 6), (1, 3), (1, 1), (9, 7, 0, 4)),  # pads wider than the filter
        ((8, 8), (3, 3), (1, 1), (0, 3, 3, 0)),
    ],
)
def test_frames_never_wrap(in_hw, k, dilations, pads):
    frame = algo.spectral_frame(in_hw, k, dilations, pads)
    x = RNG.standard_normal((2, *in_hw, 2))
    w = RNG.standard_normal((*k, 2, 3))
    padding = [[0, 0], list(pads[:2]), list(pads[2:]), [0, 0]]
    expected = naive_conv(x, w, (1, 1), dilations, padding)
    assert frame.out_hw == expected.shape[1:3]
    np.testing.assert_allclose(spectral.conv2d(x, w, frame, threads=ONE), expected, atol=1e-9)
    dy = RNG.standard_normal(expected.shape)
    np.testing.assert_allclose(
        spectral.backprop_input(dy, w, frame, threads=ONE),
        naive_conv_transpose(dy, w, in_hw, (1, 1), dilations, padding),
        atol=1e-9,
    )
    np.testing.assert_allclose(
        spectral.backprop_filter(x, dy, frame, threads=ONE),
        naive_filter_grad(x, k, dy, (1, 1), dilations, padding),
        atol=1e-9,
    )


def test_large_frames_leave_the_spectral_method():
    # Past MAX_FRAME a DFT matrix costs more than an FFT: the chooser does not pick it.
    big = (4, 2 * spectral.MAX_FRAME, 2 * spectral.MAX_FRAME, 16)
    pads = windows.same_pads(big[1], 5, 1, 1) * 2
    assert algo.conv2d_algorithm(big, (5, 5, 16, 16), (1, 1), (1, 1), pads, np.float32) != (
        "spectral"
    )
