"""Reading the pickles inside Keras's dataset files without running arbitrary code.

CIFAR's batches are pickled dicts and the imdb/reuters ``.npz`` hold object arrays (their
``.npy`` members carry a pickle of an array of lists). scopeflow unpickles nothing it cannot
vouch for: these are read with ``RestrictedUnpickler``, whose ``find_class`` resolves only
NumPy's array reconstruction (``_reconstruct``, ``ndarray``, ``dtype``, ``scalar``) and
``_codecs.encode`` (how Python 3 writes ``bytes`` in protocol 2 pickles), and raises
``pickle.UnpicklingError`` naming anything else: a file that asks for any other callable
(``os.system``, ``builtins.eval``...) is refused before anything runs. Plain (non-object)
``.npy`` members are read from their header and raw bytes, without pickle.
"""

from __future__ import annotations

import io
import pickle
import zipfile

import numpy as np

_ALLOWED = {
    (module, name)
    for module in ("numpy.core.multiarray", "numpy._core.multiarray")
    for name in ("_reconstruct", "scalar")
} | {("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode")}


class RestrictedUnpickler(pickle.Unpickler):
    """A ``pickle.Unpickler`` that builds only NumPy arrays, dtypes and scalars besides the
    plain Python containers, numbers and strings."""

    def find_class(self, module, name):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(
                f"refusing to unpickle '{module}.{name}': scopeflow reads only NumPy arrays "
                "and plain Python values from dataset files (the file is damaged or not the "
                "dataset it claims to be)."
            )
        return super().find_class(module, name)


def loads(data: bytes, encoding: str = "ASCII"):
    """``pickle.loads`` restricted to NumPy arrays and plain values."""
    return RestrictedUnpickler(io.BytesIO(data), encoding=encoding).load()


def load(path, encoding: str = "ASCII"):
    """The restricted unpickling of the file ``path``."""
    with open(path, "rb") as f:
        return RestrictedUnpickler(f, encoding=encoding).load()


def _read_npy(f) -> np.ndarray:
    major, _ = np.lib.format.read_magic(f)
    if major == 1:
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
    if not dtype.hasobject:
        count = int(np.prod(shape))
        data = np.frombuffer(f.read(count * dtype.itemsize), dtype=dtype, count=count)
        return data.reshape(shape, order="F" if fortran else "C").copy()
    array = RestrictedUnpickler(f, encoding="latin1").load()
    if not isinstance(array, np.ndarray):
        raise pickle.UnpicklingError(f"expected a pickled array, got {type(array).__name__}.")
    return array


def load_npz(path) -> dict:
    """The arrays of the ``.npz`` file ``path`` by name, object arrays included (read with
    ``RestrictedUnpickler``)."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            name = member[: -len(".npy")] if member.endswith(".npy") else member
            with archive.open(member) as f:
                out[name] = _read_npy(io.BytesIO(f.read()))
    return out


__all__ = ["RestrictedUnpickler", "load", "load_npz", "loads"]
