"""Indexing by index tensors: ``gather``, ``gather_nd``, ``one_hot`` and ``boolean_mask``;
their gradients' scatter-adds, and ``IndexedSlices`` made dense (``tf.convert_to_tensor``)."""

from __future__ import annotations

import warnings

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import (
    constant,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from scopeflow.framework.error_text import scatter_shapes_text, shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import check_scatter_nd_shapes, check_segment_ids_shape
from scopeflow.ops.array.basic import ones, reshape, shape
from scopeflow.ops.array.gather_grad import gather_v2_grad
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import ones_like, rank, squeeze, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    constant_value,
    int_operand,
    shape_value,
)

TensorShape = tensor_shape.TensorShape

_GATHER_INDEX = (dtypes.int16, *INDEX)


def _first_bad(bad) -> tuple[int, ...]:
    """The position of the first ``True`` in a boolean array (``()`` for a scalar)."""
    return () if bad.ndim == 0 else tuple(int(i) for i in np.argwhere(bad)[0])


def _position(pos: tuple[int, ...]) -> str:
    return "[" + ",".join(str(i) for i in pos) + "]" if pos else ""


# -- gather -------------------------------------------------------------------------------


def _gather_infer(inputs, attrs):
    params, indices, axis_t = inputs
    check_dtype_in("GatherV2", "indices", indices, _GATHER_INDEX)
    check_dtype_in("GatherV2", "axis", axis_t, INDEX)
    dtype = params.dtype.base_dtype
    if axis_t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {axis_t.shape.ndims}")
    axis = constant_value(axis_t)
    p_rank, i_rank = params.shape.ndims, indices.shape.ndims
    if axis is not None and p_rank is not None:
        axis = int(axis)
        if not -p_rank <= axis < p_rank:
            raise ValueError(
                f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is rank "
                f"{p_rank}"
            )
    if p_rank is None or i_rank is None:
        return [(dtype, tensor_shape.unknown_shape())]
    b = attrs.get("batch_dims", 0)
    if b > i_rank:
        raise ValueError(f"Shape must be at least rank {b} but is rank {i_rank}")
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(p_rank - 1 + i_rank - b))]
    dims = params.shape.as_list()
    axis %= p_rank
    kept = indices.shape.as_list()[b:]
    return [(dtype, TensorShape(dims[:axis] + kept + dims[axis + 1 :]))]


def _check_indices(indices, limit: int) -> None:
    """TF's out-of-range error for gather indices outside ``[0, limit)``."""
    bad = (indices < 0) | (indices >= limit)
    if bad.any():
        pos = _first_bad(bad)
        raise ValueError(f"indices{_position(pos)} = {int(indices[pos])} is not in [0, {limit})")


def _gather_kernel(ctx, op, params, indices, axis):
    rank = ctx.xp.ndim(params)
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(f"Expected axis in the range [{-rank}, {rank}), but got {axis}")
    _check_indices(indices, ctx.xp.shape(params)[axis])
    b = op._attrs.get("batch_dims", 0)
    if b == 0:
        return ctx.xp.take(params, indices, axis=axis % rank)
    # each batch entry (the first b dimensions, shared) gathers from its own params slice
    batch = np.shape(params)[:b]
    flat_p = np.reshape(params, (-1, *np.shape(params)[b:]))
    flat_i = np.reshape(indices, (-1, *np.shape(indices)[b:]))
    rows = [np.take(p, i, axis=axis % rank - b) for p, i in zip(flat_p, flat_i, strict=True)]
    return np.stack(rows).reshape(*batch, *np.shape(rows[0]))


register_op("GatherV2", _gather_infer, kernel=_gather_kernel, grad=gather_v2_grad)


