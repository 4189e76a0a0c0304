"""``tf.contrib.seq2seq``'s beam bookkeeping: ``tile_batch`` (each row repeated ``multiplier``
times, for the memory and initial state of a beam search) and ``gather_tree`` (the final ids
read back along the parent pointers), as TF 1.15's.

``gather_tree`` is built from standard ops (a reversed ``tf.scan``) where TF1 runs its contrib
``GatherTree`` kernel: the same values, other op names.
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import fill, reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, ones_like
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.functional import scan
from scopeflow.ops.math.elementwise import equal, greater, less, minimum
from scopeflow.ops.math.reduction import cumsum, reduce_max
from scopeflow.ops.math.selection import where
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.math.sequence import sequence_mask


def _tile_batch(t, multiplier):
    t = convert_to_tensor(t, name="t")
    shape_t = shape(t)
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    batch = tensor_shape.dimension_value(t.shape[0])
    tiled = tile(expand_dims(t, 1), tiling)
    tiled = reshape(tiled, concat(([shape_t[0] * multiplier], shape_t[1:]), 0))
    tiled.set_shape(
        tensor_shape.TensorShape([batch * multiplier if batch is not None else None]).concatenate(
            t.shape[1:]
        )
    )
    return tiled


def tile_batch(t, multiplier, name=None):
    """Each row of ``t`` (a nested structure of ``[batch, ...]`` tensors) repeated
    ``multiplier`` times in place: ``[batch * multiplier, ...]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tiled = tf.contrib.seq2seq.tile_batch(tf.constant([[1], [2]]), 2)
    ...     print(tf.Session().run(tiled).tolist())
    [[1], [1], [2], [2]]

    Raises:
        ValueError: a tensor of unknown rank.
    """
    flat_t = nest.flatten(t)
    with name_scope(name, "tile_batch", flat_t + [multiplier]):
        return nest.map_structure(lambda t_: _tile_batch(t_, multiplier), t)


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """The ids of each final beam ``[max_time, batch, beam_width]``, read back from
    ``step_ids`` along ``parent_ids`` over each row's ``max_sequence_lengths`` steps;
    ``end_token`` past those steps and after a beam's first ``end_token``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     ids = tf.contrib.seq2seq.gather_tree(
    ...         [[[1, 2]], [[3, 4]], [[5, 6]]], [[[0, 0]], [[1, 0]], [[1, 0]]], [3], 9)
    ...     print(tf.Session().run(ids)[:, 0].T.tolist())
    [[1, 4, 5], [2, 3, 6]]
    """
    with name_scope(name, "GatherTree", [step_ids, parent_ids, max_sequence_lengths]):
        step_ids = convert_to_tensor(step_ids, dtype=dtypes.int32, name="step_ids")
        parent_ids = convert_to_tensor(parent_ids, dtype=dtypes.int32, name="parent_ids")
        lengths = convert_to_tensor(max_sequence_lengths, dtype=dtypes.int32)
        end_token = convert_to_tensor(end_token, dtype=dtypes.int32, name="end_token")
        for what, t, rank in (("step_ids", step_ids, 3), ("parent_ids", parent_ids, 3),
                              ("max_sequence_lengths", lengths, 1)):  # fmt: skip
            if t.shape.ndims not in (None, rank):
                raise ValueError(f"{what} must be a {rank}-tensor, got shape {t.shape}")
        dims = shape(step_ids)
        max_time, batch, beam = dims[0], dims[1], dims[2]
        lengths = expand_dims(minimum(lengths, max_time), 1)
        beams = tile(expand_dims(range_(beam), 0), stack([batch, 1]))
        rows = tile(expand_dims(range_(batch), 1), stack([1, beam]))
        end = fill(stack([batch, beam]), end_token)

        def back(carry, elems):
            parent, _ = carry
            ids_t, parents_t, t = elems
            current = where(equal(t, lengths - 1) & ones_like(parent, dtypes.bool), beams, parent)
            index = stack([rows, current], -1)
            valid = less(t, lengths) & ones_like(parent, dtypes.bool)
            return (
                where(valid, gather_nd(parents_t, index), parent),
                where(valid, gather_nd(ids_t, index), end),
            )

        _, traced = scan(
            back, (step_ids, parent_ids, range_(max_time)), initializer=(beams, end), reverse=True
        )
        after_end = greater(
            cumsum(cast(equal(traced, end_token), dtypes.int32), 0, exclusive=True), 0
        )
        return where(after_end, fill(shape(traced), end_token), traced)


def gather_tree_from_array(t, parent_ids, sequence_length):
    """``t`` ``[max_time, batch * beam_width, ...]`` (a stacked TensorArray of the cell's
    state) reordered along the final beams' ancestry, as ``gather_tree`` reorders the ids."""
    max_time, batch_size, beam_width = (_dim(parent_ids, i) for i in range(3))
    beam_ids = expand_dims(expand_dims(range_(beam_width), 0), 0)
    beam_ids = tile(beam_ids, stack([max_time, batch_size, 1]))
    max_sequence_lengths = cast(reduce_max(sequence_length, axis=1), dtypes.int32)
    sorted_beam_ids = gather_tree(beam_ids, parent_ids, max_sequence_lengths, beam_width + 1)
    in_bound_steps = transpose(sequence_mask(sequence_length, maxlen=max_time), perm=[2, 0, 1])
    sorted_beam_ids = where(in_bound_steps, sorted_beam_ids, beam_ids)
    time_ind = tile(reshape(range_(max_time), [-1, 1, 1]), stack([1, batch_size, beam_width]))
    batch_ind = tile(reshape(range_(batch_size), [-1, 1, 1]), stack([1, max_time, beam_width]))
    batch_ind = transpose(batch_ind, perm=[1, 0, 2])
    indices = stack([time_ind, batch_ind, sorted_beam_ids], -1)
    final_shape = shape(t)
    gather_from = reshape(t, stack([max_time, batch_size, beam_width, -1]))
    return reshape(gather_nd(gather_from, indices), final_shape)


def _dim(tensor, axis: int):
    static = tensor_shape.dimension_value(tensor.shape[axis])
    return static if static is not None else shape(tensor)[axis]
