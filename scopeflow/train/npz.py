"""Variables to and from NumPy ``.npz`` archives, keyed by variable name (``"scope/w"``), for
users leaving TensorFlow's formats: ``np.load(path)["scope/w"]`` reads what ``save_npz``
wrote.

Nothing is ever unpickled: object arrays are refused on writing and on reading. Reading checks
each member's header (dtype, shape) against the sizes the archive declares before allocating,
and its CRC-32 after, so a corrupted or lying archive raises ``tf.errors.DataLossError``.
"""

from __future__ import annotations

import math
import os
import zipfile

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.train.files import atomic_files
from scopeflow.train.saveables import (
    check_plain_dtype,
    read_values,
    restore_values,
    var_list_to_dict,
)

_MAX_DEFLATE_RATIO = 1032  # deflate never expands data more than this


def save_npz(sess, path, var_list=None) -> str:
    """Saves the variables' values in ``sess`` to an uncompressed ``.npz`` archive at ``path``
    (replaced atomically), one member per variable named as a Saver names it.

    ``var_list`` is as for ``tf.train.Saver``: ``None`` (all global variables), a list of
    variables, or a ``{name: variable}`` dict.

    Returns:
        ``path``.

    Raises:
        TypeError: a string or bfloat16 variable (which ``.npz`` cannot hold without pickle).
        tf.errors.FailedPreconditionError: a variable is not initialized.
    """
    values = read_values(sess, var_list_to_dict(var_list))
    return write_npz(path, values)


def write_npz(path, arrays) -> str:
    """Writes ``{name: array}`` (any mapping; each value is read once, in name order) as an
    uncompressed ``.npz`` archive at ``path``, replaced atomically. Returns ``path``."""
    path = os.fspath(path)
    with atomic_files(path) as (pending,):
        with zipfile.ZipFile(pending.file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for name in sorted(arrays):
                value = check_plain_dtype(name, np.asarray(arrays[name]), "npz")
                with archive.open(name + ".npy", "w", force_zip64=True) as member:
                    np.lib.format.write_array(member, value, allow_pickle=False)
    return path


class _NpzSource:
    """An open ``.npz`` archive as ``restore_values`` reads it; validates before reading."""

    def __init__(self, path: str):
        self.where = path
        try:
            self.archive = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"No such npz file: '{path}'") from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
            raise self._corrupt(f"not a zip archive ({e})") from None
        self.members = {
            info.filename[: -len(".npy")]: info
            for info in self.archive.infolist()
            if info.filename.endswith(".npy")
        }
        self._headers: dict = {}

    def _corrupt(self, why: str) -> errors.DataLossError:
        return errors.DataLossError(None, None, f"npz file '{self.where}' is corrupted: {why}")

    def names(self):
        return self.members

    def _header(self, name: str):
        """``(dtype, shape, fortran_order, header_bytes)`` of a member, checked against the
        member's declared size."""
        if name in self._headers:
            return self._headers[name]
        info = self.members[name]
        limits = {zipfile.ZIP_STORED: 1, zipfile.ZIP_DEFLATED: _MAX_DEFLATE_RATIO}
        if info.compress_type not in limits:
            raise self._corrupt(f"member '{info.filename}' uses unsupported compression")
        if info.file_size > max(info.compress_size, 1) * limits[info.compress_type]:
            raise self._corrupt(f"member '{info.filename}' claims an impossible size")
        try:
            with self.archive.open(info) as f:
                version = np.lib.format.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
                elif version == (2, 0):
                    shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
                else:
                    raise ValueError(f"unsupported .npy version {version}")
                offset = f.tell()
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
            raise self._corrupt(f"member '{info.filename}': {e}") from None
        if dtype.hasobject:
            raise self._corrupt(f"member '{info.filename}' holds Python objects (needs pickle)")
        if offset + math.prod(shape) * dtype.itemsize != info.file_size:
            raise self._corrupt(
                f"member '{info.filename}': header says {shape} of {dtype}, which does not "
                f"match its size of {info.file_size} bytes"
            )
        self._headers[name] = (dtype, shape, fortran, offset)
        return self._headers[name]

    def describe(self, name: str):
        if name not in self.members:
            return None
        dtype, shape, _, _ = self._header(name)
        try:
            return dtypes.as_dtype(dtype), shape
        except TypeError:
            raise self._corrupt(f"member '{name}.npy' has unsupported dtype {dtype}") from None

    def read(self, name: str) -> np.ndarray:
        dtype, shape, fortran, offset = self._header(name)
        nbytes = math.prod(shape) * dtype.itemsize
        try:
            with self.archive.open(self.members[name]) as f:
                f.read(offset)
                data = f.read(nbytes)
                f.read()  # reaching the end verifies the member's CRC-32
        except (OSError, EOFError, zipfile.BadZipFile, ValueError) as e:
            raise self._corrupt(f"member '{name}.npy': {e}") from None
        if len(data) != nbytes:
            raise self._corrupt(f"member '{name}.npy' is truncated")
        array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
        return np.array(array, dtype=dtype.newbyteorder("="), order="C")

    def close(self) -> None:
        self.archive.close()


def load_npz(sess, path, var_list=None) -> None:
    """Sets the variables in ``sess`` from the ``.npz`` archive at ``path`` (members named as
    ``save_npz`` names them): all of them, or - on any error - none.

    Raises:
        tf.errors.NotFoundError: a variable has no member (the closest names are listed).
        tf.errors.InvalidArgumentError: a member's dtype or shape differs from its variable's.
        tf.errors.DataLossError: the archive is corrupted or holds pickled objects.
    """
    names_to_vars = var_list_to_dict(var_list)
    source = _NpzSource(os.fspath(path))
    try:
        restore_values(sess, names_to_vars, source)
    finally:
        source.close()
