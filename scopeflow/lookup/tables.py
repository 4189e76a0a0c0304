"""TF1's lookup tables (``tf.lookup``, ``tf.contrib.lookup``): graph builders over the table ops
of ``ops/data_flow/lookup_ops.py``, with TF's op names (``hash_table``,
``key_value_init/LookupTableImportV2``, ``hash_table_Lookup/LookupTableFindV2``...), its
``TABLE_INITIALIZERS`` collection and its build-time errors. A table's entries live in the
session, as a queue's do."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import (
    add_to_collection,
    control_dependencies,
    get_collection,
    name_scope,
)
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.data_flow import lookup_ops  # noqa: F401  (registers the op types)
from scopeflow.ops.math.elementwise import add, not_equal
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ops.strings.convert import as_string, string_to_hash_bucket_fast


def tables_initializer(name: str = "init_all_tables"):
    """One op running every table initializer of the default graph (a ``NoOp`` when none).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.lookup.StaticHashTable(
    ...         tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), -1)
    ...     out = table.lookup(tf.constant(["b", "z"]))
    ...     with tf.Session() as sess:
    ...         sess.run(tf.tables_initializer())
    ...         print(sess.run(out))
    [ 2 -1]
    """
    initializers = get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


initialize_all_tables = tables_initializer


def check_table_dtypes(table, key_dtype, value_dtype) -> None:
    """Raises TF's ``TypeError`` when ``key_dtype``/``value_dtype`` are not the table's."""
    if key_dtype.base_dtype != table.key_dtype:
        raise TypeError(
            f"Invalid key dtype for table, expected {table.key_dtype} but got {key_dtype}."
        )
    if value_dtype.base_dtype != table.value_dtype:
        raise TypeError(
            f"Invalid value dtype for table, expected {table.value_dtype} but got {value_dtype}."
        )


def _check_keys(table, keys) -> None:
    if keys.dtype.base_dtype != table.key_dtype:
        raise TypeError(
            f"Dtype of argument `keys` must be {table.key_dtype}, received: {keys.dtype}"
        )


def _with_values(keys, values):
    """``values`` in the place of ``keys``'s (a SparseTensor's values, or the tensor itself)."""
    if isinstance(keys, SparseTensor):
        return SparseTensor(keys.indices, values, keys.dense_shape)
    return values


class LookupInterface:
    """A table of keys to values kept in the session: the base of TF1's tables."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    def __getitem__(self, keys):
        return self.lookup(keys)


class TableInitializerBase:
    """What fills a table: its key and value dtypes and the op that fills it."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    _shared_name = ""


class KeyValueTensorInitializer(TableInitializerBase):
    """Fills a table from a tensor of keys and a tensor of values (``LookupTableImportV2``)."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
        self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._name = name if name is not None else "key_value_init"
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table):
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        with name_scope(self._name, values=(table.resource_handle, self._keys, self._values)):
            init_op = get_default_graph().create_op(
                "LookupTableImportV2",
                [table.resource_handle, self._keys, self._values],
                {"Tin": self._keys.dtype.base_dtype, "Tout": self._values.dtype.base_dtype},
            )
        add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


