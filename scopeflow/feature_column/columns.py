"""TF1's feature columns (``tf.feature_column``): what each column reads from the features,
how it turns them into a dense tensor (``input_layer``) or sparse ids (``linear_model``,
``embedding_column``, ``indicator_column``), and the constructors with TF's checks and errors.

Columns are frozen dataclasses, so they hash and compare by value as TF's namedtuples do; a
``_LazyBuilder`` (``builder.py``) transforms each column once per ``input_layer`` call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from scopeflow.feature_column import builder as fcb
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.lookup.index_tables import index_table_from_file, index_table_from_tensor
from scopeflow.ops.array.basic import fill
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import one_hot
from scopeflow.ops.math.bucketize import bucketize
from scopeflow.ops.math.elementwise import logical_or
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.parsing.example_ops import FixedLenFeature, VarLenFeature
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ops.strings.convert import as_string, string_to_hash_bucket_fast


class IdWeightPair(NamedTuple):
    """A categorical column's ids (a SparseTensor) and their weights (None: all ones)."""

    id_tensor: Any
    weight_tensor: Any


class _FeatureColumn:
    """The base of every column: its name and the variable scope it builds under."""

    @property
    def _var_scope_name(self) -> str:
        return self.name


class _DenseColumn(_FeatureColumn):
    """A column ``input_layer`` reads as a dense float tensor."""


class _CategoricalColumn(_FeatureColumn):
    """A column of sparse ids in ``[0, _num_buckets)``."""

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return IdWeightPair(inputs.get(self), None)


def _assert_key_is_string(key) -> None:
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


def _assert_string_or_int(dtype, prefix: str) -> None:
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError(f"{prefix} dtype must be string or integer. dtype: {dtype}.")


def _check_dtypes_agree(key: str, dtype, tensor) -> None:
    if dtype.is_integer != tensor.dtype.is_integer:
        raise ValueError(
            "Column dtype and SparseTensors dtype must be compatible. key: "
            f"{key}, column dtype: {dtype}, tensor dtype: {tensor.dtype}"
        )
    _assert_string_or_int(tensor.dtype, f"column_name: {key} input_tensor")


@dataclass(frozen=True)
class NumericColumn(_DenseColumn):
    key: str
    shape: tuple = (1,)
    default_value: Any = None
    dtype: Any = dtypes.float32
    normalizer_fn: Any = None

    @property
    def name(self) -> str:
        return self.key

    @property
    def _parse_example_spec(self) -> dict:
        return {self.key: FixedLenFeature(self.shape, self.dtype, self.default_value)}

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape(self.shape)

    def _transform_feature(self, inputs):
        tensor = inputs.get(self.key)
        if isinstance(tensor, SparseTensor):
            raise ValueError(
                "The corresponding Tensor of numerical column must be a Tensor. SparseTensor "
                f"is not supported. key: {self.key}"
            )
        if self.normalizer_fn is not None:
            tensor = self.normalizer_fn(tensor)
        return cast(tensor, dtypes.float32)

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)


@dataclass(frozen=True)
class BucketizedColumn(_DenseColumn, _CategoricalColumn):
    source_column: NumericColumn
    boundaries: tuple

    @property
    def name(self) -> str:
        return f"{self.source_column.name}_bucketized"

    @property
    def _parse_example_spec(self) -> dict:
        return self.source_column._parse_example_spec

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape((*self.source_column.shape, len(self.boundaries) + 1))

    @property
    def _num_buckets(self) -> int:
        return (len(self.boundaries) + 1) * self.source_column.shape[0]

    def _transform_feature(self, inputs):
        return bucketize(inputs.get(self.source_column), self.boundaries, name="Bucketize")

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        ids = cast(inputs.get(self), dtypes.int64)
        return one_hot(ids, depth=len(self.boundaries) + 1, on_value=1.0, off_value=0.0)

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return IdWeightPair(fcb.bucket_ids(inputs.get(self), self), None)


@dataclass(frozen=True)
class HashedCategoricalColumn(_CategoricalColumn):
    key: str
    hash_bucket_size: int
    dtype: Any = dtypes.string

    @property
    def name(self) -> str:
        return self.key

    @property
    def _parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(self.dtype)}

    @property
    def _num_buckets(self) -> int:
        return self.hash_bucket_size

    def _transform_feature(self, inputs):
        sparse = fcb.to_sparse_input(inputs.get(self.key))
        _check_dtypes_agree(self.key, self.dtype, sparse.values)
        values = sparse.values
        if self.dtype != dtypes.string:
            values = as_string(values)
        ids = string_to_hash_bucket_fast(values, self.hash_bucket_size, name="lookup")
        return SparseTensor(sparse.indices, ids, sparse.dense_shape)


