"""Joining, splitting, repeating and reversing tensors: ``concat``, ``unstack``, ``split``,
``tile``, ``reverse``. Padding is in ``pad.py``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.array.basic import identity, reshape, shape, shape_n, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims, rank, size, squeeze
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_list_dtype,
    constant_value,
    int_operand,
    shape_value,
)

TensorShape = tensor_shape.TensorShape


def _scalar_axis(t) -> int | None:
    """The constant value of a scalar axis input, or ``None`` when unknown while building."""
    if t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
    value = constant_value(t)
    return None if value is None else int(value)


def _check_axis(axis: int, rank: int, split: bool = False) -> int:
    """``axis`` in [0, rank), else the shape function's error (the splits word it their way)."""
    if not -rank <= axis < rank:
        if split:
            raise ValueError(
                f"Dimension size, given by scalar input {axis} must be in range [{-rank}, {rank})"
            )
        raise ValueError(
            f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is rank {rank}"
        )
    return axis % rank


def _kernel_outputs(parts: list):
    """A kernel's result: a lone output by itself, several as a tuple."""
    return parts[0] if len(parts) == 1 else tuple(parts)


# -- concat -------------------------------------------------------------------------------


def _concat_infer(inputs, attrs):
    *values, axis_t = inputs
    check_dtype_in("ConcatV2", "axis", axis_t, INDEX)
    dtype = check_list_dtype("ConcatV2", "values", values)
    axis = _scalar_axis(axis_t)
    known = [v.shape.ndims for v in values if v.shape.ndims is not None]
    ranks = set(known)
    if len(ranks) > 1:  # as TF's: the first known rank is the one expected
        other = next(r for r in known if r != known[0])
        raise ValueError(f"Shape must be rank {known[0]} but is rank {other}")
    if not ranks:
        return [(dtype, tensor_shape.unknown_shape())]
    rank = ranks.pop()
    if rank == 0:
        raise ValueError("Can't concatenate scalars (use tf.stack instead)")
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(rank))]
    axis = _check_axis(axis, rank)
    shapes = [
        v.shape if v.shape.ndims is not None else tensor_shape.unknown_shape(rank) for v in values
    ]
    rest = shapes[0].as_list()
    rest = TensorShape(rest[:axis] + rest[axis + 1 :])
    total = 0
    for s in shapes:
        dims = s.as_list()
        rest = merge_shapes(rest, TensorShape(dims[:axis] + dims[axis + 1 :]))
        total = None if total is None or dims[axis] is None else total + dims[axis]
    out = rest.as_list()
    out.insert(axis, total)
    return [(dtype, TensorShape(out))]


def _concat_kernel(ctx, op, *args):
    *values, axis = args
    rank = ctx.xp.ndim(values[0])
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(
            f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), but "
            f"got {axis}"
        )
    first = ctx.xp.shape(values[0])
    for i, v in enumerate(values[1:], 1):
        dims = ctx.xp.shape(v)
        if len(dims) != rank:
            raise ValueError(
                "ConcatOp : Ranks of all input tensors should match: shape[0] = "
                f"{shape_str(first)} vs. shape[{i}] = {shape_str(dims)}"
            )
        for d in range(rank):
            if d != axis % rank and dims[d] != first[d]:
                raise ValueError(
                    f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = "
                    f"{shape_str(first)} vs. shape[{i}] = {shape_str(dims)}"
                )
    return ctx.xp.concatenate(values, axis=axis)


def _concat_grad(op, grad):
    """Slices of ``grad`` at the offsets (``ConcatOffset``) where each input was placed; of an
    IndexedSlices ``grad``, IndexedSlices (see ``_concat_slices_grad``)."""
    *values, axis_t = op.inputs
    if len(values) == 1:
        return [grad, None]
    axis = cast(axis_t, dtypes.int32) % rank(values[0])
    if isinstance(grad, IndexedSlices):
        return [*_concat_slices_grad(values, axis_t, axis, grad), None]
    sizes = []
    for v in values:  # as TF: the shapes as constants, or once one is not known, a ShapeN
        sizes.append(shape(v))
        if sizes[-1].op.type != "Const":
            sizes = list(shape_n(values))
            break
    offsets = _as_outputs(apply_op("ConcatOffset", [axis, *sizes], {"N": len(sizes)}))
    return [build.slice(grad, b, s) for b, s in zip(offsets, sizes, strict=True)] + [None]


