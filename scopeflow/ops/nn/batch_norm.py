"""Fused batch normalization (``tf.nn.fused_batch_norm``): ``FusedBatchNormV3`` and its
gradient ``FusedBatchNormGradV3``, channels last (NHWC, NDHWC or any rank: the statistics
are per last axis).

Outputs as TF's: ``y``, the batch mean and the batch variance with Bessel's correction
(what ``tf.layers.batch_normalization`` moves its ``moving_variance`` towards), then the
reserve spaces the gradient reads: the batch mean and the biased batch variance (in inference,
the given mean and variance), and an empty third one.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.core.infer import apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.kernels import compiled

TensorShape = tensor_shape.TensorShape

# TF takes float16/bfloat16/float32 inputs with float32 parameters; scopeflow also takes
# float64 for both (computed in float64), so that gradients can be checked numerically.
_X_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_U_TYPES = (dtypes.float32, dtypes.float64)


_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")


def _channels_first(attrs) -> bool:
    data_format = attrs.get("data_format", "NHWC")
    data_format = data_format.decode() if isinstance(data_format, bytes) else data_format
    return data_format.startswith("NC")


def _channels(x, attrs, *params) -> TensorShape:
    """The per-channel shape ``[C]`` (axis 1 of an ``NC..`` format, else the last), checked
    against each 1-D parameter."""
    axis = 1 if _channels_first(attrs) else -1
    channels = TensorShape([x.shape[axis].value if x.shape.ndims else None])
    for _, p in params:
        if p.shape.ndims is not None and p.shape.ndims != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {p.shape.ndims}")
        if p.shape.ndims == 1 and p.shape[0].value not in (0, None):
            channels = channels.merge_with(p.shape)
    return channels


def _fused_batch_norm_infer(inputs, attrs):
    x, scale, offset, mean, variance = inputs
    dtype = check_dtype_in("FusedBatchNormV3", "x", x, _X_TYPES)
    u = check_same_dtype("FusedBatchNormV3", ("scale", "offset"), [scale, offset])
    check_dtype_in("FusedBatchNormV3", "scale", scale, _U_TYPES)
    if x.shape.ndims is not None and x.shape.ndims not in (4, 5):
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")
    params = [("scale", scale), ("offset", offset)]
    if not attrs["is_training"]:
        params += [("mean", mean), ("variance", variance)]
    c = _channels(x, attrs, *params)
    return [(dtype, x.shape), *[(u, c)] * 4, (u, tensor_shape.unknown_shape())]


def _channels_last(x: np.ndarray, attrs) -> np.ndarray:
    """An ``NC..`` array with its channels moved last (the kernels work on channels last)."""
    return np.moveaxis(x, 1, -1) if _channels_first(attrs) else x


def _restored(y: np.ndarray, attrs) -> np.ndarray:
    """A channels-last result back in the op's format."""
    return np.ascontiguousarray(np.moveaxis(y, -1, 1)) if _channels_first(attrs) else y


def _as_rows(x: np.ndarray) -> np.ndarray:
    """``x`` as ``[pixels, channels]`` in float32 (float16 widened) or float64."""
    dtype = np.float64 if x.dtype == np.float64 else np.float32
    return x.reshape(-1, x.shape[-1]).astype(dtype, copy=False)


def _column_sums(rows: np.ndarray) -> np.ndarray:
    """``rows.sum(axis=0)`` as one vector-matrix product: NumPy reduces a [pixels, channels]
    array's first axis a row of a few channels at a time, BLAS several times faster."""
    return np.ones(rows.shape[0], rows.dtype) @ rows


