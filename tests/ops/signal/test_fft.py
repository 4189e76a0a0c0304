"""Tests for scopeflow/ops/signal/fft.py and scopeflow/ops/math/complex.py: the FFT ops and
``tf.complex``/``real``/``imag``/``angle`` build TF1's graphs (ops, names, dtypes, shapes),
refuse what TF1 refuses, compute NumPy's transforms and have gradients matching finite
differences.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/spectral.json`` by ``tools/tf_reference.py``;
where scopeflow differs, ``DIFFERENCES`` says what it does instead and why.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("spectral")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}


@pytest.mark.parametrize(
    ("group", "expr"), [(g, e) for g in ("COMPLEX", "FFTS") for e in GROUPS[g]]
)
def test_builds_tf1s_graph(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize(
    ("group", "expr"), [(g, e) for g in ("COMPLEX_ERRORS", "FFT_ERRORS") for e in GROUPS[g]]
)
def test_errors(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)), left=None)


# -- kernels -------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
R32 = RNG.standard_normal((3, 4, 6)).astype(np.float32)
R64 = RNG.standard_normal((2, 3, 5))
C64 = (RNG.standard_normal((3, 4, 6)) + 1j * RNG.standard_normal((3, 4, 6))).astype(np.complex64)
C128 = RNG.standard_normal((2, 3, 5)) + 1j * RNG.standard_normal((2, 3, 5))


def _np(fn, axes, dtype, **kw):
    return lambda x: fn(x, axes=axes, **kw).astype(dtype)


_FFTS = [
    ("FFT", tf.fft, np.fft.fftn, (-1,)),
    ("IFFT", tf.ifft, np.fft.ifftn, (-1,)),
    ("FFT2D", tf.fft2d, np.fft.fftn, (-2, -1)),
    ("IFFT2D", tf.ifft2d, np.fft.ifftn, (-2, -1)),
    ("FFT3D", tf.fft3d, np.fft.fftn, (-3, -2, -1)),
    ("IFFT3D", tf.ifft3d, np.fft.ifftn, (-3, -2, -1)),
]
# fmt: off
CASES = [
    *(Case(f"{t.lower()}-{x.dtype}", t, fn, (x,), _np(ref, axes, x.dtype), 2e-5)
      for t, fn, ref, axes in _FFTS for x in (C64, C128)),
    Case("rfft", "RFFT", lambda x: tf.signal.rfft(x), (R32,),
         _np(np.fft.rfftn, (-1,), np.complex64), 2e-5),
    Case("rfft-crop", "RFFT", lambda x: tf.signal.rfft(x, [4]), (R64,),
         _np(np.fft.rfftn, (-1,), np.complex128, s=[4]), 1e-12),
    Case("rfft-pad", "RFFT", lambda x: tf.signal.rfft(x, [9]), (R64,),
         _np(np.fft.rfftn, (-1,), np.complex128, s=[9]), 1e-12),
    Case("rfft2d", "RFFT2D", lambda x: tf.signal.rfft2d(x, [3, 5]), (R32,),
         _np(np.fft.rfftn, (-2, -1), np.complex64, s=[3, 5]), 2e-5),
    Case("rfft3d", "RFFT3D", lambda x: tf.signal.rfft3d(x), (R64,),
         _np(np.fft.rfftn, (-3, -2, -1), np.complex128), 1e-12),
    Case("irfft", "IRFFT", lambda x: tf.signal.irfft(x), (C64,),
         _np(np.fft.irfftn, (-1,), np.float32, s=[10]), 2e-5),
    Case("irfft-odd", "IRFFT", lambda x: tf.signal.irfft(x, [7]), (C128,),
         _np(np.fft.irfftn, (-1,), np.float64, s=[7]), 1e-12),
    Case("irfft-crop", "IRFFT", lambda x: tf.signal.irfft(x, [4]), (C128,),
         _np(np.fft.irfftn, (-1,), np.float64, s=[4]), 1e-12),
    Case("irfft2d", "IRFFT2D", lambda x: tf.signal.irfft2d(x, [4, 9]), (C64,),
         _np(np.fft.irfftn, (-2, -1), np.float32, s=[4, 9]), 2e-5),
    Case("irfft3d", "IRFFT3D", lambda x: tf.signal.irfft3d(x, [2, 2, 8]), (C128,),
         _np(np.fft.irfftn, (-3, -2, -1), np.float64, s=[2, 2, 8]), 1e-12),
    Case("rfft-negative-length", "RFFT", lambda x: tf.spectral.rfft(x, tf.constant([-2]) * 1),
         (R64,), Raises(tf.errors.InvalidArgumentError, "fft_length must be non-negative")),
    Case("complex", "Complex", tf.complex, (R64, R64[0]), lambda a, b: a + 1j * b),
    Case("complex-float32", "Complex", tf.complex, (R32, R32),
         lambda a, b: (a + 1j * b).astype(np.complex64)),
    Case("real", "Real", tf.real, (C64,), np.real),
    Case("imag", "Imag", tf.imag, (C128,), np.imag),
    Case("angle", "Angle", tf.angle, (C64,), np.angle),
    Case("roll", "Roll", lambda x: tf.roll(x, 2, 1), (R32,), lambda x: np.roll(x, 2, 1)),
    Case("roll-axes", "Roll", lambda x: tf.roll(x, [-1, 3, 1], [0, 2, 0]), (R64,),
         lambda x: np.roll(x, [-1, 3, 1], [0, 2, 0])),
    Case("fftshift", "Roll", lambda x: tf.signal.fftshift(x), (R32,), np.fft.fftshift,
         modes=("full", "dims")),  # all axes: the rank must be known, as in TF1
    Case("ifftshift", "Roll", lambda x: tf.signal.ifftshift(x, axes=[0, -1]), (R64,),
         lambda x: np.fft.ifftshift(x, axes=[0, -1])),
]

X = np.linspace(-1, 1, 24).reshape(2, 3, 4) ** 2
Z = X + 1j * np.cos(np.arange(24)).reshape(2, 3, 4)
GRADIENTS = [
    *(GradCase(t.lower(), fn, (Z,)) for t, fn, _, _ in _FFTS),
    GradCase("rfft", lambda x: tf.signal.rfft(x), (X,)),
    GradCase("rfft-odd", lambda x: tf.signal.rfft(x[..., :3]), (X,)),
    GradCase("rfft-crop", lambda x: tf.signal.rfft(x, [3]), (X,)),
    GradCase("rfft-pad", lambda x: tf.signal.rfft(x, [6]), (X,)),
    GradCase("rfft2d", lambda x: tf.signal.rfft2d(x), (X,)),
    GradCase("rfft3d", lambda x: tf.signal.rfft3d(x, [2, 2, 5]), (X,)),
    # fft_length computed at run time: the gradients pad and crop with ops
    GradCase("rfft-run-time-length", lambda x: tf.signal.rfft(x, tf.constant([3]) * 1), (X,)),
    GradCase("rfft2d-run-time-length", lambda x: tf.signal.rfft2d(x, tf.constant([2, 6]) * 1),
             (X,)),
    GradCase("irfft-run-time-length", lambda x: tf.signal.irfft(x, tf.constant([5]) * 1), (Z,)),
    GradCase("irfft2d-run-time-length",
             lambda x: tf.signal.irfft2d(x, tf.constant([2, 4]) * 1), (Z,)),
    GradCase("irfft", lambda x: tf.signal.irfft(x), (Z,)),
    GradCase("irfft-odd", lambda x: tf.signal.irfft(x, [7]), (Z,)),
    GradCase("irfft2d", lambda x: tf.signal.irfft2d(x), (Z,)),
    GradCase("irfft3d", lambda x: tf.signal.irfft3d(x, [2, 3, 5]), (Z,)),
    GradCase("complex", lambda a, b: tf.complex(a, b), (X, X[0, :1])),
    GradCase("real", tf.real, (Z,)),
    GradCase("imag", tf.imag, (Z,)),
    GradCase("angle", tf.angle, (Z,)),
    GradCase("roll", lambda x: tf.roll(x, [1, -2], [2, 1]), (X,)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


def test_rfft_of_an_unknown_length_pads_at_run_time(run):
    x = tf.placeholder(tf.float32, [None, None])
    n = tf.placeholder(tf.int32, [1])
    spectrum = tf.signal.rfft(x, n)
    value = run(spectrum, {x: R32[0], n: [8]})
    np.testing.assert_allclose(value, np.fft.rfft(R32[0], 8), rtol=1e-5, atol=1e-5)


def test_irfft_inverts_rfft(run):
    x = tf.constant(R64)
    np.testing.assert_allclose(run(tf.signal.irfft2d(tf.signal.rfft2d(x), [3, 5])), R64)


def test_roll_checks_its_axis_at_run_time(run):
    shift = tf.placeholder(tf.int32, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 3 is out of range"):
        run(tf.roll(R32, shift, 3), {shift: 1})
