"""TF1's lookup tables as ops: ``HashTableV2``, ``MutableHashTableV2`` and
``MutableHashTableOfTensorsV2`` (vector values) make a table (kept in the session for its
lifetime, handed on as a resource handle); ``LookupTableImportV2`` and
``InitializeTableFromTextFileV2`` fill one, ``LookupTableFindV2``, ``LookupTableSizeV2``,
``LookupTableInsertV2`` and ``LookupTableExportV2`` use it.

A ``HashTableV2`` is filled once: a lookup before that fails with ``FailedPreconditionError``
"Table not initialized."; filling it again with as many entries is a no-op and with another
number "Table was already initialized with different data.", as TF's kernels do.
"""

from __future__ import annotations

import threading

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op


def _key_list(keys: np.ndarray) -> list:
    """The keys as hashable Python values; strings as bytes (a feed may give ``str``)."""
    return [k.encode() if isinstance(k, str) else k for k in keys.ravel().tolist()]


def _text(key) -> str:
    return key.decode(errors="replace") if isinstance(key, bytes) else str(key)


class RuntimeTable:
    """The entries (a dict of hashable keys to value arrays) one table op holds in a session."""

    def __init__(self, op):
        self.mutable = op.type != "HashTableV2"
        self.key_dtype = op._attrs["key_dtype"]
        self.value_dtype = op._attrs["value_dtype"]
        self.entries: dict = {}
        self.initialized = self.mutable
        self.lock = threading.Lock()

    def check_initialized(self, op) -> None:
        if not self.initialized:
            raise errors.FailedPreconditionError(
                None, op, f"Table not initialized. (op '{op.name}')"
            )

    def _pairs(self, op, keys: np.ndarray, values: np.ndarray):
        value_shape = values.shape[keys.ndim :]
        if values.shape[: keys.ndim] != keys.shape:
            expected = ",".join(str(d) for d in (*keys.shape, *value_shape))
            got = ",".join(str(d) for d in values.shape)
            raise errors.InvalidArgumentError(
                None, op, f"Expected shape [{expected}] for value, got [{got}] (op '{op.name}')"
            )
        flat = values.reshape((keys.size, *value_shape))
        if flat.dtype.kind == "U":
            flat = np.char.encode(flat).astype(object)
        return zip(_key_list(keys), flat, strict=True)

    def fill(self, op, keys: np.ndarray, values: np.ndarray) -> None:
        """Initializes a static table (once), or replaces a mutable table's entries."""
        pairs = list(self._pairs(op, keys, values))
        with self.lock:
            if self.mutable:
                self.entries = dict(pairs)
                return
            if self.initialized:
                if len(pairs) != len(self.entries):
                    raise errors.FailedPreconditionError(
                        None,
                        op,
                        f"Table was already initialized with different data. (op '{op.name}')",
                    )
                return
            entries: dict = {}
            for key, value in pairs:
                old = entries.setdefault(key, value)
                if not np.array_equal(old, value):
                    raise errors.FailedPreconditionError(
                        None,
                        op,
                        f"HashTable has different value for same key. Key {_text(key)} has "
                        f"{_text(np.asarray(old).item())} and trying to add value "
                        f"{_text(np.asarray(value).item())} "
                        f"(op '{op.name}')",
                    )
            self.entries = entries
            self.initialized = True

    def insert(self, op, keys: np.ndarray, values: np.ndarray) -> None:
        pairs = list(self._pairs(op, keys, values))
        with self.lock:
            self.entries.update(pairs)

    def remove(self, op, keys: np.ndarray) -> None:
        """Drops the entries of ``keys`` (missing keys are ignored); static tables refuse."""
        if not self.mutable:
            raise errors.UnimplementedError(
                None, op, "Remove not supported by InitializableLookupTable implementations"
            )
        with self.lock:
            for key in _key_list(keys):
                self.entries.pop(key, None)

    def find(self, op, keys: np.ndarray, default: np.ndarray) -> np.ndarray:
        self.check_initialized(op)
        np_dtype = self.value_dtype.as_numpy_dtype
        fallback = default[()] if default.ndim == 0 else default
        with self.lock:
            found = [self.entries.get(k, fallback) for k in _key_list(keys)]
        out = np.empty((keys.size, *default.shape), dtype=np_dtype)
        if found:
            out[...] = found if default.ndim else np.array(found, dtype=np_dtype)
        return out.reshape((*keys.shape, *default.shape))

    def size(self) -> int:
        with self.lock:
            return len(self.entries)

    def export(self, op) -> tuple[np.ndarray, np.ndarray]:
        if not self.initialized:
            raise errors.AbortedError(None, op, f"HashTable is not initialized. (op '{op.name}')")
        with self.lock:
            keys = list(self.entries)
            values = list(self.entries.values())
        key_type = self.key_dtype.as_numpy_dtype
        value_type = self.value_dtype.as_numpy_dtype
        if not values:
            return np.zeros([0], key_type), np.zeros([0], value_type)
        return np.array(keys, dtype=key_type), np.array(values, dtype=value_type)


def _table(handle) -> RuntimeTable:
    """The table behind a handle (the JAX executor hands host steps a 0-d object array)."""
    return handle.item() if isinstance(handle, np.ndarray) else handle


def _table_kernel(ctx, op):
    shared = op._attrs.get("shared_name") or b""
    key = ("shared table", op._attrs.get("container") or b"", shared) if shared else op
    return ctx.op_state(key, lambda: RuntimeTable(op))


def _import_kernel(ctx, op, handle, keys, values):
    _table(handle).fill(op, np.asarray(keys), np.asarray(values))
    return ()


