"""What the feature columns build on: ``_LazyBuilder`` (each raw feature read once, each column
transformed once per model) and dense features as sparse ids (``to_sparse_input``), under
TF's names; their embedding lookup is ``ops/sparse/safe_embedding.py``."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.join import tile
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math.elementwise import not_equal
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.sparse.structure import sparse_reshape
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
