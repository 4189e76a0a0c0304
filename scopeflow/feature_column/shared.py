"""``tf.feature_column.shared_embedding_columns``: embedding columns over several
categorical columns of the same kind and bucket count that look their ids up in one table,
``<scope>/<collection>/embedding_weights``, made by the first column built and found by the
others in the graph collection named after the columns (TF1's ``_SharedEmbeddingColumn``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scopeflow.feature_column.columns import (
    WeightedCategoricalColumn,
    _CategoricalColumn,
    _DenseColumn,
)
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, get_collection, name_scope
from scopeflow.ops.sparse.safe_embedding import safe_embedding_lookup_sparse
from scopeflow.variables.initializers import truncated_normal_initializer
from scopeflow.variables.variable_scope import get_variable

_FIX = (
    "Suggested fix A: Choose a unique name for this collection. Suggested fix B: Do not add "
    "any variables to this collection. The feature_column library already adds a variable "
    "under the hood."
)


@dataclass(frozen=True)
class SharedEmbeddingColumn(_DenseColumn):
    categorical_column: Any
    dimension: int
    combiner: str
    initializer: Any
    shared_embedding_collection_name: str
    trainable: bool = True
    max_norm: Any = None

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_shared_embedding"

    @property
    def _var_scope_name(self) -> str:
        return self.shared_embedding_collection_name

    @property
    def _parse_example_spec(self) -> dict:
        return self.categorical_column._parse_example_spec

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape([self.dimension])

    def _transform_feature(self, inputs):
        return inputs.get(self.categorical_column)

    def _embedding_weights(self, weight_collections, trainable):
        shape = (self.categorical_column._num_buckets, self.dimension)
        shared = get_collection(self.shared_embedding_collection_name)
        if len(shared) > 1:
            raise ValueError(f"Collection {shared} can only contain one variable. {_FIX}")
        if shared:
            if tuple(shared[0].shape.as_list()) != shape:
                raise ValueError(
                    f"Shared embedding collection {self.shared_embedding_collection_name} "
                    f"contains variable {shared[0].name} of unexpected shape "
                    f"{tuple(shared[0].shape.as_list())}. Expected shape is {shape}. {_FIX}"
                )
            return shared[0]
        collections = list(weight_collections or [])
        if collections and GraphKeys.GLOBAL_VARIABLES not in collections:
            collections.append(GraphKeys.GLOBAL_VARIABLES)
        weights = get_variable(
            name="embedding_weights",
            shape=shape,
            dtype=dtypes.float32,
            initializer=self.initializer,
            trainable=self.trainable and trainable is not False,
            collections=collections or None,
        )
        add_to_collection(self.shared_embedding_collection_name, weights)
        return weights

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        with name_scope(None, self.name):
            sparse = self.categorical_column._get_sparse_tensors(
                inputs, weight_collections, trainable
            )
            weights = self._embedding_weights(weight_collections, trainable)
            return safe_embedding_lookup_sparse(
                weights,
                sparse.id_tensor,
                sparse.weight_tensor,
                combiner=self.combiner,
                name=f"{self.name}_weights",
                max_norm=self.max_norm,
            )


def _unweighted(column):
    while isinstance(column, WeightedCategoricalColumn):
        column = column.categorical_column
    return column


def shared_embedding_columns(
    categorical_columns,
    dimension,
    combiner="mean",
    initializer=None,
    shared_embedding_collection_name=None,
    ckpt_to_load_from=None,
    tensor_name_in_ckpt=None,
    max_norm=None,
    trainable=True,
    use_safe_embedding_lookup=True,
):
    """One embedding column per categorical column, all reading one ``[num_buckets,
    dimension]`` table (its collection and variable scope: the columns' names joined, sorted,
    plus ``_shared_embedding``, unless ``shared_embedding_collection_name`` is given).

    >>> import numpy as np
    >>> import scopeflow as tf
    >>> fc = tf.feature_column
    >>> a, b = (fc.categorical_column_with_identity(k, 4) for k in "ab")
    >>> with tf.Graph().as_default():
    ...     cols = fc.shared_embedding_columns([a, b], 2, initializer=tf.ones_initializer())
    ...     ids = tf.SparseTensor([[0, 0]], np.int64([3]), [1, 1])
    ...     out = fc.input_layer({"a": ids, "b": ids}, cols)
    ...     [v.name for v in tf.global_variables()]
    ['input_layer/a_b_shared_embedding/embedding_weights:0']
    """
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError(
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them."
        )
    if ckpt_to_load_from is not None:
        raise NotImplementedError(
            "shared_embedding_columns(ckpt_to_load_from=...) is not supported: restore the table "
            "with tf.train.init_from_checkpoint or tf.train.warm_start"
        )
    if not use_safe_embedding_lookup:
        raise NotImplementedError(
            "use_safe_embedding_lookup=False is not supported: the safe lookup (TF's default) "
            "is used"
        )
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified.")
    if initializer is None:
        initializer = truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(dimension))
    ordered = sorted(categorical_columns, key=lambda c: c.name)
    first = ordered[0]
    if not isinstance(first, _CategoricalColumn):
        raise ValueError(
            f"All categorical_columns must be subclasses of _CategoricalColumn. Given: {first}, "
            f"of type: {type(first)}"
        )
    kind = _unweighted(first)
    for column in ordered[1:]:
        inner = _unweighted(column)
        if not isinstance(inner, type(kind)):
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same "
                "type, or be weighted_categorical_column or sequence column of the same type. "
                f"Given column: {kind} of type: {type(kind)} does not match given column: "
                f"{inner} of type: {type(inner)}"
            )
        if first._num_buckets != inner._num_buckets:
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same "
                f"number of buckets. Given column: {kind} with buckets: {first._num_buckets} "
                f"does not match column: {inner} with buckets: {inner._num_buckets}"
            )
    if not shared_embedding_collection_name:
        shared_embedding_collection_name = "_".join(c.name for c in ordered) + "_shared_embedding"
    return [
        SharedEmbeddingColumn(
            column,
            dimension,
            combiner,
            initializer,
            shared_embedding_collection_name,
            trainable,
            max_norm,
        )
        for column in categorical_columns
    ]
