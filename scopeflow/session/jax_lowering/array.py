"""JAX lowerings of the array ops: shapes, slices, joins, gathers and scatters.

Ops that only pick and move elements with arguments known while tracing (``StridedSlice``,
``ReverseV2``, ``Split``...) run their NumPy kernel on the input's indices (``moved``), so
their semantics are the NumPy kernel's by construction."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework.registry import get_op_def
from scopeflow.session.jax_lowering.common import moved, out_dtype, static, static_int
from scopeflow.session.jax_lowering.control import NeedsHost


def _kernel_moved(ctx, op, x, *args):
    return moved(op.op_def.kernel, ctx, op, jnp.asarray(x), *args)


def folded(ctx, op, *args):
    """An op computed from values known while tracing (shape arithmetic): its NumPy kernel."""
    return op.op_def.kernel(ctx, op, *[static(a) for a in args])


def _shape(ctx, op, x):
    return np.asarray(np.shape(x), out_dtype(op))


def _reshape(ctx, op, x, shape):
    return jnp.reshape(x, tuple(int(d) for d in static(shape).reshape(-1)))


def _expand_dims(ctx, op, x, axis):
    return jnp.expand_dims(x, int(static(axis).reshape(-1)[0]))


def _squeeze(ctx, op, x):
    dims = op._attrs.get("squeeze_dims") or None
    return jnp.squeeze(x, axis=None if dims is None else tuple(dims))


def _transpose(ctx, op, x, perm):
    return jnp.transpose(x, tuple(int(p) for p in static(perm)))


def _conjugate_transpose(ctx, op, x, perm):
    return jnp.conj(_transpose(ctx, op, x, perm))


def _concat(ctx, op, *args):
    *xs, axis = args
    xs = [jnp.asarray(x) for x in xs]
    return jnp.concatenate(xs, axis=static_int(axis) % max(xs[0].ndim, 1))


def _pack(ctx, op, *xs):
    return jnp.stack(xs, axis=op._attrs.get("axis", 0))


def _unpack(ctx, op, x):
    x = jnp.asarray(x)
    axis = op._attrs.get("axis", 0) % x.ndim
    return tuple(jnp.moveaxis(x, axis, 0))


def _tile(ctx, op, x, multiples):
    return jnp.tile(x, tuple(int(m) for m in static(multiples)))


def _fill(ctx, op, dims, value):
    return jnp.full(tuple(int(d) for d in static(dims)), value, dtype=out_dtype(op))


def _gather(ctx, op, params, indices, axis):
    axis = static_int(axis)
    batch_dims = op._attrs.get("batch_dims", 0)
    params = jnp.asarray(params)
    if batch_dims:
        fn = lambda p, i: jnp.take(p, i, axis=axis - batch_dims, mode="clip")  # noqa: E731
        for _ in range(batch_dims):
            fn = jax.vmap(fn)
        return fn(params, indices)
    return jnp.take(params, indices, axis=axis % params.ndim, mode="clip")


def _gather_nd(ctx, op, params, indices):
    indices = jnp.asarray(indices)
    return jnp.asarray(params)[tuple(jnp.moveaxis(indices, -1, 0))]


def _one_hot(ctx, op, indices, depth, on, off):
    depth = static_int(depth)
    axis = op._attrs.get("axis", -1)
    hot = jnp.asarray(indices)[..., None] == jnp.arange(depth)
    if axis != -1:
        hot = jnp.moveaxis(hot, -1, axis)
    return jnp.where(hot, on, off)


def _pad(ctx, op, x, paddings, value=0):
    pads = [tuple(int(p) for p in row) for row in static(paddings)]
    return jnp.pad(x, pads, constant_values=value)


def _mirror_pad(ctx, op, x, paddings):
    pads = [tuple(int(p) for p in row) for row in static(paddings)]
    mode = "reflect" if op._attrs["mode"] == "REFLECT" else "symmetric"
    return jnp.pad(x, pads, mode=mode)


def _broadcast_to(ctx, op, x, shape):
    return jnp.broadcast_to(x, tuple(int(d) for d in static(shape)))


def scatter_nd_into(base, indices, updates, how: str):
    indices = jnp.asarray(indices)
    if indices.shape[-1] == 0:  # empty index vectors: every update is the whole tensor
        whole = jnp.asarray(updates).reshape((-1, *jnp.shape(base)))
        if how == "set":
            return whole[-1] if whole.shape[0] else jnp.asarray(base)
        total = jnp.sum(whole, axis=0)
        return base + total if how == "add" else base - total
    where = tuple(jnp.moveaxis(indices, -1, 0))
    at = jnp.asarray(base).at[where]
    return {"add": at.add, "sub": lambda u: at.add(-u), "set": at.set}[how](updates)


def _scatter_nd(ctx, op, indices, updates, shape):
    zeros = jnp.zeros(tuple(int(d) for d in static(shape)), out_dtype(op))
    return scatter_nd_into(zeros, indices, updates, "add")


def _tensor_scatter(how: str):
    return lambda ctx, op, x, i, u: scatter_nd_into(x, i, u, how)


def extremum_into(base, where, updates, is_max: bool):
    """``base`` with ``updates`` scattered at ``where`` where each beats the value there (TF's
    ``update > current``: a NaN update never wins, a NaN already there stays)."""
    updates = jnp.asarray(updates, base.dtype)
    if jnp.issubdtype(base.dtype, jnp.floating):
        updates = jnp.where(jnp.isnan(updates), -jnp.inf if is_max else jnp.inf, updates)
    at = jnp.asarray(base).at[where]
    return at.max(updates) if is_max else at.min(updates)


def _tensor_scatter_extremum(is_max: bool):
    def lower(ctx, op, tensor, indices, updates):
        indices = jnp.asarray(indices)
        if indices.shape[-1] == 0:  # empty index vectors: every update is the whole tensor
            rows = jnp.asarray(updates).reshape((-1, *jnp.shape(tensor)))
            return extremum_into(tensor[None], np.zeros(rows.shape[0], np.int64), rows, is_max)[0]
        return extremum_into(tensor, tuple(jnp.moveaxis(indices, -1, 0)), updates, is_max)

    return lower


def _reverse_sequence(ctx, op, x, lengths):
    """Each batch entry's first ``lengths[b]`` steps reversed: a gather along the sequence
    axis of ``t' = lengths[b] - 1 - t`` where ``t < lengths[b]``."""
    x = jnp.asarray(x)
    seq, batch = op._attrs["seq_dim"] % x.ndim, op._attrs["batch_dim"] % x.ndim
    shape = [1] * x.ndim
    shape[seq], shape[batch] = x.shape[seq], x.shape[batch]
    t = jnp.arange(x.shape[seq]).reshape([-1 if a == seq else 1 for a in range(x.ndim)])
    n = jnp.asarray(lengths).astype(jnp.int64)
    n = n.reshape([-1 if a == batch else 1 for a in range(x.ndim)])
    source = jnp.broadcast_to(jnp.where(t < n, n - 1 - t, t), shape)
    return jnp.take_along_axis(x, jnp.broadcast_to(source, x.shape), axis=seq)


