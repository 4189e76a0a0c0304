"""``tf.sparse.eye`` (an identity matrix as a ``SparseTensor``) and ``tf.sparse.mask``
(``tf.sparse_mask``: the rows of ``IndexedSlices`` whose indices are not masked), built from
other ops as TF builds them."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import ones, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.unique import setdiff1d
from scopeflow.ops.math.elementwise import minimum
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.sparse.tensor import SparseTensor


def _int64(value, name: str):
    if isinstance(value, int) and not isinstance(value, bool):
        return convert_to_tensor(value, dtype=dtypes.int64, name=name)
    if not isinstance(value, Tensor):
        raise TypeError(f"{name} must be an integer value")
    return value if value.dtype.base_dtype == dtypes.int64 else cast(value, dtypes.int64)


@undo.atomic
def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """A ``[num_rows, num_columns]`` ``SparseTensor`` with ones on the diagonal.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.sparse.to_dense(tf.sparse.eye(2, 3))))
    [[1. 0. 0.]
     [0. 1. 0.]]
    """
    with name_scope(name, default_name="eye", values=[num_rows, num_columns]):
        num_rows = _int64(num_rows, "num_rows")
        num_columns = num_rows if num_columns is None else _int64(num_columns, "num_columns")
        diag_size = minimum(num_rows, num_columns)
        diag_range = range_(diag_size, dtype=dtypes.int64)
        return SparseTensor(
            indices=stack([diag_range, diag_range], axis=1),
            values=ones(diag_size, dtype=dtype),
            dense_shape=[num_rows, num_columns],
        )


@undo.atomic
def sparse_mask(a, mask_indices, name=None):
    """The slices of ``a`` (``IndexedSlices``) whose indices are not in ``mask_indices``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 4, 7]))
    ...     kept = tf.sparse.mask(a, [4])
    ...     print(tf.Session().run([kept.indices, kept.values]))
    [array([0, 7], dtype=int32), array([[1.],
           [3.]], dtype=float32)]
    """
    with name_scope(name, "sparse_mask", [a, mask_indices]) as name:
        indices = a.indices
        out_indices, to_gather = setdiff1d(indices, mask_indices)
        out_values = gather(a.values, to_gather, name=name)
        return IndexedSlices(out_values, out_indices, a.dense_shape)


__all__ = ["eye", "sparse_mask"]
