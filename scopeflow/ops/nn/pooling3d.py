"""3-D pooling (``tf.nn.max_pool3d``, ``tf.nn.avg_pool3d``) over NDHWC volumes: ``MaxPool3D``,
``AvgPool3D`` and their gradients ``MaxPool3DGrad``, ``MaxPool3DGradGrad``,
``AvgPool3DGrad``.

As the 2-D kernels, each loops over the window's taps (never over voxels), combining the
strided view of the padded volume each tap meets. SAME windows of max pooling ignore the
padding; average pooling divides by the number of real voxels in each window, as TF does.
A window's maximum gets its gradient at the first tap (in scan order) reaching it.
"""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import check_attr_in
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core.infer import FLOATS, apply_op, check_dtype_in, check_same_dtype, shape_value
from scopeflow.ops.kernels import windows
from scopeflow.ops.nn.conv import check_rank, conv_output_size

TensorShape = tensor_shape.TensorShape


def _five(values, what: str) -> list[int]:
    if isinstance(values, int):
        return [1, values, values, values, 1]
    values = [int(v) for v in values]
    if len(values) == 1:
        return [1, *values * 3, 1]
    if len(values) == 3:
        return [1, *values, 1]
    if len(values) != 5:
        raise ValueError(f"{what} should be of length 1, 3 or 5, got {len(values)}: {values}")
    if values[0] != 1 or values[4] != 1:
        raise NotImplementedError(
            f"3-D pooling over the batch or the channels ({what}[0] or {what}[4] > 1) is not "
            "supported; pool over depth, height and width"
        )
    return values


def _pool3d_infer(op_type: str):
    def infer(inputs, attrs):
        x = inputs[0]
        dtype = check_dtype_in(op_type, "input", x, FLOATS)
        check_rank("input", x, 5)
        if x.shape.ndims is None:
            return [(dtype, tensor_shape.unknown_shape(5))]
        n, *sizes, c = x.shape.as_list()
        out = [
            conv_output_size(size, k, s, 1, attrs["padding"])
            for size, k, s in zip(sizes, attrs["ksize"][1:4], attrs["strides"][1:4], strict=True)
        ]
        return [(dtype, TensorShape([n, *out, c]))]

    return infer


def _geometry(op, x_shape):
    """Per spatial dimension: (pad before, pad after); the output sizes; the taps."""
    attrs = op._attrs
    if len(x_shape) != 5:
        raise ValueError(f"input must be 5-dimensional, got shape {list(x_shape)}")
    k, s = attrs["ksize"][1:4], attrs["strides"][1:4]
    pads, out = [], []
    for size, kk, ss in zip(x_shape[1:4], k, s, strict=True):
        pad = windows.same_pads(size, kk, ss, 1) if attrs["padding"] == "SAME" else (0, 0)
        if size + sum(pad) < kk:
            raise ValueError(
                f"Computed output size would be negative: the window of {kk} exceeds the "
                f"padded input size {size + sum(pad)}"
            )
        pads.append(pad)
        out.append(windows.output_size(size, kk, ss, 1, *pad))
    return pads, out, list(itertools.product(*map(range, k)))


def _view(op, tap, out) -> tuple:
    """The slices of the padded volume that ``tap`` meets for every output voxel."""
    strides = op._attrs["strides"][1:4]
    return (
        slice(None),
        *(slice(t, t + (o - 1) * s + 1, s) for t, s, o in zip(tap, strides, out, strict=True)),
    )


def _pad(x, pads, value=0):
    return np.pad(x, [(0, 0), *pads, (0, 0)], constant_values=value)


def _lowest(dtype: np.dtype):
    return -np.inf if dtype.kind in "fV" else np.iinfo(dtype).min


def _max_pool3d_kernel(ctx, op, x):
    pads, out, taps = _geometry(op, x.shape)
    padded = _pad(x, pads, _lowest(x.dtype))
    y = np.full((x.shape[0], *out, x.shape[4]), _lowest(x.dtype), x.dtype)
    for tap in taps:
        np.maximum(y, padded[_view(op, tap, out)], out=y)
    return y


def _unpadded(padded, pads, x_shape):
    inner = tuple(slice(p[0], p[0] + s) for p, s in zip(pads, x_shape[1:4], strict=True))
    return padded[(slice(None), *inner)]


