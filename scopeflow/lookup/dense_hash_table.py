"""``tf.lookup.experimental.DenseHashTable``: TF's ``MutableDenseHashTableV2``, a hash table
kept in the session as open addressing over a power-of-two number of buckets, with TF's hash
(an integer key is its own hash, a string TF's ``Hash64``, a vector key their
``Hash64Combine``), TF's probe sequence and growth (doubling past ``max_load_factor``), so
``export()`` gives TF's buckets; ``LookupTableRemoveV2`` erases keys (their buckets keep
``deleted_key``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     table = tf.lookup.experimental.DenseHashTable(
...         tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1)
...     insert = table.insert(tf.constant([5, 7], tf.int64), tf.constant([50, 70], tf.int64))
...     out = table.lookup(tf.constant([7, 9], tf.int64))
...     with tf.Session() as sess:
...         sess.run(insert)
...         print(sess.run(out))
[70 -1]
"""

from __future__ import annotations

import threading

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.lookup.tables import MutableTableBase
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.data_flow.lookup_ops import _table
from scopeflow.ops.strings.hashing import hash64

__all__ = ["DenseHashTable"]

_MASK = (1 << 64) - 1


def _combine(a: int, b: int) -> int:
    """TF's Hash64Combine."""
    return a ^ ((b + 0x9E3779B97F4A7800 + (a << 10) + (a >> 4)) & _MASK)


def _scalar_hash(key) -> int:
    return hash64(key) if isinstance(key, bytes) else int(key) & _MASK


