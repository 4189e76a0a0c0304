"""``ImageProjectiveTransformV2``: the op under ``tf.contrib.image.transform`` (and ``rotate``,
``translate``), its TF1 gradient, and the conversions between flat transforms and matrices.

A transform ``[a0, a1, a2, b0, b1, b2, c0, c1]`` maps an *output* pixel ``(x, y)`` to the
input point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``, ``k = c0 x + c1 y + 1``, read
at the nearest pixel or bilinearly, zero outside the image (TF's kernel, in float32). TF1's
gradient applies the inverted transform to the incoming gradient (exact for transforms that
permute pixels, such as whole-pixel shifts and quarter turns; an approximation otherwise) and
gives none to the transforms.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import ones, reshape, shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import apply_op, check_dtype_in, shape_value
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.ops.math.linalg_solve import matrix_inverse

IMAGE_DTYPES = (
    dtypes.uint8,
    dtypes.int32,
    dtypes.int64,
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
)


def _transform_infer(inputs, attrs):
    images, transforms, output_shape = inputs
    dtype = check_dtype_in("ImageProjectiveTransformV2", "images", images, IMAGE_DTYPES)
    check_dtype_in("ImageProjectiveTransformV2", "transforms", transforms, (dtypes.float32,))
    check_dtype_in("ImageProjectiveTransformV2", "output_shape", output_shape, (dtypes.int32,))
    for t, rank in ((images, 4), (transforms, 2), (output_shape, 1)):
        if t.shape.ndims is not None and t.shape.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    dims = images.shape.as_list() if images.shape.ndims is not None else [None] * 4
    out_hw = shape_value(output_shape).as_list() if output_shape.shape.ndims == 1 else None
    if out_hw is None or len(out_hw) != 2:
        out_hw = [None, None]
    return [(dtype, TensorShape([dims[0], *out_hw, dims[3]]))]


def _gather(images, batch, y, x):
    """``images[batch, y, x, :]`` where ``(y, x)`` lies in the image, else 0."""
    height, width = images.shape[1:3]
    inside = (y >= 0) & (y < height) & (x >= 0) & (x < width)
    values = images[batch, np.clip(y, 0, height - 1), np.clip(x, 0, width - 1)]
    return np.where(inside[..., None], values, np.zeros((), images.dtype))


def _round_half_away(v: np.ndarray) -> np.ndarray:
    """C's ``std::round`` of float32 coordinates, as int64 (far-off points stay outside)."""
    wide = np.clip(v.astype(np.float64), -(2.0**40), 2.0**40)
    return (np.copysign(np.floor(np.abs(wide) + 0.5), wide)).astype(np.int64)


def _transform_kernel(ctx, op, images, transforms, output_shape):
    # Points at infinity or NaN (a degenerate transform) fall outside: silence NumPy on them.
    with quiet():
        return _transform(op, images, transforms, output_shape)


def _transform(op, images, transforms, output_shape):
    if images.ndim != 4:
        raise errors.InvalidArgumentError(None, op, "Input images must have rank 4")
    if transforms.ndim != 2 or transforms.shape[1] != 8:
        raise errors.InvalidArgumentError(
            None, op, "Input transform should be num_images x 8 or 1 x 8"
        )
    if transforms.shape[0] not in (1, images.shape[0]):
        raise errors.InvalidArgumentError(
            None, op, "Input transform should be num_images x 8 or 1 x 8"
        )
    if output_shape.shape != (2,):
        raise errors.InvalidArgumentError(
            None, op, "output shape must be 1-dimensional with 2 elements"
        )
    out_h, out_w = (int(v) for v in output_shape)
    if out_h <= 0 or out_w <= 0:
        raise errors.InvalidArgumentError(None, op, "output dimensions must be positive")
    batch = images.shape[0]
    t = np.broadcast_to(transforms.astype(np.float32), (batch, 8))[:, :, None, None]
    f32 = np.float32
    y_out, x_out = np.meshgrid(
        np.arange(out_h, dtype=f32), np.arange(out_w, dtype=f32), indexing="ij"
    )
    k = t[:, 6] * x_out + t[:, 7] * y_out + f32(1)
    x_in = (t[:, 0] * x_out + t[:, 1] * y_out + t[:, 2]) / k
    y_in = (t[:, 3] * x_out + t[:, 4] * y_out + t[:, 5]) / k
    infinite = k == 0  # TF returns the fill value for points at infinity
    x_in, y_in = np.where(infinite, f32(-1), x_in), np.where(infinite, f32(-1), y_in)
    b = np.arange(batch)[:, None, None]
    if op._attrs["interpolation"] == "NEAREST":
        return _gather(images, b, _round_half_away(y_in), _round_half_away(x_in))
    y0, x0 = np.floor(y_in), np.floor(x_in)
    y1, x1 = y0 + f32(1), x0 + f32(1)
    y0i, x0i, y1i, x1i = (
        np.clip(v, -(2.0**40), 2.0**40).astype(np.int64) for v in (y0, x0, y1, x1)
    )
    values = [
        _gather(images, b, yy, xx).astype(np.float32) for yy in (y0i, y1i) for xx in (x0i, x1i)
    ]
    wx0, wx1 = (x1 - x_in)[..., None], (x_in - x0)[..., None]
    top = wx0 * values[0] + wx1 * values[1]
    bottom = wx0 * values[2] + wx1 * values[3]
    out = (y1 - y_in)[..., None] * top + (y_in - y0)[..., None] * bottom
    if images.dtype.kind in "iu":
        return np.trunc(out).astype(images.dtype)
    return out.astype(images.dtype)