def _concat_slices_grad(values, axis_t, axis, grad: IndexedSlices) -> list:
    """As TF: along axis 0, each input gets the rows of ``grad`` in its span (their indices
    less its offset); along another axis, every row's slice of each input's columns."""
    known = constant_value(axis_t)
    if known is not None and known < 0:
        ndims = constant_value(rank(values[0]))
        known = None if ndims is None else known % ndims
    if known is None:
        raise ValueError("Can only compute IndexedSlices gradient with statically-known concat_dim")
    sizes = [shape(v) for v in values]
    out = []
    if known == 0:
        index = grad.indices
        start = convert_to_tensor(0, dtype=index.dtype.base_dtype, name="Const")
        for size in sizes:
            span = _gather(size, axis)
            if span.dtype.base_dtype != index.dtype.base_dtype:
                span = cast(span, index.dtype.base_dtype)
            end = build.binary("AddV2", start, span, default_name="add")
            inside = build.binary(
                "LogicalAnd",
                build.binary("GreaterEqual", index, start),
                build.binary("Less", index, end),
            )
            rows = squeeze(apply_op("Where", [inside], name="Where"), [1])
            moved = build.binary("Sub", _gather(index, rows), start, default_name="sub")
            out.append(IndexedSlices(_gather(grad.values, rows), moved, size))
            start = end
        return out
    ndims = shape(sizes[0])
    mask = concat(
        [zeros(expand_dims(axis, 0), dtypes.int32), [1], zeros(ndims - axis - 1, dtypes.int32)], 0
    )
    begin = zeros(ndims, dtypes.int32)
    for size in sizes:
        extent = concat([[-1], build.slice(size, [1], [-1])], 0)
        piece = build.slice(grad.values, begin, extent)
        dims = constant_value(size)  # TF's shape inference folds the mask's constants
        if dims is not None:
            piece.set_shape([grad.values.shape[0], *(int(d) for d in dims[1:])])
        out.append(IndexedSlices(piece, grad.indices, size))
        begin = build.binary("AddV2", begin, size * mask, default_name="Add")
    return out


def _gather(params, indices):
    with name_scope(None, "GatherV2", [params, indices]) as scope:
        zero = convert_to_tensor(0, dtype=dtypes.int32, name="axis")
        return apply_op("GatherV2", [params, indices, zero], {"batch_dims": 0}, name=scope)


register_op(
    "ConcatV2",
    _concat_infer,
    kernel=_concat_kernel,
    grad=_concat_grad,
    grad_takes_indexed_slices=True,
)


def _concat_offset_infer(inputs, attrs):
    axis_t, *shapes = inputs
    check_dtype_in("ConcatOffset", "concat_dim", axis_t, (dtypes.int32,))
    check_list_dtype("ConcatOffset", "shape", shapes)
    check_dtype_in("ConcatOffset", "shape", shapes[0], (dtypes.int32,))
    return [(dtypes.int32, s.shape) for s in shapes]


def _concat_offset_kernel(ctx, op, axis, *shapes):
    """The position of each input of a concatenation along ``axis`` (zero elsewhere)."""
    first = shapes[0].tolist()
    rank, axis = len(first), int(axis)
    if not 0 <= axis < rank:
        raise ValueError(f"Concat dim is out of range: {axis} vs. {rank}")
    offsets, start = [], 0
    for i, s in enumerate(shapes):
        dims = s.tolist()
        if len(dims) != rank or any(dims[k] != first[k] for k in range(rank) if k != axis):
            raise ValueError(
                f"All dimensions except {axis} must match. Input {i} has shape {dims} and "
                f"doesn't match input 0 with shape {first}."
            )
        offset = ctx.xp.zeros(rank, dtype=ctx.xp.int32)
        offset[axis] = start
        offsets.append(offset)
        start += dims[axis]
    return _kernel_outputs(offsets)


register_op(
    "ConcatOffset", _concat_offset_infer, kernel=_concat_offset_kernel, grad=NOT_DIFFERENTIABLE
)