@dataclass(frozen=True)
class VocabularyListCategoricalColumn(_CategoricalColumn):
    key: str
    vocabulary_list: tuple
    dtype: Any
    default_value: int = -1
    num_oov_buckets: int = 0

    @property
    def name(self) -> str:
        return self.key

    @property
    def _parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(self.dtype)}

    @property
    def _num_buckets(self) -> int:
        return len(self.vocabulary_list) + self.num_oov_buckets

    def _transform_feature(self, inputs):
        sparse = fcb.to_sparse_input(inputs.get(self.key))
        _check_dtypes_agree(self.key, self.dtype, sparse.values)
        key_dtype = self.dtype
        if sparse.dtype.is_integer:
            key_dtype = dtypes.int64
            sparse = SparseTensor(
                sparse.indices, cast(sparse.values, dtypes.int64), sparse.dense_shape
            )
        with control_dependencies(None):  # TF builds the table in an init scope
            table = index_table_from_tensor(
                vocabulary_list=tuple(self.vocabulary_list),
                default_value=self.default_value,
                num_oov_buckets=self.num_oov_buckets,
                dtype=key_dtype,
                name=f"{self.key}_lookup",
            )
        return table.lookup(sparse)


@dataclass(frozen=True)
class VocabularyFileCategoricalColumn(_CategoricalColumn):
    key: str
    vocabulary_file: str
    vocabulary_size: int
    num_oov_buckets: int
    dtype: Any
    default_value: int

    @property
    def name(self) -> str:
        return self.key

    @property
    def _parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(self.dtype)}

    @property
    def _num_buckets(self) -> int:
        return self.vocabulary_size + self.num_oov_buckets

    def _transform_feature(self, inputs):
        sparse = fcb.to_sparse_input(inputs.get(self.key))
        _check_dtypes_agree(self.key, self.dtype, sparse.values)
        key_dtype = self.dtype
        if sparse.dtype.is_integer:
            key_dtype = dtypes.int64
            sparse = SparseTensor(
                sparse.indices, cast(sparse.values, dtypes.int64), sparse.dense_shape
            )
        with control_dependencies(None):
            table = index_table_from_file(
                vocabulary_file=self.vocabulary_file,
                num_oov_buckets=self.num_oov_buckets,
                vocab_size=self.vocabulary_size,
                default_value=self.default_value,
                key_dtype=key_dtype,
                name=f"{self.key}_lookup",
            )
        return table.lookup(sparse)


@dataclass(frozen=True)
class IdentityCategoricalColumn(_CategoricalColumn):
    key: str
    number_buckets: int
    default_value: int | None = None

    @property
    def name(self) -> str:
        return self.key

    @property
    def _parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(dtypes.int64)}

    @property
    def _num_buckets(self) -> int:
        return self.number_buckets

    def _transform_feature(self, inputs):
        sparse = fcb.to_sparse_input(inputs.get(self.key))
        if not sparse.dtype.is_integer:
            raise ValueError(f"Invalid input, not integer. key: {self.key} dtype: {sparse.dtype}")
        values = sparse.values
        if values.dtype != dtypes.int64:
            values = cast(values, dtypes.int64, name="values")
        if self.default_value is not None:
            values = cast(sparse.values, dtypes.int64, name="values")
            num_buckets = cast(self.number_buckets, dtypes.int64, name="num_buckets")
            zero = cast(0, dtypes.int64, name="zero")
            out_of_range = logical_or(values < zero, values >= num_buckets, name="out_of_range")
            dims = shape_of(values)
            default = cast(self.default_value, dtypes.int64)
            defaults = fill(dims=dims, value=default, name="default_values")
            values = where_v2(out_of_range, defaults, values)
        return SparseTensor(sparse.indices, values, sparse.dense_shape)


@dataclass(frozen=True)
class WeightedCategoricalColumn(_CategoricalColumn):
    categorical_column: Any
    weight_feature_key: str
    dtype: Any = dtypes.float32

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def _parse_example_spec(self) -> dict:
        spec = dict(self.categorical_column._parse_example_spec)
        if self.weight_feature_key in spec:
            raise ValueError(
                f"Parse config {spec[self.weight_feature_key]} already exists for "
                f"{self.weight_feature_key}."
            )
        spec[self.weight_feature_key] = VarLenFeature(self.dtype)
        return spec

    @property
    def _num_buckets(self) -> int:
        return self.categorical_column._num_buckets

    def _transform_feature(self, inputs):
        weights = inputs.get(self.weight_feature_key)
        if self.dtype != weights.dtype.base_dtype:
            raise ValueError(f"Bad dtype, expected {self.dtype}, but got {weights.dtype}.")
        if not isinstance(weights, SparseTensor):
            weights = fcb.to_sparse_input(weights, ignore_value=0.0)
        if not weights.dtype.is_floating:
            weights = SparseTensor(
                weights.indices, cast(weights.values, dtypes.float32), weights.dense_shape
            )
        return (inputs.get(self.categorical_column), weights)

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        ids, weights = inputs.get(self)
        return IdWeightPair(ids, weights)