@undo.atomic
def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Slices of ``params`` along ``axis`` (default 0) at ``indices``.

    Indices out of ``[0, params.shape[axis])`` fail the run with ``InvalidArgumentError``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     table = tf.placeholder(tf.float32, (10, 4))
    ...     rows = tf.gather(table, tf.placeholder(tf.int32, (None, 5)))
    >>> rows.op.type, rows.shape.as_list()
    ('GatherV2', [None, 5, 4])
    """
    if getattr(params, "_is_resource", False) and (batch_dims if axis is None else axis) == 0:
        return params.sparse_read(indices, name=name)  # TF's ResourceGather
    with name_scope(name, "GatherV2", [params, indices]) as scope:
        params = convert_to_tensor(params, name="params")
        indices = int_operand(indices, "indices")
        # TF's default axis is batch_dims as given: -1 is params' last axis
        axis = int_operand(batch_dims if axis is None else axis, "axis")
        if batch_dims < 0 and indices.shape.ndims is not None:
            batch_dims += indices.shape.ndims
        known = constant_value(axis)
        if batch_dims and (
            known is None or int(known) % max(params.shape.ndims or 1, 1) < batch_dims
        ):
            raise NotImplementedError(
                "tf.gather with batch_dims needs a constant axis at or after the batch dimensions"
            )
        attrs = {"batch_dims": int(batch_dims)}
        return apply_op("GatherV2", [params, indices, axis], attrs, name=scope)


# -- gather_nd ----------------------------------------------------------------------------


def _gather_nd_infer(inputs, attrs):
    params, indices = inputs
    check_dtype_in("GatherNd", "indices", indices, _GATHER_INDEX)
    dtype = params.dtype.base_dtype
    if indices.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if indices.shape.ndims is None or indices.shape[-1].value is None:
        return [(dtype, tensor_shape.unknown_shape())]
    depth = indices.shape[-1].value
    if params.shape.ndims is not None and depth > params.shape.ndims:
        raise ValueError(
            "indices.shape[-1] must be <= params.rank, but saw indices shape: "
            f"{shape_str(indices.shape)} and params shape: {shape_str(params.shape)}"
        )
    if params.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    out = indices.shape.as_list()[:-1] + params.shape.as_list()[depth:]
    return [(dtype, TensorShape(out))]


def _gather_nd_kernel(ctx, op, params, indices):
    xp = ctx.xp
    dims = xp.shape(params)
    depth = xp.shape(indices)[-1]
    if depth > len(dims):
        raise ValueError(
            f"index innermost dimension length must be <= params rank; saw: {depth} vs. {len(dims)}"
        )
    bad = ((indices < 0) | (indices >= xp.asarray(dims[:depth], dtype=np.int64))).any(axis=-1)
    if bad.any():
        pos = _first_bad(bad)
        entries = ", ".join(str(int(v)) for v in indices[pos])
        raise ValueError(
            f"indices{_position(pos)} = [{entries}] does not index into param shape "
            f"{shape_str(dims)}, node name: {op.name}"
        )
    if depth == 0:
        out_shape = xp.shape(indices)[:-1] + tuple(dims)
        return xp.broadcast_to(params, out_shape).copy()
    out = params[tuple(xp.moveaxis(indices, -1, 0))]
    return out if isinstance(out, xp.ndarray) else xp.asarray(out, dtype=params.dtype)


def _gather_nd_grad(op, grad):
    """A ``ScatterNd`` of ``grad``; for ``[n, 1]`` indices (whole rows) the rows as an
    IndexedSlices, as TF's."""
    params, indices = op.inputs
    out_type = dtypes.int64 if indices.dtype.base_dtype == dtypes.int64 else dtypes.int32
    params_shape = shape(params, out_type=out_type)
    if indices.shape.ndims == 2 and indices.shape[-1].value == 1:
        return [IndexedSlices(grad, squeeze(indices, axis=-1), params_shape), None]
    return [scatter_nd(indices, grad, params_shape), None]


register_op("GatherNd", _gather_nd_infer, kernel=_gather_nd_kernel, grad=_gather_nd_grad)