def _counts(pads, out, x_shape, k, strides, dtype) -> np.ndarray:
    """(OD, OH, OW, 1): the real voxels in each window, which average pooling divides by."""
    total = np.ones((), dtype)
    for axis, (size, kk, s, (before, _), o) in enumerate(
        zip(x_shape[1:4], k, strides, pads, out, strict=True)
    ):
        start = np.arange(o) * s - before
        count = (np.clip(start + kk, 0, size) - np.clip(start, 0, size)).astype(dtype)
        total = total * count.reshape([-1 if i == axis else 1 for i in range(3)])
    return total[..., None]


def _avg_pool3d_kernel(ctx, op, x):
    pads, out, taps = _geometry(op, x.shape)
    dtype = windows.compute_dtype(x.dtype)
    padded = _pad(x.astype(dtype, copy=False), pads)
    total = np.zeros((x.shape[0], *out, x.shape[4]), dtype)
    for tap in taps:
        total += padded[_view(op, tap, out)]
    attrs = op._attrs
    total /= _counts(pads, out, x.shape, attrs["ksize"][1:4], attrs["strides"][1:4], dtype)
    return total.astype(x.dtype, copy=False)


def _max_pool3d_grad(op, grad):
    return apply_op("MaxPool3DGrad", [op.inputs[0], op.outputs[0], grad], dict(op._attrs))


def _avg_pool3d_grad(op, grad):
    return apply_op("AvgPool3DGrad", [shape(op.inputs[0]), grad], dict(op._attrs))


register_op(
    "MaxPool3D", _pool3d_infer("MaxPool3D"), kernel=_max_pool3d_kernel, grad=_max_pool3d_grad
)
register_op(
    "AvgPool3D", _pool3d_infer("AvgPool3D"), kernel=_avg_pool3d_kernel, grad=_avg_pool3d_grad
)


# -- the gradients ---------------------------------------------------------------------


def _max_grad_infer(op_type: str, like: int):
    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, ("orig_input", "orig_output"), inputs[:2])
        check_dtype_in(op_type, "orig_input", inputs[0], FLOATS)
        for arg, t in zip(("orig_input", "orig_output", "grad"), inputs, strict=True):
            check_rank(arg, t, 5)
        result = inputs[like].shape
        return [(dtype, result if result.ndims is not None else tensor_shape.unknown_shape(5))]

    return infer


def _max_hits(op, x, y):
    """Yields ``(tap, hit)`` in scan order: ``hit`` marks the output voxels whose maximum
    ``tap`` is the first to reach."""
    pads, out, taps = _geometry(op, x.shape)
    if y.shape != (x.shape[0], *out, x.shape[4]):
        raise ValueError(
            f"orig_output of shape {list(y.shape)} is not the max pooling of orig_input of "
            f"shape {list(x.shape)}"
        )
    padded = _pad(x, pads, _lowest(x.dtype))
    remaining = np.ones(y.shape, bool)
    for tap in taps:
        hit = (padded[_view(op, tap, out)] == y) & remaining
        remaining &= ~hit
        yield tap, hit


def _max_pool3d_grad_kernel(ctx, op, x, y, grad):
    if grad.shape != y.shape:
        raise ValueError(
            f"grad of shape {list(grad.shape)} must have the shape of orig_output {list(y.shape)}"
        )
    pads, out, _ = _geometry(op, x.shape)
    padded = _pad(np.zeros(x.shape, grad.dtype), pads)
    for tap, hit in _max_hits(op, x, y):
        padded[_view(op, tap, out)] += grad * hit
    return _unpadded(padded, pads, x.shape).copy()


def _max_pool3d_grad_grad_kernel(ctx, op, x, y, grad):
    if grad.shape != x.shape:
        raise ValueError(
            f"grad of shape {list(grad.shape)} must have the shape of orig_input {list(x.shape)}"
        )
    pads, out, _ = _geometry(op, x.shape)
    padded = _pad(grad, pads)
    result = np.zeros(y.shape, grad.dtype)
    for tap, hit in _max_hits(op, x, y):
        np.copyto(result, padded[_view(op, tap, out)], where=hit)
    return result


