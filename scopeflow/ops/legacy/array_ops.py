"""TF1.x's array and state op types: ``Concat`` (the axis first; ``ConcatV2`` takes it last),
``Gather`` (axis 0, no axis input), ``Reverse`` (a bool per dimension; ``ReverseV2`` takes
axes), ``Snapshot``, ``RefIdentity``, ``PlaceholderV2`` and the reference variable
``Variable`` (``VariableV2``'s predecessor), ``SpaceToBatch``/``BatchToSpace`` (a square block
``block_size`` over the two spatial dimensions of NHWC images)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import get_op_def, register_op
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, rank, size
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    constant_value,
    no_gradient,
    same_as_first,
)
from scopeflow.ops.legacy.math_ops import alias

TensorShape = tensor_shape.TensorShape

# -- Concat -------------------------------------------------------------------------------

_CONCAT_V2 = get_op_def("ConcatV2")


def _concat_infer(inputs, attrs):
    axis_t, *values = inputs
    if axis_t.dtype.base_dtype != dtypes.int32:
        raise TypeError(
            f"Input 'concat_dim' of 'Concat' Op has type {axis_t.dtype.base_dtype.name} that "
            "does not match expected type of int32."
        )
    return _CONCAT_V2.infer([*values, axis_t], attrs)


def _concat_kernel(ctx, op, axis, *values):
    return _CONCAT_V2.kernel(ctx, op, *values, axis)


def _concat_grad(op, grad):
    """TF's ``_ConcatGrad``: each input's slice of ``grad``, at the offsets ``ConcatOffset``
    gives; none for the axis."""
    axis_t, *values = op.inputs
    if len(values) == 1:
        return [None, grad]
    axis = cast(axis_t, dtypes.int32) % rank(values[0])
    sizes = [shape(v) for v in values]
    offsets = apply_op("ConcatOffset", [axis, *sizes], {"N": len(sizes)})
    offsets = offsets if isinstance(offsets, (list, tuple)) else [offsets]
    return [None] + [build.slice(grad, b, s) for b, s in zip(offsets, sizes, strict=True)]


register_op("Concat", _concat_infer, kernel=_concat_kernel, grad=_concat_grad)

# -- Gather -------------------------------------------------------------------------------


def _gather_infer(inputs, attrs):
    params, indices = inputs
    check_dtype_in("Gather", "indices", indices, INDEX)
    if params.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for 'params'")
    if params.shape.ndims is None or indices.shape.ndims is None:
        return [(params.dtype.base_dtype, tensor_shape.unknown_shape())]
    return [(params.dtype.base_dtype, indices.shape.concatenate(params.shape[1:]))]


def _gather_kernel(ctx, op, params, indices):
    if params.ndim == 0:
        raise ValueError("params must be at least 1 dimensional")
    bad = (indices < 0) | (indices >= params.shape[0])
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
        where = "[" + ",".join(map(str, pos)) + "]" if pos else ""
        raise ValueError(f"indices{where} = {int(indices[pos])} is not in [0, {params.shape[0]})")
    return np.take(params, indices, axis=0)


def _gather_grad(op, grad):
    """TF's ``_GatherGrad``: ``IndexedSlices`` of ``grad``'s rows at the flattened indices."""
    params, indices = op.inputs
    params_shape = shape(params)
    n_ids = expand_dims(size(indices), 0)
    values = reshape(grad, concat([n_ids, params_shape[1:]], 0))
    return [IndexedSlices(values, reshape(indices, n_ids), params_shape), None]


register_op("Gather", _gather_infer, kernel=_gather_kernel, grad=_gather_grad)

# -- Reverse ------------------------------------------------------------------------------


def _reverse_infer(inputs, attrs):
    x, dims = inputs
    if dims.dtype.base_dtype != dtypes.bool:
        raise TypeError(
            f"Input 'dims' of 'Reverse' Op has type {dims.dtype.base_dtype.name} that does not "
            "match expected type of bool."
        )
    if dims.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {dims.shape.ndims} for 'dims'")
    if x.shape.ndims is not None and x.shape.ndims > 8:
        raise ValueError(f"reverse does not work on tensors with more than 8 dimensions: {x.shape}")
    if dims.shape.ndims == 1 and x.shape.ndims is not None:
        if dims.shape[0].value not in (None, x.shape.ndims):
            raise ValueError(
                f"Shape must be rank {dims.shape[0].value} but is rank {x.shape.ndims} for "
                f"'tensor' (dims {dims.shape})"
            )
    return [(x.dtype.base_dtype, x.shape)]


def _reverse_kernel(ctx, op, x, dims):
    if dims.shape != (x.ndim,):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"'dims' must have the same number of values as 'input' has dimensions. 'input' has "
            f"{x.ndim}'dims' has {dims.size} values",
        )
    axes = tuple(int(i) for i in np.flatnonzero(dims))
    return np.flip(x, axes).copy() if axes else x


def _reverse_grad(op, grad):
    return [apply_op("Reverse", [grad, op.inputs[1]]), None]


register_op("Reverse", _reverse_infer, kernel=_reverse_kernel, grad=_reverse_grad)

# -- Snapshot, RefIdentity, PlaceholderV2, Variable --------------------------------------


def _copy_kernel(ctx, op, x):
    return x


# TF registers no gradient for Snapshot: tf.gradients through one raises LookupError.
register_op("Snapshot", same_as_first, kernel=_copy_kernel, grad=no_gradient)


def _ref_identity_infer(inputs, attrs):
    return [(inputs[0].dtype, inputs[0].shape)]


def _ref_identity_kernel(ctx, op, var_op):
    return ctx.read_variable(var_op, op)


register_op(
    "RefIdentity",
    _ref_identity_infer,
    kernel=_ref_identity_kernel,
    grad=lambda op, grad: grad,
    ref_inputs=(0,),
    ref_output=True,
    stateful=True,  # reads the variable each time it runs
)
alias("PlaceholderV2", "Placeholder", is_placeholder=True)
alias("Variable", "VariableV2", stateful=True, is_variable=True)

# -- SpaceToBatch, BatchToSpace -----------------------------------------------------------

_SPACE_TO_BATCH = get_op_def("SpaceToBatchND")
_BATCH_TO_SPACE = get_op_def("BatchToSpaceND")


def _square_block_infer(op_type: str, second: str):
    def infer(inputs, attrs):
        x, pads_t = inputs
        check_dtype_in(op_type, second, pads_t, INDEX)
        block = attrs["block_size"]
        if block < 2:
            raise ValueError(f"Attr block_size has value {block} must be greater than 1")
        if x.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims} for 'input'")
        if pads_t.shape.ndims is not None and pads_t.shape.as_list() not in ([2, 2], [None] * 2):
            raise ValueError(f"{second} must be a 2x2 matrix, got shape {pads_t.shape}")
        if x.shape.ndims is None:
            return [(x.dtype.base_dtype, tensor_shape.unknown_shape(4))]
        n, h, w, c = x.shape.as_list()
        pads = constant_value(pads_t)
        spatial = [None, None]
        if pads is not None:
            for i, d in enumerate((h, w)):
                if d is not None:
                    p = int(pads[i][0]) + int(pads[i][1])
                    spatial[i] = (d + p) // block if op_type == "SpaceToBatch" else d * block - p
        batch = None
        if n is not None and op_type == "SpaceToBatch":
            batch = n * block * block
        elif n is not None:
            for size in (n, n // block):
                if size % block:
                    raise ValueError(
                        f"Dimension size must be evenly divisible by {block} but is {size}"
                    )
            batch = n // (block * block)
        return [(x.dtype.base_dtype, TensorShape([batch, *spatial, c]))]

    return infer


def _block_of(op) -> np.ndarray:
    return np.array([op._attrs["block_size"]] * 2, np.int64)


def _space_to_batch_kernel(ctx, op, x, pads):
    return _SPACE_TO_BATCH.kernel(ctx, op, x, _block_of(op), pads)


def _batch_to_space_kernel(ctx, op, x, crops):
    return _BATCH_TO_SPACE.kernel(ctx, op, x, _block_of(op), crops)


def _space_to_batch_grad(op, grad):
    attrs = {"block_size": op._attrs["block_size"]}
    return [apply_op("BatchToSpace", [grad, op.inputs[1]], attrs), None]


def _batch_to_space_grad(op, grad):
    attrs = {"block_size": op._attrs["block_size"]}
    return [apply_op("SpaceToBatch", [grad, op.inputs[1]], attrs), None]


register_op(
    "SpaceToBatch",
    _square_block_infer("SpaceToBatch", "paddings"),
    kernel=_space_to_batch_kernel,
    grad=_space_to_batch_grad,
)
register_op(
    "BatchToSpace",
    _square_block_infer("BatchToSpace", "crops"),
    kernel=_batch_to_space_kernel,
    grad=_batch_to_space_grad,
)
