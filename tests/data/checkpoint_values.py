"""The variables of the TensorFlow-written checkpoint in ``tf_checkpoint/``: one of every dtype
the checkpoint format supports, with edge values (extremes, empty shapes, binary strings).

Imported both by ``make_tf_checkpoint.py`` (run under TensorFlow) and by the tests; needs only
NumPy and ``ml_dtypes`` (for bfloat16).
"""

import numpy as np

PREFIX = "model.ckpt-7"  # inside tf_checkpoint/, as the `checkpoint` file names it


def expected_values() -> dict:
    """``{variable name: (TF dtype name, value)}``; string values are object arrays of bytes."""
    import ml_dtypes

    def ints(dtype):
        info = np.iinfo(dtype)
        return np.array([info.min, 0, 1, info.max], dtype=dtype)

    words = [b"", b"hello", "\u00e9t\u00e9".encode(), b"\x00bin\xff\x00", b"x" * 200]
    return {
        "global_step": ("int64", np.array(7, dtype=np.int64)),
        "model/dense/kernel": ("float32", np.arange(12, dtype=np.float32).reshape(3, 4) / 7),
        "model/dense/bias": ("float32", np.array([-1.5, 0.0, np.inf, -np.inf], np.float32)),
        "model/f16": ("float16", np.array([[0.5, -2.0, 65504.0], [1e-4, 0.0, -0.0]], np.float16)),
        "model/f64": ("float64", np.array([np.pi, -np.e, 1e300, 5e-324, 0.0], np.float64)),
        "model/bf16": ("bfloat16", np.array([1.0, -2.5, 3.0e38, 0.0078125], ml_dtypes.bfloat16)),
        "model/i8": ("int8", ints(np.int8)),
        "model/i16": ("int16", ints(np.int16)),
        "model/i32": ("int32", ints(np.int32).reshape(2, 2)),
        "model/i64": ("int64", ints(np.int64)),
        "model/u8": ("uint8", ints(np.uint8)),
        "model/u16": ("uint16", ints(np.uint16)),
        "model/u32": ("uint32", ints(np.uint32)),
        "model/u64": ("uint64", ints(np.uint64)),
        "model/flag": ("bool", np.array([True, False, True])),
        "model/c64": ("complex64", np.array([1 + 2j, -3.5j], np.complex64)),
        "model/c128": ("complex128", np.array([[1e-300 + 1j, 2], [3j, -4]], np.complex128)),
        "model/words": ("string", np.array(words, dtype=object)),
        "model/scalar": ("float32", np.array(2.5, np.float32)),
        "model/empty": ("float32", np.zeros((0, 3), np.float32)),
        "model/empty_words": ("string", np.array([], dtype=object)),
    }
