"""What tests/ops/signal/test_fft.py and tests/ops/math/test_complex.py ask TensorFlow
(tools/tf_reference.py): the graphs, names, dtypes and shapes of tf.complex/real/imag/angle and
of the FFT ops (tf.fft..., tf.spectral.*, tf.signal.*), and the errors TF raises while building
them."""

SETUP = {
    "x": ("float32", [2, 6]),
    "d": ("float64", [2, 3, 4]),
    "c": ("complex64", [2, 6]),
    "z": ("complex128", [2, 3, 4]),
    "u": ("float32", [None, None]),
    "w": ("complex64", [None, 5]),
    "i": ("int32", [2, 6]),
    "n": ("int32", [1]),
}

COMPLEX = [
    "tf.complex(x, x)",
    "tf.complex(d, d[0], name='cplx')",
    "tf.complex(1.0, 2.0)",
    "tf.complex(x, 2.0)",
    "tf.real(c)",
    "tf.real(z, name='re')",
    "tf.real(x)",
    "tf.math.real(i)",
    "tf.imag(c)",
    "tf.imag(x)",
    "tf.imag(u)",
    "tf.angle(c)",
    "tf.angle(z)",
    "tf.angle(x)",
    "tf.math.angle(d)",
    "tf.real([1 + 2j, 3j])",
    "tf.imag([1 + 2j, 3j])",
    "tf.conj(c)",
    "tf.conj(x)",
    "tf.math.conj(z, name='cj')",
]

COMPLEX_ERRORS = [
    (
        "tf.complex(x, d)",
        "The `real` and `imag` components have incorrect types: float32 float64. They must be consistent, and one of [tf.float32, tf.float64]",
    ),
    ("tf.complex(i, i)", "The `real` and `imag` components have incorrect types: int32 int32."),
    ("tf.complex(x, x[0, :4])", "Dimensions must be equal, but are 6 and 4"),
]

FFTS = [
    "tf.fft(c)",
    "tf.ifft(c, name='inv')",
    "tf.fft2d(c)",
    "tf.ifft2d(z)",
    "tf.fft3d(z)",
    "tf.ifft3d(z)",
    "tf.fft(w)",
    "tf.spectral.fft(c)",
    "tf.signal.ifft3d(z)",
    "tf.signal.fft(tf.cast(x, tf.complex64))",
    "tf.signal.rfft(x)",
    "tf.signal.rfft(x, [8])",
    "tf.signal.rfft(x, [4])",
    "tf.signal.rfft(x, n)",
    "tf.spectral.rfft(d, name='spec')",
    "tf.signal.rfft(u)",
    "tf.signal.rfft([1.0, 2.0, 3.0])",
    "tf.signal.rfft2d(d)",
    "tf.signal.rfft2d(d, [4, 6])",
    "tf.signal.rfft3d(d)",
    "tf.signal.irfft(c)",
    "tf.signal.irfft(c, [8])",
    "tf.signal.irfft(c, [16])",
    "tf.signal.irfft(z)",
    "tf.signal.irfft(w)",
    "tf.signal.irfft(tf.signal.rfft(x), [6])",
    "tf.signal.irfft2d(z)",
    "tf.signal.irfft2d(z, [3, 8])",
    "tf.signal.irfft3d(z, [2, 3, 5])",
    "tf.spectral.irfft3d(z)",
    "tf.signal.fftshift(x)",
    "tf.signal.fftshift(x, axes=1)",
    "tf.signal.ifftshift(d, axes=[0, -1])",
]

FFT_ERRORS = [
    (
        "tf.fft(x)",
        "Value passed to parameter 'input' has DataType float32 not in list of allowed values: complex64, complex128",
    ),
    ("tf.fft2d(c[0])", "Shape must be at least rank 2 but is rank 1"),
    ("tf.fft3d(c)", "Shape must be at least rank 3 but is rank 2"),
    ("tf.signal.rfft(c)", "RFFT requires tf.float32 or tf.float64 inputs, got: "),
    ("tf.signal.rfft(i)", "RFFT requires tf.float32 or tf.float64 inputs, got: "),
    ("tf.signal.irfft(x)", "IRFFT requires tf.complex64 or tf.complex128 inputs, got: "),
    ("tf.signal.rfft3d(x)", "Shape (2, 6) must have rank at least 3"),
    ("tf.signal.irfft2d(c[0])", "Shape (6,) must have rank at least 2"),
    ("tf.signal.rfft(x, [4, 4])", "Dimension must be 1 but is 2"),
]
