"""TF1.x's neural-network op types: ``BiasAddV1`` (no ``data_format``), ``TopK`` and
``InTopK`` (``k`` an attr, not an input), ``FusedBatchNorm``/``FusedBatchNormV2`` and their
gradients (``FusedBatchNormV3`` less its sixth output), ``MaxPoolV2`` and its gradients
(window and strides as inputs), ``BatchNormWithGlobalNormalization`` and its gradient (the
batch norm of Inception's 2015 graphs), ``NonMaxSuppression``/``NonMaxSuppressionV2``.

The kernels are those of the newer op types; only the inputs and attrs are read otherwise.
Like the newer ops, these compute in NHWC: an NCHW ``data_format`` raises
``NotImplementedError``.
"""

from __future__ import annotations

import types

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def, register_op
from scopeflow.ops.array.shape import rank, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    constant_value,
    no_gradient,
)
from scopeflow.ops.nn.basic import check_top_k, top_k_indices
from scopeflow.ops.nn.conv import check_nhwc, check_rank

TensorShape = tensor_shape.TensorShape

# -- BiasAddV1 ----------------------------------------------------------------------------

_BIAS_ADD = get_op_def("BiasAdd")


def _bias_add_v1_grad(op, grad):
    """TF's ``_BiasAddGradV1``: the bias's gradient is ``grad`` summed over all but the last
    dimension."""
    leading = build.range_of(0, rank(op.inputs[0]) - 1, 1)
    return [grad, build.reduce_sum(grad, leading)]


register_op("BiasAddV1", _BIAS_ADD.infer, kernel=_BIAS_ADD.kernel, grad=_bias_add_v1_grad)

# -- TopK, InTopK -------------------------------------------------------------------------

_TOP_K_V2 = get_op_def("TopKV2")
_IN_TOP_K_V2 = get_op_def("InTopKV2")


def _top_k_infer(inputs, attrs):
    x = inputs[0]
    k = attrs["k"]
    dtype = x.dtype.base_dtype
    if k < 0:
        raise ValueError(f"Value for attr 'k' of {k} must be at least minimum 0")
    if x.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0 for 'input'")
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape()), (dtypes.int32, tensor_shape.unknown_shape())]
    last = x.shape[-1].value
    if last is not None and last < k:
        raise ValueError(f"input must have last dimension >= k = {k} but is {last}")
    out = x.shape[:-1].concatenate([k])
    return [(dtype, out), (dtypes.int32, out)]


def _top_k_kernel(ctx, op, x):
    k = op._attrs["k"]
    check_top_k(x, k)
    indices = top_k_indices(x, k)
    return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)


def _top_k_grad(op, grad, indices_grad):
    return _TOP_K_V2.grad(op, grad, indices_grad)[:1]


register_op("TopK", _top_k_infer, kernel=_top_k_kernel, grad=_top_k_grad)


def _in_top_k_infer(inputs, attrs):
    predictions, targets = inputs
    if predictions.dtype.base_dtype != dtypes.float32:
        raise TypeError(
            f"Input 'predictions' of 'InTopK' Op has type {predictions.dtype.base_dtype.name} "
            "that does not match expected type of float32."
        )
    check_dtype_in("InTopK", "targets", targets, INDEX)
    check_rank("predictions", predictions, 2)
    check_rank("targets", targets, 1)
    batch = TensorShape(predictions.shape[:1] if predictions.shape.ndims else [None])
    return [(dtypes.bool, batch.merge_with(targets.shape[:1] if targets.shape.ndims else [None]))]


def _in_top_k_kernel(ctx, op, predictions, targets):
    return _IN_TOP_K_V2.kernel(ctx, op, predictions, targets, op._attrs["k"])


register_op("InTopK", _in_top_k_infer, kernel=_in_top_k_kernel, grad=NOT_DIFFERENTIABLE)

# -- FusedBatchNorm, FusedBatchNormV2 and their gradients ---------------------------------

_BATCH_NORM_V3 = get_op_def("FusedBatchNormV3")
_BATCH_NORM_GRAD_V3 = get_op_def("FusedBatchNormGradV3")