@undo.atomic
def concat(values, axis, name="concat"):
    """Joins ``values`` along the existing dimension ``axis``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.placeholder(tf.float32, (None, 3))
    ...     c = tf.concat([a, a], 1)
    >>> c.op.type, c.shape.as_list()
    ('ConcatV2', [None, 6])
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        # As TF1: the axis is only checked, and the single value passes through an Identity.
        with name_scope(name):
            axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="concat_dim")
            if axis_t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape {axis_t.shape} must have rank 0")
            return identity(values[0], name=name or "concat")
    with name_scope(name, "ConcatV2", values) as scope:
        # As TF 2's op builder: values that are not tensors take the first tensor's dtype.
        dtype = next((v.dtype.base_dtype for v in values if isinstance(v, Tensor)), None)
        tensors = [
            v if isinstance(v, Tensor) else convert_to_tensor(v, dtype, name=f"values_{i}")
            for i, v in enumerate(values)
        ]
        axis_t = int_operand(axis, "axis")
        attrs = {"N": len(tensors)}
        return apply_op("ConcatV2", [*tensors, axis_t], attrs, name=scope)


# -- unstack ------------------------------------------------------------------------------


def _unpack_infer(inputs, attrs):
    x = inputs[0]
    dtype, num, axis = x.dtype.base_dtype, attrs["num"], attrs["axis"]
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())] * num
    dims = x.shape.as_list()
    axis = _check_axis(axis, len(dims))
    if dims[axis] is not None and dims[axis] != num:
        raise ValueError(f"Dimension must be {num} but is {dims[axis]}")
    return [(dtype, TensorShape(dims[:axis] + dims[axis + 1 :]))] * num


def _unpack_kernel(ctx, op, x):
    num, axis = op._attrs["num"], op._attrs["axis"]
    dims = ctx.xp.shape(x)
    if not -len(dims) <= axis < len(dims) or dims[axis] != num:
        raise ValueError(f"Input shape axis {axis} must equal {num}, got shape {shape_str(dims)}")
    return _kernel_outputs(list(ctx.xp.moveaxis(x, axis, 0)))


def _unpack_grad(op, *grads):
    return stack(list(grads), axis=op._attrs["axis"])


register_op("Unpack", _unpack_infer, kernel=_unpack_kernel, grad=_unpack_grad)


@undo.atomic
def unstack(value, num=None, axis=0, name="unstack"):
    """The ``num`` tensors along ``axis`` (``num`` is inferred from the static shape)."""
    with name_scope(name, "unstack", [value]) as scope:
        x = convert_to_tensor(value, name="value")
        if num is None:
            rank = x.shape.ndims
            if rank is not None:
                if not -rank <= axis < rank:
                    raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
                num = x.shape.as_list()[axis]
            if num is None:
                raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
        return build.unstack(x, num, axis, name=scope)


# -- split --------------------------------------------------------------------------------


def _split_infer(inputs, attrs):
    axis_t, x = inputs
    check_dtype_in("Split", "split_dim", axis_t, (dtypes.int32,))
    num = attrs["num_split"]
    dtype = x.dtype.base_dtype
    axis = _scalar_axis(axis_t)
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())] * num
    dims = x.shape.as_list()
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(len(dims)))] * num
    axis = _check_axis(axis, len(dims), split=True)
    if dims[axis] is not None:
        if dims[axis] % num:
            raise ValueError(
                f"Dimension size must be evenly divisible by {num} but is {dims[axis]}\n\t"
                "Number of ways to split should evenly divide the split dimension"
            )
        dims[axis] //= num
    return [(dtype, TensorShape(dims))] * num


def _split_kernel(ctx, op, axis, x):
    num = op._attrs["num_split"]
    dims = ctx.xp.shape(x)
    axis = int(axis)
    if not -len(dims) <= axis < len(dims):
        raise ValueError(f"-{len(dims)} <= split_dim < {len(dims)} is required, got {axis}")
    if dims[axis] % num:
        raise ValueError(
            "Number of ways to split should evenly divide the split dimension, but got "
            f"split_dim {axis % len(dims)} (size = {dims[axis]}) and num_split {num}"
        )
    return _kernel_outputs(ctx.xp.split(x, num, axis=axis))


def _split_grad(op, *grads):
    return [None, concat(list(grads), op.inputs[0])]


register_op("Split", _split_infer, kernel=_split_kernel, grad=_split_grad)


def _resolved_sizes(sizes: list[int], dim: int | None) -> list:
    """Split sizes with the one ``-1`` resolved when ``dim`` is known, with TF's errors."""
    wild = [i for i, s in enumerate(sizes) if s == -1]
    if len(wild) > 1:
        raise ValueError("size_splits can only have one -1")
    if dim is None:
        return [None if s == -1 else s for s in sizes]
    known = sum(s for s in sizes if s != -1)
    if any(s < -1 for s in sizes) or (wild and known > dim) or (not wild and known != dim):
        text = ",".join(str(s) for s in sizes)
        raise ValueError(f"can't split axis of size {dim} into pieces of size [{text}]")
    return [dim - known if s == -1 else s for s in sizes]


