"""``tf.sparse``: ``SparseTensor`` and the ops on sparse tensors, under TF1's short names
(``tf.sparse.to_dense`` is ``tf.sparse_tensor_to_dense``)."""

from __future__ import annotations

from scopeflow.ops.control.sparse_reset_shape import sparse_reset_shape as reset_shape
from scopeflow.ops.data_flow.accumulators import SparseConditionalAccumulator
from scopeflow.ops.sparse.combine import sparse_add as add
from scopeflow.ops.sparse.combine import sparse_concat as concat
from scopeflow.ops.sparse.combine import sparse_reduce_sum as reduce_sum
from scopeflow.ops.sparse.combine import sparse_reduce_sum_sparse as reduce_sum_sparse
from scopeflow.ops.sparse.count import sparse_bincount as bincount
from scopeflow.ops.sparse.cross import sparse_cross as cross
from scopeflow.ops.sparse.cross import sparse_cross_hashed as cross_hashed
from scopeflow.ops.sparse.dense import from_dense
from scopeflow.ops.sparse.dense import sparse_tensor_dense_matmul as matmul
from scopeflow.ops.sparse.dense import sparse_tensor_dense_matmul as sparse_dense_matmul
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense as to_dense
from scopeflow.ops.sparse.extrema import sparse_maximum as maximum
from scopeflow.ops.sparse.extrema import sparse_minimum as minimum
from scopeflow.ops.sparse.extrema import sparse_reduce_max as reduce_max
from scopeflow.ops.sparse.extrema import sparse_reduce_max_sparse as reduce_max_sparse
from scopeflow.ops.sparse.extrema import sparse_softmax as softmax
from scopeflow.ops.sparse.extrema import sparse_split as split
from scopeflow.ops.sparse.eye_mask import eye
from scopeflow.ops.sparse.eye_mask import sparse_mask as mask
from scopeflow.ops.sparse.merge import sparse_expand_dims as expand_dims
from scopeflow.ops.sparse.merge import sparse_merge as merge
from scopeflow.ops.sparse.merge import sparse_to_indicator as to_indicator
from scopeflow.ops.sparse.segment import sparse_segment_mean as segment_mean
from scopeflow.ops.sparse.segment import sparse_segment_sqrt_n as segment_sqrt_n
from scopeflow.ops.sparse.segment import sparse_segment_sum as segment_sum
from scopeflow.ops.sparse.structure import sparse_fill_empty_rows as fill_empty_rows
from scopeflow.ops.sparse.structure import sparse_reorder as reorder
from scopeflow.ops.sparse.structure import sparse_reshape as reshape
from scopeflow.ops.sparse.structure import sparse_retain as retain
from scopeflow.ops.sparse.structure import sparse_slice as slice  # noqa: A004
from scopeflow.ops.sparse.structure import sparse_transpose as transpose
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ops.sparse.tensor import sparse_placeholder as placeholder

__all__ = [
    "SparseConditionalAccumulator",
    "SparseTensor",
    "add",
    "bincount",
    "concat",
    "cross",
    "cross_hashed",
    "expand_dims",
    "eye",
    "fill_empty_rows",
    "from_dense",
    "mask",
    "matmul",
    "maximum",
    "merge",
    "minimum",
    "placeholder",
    "reduce_max",
    "reduce_max_sparse",
    "reduce_sum",
    "reduce_sum_sparse",
    "reorder",
    "reset_shape",
    "reshape",
    "retain",
    "segment_mean",
    "segment_sqrt_n",
    "segment_sum",
    "slice",
    "softmax",
    "sparse_dense_matmul",
    "split",
    "to_dense",
    "to_indicator",
    "transpose",
]
