"""Padding: ``tf.pad`` (``Pad``, ``PadV2``, ``MirrorPad``) and ``MirrorPad``'s gradient op."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.shape import rank
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, constant_value, int_operand

TensorShape = tensor_shape.TensorShape

# -- pad ----------------------------------------------------------------------------------

_PAD_MODES = {"CONSTANT": "constant", "REFLECT": "reflect", "SYMMETRIC": "symmetric"}


def _pad_infer(op_type: str):
    def infer(inputs, attrs):
        x, paddings_t = inputs[:2]
        check_dtype_in(op_type, "paddings", paddings_t, INDEX)
        dtype = x.dtype.base_dtype
        p_shape = paddings_t.shape
        if p_shape.ndims not in (None, 2) or (
            p_shape.ndims == 2 and p_shape[1].value not in (None, 2)
        ):
            raise ValueError(f"paddings must be a matrix with 2 columns, got shape {p_shape}")
        rank = x.shape.ndims
        rows = p_shape[0].value if p_shape.ndims == 2 else None
        if rank is not None and rows is not None and rows != rank:
            raise ValueError(f"Shape must be rank {rows} but is rank {rank}")
        rank = rank if rank is not None else rows
        if rank is None:
            return [(dtype, tensor_shape.unknown_shape())]
        dims = x.shape.as_list() if x.shape.ndims is not None else [None] * rank
        paddings = constant_value(paddings_t)
        if paddings is None:
            return [(dtype, tensor_shape.unknown_shape(rank))]
        paddings = [[int(a), int(b)] for a, b in paddings]
        if any(a < 0 or b < 0 for a, b in paddings):  # (too large a mirror fails at run, as TF)
            raise ValueError("Paddings must be non-negative")
        out = [None if d is None else d + a + b for d, (a, b) in zip(dims, paddings, strict=True)]
        return [(dtype, TensorShape(out))]

    return infer


def _check_paddings(paddings: list, dims, mode: str) -> None:
    """The pad kernels' checks of paddings against the dims, in TF's words for the mode."""
    for (before, after), dim in zip(paddings, dims, strict=True):
        if before < 0 or after < 0:
            what = "Paddings" if mode == "CONSTANT" else "paddings"
            raise ValueError(f"{what} must be non-negative: {before} {after}")
        if dim is None:
            continue
        if mode == "REFLECT" and (before >= dim or after >= dim):
            raise ValueError(
                f"paddings must be less than the dimension size: {before}, {after} not less "
                f"than {dim}"
            )
        if mode == "SYMMETRIC" and (before > dim or after > dim):
            raise ValueError(
                f"paddings must be no greater than the dimension size: {before}, {after} "
                f"greater than {dim}"
            )


def _pad_kernel(ctx, op, x, paddings, constant_values=None):
    rank = ctx.xp.ndim(x)
    mode = op._attrs.get("mode", "CONSTANT")
    if ctx.xp.shape(paddings) != (rank, 2):
        raise ValueError(
            "The first dimension of paddings must be the rank of inputs"
            f"{shape_str(ctx.xp.shape(paddings))}{' ' if mode == 'CONSTANT' else ', '}"
            f"{shape_str(ctx.xp.shape(x))}"
        )
    pairs = paddings.tolist()
    _check_paddings(pairs, ctx.xp.shape(x), mode)
    if mode != "CONSTANT":
        return ctx.xp.pad(x, pairs, mode=_PAD_MODES[mode])
    if constant_values is None:
        constant_values = b"" if x.dtype.kind == "O" else x.dtype.type(0)
    elif ctx.xp.ndim(constant_values):  # TF looks at it when the graph runs, if it pads
        if not any(a or b for a, b in pairs):
            return x
        found = shape_str(ctx.xp.shape(constant_values))
        raise ValueError(f"constant_values must be a scalar. Found: {found}")
    return ctx.xp.pad(x, pairs, mode="constant", constant_values=constant_values)


def _pad_grad(op, grad):
    """The middle of ``grad``; for ``PadV2`` also the sum of the rest, for ``constant_values``
    (TF1 returns ``None`` for it)."""
    x, paddings = op.inputs[:2]
    corner = build.slice(paddings, [0, 0], stack([rank(x), 1]))
    dx = build.slice(grad, reshape(corner, [-1]), shape(x, out_type=paddings.dtype.base_dtype))
    if op.type == "Pad":
        return [dx, None]
    return [dx, None, build.reduce_sum(grad) - build.reduce_sum(dx)]


# An IndexedSlices gradient made dense as the slice's input (Slice_1/input), as TF's
register_op(
    "Pad", _pad_infer("Pad"), kernel=_pad_kernel, grad=_pad_grad, grad_takes_indexed_slices=True
)
register_op("PadV2", _pad_infer("PadV2"), kernel=_pad_kernel, grad=_pad_grad)


def _mirror_pad_grad(op, grad):
    attrs = {"mode": op._attrs["mode"]}
    with name_scope("MirrorPadGrad") as scope:  # an IndexedSlices made dense as its input
        grad = convert_to_tensor(grad, name="input")
        return [apply_op("MirrorPadGrad", [grad, op.inputs[1]], attrs, scope), None]


register_op(
    "MirrorPad",
    _pad_infer("MirrorPad"),
    kernel=_pad_kernel,
    grad=_mirror_pad_grad,
    grad_takes_indexed_slices=True,
)


def _mirror_pad_grad_infer(inputs, attrs):
    grad, paddings_t = inputs
    check_dtype_in("MirrorPadGrad", "paddings", paddings_t, INDEX)
    dtype = grad.dtype.base_dtype
    paddings = constant_value(paddings_t)
    if grad.shape.ndims is None:
        n = None if paddings is None else len(paddings)
        return [(dtype, tensor_shape.unknown_shape(n))]
    if paddings is None:
        return [(dtype, tensor_shape.unknown_shape(grad.shape.ndims))]
    pairs = [[int(a), int(b)] for a, b in paddings]
    if len(pairs) != grad.shape.ndims:
        raise ValueError(
            f"paddings must have shape [{grad.shape.ndims}, 2] for an input of rank "
            f"{grad.shape.ndims}, got {len(pairs)} rows"
        )
    dims = [
        None if d is None else d - a - b
        for d, (a, b) in zip(grad.shape.as_list(), pairs, strict=True)
    ]
    _check_paddings(pairs, dims, attrs["mode"])
    return [(dtype, TensorShape(dims))]


def _mirror_pad_grad_kernel(ctx, op, grad, paddings):
    """Adds each mirrored entry of ``grad`` back onto the entry it copies, axis by axis."""
    xp = ctx.xp
    pairs = paddings.tolist()
    mode = op._attrs["mode"]
    dims = [d - a - b for d, (a, b) in zip(xp.shape(grad), pairs, strict=True)]
    if min(dims, default=0) < 0:
        raise ValueError(f"paddings {pairs} are larger than the padded shape {list(grad.shape)}")
    _check_paddings(pairs, dims, mode)
    edge = 1 if mode == "REFLECT" else 0  # REFLECT does not repeat the edge entry
    out = grad
    for axis, ((before, after), n) in enumerate(zip(pairs, dims, strict=True)):
        source = np.concatenate(
            [
                np.arange(before - 1 + edge, edge - 1, -1),
                np.arange(n),
                np.arange(n - 1 - edge, n - 1 - edge - after, -1),
            ]
        )
        moved = xp.moveaxis(out, axis, 0)
        folded = xp.zeros((n, *moved.shape[1:]), dtype=grad.dtype)
        xp.add.at(folded, source, moved)
        out = xp.moveaxis(folded, 0, axis)
    return out


def _mirror_pad_grad_grad(op, grad):
    attrs = {"mode": op._attrs["mode"]}
    return [apply_op("MirrorPad", [grad, op.inputs[1]], attrs, "MirrorPad"), None]


register_op(
    "MirrorPadGrad",
    _mirror_pad_grad_infer,
    kernel=_mirror_pad_grad_kernel,
    grad=_mirror_pad_grad_grad,
)


@undo.atomic
def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pads ``tensor`` with ``paddings[i] = [before, after]`` entries along each dimension.

    ``mode`` is ``"CONSTANT"`` (``constant_values``; a ``Pad`` op for zero, else ``PadV2``),
    ``"REFLECT"`` or ``"SYMMETRIC"`` (``MirrorPad``), in any case.
    """
    mode = str(mode).upper()
    if mode not in _PAD_MODES:
        raise ValueError(
            'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
            f'"SYMMETRIC". Received `mode` = {mode}'
        )
    zero = (
        mode == "CONSTANT"
        and not isinstance(constant_values, Tensor)
        and np.ndim(constant_values) == 0
        and constant_values == np.zeros_like(constant_values)
    )
    op_type = "Pad" if zero else "PadV2" if mode == "CONSTANT" else "MirrorPad"
    with name_scope(name, op_type, [tensor, paddings]) as scope:
        x = convert_to_tensor(tensor, name="input")
        paddings = int_operand(paddings, "paddings")
        if op_type == "PadV2":
            value = convert_to_tensor(
                constant_values, dtype=x.dtype.base_dtype, name="constant_values"
            )
            return apply_op("PadV2", [x, paddings, value], name=scope)
        attrs = {"mode": mode} if op_type == "MirrorPad" else {}
        return apply_op(op_type, [x, paddings], attrs, name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["pad"]