def _line_field(op, path: str, number: int, line: str, index: int, delimiter: str, dtype):
    if index == -1:  # TextFileIndex.LINE_NUMBER
        return number
    if index == -2:  # TextFileIndex.WHOLE_LINE
        text = line
    else:
        fields = line.split(delimiter)
        if index >= len(fields):
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Invalid number of columns in {path} line {number} ({line}) : expected "
                f"{index + 1} got {len(fields)}",
            )
        text = fields[index]
    if dtype == dtypes.string:
        return text.encode()
    try:
        return int(text) if dtype.is_integer else float(text)
    except ValueError:
        raise errors.InvalidArgumentError(
            None, op, f"Field {text} in line {number} is not a valid {dtype.name}."
        ) from None


def _text_file_kernel(ctx, op, handle, filename):
    table = _table(handle)
    attrs = op._attrs
    path = filename.item().decode() if isinstance(filename, np.ndarray) else filename.decode()
    vocab_size = int(attrs.get("vocab_size", -1))
    delimiter = attrs.get("delimiter", "\t")  # bytes when built, str when imported
    delimiter = delimiter.decode() if isinstance(delimiter, bytes) else delimiter
    offset = int(attrs.get("offset", 0))
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, op, f"{path}; No such file or directory") from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if vocab_size > 0:
        lines = lines[:vocab_size]
    keys, values, position = [], [], 0
    for number, line in enumerate(lines):
        line = line.removesuffix("\r")
        if not line:
            raise errors.InvalidArgumentError(
                None, op, f"Invalid content in {path}: empty line found at position {position}."
            )
        position += len(line) + 1
        field = (path, number, line)
        keys.append(_line_field(op, *field, attrs["key_index"], delimiter, table.key_dtype))
        value = _line_field(op, *field, attrs["value_index"], delimiter, table.value_dtype)
        values.append(value + offset if attrs["value_index"] == -1 else value)
    if vocab_size > 0 and len(lines) != vocab_size:
        raise errors.InvalidArgumentError(
            None, op, f"Invalid vocab_size in {path}: expected {vocab_size} but got {len(lines)}"
        )
    key_array = np.array(keys, dtype=table.key_dtype.as_numpy_dtype)
    table.fill(op, key_array, np.array(values, dtype=table.value_dtype.as_numpy_dtype))
    return ()


def _find_kernel(ctx, op, handle, keys, default):
    return _table(handle).find(op, np.asarray(keys), np.asarray(default))


def _size_kernel(ctx, op, handle):
    return np.int64(_table(handle).size())


def _insert_kernel(ctx, op, handle, keys, values):
    _table(handle).insert(op, np.asarray(keys), np.asarray(values))
    return ()


def _export_kernel(ctx, op, handle):
    return _table(handle).export(op)


def _table_infer(inputs, attrs):
    return [(dtypes.resource, tensor_shape.TensorShape([]))]


def _find_infer(inputs, attrs):
    keys, default = inputs[1], inputs[2]
    if keys.dtype.base_dtype != attrs["Tin"] or default.dtype.base_dtype != attrs["Tout"]:
        raise TypeError(
            f"LookupTableFindV2 expects keys of {attrs['Tin'].name} and a default of "
            f"{attrs['Tout'].name}, got {keys.dtype.name} and {default.dtype.name}"
        )
    table = inputs[0].op
    if table.type == "MutableDenseHashTableV2":  # a key may be a vector: its empty_key's shape
        key_rank = table.inputs[0].shape.rank
        if key_rank is None or keys.shape.rank is None:
            return [(attrs["Tout"], tensor_shape.unknown_shape())]
        batch = keys.shape[: keys.shape.rank - key_rank]
        return [(attrs["Tout"], batch.concatenate(default.shape))]
    return [(attrs["Tout"], keys.shape.concatenate(default.shape))]


def _import_infer(inputs, attrs):
    keys, values = inputs[1].shape, inputs[2].shape
    table = inputs[0].op
    if table.type == "MutableDenseHashTableV2" and keys.rank is not None:  # vector keys
        key_rank = table.inputs[0].shape.rank
        keys = keys[: keys.rank - key_rank] if key_rank is not None else keys
    if keys.rank is None or values.rank is None or values.rank < keys.rank:
        return []
    for k, v in zip(keys.as_list(), values.as_list(), strict=False):
        if k is not None and v is not None and k != v:
            shapes = ", ".join(str(s.as_list()) for s in (inputs[0].shape, keys, values))
            raise ValueError(
                f"Dimensions must be equal, but are {k} and {v} for the keys and values of a "
                f"table's import with input shapes: {shapes}."
            )
    return []


def _export_infer(inputs, attrs):
    unknown = tensor_shape.unknown_shape()
    return [(attrs["Tkeys"], unknown), (attrs["Tvalues"], unknown)]


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}  # tables are state; no gradients

register_op("HashTableV2", _table_infer, kernel=_table_kernel, **_FACTS)
register_op("MutableHashTableV2", _table_infer, kernel=_table_kernel, **_FACTS)
register_op("MutableHashTableOfTensorsV2", _table_infer, kernel=_table_kernel, **_FACTS)
register_op("LookupTableImportV2", _import_infer, kernel=_import_kernel, **_FACTS)
register_op("LookupTableInsertV2", _import_infer, kernel=_insert_kernel, **_FACTS)
register_op("InitializeTableFromTextFileV2", lambda i, a: [], kernel=_text_file_kernel, **_FACTS)
register_op("LookupTableFindV2", _find_infer, kernel=_find_kernel, **_FACTS)
register_op(
    "LookupTableSizeV2",
    lambda i, a: [(dtypes.int64, tensor_shape.TensorShape([]))],
    kernel=_size_kernel,
    **_FACTS,
)
register_op("LookupTableExportV2", _export_infer, kernel=_export_kernel, **_FACTS)
