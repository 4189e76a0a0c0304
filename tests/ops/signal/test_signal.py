"""Tests for scopeflow/ops/signal/shape_ops.py, spectral.py and mel.py (and
scopeflow/ops/math/linspace.py): ``tf.signal``'s framing, windows, STFTs, mel matrices and
DCTs build TF1's graphs, refuse what TF1 refuses, and compute what NumPy and SciPy compute.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/signal.json`` by ``tools/tf_reference.py``.
TensorFlow 2 builds ``tf.linspace`` from some seventy ops where TF1.15 (and scopeflow) has one
``LinSpace`` op: for the mel matrices built on it, only the result's names, dtype and shape
are compared (``RESULTS``).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("signal")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


@pytest.mark.parametrize("expr", list(GROUPS["GRAPHS"]))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["GRAPHS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["RESULTS"]))
def test_result_has_tf1s_name_dtype_and_shape(env, expr):
    want = GROUPS["RESULTS"][expr]
    t = eval(expr, env)
    assert (t.name, t.dtype.name, t.shape.as_list()) == (want["name"], want["dtype"], want["shape"])


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None), left=None)


# -- values ----------------------------------------------------------------------------------

RNG = np.random.default_rng(1)
SIGNAL = RNG.standard_normal((2, 40)).astype(np.float32)
LOG_MEL = RNG.standard_normal((3, 12))


def _frames(x, length, step, pad_end=False, pad_value=0.0):
    if pad_end:
        count = -(-x.shape[-1] // step)
        need = length + step * (count - 1) - x.shape[-1]
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, max(need, 0))], constant_values=pad_value)
    count = 1 + (x.shape[-1] - length) // step
    return np.stack([x[..., i * step : i * step + length] for i in range(count)], axis=-2)


def _overlap_add(frames, step):
    count, length = frames.shape[-2:]
    out = np.zeros((*frames.shape[:-2], length + step * (count - 1)), frames.dtype)
    for i in range(count):
        out[..., i * step : i * step + length] += frames[..., i, :]
    return out


def _hann(n, periodic=True):
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / (n if periodic else n - 1))


def _stft(x, length, step, fft_length):
    return np.fft.rfft(_frames(x, length, step) * _hann(length), fft_length)


def _dct(x, kind=2, norm=None):
    import scipy.fft

    return scipy.fft.dct(x, type=kind, norm=norm, axis=-1)


def _htk_mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)


def _mel_matrix(bins, spectrogram_bins, rate, low, high):
    freqs = _htk_mel(np.linspace(0.0, rate / 2, spectrogram_bins))[1:, None]
    edges = np.linspace(_htk_mel(low), _htk_mel(high), bins + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    slopes = np.minimum((freqs - lower) / (center - lower), (upper - freqs) / (upper - center))
    return np.pad(np.maximum(0.0, slopes), [(1, 0), (0, 0)])


# fmt: off
CASES = [
    Case("frame", "Reshape", lambda x: tf.signal.frame(x, 8, 3), (SIGNAL,),
         lambda x: _frames(x, 8, 3), modes=("full",)),
    Case("frame-pad-end", "Reshape", lambda x: tf.signal.frame(x, 7, 5, pad_end=True,
         pad_value=2.0), (SIGNAL,), lambda x: _frames(x, 7, 5, True, 2.0), modes=("full",)),
    Case("overlap-and-add", "StridedSlice",
         lambda x: tf.signal.overlap_and_add(tf.reshape(x, [2, 8, 5]), 3), (SIGNAL,),
         lambda x: _overlap_add(x.reshape(2, 8, 5), 3), 1e-6, modes=("full",)),
    Case("stft", "RFFT", lambda x: tf.signal.stft(x, 16, 8), (SIGNAL,),
         lambda x: _stft(x, 16, 8, 16).astype(np.complex64), 1e-4, modes=("full",)),
    Case("stft-fft-length", "RFFT", lambda x: tf.signal.stft(x, 10, 4, fft_length=32),
         (SIGNAL,), lambda x: _stft(x, 10, 4, 32).astype(np.complex64), 1e-4, modes=("full",)),
    *(Case(f"dct-{kind}-{norm}", out_type,
           lambda x, kind=kind, norm=norm: tf.signal.dct(x, type=kind, norm=norm), (LOG_MEL,),
           lambda x, kind=kind, norm=norm: _dct(x, kind, norm), 1e-9, modes=("full",))
      for kind, norm, out_type in [(1, None, "Real"), (2, None, "Real"), (2, "ortho", "Mul"),
                                   (3, None, "StridedSlice")]),
    Case("dct-4", "StridedSlice", lambda x: tf.signal.dct(x, type=4), (LOG_MEL,),
         lambda x: _dct(x, 4), 1e-9, modes=("full",)),
    Case("mfcc", "Mul", tf.signal.mfccs_from_log_mel_spectrograms, (LOG_MEL,),
         lambda x: _dct(x, 2) / np.sqrt(2 * 12),
         1e-9, modes=("full",)),
    Case("linspace", "LinSpace", lambda a, b: tf.linspace(a, b, 7),
         (np.float32(-1.0), np.float32(2.0)), np.linspace(-1.0, 2.0, 7, dtype=np.float32),
         1e-6),
    # num from a fed value (a constant expression would be folded and fail at build, as TF's)
    Case("linspace-num-0", "LinSpace", lambda a: tf.linspace(a, 1.0, tf.cast(a, tf.int32)),
         (np.float32(0.0),), Raises(tf.errors.InvalidArgumentError, "Requires num > 0: 0")),
]

GRADIENTS = [
    GradCase("frame", lambda x: tf.signal.frame(x, 4, 3, pad_end=True), (SIGNAL[:, :11],)),
    GradCase("overlap-and-add", lambda x: tf.signal.overlap_and_add(x, 2),
             (SIGNAL[:, :12].reshape(2, 3, 4),)),
    GradCase("stft", lambda x: tf.signal.stft(x, 8, 4), (SIGNAL[0, :20],)),
    GradCase("dct-ortho", lambda x: tf.signal.dct(x, norm="ortho"), (LOG_MEL[:2, :5],)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_matches_numpy(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradient_matches_finite_differences(case):
    check_gradient_case(case)


@pytest.mark.parametrize(("periodic", "n"), [(True, 8), (False, 7), (True, 1), (False, 2)])
def test_hann_window_matches_numpy(run, periodic, n):
    want = np.ones(1) if n == 1 else _hann(n, periodic)
    np.testing.assert_allclose(run(tf.signal.hann_window(n, periodic)), want, atol=1e-6)


def test_windows_of_a_length_known_only_at_run_time(run):
    n = tf.placeholder(tf.int32, [])
    hamming = tf.signal.hamming_window(n, periodic=False)
    want = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(6) / 5)
    np.testing.assert_allclose(run(hamming, {n: 6}), want, atol=1e-6)
    np.testing.assert_array_equal(run(hamming, {n: 1}), [1.0])


def test_inverse_stft_reconstructs_the_signal(run):
    x = SIGNAL.astype(np.float64)
    spectra = tf.signal.stft(x, 16, 4)
    back = tf.signal.inverse_stft(spectra, 16, 4, window_fn=tf.signal.inverse_stft_window_fn(4))
    value = run(back)
    # the first and last frame_length - frame_step samples lack full overlap
    np.testing.assert_allclose(value[:, 12:-12], x[:, 12 : value.shape[1] - 12], atol=1e-10)


def test_idct_inverts_dct(run):
    for kind in (1, 2, 3, 4):
        norm = "ortho" if kind != 1 else None
        back = run(
            tf.signal.idct(tf.signal.dct(LOG_MEL, type=kind, norm=norm), type=kind, norm=norm)
        )
        scale = {1: 2 * (12 - 1), 2: 1, 3: 1, 4: 1}[kind]
        np.testing.assert_allclose(back / scale, LOG_MEL, atol=1e-9)


def test_mel_matrix_matches_the_htk_formula(run):
    got = run(tf.signal.linear_to_mel_weight_matrix(16, 65, 16000, 40.0, 7600.0, tf.float64))
    np.testing.assert_allclose(got, _mel_matrix(16, 65, 16000, 40.0, 7600.0), atol=1e-12)


def test_frame_of_unknown_shape_runs(run):
    u = tf.placeholder(tf.float32, [None, None])
    frames = tf.signal.frame(u, 5, 2, pad_end=True)
    assert frames.shape.as_list() == [None, None, 5]
    np.testing.assert_array_equal(run(frames, {u: SIGNAL}), _frames(SIGNAL, 5, 2, True))


def test_contrib_signal_is_tf_signal():
    for name in tf.contrib.signal.__all__:
        assert getattr(tf.contrib.signal, name) is getattr(tf.signal, name)


def test_overlap_and_add_output_length_is_static_with_an_unknown_batch(graph):
    # TF's shape inference gives these (TF 2.21): the length needs the frames' count and
    # length and a constant step, not the outer dimensions.
    shapes = {
        (None, 30, 256): [None, 3968],
        (None, None, 256): [None, None],
        (2, 5, 4): [2, 20],
    }
    for shape, want in shapes.items():
        x = tf.placeholder(tf.float32, shape)
        assert tf.signal.overlap_and_add(x, 128 if shape[-1] == 256 else 4).shape.as_list() == want
    stfts = tf.signal.stft(tf.placeholder(tf.float32, [None, 4000]), 256, 128)
    assert tf.signal.inverse_stft(stfts, 256, 128).shape.as_list() == [None, 3968]
    assert tf.signal.overlap_and_add(tf.placeholder(tf.float32), 3).shape.ndims is None
