"""``Dataset.cache(filename)``: the first complete pass over a dataset written to a file, and
every later pass (in any session or process) read from it instead of the dataset.

The file is scopeflow's own (``<filename>.scopeflow-cache``, not TF's tensor-bundle cache
files): per element, its components as NumPy ``.npy`` records (strings as their lengths and
bytes, a sparse component as its three arrays, a ragged one as its splits and values), read
back without pickle. A pass is written
to a temporary file renamed into place when it ends, so an interrupted pass leaves no cache.
"""

from __future__ import annotations

import io
import os
from tokenize import TokenError

import numpy as np

from scopeflow.data import values
from scopeflow.data.ragged_variant import Encoded
from scopeflow.framework import errors

SUFFIX = ".scopeflow-cache"


def _write_array(f, array) -> None:
    np.save(f, np.asarray(array), allow_pickle=False)


def write_component(f, value) -> None:
    if isinstance(value, Encoded):  # a ragged tensor (a variant's value): splits, values
        f.write(b"r")
        _write_array(f, np.int64(len(value.splits)))
        for splits in value.splits:
            _write_array(f, splits)
        write_component(f, value.values)
        return
    array = np.asarray(value) if not isinstance(value, (bytes, str)) else None
    if array is not None and array.dtype != object:
        f.write(b"a")
        _write_array(f, array)
        return
    array = values.as_array(value) if array is None else array
    items = list(array.reshape(-1))
    if all(isinstance(v, (bytes, str)) for v in items):  # strings: lengths, then bytes
        data = [v.encode() if isinstance(v, str) else v for v in items]
        f.write(b"s")
        _write_array(f, np.int64(array.shape))
        _write_array(f, np.int64([len(d) for d in data]))
        _write_array(f, np.frombuffer(b"".join(data), np.uint8))
        return
    f.write(b"v")  # arrays in an object array (a serialized sparse component)
    _write_array(f, np.int64(array.shape))
    for item in items:
        write_component(f, item)


def _array(f) -> np.ndarray:
    return np.lib.format.read_array(f, allow_pickle=False)  # never np.load's pickle fallback


def read_component(f, size: int):
    """One component of the open file ``f`` of ``size`` bytes; a count larger than the file
    could hold raises ``ValueError`` before anything is allocated."""
    tag = f.read(1)
    if tag == b"a":
        return _array(f)
    if tag not in (b"r", b"s", b"v"):
        raise ValueError(f"unknown record {tag!r} at byte {f.tell() - len(tag)}")
    if tag == b"r":
        count = int(_array(f))
        splits = [_array(f) for _ in range(_fits(count, size))]
        return Encoded(splits, read_component(f, size))
    shape = tuple(_array(f).tolist())
    out = np.empty(_fits(int(np.prod(shape, dtype=np.int64)), size), dtype=object)
    if tag == b"s":
        lengths = _array(f)
        data = _array(f).tobytes()
        ends = np.cumsum(lengths)
        if lengths.shape != out.shape or (lengths < 0).any() or ends[-1:].sum() != len(data):
            raise ValueError("string lengths that do not add up")
        for i, end in enumerate(ends):
            out[i] = data[end - lengths[i] : end]
    else:
        for i in range(out.size):
            out[i] = read_component(f, size)
    return out.reshape(shape)


def _fits(count: int, size: int) -> int:
    if not 0 <= count <= size:
        raise ValueError(f"a count of {count} in a file of {size} bytes")
    return count


def read_elements(f, path: str):
    """Each element of the open cache or shard file ``f`` (at its first element; ``path``
    names it): a file cut short or changed raises ``DataLossError``, nothing unpickled."""
    size = len(f.getbuffer())
    while True:
        count = f.read(8)
        if not count:
            return
        try:
            n = _fits(int.from_bytes(count, "little") if len(count) == 8 else -1, size)
            element = [read_component(f, size) for _ in range(n)]
        except (ValueError, EOFError, OverflowError, MemoryError, SyntaxError, TokenError) as e:
            # numpy's header parser raises the last two
            raise errors.DataLossError(None, None, f"{path} is corrupted: {e}") from None
        yield element


class FileCache(values.DatasetValue):
    """``CacheDataset`` with a file name: read the cache file when it exists, else pass over
    the dataset and write it."""

    def __init__(self, child, filename: str):
        self.child, self.path = child, filename + SUFFIX

    def elements(self):
        if os.path.exists(self.path):
            return self._read()
        return self._write()

    def _read(self):
        with open(self.path, "rb") as f:
            data = io.BytesIO(f.read())
        yield from read_elements(data, self.path)

    def _write(self):
        temporary = f"{self.path}.tmp-{os.getpid()}-{id(self)}"
        try:
            with open(temporary, "wb") as f:
                for element in self.child.elements():
                    f.write(len(element).to_bytes(8, "little"))
                    for component in element:
                        write_component(f, component)
                    yield element
            os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
