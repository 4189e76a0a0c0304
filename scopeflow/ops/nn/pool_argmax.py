"""``tf.nn.max_pool_with_argmax`` (``MaxPoolWithArgmax``): max pooling over NHWC images that
also says where each maximum came from, as the flat index ``(y * width + x) * channels + c``
(plus ``b * height * width * channels`` with ``include_batch_in_index``). Its gradient
``MaxPoolGradWithArgmax`` scatters the incoming gradient to those indices, and that one's
``MaxPoolGradGradWithArgmax`` gathers from them.

As in TF's kernel, a window's first maximum (in row-major order of its real, unpadded pixels)
wins ties.
"""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array.basic import shape, zeros
from scopeflow.ops.core.infer import INDEX, REALS, apply_op, check_dtype_in
from scopeflow.ops.kernels import windows
from scopeflow.ops.nn.conv import check_nhwc, check_rank, run_pads, window_output_hw

TensorShape = tensor_shape.TensorShape
MaxPoolWithArgmax = collections.namedtuple("MaxPoolWithArgmax", ["output", "argmax"])
_ATTRS = ("ksize", "strides", "padding", "include_batch_in_index")


def _check_attrs(op_type: str, attrs) -> None:
    for key in ("ksize", "strides"):
        if len(attrs[key]) < 4:
            raise ValueError(
                f"Attr '{key}' of '{op_type}' Op passed list of length {len(attrs[key])} "
                "less than minimum 4."
            )
    if attrs["padding"] not in ("SAME", "VALID"):
        raise ValueError(
            f"Attr 'padding' of '{op_type}' Op passed string '{attrs['padding']}' not in: "
            '"SAME", "VALID".'
        )
    if attrs["ksize"][0] != 1 or attrs["ksize"][3] != 1:
        raise ValueError("Pooling is not yet supported on the batch nor channel dimension.")


def _pooled_shape(x, attrs) -> TensorShape:
    check_rank("input", x)
    if x.shape.ndims is None:
        return tensor_shape.unknown_shape(4)
    n, h, w, c = x.shape.as_list()
    _, kh, kw, _ = attrs["ksize"]
    out_h, out_w = window_output_hw(attrs, h, w, kh, kw)
    return TensorShape([n, out_h, out_w, c])


def _argmax_infer(inputs, attrs):
    (x,) = inputs
    _check_attrs("MaxPoolWithArgmax", attrs)
    dtype = check_dtype_in("MaxPoolWithArgmax", "input", x, REALS)
    pooled = _pooled_shape(x, attrs)
    return [(dtype, pooled), (attrs["Targmax"], pooled)]


def _argmax_kernel(ctx, op, x):
    attrs = op._attrs
    if x.ndim != 4:
        raise errors.InvalidArgumentError(None, op, f"input must be 4-dimensional, got {x.shape}")
    n, h, w, c = x.shape
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    top, bottom, left, right = run_pads(attrs, h, w, kh, kw)
    oh = windows.output_size(h, kh, sh, 1, top, bottom)
    ow = windows.output_size(w, kw, sw, 1, left, right)
    best = np.zeros((n, oh, ow, c), x.dtype)
    where = np.full((n, oh, ow, c), -1, np.int64)
    channels = np.arange(c)
    for i in range(kh):
        rows = np.arange(oh) * sh + i - top
        for j in range(kw):
            cols = np.arange(ow) * sw + j - left
            valid = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
            r, q = np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1)
            tap = x[:, r][:, :, q]
            take = valid[None, :, :, None] & ((tap > best) | (where < 0))
            np.copyto(best, tap, where=take)
            flat = (r[:, None, None] * w + q[None, :, None]) * c + channels
            np.copyto(where, np.broadcast_to(flat, where.shape), where=take)
    if attrs["include_batch_in_index"]:
        where += (np.arange(n) * (h * w * c))[:, None, None, None]
    return [best, where.astype(attrs["Targmax"].as_numpy_dtype)]


def _argmax_grad(op, grad, _argmax_grad):
    attrs = {k: op._attrs[k] for k in _ATTRS}
    return apply_op("MaxPoolGradWithArgmax", [op.inputs[0], grad, op.outputs[1]], attrs)


