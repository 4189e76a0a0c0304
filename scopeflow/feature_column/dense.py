"""Columns over a categorical column: ``embedding_column`` (rows of a trainable table,
combined per example) and ``indicator_column`` (multi-hot counts)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scopeflow.feature_column.columns import _CategoricalColumn, _DenseColumn
from scopeflow.feature_column.sequence import is_sequence, sequence_length_from_sparse_tensor
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.graph import GraphKeys
from scopeflow.ops.array.gather import one_hot, scatter_nd
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.merge import sparse_merge
from scopeflow.ops.sparse.safe_embedding import safe_embedding_lookup_sparse
from scopeflow.ops.sparse.structure import sparse_slice
from scopeflow.variables.initializers import truncated_normal_initializer
from scopeflow.variables.variable_scope import get_variable


@dataclass(frozen=True)
class EmbeddingColumn(_DenseColumn):
    categorical_column: Any
    dimension: int
    combiner: str
    initializer: Any
    ckpt_to_load_from: Any = None
    tensor_name_in_ckpt: Any = None
    max_norm: Any = None
    trainable: bool = True

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_embedding"

    @property
    def _parse_example_spec(self) -> dict:
        return self.categorical_column._parse_example_spec

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape([self.dimension])

    def _transform_feature(self, inputs):
        return inputs.get(self.categorical_column)

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _refuse_sequence("embedding_column", self)
        return self._lookup(inputs, weight_collections, trainable)

    def _get_sequence_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _require_sequence("embedding_column", self)
        sparse = self.categorical_column._get_sparse_tensors(inputs)
        dense = self._lookup(inputs, weight_collections, trainable)
        return dense, sequence_length_from_sparse_tensor(sparse.id_tensor)

    def _lookup(self, inputs, weight_collections, trainable):
        sparse = self.categorical_column._get_sparse_tensors(inputs, weight_collections, trainable)
        collections = list(weight_collections or [])
        if collections and GraphKeys.GLOBAL_VARIABLES not in collections:
            collections.append(GraphKeys.GLOBAL_VARIABLES)
        weights = get_variable(
            name="embedding_weights",
            shape=(self.categorical_column._num_buckets, self.dimension),
            dtype=dtypes.float32,
            initializer=self.initializer,
            trainable=self.trainable and trainable is not False,
            collections=collections or None,
        )
        return safe_embedding_lookup_sparse(
            weights,
            sparse.id_tensor,
            sparse.weight_tensor,
            combiner=self.combiner,
            name=f"{self.name}_weights",
            max_norm=self.max_norm,
        )


@dataclass(frozen=True)
class IndicatorColumn(_DenseColumn):
    categorical_column: Any

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_indicator"

    @property
    def _parse_example_spec(self) -> dict:
        return self.categorical_column._parse_example_spec

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape([1, self.categorical_column._num_buckets])

    def _transform_feature(self, inputs):
        pair = self.categorical_column._get_sparse_tensors(inputs)
        size = self._variable_shape[-1]
        if pair.weight_tensor is not None:
            weighted = sparse_merge(pair.id_tensor, pair.weight_tensor, vocab_size=int(size))
            weighted = sparse_slice(weighted, [0, 0], weighted.dense_shape)
            return scatter_nd(weighted.indices, weighted.values, weighted.dense_shape)
        dense = sparse_tensor_to_dense(pair.id_tensor, default_value=-1)
        return reduce_sum(one_hot(dense, depth=size, on_value=1.0, off_value=0.0), axis=[-2])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _refuse_sequence("indicator_column", self)
        return inputs.get(self)

    def _get_sequence_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        _require_sequence("indicator_column", self)
        dense = inputs.get(self)
        ids = self.categorical_column._get_sparse_tensors(inputs).id_tensor
        return dense, sequence_length_from_sparse_tensor(ids)


def _refuse_sequence(kind: str, column) -> None:
    inner = column.categorical_column
    if is_sequence(inner):
        raise ValueError(
            f"In {kind}: {column.name}. categorical_column must not be of type "
            "_SequenceCategoricalColumn. Suggested fix A: If you wish to use input_layer, use "
            "a non-sequence categorical_column_with_*. Suggested fix B: If you wish to create "
            "sequence input, use sequence_input_layer instead of input_layer. Given (type "
            f"{type(inner)}): {inner}"
        )


def _require_sequence(kind: str, column) -> None:
    inner = column.categorical_column
    if not is_sequence(inner):
        raise ValueError(
            f"In {kind}: {column.name}. categorical_column must be of type "
            "_SequenceCategoricalColumn to use sequence_input_layer. Suggested fix: Use one of "
            f"sequence_categorical_column_with_*. Given (type {type(inner)}): {inner}"
        )


def embedding_column(
    categorical_column,
    dimension,
    combiner="mean",
    initializer=None,
    ckpt_to_load_from=None,
    tensor_name_in_ckpt=None,
    max_norm=None,
    trainable=True,
    use_safe_embedding_lookup=True,
):
    """A categorical column's ids as the ``combiner`` of rows of a trainable
    ``[num_buckets, dimension]`` table, ``<scope>/<column>_embedding/embedding_weights``."""
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError(
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them."
        )
    if ckpt_to_load_from is not None:
        raise NotImplementedError(
            "embedding_column(ckpt_to_load_from=...) is not supported: restore the table with "
            "tf.train.init_from_checkpoint or a Saver"
        )
    if not use_safe_embedding_lookup:
        raise NotImplementedError(
            "use_safe_embedding_lookup=False is not supported: the safe lookup (TF's default) "
            "is used"
        )
    if initializer is not None and not callable(initializer):
        raise ValueError(
            "initializer must be callable if specified. Embedding of column_name: "
            f"{categorical_column.name}"
        )
    if initializer is None:
        initializer = truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(dimension))
    return EmbeddingColumn(
        categorical_column, dimension, combiner, initializer, max_norm=max_norm, trainable=trainable
    )


def indicator_column(categorical_column):
    """A categorical column's ids as a multi-hot (count) vector of ``num_buckets``."""
    if not isinstance(categorical_column, _CategoricalColumn):
        raise ValueError(
            "Unsupported input type. Input must be a CategoricalColumn. Given: "
            f"{categorical_column}"
        )
    return IndicatorColumn(categorical_column)
