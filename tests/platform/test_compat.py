"""tf.compat's text, path and Dimension helpers, as TF 2.21's tf.compat.v1.compat."""

import numbers
import pathlib

import numpy as np
import pytest

import scopeflow as tf

c = tf.compat


def test_bytes_and_text():
    assert c.as_bytes("hé") == b"h\xc3\xa9"
    assert c.as_bytes("hé", "latin-1") == b"h\xe9"
    assert c.as_bytes(bytearray(b"ab")) == b"ab"
    assert c.as_text(b"h\xc3\xa9") == "hé"
    assert c.as_str(b"x") == "x"
    assert c.as_str_any(5) == "5" and c.as_str_any(b"z") == "z"
    assert c.as_str_any(pathlib.Path("/q")) == "/q"
    assert tf.compat.v1.compat.as_bytes("a") == b"a"


@pytest.mark.parametrize(
    ("fn", "value", "shown"),
    [(c.as_bytes, 5, "5"), (c.as_text, 5, "5"), (c.as_text, bytearray(b"a"), "bytearray")],
)
def test_other_values_are_type_errors(fn, value, shown):
    with pytest.raises(TypeError, match=f"Expected binary or unicode string, got {shown}"):
        fn(value)


def test_encoding_errors_are_pythons():
    with pytest.raises(UnicodeEncodeError):
        c.as_bytes("é", "ascii")


def test_paths_and_dimensions():
    assert c.path_to_str(pathlib.Path("/a/b")) == "/a/b" and c.path_to_str(3) == 3
    shape = tf.TensorShape([None, 3])
    assert c.dimension_value(shape[1]) == 3 and type(c.dimension_value(shape[1])) is int
    assert c.dimension_value(shape[0]) is None and c.dimension_value(4) == 4
    assert repr(c.dimension_at_index(shape, 1)) == "Dimension(3)"
    assert repr(c.dimension_at_index(tf.TensorShape(None), 5)) == "Dimension(None)"
    with pytest.raises(IndexError):
        c.dimension_at_index(shape, 5)


def test_type_tuples():
    assert c.bytes_or_text_types == (bytes, str)
    assert c.integral_types == (numbers.Integral, np.integer)
    assert c.real_types == (numbers.Real, np.integer, np.floating)
    assert c.complex_types == (numbers.Complex, np.number)
