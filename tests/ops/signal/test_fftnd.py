"""Tests for TF 2.21's N-D FFTs (scopeflow/ops/signal/fftnd.py). TensorFlow has CPU kernels
for none of FFTND/IFFTND/RFFTND/IRFFTND, so values are checked against NumPy's FFTs (the
transform TF documents); the graphs the wrappers build (op names and types) are TF 2.21's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

_rng = np.random.RandomState(0)
X = (_rng.randn(2, 4, 6) + 1j * _rng.randn(2, 4, 6)).astype(np.complex64)
XR = _rng.randn(2, 4, 6).astype(np.float32)
TOL = 2e-5


def _case(name, op_type, build, x, want):
    return Case(name, op_type, build, (x,), want, tolerance=TOL, modes=("full", "dims"),
                exact_static=False)  # fmt: skip


CASES = [
    _case("fftnd-all", "FFTND", tf.signal.fftnd, X, lambda x: np.fft.fftn(x)),
    _case("fftnd-crop-pad", "FFTND", lambda x: tf.signal.fftnd(x, [3, 8], [-2, -1]), X,
          lambda x: np.fft.fftn(x, s=[3, 8], axes=[-2, -1])),
    _case("fftnd-axes-0-2", "FFTND", lambda x: tf.signal.fftnd(x, [2, 5], [0, 2]), X,
          lambda x: np.fft.fftn(x, s=[2, 5], axes=[0, 2])),
    _case("ifftnd-ortho", "IFFTND", lambda x: tf.signal.ifftnd(x, [4, 6], [1, 2], "ortho"), X,
          lambda x: np.fft.ifftn(x, axes=[1, 2], norm="ortho").astype(np.complex64)),
    _case("rfftnd", "RFFTND", lambda x: tf.signal.rfftnd(x, [4, 6], [1, 2]), XR,
          lambda x: np.fft.rfftn(x, axes=[1, 2]).astype(np.complex64)),
    _case("rfftnd-forward", "RFFTND", lambda x: tf.signal.rfftnd(x, [3, 6], [1, 2], "forward"),
          XR, lambda x: np.fft.rfftn(x, s=[3, 6], axes=[1, 2], norm="forward")
          .astype(np.complex64)),
    _case("irfftnd", "IRFFTND", lambda x: tf.signal.irfftnd(x, [4, 10], [1, 2]), X,
          lambda x: np.fft.irfftn(x, s=[4, 10], axes=[1, 2]).astype(np.float32)),
    _case("raw-fftnd", "FFTND", lambda x: tf.fftnd(x, [4], [1]), X,
          lambda x: np.fft.fft(x, axis=1)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _ops(graph):
    return [(op.name, op.type) for op in graph.get_operations()][1:]


def test_wrappers_build_tfs_graphs(graph):
    y = tf.signal.fftnd(tf.placeholder(tf.complex64, [2, 4, 6]), fft_length=[3, 8], axes=[-2, -1])
    assert _ops(graph) == [
        ("fftnd/Const", "Const"), ("fftnd/Const_1", "Const"), ("fftnd/Pad/paddings", "Const"),
        ("fftnd/Pad", "Pad"), ("fftnd/fft_length", "Const"), ("fftnd", "FFTND"),
    ]  # fmt: skip
    assert y.shape.as_list() == [2, 3, 8]  # TF's shape function says [2, 4, 8]
    z = tf.rfftnd(tf.placeholder(tf.float32, [2, 4, 6]), [4, 6], [1, 2], name="r")
    assert z.name == "r:0" and z.dtype == tf.complex64 and z.shape.as_list() == [2, 4, 4]


def test_defaults_transform_every_dimension(graph, run):
    y = tf.signal.fftnd(tf.placeholder(tf.complex64, [2, 4, 6]))
    assert [t for _, t in _ops(graph)][-2:] == ["StridedSlice", "FFTND"]
    assert y.shape.as_list() == [2, 4, 6]
    back = tf.signal.irfftnd(tf.constant(X))  # last length 2 * (6 - 1)
    np.testing.assert_allclose(run(back), np.fft.irfftn(X, s=[2, 4, 10], axes=[0, 1, 2]), atol=TOL)


def test_no_gradients_as_in_tf(graph):
    x = tf.constant(X)
    with pytest.raises(LookupError, match="No gradient defined for operation"):
        tf.gradients(tf.math.real(tf.signal.fftnd(x, [4, 6], [1, 2])), x)


def test_wrapper_errors(graph):
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64"):
        tf.signal.rfftnd(tf.constant(X))
    with pytest.raises(TypeError, match="needs fft_length known while building"):
        tf.signal.ifftnd(tf.placeholder(tf.complex64, [2, 4, 6]), norm="ortho")
