"""Helpers the string kernels share: strings as ``bytes`` (a fed ``str`` is UTF-8 encoded),
arrays of them as NumPy ``object`` arrays, elementwise maps over them."""

from __future__ import annotations

import numpy as np


def as_bytes(value) -> bytes:
    """A string element (or a scalar array of one) as ``bytes``."""
    if isinstance(value, np.ndarray):
        value = value.item()
    return value.encode() if isinstance(value, str) else bytes(value)


def strings_array(items, shape=None) -> np.ndarray:
    """An ``object`` array of ``items`` (bytes), reshaped to ``shape`` when given."""
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out if shape is None else out.reshape(shape)


def map_strings(fn, value, dtype=object) -> np.ndarray:
    """``fn`` of each string of ``value`` (as bytes), in an array of ``value``'s shape."""
    results = [fn(as_bytes(x)) for x in np.reshape(value, -1)]
    if dtype is object:
        return strings_array(results, np.shape(value))
    return np.array(results, dtype=dtype).reshape(np.shape(value))
