"""``tf.nn.safe_embedding_lookup_sparse``: ``embedding_lookup_sparse`` that drops invalid ids
and weights and gives examples without ids zeros, as feature columns look up embeddings."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.math.elementwise import greater, greater_equal, logical_and
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.math.selection import where
from scopeflow.ops.sparse.segment import embedding_lookup_sparse
from scopeflow.ops.sparse.sharded import shards
from scopeflow.ops.sparse.structure import sparse_fill_empty_rows, sparse_reshape, sparse_retain
from scopeflow.ops.sparse.tensor import SparseTensor

__all__ = ["safe_embedding_lookup_sparse"]


@undo.atomic
def safe_embedding_lookup_sparse(
    embedding_weights,
    sparse_ids,
    sparse_weights=None,
    combiner="mean",
    default_id=None,
    name=None,
    partition_strategy="div",
    max_norm=None,
):
    """Rows of ``embedding_weights`` combined per example as ``embedding_lookup_sparse``
    does, with invalid ids (< 0) and, unless summing, non-positive weights dropped, and
    examples without ids given zeros (or row ``default_id``); ids of rank > 2 are looked up
    per leading position. Built as TF1 builds it (the lookup of ``embedding_column``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.constant([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    ...     ids = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([0, 2, -1], tf.int64),
    ...                           [3, 2])
    ...     print(tf.Session().run(tf.nn.safe_embedding_lookup_sparse(table, ids)))
    [[1.5 1. ]
     [0.  0. ]
     [0.  0. ]]
    """
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    embedding_weights = shards(embedding_weights)  # a partitioned variable: its parts
    if not embedding_weights:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    with name_scope(name, "embedding_lookup", [*embedding_weights, sparse_ids]) as scope:
        original_shape = sparse_ids.dense_shape
        rank_dim = tensor_shape.dimension_value(original_shape.shape[0])
        rank = rank_dim if rank_dim is not None else shape(original_shape)[0]
        sparse_ids = sparse_reshape(
            sparse_ids,
            [
                reduce_prod(slice_(original_shape, [0], [rank - 1])),
                gather(original_shape, rank - 1),
            ],
        )
        if sparse_weights is not None:
            sparse_weights = SparseTensor(
                sparse_ids.indices, sparse_weights.values, sparse_ids.dense_shape
            )
        valid = greater_equal(sparse_ids.values, 0)  # invalid ids (< 0) are dropped
        if sparse_weights is not None:
            valid = logical_and(valid, ones_like(sparse_weights.values, dtype=dtypes.bool))
        sparse_ids = sparse_retain(sparse_ids, valid)
        if sparse_weights is not None:
            sparse_weights = sparse_retain(sparse_weights, valid)
            if combiner != "sum":  # so are weights <= 0
                positive = greater(sparse_weights.values, 0)
                sparse_ids = sparse_retain(sparse_ids, positive)
                sparse_weights = sparse_retain(sparse_weights, positive)
        sparse_ids, is_row_empty = sparse_fill_empty_rows(sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(
            embedding_weights,
            sparse_ids,
            sparse_weights,
            partition_strategy=partition_strategy,
            combiner=combiner,
            name=None if default_id is None else scope,
            max_norm=max_norm,
        )
        if default_id is None:
            is_row_empty = tile(reshape(is_row_empty, [-1, 1]), stack([1, shape(result)[1]]))
            result = where(is_row_empty, zeros_like(result), result, name=scope)
        final = reshape(
            result,
            concat(
                [
                    slice_(cast(original_shape, dtypes.int32), [0], [rank - 1]),
                    slice_(shape(result), [1], [-1]),
                ],
                0,
            ),
        )
        leading = None if rank_dim is None else rank_dim - 1
        final.set_shape(tensor_shape.unknown_shape(leading).concatenate(result.shape[1:]))
        return final
