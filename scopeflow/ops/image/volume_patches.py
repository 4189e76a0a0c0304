"""``tf.extract_volume_patches`` (``ExtractVolumePatches``): each output voxel of an NDHWC
volume holds the ``ksizes`` window at it, flattened in (plane, row, column, channel) order;
SAME windows read zeros outside the volume. Its gradient: the patches of a volume of voxel
numbers say where each gradient entry goes (``UnsortedSegmentSum``); TF 2.21 builds the same
sums as a ``SparseTensorDenseMatMul``."""

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
from scopeflow.ops.core.infer import REALS, apply_op, check_dtype_in
from scopeflow.ops.image.patches import _out_size
from scopeflow.ops.math.sequence import range as range_op

TensorShape = tensor_shape.TensorShape
_OP = "ExtractVolumePatches"


def _check_attrs(attrs) -> None:
    for key in ("ksizes", "strides"):
        if len(attrs[key]) != 5:
            raise ValueError(
                f"Attr '{key}' of '{_OP}' Op passed list of length {len(attrs[key])} less "
                "than minimum 5."
            )
        if attrs[key][0] != 1 or attrs[key][4] != 1:
            raise ValueError(
                f"{_OP}: only {key} of 1 in the batch and depth dimensions are supported, "
                f"got {list(attrs[key])}"
            )
    check_attr_in(_OP, "padding", attrs["padding"], ("SAME", "VALID"))


def _volume_infer(inputs, attrs):
    (x,) = inputs
    _check_attrs(attrs)
    dtype = check_dtype_in(_OP, "T", x, REALS + (dtypes.float16, dtypes.bfloat16))
    if x.shape.ndims is None:
        return [(dtype, TensorShape([None] * 5))]
    if x.shape.ndims != 5:
        raise ValueError(f"Shape must be rank 5 but is rank {x.shape.ndims}")
    b, *sizes, c = x.shape.as_list()
    k, s = attrs["ksizes"], attrs["strides"]
    outs = [_out_size(n, k[i + 1], s[i + 1], 1, attrs["padding"])[0] for i, n in enumerate(sizes)]
    depth = None if c is None else k[1] * k[2] * k[3] * c
    return [(dtype, TensorShape([b, *outs, depth]))]


def _volume_kernel(ctx, op, x):
    k, s, padding = (op._attrs[n] for n in ("ksizes", "strides", "padding"))
    b, *sizes, c = x.shape
    outs, before, after = [], [], []
    for i, n in enumerate(sizes):
        out, low = _out_size(n, k[i + 1], s[i + 1], 1, padding)
        outs.append(out)
        before.append(low)
        after.append(max((out - 1) * s[i + 1] + k[i + 1] - n - low, 0))
    x = np.pad(x, [(0, 0), *zip(before, after, strict=True), (0, 0)])
    ends = [(o - 1) * s[i + 1] + 1 for i, o in enumerate(outs)]
    taps = [
        x[:, p : p + ends[0] : s[1], r : r + ends[1] : s[2], q : q + ends[2] : s[3]]
        for p in range(k[1])
        for r in range(k[2])
        for q in range(k[3])
    ]
    return np.stack(taps, axis=4).reshape(b, *outs, k[1] * k[2] * k[3] * c).astype(x.dtype)


def _volume_grad(op, grad):
    """Voxel numbers 1.. of one channel, patched like the input, are the segments the
    gradient's entries are summed into (0: padding, dropped as segment -1)."""
    batch, planes_in, rows_in, cols_in, channels = unstack(
        shape(op.inputs[0], out_type=dtypes.int64)
    )
    planes_out, rows_out, cols_out = unstack(shape(op.outputs[0], out_type=dtypes.int64)[1:4])
    _, k_p, k_r, k_c, _ = op.get_attr("ksizes")
    count = planes_in * rows_in * cols_in
    numbers = reshape(
        range_op(1, count + 1, dtype=dtypes.float32), (1, planes_in, rows_in, cols_in, 1)
    )
    attrs = {k: op._attrs[k] for k in ("ksizes", "strides", "padding")}
    patched = cast(apply_op(_OP, [numbers], attrs), dtypes.int64)
    expanded = transpose(
        reshape(grad, (batch, planes_out, rows_out, cols_out, k_p, k_r, k_c, channels)),
        (1, 2, 3, 4, 5, 6, 0, 7),
    )
    flat = reshape(expanded, (-1, batch * channels))
    summed = unsorted_segment_sum(flat, reshape(patched, [-1]) - 1, num_segments=count)
    out = transpose(
        reshape(summed, (planes_in, rows_in, cols_in, batch, channels)), (3, 0, 1, 2, 4)
    )
    out.set_shape(op.inputs[0].shape)
    return [out]


register_op(_OP, _volume_infer, kernel=_volume_kernel, grad=_volume_grad)


@undo.atomic
def extract_volume_patches(input, ksizes, strides, padding, name=None):  # noqa: A002
    """The ``ksizes`` windows of an NDHWC volume (every ``strides`` voxels) as the depth of
    each output voxel; ``ksizes`` and ``strides`` are 5 long, 1 for batch and channels.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1])
    ...     y = tf.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "VALID")
    ...     print(tf.Session().run(y).ravel())
    [0. 1. 2. 3. 4. 5. 6. 7.]
    """
    with name_scope(name, _OP, [input]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        attrs = {
            "ksizes": [int(v) for v in ksizes],
            "strides": [int(v) for v in strides],
            "padding": padding,
        }
        return apply_op(_OP, [input], attrs, name=scope)


__all__ = ["extract_volume_patches"]