def _fused_batch_norm_kernel(ctx, op, x, scale, offset, mean, variance):
    attrs = op._attrs
    x = _channels_last(x, attrs)
    rows = _as_rows(x)
    if scale.shape != (rows.shape[1],) or offset.shape != (rows.shape[1],):
        raise ValueError(
            f"scale and offset must have the channels of x ({rows.shape[1]}), got shapes "
            f"{list(scale.shape)} and {list(offset.shape)}"
        )
    epsilon = rows.dtype.type(attrs["epsilon"])
    if attrs["is_training"]:
        count = rows.shape[0]
        loops = compiled.for_arrays(compiled.BATCH_NORM_MIN_SIZE, rows)
        if loops is not None:  # two passes for the statistics, one for y
            batch_mean, batch_var = np.empty((2, rows.shape[1]), rows.dtype)
            loops.batch_norm_statistics(rows, batch_mean, batch_var)
            factor = (1.0 / np.sqrt(batch_var + epsilon) * scale).astype(rows.dtype)
            y = ctx.empty(x.shape, rows.dtype)  # (rows' dtype: _shaped casts it to x's)
            shift = offset.astype(rows.dtype)
            loops.batch_norm_apply(rows, batch_mean, factor, shift, y.reshape(rows.shape))
        else:
            batch_mean = _column_sums(rows) / rows.dtype.type(max(count, 1))
            centered = rows - batch_mean
            batch_var = np.einsum("ij,ij->j", centered, centered) / max(count, 1)
            inv = 1.0 / np.sqrt(batch_var + epsilon)
            y = centered
            y *= inv * scale
            y += offset
        unbiased = batch_var * (count / max(count - 1, 1))
        factor = attrs["exponential_avg_factor"]
        running_mean, running_var = batch_mean, unbiased
        if factor != 1.0:
            running_mean = (1 - factor) * mean + factor * batch_mean
            running_var = (1 - factor) * variance + factor * unbiased
        saved = (batch_mean, batch_var)
    else:
        if mean.shape != scale.shape or variance.shape != scale.shape:
            raise ValueError(
                f"mean and variance must have the channels of x ({rows.shape[1]}) in inference, "
                f"got shapes {list(mean.shape)} and {list(variance.shape)}"
            )
        multiplier = scale / np.sqrt(variance + epsilon)
        y = rows * multiplier + (offset - mean * multiplier)
        running_mean, running_var = mean, variance
        saved = (mean, variance)
    y = _restored(_shaped(y, x), attrs)
    as_u = [np.asarray(v, scale.dtype) for v in (running_mean, running_var, *saved)]
    return [y, *as_u, np.zeros(0, scale.dtype)]


def _fused_batch_norm_grad(op, *grads):
    attrs = {k: op._attrs[k] for k in ("epsilon", "data_format", "is_training")}
    x, scale, dy = op.inputs[0], op.inputs[1], grads[0]
    if attrs["is_training"]:
        saved = list(op.outputs[3:6])
    else:
        saved = [op.inputs[3], op.inputs[4], op.outputs[5]]
    # As TF1: in inference a channels-first gradient is taken channels last, transposed.
    back = None
    if not attrs["is_training"] and _channels_first(attrs):
        five = x.shape.ndims == 5 or attrs["data_format"] in ("NCDHW", b"NCDHW")
        to_last, back = ([0, 2, 3, 4, 1], [0, 4, 1, 2, 3]) if five else ([0, 2, 3, 1], [0, 3, 1, 2])
        x, dy = transpose(x, to_last), transpose(dy, to_last)
        attrs["data_format"] = "NDHWC" if five else "NHWC"
    dx, dscale, doffset, _, _ = apply_op("FusedBatchNormGradV3", [dy, x, scale, *saved], attrs)
    if back is not None:
        dx = transpose(dx, back)
    return [dx, dscale, doffset, None, None]


register_op(
    "FusedBatchNormV3",
    _fused_batch_norm_infer,
    kernel=_fused_batch_norm_kernel,
    grad=_fused_batch_norm_grad,
)


def _fused_batch_norm_grad_infer(inputs, attrs):
    dy, x, scale = inputs[:3]
    dtype = check_same_dtype("FusedBatchNormGradV3", ("y_backprop", "x"), [dy, x])
    check_dtype_in("FusedBatchNormGradV3", "x", x, _X_TYPES)
    u = scale.dtype.base_dtype
    c = _channels(x, attrs, ("scale", scale))
    empty = (u, TensorShape([0]))
    return [(dtype, x.shape.merge_with(dy.shape)), (u, c), (u, c), empty, empty]


def _fused_batch_norm_grad_kernel(ctx, op, dy, x, scale, saved_mean, saved_var, _):
    attrs = op._attrs
    x, dy = _channels_last(x, attrs), _channels_last(dy, attrs)
    rows, grads = _as_rows(x), _as_rows(dy)
    inv = 1.0 / np.sqrt(saved_var + rows.dtype.type(attrs["epsilon"]))
    loops = compiled.for_arrays(compiled.BATCH_NORM_MIN_SIZE, rows, grads)
    if loops is not None and attrs["is_training"]:
        dx = ctx.empty(x.shape, rows.dtype)  # (rows' dtype: _shaped casts it to x's)
        dscale, doffset = _compiled_grad(loops, rows, grads, scale, saved_mean, inv, dx)
    else:
        dx, dscale, doffset = _numpy_grad(attrs, rows, grads, scale, saved_mean, inv)
    dx = _restored(_shaped(dx, x), attrs)
    empty = np.zeros(0, scale.dtype)
    return [dx, dscale.astype(scale.dtype), doffset.astype(scale.dtype), empty, empty]