def flat_transforms_to_matrices(transforms):
    """``(N, 3, 3)`` matrices (output to input coordinates) of flat transforms (``[8]`` or
    ``[N, 8]``), as TF1's ``tf.contrib.image.flat_transforms_to_matrices``."""
    with name_scope("flat_transforms_to_matrices"):
        transforms = convert_to_tensor(transforms, name="transforms")
        if transforms.shape.ndims not in (1, 2):
            raise ValueError(f"Transforms should be 1D or 2D, got: {transforms}")
        transforms = reshape(transforms, constant([-1, 8]))
        count = shape(transforms)[0]
        return reshape(concat([transforms, ones([count, 1])], axis=1), constant([-1, 3, 3]))


def matrices_to_flat_transforms(transform_matrices):
    """Flat transforms ``(N, 8)`` of matrices ``(3, 3)`` or ``(N, 3, 3)``, each divided by its
    last entry, as TF1's ``tf.contrib.image.matrices_to_flat_transforms``."""
    with name_scope("matrices_to_flat_transforms"):
        matrices = convert_to_tensor(transform_matrices, name="transform_matrices")
        if matrices.shape.ndims not in (2, 3):
            raise ValueError(f"Matrices should be 2D or 3D, got: {matrices}")
        transforms = reshape(matrices, constant([-1, 9]))
        transforms /= transforms[:, 8:9]
        return transforms[:, :8]


def _transform_grad(op, grad):
    images, transforms = op.inputs[0], op.inputs[1]
    if transforms.shape.ndims == 1:
        transforms = transforms[None]
    elif transforms.shape.ndims != 2:
        raise TypeError("Transforms should have rank 1 or 2.")
    inverse = matrices_to_flat_transforms(
        matrix_inverse(flat_transforms_to_matrices(transforms=transforms))
    )
    output = image_projective_transform_v2(
        grad, inverse, shape(images)[1:3], op._attrs["interpolation"]
    )
    return [output, None, None]


register_op(
    "ImageProjectiveTransformV2",
    _transform_infer,
    kernel=_transform_kernel,
    grad=_transform_grad,
)


def image_projective_transform_v2(images, transforms, output_shape, interpolation, name=None):
    """The ``ImageProjectiveTransformV2`` op (TF's generated wrapper): ``interpolation`` is
    ``"NEAREST"`` or ``"BILINEAR"``."""
    if interpolation not in ("NEAREST", "BILINEAR"):
        raise ValueError(
            f"interpolation must be 'NEAREST' or 'BILINEAR', got {interpolation!r}: "
            "scopeflow has TF1's two interpolations"
        )
    with name_scope(name, "ImageProjectiveTransformV2") as scope:
        images = convert_to_tensor(images, name="images")
        transforms = convert_to_tensor(transforms, dtypes.float32, name="transforms")
        output_shape = convert_to_tensor(output_shape, dtypes.int32, name="output_shape")
        attrs = {
            "dtype": images.dtype.base_dtype,
            "interpolation": interpolation,
            "fill_mode": "CONSTANT",
        }
        return apply_op(
            "ImageProjectiveTransformV2", [images, transforms, output_shape], attrs, name=scope
        )
