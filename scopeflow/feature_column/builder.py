"""What the feature columns build on: ``_LazyBuilder`` (each raw feature read once, each column
transformed once per model), dense features as sparse ids (``to_sparse_input``), and
``safe_embedding_lookup_sparse``, the lookup ``embedding_column`` and ``linear_model`` make,
under TF's names."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, gather_nd
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math.elementwise import greater_equal, not_equal
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.math.selection import where, where_v2
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.sparse.segment import embedding_lookup_sparse
from scopeflow.ops.sparse.structure import sparse_fill_empty_rows, sparse_reshape, sparse_retain
from scopeflow.ops.sparse.tensor import SparseTensor, convert_to_tensor_or_sparse_tensor


class _LazyBuilder:
    """The features of one model call: a string key gives its raw feature (rank 1 made rank
    2), a column gives its transformed feature, each built once."""

    def __init__(self, features: dict):
        self._features = dict(features)
        self._feature_tensors: dict = {}

    def get(self, key):
        if key in self._feature_tensors:
            return self._feature_tensors[key]
        if isinstance(key, str):
            if key not in self._features:
                raise ValueError(f"Feature {key} is not in features dictionary.")
            tensor = self._raw_feature(key)
        elif hasattr(key, "_transform_feature"):
            tensor = key._transform_feature(self)
            if tensor is None:
                raise ValueError(f"Column {key.name} is not supported.")
        else:
            raise TypeError(f'"key" must be either a "str" or "_FeatureColumn". Provided: {key}')
        self._feature_tensors[key] = tensor
        return tensor

    def _raw_feature(self, key: str):
        tensor = convert_to_tensor_or_sparse_tensor(self._features[key])
        rank = tensor.shape.ndims
        if rank is None:
            raise NotImplementedError(
                f"Feature (key: {key}) has an unknown rank: give it a static rank (2, or 1 for "
                "one value per example) with set_shape"
            )
        if rank == 0:
            raise ValueError(f"Feature (key: {key}) cannot have rank 0. Given: {tensor}")
        if rank != 1:
            return tensor
        if isinstance(tensor, SparseTensor):
            return sparse_reshape(tensor, [shape(tensor)[0], 1])
        return expand_dims(tensor, -1)


def to_sparse_input(tensor, ignore_value=None):
    """A dense feature as a SparseTensor without its ``ignore_value`` cells ('' for strings,
    -1 for integers); a SparseTensor stays as it is."""
    tensor = convert_to_tensor_or_sparse_tensor(tensor)
    if isinstance(tensor, SparseTensor):
        return tensor
    with name_scope(None, "to_sparse_input", (tensor, ignore_value)):
        if ignore_value is None:
            if tensor.dtype == dtypes.string:
                ignore_value = ""
            elif tensor.dtype.is_integer:
                ignore_value = -1  # a missing feature
            else:
                ignore_value = tensor.dtype.as_numpy_dtype()
        ignore_value = cast(ignore_value, tensor.dtype, name="ignore_value")
        indices = where_v2(not_equal(tensor, ignore_value), name="indices")
        return SparseTensor(
            indices=indices,
            values=gather_nd(tensor, indices, name="values"),
            dense_shape=shape(tensor, out_type=dtypes.int64, name="dense_shape"),
        )


def bucket_ids(buckets, column):
    """A bucketized column's ``[batch, dims]`` buckets as sparse ids, each dimension's
    buckets after the previous dimension's."""
    batch_size = shape(buckets)[0]
    dims = column.source_column.shape[0]
    i1 = reshape(tile(expand_dims(range_(0, batch_size), 1), [1, dims]), (-1,))
    i2 = tile(range_(0, dims), [batch_size])
    ids = reshape(buckets, (-1,)) + (len(column.boundaries) + 1) * i2
    indices = cast(transpose(stack((i1, i2))), dtypes.int64)
    dense_shape = cast(stack([batch_size, dims]), dtypes.int64)
    return SparseTensor(indices=indices, values=ids, dense_shape=dense_shape)


def safe_embedding_lookup_sparse(
    embedding_weights,
    sparse_ids,
    sparse_weights=None,
    combiner="mean",
    default_id=None,
    name=None,
):
    """Rows of ``embedding_weights`` combined per example as ``embedding_lookup_sparse``
    does, with invalid ids (< 0) and, unless summing, non-positive weights dropped, and
    examples without ids given zeros (or row ``default_id``). Ids of rank > 2 are looked up
    per leading position."""
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    with name_scope(name, "embedding_lookup", [embedding_weights, sparse_ids]) as scope:
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
        valid = greater_equal(sparse_ids.values, 0)
        sparse_ids = sparse_retain(sparse_ids, valid)
        if sparse_weights is not None:
            sparse_weights = sparse_retain(sparse_weights, valid)
            if combiner != "sum":
                positive = sparse_weights.values > 0
                sparse_ids = sparse_retain(sparse_ids, positive)
                sparse_weights = sparse_retain(sparse_weights, positive)
        sparse_ids, is_row_empty = sparse_fill_empty_rows(sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(
            embedding_weights,
            sparse_ids,
            sparse_weights,
            combiner=combiner,
            name=None if default_id is None else scope,
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
