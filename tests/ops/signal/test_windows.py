"""Tests for scopeflow/ops/signal/windows.py: the Kaiser, Kaiser-Bessel-derived and Vorbis
windows give TF 2.21's values and names."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

S = tf.signal


@pytest.mark.parametrize(
    ("build", "name", "expected", "rtol"),
    [
        (lambda: S.kaiser_window(4, beta=3.0), "kaiser_window/mul_1:0",
         np.float32([0.20488471, 0.8712419, 0.8712419, 0.20488471]), 1e-6),
        (lambda: S.kaiser_bessel_derived_window(4, beta=3.0),
         "kaiser_bessel_derived_window/concat:0",
         np.float32([0.38122442, 0.9244825, 0.9244825, 0.38122442]), 1e-6),
        (lambda: S.vorbis_window(4), "vorbis_window/Sin_1:0",
         np.float32([0.22801436, 0.9736578, 0.9736578, 0.22801416]), 1e-6),
        (lambda: S.kaiser_window(7), "kaiser_window/mul_1:0",
         np.float32([5.2773448e-05, 5.4759324e-02, 5.1884460e-01, 1, 5.1884460e-01,
                     5.4759324e-02, 5.2773448e-05]), 1e-5),
        (lambda: S.kaiser_bessel_derived_window(10, dtype=tf.float64),
         "kaiser_bessel_derived_window/concat:0",
         np.float64([0.00543064, 0.23848356, 0.70710678, 0.97114654, 0.99998525, 0.99998525,
                     0.97114654, 0.70710678, 0.23848356, 0.00543064]), 1e-6),
        (lambda: S.vorbis_window(5, dtype=tf.float16), "vorbis_window/Sin_1:0",
         np.float16([0.1492, 0.8555, 1.0, 0.8574, 0.1506]), 1e-3),
        (lambda: S.kaiser_window(1), "kaiser_window/ones:0", np.float32([1]), 0),
    ],
)  # fmt: skip
def test_windows_are_tfs(run, build, name, expected, rtol):
    window = build()
    assert (window.name, window.dtype.as_numpy_dtype) == (name, expected.dtype.type)
    got = run(window)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-7)


def test_dtype_must_be_floating():
    with pytest.raises(ValueError, match="dtype must be a floating point type"):
        S.vorbis_window(3, dtype=tf.int32)