register_op("MaxPoolWithArgmax", _argmax_infer, kernel=_argmax_kernel, grad=_argmax_grad)


def _flat_targets(op, argmax, input_shape) -> np.ndarray:
    """The flat indices into the whole input batch that ``argmax`` names, checked."""
    n = input_shape[0]
    per_image = int(np.prod(input_shape[1:]))
    targets = argmax.astype(np.int64).reshape(n, -1)
    if not op._attrs["include_batch_in_index"]:
        targets = targets + (np.arange(n) * per_image)[:, None]
    if targets.size and (targets.min() < 0 or targets.max() >= n * per_image):
        raise errors.InvalidArgumentError(
            None, op, f"Invalid argmax: an index is outside the input of shape {list(input_shape)}"
        )
    return targets.reshape(-1)


def _grad_infer(op_type: str, output_like: int):
    def infer(inputs, attrs):
        x, grad, argmax = inputs
        _check_attrs(op_type, attrs)
        dtype = check_dtype_in(op_type, "input", x, REALS)
        check_dtype_in(op_type, "argmax", argmax, INDEX)
        check_rank("input", x)
        check_rank("grad", grad)
        check_rank("argmax", argmax)
        like = inputs[output_like]
        return [(dtype, like.shape if like.shape.ndims else tensor_shape.unknown_shape(4))]

    return infer


def _grad_kernel(ctx, op, x, grad, argmax):
    out = np.zeros(x.size, np.float64 if x.dtype.kind == "f" else x.dtype)
    np.add.at(out, _flat_targets(op, argmax, x.shape), grad.reshape(-1))
    return out.reshape(x.shape).astype(x.dtype)


def _grad_grad(op, grad):
    x = op.inputs[0]
    attrs = {k: op._attrs[k] for k in _ATTRS}
    back = apply_op("MaxPoolGradGradWithArgmax", [x, grad, op.inputs[2]], attrs)
    return [zeros(shape(x), dtype=x.dtype.base_dtype), back, None]


register_op(
    "MaxPoolGradWithArgmax",
    _grad_infer("MaxPoolGradWithArgmax", 0),
    kernel=_grad_kernel,
    grad=_grad_grad,
)


def _grad_grad_kernel(ctx, op, x, grad, argmax):
    return grad.reshape(-1)[_flat_targets(op, argmax, x.shape)].reshape(argmax.shape)


register_op(
    "MaxPoolGradGradWithArgmax",
    _grad_infer("MaxPoolGradGradWithArgmax", 2),
    kernel=_grad_grad_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def max_pool_with_argmax(
    input,  # noqa: A002 - TF1's argument name
    ksize,
    strides,
    padding,
    data_format="NHWC",
    Targmax=None,  # noqa: N803 - TF1's argument name
    name=None,
    output_dtype=None,
    include_batch_in_index=False,
):
    """Max pooling that also returns each maximum's flat index in its image, ``(y * width +
    x) * channels + c`` (with ``include_batch_in_index``, in the whole batch): a
    ``(output, argmax)`` named tuple; ``Targmax`` (or ``output_dtype``) int64 or int32.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape([1.0, 4.0, 3.0, 2.0], [1, 2, 2, 1])
    ...     out, argmax = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    ...     print(tf.Session().run([out, argmax]))
    [array([[[[4.]]]], dtype=float32), array([[[[1]]]])]
    """
    check_nhwc(data_format)
    if Targmax is not None and output_dtype is not None and Targmax != output_dtype:
        raise ValueError("Cannot specify both 'Targmax' and 'output_dtype'.")
    argmax_type = Targmax if Targmax is not None else output_dtype
    for key, value in (("ksize", ksize), ("strides", strides)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(
                f"Expected list for '{key}' argument to 'MaxPoolWithArgmax' Op, not {value!r}."
            )
    attrs = {
        "ksize": [int(k) for k in ksize],
        "strides": [int(s) for s in strides],
        "Targmax": dtypes.as_dtype(argmax_type or dtypes.int64),
        "padding": padding,
        "include_batch_in_index": bool(include_batch_in_index),
    }
    with name_scope(name, "MaxPoolWithArgmax", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return MaxPoolWithArgmax(*apply_op("MaxPoolWithArgmax", [x], attrs, name=scope))


__all__ = ["max_pool_with_argmax"]
