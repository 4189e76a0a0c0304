"""What tests/ops/signal/test_signal.py asks TensorFlow (tools/tf_reference.py): the graphs,
names, dtypes and shapes of tf.signal's framing, windows, STFTs, mel matrices and DCTs, and
the errors TF raises while building them."""

SETUP = {
    "x": ("float32", [2, 16]),
    "d": ("float64", [3, 10, 2]),
    "u": ("float32", [None, None]),
    "s": ("complex64", [2, 5, 9]),
    "m": ("float32", [4, 13]),
    "n": ("int32", []),
}

# Built exactly as TF builds them.
GRAPHS = [
    "tf.signal.frame(x, 4, 2)",
    "tf.signal.frame(x, 5, 3, pad_end=True)",
    "tf.signal.frame(x, 6, 4, pad_end=True, pad_value=-1.0, name='frames')",
    "tf.signal.frame(d, 4, 3, axis=1)",
    "tf.signal.frame(d, 4, 3, axis=-2)",
    "tf.signal.frame(x, 4, 4)",
    "tf.signal.overlap_and_add(tf.reshape(x, [2, 4, 4]), 2)",
    "tf.signal.overlap_and_add(tf.reshape(x, [2, 4, 4]), 4)",
    "tf.signal.overlap_and_add(d, 1)",
    "tf.signal.hann_window(8)",
    "tf.signal.hann_window(7, periodic=False)",
    "tf.signal.hamming_window(5, dtype=tf.float64)",
    "tf.signal.hann_window(1)",
    "tf.signal.hann_window(n)",
    "tf.signal.stft(x, 8, 4)",
    "tf.signal.stft(x, 6, 2, fft_length=16, pad_end=True)",
    "tf.signal.stft(x, 8, 4, window_fn=None)",
    "tf.signal.inverse_stft(s, 16, 4)",
    "tf.signal.inverse_stft(s, 12, 4, window_fn=tf.signal.inverse_stft_window_fn(4))",
    "tf.signal.inverse_stft(s, 20, 5, fft_length=16)",
    "tf.signal.dct(m)",
    "tf.signal.dct(m, norm='ortho')",
    "tf.signal.dct(m, type=1)",
    "tf.signal.dct(m, type=3, norm='ortho')",
    "tf.signal.dct(m, type=4)",
    "tf.signal.dct(m, n=8)",
    "tf.signal.dct(m, n=16, type=2)",
    "tf.signal.idct(m, norm='ortho')",
    "tf.spectral.idct(m, type=4)",
    "tf.signal.mfccs_from_log_mel_spectrograms(m)",
    "tf.signal.mfccs_from_log_mel_spectrograms(u)",
]

# TF 2.21 builds tf.linspace from some seventy ops (TF1.15: one LinSpace op, as scopeflow):
# the tests check these results' names, dtypes and shapes only.
RESULTS = [
    "tf.signal.linear_to_mel_weight_matrix()",
    "tf.signal.linear_to_mel_weight_matrix(40, 257, 16000, 20.0, 8000.0, dtype=tf.float64)",
    "tf.signal.linear_to_mel_weight_matrix(10, 33, 8000, name='mel')",
]

ERRORS = [
    ("tf.signal.frame(1.0, 2, 1)", "Shape () must have rank at least 1"),
    ("tf.signal.frame(x, [2], 1)", "Shape (1,) must have rank 0"),
    ("tf.signal.overlap_and_add(x[0], 2)", "Shape (16,) must have rank at least 2"),
    ("tf.signal.overlap_and_add(x, 2.0)", "frame_step must be an integer. Got <dtype: 'float32'>"),
    (
        "tf.signal.hann_window(4, dtype=tf.int32)",
        "dtype must be a floating point type. Found <dtype: 'int32'>",
    ),
    ("tf.signal.dct(m, type=5)", "Types I, II, III and IV (I)DCT are supported."),
    ("tf.signal.dct(m, axis=0)", "axis must be -1. Got: 0"),
    (
        "tf.signal.dct(m, type=1, norm='ortho')",
        "Normalization is not supported for the Type-I DCT.",
    ),
    (
        "tf.signal.dct(m, norm='forward')",
        "Unknown normalization. Expected None or 'ortho', got: forward",
    ),
    ("tf.signal.dct(m, n=0)", "n should be a positive integer or None"),
    ("tf.signal.linear_to_mel_weight_matrix(0)", "num_mel_bins must be positive. Got: 0"),
    (
        "tf.signal.linear_to_mel_weight_matrix(20, 129, 8000, 200.0, 100.0)",
        "lower_edge_hertz 200.0 >= upper_edge_hertz 100.0",
    ),
    (
        "tf.signal.linear_to_mel_weight_matrix(20, 129, 8000, 125.0, 5000.0)",
        "upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). Got 5000.0 for sample_rate: 8000",
    ),
    (
        "tf.signal.linear_to_mel_weight_matrix(lower_edge_hertz=-1.0)",
        "lower_edge_hertz must be non-negative. Got: -1.0",
    ),
    ("tf.signal.stft(x, [8], 4)", "Shape (1,) must have rank 0"),
    ("tf.signal.inverse_stft(x[0], 8, 4)", "Shape (16,) must have rank at least 2"),
]
