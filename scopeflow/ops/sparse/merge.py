"""``tf.sparse.expand_dims``, ``tf.sparse_merge`` and ``tf.sparse_to_indicator``: no op types of
their own; TF1 builds them from dense ops on the component tensors (slices, concats, a
``SparseReorder``, a ``SparseToDense``), and so does this module, op for op."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import fill, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.structure import sparse_reorder
from scopeflow.ops.sparse.tensor import SparseTensor, SparseTensorValue, as_sparse


@undo.atomic
def sparse_expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """``sp_input`` with a dimension of size 1 inserted at ``axis`` (-1, the innermost, by
    default; ``-rank - 1 <= axis <= rank``), as ``list.insert(axis, 1)`` places it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     sp = tf.SparseTensor([[3, 4, 1]], [7], [10, 10, 3])
    ...     tf.Session().run(tf.sparse.expand_dims(sp, axis=1)).dense_shape.tolist()
    [10, 1, 10, 3]
    """
    sp = as_sparse(sp_input)
    rank = tensor_shape.dimension_value(sp.dense_shape.shape[0])
    if rank is None:
        raise ValueError(
            "Cannot convert unknown Dimension ? to a Tensor: tf.sparse.expand_dims needs the "
            f"rank of sp_input at build time, and its dense_shape '{sp.dense_shape.name}' has "
            "shape [?]. Give the SparseTensor a dense_shape of known length."
        )
    axis = -1 if axis is None else axis
    with name_scope(name, "expand_dims", [sp.indices, sp.values, sp.dense_shape]):
        if isinstance(axis, numbers.Integral):
            axis = convert_to_tensor(axis, name="axis", dtype=dtypes.int32)
        elif not isinstance(axis, Tensor):
            raise TypeError(
                "axis must be an integer value in range [-rank(sp_input) - 1, rank(sp_input)], "
                f"got {type(axis).__name__} {axis!r}."
            )
        known = constant_value(axis)
        position = None if known is None else _position(int(known), rank)
        axis = where_v2(axis >= 0, axis, axis + rank + 1)
        column_size = shape(sp.indices)[0]
        new_index = zeros([column_size, 1], dtype=dtypes.int64)
        indices_before = slice_(sp.indices, [0, 0], [-1, axis])
        indices_after = slice_(sp.indices, [0, axis], [-1, -1])
        if position is not None:  # what TF's shape inference finds, evaluating the axis
            indices_before.set_shape([None, position])
            indices_after.set_shape([None, rank - position])
        indices = concat([indices_before, new_index, indices_after], axis=1)
        shape_before = slice_(sp.dense_shape, [0], [axis])
        shape_after = slice_(sp.dense_shape, [axis], [-1])
        if position is not None:
            shape_before.set_shape([position])
            shape_after.set_shape([rank - position])
        new_shape = convert_to_tensor([1], name="new_shape", dtype=dtypes.int64)
        dense_shape = concat([shape_before, new_shape, shape_after], axis=0)
        return SparseTensor(indices, sp.values, dense_shape)


def _position(axis: int, rank: int) -> int | None:
    """Where a constant ``axis`` inserts the new dimension; None below ``-rank - 1`` (TF
    leaves the shapes unknown and the run fails); past ``rank``, TF's build error."""
    position = axis if axis >= 0 else axis + rank + 1
    if position > rank:
        raise ValueError(
            f"Negative dimension size caused by subtracting {position} from {rank}: "
            f"tf.sparse.expand_dims' axis must be in [{-rank - 1}, {rank}] for a SparseTensor "
            f"of rank {rank}, got {axis}."
        )
    return None if position < 0 else position


def _is_size(value) -> bool:
    return isinstance(value, (Tensor, numbers.Integral))


