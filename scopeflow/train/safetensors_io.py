"""Variables to and from safetensors files, keyed by variable name (``"scope/w"``), for users
moving to other frameworks. Needs the ``safetensors`` package (``pip install
scopeflow[safetensors]``); its reader validates the header and every offset against the file.
"""

from __future__ import annotations

import os

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.train.files import write_atomically
from scopeflow.train.saveables import (
    check_plain_dtype,
    read_values,
    restore_values,
    var_list_to_dict,
)

# safetensors' dtype names for the dtypes its NumPy API reads and writes.
_DTYPES = {
    "F64": dtypes.float64,
    "F32": dtypes.float32,
    "F16": dtypes.float16,
    "I64": dtypes.int64,
    "U64": dtypes.uint64,
    "I32": dtypes.int32,
    "U32": dtypes.uint32,
    "I16": dtypes.int16,
    "U16": dtypes.uint16,
    "I8": dtypes.int8,
    "U8": dtypes.uint8,
    "BOOL": dtypes.bool,
    "C64": dtypes.complex64,
}


def _safetensors():
    try:
        import safetensors
        import safetensors.numpy
    except ImportError:
        raise ImportError(
            "save_safetensors/load_safetensors need the 'safetensors' package: "
            "pip install 'scopeflow[safetensors]'"
        ) from None
    return safetensors


def save_safetensors(sess, path, var_list=None, metadata=None) -> str:
    """Saves the variables' values in ``sess`` to a safetensors file at ``path`` (replaced
    atomically), one tensor per variable named as a Saver names it.

    ``var_list`` is as for ``tf.train.Saver``; ``metadata`` is an optional ``{str: str}``
    stored in the file's header.

    Returns:
        ``path``.

    Raises:
        TypeError: a dtype safetensors cannot hold (string, bfloat16, complex128).
        tf.errors.FailedPreconditionError: a variable is not initialized.
    """
    values = read_values(sess, var_list_to_dict(var_list))
    return write_safetensors(path, values, metadata)


def write_safetensors(path, arrays, metadata=None) -> str:
    """Writes ``{name: array}`` (any mapping) as a safetensors file at ``path``, replaced
    atomically. Returns ``path``."""
    st = _safetensors()
    path = os.fspath(path)
    supported = {d.as_numpy_dtype for d in _DTYPES.values()}
    values = {}
    for name in sorted(arrays):
        value = np.asarray(arrays[name])
        if check_plain_dtype(name, value, "safetensors").dtype.type not in supported:
            raise TypeError(
                f"Variable '{name}' of dtype {value.dtype} cannot be saved as safetensors; "
                "use tf.train.Saver or save_npz"
            )
        values[name] = value
    write_atomically(path, st.numpy.save(values, metadata=metadata))
    return path


class _SafetensorsSource:
    """A safetensors file as ``restore_values`` reads it."""

    def __init__(self, path: str):
        st = _safetensors()
        self.where = path
        if not os.path.isfile(path):
            raise errors.NotFoundError(None, None, f"No such safetensors file: '{path}'")
        try:
            self.file = st.safe_open(path, framework="numpy")
            self.keys = set(self.file.keys())
        except Exception as e:  # noqa: BLE001 - safetensors raises several types
            raise self._corrupt(e) from None

    def _corrupt(self, why) -> errors.DataLossError:
        return errors.DataLossError(
            None, None, f"safetensors file '{self.where}' is corrupted: {why}"
        )

    def names(self):
        return self.keys

    def describe(self, name: str):
        if name not in self.keys:
            return None
        try:
            view = self.file.get_slice(name)
            code, shape = view.get_dtype(), tuple(view.get_shape())
        except Exception as e:  # noqa: BLE001
            raise self._corrupt(e) from None
        if code not in _DTYPES:
            raise errors.UnimplementedError(
                None,
                None,
                f"tensor '{name}' in '{self.where}' has dtype {code}, which "
                "scopeflow does not read from safetensors",
            )
        return _DTYPES[code], shape

    def read(self, name: str):
        try:
            return self.file.get_tensor(name).copy()
        except Exception as e:  # noqa: BLE001
            raise self._corrupt(e) from None


def load_safetensors(sess, path, var_list=None) -> None:
    """Sets the variables in ``sess`` from the safetensors file at ``path``: all of them, or -
    on any error - none.

    Raises:
        tf.errors.NotFoundError: a variable has no tensor (the closest names are listed).
        tf.errors.InvalidArgumentError: a tensor's dtype or shape differs from its variable's.
        tf.errors.DataLossError: the file is corrupted.
    """
    names_to_vars = var_list_to_dict(var_list)
    restore_values(sess, names_to_vars, _SafetensorsSource(os.fspath(path)))
