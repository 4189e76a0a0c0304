"""``GatherV2``'s gradient, built as TF 2.21 builds it.

Along axis 0 (without batch dimensions): an ``IndexedSlices`` of ``grad``'s rows at the
flattened indices. Along another axis, or with ``batch_dims``: the gathered axis is moved
first (after the batch axes) by a ``Transpose`` whose permutation is computed from the
params' shape and the op's ``axis`` tensor (``Range``/``ConcatV2`` ops), the rows are summed
into place by an ``UnsortedSegmentSum`` (batch entries offset into one segment space), moved
back, and reshaped to the params' shape.
"""

from __future__ import annotations

from scopeflow.framework import tensor_shape
from scopeflow.framework.constant import constant
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.array.basic import ones, reshape, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims, rank, size
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import apply_op, constant_value


def gather_v2_grad(op, grad):
    params, indices, axis = op.inputs
    with params.graph.colocate_with(params):
        params_shape = shape(params)
    indices_size = expand_dims(size(indices), 0)
    batch_dims = int(op.get_attr("batch_dims"))
    if batch_dims < 0:
        if indices.shape.ndims is None:
            raise ValueError(
                "Currently, it is unsupported to take the gradient of tf.gather when "
                "batch_dims < 0 and the rank of the indices is unknown. Please pass a positive "
                "batch_dims or use tf.ensure_shape to update the shape of indices when calling "
                f"tf.gather. Got batch_dims={batch_dims} and indices={indices}"
            )
        batch_dims += indices.shape.ndims
    if _is_zero(constant_value(axis)):
        values = reshape(grad, concat([indices_size, params_shape[1:]], 0))
        flat_indices = reshape(indices, indices_size)
        # The static shapes TF infers by folding Size and ExpandDims.
        flat_indices.set_shape([indices.shape.num_elements()])
        values.set_shape(flat_indices.shape.concatenate(params.shape[1:]))
        return [IndexedSlices(values, flat_indices, params_shape), None, None]
    outer_shape = params_shape[:axis]
    inner_shape = params_shape[axis:][1:]
    values_shape = concat([outer_shape, [-1], inner_shape], 0)
    values_dims = size(values_shape)
    axis_dims = size(outer_shape)
    outer_batches = build.range_of(0, batch_dims, 1)
    batch_axes = build.range_of(batch_dims, axis_dims, 1)
    inner_axes = build.range_of(axis_dims + 1, values_dims, 1)
    values = reshape(grad, values_shape)
    # The gathered axis moved right after the batch axes, and back afterwards.
    perm = concat([outer_batches, [axis_dims], batch_axes, inner_axes], 0)
    moved = transpose(values, perm)
    moved_shape = _gather(params_shape, perm)
    summed = _scatter_rows(moved_shape, moved, indices, batch_dims, params_shape[axis])
    axis_value = constant_value(axis)
    if not batch_dims and axis_value is not None and params.shape.is_fully_defined():
        rows = params.shape[int(axis_value)]  # TF's shape inference folds params_shape[axis]
        summed.set_shape(tensor_shape.TensorShape([rows]).concatenate(moved.shape[1:]))
    back = concat([outer_batches, batch_axes + 1, [batch_dims], inner_axes], 0)
    # As TF: the reshape keeps shapes right when a dimension is zero.
    return [reshape(transpose(summed, back), shape(params)), None, None]


def _is_zero(value) -> bool:
    return value is not None and value.ndim == 0 and int(value) == 0


def _gather(params, indices):
    with name_scope(None, "GatherV2", [params, indices]) as scope:
        axis = constant(0, name="axis")
        return apply_op("GatherV2", [params, indices, axis], {"batch_dims": 0}, name=scope)


def _unsorted_segment_sum(data, ids, num):
    with name_scope(None, "UnsortedSegmentSum", [data, ids, num]) as scope:
        return apply_op("UnsortedSegmentSum", [data, ids, num], name=scope)


def _scatter_rows(params_shape, values, indices, batch_dims: int, gather_dim_size):
    """The rows of ``values`` (gathered axis first after the batch axes) summed at
    ``indices`` into ``gather_dim_size`` rows per batch entry."""
    indices_size = expand_dims(size(indices), 0)
    if batch_dims:
        values_shape = shape(values)
        outer_shape = values_shape[:batch_dims]
        inner_shape = values_shape[batch_dims:][1:]
        with name_scope(None, "Prod", [outer_shape]) as scope:
            axes = constant([0], name="reduction_indices")
            batch_size = apply_op("Prod", [outer_shape, axes], {"keep_dims": False}, name=scope)
        flat_values_shape = concat([[-1], inner_shape], 0)
        gather_dim_size *= batch_size
        indices = _batch_indices(params_shape, indices, batch_dims)
        values = reshape(values, flat_values_shape)
    indices = reshape(indices, indices_size)
    summed = _unsorted_segment_sum(values, indices, gather_dim_size)
    if batch_dims:
        summed = reshape(summed, concat([outer_shape, flat_values_shape], 0))
    return summed


def _batch_indices(params_shape, indices, batch_dims: int):
    """``indices`` offset by each batch entry's first row in the flattened batch axes."""
    dtype = indices.dtype.base_dtype
    shape_as_indices = cast(params_shape, dtype)
    stride = ones((), dtype=dtype)
    for dim in range(batch_dims, 0, -1):
        dim_value = shape_as_indices[dim - 1]
        stride *= shape_as_indices[dim]
        start, step = zeros((), dtype=dtype), ones((), dtype=dtype)
        offsets = build.range_of(start, dim_value, step) * stride
        dim_shape = concat(
            [tile([1], [dim - 1]), [dim_value], tile([1], [rank(indices) - dim])], axis=0
        )
        indices += reshape(offsets, dim_shape)
    return indices


__all__ = ["gather_v2_grad"]