def _batch_norm_infer(op_type: str):
    def infer(inputs, attrs):
        x = inputs[0]
        check_nhwc(attrs["data_format"])
        if op_type == "FusedBatchNorm":
            check_dtype_in(op_type, "x", x, (dtypes.float32,))
        elif x.dtype.base_dtype not in (dtypes.float16, dtypes.bfloat16, dtypes.float32):
            check_dtype_in(op_type, "x", x, (dtypes.float16, dtypes.bfloat16, dtypes.float32))
        return _BATCH_NORM_V3.infer(inputs, attrs)[:5]

    return infer


def _batch_norm_kernel(ctx, op, x, scale, offset, mean, variance):
    return _BATCH_NORM_V3.kernel(ctx, op, x, scale, offset, mean, variance)[:5]


def _batch_norm_grad(grad_type: str):
    """TF's ``_FusedBatchNormGrad``/``_FusedBatchNormV2Grad``: ``grad_type`` of the saved
    batch statistics (in training) or of the given mean and variance (in inference)."""

    def grad_fn(op, *grads):
        attrs = {k: op._attrs[k] for k in ("epsilon", "data_format", "is_training")}
        x, scale = op.inputs[0], op.inputs[1]
        saved = op.outputs[3:5] if attrs["is_training"] else op.inputs[3:5]
        dx, dscale, doffset, _, _ = apply_op(grad_type, [grads[0], x, scale, *saved], attrs)
        return [dx, dscale, doffset, None, None]

    return grad_fn


def _batch_norm_grad_infer(inputs, attrs):
    check_nhwc(attrs["data_format"])
    return _BATCH_NORM_GRAD_V3.infer(inputs, attrs)


def _batch_norm_grad_kernel(ctx, op, dy, x, scale, saved_mean, saved_var):
    return _BATCH_NORM_GRAD_V3.kernel(ctx, op, dy, x, scale, saved_mean, saved_var, None)


for _type, _grad_type in (
    ("FusedBatchNorm", "FusedBatchNormGrad"),
    ("FusedBatchNormV2", "FusedBatchNormGradV2"),
):
    register_op(
        _type,
        _batch_norm_infer(_type),
        kernel=_batch_norm_kernel,
        grad=_batch_norm_grad(_grad_type),
    )
    # As FusedBatchNormGradV3 here: no second derivative (TF1 has one).
    register_op(
        _grad_type, _batch_norm_grad_infer, kernel=_batch_norm_grad_kernel, grad=NOT_DIFFERENTIABLE
    )

# -- MaxPoolV2 and its gradients ----------------------------------------------------------

_MAX_POOL = get_op_def("MaxPool")
_MAX_POOL_GRAD = get_op_def("MaxPoolGrad")
_MAX_POOL_GRAD_GRAD = get_op_def("MaxPoolGradGrad")


def _window_attrs(op_type: str, attrs, ksize, strides) -> dict | None:
    """``attrs`` with the window and strides (known values, or None when unknown)."""
    check_nhwc(attrs["data_format"])
    values = []
    for name, v in (("ksize", ksize), ("strides", strides)):
        if v is None:
            return None
        v = [int(i) for i in np.reshape(v, -1)]
        if len(v) != 4:
            raise ValueError(f"{op_type}: {name} must have 4 elements, got {v}")
        if v[0] != 1 or v[3] != 1:
            raise ValueError(
                f"{op_type}: pooling is not yet supported on the batch or depth dimensions "
                f"({name} {v})"
            )
        values.append(v)
    return {**attrs, "ksize": values[0], "strides": values[1]}


def _pool_v2_infer(inputs, attrs):
    x, ksize, strides = inputs
    for arg, t in (("ksize", ksize), ("strides", strides)):
        check_dtype_in("MaxPoolV2", arg, t, (dtypes.int32,))
    window = _window_attrs("MaxPoolV2", attrs, constant_value(ksize), constant_value(strides))
    if window is None:  # as TF's shape function: nothing known without the window
        check_rank("input", x)
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    return _MAX_POOL.infer([x], window)