def _max_pool3d_grad_grad(op, grad):
    x, y = op.inputs[:2]
    attrs = dict(op._attrs)
    return [zeros_like(x), zeros_like(y), apply_op("MaxPool3DGradGrad", [x, y, grad], attrs)]


def _max_pool3d_grad_grad_grad(op, grad):
    x, y = op.inputs[:2]
    attrs = dict(op._attrs)
    return [zeros_like(x), zeros_like(y), apply_op("MaxPool3DGrad", [x, y, grad], attrs)]


register_op(
    "MaxPool3DGrad",
    _max_grad_infer("MaxPool3DGrad", 0),
    kernel=_max_pool3d_grad_kernel,
    grad=_max_pool3d_grad_grad,
)
register_op(
    "MaxPool3DGradGrad",
    _max_grad_infer("MaxPool3DGradGrad", 1),
    kernel=_max_pool3d_grad_grad_kernel,
    grad=_max_pool3d_grad_grad_grad,
)


def _avg_grad_infer(inputs, attrs):
    sizes, grad = inputs
    dtype = check_dtype_in("AvgPool3DGrad", "grad", grad, FLOATS)
    check_dtype_in("AvgPool3DGrad", "orig_input_shape", sizes, (dtypes.int32,))
    check_rank("grad", grad, 5)
    requested = shape_value(sizes)
    if requested.ndims not in (None, 5):
        raise ValueError(
            f"AvgPool3DGrad requires orig_input_shape to contain 5 values, got {requested.ndims}"
        )
    return [(dtype, requested if requested.ndims == 5 else tensor_shape.unknown_shape(5))]


def _avg_pool3d_grad_kernel(ctx, op, sizes, grad):
    x_shape = tuple(int(s) for s in sizes)
    pads, out, taps = _geometry(op, x_shape)
    if grad.shape != (x_shape[0], *out, x_shape[4]):
        raise ValueError(
            f"grad of shape {list(grad.shape)} must have the shape "
            f"{[x_shape[0], *out, x_shape[4]]} of the average pooling of {list(x_shape)}"
        )
    attrs = op._attrs
    dtype = windows.compute_dtype(grad.dtype)
    counts = _counts(pads, out, x_shape, attrs["ksize"][1:4], attrs["strides"][1:4], dtype)
    shares = grad.astype(dtype) / counts
    padded = _pad(np.zeros(x_shape, dtype), pads)
    for tap in taps:
        padded[_view(op, tap, out)] += shares
    return _unpadded(padded, pads, x_shape).astype(grad.dtype)


def _avg_pool3d_grad_grad(op, grad):
    return [None, apply_op("AvgPool3D", [grad], dict(op._attrs))]


register_op(
    "AvgPool3DGrad", _avg_grad_infer, kernel=_avg_pool3d_grad_kernel, grad=_avg_pool3d_grad_grad
)


def _pool3d(op_type, default_name, x, ksize, strides, padding, data_format, name):
    if data_format not in (None, "NDHWC"):
        raise NotImplementedError(
            f"{default_name}(data_format={data_format!r}) is not supported; scopeflow pools "
            "NDHWC volumes. Transpose the input with tf.transpose(x, [0, 2, 3, 4, 1])."
        )
    if not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    check_attr_in(op_type, "padding", padding, ("SAME", "VALID"))
    attrs = {
        "ksize": _five(ksize, "ksize"),
        "strides": _five(strides, "strides"),
        "padding": padding,
        "data_format": "NDHWC",
    }
    with name_scope(name, op_type, [x]) as scope:
        x = convert_to_tensor(x, name="input")
        return apply_op(op_type, [x], attrs, name=scope)


@undo.atomic
def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """The maximum of each ``ksize`` window of an NDHWC volume.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.max_pool3d(tf.zeros([1, 4, 6, 6, 2]), 2, 2, "VALID")
    >>> y.op.type, y.shape.as_list()
    ('MaxPool3D', [1, 2, 3, 3, 2])
    """
    return _pool3d("MaxPool3D", "max_pool3d", input, ksize, strides, padding, data_format, name)


@undo.atomic
def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """The mean of each ``ksize`` window of an NDHWC volume (SAME windows: of their real
    voxels)."""
    return _pool3d("AvgPool3D", "avg_pool3d", input, ksize, strides, padding, data_format, name)


__all__ = ["avg_pool3d", "max_pool3d"]