def _batch_gather_nd(params, indices, batch_dims: int, name):
    """``gather_nd`` within each of the leading ``batch_dims`` dimensions ``params`` and
    ``indices`` share, as TF's ``BatchGatherND`` computes it: those dimensions flattened into
    one, each multi-index prefixed by its batch position, one ``GatherNd``, then the batch
    dimensions restored."""
    with name_scope(name, "BatchGatherND", [params, indices]):
        params = convert_to_tensor(params, name="params")
        indices = int_operand(indices, "indices")
        rank = indices.shape.ndims
        if rank is not None and batch_dims >= rank:
            raise ValueError(
                f"Argument `batch_dims` = {batch_dims} must be less than rank(`indices`) = {rank}"
            )
        kind = indices.dtype.base_dtype
        params_shape, indices_shape = shape(params, out_type=kind), shape(indices, out_type=kind)
        flat_params = reshape(params, concat([[-1], params_shape[batch_dims:]], 0))
        flat_indices = reshape(indices, concat([[-1], indices_shape[batch_dims:]], 0))
        count, inner = shape(flat_indices, out_type=kind)[:1], indices_shape[batch_dims:-1]
        positions = build.range_of(constant(0, kind), count[0], constant(1, kind))
        positions = reshape(positions, concat([count, ones_like(inner), [1]], 0))
        positions = tile(positions, concat([[1], inner, [1]], 0))
        found = apply_op("GatherNd", [flat_params, concat([positions, flat_indices], -1)])
        out = reshape(
            found, concat([params_shape[:batch_dims], shape(found, out_type=kind)[1:]], 0)
        )
        if params.shape.ndims is not None and rank is not None and indices.shape[-1].value:
            batch = params.shape[:batch_dims].merge_with(indices.shape[:batch_dims])
            depth = batch_dims + indices.shape[-1].value
            out.set_shape(
                batch.concatenate(indices.shape[batch_dims:-1]).concatenate(params.shape[depth:])
            )
        return out


@undo.atomic
def gather_nd(params, indices, name=None, batch_dims=0):
    """Slices of ``params`` at the multi-indices in the last dimension of ``indices``
    (within each of the leading ``batch_dims`` dimensions the two share)."""
    batch_dims = int(batch_dims)
    if batch_dims < 0:
        raise ValueError("tf.gather_nd does not allow negative batch_dims.")
    if batch_dims:
        return _batch_gather_nd(params, indices, batch_dims, name)
    with name_scope(name, "GatherNd", [params, indices]) as scope:
        params = convert_to_tensor(params, name="params")
        indices = int_operand(indices, "indices")
        return apply_op("GatherNd", [params, indices], name=scope)


# -- scatter-adds: the gradients of gather and gather_nd ---------------------------------


def _segment_sum_infer(inputs, attrs):
    data, ids, num_t = inputs
    check_dtype_in("UnsortedSegmentSum", "segment_ids", ids, _GATHER_INDEX)
    check_dtype_in("UnsortedSegmentSum", "num_segments", num_t, INDEX)
    if num_t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {num_t.shape.ndims}")
    dtype = data.dtype.base_dtype
    num = constant_value(num_t)
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    k = ids.shape.ndims
    check_segment_ids_shape(data.shape, ids.shape)
    dims = [None if num is None else int(num), *data.shape.as_list()[k:]]
    return [(dtype, TensorShape(dims))]


def _segment_sum_kernel(ctx, op, data, ids, num):
    xp, num = ctx.xp, int(num)
    if xp.shape(data)[: xp.ndim(ids)] != xp.shape(ids):
        raise ValueError(
            f"data.shape = {shape_str(xp.shape(data))} does not start with segment_ids.shape = "
            f"{shape_str(xp.shape(ids))}"
        )
    _check_segment_ids(ids, num)
    out = xp.zeros((num, *xp.shape(data)[xp.ndim(ids) :]), dtype=data.dtype)
    kept = ids >= 0  # negative ids are dropped, as TF does
    xp.add.at(out, ids[kept], data[kept])
    return out


def _check_segment_ids(ids, num: int) -> None:
    bad = ids >= num
    if bad.any():
        pos = _first_bad(bad)
        raise ValueError(
            f"segment_ids{_position(pos)} = {int(ids[pos])} is out of range [0, {num})"
        )