class DenseTable:
    """The buckets one ``MutableDenseHashTableV2`` op holds in a session."""

    def __init__(self, op, empty_key: np.ndarray, deleted_key: np.ndarray):
        attrs = op._attrs
        if np.array_equal(empty_key, deleted_key):
            raise errors.InvalidArgumentError(None, op, "Empty and deleted keys cannot be equal")
        buckets = int(attrs.get("initial_num_buckets", 131072))
        if buckets < 4 or buckets & (buckets - 1):
            raise errors.InvalidArgumentError(
                None, op, f"Number of buckets must be at least 4 and a power of 2, got: {buckets}"
            )
        value_shape = tensor_shape.as_shape(attrs.get("value_shape", [])).as_list()
        if len(value_shape) > 1:
            shape = ",".join(str(d) for d in value_shape)
            raise errors.InvalidArgumentError(
                None, op, f"Empty value must be a scalar or a vector, got shape [{shape}]"
            )
        self.key_dtype, self.value_dtype = attrs["key_dtype"], attrs["value_dtype"]
        self.key_shape = empty_key.shape
        self.empty = self._rows(empty_key)[0]
        self.deleted = self._rows(deleted_key)[0]
        self.value_shape = tuple(value_shape)
        self.value_size = int(np.prod(value_shape, dtype=np.int64))
        self.max_load_factor = float(attrs.get("max_load_factor", 0.8))
        self.lock = threading.Lock()
        self.count = 0
        self._allocate(buckets)

    def _allocate(self, buckets: int) -> None:
        key_type = self.key_dtype.as_numpy_dtype
        self.keys = np.empty((buckets, len(self.empty)), dtype=key_type)
        self.keys[:] = np.array(self.empty, dtype=key_type)
        self.values = np.zeros((buckets, self.value_size), dtype=self.value_dtype.as_numpy_dtype)
        self.key_rows = [self.empty] * buckets

    def _rows(self, keys: np.ndarray) -> list[tuple]:
        """The keys as tuples of hashable Python values, one per key."""
        flat = np.asarray(keys).reshape(-1, max(int(np.prod(self.key_shape or ())), 1))
        if flat.dtype.kind == "U":
            flat = np.char.encode(flat).astype(object)
        return [tuple(row) for row in flat.tolist()]

    def _hash(self, row: tuple) -> int:
        if len(row) == 1:
            return _scalar_hash(row[0])
        h = 0
        for element in row:
            h = _combine(h, _scalar_hash(element))
        return h

    def _check_keys(self, op, rows) -> None:
        for row in rows:
            for key, name in ((self.empty, "empty_key"), (self.deleted, "deleted_key")):
                if row == key:
                    raise errors.InvalidArgumentError(
                        None, op, f"Using the {name} as a table key is not allowed"
                    )

    def _probe(self, op, row: tuple, what: str):
        """The bucket holding ``row``, or None (an empty bucket reached first)."""
        mask = len(self.key_rows) - 1
        bucket = self._hash(row) & mask
        for probes in range(1, len(self.key_rows) + 1):
            held = self.key_rows[bucket]
            if held == row:
                return bucket
            if held == self.empty:
                return None
            bucket = (bucket + probes) & mask
        raise errors.InternalError(None, op, f"Internal error in MutableDenseHashTable {what}")

    def _put(self, op, row: tuple, value: np.ndarray) -> None:
        mask = len(self.key_rows) - 1
        bucket = self._hash(row) & mask
        for probes in range(1, len(self.key_rows) + 1):
            held = self.key_rows[bucket]
            if held == row:
                self.values[bucket] = value
                return
            if held == self.empty or held == self.deleted:
                self.key_rows[bucket] = row
                self.keys[bucket] = row
                self.values[bucket] = value
                self.count += 1
                return
            bucket = (bucket + probes) & mask
        raise errors.InternalError(None, op, "Internal error in MutableDenseHashTable insert")

    def _grow(self, op, buckets: int) -> None:
        old_rows, old_values = self.key_rows, self.values
        self.count = 0
        self._allocate(buckets)
        for row, value in zip(old_rows, old_values, strict=True):
            if row != self.empty and row != self.deleted:
                self._put(op, row, value)

    def insert(self, op, keys: np.ndarray, values: np.ndarray) -> None:
        keys, values = np.asarray(keys), np.asarray(values)
        batch = keys.shape[: keys.ndim - len(self.key_shape)]
        if values.shape != (*batch, *self.value_shape):
            want = ",".join(map(str, (*batch, *self.value_shape)))
            got = ",".join(map(str, values.shape))
            raise errors.InvalidArgumentError(
                None, op, f"Expected shape [{want}] for value, got [{got}]"
            )
        rows = self._rows(keys)
        self._check_keys(op, rows)
        flat = values.reshape(len(rows), self.value_size)
        if flat.dtype.kind == "U":
            flat = np.char.encode(flat).astype(object)
        with self.lock:
            buckets = len(self.key_rows)
            while self.count + len(rows) > buckets * self.max_load_factor:
                buckets *= 2
            if buckets != len(self.key_rows):
                self._grow(op, buckets)
            for row, value in zip(rows, flat, strict=True):
                self._put(op, row, value)

    def remove(self, op, keys: np.ndarray) -> None:
        rows = self._rows(keys)
        self._check_keys(op, rows)
        with self.lock:
            for row in rows:
                bucket = self._probe(op, row, "remove")
                if bucket is not None:
                    self.key_rows[bucket] = self.deleted
                    self.keys[bucket] = self.deleted
                    self.count -= 1

    def find(self, op, keys: np.ndarray, default: np.ndarray) -> np.ndarray:
        keys, default = np.asarray(keys), np.asarray(default)
        rows = self._rows(keys)
        self._check_keys(op, rows)
        batch = keys.shape[: keys.ndim - len(self.key_shape)]
        out = np.empty((len(rows), self.value_size), dtype=self.value_dtype.as_numpy_dtype)
        fallback = default.reshape(-1)[: self.value_size]
        with self.lock:
            for i, row in enumerate(rows):
                bucket = self._probe(op, row, "lookup")
                out[i] = fallback if bucket is None else self.values[bucket]
        return out.reshape((*batch, *default.shape))

    def size(self) -> int:
        with self.lock:
            return self.count

    def export(self, op) -> tuple[np.ndarray, np.ndarray]:
        """Every bucket: keys ``[buckets, key size]`` (empty and deleted keys included) and
        values ``[buckets, value size]``, as TF's export."""
        with self.lock:
            return self.keys.copy(), self.values.copy()


def _dense_table_kernel(ctx, op, empty_key, deleted_key):
    shared = op._attrs.get("shared_name") or b""
    key = ("shared table", op._attrs.get("container") or b"", shared) if shared else op
    return ctx.op_state(key, lambda: DenseTable(op, np.asarray(empty_key), np.asarray(deleted_key)))


def _dense_table_infer(inputs, attrs):
    empty, deleted = inputs
    for t in (empty, deleted):
        if t.dtype.base_dtype != attrs["key_dtype"]:
            raise TypeError(
                f"MutableDenseHashTableV2 keys are {attrs['key_dtype'].name}, got "
                f"{t.dtype.base_dtype.name}"
            )
    return [(dtypes.resource, tensor_shape.TensorShape([]))]


def _remove_kernel(ctx, op, handle, keys):
    _table(handle).remove(op, np.asarray(keys))
    return ()


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}
register_op("MutableDenseHashTableV2", _dense_table_infer, kernel=_dense_table_kernel, **_FACTS)
register_op("LookupTableRemoveV2", lambda i, a: [], kernel=_remove_kernel, **_FACTS)

_KEY_DTYPES = (dtypes.int32, dtypes.int64, dtypes.string)