class TextFileIndex:
    """What a line of a text file gives a table: the whole line, or its line number."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class TextFileInitializer(TableInitializerBase):
    """Fills a table with one entry per line of a text file
    (``InitializeTableFromTextFileV2``): a column (split at ``delimiter``), the whole line or
    the line number as the key and as the value."""

    def __init__(
        self,
        filename,
        key_dtype,
        key_index,
        value_dtype,
        value_index,
        vocab_size=None,
        delimiter="\t",
        name=None,
        value_index_offset=0,
    ):
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype = dtypes.as_dtype(key_dtype)
        value_dtype = dtypes.as_dtype(value_dtype)
        _check_index("key", key_index, key_dtype)
        _check_index("value", value_index, value_dtype)
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        self._filename_arg = filename
        self._filename = convert_to_tensor(filename, dtypes.string, name="asset_path")
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table):
        check_table_dtypes(table, self.key_dtype, self.value_dtype)
        with name_scope(self._name, "text_file_init", (table.resource_handle,)):
            filename = self._filename
            attrs = {
                "key_index": self._key_index,
                "value_index": self._value_index,
                "vocab_size": -1 if self._vocab_size is None else self._vocab_size,
                "delimiter": self._delimiter.encode(),
                "offset": self._offset,
            }
            init_op = get_default_graph().create_op(
                "InitializeTableFromTextFileV2", [table.resource_handle, filename], attrs
            )
        add_to_collection(GraphKeys.TABLE_INITIALIZERS, init_op)
        if filename.op.type == "Const":
            add_to_collection(GraphKeys.ASSET_FILEPATHS, filename)
        return init_op

    @property
    def _shared_name(self) -> str:
        parts = [self._filename_arg]
        if self._vocab_size:
            parts.append(self._vocab_size)
        parts += [self._key_index, self._value_index]
        if self._offset:
            parts.append(self._offset)
        return "hash_table_" + "_".join(str(p) for p in parts)


def _check_index(what: str, index: int, dtype) -> None:
    if index < -2:
        raise ValueError(f"`{what}_index` should be >= -2, received: {index}.")
    if index == TextFileIndex.LINE_NUMBER and dtype != dtypes.int64:
        raise ValueError(
            f"`{what}_dtype` must be int64 if `{what}_index` is {TextFileIndex.LINE_NUMBER}, "
            f"received: {dtype}"
        )
    if index == TextFileIndex.WHOLE_LINE and not dtype.is_integer and dtype != dtypes.string:
        raise ValueError(
            f"`{what}_dtype` should be either integer or string for `{what}_index` "
            f"{TextFileIndex.WHOLE_LINE}, received: {dtype}"
        )


class TextFileStringTableInitializer(TextFileInitializer):
    """A text file's lines as string values keyed by line number (by default)."""

    def __init__(
        self,
        filename,
        key_column_index=TextFileIndex.LINE_NUMBER,
        value_column_index=TextFileIndex.WHOLE_LINE,
        vocab_size=None,
        delimiter="\t",
        name="text_file_string_table_init",
    ):
        super().__init__(
            filename,
            dtypes.int64,
            key_column_index,
            dtypes.string,
            value_column_index,
            vocab_size=vocab_size,
            delimiter=delimiter,
            name=name,
        )


class TextFileIdTableInitializer(TextFileInitializer):
    """A text file's lines as keys of their line numbers (by default)."""

    def __init__(
        self,
        filename,
        key_column_index=TextFileIndex.WHOLE_LINE,
        value_column_index=TextFileIndex.LINE_NUMBER,
        vocab_size=None,
        delimiter="\t",
        name="text_file_id_table_init",
        key_dtype=dtypes.string,
    ):
        super().__init__(
            filename,
            key_dtype,
            key_column_index,
            dtypes.int64,
            value_column_index,
            vocab_size=vocab_size,
            delimiter=delimiter,
            name=name,
        )