def _unravel_index(ctx, op, indices, dims):
    dims = tuple(int(d) for d in static(dims))
    indices = jnp.asarray(indices)
    return jnp.stack(jnp.unravel_index(indices, dims)).astype(indices.dtype)


def _mirror_pad_grad(ctx, op, grad, paddings):
    """The transpose of ``MirrorPad`` (linear): each mirrored entry added onto its source."""
    pairs = static(paddings, np.int64).reshape(-1, 2)
    shape = tuple(int(d - a - b) for d, (a, b) in zip(jnp.shape(grad), pairs, strict=True))
    zeros = jnp.zeros(shape, jnp.asarray(grad).dtype)
    return jax.vjp(lambda x: _mirror_pad(ctx, op, x, pairs), zeros)[1](grad)[0]


def _unsorted_segment_sum(ctx, op, data, ids, num):
    data, ids = jnp.asarray(data), jnp.asarray(ids)
    flat = data.reshape((-1,) + data.shape[ids.ndim :])
    return jax.ops.segment_sum(flat, ids.reshape(-1), num_segments=static_int(num))


def _lowest(dtype):
    return np.finfo(dtype).min if np.issubdtype(dtype, np.inexact) else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if np.issubdtype(dtype, np.inexact) else np.iinfo(dtype).max


