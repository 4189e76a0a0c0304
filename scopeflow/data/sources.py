"""Dataset sources of ``tf.data.experimental``: ``from_list`` (``ListDataset``),
``RandomDataset`` (``Dataset.random``) and ``SqlDataset`` (the rows of an SQLite query, read
with Python's ``sqlite3``), each with its op's kernel and value.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     list(tf.data.experimental.from_list([(1, b"a"), (2, b"b")]).as_numpy_iterator())
[(np.int32(1), b'a'), (np.int32(2), b'b')]
"""

from __future__ import annotations

import numpy as np

from scopeflow.data import cardinality, structure, values
from scopeflow.data import transform_values as tv
from scopeflow.data.dataset import Dataset, _int64, _make, _normalize
from scopeflow.data.dataset_ops import _register, _variant_infer
from scopeflow.data.structure import Spec, map_leaves
from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.ops.random.sampling import get_seed
from scopeflow.ops.sparse.tensor import SparseTensor

_SCALAR = tensor_shape.TensorShape([])


class ListValue(values.DatasetValue):
    """``ListDataset``: ``n`` elements of ``len(components) // n`` components each."""

    def __init__(self, components: list, per_element: int):
        self.components, self.per_element = components, per_element

    def elements(self):
        k = self.per_element
        for start in range(0, len(self.components), k):
            yield list(self.components[start : start + k])


def _list_kernel(ctx, op, *components):
    return ListValue(list(components), len(op._attrs["output_types"]))


_register("ListDataset", _variant_infer, _list_kernel)
cardinality._RULES[ListValue] = lambda d: len(d.components) // d.per_element


@undo.atomic
def from_list(elements, name=None) -> Dataset:
    """A dataset of the elements of the list ``elements`` (each a tensor, or a tuple/dict of
    them, all of one structure and types; shapes relaxed to fit them all)."""
    if not elements:
        raise ValueError(
            "Invalid `elements`. `elements` should not be empty. If you want an empty "
            "dataset, use `tf.data.Dataset.range(0)`."
        )
    normalized = [_normalize(e) for e in elements]
    first_structure, first = normalized[0]
    for element, flat in normalized[1:]:
        if not structure.same_structure(first_structure, element) or [t.dtype for t in flat] != [
            t.dtype for t in first
        ]:
            raise TypeError(
                "Invalid `elements`. All elements must have the same structure and types; "
                f"the first has types {[t.dtype.name for t in first]}, another "
                f"{[t.dtype.name for t in flat]}."
            )
    shapes = [t.shape for t in first]
    for _, flat in normalized[1:]:
        shapes = [
            a.most_specific_compatible_shape(t.shape) for a, t in zip(shapes, flat, strict=True)
        ]
    specs = structure.pack(
        first_structure if structure.is_structure(first_structure) else first[0],
        [Spec(t.dtype, s) for t, s in zip(first, shapes, strict=True)],
    )
    tensors = [t for _, flat in normalized for t in flat]
    return _make("ListDataset", tensors, specs, Tinput_types=[t.dtype.base_dtype for t in tensors])


class SparseSlices(values.DatasetValue):
    """``SparseTensorSliceDataset``: per row of a ``SparseTensor``, the ``(indices, values,
    dense_shape)`` of its entries in that row, the row's index dropped."""

    def __init__(self, indices, values_, dense_shape):
        self.indices = np.asarray(indices, np.int64).reshape([-1, np.size(dense_shape)])
        self.values, self.dense_shape = np.asarray(values_), np.asarray(dense_shape, np.int64)
        rows = self.indices[:, 0]
        if np.any(rows[1:] < rows[:-1]):
            raise errors.UnimplementedError(
                None,
                None,
                "The SparseTensor must be ordered in the batch dimension; handling arbitrarily "
                "ordered input is not currently supported.",
            )

    def elements(self):
        rows = self.indices[:, 0]
        starts = np.searchsorted(rows, np.arange(self.dense_shape[0] + 1))
        for i in range(int(self.dense_shape[0])):
            part = slice(starts[i], starts[i + 1])
            yield [self.indices[part, 1:], self.values[part], self.dense_shape[1:]]


_register(
    "SparseTensorSliceDataset",
    _variant_infer,
    lambda ctx, op, indices, values_, shape: SparseSlices(indices, values_, shape),
)
cardinality._RULES[SparseSlices] = lambda d: int(d.dense_shape[0])


@undo.atomic
def from_sparse_tensor_slices(sparse_tensor) -> Dataset:
    """The rows of ``sparse_tensor``, each as ``(indices, values, dense_shape)`` tensors of
    its entries (the row's index dropped), as TF1's ``Dataset.from_sparse_tensor_slices``."""
    if not isinstance(sparse_tensor, SparseTensor):
        raise TypeError(
            f"`sparse_tensor` must be a `tf.sparse.SparseTensor` object. Was {sparse_tensor}."
        )
    rank = tensor_shape.dimension_value(sparse_tensor.dense_shape.shape[0])
    inner = None if rank is None else rank - 1
    specs = (
        Spec(dtypes.int64, [None, inner]),
        Spec(sparse_tensor.values.dtype, [None]),
        Spec(dtypes.int64, [inner]),
    )
    inputs = [sparse_tensor.indices, sparse_tensor.values, sparse_tensor.dense_shape]
    attrs = {"Tvalues": sparse_tensor.values.dtype.base_dtype}  # TF's op has no element attrs
    op = get_default_graph().create_op(
        "SparseTensorSliceDataset", inputs, attrs, name="SparseTensorSliceDataset"
    )
    return Dataset(op.outputs[0], specs)


