"""Colour spaces and colour adjustments as TF1 builds them: ``tf.image.rgb_to_hsv``
(``RGBToHSV``), ``hsv_to_rgb`` (``HSVToRGB``), ``adjust_hue`` (``AdjustHue``),
``adjust_saturation`` (``AdjustSaturation``) and their random versions.

The kernels are TF's per-pixel formulas on whole arrays, in float32 as TF's CPU kernels
compute them (hue in ``[0, 1)``; ``AdjustHue`` rotates the hue on TF's six-sector wheel,
``AdjustSaturation`` scales the saturation and clamps it to ``[0, 1]``).

Gradients: TF has one for ``RGBToHSV`` (built from several hundred small ops); scopeflow's
builds the same derivative from a few dozen (the graph differs, the values agree). Like TF,
``HSVToRGB``, ``AdjustHue`` and ``AdjustSaturation`` have none.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.basic import stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import unstack
from scopeflow.ops.array.shape import ones_like, zeros_like
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.image.adjust import convert_image_dtype
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.selection import where
from scopeflow.ops.random.sampling import random_uniform

_COLOR_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_ADJUST_TYPES = (dtypes.float16, dtypes.float32)


def _rgb_infer(op_type: str):
    def infer(inputs, attrs):
        (images,) = inputs
        dtype = check_dtype_in(op_type, "images", images, _COLOR_TYPES)
        if images.shape.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0")
        if images.shape.ndims is not None and images.shape[-1].value not in (None, 3):
            raise ValueError(f"Dimension must be 3 but is {images.shape[-1].value}")
        return [(dtype, images.shape)]

    return infer


def _check_channels(op, images, adjusting: bool = False) -> None:
    """TF's checks of an RGB/HSV kernel's last dimension: the conversions refuse other channel
    counts with FailedPreconditionError, the adjustments with InvalidArgumentError."""
    if images.ndim < 1:
        raise errors.InvalidArgumentError(
            None, op, f"input must be at least 1D{shape_str(images.shape)}"
        )
    last = images.shape[-1]
    if last != 3 and adjusting:
        raise errors.InvalidArgumentError(
            None, op, f"input must have 3 channels but instead has {last} channels."
        )
    if last != 3:
        raise errors.FailedPreconditionError(
            None, op, f"input must have 3 channels but input only has {last} channels."
        )


def _hsv_of(r, g, b):
    """TF's ``RGBToHSV`` on channel arrays: hue in [0, 1), saturation, value."""
    value = np.maximum(np.maximum(r, g), b)
    spread = value - np.minimum(np.minimum(r, g), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        saturation = np.where(value > 0, spread / value, 0).astype(r.dtype)
        norm = (1 / spread) * r.dtype.type(1 / 6)
        hue = np.where(
            r == value,
            norm * (g - b),
            np.where(
                g == value,
                norm * (b - r) + r.dtype.type(2 / 6),
                norm * (r - g) + r.dtype.type(4 / 6),
            ),
        )
    hue = np.where(spread > 0, hue, 0).astype(r.dtype)
    return np.where(hue < 0, hue + 1, hue), saturation, value


def _rgb_to_hsv_kernel(ctx, op, images):
    _check_channels(op, images)
    work = images.astype(np.float32) if images.dtype != np.float64 else images
    return np.stack(_hsv_of(*np.moveaxis(work, -1, 0)), axis=-1).astype(images.dtype)


def _rgb_to_hsv_grad(op, grad):
    """d(h, s, v)/d(r, g, b) where each is smooth: ``v`` follows the largest channel, ``s =
    (v - min) / v`` and ``h = n / (6 (v - min))`` with ``n`` the sector's channel difference
    (the sector offsets drop out). Ties and zeros as TF's gradient takes them: the largest
    channel is red, then green, then blue; the smallest blue, then green, then red; a channel
    at zero passes no saturation gradient."""
    rgb = op.inputs[0]
    dtype = rgb.dtype.base_dtype
    r, g, b = unstack(rgb, axis=-1)
    grad_h, grad_s, grad_v = unstack(grad, axis=-1)
    both = math_ops.logical_and
    top_r = both(math_ops.greater_equal(r, g), math_ops.greater_equal(r, b))
    top_g = both(math_ops.greater(g, r), math_ops.greater_equal(g, b))
    low_b = both(math_ops.less_equal(b, r), math_ops.less_equal(b, g))
    low_g = both(math_ops.less_equal(g, r), math_ops.less(g, b))
    max_hot = [cast(top_r, dtype), cast(top_g, dtype)]
    max_hot.append(1 - max_hot[0] - max_hot[1])
    min_hot = [None, cast(low_g, dtype), cast(low_b, dtype)]
    min_hot[0] = 1 - min_hot[1] - min_hot[2]
    value = math_ops.maximum(math_ops.maximum(r, g), b)
    spread = value - math_ops.minimum(math_ops.minimum(r, g), b)
    numerator = where(top_r, g - b, where(top_g, b - r, r - g))
    # d(numerator)/d(r, g, b) per sector: red (0, 1, -1), green (-1, 0, 1), blue (1, -1, 0)
    d_numerator = [max_hot[2] - max_hot[1], max_hot[0] - max_hot[2], max_hot[1] - max_hot[0]]
    has_hue = math_ops.greater(spread, 0)
    safe_spread = where(has_hue, spread, ones_like(spread))
    safe_value = where(math_ops.greater(value, 0), value, ones_like(value))
    out = []
    for c, channel in enumerate((r, g, b)):
        d_spread = max_hot[c] - min_hot[c]
        d_hue = (d_numerator[c] / safe_spread - numerator * d_spread / (safe_spread**2)) / 6
        d_sat = (d_spread * safe_value - spread * max_hot[c]) / (safe_value**2)
        out.append(
            where(has_hue, grad_h * d_hue, zeros_like(d_hue))
            + where(math_ops.greater(channel, 0), grad_s * d_sat, zeros_like(d_sat))
            + grad_v * max_hot[c]
        )
    return [stack(out, axis=-1)]


register_op("RGBToHSV", _rgb_infer("RGBToHSV"), kernel=_rgb_to_hsv_kernel, grad=_rgb_to_hsv_grad)


def _hsv_to_rgb_kernel(ctx, op, images):
    _check_channels(op, images)
    work = images.astype(np.float32) if images.dtype != np.float64 else images
    h, s, v = np.moveaxis(work, -1, 0)
    t = work.dtype.type
    dh = h * t(6)
    dr = np.clip(np.abs(dh - t(3)) - t(1), 0, 1)
    dg = np.clip(-np.abs(dh - t(2)) + t(2), 0, 1)
    db = np.clip(-np.abs(dh - t(4)) + t(2), 0, 1)
    one_s = -s + t(1)
    rgb = [(one_s + s * d) * v for d in (dr, dg, db)]
    return np.stack(rgb, axis=-1).astype(images.dtype)


register_op("HSVToRGB", _rgb_infer("HSVToRGB"), kernel=_hsv_to_rgb_kernel, grad=NOT_DIFFERENTIABLE)


def _adjust_infer(op_type: str, arg: str):
    def infer(inputs, attrs):
        images, factor = inputs
        dtype = check_dtype_in(op_type, "images", images, _ADJUST_TYPES)
        check_dtype_in(op_type, arg, factor, (dtypes.float32,))
        if images.shape.ndims is not None and images.shape.ndims < 3:
            raise ValueError(f"Shape must be at least rank 3 but is rank {images.shape.ndims}")
        return [(dtype, images.shape if images.shape.ndims is not None else TensorShape(None))]

    return infer


def _channels_of(op, images):
    if images.ndim < 3:
        raise errors.InvalidArgumentError(
            None, op, f"input must be at least 3-D, got shape{shape_str(images.shape)}"
        )
    _check_channels(op, images, adjusting=True)
    return np.moveaxis(images.astype(np.float32), -1, 0)


def _scalar_factor(op, value, arg: str) -> np.float32:
    if np.ndim(value) != 0:
        raise errors.InvalidArgumentError(
            None, op, f"{arg} must be scalar: {list(np.shape(value))}"
        )
    return np.float32(value)


def _adjust_hue_kernel(ctx, op, images, delta):
    """TF's ``AdjustHue``: the hue moved ``delta`` of a turn on the six-sector wheel, value and
    the spread of the channels kept."""
    r, g, b = _channels_of(op, images)
    delta = _scalar_factor(op, delta, "delta")
    high = np.maximum(np.maximum(r, g), b)
    low = np.minimum(np.minimum(r, g), b)
    # TF's sectors: which channel is largest and which is in the middle
    sector = np.select(
        [(r < g) & (b < r), (r < g) & (b > g), r < g, b < g, b > r],
        [1, 3, 2, 0, 4],
        5,
    )
    middle = np.select(
        [sector == 0, sector == 1, sector == 2, sector == 3, sector == 4], [g, r, b, g, r], b
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (middle - low) / (high - low)
    start = sector.astype(np.float32)  # (an int64 sector would widen the sums to float64)
    hue = np.where(sector % 2 == 0, start + ratio, start + (1 - ratio))
    hue = np.where(high == low, np.float32(0), hue)
    hue = hue + np.float32(delta) * np.float32(6)
    hue = np.mod(hue, np.float32(6)).astype(np.float32)
    hue = np.where(hue >= 6, np.float32(0), hue)
    sector = hue.astype(np.int64)
    ratio = hue - sector.astype(np.float32)
    ratio = np.where(sector % 2 == 0, ratio, 1 - ratio)
    middle = low + ratio * (high - low)
    channels = {
        0: (high, middle, low),
        1: (middle, high, low),
        2: (low, high, middle),
        3: (low, middle, high),
        4: (middle, low, high),
        5: (high, low, middle),
    }
    out = [
        np.select(
            [sector == k for k in range(5)], [channels[k][c] for k in range(5)], channels[5][c]
        )
        for c in range(3)
    ]
    return np.stack(out, axis=-1).astype(images.dtype)


def _adjust_saturation_kernel(ctx, op, images, scale):
    """TF's ``AdjustSaturation``: to HSV, the saturation scaled and clamped to [0, 1], back
    to RGB with TF's sector formulas."""
    r, g, b = _channels_of(op, images)
    scale = _scalar_factor(op, scale, "scale")
    value = np.maximum(np.maximum(r, g), b)
    spread = value - np.minimum(np.minimum(r, g), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        saturation = np.where(value > 0, spread / value, np.float32(0))
        norm = np.float32(1) / (np.float32(6) * spread)
        hue = np.where(
            r == value,
            norm * (g - b),
            np.where(
                g == value,
                (norm * (b - r)).astype(np.float64) + 2.0 / 6.0,
                (norm * (r - g)).astype(np.float64) + 4.0 / 6.0,
            ),
        ).astype(np.float32)
    hue = np.where(spread <= 0, np.float32(0), hue)
    hue = np.where(hue < 0, hue + np.float32(1), hue)
    saturation = np.minimum(
        np.float32(1), np.maximum(np.float32(0), saturation * np.float32(scale))
    )
    chroma = (saturation * value).astype(np.float32)
    base = value - chroma
    dh = hue * np.float32(6)
    sector = dh.astype(np.int64)
    wrapped = np.where(dh <= 0, dh + np.float32(2), dh)  # TF's loops, for dh in [0, 6]
    wrapped = np.where(wrapped > 4, wrapped - np.float32(4), wrapped)
    wrapped = np.where(wrapped > 2, wrapped - np.float32(2), wrapped)
    x = chroma * (1 - np.abs(wrapped - 1))
    zero = np.zeros_like(x)
    table = [
        (chroma, x, zero),
        (x, chroma, zero),
        (zero, chroma, x),
        (zero, x, chroma),
        (x, zero, chroma),
        (chroma, zero, x),
    ]
    out = [
        np.select([sector == k for k in range(6)], [t[c] for t in table], zero) + base
        for c in range(3)
    ]
    return np.stack(out, axis=-1).astype(images.dtype)


register_op(
    "AdjustHue",
    _adjust_infer("AdjustHue", "delta"),
    kernel=_adjust_hue_kernel,
    grad=NOT_DIFFERENTIABLE,
)
register_op(
    "AdjustSaturation",
    _adjust_infer("AdjustSaturation", "scale"),
    kernel=_adjust_saturation_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def rgb_to_hsv(images, name=None):
    """RGB images (last dimension 3, float in [0, 1]) as HSV: hue in [0, 1), saturation and
    value.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.image.rgb_to_hsv([[0.0, 0.5, 1.0]])))
    [[0.5833334 1.        1.       ]]
    """
    with name_scope(name, "RGBToHSV", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        return apply_op("RGBToHSV", [images], name=scope)


@undo.atomic
def hsv_to_rgb(images, name=None):
    """HSV images (last dimension 3, values in [0, 1]) as RGB; the inverse of
    :func:`rgb_to_hsv`."""
    with name_scope(name, "HSVToRGB", [images]) as scope:
        images = convert_to_tensor(images, name="images")
        return apply_op("HSVToRGB", [images], name=scope)


def _adjust(op_type: str, scope_name: str, image, factor, arg: str, name):
    with name_scope(name, scope_name, [image]):
        image = convert_to_tensor(image, name="image")
        orig_dtype = image.dtype.base_dtype
        if orig_dtype in _ADJUST_TYPES:
            flt_image = image
        else:
            flt_image = convert_image_dtype(image, dtypes.float32)
        with name_scope(None, op_type) as scope:
            factor = convert_to_tensor(factor, dtype=dtypes.float32, name=arg)
            adjusted = apply_op(op_type, [flt_image, factor], name=scope)
        return convert_image_dtype(adjusted, orig_dtype)


@undo.atomic
def adjust_hue(image, delta, name=None):
    """RGB ``image`` (last dimension 3) with its hue rotated by ``delta`` (a fraction of a
    turn, in [-1, 1]); integer images are converted to float and back.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.image.adjust_hue([[[1.0, 0.0, 0.0]]], 1 / 3)))
    [[[0. 1. 0.]]]
    """
    return _adjust("AdjustHue", "adjust_hue", image, delta, "delta", name)


@undo.atomic
def adjust_saturation(image, saturation_factor, name=None):
    """RGB ``image`` with its saturation multiplied by ``saturation_factor`` (clamped to [0,
    1]); integer images are converted to float and back.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.image.adjust_saturation([[[1.0, 0.5, 0.0]]], 0.5)))
    [[[1.   0.75 0.5 ]]]
    """
    return _adjust("AdjustSaturation", "adjust_saturation", image, saturation_factor, "scale", name)


@undo.atomic
def random_hue(image, max_delta, seed=None):
    """``image`` with a hue rotation drawn uniformly from ``[-max_delta, max_delta]``
    (``max_delta`` in [0, 0.5])."""
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_hue(image, delta)


@undo.atomic
def random_saturation(image, lower, upper, seed=None):
    """``image`` with a saturation factor drawn uniformly from ``[lower, upper)``."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_uniform([], lower, upper, seed=seed)
    return adjust_saturation(image, factor)


__all__ = [
    "adjust_hue",
    "adjust_saturation",
    "hsv_to_rgb",
    "random_hue",
    "random_saturation",
    "rgb_to_hsv",
]