class DenseHashTable(MutableTableBase):
    """A mutable hash table of TF's ``MutableDenseHashTableV2``: ``insert``/``insert_or_assign``
    add or replace entries, ``erase``/``remove`` delete them, ``lookup`` gives
    ``default_value`` (a scalar or vector: each value's shape) for missing keys, ``export``
    gives every bucket. ``empty_key`` and ``deleted_key`` (distinct) mark free buckets and may
    not be used as keys; ``initial_num_buckets`` is a power of two, at least 4. Like
    ``MutableHashTable`` here, the table is not saved by ``tf.train.Saver`` (TF's
    ``checkpoint=True`` saves it).

    Raises:
        NotImplementedError: a key dtype other than int32, int64 or string (TF's hash of
            them is not reproduced), or ``experimental_is_anonymous``.
    """

    def __init__(
        self, key_dtype, value_dtype, default_value, empty_key, deleted_key,
        initial_num_buckets=None, name="MutableDenseHashTable", checkpoint=True,
        experimental_is_anonymous=False,
    ):  # fmt: skip
        if experimental_is_anonymous:
            raise NotImplementedError(
                "experimental_is_anonymous is not supported: use a table with a name"
            )
        super().__init__(key_dtype, value_dtype)
        if self._key_dtype not in _KEY_DTYPES:
            raise NotImplementedError(
                f"DenseHashTable with {self._key_dtype.name} keys: scopeflow hashes int32, "
                "int64 and string keys as TF does; use one of them (or MutableHashTable)"
            )
        self._default_value = convert_to_tensor(
            default_value, dtype=self._value_dtype, name="default_value"
        )
        self._value_shape = self._default_value.shape
        empty = convert_to_tensor(empty_key, dtype=self._key_dtype, name="empty_key")
        deleted = convert_to_tensor(deleted_key, dtype=self._key_dtype, name="deleted_key")
        attrs = {
            "container": b"",
            "shared_name": b"",
            "use_node_name_sharing": bool(checkpoint),
            "key_dtype": self._key_dtype,
            "value_dtype": self._value_dtype,
            "value_shape": self._value_shape,
            "initial_num_buckets": 131072 if initial_num_buckets is None else initial_num_buckets,
            "max_load_factor": 0.8,
        }
        with control_dependencies(None):
            self._resource_handle = apply_op(
                "MutableDenseHashTableV2", [empty, deleted], attrs, name=name
            )

    def lookup(self, keys, name=None):
        """The values of ``keys`` (shape: keys' batch shape + the value shape), the default
        where missing."""
        with name_scope(name, f"{self.name}_lookup_table_find", [self.resource_handle, keys]):
            keys = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
            attrs = {"Tin": self._key_dtype, "Tout": self._value_dtype}
            inputs = [self.resource_handle, keys, self._default_value]
            return apply_op("LookupTableFindV2", inputs, attrs)

    def insert_or_assign(self, keys, values, name=None):
        """An op adding ``keys`` -> ``values``, replacing existing values."""
        with name_scope(name, f"{self.name}_lookup_table_insert", [self.resource_handle]):
            keys = convert_to_tensor(keys, self._key_dtype, name="keys")
            values = convert_to_tensor(values, self._value_dtype, name="values")
            attrs = {"Tin": self._key_dtype, "Tout": self._value_dtype}
            inputs = [self.resource_handle, keys, values]
            return get_default_graph().create_op("LookupTableInsertV2", inputs, attrs)

    def insert(self, keys, values, name=None):
        """The same as ``insert_or_assign``."""
        return self.insert_or_assign(keys, values, name)

    def erase(self, keys, name=None):
        """An op removing ``keys`` (missing keys are ignored).

        Raises:
            TypeError: ``keys`` are not of the table's key dtype.
        """
        if not hasattr(keys, "dtype"):
            keys = convert_to_tensor(keys, dtype=self._key_dtype)
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(
                f"Signature mismatch. Keys must be dtype {self._key_dtype}, got {keys.dtype}."
            )
        with name_scope(name, f"{self.name}_lookup_table_remove", [self.resource_handle, keys]):
            attrs = {"Tin": self._key_dtype}
            return get_default_graph().create_op(
                "LookupTableRemoveV2", [self.resource_handle, keys], attrs
            )

    def remove(self, keys, name=None):
        """The same as ``erase``."""
        return self.erase(keys, name)

    def export(self, name=None):
        """Every bucket's key and value, as two tensors (TF's layout)."""
        with name_scope(name, f"{self.name}_lookup_table_export_values", [self.resource_handle]):
            attrs = {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype}
            return tuple(apply_op("LookupTableExportV2", [self.resource_handle], attrs))
