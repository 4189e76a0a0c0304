"""TF1.x's arithmetic op types that newer graphs build under other names: ``Add`` (now
``AddV2``; it also joins strings), ``Div`` (``RealDiv``'s predecessor: C's division on
integers), ``Mod`` (C's remainder, ``fmod``), ``Inv``/``InvGrad`` (``Reciprocal``'s),
``OnesLike``, ``ClipByValue`` and ``BatchMatMul`` (no broadcasting of the batch dimensions,
as ``BatchMatMulV2`` does).

Where TF computes exactly what a newer op type does, the old type takes that entry's shape
rule, kernel and gradient (``alias``); the gradients are the ones TF registers for the old
type (``Mod`` has none, ``OnesLike`` is not differentiable).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def, register_op
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import NUMBERS, check_same_dtype, no_gradient, same_as_first
from scopeflow.ops.math.broadcasting import sum_to_inputs
from scopeflow.ops.math.elementwise import binary_infer
from scopeflow.ops.math.ufunc_kernels import binary_kernel

TensorShape = tensor_shape.TensorShape


def alias(op_type: str, modern: str, **facts) -> None:
    """Registers ``op_type`` with the shape rule, kernel and gradient of ``modern`` (an op
    type computing the same), ``facts`` replacing some of them."""
    entry = get_op_def(modern)
    facts = {"kernel": entry.kernel, "grad": entry.grad, **facts}
    register_op(op_type, facts.pop("infer", entry.infer), **facts)


def _add_grad(op, grad):
    return sum_to_inputs(*op.inputs, grad, grad)


# Add also concatenates strings (AddV2 does not).
register_op(
    "Add",
    binary_infer("Add", NUMBERS + (dtypes.string,), False),
    kernel=binary_kernel(np.add),
    grad=_add_grad,
)
alias("Div", "RealDiv")  # integers: rounded toward zero, as RealDiv here and TF's Div
alias("Mod", "TruncateMod", grad=no_gradient)  # TF registers no gradient for Mod
alias("Inv", "Reciprocal")  # its gradient builds ReciprocalGrad, as TF's _InvGrad does
alias("InvGrad", "ReciprocalGrad")


def _ones_like_kernel(ctx, op, x):
    return np.ones_like(x)


register_op("OnesLike", same_as_first, kernel=_ones_like_kernel, grad=NOT_DIFFERENTIABLE)


# -- ClipByValue --------------------------------------------------------------------------


def _clip_infer(inputs, attrs):
    t = inputs[0]
    # As TF's: the bounds' shapes are checked when the kernel runs.
    dtype = check_same_dtype("ClipByValue", ("t", "clip_value_min", "clip_value_max"), inputs)
    return [(dtype, t.shape)]


def _clip_kernel(ctx, op, t, low, high):
    for bound in (low, high):
        if bound.shape not in ((), t.shape):
            raise errors.InvalidArgumentError(
                None,
                op,
                "clip_value_min and clip_value_max must be either of the same shape as input, "
                f"or a scalar. input shape: {list(t.shape)}clip_value_min shape: "
                f"{list(low.shape)}clip_value_max shape: {list(high.shape)}",
            )
    return np.minimum(np.maximum(t, low), high).astype(t.dtype, copy=False)


def _clip_grad(op, grad):
    """TF's ``_clip_by_value_grad``: the gradient passes where ``t`` lies within its bounds;
    where it is below (above) them it goes to the lower (upper) bound, summed to its shape."""
    t, low, high = op.inputs
    zeros = zeros_like(grad)
    below = build.binary("Less", t, low)
    above = build.binary("Greater", t, high)
    inside = build.binary("LogicalOr", below, above)
    gt = build.select("SelectV2", inside, zeros, grad)
    glow = build.select("SelectV2", below, grad, zeros)
    ghigh = build.select("SelectV2", above, grad, zeros)
    _, glow = sum_to_inputs(t, low, grad, glow)
    _, ghigh = sum_to_inputs(t, high, grad, ghigh)
    return [gt, glow, ghigh]


register_op("ClipByValue", _clip_infer, kernel=_clip_kernel, grad=_clip_grad)


# -- BatchMatMul --------------------------------------------------------------------------

_V2 = get_op_def("BatchMatMulV2")


def _batch_matmul_infer(inputs, attrs):
    x, y = inputs
    out = _V2.infer(inputs, attrs)
    if x.shape.ndims is not None and y.shape.ndims is not None:
        if x.shape.ndims != y.shape.ndims:
            raise ValueError(
                f"Shape must be rank {x.shape.ndims} but is rank {y.shape.ndims} for 'y' "
                f"(BatchMatMul: x {x.shape}, y {y.shape}; use BatchMatMulV2 to broadcast)"
            )
        batch = TensorShape(x.shape[:-2]).merge_with(TensorShape(y.shape[:-2]))
        out = [(out[0][0], batch.concatenate(out[0][1][-2:]))]
    return out


def _batch_matmul_kernel(ctx, op, x, y):
    if x.ndim != y.ndim or x.shape[:-2] != y.shape[:-2]:
        raise errors.InvalidArgumentError(
            None,
            op,
            "In[0] and In[1] must have compatible batch dimensions: "
            f"{list(x.shape)} vs. {list(y.shape)}",
        )
    return _V2.kernel(ctx, op, x, y)


register_op("BatchMatMul", _batch_matmul_infer, kernel=_batch_matmul_kernel, grad=_V2.grad)