class StaticHashTable(LookupInterface):
    """A table filled once by its initializer (``tf.tables_initializer()`` runs it), then
    read-only: ``HashTableV2``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     init = tf.lookup.KeyValueTensorInitializer([1, 2], [3.0, 4.0])
    ...     table = tf.lookup.StaticHashTable(init, 0.0)
    ...     out = table.lookup(tf.constant([2, 5]))
    ...     with tf.Session() as sess:
    ...         sess.run(table.initializer)
    ...         print(sess.run(out), out.op.name)
    [4. 0.] hash_table_Lookup/LookupTableFindV2
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        if experimental_is_anonymous:
            raise NotImplementedError(
                "experimental_is_anonymous is not supported: use a table with a name (the "
                "default), kept in the session"
            )
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._initializer = initializer
        self._default_value = convert_to_tensor(default_value, dtype=self._value_dtype)
        self._default_value.shape.merge_with(tensor_shape.TensorShape([]))
        attrs = {
            "container": b"",
            "shared_name": initializer._shared_name.encode(),
            "use_node_name_sharing": False,
            "key_dtype": self._key_dtype,
            "value_dtype": self._value_dtype,
        }
        with control_dependencies(None):  # TF builds tables in an init scope
            self._resource_handle = apply_op("HashTableV2", [], attrs, name=name or "hash_table")
        self._init_op = initializer.initialize(self)

    @property
    def resource_handle(self):
        return self._resource_handle

    @property
    def name(self) -> str:
        return self._resource_handle.op.name.split("/")[-1]

    @property
    def default_value(self):
        return self._default_value

    @property
    def initializer(self):
        return self._init_op

    def size(self, name=None):
        """The number of entries (int64; 0 before the table is initialized)."""
        with name_scope(name, f"{self.name}_Size", [self.resource_handle]):
            return apply_op("LookupTableSizeV2", [self.resource_handle])

    def lookup(self, keys, name=None):
        """The values of ``keys`` (a Tensor or a SparseTensor), the default where missing."""
        key_tensor = keys.values if isinstance(keys, SparseTensor) else keys
        _check_keys(self, keys)
        values = (self.resource_handle, key_tensor, self._default_value)
        with name_scope(name, f"{self.name}_Lookup", values):
            attrs = {"Tin": self._key_dtype, "Tout": self._value_dtype}
            found = apply_op("LookupTableFindV2", list(values), attrs)
        found.set_shape(key_tensor.shape)
        return _with_values(keys, found)

    def export(self, name=None):
        """Every key and value in the table, as two tensors."""
        with name_scope(name, f"{self.name}_Export", [self.resource_handle]):
            attrs = {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype}
            return tuple(apply_op("LookupTableExportV2", [self.resource_handle], attrs))


class HashTable(StaticHashTable):
    """``tf.contrib.lookup.HashTable``: a ``StaticHashTable`` whose initializer is ``init``."""

    @property
    def init(self):
        return self.initializer


class StaticVocabularyTable(LookupInterface):
    """A table of ids (int64) whose keys outside the vocabulary of ``initializer`` go to
    ``num_oov_buckets`` buckets after it, by their strings' FarmHash fingerprints."""

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None):
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if name:
            name = name.rstrip("/")
        lookup_key_dtype = dtypes.as_dtype(lookup_key_dtype or initializer.key_dtype)
        if initializer.key_dtype not in (dtypes.int64, dtypes.string):
            raise TypeError(
                f"Invalid `key_dtype`, expected one of {(dtypes.int64, dtypes.string)}, but got "
                f"{initializer.key_dtype}."
            )
        if initializer.key_dtype.is_integer != lookup_key_dtype.is_integer:
            kind = "integer" if lookup_key_dtype.is_integer else "non-integer"
            raise TypeError(
                f"Invalid `key_dtype`, expected {kind} but got {initializer.key_dtype}."
            )
        if initializer.value_dtype != dtypes.int64:
            raise TypeError(
                f"Invalid `value_dtype`, expected {dtypes.int64} but got {initializer.value_dtype}."
            )
        self._table = HashTable(initializer, default_value=-1)
        self._num_oov_buckets = num_oov_buckets
        self._table_name = (name or self._table.name).split("/")[-1]
        super().__init__(lookup_key_dtype, dtypes.int64)

    @property
    def resource_handle(self):
        return self._table.resource_handle

    @property
    def name(self) -> str:
        return self._table_name

    @property
    def initializer(self):
        return self._table.initializer

    def size(self, name=None):
        """The vocabulary's size plus the number of buckets."""
        with name_scope(name, f"{self.name}_Size"):
            return self._table.size() + self._num_oov_buckets

    def lookup(self, keys, name=None):
        """The id of each key: its vocabulary index, or its bucket after the vocabulary."""
        _check_keys(self, keys)
        values = keys.values if isinstance(keys, SparseTensor) else keys
        if self._table.key_dtype == dtypes.int64:
            values = cast(values, dtypes.int64)
        with name_scope(name, f"{self.name}_Lookup"):
            strings = values if values.dtype == dtypes.string else as_string(values)
            buckets = string_to_hash_bucket_fast(
                strings, num_buckets=self._num_oov_buckets, name="hash_bucket"
            )
            ids = self._table.lookup(values)
            buckets = add(buckets, self._table.size())
            known = not_equal(ids, self._table.default_value)
            ids = where_v2(known, ids, buckets)
        return _with_values(keys, ids)


class IdTableWithHashBuckets(StaticVocabularyTable):
    """``tf.contrib.lookup.IdTableWithHashBuckets``: ids from ``table`` (a
    ``StaticHashTable``), out-of-vocabulary keys in buckets after them."""

    def __init__(self, table, num_oov_buckets, hasher_spec=None, name=None, key_dtype=None):
        if hasher_spec is not None:
            raise NotImplementedError(
                "hasher_spec is not supported: out-of-vocabulary keys are hashed with "
                "FarmHash (StringToHashBucketFast), TF's default"
            )
        if table is None:
            raise NotImplementedError(
                "an IdTableWithHashBuckets without a table is not supported: use "
                "tf.string_to_hash_bucket_fast"
            )
        if num_oov_buckets < 0:
            raise ValueError(
                f"oov_buckets must be > 0 if no table is supplied, got {num_oov_buckets}."
            )
        LookupInterface.__init__(self, key_dtype or table.key_dtype, dtypes.int64)
        self._table = table
        self._num_oov_buckets = num_oov_buckets
        self._table_name = (name or table.name).split("/")[-1]

    def lookup(self, keys, name=None):
        if self._num_oov_buckets == 0:
            return self._table.lookup(keys, name=name)
        return super().lookup(keys, name=name)


