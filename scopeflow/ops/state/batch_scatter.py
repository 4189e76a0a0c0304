"""``tf.batch_scatter_update``: ``scatter_update`` along the last index axis of a batch of
index rows, built as TF1 builds it (``ScatterNdUpdate`` on coordinates made from ranges over
the leading dimensions)."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, ones_like
from scopeflow.ops.core.build import range_of
from scopeflow.ops.state.scatter import scatter_nd_update


@undo.atomic
def batch_scatter_update(ref, indices, updates, use_locking=True, name=None):
    """Sets ``ref[i..., indices[i..., j], ...] = updates[i..., j, ...]`` for the leading
    (batch) dimensions ``i...`` of ``indices``; returns ``ref`` after the update.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    ...     sess.run(v.initializer)
    ...     print(sess.run(tf.batch_scatter_update(v, [[0], [2]], [[9.0], [8.0]])))
    [[9. 2. 3.]
     [4. 5. 8.]]
    """
    with name_scope(name):
        indices = convert_to_tensor(indices, name="indices")
        indices_shape = array_ops.shape(indices)
        rank = indices.shape.ndims
        if rank is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        nd_indices = expand_dims(indices, axis=-1)
        coordinates = []
        for dimension in range(rank - 1):
            size = indices_shape[dimension]
            broadcast = [1] * (rank + 1)
            broadcast[dimension] = size
            positions = array_ops.reshape(range_of(0, size, 1, name="Range"), broadcast)
            if positions.dtype.base_dtype != nd_indices.dtype.base_dtype:
                positions = cast(positions, nd_indices.dtype)
            coordinates.append(positions * ones_like(nd_indices))
        coordinates.append(nd_indices)
        final_indices = concat(coordinates, axis=-1)
        return scatter_nd_update(ref, final_indices, updates, use_locking=use_locking)


__all__ = ["batch_scatter_update"]