def _split_v_infer(inputs, attrs):
    x, sizes_t, axis_t = inputs
    check_dtype_in("SplitV", "size_splits", sizes_t, (dtypes.int8, *INDEX))
    check_dtype_in("SplitV", "split_dim", axis_t, (dtypes.int32,))
    num = attrs["num_split"]
    dtype = x.dtype.base_dtype
    axis = _scalar_axis(axis_t)
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())] * num
    dims = x.shape.as_list()
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(len(dims)))] * num
    axis = _check_axis(axis, len(dims), split=True)
    sizes = constant_value(sizes_t)
    if sizes is None:
        resolved = [None] * num
    else:
        resolved = _resolved_sizes([int(s) for s in sizes], dims[axis])
        if len(resolved) != num:
            raise ValueError(f"size_splits has {len(resolved)} entries but num_split is {num}")
    return [(dtype, TensorShape(dims[:axis] + [s] + dims[axis + 1 :])) for s in resolved]


def _split_v_kernel(ctx, op, x, sizes, axis):
    dims = ctx.xp.shape(x)
    axis = int(axis)
    if not -len(dims) <= axis < len(dims):
        raise ValueError(f"-{len(dims)} <= split_dim < {len(dims)} is required, got {axis}")
    sizes = sizes.tolist()
    if len(sizes) != op._attrs["num_split"]:
        raise ValueError(
            f"size_splits has {len(sizes)} entries but num_split is {op._attrs['num_split']}"
        )
    try:
        sizes = _resolved_sizes(sizes, dims[axis])
    except ValueError:
        raise ValueError(
            "Determined shape must either match input shape along split_dim exactly if fully "
            "specified, or be less than the size of the input along split_dim if not fully "
            f"specified.  Got: {sum(sizes)}"
        ) from None
    return _kernel_outputs(ctx.xp.split(x, np.cumsum(sizes[:-1]), axis=axis))


def _split_v_grad(op, *grads):
    return [concat(list(grads), op.inputs[2]), None, None]


register_op("SplitV", _split_v_infer, kernel=_split_v_kernel, grad=_split_v_grad)


@undo.atomic
def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits ``value`` along ``axis`` into ``num_or_size_splits`` equal parts (an int: a
    ``Split`` op) or into parts of the given sizes, one of them ``-1`` (a ``SplitV`` op)."""
    if isinstance(num_or_size_splits, (int, np.integer, tensor_shape.Dimension)):
        count = int(num_or_size_splits)
        if count < 1:
            raise ValueError(f"Attr 'num_split' of 'Split' Op passed {count} less than minimum 1.")
        with name_scope(name, "Split", [value]) as scope:
            axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="split_dim")
            x = convert_to_tensor(value, name="value")
            attrs = {"num_split": count}
            return _as_outputs(apply_op("Split", [axis_t, x], attrs, name=scope))
    sizes = int_operand(num_or_size_splits, None)
    if sizes.shape.ndims == 0:
        raise ValueError(
            "Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
            f"Argument provided: {num_or_size_splits}"
        )
    if num is None:
        num = sizes.shape[0].value if sizes.shape.ndims == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {num_or_size_splits}")
    with name_scope(name, "SplitV", [value, sizes]) as scope:
        x = convert_to_tensor(value, name="value")
        axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="split_dim")
        attrs = {"num_split": int(num), "Tlen": sizes.dtype.base_dtype}
        return _as_outputs(apply_op("SplitV", [x, sizes, axis_t], attrs, name=scope))


def _as_outputs(result):
    """``apply_op``'s result as a list of outputs (it returns a lone output by itself)."""
    return [result] if isinstance(result, Tensor) else list(result)


# -- tile ---------------------------------------------------------------------------------