def gather_drop_negatives(params, ids, zero_clipped_indices=None, is_positive=None):
    """``params`` gathered at the ids clipped to 0, zero where an id is negative, with the
    clipped ids and the mask (TF's ``_GatherDropNegatives``, op for op): the gradient of
    ``UnsortedSegmentSum`` and of the segment extrema and products."""
    if zero_clipped_indices is None:
        zero_clipped_indices = build.maximum(ids, zeros_like(ids))
    gathered = gather(params, zero_clipped_indices)
    if is_positive is None:
        is_positive = build.binary("GreaterEqual", ids, 0)
        positive_shape = shape(is_positive)
        broadcastable = concat(
            [positive_shape, ones([rank(gathered) - rank(is_positive)], positive_shape.dtype)],
            axis=0,
        )
        is_positive_shape = is_positive.shape  # TF infers it through the Reshape: keep it
        is_positive = reshape(is_positive, broadcastable)
        if gathered.shape.ndims is not None and is_positive_shape.ndims is not None:
            extra = gathered.shape.ndims - is_positive_shape.ndims
            is_positive.set_shape(is_positive_shape.concatenate([1] * extra))
        is_positive = is_positive & ones_like(gathered, dtype=dtypes.bool)
    zero_slice = zeros_like(gathered)
    return build.where_v2(is_positive, gathered, zero_slice), zero_clipped_indices, is_positive


def _segment_sum_grad(op, grad):
    """``grad`` gathered at each id; zero for the dropped (negative) ids."""
    return [gather_drop_negatives(grad, op.inputs[1])[0], None, None]


register_op(
    "UnsortedSegmentSum",
    _segment_sum_infer,
    kernel=_segment_sum_kernel,
    grad=_segment_sum_grad,
    grad_takes_indexed_slices=True,  # made dense as the gather's params, as TF
)


@undo.atomic
def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """``out[i] = sum of data[j...]`` over the ``j...`` where ``segment_ids[j...] == i``, for
    ``i`` in ``[0, num_segments)``; negative ids are dropped.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     out = tf.unsorted_segment_sum([1.0, 2.0, 3.0], [1, 0, 1], 3)
    ...     with tf.Session() as sess:
    ...         print(sess.run(out))
    [2. 4. 0.]
    """
    with name_scope(name, "UnsortedSegmentSum", [data, segment_ids, num_segments]) as scope:
        data = convert_to_tensor(data, name="data")
        ids = int_operand(segment_ids, "segment_ids")
        num = int_operand(num_segments, "num_segments")
        return apply_op("UnsortedSegmentSum", [data, ids, num], name=scope)


# -- IndexedSlices made dense --------------------------------------------------------------

# TF1 warns when it makes an IndexedSlices of at least this many elements dense.
_LARGE_SPARSE_NUM_ELEMENTS = 100_000_000


def indexed_slices_to_dense(value: IndexedSlices, name=None, warn: bool = True):
    """The dense tensor ``value`` stands for, as TF1 builds it: an ``UnsortedSegmentSum``
    (named ``name``) of its rows into ``dense_shape[0]`` segments. With ``warn``, a
    ``UserWarning`` when its shape, known while building, has 100 million elements or more.

    Raises:
        ValueError: ``value`` has no ``dense_shape``.
    """
    if value.dense_shape is None:
        raise ValueError(
            "Tensor conversion requested for IndexedSlices for argument `value` without "
            f"dense_shape: {value!s}. Pass dense_shape to tf.IndexedSlices."
        )
    static = shape_value(value.dense_shape)
    if warn and static.is_fully_defined():
        count = static.num_elements()
        if count >= _LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn(
                f"Converting sparse IndexedSlices to a dense Tensor with {count} elements. "
                "This may consume a large amount of memory.",
                stacklevel=3,
            )
    dense = unsorted_segment_sum(value.values, value.indices, value.dense_shape[0], name=name)
    dense.set_shape(static)
    return dense