# -- constructors ---------------------------------------------------------------------------


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None):
    """A column of real values (``shape`` per example), read as float32.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     price = tf.feature_column.numeric_column("price")
    ...     out = tf.feature_column.input_layer({"price": [[1.0], [5.0]]}, [price])
    ...     print(tf.Session().run(out).ravel())
    [1. 5.]
    """
    shape = tuple(shape) if isinstance(shape, (list, tuple)) else (shape,)
    for dim in shape:
        if not isinstance(dim, int):
            raise TypeError(f"shape dimensions must be integer. shape: {shape}, key: {key}")
        if dim < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    _assert_key_is_string(key)
    if default_value is not None:
        default_value = _default_tuple(shape, default_value, key)
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


def _default_tuple(shape: tuple, default_value, key: str) -> tuple:
    """``default_value`` (one value, or nested values of ``shape``) as nested tuples."""
    given = np.asarray(default_value)
    if given.shape not in ((), shape):
        raise ValueError(
            "The shape of default_value must be equal to given shape. default_value: "
            f"{default_value}, shape: {shape}, key: {key}"
        )

    def as_tuples(value):
        return tuple(as_tuples(v) for v in value) if isinstance(value, list) else value

    return as_tuples(np.broadcast_to(given, shape).tolist())


def bucketized_column(source_column, boundaries):
    """A numeric column's values as one-hot buckets (``boundaries`` sorted)."""
    if not isinstance(source_column, NumericColumn):
        raise ValueError(
            "source_column must be a column generated with numeric_column(). Given: "
            f"{source_column}"
        )
    if len(source_column.shape) > 1:
        raise ValueError(f"source_column must be one-dimensional column. Given: {source_column}")
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    if any(a >= b for a, b in zip(boundaries, boundaries[1:], strict=False)):
        raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(boundaries))


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """A column of ids: each string (or integer, as a string) hashed into
    ``hash_bucket_size`` buckets with TF's FarmHash fingerprint."""
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}"
        )
    _assert_key_is_string(key)
    dtype = dtypes.as_dtype(dtype)
    _assert_string_or_int(dtype, f"column_name: {key}")
    return HashedCategoricalColumn(key, hash_bucket_size, dtype)


def _check_oov(key, num_oov_buckets, default_value, no_default) -> None:
    if num_oov_buckets:
        if default_value != no_default:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")


def categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """A column of ids: each value's index in ``vocabulary_list``; others get
    ``default_value`` or one of ``num_oov_buckets`` hash buckets after the vocabulary."""
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    vocabulary_dtype = dtypes.as_dtype(np.array(vocabulary_list).dtype)
    _check_oov(key, num_oov_buckets, default_value, -1)
    _assert_string_or_int(vocabulary_dtype, f"column_name: {key} vocabulary")
    if dtype is None:
        dtype = vocabulary_dtype
    else:
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer != vocabulary_dtype.is_integer:
            raise ValueError(
                f"dtype {dtype} and vocabulary dtype {vocabulary_dtype} do not match, "
                f"column_name: {key}"
            )
    _assert_string_or_int(dtype, f"column_name: {key}")
    _assert_key_is_string(key)
    return VocabularyListCategoricalColumn(
        key, tuple(vocabulary_list), dtype, default_value, num_oov_buckets
    )


def categorical_column_with_vocabulary_file(
    key,
    vocabulary_file,
    vocabulary_size=None,
    num_oov_buckets=0,
    default_value=None,
    dtype=dtypes.string,
):
    """A column of ids: each value's line number in ``vocabulary_file``; others get
    ``default_value`` or one of ``num_oov_buckets`` hash buckets after the vocabulary."""
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if vocabulary_size is None:
        try:
            with open(vocabulary_file, "rb") as f:
                vocabulary_size = sum(1 for _ in f)
        except FileNotFoundError:
            raise ValueError(f"vocabulary_file in {key} does not exist.") from None
    if vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    _check_oov(key, num_oov_buckets, default_value, None)
    dtype = dtypes.as_dtype(dtype)
    _assert_string_or_int(dtype, f"column_name: {key}")
    _assert_key_is_string(key)
    return VocabularyFileCategoricalColumn(
        key,
        vocabulary_file,
        vocabulary_size,
        num_oov_buckets or 0,
        dtype,
        -1 if default_value is None else default_value,
    )


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """A column whose integer values are the ids themselves, in ``[0, num_buckets)``."""
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}"
        )
    _assert_key_is_string(key)
    return IdentityCategoricalColumn(key, num_buckets, default_value)


def make_parse_example_spec(feature_columns) -> dict:
    """The ``tf.parse_example`` features dict the columns read."""
    spec: dict = {}
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(
                f"All feature_columns must be _FeatureColumn instances. Given: {column}"
            )
        for key, value in column._parse_example_spec.items():
            if key in spec and spec[key] != value:
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. Given "
                    f"{value} and {spec[key]}"
                )
            spec[key] = value
    return spec


def weighted_categorical_column(categorical_column, weight_feature_key, dtype=dtypes.float32):
    """``categorical_column``'s ids weighted by the feature ``weight_feature_key`` (one
    weight per id; embedding columns and linear models multiply the rows by them)."""
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if dtype is None or not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype {dtype} is not convertible to float.")
    return WeightedCategoricalColumn(categorical_column, weight_feature_key, dtype)