def _tile_infer(inputs, attrs):
    x, multiples_t = inputs
    check_dtype_in("Tile", "multiples", multiples_t, INDEX)
    dtype = x.dtype.base_dtype
    multiples = shape_value(multiples_t)
    rank = x.shape.ndims
    if multiples.ndims is not None and rank is not None and multiples.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {multiples.ndims}")
    rank = rank if rank is not None else multiples.ndims
    if rank is None:
        return [(dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * rank
    reps = multiples.as_list() if multiples.ndims is not None else [None] * rank
    out = [
        0 if m == 0 else None if d is None or m is None else d * m
        for d, m in zip(dims, reps, strict=True)
    ]
    return [(dtype, TensorShape(out))]


def _tile_kernel(ctx, op, x, multiples):
    multiples = multiples.tolist()
    rank = ctx.xp.ndim(x)
    if len(multiples) != rank:
        raise ValueError(
            f"Expected multiples argument to be a vector of length {rank} but got length "
            f"{len(multiples)}"
        )
    for i, m in enumerate(multiples):
        if m < 0:
            raise ValueError(f"Expected multiples[{i}] >= 0, but got {m}")
    return ctx.xp.tile(x, multiples) if rank else x


def _tile_grad(op, grad):
    """Sums the copies: ``grad`` reshaped to ``[m0, d0, m1, d1, ...]`` summed over the ``m``."""
    x, multiples = op.inputs
    dims = shape(x, out_type=multiples.dtype.base_dtype)
    split_shape = reshape(transpose(stack([multiples, dims])), [-1])
    axes = build.range_of(0, size(split_shape), 2)
    if isinstance(grad, IndexedSlices):  # its rows summed into the input's first dimension (TF)
        rows = dims[0]
        if rows.dtype.base_dtype != grad.indices.dtype.base_dtype:
            rows = cast(rows, grad.indices.dtype.base_dtype)
        wrapped = build.binary("FloorMod", grad.indices, rows, default_name="mod")
        grad = apply_op("UnsortedSegmentSum", [grad.values, wrapped, rows])
        split_shape = concat([[1], split_shape[1:]], axis=0)
    dx = build.reduce_sum(reshape(grad, split_shape), axes)
    dx.set_shape(x.shape)
    return [dx, None]


register_op(
    "Tile", _tile_infer, kernel=_tile_kernel, grad=_tile_grad, grad_takes_indexed_slices=True
)


@undo.atomic
def tile(input, multiples, name=None):  # noqa: A002 - TF1's argument name
    """``input`` repeated ``multiples[i]`` times along each dimension ``i``."""
    with name_scope(name, "Tile", [input, multiples]) as scope:
        x = convert_to_tensor(input, name="input")
        multiples = int_operand(multiples, "multiples")
        return apply_op("Tile", [x, multiples], name=scope)


# -- reverse ------------------------------------------------------------------------------


def _reversed_axes(axes: list[int], rank: int) -> tuple[int, ...]:
    seen: set[int] = set()
    for i, a in enumerate(axes):
        if not -rank <= a < rank:
            # (sic: TF names the range so, in build and run alike)
            raise ValueError(f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}")
        if a % rank in seen:
            raise ValueError(f"axis {a % rank} specified more than once.")
        seen.add(a % rank)
    return tuple(sorted(seen))


def _reverse_infer(inputs, attrs):
    x, axis_t = inputs
    check_dtype_in("ReverseV2", "axis", axis_t, INDEX)
    if axis_t.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {axis_t.shape.ndims}")
    axes = constant_value(axis_t)
    if axes is not None and x.shape.ndims is not None:
        _reversed_axes([int(a) for a in axes], x.shape.ndims)
    return [(x.dtype.base_dtype, x.shape)]


def _reverse_kernel(ctx, op, x, axis):
    axes = _reversed_axes(axis.tolist(), ctx.xp.ndim(x))
    return ctx.xp.flip(x, axis=axes) if axes else x


def _reverse_grad(op, grad):
    return [reverse(grad, op.inputs[1]), None]


register_op(
    "ReverseV2",
    _reverse_infer,
    kernel=_reverse_kernel,
    grad=_reverse_grad,
    grad_takes_indexed_slices=True,  # made dense as the reverse's tensor, as TF
)


@undo.atomic
def reverse(tensor, axis, name=None):
    """``tensor`` with the dimensions in ``axis`` reversed."""
    with name_scope(name, "ReverseV2", [tensor, axis]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        axis = int_operand(axis, "axis")
        return apply_op("ReverseV2", [x, axis], name=scope)


reverse_v2 = reverse

# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "concat",
    "reverse",
    "reverse_v2",
    "split",
    "tile",
    "unstack",
]
