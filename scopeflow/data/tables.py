"""Lookup tables filled from a dataset: ``tf.data.experimental.DatasetInitializer``
(``InitializeTableFromDataset``: the ``(key, value)`` elements of a dataset put in a table
when ``tf.tables_initializer()`` runs), ``table_from_dataset`` and
``index_table_from_dataset`` (a dataset of keys, each mapped to its position), under TF's
scopes (``string_to_index/hash_table/...``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     words = tf.data.Dataset.from_tensor_slices(["a", "b", "c"])
...     table = tf.data.experimental.index_table_from_dataset(words)
...     ids = table.lookup(tf.constant(["b", "z"]))
...     with tf.Session() as sess:
...         sess.run(tf.tables_initializer())
...         print(sess.run(ids))
[ 1 -1]
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import dataset_ops, structure
from scopeflow.data.grouping import assert_cardinality
from scopeflow.data.structure import SparseSpec
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.lookup.tables import IdTableWithHashBuckets, StaticHashTable, TableInitializerBase
from scopeflow.ops.array.cast import cast
from scopeflow.ops.data_flow import lookup_ops


def _fill_kernel(ctx, op, handle, dataset):
    keys, values = [], []
    for key, value in dataset.elements():
        keys.append(key)
        values.append(value)
    table = lookup_ops._table(handle)
    key_array = np.array(keys, dtype=object if table.key_dtype == dtypes.string else None)
    value_dtype = object if table.value_dtype == dtypes.string else None
    table.fill(op, key_array.reshape([-1]), np.array(values, dtype=value_dtype).reshape([-1]))
    return ()


dataset_ops._register("InitializeTableFromDataset", lambda inputs, attrs: [], _fill_kernel)


def _check_element_spec(specs) -> None:
    base = (
        "Datasets used to initialize lookup tables must produce elements in the form (key, "
        "value), where the keys and values are scalar tensors. "
    )
    if not isinstance(specs, tuple) or len(specs) != 2:
        n = len(structure.flatten(specs))
        raise ValueError(
            base + f"However, the given dataset produces {n} components instead of two (key, "
            f"value) components. Full dataset element spec: {structure.types(specs)}."
        )
    scalar = tensor_shape.TensorShape([])
    for what, spec in zip(("key", "value"), specs, strict=True):
        if isinstance(spec, (SparseSpec, tuple, dict)) or isinstance(spec, structure.NestedSpec):
            raise ValueError(base + f"However, the given dataset produces a {what} of {spec}.")
        if not spec.shape.is_compatible_with(scalar):
            raise ValueError(
                base + f"However, the given dataset produces non-scalar {what} Tensors of rank "
                f"{spec.shape.ndims}."
            )


class DatasetInitializer(TableInitializerBase):
    """Fills a table with the ``(key, value)`` elements of ``dataset`` (scalars)."""

    def __init__(self, dataset):
        _check_element_spec(dataset._specs)
        self.dataset = dataset
        key, value = dataset._specs
        super().__init__(key.dtype, value.dtype)

    def initialize(self, table):
        op = table.resource_handle.graph.create_op(
            "InitializeTableFromDataset",
            [table.resource_handle, self.dataset._variant_tensor],
            {},
            name="InitializeTableFromDataset",
        )
        add_to_collection(GraphKeys.TABLE_INITIALIZERS, op)
        return op


def table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=None,
    hasher_spec=None,
    key_dtype=dtypes.string,
    name=None,
):
    """A table of the ``(key, value)`` elements of ``dataset`` (the first ``vocab_size``,
    which must be there); keys not in it give ``default_value`` (-1 for numbers) or, with
    ``num_oov_buckets``, one of that many ids after the vocabulary."""
    _check_element_spec(dataset._specs)
    value_dtype = dataset._specs[1].dtype
    if default_value is None:
        if not (value_dtype.is_integer or value_dtype.is_floating):
            raise ValueError(
                "`default_value` must be specified when creating a table from a dataset that "
                f"produces values of type <dtype: '{value_dtype.name}'>."
            )
        default_value = -1
    if num_oov_buckets < 0:
        raise ValueError(
            f"`num_oov_buckets` must be greater than or equal to 0, got {num_oov_buckets}."
        )
    if not isinstance(vocab_size, Tensor) and vocab_size is not None and vocab_size < 1:
        raise ValueError(f"`vocab_size` must be greater than 0, got {vocab_size}.")
    key_dtype = dtypes.as_dtype(key_dtype)
    if not key_dtype.is_integer and key_dtype.base_dtype != dtypes.string:
        raise TypeError(
            "`key_dtype` must be either an integer or string type, but got "
            f"<dtype: '{key_dtype.name}'>"
        )
    if vocab_size is not None:
        if isinstance(vocab_size, Tensor):
            vocab_size = cast(vocab_size, dtypes.int64)
        dataset = dataset.take(vocab_size).apply(assert_cardinality(vocab_size))
    with name_scope(name, "string_to_index"):
        initializer = DatasetInitializer(dataset)
        with name_scope(None, "hash_table"):
            table = StaticHashTable(initializer, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(
                table, num_oov_buckets=num_oov_buckets, hasher_spec=hasher_spec, key_dtype=key_dtype
            )
        return table


def index_table_from_dataset(
    dataset=None,
    num_oov_buckets=0,
    vocab_size=None,
    default_value=-1,
    hasher_spec=None,
    key_dtype=dtypes.string,
    name=None,
):
    """A table of the keys of ``dataset`` (scalars) to their positions (int64)."""
    pairs = dataset.enumerate().map(lambda position, key: (key, position))
    return table_from_dataset(
        pairs, num_oov_buckets, vocab_size, default_value, hasher_spec, key_dtype, name
    )


__all__ = ["DatasetInitializer", "index_table_from_dataset", "table_from_dataset"]