def _segment_extremum(segment_fn, start):
    """``jax.ops.segment_max``/``min``/``prod``, a segment no id names holding TF's value
    (the dtype's lowest, highest or 1) rather than JAX's identity (-inf, inf)."""

    def lower(ctx, op, data, ids, num):
        data, ids, n = jnp.asarray(data), jnp.asarray(ids), static_int(num)
        flat = data.reshape((-1,) + data.shape[ids.ndim :])
        ids = ids.reshape(-1)
        nan_stands = segment_fn is not jax.ops.segment_prod and jnp.issubdtype(
            data.dtype, jnp.floating
        )
        if nan_stands:
            flat, last_nan = _rows_after_nan(segment_fn, flat, ids, n)
        out = segment_fn(flat, ids, num_segments=n)
        counts = jax.ops.segment_sum(jnp.ones_like(ids), ids, num_segments=n)
        empty = (counts == 0).reshape((n,) + (1,) * (out.ndim - 1))
        out = jnp.where(empty, jnp.asarray(start(np.dtype(data.dtype)), data.dtype), out)
        return _nan_unless_followed(out, flat, ids, n, last_nan) if nan_stands else out

    return lower


def _rows_after_nan(segment_fn, rows, ids, n):
    """TF's running extremum keeps each row unless it loses, so a NaN stands until a number
    follows it: the rows after each segment's last NaN (the others the identity, which
    never wins) and the index of that last NaN (-1 for none), per element."""
    order = jnp.arange(rows.shape[0]).reshape((-1,) + (1,) * (rows.ndim - 1))
    marks = jnp.where(jnp.isnan(rows), order, -1)
    last_nan = jax.ops.segment_max(marks, ids, num_segments=n)
    after = order > jnp.take(last_nan, ids, axis=0, mode="clip")
    identity = -jnp.inf if segment_fn is jax.ops.segment_max else jnp.inf
    return jnp.where(after, rows, jnp.asarray(identity, rows.dtype)), last_nan


def _nan_unless_followed(out, rows, ids, n, last_nan):
    """NaN for a segment whose last row (per element) is a NaN, as TF."""
    order = jnp.arange(rows.shape[0]).reshape((-1,) + (1,) * (rows.ndim - 1))
    last_row = jax.ops.segment_max(jnp.broadcast_to(order, rows.shape), ids, num_segments=n)
    return jnp.where((last_nan >= 0) & (last_nan == last_row), jnp.nan, out).astype(out.dtype)


def _space_to_batch(ctx, op, x, block, paddings):
    """Padded here (``moved`` picks elements, it makes no zeros), then moved by the kernel."""
    pads = static(paddings, np.int64).reshape(-1, 2)
    x = jnp.asarray(x)
    widths = [(0, 0), *map(tuple, pads.tolist()), *[(0, 0)] * (x.ndim - len(pads) - 1)]
    return moved(op.op_def.kernel, ctx, op, jnp.pad(x, widths), block, np.zeros_like(pads))


def _top_k(ctx, op, x, k):
    values, indices = jax.lax.top_k(x, static_int(k))
    return values, indices.astype(out_dtype(op, 1))


def _in_top_k(ctx, op, predictions, targets, k):
    predictions = jnp.asarray(predictions)
    target = jnp.take_along_axis(predictions, jnp.asarray(targets)[:, None], axis=1)
    above = jnp.sum(predictions > target, axis=1)
    return (above < k) & jnp.isfinite(target[:, 0])


def _split(ctx, op, axis, x):
    x = jnp.asarray(x)
    index = np.arange(x.size, dtype=np.int64).reshape(x.shape)
    flat = jnp.ravel(x)
    picked = op.op_def.kernel(ctx, op, static(axis), index)
    if not isinstance(picked, tuple | list):
        picked = [picked]
    return tuple(flat[np.asarray(p)] for p in picked)


def _strided_slice_grad(ctx, op, shape, begin, end, strides, dy):
    shape = tuple(int(d) for d in static(shape))
    index = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    slicer = get_op_def("StridedSlice").kernel
    picked = np.asarray(slicer(ctx, op, index, static(begin), static(end), static(strides)))
    flat = jnp.zeros(index.size, jnp.asarray(dy).dtype).at[picked.reshape(-1)].add(jnp.ravel(dy))
    return flat.reshape(shape)