def _numpy_grad(attrs, rows, grads, scale, saved_mean, inv):
    """(dx rows, dscale, doffset) in NumPy."""
    centered = rows - saved_mean
    doffset = _column_sums(grads)
    dscale = np.einsum("ij,ij->j", grads, centered) * inv
    if attrs["is_training"]:
        # dx = scale * inv * (dy - mean(dy) - normalized * mean(dy * normalized)), as
        # dy * a + centered * b + c: four passes over the pixels.
        count = rows.shape[0]
        a = scale * inv
        dx = grads * a
        centered *= -a * inv * dscale / count
        dx += centered
        dx -= a * doffset / count
    else:
        dx = grads * (scale * inv)
    return dx, dscale, doffset


def _shaped(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A result computed as rows, in ``x``'s shape and dtype (itself when it has them)."""
    if rows.shape != x.shape:
        rows = rows.reshape(x.shape)
    return rows.astype(x.dtype, copy=False)


def _compiled_grad(loops, rows, grads, scale, saved_mean, inv, dx):
    """(dscale, doffset) in training, in two compiled passes: the per-channel sums, then dx
    (written into ``dx``, an array of ``rows``' size)."""
    count = rows.shape[0]
    mean = np.asarray(saved_mean, rows.dtype)
    sums, products = np.empty((2, rows.shape[1]), np.float64)
    loops.batch_norm_grad_sums(rows, grads, mean, sums, products)
    doffset = sums.astype(rows.dtype)
    dscale = (products * inv).astype(rows.dtype)
    a = scale * inv
    b = -a * inv * dscale / count
    c = -a * doffset / count
    coefficients = (v.astype(rows.dtype) for v in (a, b, c))
    loops.batch_norm_grad_apply(rows, grads, mean, *coefficients, dx.reshape(rows.shape))
    return dscale, doffset


# Second derivatives through fused batch norm are not implemented (TF1 has them): use
# tf.layers.batch_normalization(fused=False) where a Hessian is needed.
register_op(
    "FusedBatchNormGradV3",
    _fused_batch_norm_grad_infer,
    kernel=_fused_batch_norm_grad_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def fused_batch_norm(
    x,
    scale,
    offset=None,
    mean=None,
    variance=None,
    epsilon=0.001,
    data_format="NHWC",
    is_training=True,
    name=None,
    exponential_avg_factor=1.0,
):
    """Batch normalization in one op: returns ``(y, mean, variance)`` - the batch's statistics
    (variance with Bessel's correction) when ``is_training``, else the given ones.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.constant([[[[1.0], [3.0]]]])
    ...     y, m, v = tf.nn.fused_batch_norm(x, [1.0], [0.0], epsilon=0.0)
    ...     print(sess.run(y).ravel(), sess.run([m, v]))
    [-1.  1.] [array([2.], dtype=float32), array([2.], dtype=float32)]
    """
    if data_format not in _FORMATS:
        raise ValueError(
            f"Value for attr 'data_format' of {data_format!r} is not in the list of allowed "
            f"values: {', '.join(repr(f) for f in _FORMATS)}"
        )
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError(
            "Both `mean` and `variance` must be a 1D tensor when is_training is False or "
            f"exponential_avg_factor != 1.0. Received: `mean` {mean!r} and `variance` "
            f"{variance!r}"
        )
    x = convert_to_tensor(x, name="input")
    scale = convert_to_tensor(scale, name="scale")
    offset = convert_to_tensor(offset, name="offset")
    mean = constant([]) if mean is None else mean
    variance = constant([]) if variance is None else variance
    attrs = {
        "epsilon": float(np.float32(epsilon)),  # a float attribute: float32, as TF's
        "exponential_avg_factor": float(np.float32(exponential_avg_factor)),
        "data_format": data_format,
        "is_training": bool(is_training),
    }
    with name_scope(name, "FusedBatchNormV3", [x, scale, offset, mean, variance]) as scope:
        mean = convert_to_tensor(mean, name="mean")  # in the op's scope, as TF's
        variance = convert_to_tensor(variance, name="variance")
        outputs = apply_op("FusedBatchNormV3", [x, scale, offset, mean, variance], attrs, scope)
    return outputs[0], outputs[1], outputs[2]


__all__ = ["fused_batch_norm"]