def _grad_v2_infer(base):
    def infer(inputs, attrs):
        *tensors, ksize, strides = inputs
        _window_attrs("MaxPoolGradV2", attrs, [1] * 4, [1] * 4)
        return base.infer(tensors, attrs)

    return infer


def _with_window(op, ksize, strides):
    """A stand-in for ``op`` whose attrs hold the run-time window and strides, for the
    kernels of the attr-taking op types."""
    return types.SimpleNamespace(
        _attrs=_window_attrs(op.type, op._attrs, ksize, strides), name=op.name, type=op.type
    )


def _pool_v2_kernel(ctx, op, x, ksize, strides):
    return _MAX_POOL.kernel(ctx, _with_window(op, ksize, strides), x)


def _grad_v2_kernel(base):
    def kernel(ctx, op, x, y, grad, ksize, strides):
        return base.kernel(ctx, _with_window(op, ksize, strides), x, y, grad)

    return kernel


def _pool_v2_grad(op, grad):
    """TF's ``_MaxPoolGradV2``."""
    x, ksize, strides = op.inputs
    grad_x = apply_op("MaxPoolGradV2", [x, op.outputs[0], grad, ksize, strides], _pool_attrs(op))
    return [grad_x, None, None]


def _pool_attrs(op) -> dict:
    return {"padding": op._attrs["padding"], "data_format": op._attrs["data_format"]}


def _grad_v2_grad(next_type: str):
    """TF's ``_MaxPoolGradGradV2`` (of ``MaxPoolGradV2``) and ``_MaxPoolGradGradGrad``-like
    rule of ``MaxPoolGradGradV2``: zeros for the pooled tensors, ``next_type`` of ``grad``."""

    def grad_fn(op, grad):
        x, y, _, ksize, strides = op.inputs
        out = apply_op(next_type, [x, y, grad, ksize, strides], _pool_attrs(op))
        return [zeros_like(x), zeros_like(y), out, None, None]

    return grad_fn


register_op("MaxPoolV2", _pool_v2_infer, kernel=_pool_v2_kernel, grad=_pool_v2_grad)
register_op(
    "MaxPoolGradV2",
    _grad_v2_infer(_MAX_POOL_GRAD),
    kernel=_grad_v2_kernel(_MAX_POOL_GRAD),
    grad=_grad_v2_grad("MaxPoolGradGradV2"),
)
register_op(
    "MaxPoolGradGradV2",
    _grad_v2_infer(_MAX_POOL_GRAD_GRAD),
    kernel=_grad_v2_kernel(_MAX_POOL_GRAD_GRAD),
    grad=_grad_v2_grad("MaxPoolGradV2"),
)

# -- BatchNormWithGlobalNormalization -----------------------------------------------------


def _global_norm_infer(inputs, attrs):
    t = inputs[0]
    dtype = check_same_dtype(
        "BatchNormWithGlobalNormalization", ("t", "m", "v", "beta", "gamma"), inputs
    )
    check_rank("t", t)
    depth = TensorShape([t.shape[-1].value if t.shape.ndims else None])
    for arg, p in zip(("m", "v", "beta", "gamma"), inputs[1:], strict=True):
        check_rank(arg, p, 1)
        depth = depth.merge_with(p.shape if p.shape.ndims else [None])
    out = t.shape if t.shape.ndims else tensor_shape.unknown_shape(4)
    return [(dtype, out[:3].concatenate(depth))]


def _check_depth(t, *params) -> None:
    if t.ndim != 4 or any(p.shape != (t.shape[3],) for p in params):
        raise ValueError(
            f"t must be 4-dimensional and the parameters of its depth {t.shape[-1:]}, got "
            f"shapes {list(t.shape)} and {[list(p.shape) for p in params]}"
        )


def _inverse_std(attrs, v, gamma):
    with np.errstate(all="ignore"):
        inv = 1 / np.sqrt(v + v.dtype.type(attrs["variance_epsilon"]))
    return inv * gamma if attrs["scale_after_normalization"] else inv


