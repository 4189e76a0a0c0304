"""JAX lowerings of TF 1.x's op types (``scopeflow/ops/legacy/``): each computes as its newer
twin's lowering, its inputs and attrs read as the old type has them (``Concat``'s axis first,
``TopK``'s ``k`` an attr, ``MaxPoolV2``'s window an input known while tracing), and of
``StridedSliceAssign`` (``v[1:3].assign(x)``)."""

from __future__ import annotations

import types

import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.registry import get_op_def
from scopeflow.session.jax_lowering import array, math, nn, state
from scopeflow.session.jax_lowering.common import moved, static

_TWINS = {**math.LOWERINGS, **array.LOWERINGS, **nn.LOWERINGS, **state.LOWERINGS}


def _with_window(op, ksize, strides):
    """``op`` with the window and strides (inputs of ``MaxPoolV2``) as the attrs that
    ``MaxPool``'s lowering reads."""
    window = {"ksize": static(ksize).tolist(), "strides": static(strides).tolist()}
    return types.SimpleNamespace(_attrs={**op._attrs, **window}, _outputs=op._outputs)


def _max_pool_v2(ctx, op, x, ksize, strides):
    return _TWINS["MaxPool"](ctx, _with_window(op, ksize, strides), x)


def _pool_grad_v2(twin: str):
    def lower(ctx, op, x, y, grad, ksize, strides):
        return _TWINS[twin](ctx, _with_window(op, ksize, strides), x, y, grad)

    return lower


def _fused_batch_norm(ctx, op, *args):
    """``FusedBatchNormV3``'s lowering less its sixth output (which it makes of the dtype of
    an output these ops lack: the fifth's stands in)."""
    v3 = types.SimpleNamespace(_attrs=op._attrs, _outputs=[*op._outputs, op._outputs[4]])
    return _TWINS["FusedBatchNormV3"](ctx, v3, *args)[:5]


def _global_norm(ctx, op, t, m, v, beta, gamma):
    attrs = op._attrs
    inv = 1 / jnp.sqrt(v + attrs["variance_epsilon"])
    scale = inv * gamma if attrs["scale_after_normalization"] else inv
    return (t - m) * scale + beta


def _global_norm_grad(ctx, op, t, m, v, gamma, backprop):
    attrs = op._attrs
    inv = 1 / jnp.sqrt(v + attrs["variance_epsilon"])
    scaled = attrs["scale_after_normalization"]
    scale = inv * gamma if scaled else inv
    db = jnp.sum(backprop, axis=(0, 1, 2))
    centered = jnp.sum(backprop * (t - m), axis=(0, 1, 2))
    dv = centered * (-0.5 * inv**3) * (gamma if scaled else 1)
    dg = centered * inv if scaled else jnp.zeros_like(gamma)
    return backprop * scale, -db * scale, dv, db, dg


def _space_to_batch(ctx, op, x, paddings):
    """Padded here (``moved`` picks elements, it makes no zeros), then moved by the kernel."""
    pads = static(paddings, np.int64)
    padded = jnp.pad(jnp.asarray(x), [(0, 0), *map(tuple, pads.tolist()), (0, 0)])
    return moved(op.op_def.kernel, ctx, op, padded, np.zeros_like(pads))


def _strided_slice_assign(ctx, op, var_op, begin, end, strides, value):
    """The slice's positions picked by ``StridedSlice``'s kernel from an index array (the
    slice is known while tracing), then set to ``value``."""
    old = jnp.asarray(ctx.read_variable(var_op, op))
    index = np.arange(old.size, dtype=np.int64).reshape(old.shape)
    slicer = get_op_def("StridedSlice").kernel
    picked = np.asarray(slicer(ctx, op, index, static(begin), static(end), static(strides)))
    if picked.shape != tuple(jnp.shape(value)):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"sliced l-value shape {list(picked.shape)} does not match r-value shape "
            f"{list(jnp.shape(value))}. Automatic broadcasting not yet implemented.",
        )
    flat = jnp.ravel(old).at[picked.reshape(-1)].set(jnp.ravel(value).astype(old.dtype))
    new = flat.reshape(old.shape)
    ctx.write_variable(var_op, new)
    return new


LOWERINGS: dict = {
    "Add": _TWINS["AddV2"],  # (joining strings runs on the host: no strings in XLA)
    "Div": _TWINS["RealDiv"],
    "Mod": lambda ctx, op, x, y: jnp.fmod(x, y),
    "Inv": _TWINS["Reciprocal"],
    "InvGrad": _TWINS["ReciprocalGrad"],
    "OnesLike": lambda ctx, op, x: jnp.ones_like(x),
    "ClipByValue": lambda ctx, op, t, low, high: jnp.minimum(jnp.maximum(t, low), high),
    "BatchMatMul": _TWINS["BatchMatMulV2"],
    "Concat": lambda ctx, op, axis, *xs: _TWINS["ConcatV2"](ctx, op, *xs, axis),
    "Gather": lambda ctx, op, params, indices: _TWINS["GatherV2"](ctx, op, params, indices, 0),
    "Reverse": lambda ctx, op, x, dims: jnp.flip(x, tuple(np.flatnonzero(static(dims)))),
    "Snapshot": lambda ctx, op, x: x,
    "BiasAddV1": _TWINS["BiasAdd"],
    "TopK": lambda ctx, op, x: _TWINS["TopKV2"](ctx, op, x, op._attrs["k"]),
    "InTopK": lambda ctx, op, p, t: _TWINS["InTopKV2"](ctx, op, p, t, op._attrs["k"]),
    **dict.fromkeys(["FusedBatchNorm", "FusedBatchNormV2"], _fused_batch_norm),
    **dict.fromkeys(
        ["FusedBatchNormGrad", "FusedBatchNormGradV2"],
        lambda ctx, op, *args: _TWINS["FusedBatchNormGradV3"](ctx, op, *args, None),
    ),
    "MaxPoolV2": _max_pool_v2,
    "MaxPoolGradV2": _pool_grad_v2("MaxPoolGrad"),
    "MaxPoolGradGradV2": _pool_grad_v2("MaxPoolGradGrad"),
    "BatchNormWithGlobalNormalization": _global_norm,
    "BatchNormWithGlobalNormalizationGrad": _global_norm_grad,
    "SpaceToBatch": _space_to_batch,
    "BatchToSpace": lambda ctx, op, x, crops: moved(op.op_def.kernel, ctx, op, x, crops),
    "Variable": _TWINS["VariableV2"],
    "RefIdentity": lambda ctx, op, var_op: ctx.read_variable(var_op, op),
    "StridedSliceAssign": _strided_slice_assign,
}
