"""Sequence feature columns (``tf.feature_column.sequence_*``) and
``tf.contrib.feature_column.sequence_input_layer``: features that are a sequence per example
(a ``SparseTensor`` of ``[batch, time]``), read as ``[batch, time, n]`` dense tensors plus
each example's sequence length, as TF1 builds them.

A sequence categorical column gives its ids an extra last dimension, so that
``embedding_column`` and ``indicator_column`` over it look up (or count) each time step apart
instead of combining them; ``sequence_numeric_column`` groups its values into steps of its
``shape``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     fc = tf.feature_column
...     ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([2, 0, 1], tf.int64), [2, 2])
...     col = fc.indicator_column(fc.sequence_categorical_column_with_identity("ids", 3))
...     out, length = tf.contrib.feature_column.sequence_input_layer({"ids": ids}, [col])
...     with tf.Session() as sess:
...         print(sess.run(out).tolist(), sess.run(length))
[[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]] [2 1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scopeflow.feature_column import columns as fcc
from scopeflow.feature_column.builder import _LazyBuilder
from scopeflow.feature_column.columns import IdWeightPair, _CategoricalColumn, _DenseColumn
from scopeflow.feature_column.models import (
    _check_batch_sizes,
    _normalize_feature_columns,
    _weight_collections,
)
from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array.basic import identity, reshape, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, ones_like
from scopeflow.ops.control.assertions import assert_equal
from scopeflow.ops.control.checks import assert_rank, assert_type
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import ceil
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.parsing.example_ops import VarLenFeature
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.segment_sorted import segment_max
from scopeflow.ops.sparse.structure import sparse_reshape
from scopeflow.variables.variable_scope import variable_scope


def sequence_length_from_sparse_tensor(sp_tensor, num_elements=1):
    """Each example's number of steps: its last used column + 1 (a step is ``num_elements``
    values), 0 for an example without values; int64 ``[batch]``."""
    with name_scope(None, "sequence_length") as scope:
        rows = sp_tensor.indices[:, 0]
        columns = sp_tensor.indices[:, 1]
        columns = columns + ones_like(columns)  # a column index, as a length
        lengths = segment_max(columns, segment_ids=rows)
        lengths = cast(ceil(truediv(lengths, num_elements)), dtypes.int64)
        # examples after the last one with values have no segment: pad with zeros
        missing = sp_tensor.dense_shape[:1] - shape(lengths, out_type=dtypes.int64)[:1]
        padding = zeros(missing, dtype=lengths.dtype)
        return concat([lengths, padding], axis=0, name=scope)


@dataclass(frozen=True)
class SequenceCategoricalColumn(_CategoricalColumn):
    """A categorical column over sequences: its ids ``[batch, time, 1]``."""

    categorical_column: Any

    @property
    def name(self) -> str:
        return self.categorical_column.name

    @property
    def _parse_example_spec(self) -> dict:
        return self.categorical_column._parse_example_spec

    @property
    def _num_buckets(self) -> int:
        return self.categorical_column._num_buckets

    def _transform_feature(self, inputs):
        return self.categorical_column._transform_feature(inputs)

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        pair = self.categorical_column._get_sparse_tensors(inputs)
        ids, weights = pair.id_tensor, pair.weight_tensor
        dims = ids.dense_shape
        # the last dimension is counted, not -1: a batch of empty sequences has 0 steps
        target = stack([dims[0], dims[1], reduce_prod(dims[2:])])
        ids = sparse_reshape(ids, target)
        if weights is not None:
            weights = sparse_reshape(weights, target)
        return IdWeightPair(ids, weights)


@dataclass(frozen=True)
class SequenceNumericColumn(_DenseColumn):
    """Numbers over sequences: a ``SparseTensor`` feature, each step ``shape`` values."""

    key: str
    shape: tuple = (1,)
    default_value: float = 0.0
    dtype: Any = dtypes.float32
    normalizer_fn: Any = None

    @property
    def name(self) -> str:
        return self.key

    @property
    def _parse_example_spec(self) -> dict:
        return {self.key: VarLenFeature(self.dtype)}

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape(self.shape)

    def _transform_feature(self, inputs):
        tensor = inputs.get(self.key)
        return self.normalizer_fn(tensor) if self.normalizer_fn is not None else tensor

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        raise ValueError(
            f"In sequence_numeric_column: {self.name}. A sequence column can only be read by "
            "sequence_input_layer, not input_layer or linear_model."
        )

    def _get_sequence_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        sp = inputs.get(self)
        dense = sparse_tensor_to_dense(sp, default_value=self.default_value)
        # [batch, steps, *shape]: the values of an example grouped into steps
        target = concat([shape(dense)[:1], [-1], list(self._variable_shape.as_list())], axis=0)
        dense = reshape(dense, shape=target)
        per_step = self._variable_shape.num_elements() if sp.shape.ndims == 2 else 1
        return dense, sequence_length_from_sparse_tensor(sp, num_elements=per_step)


def is_sequence(column) -> bool:
    return isinstance(column, SequenceCategoricalColumn)


def _all_equal(lengths: list):
    """The one sequence length of all columns (checked equal when run)."""
    with name_scope(None, "assert_all_equal", lengths):
        if len(lengths) == 1:
            return lengths[0]
        checks = [assert_equal(lengths[0], t) for t in lengths[1:]]
        with control_dependencies(checks):
            return identity(lengths[0])


@undo.atomic
def sequence_input_layer(features, feature_columns, weight_collections=None, trainable=True):
    """The sequence columns' dense tensors (sorted by name), each ``[batch, time, n]``,
    concatenated on the last axis, and the examples' sequence length (int64 ``[batch]``,
    checked equal across columns): ``(input_layer, sequence_length)``."""
    feature_columns = _normalize_feature_columns(feature_columns)
    for column in feature_columns:
        if not hasattr(column, "_get_sequence_dense_tensor"):
            raise ValueError(
                "All feature_columns must be of type _SequenceDenseColumn. You can wrap a "
                "sequence_categorical_column with an embedding_column or indicator_column. "
                f"Given (type {type(column)}): {column}"
            )
    collections = _weight_collections(weight_collections)
    with variable_scope(None, default_name="sequence_input_layer", values=list(features.values())):
        builder = _LazyBuilder(features)
        outputs, lengths, ordered = [], [], []
        for column in sorted(feature_columns, key=lambda c: c.name):
            ordered.append(column)
            with variable_scope(None, default_name=column._var_scope_name):
                dense, length = column._get_sequence_dense_tensor(
                    builder, weight_collections=collections, trainable=trainable
                )
                dims = shape(dense)
                n = column._variable_shape.num_elements()
                outputs.append(reshape(dense, shape=[dims[0], dims[1], n]))
                lengths.append(length)
        _check_batch_sizes(outputs, ordered)
        _check_batch_sizes(lengths, ordered)
        return concat(outputs, -1), _all_equal(lengths)


def concatenate_context_input(context_input, sequence_input):
    """``sequence_input`` (``[batch, time, d]``, float32) with ``context_input`` (``[batch,
    c]``, float32) repeated at every step appended: ``[batch, time, d + c]``."""
    checks = [
        assert_rank(
            sequence_input, 3, message="sequence_input must have rank 3",
            data=[shape(sequence_input)],
        ),
        assert_type(
            sequence_input, dtypes.float32,
            message="sequence_input must have dtype float32; got "
            f"<dtype: '{sequence_input.dtype.name}'>.",
        ),
        assert_rank(
            context_input, 2, message="context_input must have rank 2",
            data=[shape(context_input)],
        ),
        assert_type(
            context_input, dtypes.float32,
            message="context_input must have dtype float32; got "
            f"<dtype: '{context_input.dtype.name}'>.",
        ),
    ]  # fmt: skip
    with control_dependencies(checks):
        steps = shape(sequence_input)[1]
        tiled = tile(expand_dims(context_input, 1), concat([[1], [steps], [1]], 0))
    return concat([sequence_input, tiled], 2)


# -- constructors ---------------------------------------------------------------------------


def sequence_categorical_column_with_identity(key, num_buckets, default_value=None):
    """``categorical_column_with_identity`` over sequences."""
    return SequenceCategoricalColumn(
        fcc.categorical_column_with_identity(key, num_buckets, default_value)
    )


def sequence_categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """``categorical_column_with_hash_bucket`` over sequences."""
    return SequenceCategoricalColumn(
        fcc.categorical_column_with_hash_bucket(key, hash_bucket_size, dtype)
    )


def sequence_categorical_column_with_vocabulary_file(
    key, vocabulary_file, vocabulary_size=None, num_oov_buckets=0, default_value=None,
    dtype=dtypes.string,
):  # fmt: skip
    """``categorical_column_with_vocabulary_file`` over sequences."""
    return SequenceCategoricalColumn(
        fcc.categorical_column_with_vocabulary_file(
            key, vocabulary_file, vocabulary_size, num_oov_buckets, default_value, dtype
        )
    )


def sequence_categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """``categorical_column_with_vocabulary_list`` over sequences."""
    return SequenceCategoricalColumn(
        fcc.categorical_column_with_vocabulary_list(
            key, vocabulary_list, dtype, default_value, num_oov_buckets
        )
    )


def sequence_numeric_column(
    key, shape=(1,), default_value=0.0, dtype=dtypes.float32, normalizer_fn=None
):
    """Numbers over sequences: each step ``shape`` values of the ``SparseTensor`` feature
    ``key``, missing values ``default_value``."""
    fcc._assert_key_is_string(key)
    shape = tuple(shape) if isinstance(shape, (list, tuple)) else (shape,)
    for d in shape:
        if not isinstance(d, int) or d < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(
            f"dtype must be convertible to float. dtype: <dtype: '{dtype.name}'>, key: {key}"
        )
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return SequenceNumericColumn(key, shape, default_value, dtype, normalizer_fn)


__all__ = [
    "concatenate_context_input",
    "sequence_categorical_column_with_hash_bucket",
    "sequence_categorical_column_with_identity",
    "sequence_categorical_column_with_vocabulary_file",
    "sequence_categorical_column_with_vocabulary_list",
    "sequence_input_layer",
    "sequence_numeric_column",
]
