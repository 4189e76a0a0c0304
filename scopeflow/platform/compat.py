"""``tf.compat``'s helpers: text and bytes (``as_bytes``, ``as_text``, ``as_str_any``),
paths (``path_to_str``), ``Dimension`` values (``dimension_value``, ``dimension_at_index``)
and the type tuples TF checks values against.

>>> import scopeflow as tf
>>> tf.compat.as_bytes("héllo"), tf.compat.as_text(b"h\\xc3\\xa9llo")
(b'h\\xc3\\xa9llo', 'héllo')
>>> tf.compat.dimension_value(tf.TensorShape([None, 3])[1])
3
"""

from __future__ import annotations

import numbers
import os

import numpy as np

from scopeflow.framework.tensor_shape import Dimension, TensorShape

bytes_or_text_types = (bytes, str)
complex_types = (numbers.Complex, np.number)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)


def as_bytes(bytes_or_text, encoding: str = "utf-8") -> bytes:
    """``bytes_or_text`` as bytes: a ``str`` encoded with ``encoding``, a ``bytearray``
    copied, ``bytes`` as they are; anything else is a TypeError."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding: str = "utf-8") -> str:
    """``bytes_or_text`` as a ``str``: ``bytes`` decoded with ``encoding``, a ``str`` as it
    is; anything else (a ``bytearray`` too) is a TypeError."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_str(bytes_or_text, encoding: str = "utf-8") -> str:
    """:func:`as_text` (Python 3's ``str`` is text)."""
    return as_text(bytes_or_text, encoding)


def as_str_any(value, encoding: str = "utf-8") -> str:
    """``bytes`` decoded with ``encoding``, anything else as ``str(value)``."""
    if isinstance(value, bytes):
        return as_str(value, encoding)
    return str(value)


def path_to_str(path):
    """An ``os.PathLike`` as its string; anything else unchanged."""
    if isinstance(path, os.PathLike):
        return os.fspath(path)
    return path


def dimension_value(dimension):
    """A ``Dimension``'s value (an int or None); anything else unchanged."""
    if isinstance(dimension, Dimension):
        return dimension.value
    return dimension


def dimension_at_index(shape, index) -> Dimension:
    """The ``Dimension`` at ``index`` of ``shape`` (``Dimension(None)`` for an unknown
    rank; IndexError past a known rank)."""
    shape = TensorShape(shape)
    if shape.rank is None:
        return Dimension(None)
    return shape.dims[index]


__all__ = [
    "as_bytes",
    "as_str",
    "as_str_any",
    "as_text",
    "bytes_or_text_types",
    "complex_types",
    "dimension_at_index",
    "dimension_value",
    "integral_types",
    "path_to_str",
    "real_types",
]