def _indexed_slices_to_tensor(value, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtype.is_compatible_with(value.dtype):
        raise ValueError(
            f"Incompatible tensor conversion requested to `dtype` {dtype.name} for "
            f"IndexedSlices ({value}) with dtype {value.dtype.name}"
        )
    return indexed_slices_to_dense(value, name)


register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)


def _scatter_nd_infer(inputs, attrs):
    indices, updates, shape_t = inputs
    check_dtype_in("ScatterNd", "indices", indices, _GATHER_INDEX)
    check_dtype_in("ScatterNd", "shape", shape_t, INDEX)
    dtype = updates.dtype.base_dtype
    out = shape_value(shape_t)
    check_scatter_nd_shapes(out, indices.shape, updates.shape)  # (too deep: at run, as TF)
    return [(dtype, out)]


def _scatter_nd_kernel(ctx, op, indices, updates, dims):
    xp = ctx.xp
    dims = tuple(dims.tolist())
    depth = xp.shape(indices)[-1]
    text = scatter_shapes_text(xp.shape(indices), xp.shape(updates), dims)
    if text:
        raise ValueError(text)
    bad = ((indices < 0) | (indices >= xp.asarray(dims[:depth], dtype=np.int64))).any(axis=-1)
    if bad.any():
        pos = _first_bad(bad)
        entries = ", ".join(str(int(v)) for v in indices[pos])
        raise ValueError(
            f"indices{_position(pos)} = [{entries}] does not index into shape {shape_str(dims)}"
        )
    if depth == 0:  # every update covers the whole output
        return xp.sum(xp.reshape(updates, (-1, *dims)), axis=0, dtype=updates.dtype)
    out = xp.zeros(dims, dtype=updates.dtype)
    xp.add.at(out, tuple(xp.moveaxis(indices, -1, 0)), updates)
    return out


def _scatter_nd_grad(op, grad):
    return [None, gather_nd(grad, op.inputs[0]), None]


register_op(
    "ScatterNd",
    _scatter_nd_infer,
    kernel=_scatter_nd_kernel,
    grad=_scatter_nd_grad,
    grad_takes_indexed_slices=True,  # made dense as the gather's params, as TF
)


@undo.atomic
def scatter_nd(indices, updates, shape, name=None):
    """Zeros of ``shape`` with each slice of ``updates`` added at its multi-index in
    ``indices`` (repeated indices accumulate): the inverse of ``gather_nd``."""
    with name_scope(name, "ScatterNd", [indices, updates, shape]) as scope:
        indices = int_operand(indices, "indices")
        updates = convert_to_tensor(updates, name="updates")
        dims = int_operand(shape, "shape")
        return apply_op("ScatterNd", [indices, updates, dims], name=scope)


# -- one_hot ------------------------------------------------------------------------------


def _one_hot_infer(inputs, attrs):
    indices, depth_t, on, off = inputs
    check_dtype_in("OneHot", "indices", indices, (dtypes.uint8, dtypes.int8, *INDEX))
    check_dtype_in("OneHot", "depth", depth_t, (dtypes.int32,))
    dtype = on.dtype.base_dtype
    for arg, t in (("depth", depth_t), ("on_value", on), ("off_value", off)):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"{arg} must be a scalar, got shape {t.shape}")
    axis = attrs["axis"]
    if axis < -1:
        raise ValueError("axis must be >= -1")
    depth = constant_value(depth_t)
    if depth is not None and depth < 0:
        raise ValueError(
            f"Dimension size, given by scalar input 1, must be non-negative but is {int(depth)}"
        )
    if indices.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    dims = indices.shape.as_list()  # (an axis past the rank puts depth last, failing at run)
    dims.insert(
        min(len(dims), len(dims) if axis == -1 else axis), None if depth is None else int(depth)
    )
    return [(dtype, TensorShape(dims))]


