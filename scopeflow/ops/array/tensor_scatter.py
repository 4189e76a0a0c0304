"""Scatters into a copy of a tensor: ``TensorScatterUpdate``, ``TensorScatterAdd`` and
``TensorScatterSub`` (``tf.tensor_scatter_nd_update``...): the slices of ``updates`` replace,
or are added to or subtracted from, the slices of ``tensor`` at the multi-indices in the last
dimension of ``indices``. ``check_scatter_nd_shapes`` is the static shape rule these ops share
with the variable updates ``ScatterNdUpdate``... (``ops/state/scatter.py``).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import check_scatter_nd_shapes
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, check_same_dtype

_SCATTER_INDEX = (*INDEX,)


def _update_shapes_text(indices: tuple, updates: tuple, shape: tuple, variable: bool):
    """TF's run-time message when ``updates`` do not fit ``indices`` and ``shape`` (the kernels
    of the tensor scatters and of the variables' ``ScatterNd*`` word it each their own way)."""
    depth, batch = indices[-1], len(indices) - 1
    inner = len(updates) - batch
    if variable:
        outer = min(batch, len(updates))  # (as TF counts them for its message)
        mismatch = _outer_mismatch(indices, updates, outer)
        if mismatch:
            return mismatch
        suffix = (
            f"Dimensions [{depth},{len(shape)}) of input[shape={shape_str(shape)}] must match "
            f"dimensions [{depth},{len(updates)}) of updates[shape={shape_str(updates)}]"
        )
    elif inner != len(shape) - depth:
        return (
            "Inner dimensions of output shape must match inner dimensions of updates shape. "
            f"Output: {shape_str(shape)} updates: {shape_str(updates)}"
        )
    else:
        suffix = (
            f"The inner {inner} dimensions of output.shape={shape_str(shape)} must match the "
            f"inner {inner} dimensions of updates.shape={shape_str(updates)}"
        )
    if inner != len(shape) - depth:
        return suffix
    mismatch = _outer_mismatch(indices, updates, batch)
    if mismatch:
        return mismatch
    return suffix if tuple(updates[batch:]) != tuple(shape[depth:]) else None


def _outer_mismatch(indices: tuple, updates: tuple, outer: int) -> str | None:
    """TF's text for the first of the ``outer`` leading dimensions where ``indices`` and
    ``updates`` differ; None when they agree."""
    for d in range(outer):
        if updates[d] != indices[d]:
            return (
                f"Dimensions [0,{outer}) of indices[shape={shape_str(indices)}] = {indices[d]} "
                f"must match dimensions [0,{outer}) of updates[shape={shape_str(updates)}] = "
                f"{updates[d]}"
            )
    return None


def scatter_nd_positions(
    op, indices: np.ndarray, updates: np.ndarray, shape: tuple, variable: bool = False
) -> tuple:
    """``(index tuple for NumPy, updates as one row per multi-index)`` for scattering into an
    array of ``shape`` (a variable's, with ``variable``), after TF's run-time checks (an
    ``InvalidArgumentError`` naming ``op``)."""
    depth = indices.shape[-1]
    text = _update_shapes_text(indices.shape, updates.shape, tuple(shape), variable)
    if text:
        raise errors.InvalidArgumentError(None, op, text)
    flat = indices.reshape(int(np.prod(indices.shape[:-1])), depth)
    bad = ((flat < 0) | (flat >= np.asarray(shape[:depth], dtype=np.int64))).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        entries = ", ".join(str(int(v)) for v in flat[i])
        raise errors.InvalidArgumentError(
            None, op, f"indices[{i}] = [{entries}] does not index into shape {shape_str(shape)}"
        )
    return tuple(flat.T), updates.reshape((-1, *shape[depth:]))


def _tensor_scatter_infer(op_type: str):
    def infer(inputs, attrs):
        tensor, indices, updates = inputs
        dtype = check_same_dtype(op_type, ("tensor", "updates"), [tensor, updates])
        check_dtype_in(op_type, "indices", indices, _SCATTER_INDEX)
        check_scatter_nd_shapes(tensor.shape, indices.shape, updates.shape)
        return [(dtype, tensor.shape)]

    return infer


def _tensor_scatter_kernel(ufunc):
    """The kernel applying ``ufunc`` (``np.add``, ``np.subtract``; ``None``: replace)."""

    def kernel(ctx, op, tensor, indices, updates):
        where, rows = scatter_nd_positions(op, indices, updates, tensor.shape)
        out = np.array(tensor, copy=True)
        if not where:  # every update covers the whole tensor
            for row in rows:
                out = row.copy() if ufunc is None else ufunc(out, row)
            return out.astype(tensor.dtype, copy=False)
        if ufunc is None:
            out[where] = rows
        else:
            ufunc.at(out, where, rows)
        return out

    return kernel


def _tensor_scatter_update_grad(op, grad):
    indices = op.inputs[1]
    updates_grad = gather_nd(grad, indices)
    tensor_grad = tensor_scatter_nd_update(
        identity(grad), indices, zeros_like(op.inputs[2], dtype=grad.dtype)
    )
    return [tensor_grad, None, updates_grad]


def _tensor_scatter_add_grad(op, grad):
    updates_grad = gather_nd(grad, op.inputs[1])
    return [identity(grad), None, updates_grad]


def _tensor_scatter_sub_grad(op, grad):
    updates_grad = gather_nd(grad, op.inputs[1])
    return [identity(grad), None, apply_op("Neg", [updates_grad], name="Neg")]


for _type, _ufunc, _grad in (
    ("TensorScatterUpdate", None, _tensor_scatter_update_grad),
    ("TensorScatterAdd", np.add, _tensor_scatter_add_grad),
    ("TensorScatterSub", np.subtract, _tensor_scatter_sub_grad),
):
    register_op(
        _type, _tensor_scatter_infer(_type), kernel=_tensor_scatter_kernel(_ufunc), grad=_grad
    )


def _tensor_scatter(op_type: str, tensor, indices, updates, name):
    with name_scope(name, op_type, [tensor, indices, updates]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        indices = convert_to_tensor(indices, name="indices")
        updates = convert_to_tensor(updates, dtype_hint=tensor.dtype.base_dtype, name="updates")
        return apply_op(op_type, [tensor, indices, updates], name=scope)


@undo.atomic
def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the slices at the multi-indices in the last dimension of
    ``indices`` replaced by the slices of ``updates``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     out = tf.tensor_scatter_nd_update([1.0, 2.0, 3.0, 4.0], [[0], [2]], [9.0, 8.0])
    ...     with tf.Session() as sess:
    ...         print(sess.run(out))
    [9. 2. 8. 4.]
    """
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, name)


@undo.atomic
def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the slices of ``updates`` added at the multi-indices in the
    last dimension of ``indices`` (repeated indices all add)."""
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, name)


@undo.atomic
def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the slices of ``updates`` subtracted at the multi-indices in
    the last dimension of ``indices`` (repeated indices all subtract)."""
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, name)


tensor_scatter_update = tensor_scatter_nd_update
tensor_scatter_add = tensor_scatter_nd_add
tensor_scatter_sub = tensor_scatter_nd_sub

__all__ = [
    "tensor_scatter_add",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_sub",
    "tensor_scatter_nd_update",
    "tensor_scatter_sub",
    "tensor_scatter_update",
]