def _global_norm_kernel(ctx, op, t, m, v, beta, gamma):
    _check_depth(t, m, v, beta, gamma)
    return ((t - m) * _inverse_std(op._attrs, v, gamma) + beta).astype(t.dtype, copy=False)


def _global_norm_grad(op, grad):
    t, m, v, _, gamma = op.inputs
    return apply_op("BatchNormWithGlobalNormalizationGrad", [t, m, v, gamma, grad], dict(op._attrs))


register_op(
    "BatchNormWithGlobalNormalization",
    _global_norm_infer,
    kernel=_global_norm_kernel,
    grad=_global_norm_grad,
)


def _global_norm_grad_infer(inputs, attrs):
    t, m, v, gamma, backprop = inputs
    dtype = check_same_dtype(
        "BatchNormWithGlobalNormalizationGrad", ("t", "m", "v", "gamma", "backprop"), inputs
    )
    check_rank("t", t)
    check_rank("backprop", backprop)
    depth = TensorShape([t.shape[-1].value if t.shape.ndims else None])
    for arg, p in (("m", m), ("v", v), ("gamma", gamma)):
        check_rank(arg, p, 1)
        depth = depth.merge_with(p.shape if p.shape.ndims else [None])
    x_shape = t.shape.merge_with(backprop.shape) if t.shape.ndims else backprop.shape
    return [(dtype, x_shape)] + [(dtype, depth)] * 4


def _global_norm_grad_kernel(ctx, op, t, m, v, gamma, backprop):
    """TF's ``BatchNormGrad`` functor: ``db`` the sum of ``backprop`` over all but the depth,
    ``dm = -db * scale``, ``dv = sum(backprop * (t - m)) * -1/2 (v + eps)^-3/2 * gamma``,
    ``dg = sum(backprop * (t - m)) / sqrt(v + eps)``, ``dx = backprop * scale``."""
    attrs = op._attrs
    _check_depth(t, m, v, gamma)
    scaled = attrs["scale_after_normalization"]
    inv = _inverse_std({**attrs, "scale_after_normalization": False}, v, gamma)
    scale = inv * gamma if scaled else inv
    axes = (0, 1, 2)
    db = backprop.sum(axis=axes)
    centered = (backprop * (t - m)).sum(axis=axes)
    dv = centered * (-0.5 * inv**3) * (gamma if scaled else 1)
    dg = centered * inv if scaled else np.zeros_like(gamma)
    outs = (backprop * scale, -db * scale, dv, db, dg)
    return tuple(np.asarray(o, t.dtype) for o in outs)


# TF registers no gradient for the gradient op.
register_op(
    "BatchNormWithGlobalNormalizationGrad",
    _global_norm_grad_infer,
    kernel=_global_norm_grad_kernel,
    grad=no_gradient,
)

# -- NonMaxSuppression, NonMaxSuppressionV2 -----------------------------------------------

_NMS_V3 = get_op_def("NonMaxSuppressionV3")


def _nms_v2_kernel(ctx, op, boxes, scores, size, iou_threshold):
    lowest = np.asarray(-np.inf, np.float32)
    return _NMS_V3.kernel(ctx, op, boxes, scores, size, iou_threshold, lowest)


def _nms_v1_infer(inputs, attrs):
    check_dtype_in("NonMaxSuppression", "boxes", inputs[0], (dtypes.float32,))
    return _NMS_V3.infer(inputs, attrs)


def _nms_v1_kernel(ctx, op, boxes, scores, size):
    threshold = np.asarray(op._attrs["iou_threshold"], np.float32)
    return _nms_v2_kernel(ctx, op, boxes, scores, size, threshold)


register_op("NonMaxSuppression", _nms_v1_infer, kernel=_nms_v1_kernel, grad=NOT_DIFFERENTIABLE)
register_op("NonMaxSuppressionV2", _NMS_V3.infer, kernel=_nms_v2_kernel, grad=NOT_DIFFERENTIABLE)