def _merge(sp_ids, sp_values, vocab_size, name, already_sorted=False) -> SparseTensor:
    if isinstance(sp_ids, (SparseTensor, SparseTensorValue)):
        sp_ids = [sp_ids]
        if not _is_size(vocab_size):
            raise TypeError(
                f"vocab_size has to be a Tensor or Python int. Found {type(vocab_size)}"
            )
        vocab_size = [vocab_size]
    else:
        if not isinstance(sp_ids, Iterable):
            raise TypeError(
                f"sp_ids has to be a SparseTensor or list thereof. Found {type(sp_ids)}"
            )
        if not isinstance(vocab_size, Iterable):
            raise TypeError(
                f"vocab_size has to be a list of Tensors or Python ints. Found {type(vocab_size)}"
            )
        for dim in vocab_size:
            if not _is_size(dim):
                raise TypeError(
                    f"vocab_size has to be a list of Tensors or Python ints. Found {type(dim)}"
                )
        sp_ids, vocab_size = list(sp_ids), list(vocab_size)
    if len(sp_ids) != len(vocab_size):
        raise ValueError(
            "sp_ids and vocab_size have to have equal lengths. "
            f"Got {len(sp_ids)} sp_ids and {len(vocab_size)} vocab sizes."
        )
    with name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        sp_ids = [as_sparse(x) for x in sp_ids]
        sp_values = as_sparse(sp_values)
        ids = []
        for sp in sp_ids:
            ids_dim = sp.values
            if sp.dtype != dtypes.int64:
                ids_dim = cast(ids_dim, dtypes.int64)
            ids.append(expand_dims(ids_dim, axis=1))
        vocab_size = [cast(x, dtypes.int64) for x in vocab_size]
        kept_columns = sp_ids[0].indices[:, :-1]
        new_indices = concat([kept_columns, *ids], 1)
        new_shape = concat([sp_ids[0].dense_shape[:-1], vocab_size], 0)
        result = SparseTensor(new_indices, sp_values.values, new_shape)
        if already_sorted:
            return result
        ordered = sparse_reorder(result)
        return SparseTensor(ordered.indices, ordered.values, new_shape)


@undo.atomic
def sparse_merge(sp_ids, sp_values, vocab_size, name=None, already_sorted=False):
    """One ``SparseTensor`` from a batch of feature ids and their values (as
    ``tf.parse_example`` gives them): ``sp_ids``' indices with the last column replaced by its
    values (the ids; with a list of ``sp_ids``, one column each), ``sp_values``' values, and
    a last dimension of ``vocab_size`` (a list, with a list of ``sp_ids``). Entries are put in
    row-major order unless ``already_sorted``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     ids = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], [4, 3, 1], [2, 2])
    ...     values = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], [0.5, 1.5, 2.5], [2, 2])
    ...     merged = tf.Session().run(tf.sparse_merge(ids, values, vocab_size=6))
    ...     merged.indices.tolist(), merged.values.tolist(), merged.dense_shape.tolist()
    ([[0, 4], [1, 1], [1, 3]], [0.5, 2.5, 1.5], [2, 6])
    """
    return _merge(sp_ids, sp_values, vocab_size, name, already_sorted)


@undo.atomic
def sparse_to_indicator(sp_input, vocab_size, name=None) -> Tensor:
    """A dense bool tensor, true where an id of ``sp_input`` (int32 or int64 values, row-major
    order; repeats allowed) is: ``sp_input``'s dense shape with its last dimension replaced by
    ``vocab_size``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     ids = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], [2, 0, 3], [2, 2])
    ...     print(tf.Session().run(tf.sparse_to_indicator(ids, vocab_size=4)))
    [[False False  True False]
     [ True False False  True]]
    """
    sp = as_sparse(sp_input)
    with name_scope(name, "SparseToIndicator", [sp.indices, sp.values, sp.dense_shape]) as scope:
        num_entries = shape(sp.indices)[0]
        new_values = fill(expand_dims(num_entries, 0), True)
        sp_values = SparseTensor(sp.indices, new_values, sp.dense_shape)
        merged = _merge(sp, sp_values, vocab_size, scope)
        # Repeated ids give repeated indices: TF1 turns validate_indices off for them.
        return sparse_tensor_to_dense(
            merged, default_value=False, validate_indices=False, name=scope
        )


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["sparse_merge", "sparse_to_indicator"]