def _dynamic_stitch(ctx, op, *args):
    """``DynamicStitch`` of data computed in the segment at indices known while tracing (a
    reduction gradient's kept shape folds before this): the rows are gathered from the data
    stacked behind a row of zeros (for rows no index names), the last write winning.
    Indices computed when run send the plan to the host."""
    n = len(args) // 2
    indices, data = args[:n], args[n:]
    if any(isinstance(i, jax.core.Tracer) for i in indices):
        raise NeedsHost(f"DynamicStitch '{op.name}'", ValueError("its indices are computed"))
    flat = [static(i).reshape(-1).astype(np.int64) for i in indices]
    if any(i.size and int(i.min()) < 0 for i in flat):
        raise ValueError("DynamicStitch: an index is out of range")
    rows = max((int(i.max()) for i in flat if i.size), default=-1) + 1
    trailing = tuple(np.shape(data[0])[np.ndim(indices[0]) :])
    source, start = np.zeros(rows, np.int64), 1
    for i in flat:
        source[i] = np.arange(start, start + i.size)
        start += i.size
    parts = [jnp.zeros((1, *trailing), out_dtype(op))]
    parts += [jnp.reshape(d, (i.size, *trailing)) for i, d in zip(flat, data, strict=True)]
    return jnp.concatenate(parts)[source]


def _identity_n(ctx, op, *xs):
    return tuple(xs)


LOWERINGS = {
    "Shape": _shape,
    "ShapeN": lambda ctx, op, *xs: tuple(np.asarray(np.shape(x), out_dtype(op)) for x in xs),
    "Size": lambda ctx, op, x: np.asarray(np.size(x), out_dtype(op)),
    "Rank": lambda ctx, op, x: np.asarray(np.ndim(x), np.int32),
    "BroadcastArgs": folded,
    "BroadcastGradientArgs": folded,
    "ConcatOffset": folded,
    "InvertPermutation": folded,
    "ListDiff": folded,
    "DynamicStitch": _dynamic_stitch,
    "ParallelDynamicStitch": _dynamic_stitch,
    "Range": folded,
    "Const": folded,
    "NoOp": lambda ctx, op: None,
    "ControlTrigger": lambda ctx, op: None,
    "IdentityN": _identity_n,
    "Reshape": _reshape,
    "ExpandDims": _expand_dims,
    "Squeeze": _squeeze,
    "Transpose": _transpose,
    "ConjugateTranspose": _conjugate_transpose,
    "ConcatV2": _concat,
    "Pack": _pack,
    "Unpack": _unpack,
    "Tile": _tile,
    "Fill": _fill,
    "Slice": _kernel_moved,
    "StridedSlice": _kernel_moved,
    "StridedSliceGrad": _strided_slice_grad,
    "ReverseV2": _kernel_moved,
    "Split": _split,
    "SplitV": _kernel_moved,
    "MatrixDiagPart": _kernel_moved,
    "DiagPart": _kernel_moved,
    "GatherV2": _gather,
    "GatherNd": _gather_nd,
    "OneHot": _one_hot,
    "Pad": _pad,
    "PadV2": _pad,
    "MirrorPad": _mirror_pad,
    "BroadcastTo": _broadcast_to,
    "ScatterNd": _scatter_nd,
    "TensorScatterAdd": _tensor_scatter("add"),
    "TensorScatterSub": _tensor_scatter("sub"),
    "TensorScatterUpdate": _tensor_scatter("set"),
    "UnsortedSegmentSum": _unsorted_segment_sum,
    "SpaceToBatchND": _space_to_batch,
    "BatchToSpaceND": _kernel_moved,
    "UnsortedSegmentMax": _segment_extremum(jax.ops.segment_max, _lowest),
    "UnsortedSegmentMin": _segment_extremum(jax.ops.segment_min, _highest),
    "UnsortedSegmentProd": _segment_extremum(jax.ops.segment_prod, lambda dtype: 1),
    "TopKV2": _top_k,
    "InTopKV2": _in_top_k,
    "TensorScatterMax": _tensor_scatter_extremum(True),
    "TensorScatterMin": _tensor_scatter_extremum(False),
    "SpaceToDepth": _kernel_moved,
    "DepthToSpace": _kernel_moved,
    "ReverseSequence": _reverse_sequence,
    "UnravelIndex": _unravel_index,
    "MirrorPadGrad": _mirror_pad_grad,
    "ParallelConcat": lambda ctx, op, *values: jnp.concatenate(values, axis=0),
}
