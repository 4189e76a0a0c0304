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

import numpy as np

from scopeflow.data import values
from scopeflow.data.ragged_variant import Encoded

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


def read_component(f):
    tag = f.read(1)
    if tag == b"a":
        return np.load(f, allow_pickle=False)
    if tag == b"r":
        count = int(np.load(f, allow_pickle=False))
        splits = [np.load(f, allow_pickle=False) for _ in range(count)]
        return Encoded(splits, read_component(f))
    shape = tuple(np.load(f, allow_pickle=False).tolist())
    out = np.empty(int(np.prod(shape, dtype=np.int64)), dtype=object)
    if tag == b"s":
        lengths = np.load(f, allow_pickle=False)
        data = np.load(f, allow_pickle=False).tobytes()
        ends = np.cumsum(lengths)
        for i, end in enumerate(ends):
            out[i] = data[end - lengths[i] : end]
    elif tag == b"v":
        for i in range(out.size):
            out[i] = read_component(f)
    else:
        raise values._invalid("The cache file is not a scopeflow cache file.")
    return out.reshape(shape)


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
        while True:
            count = data.read(8)
            if not count:
                return
            n = int.from_bytes(count, "little")
            yield [read_component(data) for _ in range(n)]

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
