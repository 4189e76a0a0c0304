"""``tf.extract_image_patches`` (``ExtractImagePatches``): each output pixel holds the
``ksizes`` window of an NHWC image around it, taps ``rates`` apart, flattened in (row,
column, channel) order; SAME windows read zeros outside the image. Its gradient is TF's:
the patches of an image of pixel numbers say where each gradient entry goes
(``UnsortedSegmentSum``)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import check_attr_in
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import unsorted_segment_sum
from scopeflow.ops.array.join import unstack
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.sequence import range as range_op

TensorShape = tensor_shape.TensorShape


def _out_size(size, k: int, stride: int, rate: int, padding: str):
    """(output size, padding before) of one spatial dimension, as TF computes them."""
    if size is None:
        return None, None
    effective = (k - 1) * rate + 1
    if padding == "VALID":
        out = (size - effective + stride) // stride
        if out < 0 or size < effective:
            raise ValueError(
                f"Computed output size would be negative: {size - effective} [input_size: "
                f"{size}, effective_filter_size: {effective}, stride: {stride}]"
            )
        return out, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return out, total // 2


def _check_attrs(attrs) -> None:
    for key in ("ksizes", "strides", "rates"):
        if len(attrs[key]) != 4:
            raise ValueError(
                f"Attr '{key}' of 'ExtractImagePatches' Op passed list of length "
                f"{len(attrs[key])} less than minimum 4."
            )
    check_attr_in("ExtractImagePatches", "padding", attrs["padding"], ("SAME", "VALID"))


def _patches_infer(inputs, attrs):
    (x,) = inputs
    _check_attrs(attrs)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, TensorShape([None] * 4))]
    if x.shape.ndims != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")
    b, h, w, c = x.shape.as_list()
    k, s, r, pad = attrs["ksizes"], attrs["strides"], attrs["rates"], attrs["padding"]
    oh = _out_size(h, k[1], s[1], r[1], pad)[0]
    ow = _out_size(w, k[2], s[2], r[2], pad)[0]
    if oh is None or ow is None:  # TF knows neither unless it knows both
        oh = ow = None
    depth = None if c is None else k[1] * k[2] * c
    return [(dtype, TensorShape([b, oh, ow, depth]))]


def _patches_of(x, ksizes, strides, rates, padding: str) -> np.ndarray:
    """The patches of the NumPy array ``x``."""
    for key, value in (("ksizes", ksizes), ("strides", strides), ("rates", rates)):
        if value[0] != 1 or value[3] != 1:
            raise ValueError(
                f"ExtractImagePatches: only {key} of 1 in the batch and depth "
                f"dimensions are supported, got {list(value)}"
            )
    b, h, w, c = x.shape
    oh, top = _out_size(h, ksizes[1], strides[1], rates[1], padding)
    ow, left = _out_size(w, ksizes[2], strides[2], rates[2], padding)
    eh, ew = (ksizes[1] - 1) * rates[1] + 1, (ksizes[2] - 1) * rates[2] + 1
    bottom = max((oh - 1) * strides[1] + eh - h - top, 0)
    right = max((ow - 1) * strides[2] + ew - w - left, 0)
    x = np.pad(x, [(0, 0), (top, bottom), (left, right), (0, 0)])
    taps = [
        x[:, i * rates[1] :, j * rates[2] :][
            :, : (oh - 1) * strides[1] + 1 : strides[1], : (ow - 1) * strides[2] + 1 : strides[2]
        ]
        for i in range(ksizes[1])
        for j in range(ksizes[2])
    ]
    return np.stack(taps, axis=3).reshape(b, oh, ow, ksizes[1] * ksizes[2] * c)


def _patches_kernel(ctx, op, x):
    attrs = [op._attrs[k] for k in ("ksizes", "strides", "rates", "padding")]
    return _patches_of(x, *attrs)


def _patches_grad(op, grad):
    """TF's: pixel numbers 1.. of one channel, patched like the input, are the segments the
    gradient's entries are summed into (0: padding, dropped as segment -1)."""
    batch_size, rows_in, cols_in, channels = unstack(shape(op.inputs[0], out_type=dtypes.int64))
    rows_out, cols_out = unstack(shape(op.outputs[0], out_type=dtypes.int64)[1:3])
    _, ksize_r, ksize_c, _ = op.get_attr("ksizes")
    input_indices_num = rows_in * cols_in
    input_idx = reshape(
        range_op(1, input_indices_num + 1, dtype=dtypes.float32),
        (1, rows_in, cols_in, 1),
    )
    attrs = {k: op._attrs[k] for k in ("ksizes", "strides", "rates", "padding")}
    input_idx_patched = apply_op("ExtractImagePatches", [input_idx], attrs)
    input_idx_patched = cast(input_idx_patched, dtypes.int64)
    grad_expanded = transpose(
        reshape(grad, (batch_size, rows_out, cols_out, ksize_r, ksize_c, channels)),
        (1, 2, 3, 4, 0, 5),
    )
    grad_flat = reshape(grad_expanded, (-1, batch_size * channels))
    segment_ids = reshape(input_idx_patched, [-1]) - 1
    grad_out = unsorted_segment_sum(grad_flat, segment_ids, num_segments=input_indices_num)
    grad_out = reshape(grad_out, (rows_in, cols_in, batch_size, channels))
    grad_out = transpose(grad_out, (2, 0, 1, 3))
    grad_out.set_shape(op.inputs[0].shape)  # TF folds the shapes above into it
    return [grad_out]


register_op("ExtractImagePatches", _patches_infer, kernel=_patches_kernel, grad=_patches_grad)


@undo.atomic
def extract_image_patches(
    images, ksizes=None, strides=None, rates=None, padding=None, name=None, sizes=None
):
    """The ``ksizes`` windows of NHWC ``images`` (taps ``rates`` apart, every ``strides``
    pixels) as the depth of each output pixel (``sizes=`` is TF2's name for ``ksizes``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    ...     y = tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    ...     print(tf.Session().run(y)[0, 0])
    [[0. 1. 3. 4.]
     [1. 2. 4. 5.]]
    """
    if ksizes is not None and sizes is not None:
        raise ValueError("Cannot specify both 'sizes' and 'ksizes'.")
    ksizes = sizes if ksizes is None else ksizes
    with name_scope(name, "ExtractImagePatches", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        attrs = {
            "ksizes": [int(v) for v in ksizes],
            "strides": [int(v) for v in strides],
            "rates": [int(v) for v in rates],
            "padding": padding,
        }
        return apply_op("ExtractImagePatches", [images], attrs, name=scope)


@undo.atomic
def extract_patches(images, sizes, strides, rates, padding, name=None):
    """TF2's spelling of :func:`extract_image_patches` (``tf.image.extract_patches``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.image.extract_patches(tf.zeros([1, 4, 4, 1]), [1, 2, 2, 1], [1, 1, 1, 1],
    ...                                  [1, 1, 1, 1], "VALID")
    ...     print(y.op.type, y.shape)
    ExtractImagePatches (1, 3, 3, 4)
    """
    return extract_image_patches(images, sizes, strides, rates, padding, name)


__all__ = ["extract_image_patches", "extract_patches"]