class MutableTableBase(LookupInterface):
    """What the mutable tables share: their resource op (``_resource_handle``), named after
    it, and their size."""

    @property
    def resource_handle(self):
        return self._resource_handle

    @property
    def name(self) -> str:
        return self._resource_handle.op.name.split("/")[-1]

    def size(self, name=None):
        """The number of entries (an int64 scalar)."""
        with name_scope(name, f"{self.name}_Size", [self.resource_handle]):
            return apply_op("LookupTableSizeV2", [self.resource_handle])


class MutableHashTable(MutableTableBase):
    """A table whose entries are inserted while the graph runs (``MutableHashTableV2``); keys
    not in it get ``default_value`` (whose shape is each value's shape).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    ...     insert = table.insert(tf.constant(["x"]), tf.constant([7], tf.int64))
    ...     out = table.lookup(tf.constant(["x", "y"]))
    ...     with tf.Session() as sess:
    ...         sess.run(insert)
    ...         print(sess.run(out))
    [ 7 -1]
    """

    def __init__(
        self,
        key_dtype,
        value_dtype,
        default_value,
        name="MutableHashTable",
        checkpoint=True,
        experimental_is_anonymous=False,
    ):
        if experimental_is_anonymous:
            raise NotImplementedError(
                "experimental_is_anonymous is not supported: use a table with a name"
            )
        super().__init__(key_dtype, value_dtype)
        self._default_value = convert_to_tensor(default_value, dtype=self._value_dtype)
        self._value_shape = self._default_value.shape
        attrs = {
            "container": b"",
            "shared_name": b"",
            "use_node_name_sharing": bool(checkpoint),
            "key_dtype": self._key_dtype,
            "value_dtype": self._value_dtype,
        }
        op_type = "MutableHashTableV2"
        if self._value_shape.rank:
            op_type, attrs["value_shape"] = "MutableHashTableOfTensorsV2", self._value_shape
        with control_dependencies(None):
            self._resource_handle = apply_op(op_type, [], attrs, name=name)

    def lookup(self, keys, name=None):
        """The values of ``keys``, ``default_value`` where missing."""
        scope_values = (self.resource_handle, keys, self._default_value)
        with name_scope(name, f"{self.name}_lookup_table_find", scope_values):
            keys = convert_to_tensor(keys, dtype=self._key_dtype, name="keys")
            attrs = {"Tin": self._key_dtype, "Tout": self._value_dtype}
            inputs = [self.resource_handle, keys, self._default_value]
            return apply_op("LookupTableFindV2", inputs, attrs)

    def insert(self, keys, values, name=None):
        """An op adding (or replacing) the entries ``keys`` -> ``values``."""
        with name_scope(name, f"{self.name}_lookup_table_insert", [self.resource_handle]):
            keys = convert_to_tensor(keys, self._key_dtype, name="keys")
            values = convert_to_tensor(values, self._value_dtype, name="values")
            attrs = {"Tin": self._key_dtype, "Tout": self._value_dtype}
            inputs = [self.resource_handle, keys, values]
            return get_default_graph().create_op("LookupTableInsertV2", inputs, attrs)

    def remove(self, keys, name=None):
        """An op removing the entries of ``keys`` (missing keys are ignored).

        Raises:
            TypeError: ``keys`` are not of the table's key dtype.
        """
        if not hasattr(keys, "dtype"):
            keys = convert_to_tensor(keys, dtype=self._key_dtype)
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(
                f"Dtype of argument `keys` must be {self._key_dtype}, received: {keys.dtype}"
            )
        scope_values = (self.resource_handle, keys, self._default_value)
        with name_scope(name, f"{self.name}_lookup_table_remove", scope_values):
            attrs = {"Tin": self._key_dtype}
            inputs = [self.resource_handle, keys]
            return get_default_graph().create_op("LookupTableRemoveV2", inputs, attrs)

    def export(self, name=None):
        """Every key and value in the table, as two tensors."""
        with name_scope(name, f"{self.name}_lookup_table_export_values", [self.resource_handle]):
            attrs = {"Tkeys": self._key_dtype, "Tvalues": self._value_dtype}
            return tuple(apply_op("LookupTableExportV2", [self.resource_handle], attrs))