def _one_hot_kernel(ctx, op, indices, depth, on, off):
    xp = ctx.xp
    depth = int(depth)
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got: {depth}")
    axis = op._attrs["axis"]
    if not -1 <= axis <= xp.ndim(indices):
        raise ValueError(
            f"Expected axis to be -1 or between [0, {xp.ndim(indices) + 1}).  But received: {axis}"
        )
    hot = xp.expand_dims(indices, -1) == xp.arange(depth)
    out = xp.where(hot, on, off).astype(on.dtype, copy=False)
    return out if axis == -1 else xp.moveaxis(out, -1, axis)


register_op("OneHot", _one_hot_infer, kernel=_one_hot_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """``on_value`` where the new ``depth``-long dimension at ``axis`` (default last) equals
    the index, ``off_value`` elsewhere; indices outside ``[0, depth)`` give all ``off_value``.

    The dtype comes from ``dtype``, else ``on_value`` / ``off_value``, else float32.
    """
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype).base_dtype
        on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dtype)
        off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dtype)
        for arg, t in (("on_value", on), ("off_value", off)):
            if t is not None and dtype is not None and t.dtype.base_dtype != dtype:
                raise TypeError(
                    f"dtype {t.dtype.base_dtype} of {arg} does not match dtype parameter {dtype}"
                )
        if dtype is None:
            given = on if on is not None else off
            dtype = dtypes.float32 if given is None else given.dtype.base_dtype
        if on is None:
            on = constant(1, dtype=dtype, name="on_value")
        if off is None:
            off = constant(0, dtype=dtype, name="off_value")
        if on.dtype.base_dtype != off.dtype.base_dtype:
            raise TypeError(
                f"dtype {on.dtype.base_dtype} of on_value does not match dtype "
                f"{off.dtype.base_dtype} of off_value"
            )
        indices = convert_to_tensor(indices, name="indices")
        depth = convert_to_tensor(depth, dtype=dtypes.int32, name="depth")
        attrs = {"axis": -1 if axis is None else int(axis)}
        return apply_op("OneHot", [indices, depth, on, off], attrs, name=scope)


# -- boolean_mask -------------------------------------------------------------------------


@undo.atomic
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of ``tensor`` where the boolean ``mask`` (covering dimensions ``axis`` to
    ``axis + mask.rank``) is true, flattened into one dimension: TF1's
    ``Reshape``/``Where``/``GatherV2`` construction.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 3, 4))
    ...     y = tf.boolean_mask(x, tf.placeholder(tf.bool, (3,)), axis=1)
    >>> y.shape.as_list()
    [None, None, 4]
    """
    with name_scope(name, "boolean_mask", [tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        n_mask = mask.shape.ndims
        if n_mask == 0:
            raise ValueError("mask cannot be scalar.")
        if n_mask is None:
            raise ValueError(
                "Number of mask dimensions must be specified, even if some dimensions are "
                "None.  E.g. shape=[None] is ok, but shape=None is not."
            )
        axis = 0 if axis is None else int(axis)
        static = tensor.shape
        if static.ndims is not None:
            axis %= max(static.ndims, 1)
            static[axis : axis + n_mask].assert_is_compatible_with(mask.shape)
        masked = shape(tensor)[axis : axis + n_mask]
        with name_scope("Prod") as prod_scope:
            dims = constant([0], name="reduction_indices")
            leading = apply_op("Prod", [masked, dims], {"keep_dims": False}, name=prod_scope)
        flat = reshape(
            tensor,
            concat([shape(tensor)[:axis], [leading], shape(tensor)[axis + n_mask :]], 0),
        )
        if static.ndims is not None:
            first = static[axis : axis + n_mask].num_elements()
            flat.set_shape(static[:axis].concatenate([first]).concatenate(static[axis + n_mask :]))
        flat_mask = reshape(mask, [-1])
        where = apply_op("Where", [flat_mask], name="Where")
        return gather(flat, squeeze(where, axis=[1]), axis=axis)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "boolean_mask",
    "gather",
    "gather_nd",
    "one_hot",
    "scatter_nd",
    "unsorted_segment_sum",
]