def to_variant(dataset):
    """The ``variant`` tensor of ``dataset`` (its op's output)."""
    return dataset._variant_tensor


def from_variant(variant, structure) -> Dataset:
    """The dataset a ``variant`` tensor holds, whose elements have the ``tf.TensorSpec``
    structure ``structure``."""
    specs = map_leaves(lambda s: Spec(s.dtype, s.shape), structure)
    return Dataset(variant, specs)


def get_structure(dataset_or_iterator):
    """The ``tf.TensorSpec`` structure of the elements of a dataset or an iterator."""
    if not hasattr(dataset_or_iterator, "_specs") or not hasattr(
        dataset_or_iterator, "element_spec"
    ):
        raise TypeError(
            "Invalid `dataset_or_iterator`. `dataset_or_iterator` must be a `tf.data.Dataset` "
            f"or tf.data.Iterator object, but got {type(dataset_or_iterator)}."
        )
    return dataset_or_iterator.element_spec


def _seed_tensors(seed) -> list:
    graph_seed, op_seed = get_seed(seed)
    return [_int64(graph_seed or 0, "seed"), _int64(op_seed or 0, "seed2")]


class RandomDataset(Dataset):
    """Endless random int64 scalars in ``[0, 2**32)`` (``RandomDataset``); ``seed`` (with the
    graph seed) fixes the sequence, TF's Philox words."""

    @undo.atomic
    def __init__(self, seed=None):
        made = _make("RandomDataset", _seed_tensors(seed), Spec(dtypes.int64, _SCALAR))
        super().__init__(made._variant_tensor, made._specs)


cardinality._RULES[tv.RandomSeeds] = lambda d: cardinality.INFINITE_CARDINALITY


# -- SQL ------------------------------------------------------------------------------------


def _text(value) -> str:
    value = np.asarray(value).item()
    return value.decode() if isinstance(value, bytes) else str(value)


def _sql_value(value, dtype):
    """A column's value as ``dtype``, converted as SQLite's C API does (NULL: 0 or empty)."""
    if dtype == dtypes.string:
        if value is None:
            return np.asarray(b"", dtype=object)
        text = value if isinstance(value, bytes) else str(value).encode()
        return np.asarray(text, dtype=object)
    if value is None:
        number = 0
    elif isinstance(value, (bytes, str)):
        number = _leading_number(value.decode() if isinstance(value, bytes) else value)
    else:
        number = value
    if dtype == dtypes.bool:
        return np.bool_(number != 0)
    if dtype.is_integer:
        return dtype.as_numpy_dtype(int(number))
    return dtype.as_numpy_dtype(float(number))


def _leading_number(text: str) -> float:
    """The number a text starts with, as SQLite reads a text column as a number (0 if none)."""
    text = text.strip()
    for end in range(len(text), 0, -1):
        try:
            return float(text[:end])
        except ValueError:
            continue
    return 0


class SqlRows(values.DatasetValue):
    """The rows of ``query`` on the SQLite database ``source``, each column converted to its
    dtype of ``types``."""

    def __init__(self, driver: str, source: str, query: str, types: list):
        if driver != "sqlite":
            raise errors.InvalidArgumentError(
                None,
                None,
                f"The database type, {driver}, is not supported by SqlDataset. The set of "
                "supported databases is: {'sqlite'}.",
            )
        self.source, self.query, self.types = source, query, types

    def elements(self):
        import sqlite3  # the standard library's, loaded only when a query runs

        try:
            connection = sqlite3.connect(self.source)
            cursor = connection.execute(self.query)
        except sqlite3.Error as e:
            raise errors.UnknownError(
                None, None, f"Prepare() failed: [1] {e}: {self.query}"
            ) from None
        with connection:
            columns = len(cursor.description or ())
            if columns != len(self.types):
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"The number of columns in query ({columns}) must match the number of "
                    f"elements in output_types ({len(self.types)}).",
                )
            for row in cursor:
                yield [_sql_value(v, t) for v, t in zip(row, self.types, strict=True)]
        connection.close()


def _sql_kernel(ctx, op, driver, source, query):
    return SqlRows(_text(driver), _text(source), _text(query), op._attrs["output_types"])


_register("SqlDataset", _variant_infer, _sql_kernel)


class SqlDataset(Dataset):
    """The rows of the SQL ``query`` on the database ``data_source_name`` (``driver_name``
    ``"sqlite"``: a file path), each a tuple with one scalar per column of
    ``output_types`` (a NULL reads as 0, ``False`` or ``b""``)."""

    @undo.atomic
    def __init__(self, driver_name, data_source_name, query, output_types):
        inputs = [
            convert_to_tensor(driver_name, dtype=dtypes.string, name="driver_name"),
            convert_to_tensor(data_source_name, dtype=dtypes.string, name="data_source_name"),
            convert_to_tensor(query, dtype=dtypes.string, name="query"),
        ]
        specs = structure.map_leaves(lambda t: Spec(t, _SCALAR), output_types)
        made = _make("SqlDataset", inputs, specs)
        super().__init__(made._variant_tensor, specs)


__all__ = [
    "RandomDataset",
    "SqlDataset",
    "from_list",
    "from_sparse_tensor_slices",
    "from_variant",
    "get_structure",
    "to_variant",
]
