"""The image transformations of ``tf.keras.preprocessing.image``: affine warps through
``scipy.ndimage.affine_transform`` (SciPy is imported on first use), channel and brightness
shifts, flips. Images are 3-D NumPy arrays; these functions take channels first by default
(``row_axis=1, col_axis=2, channel_axis=0``) as Keras's do. The ``random_*`` functions draw
from ``np.random`` in Keras's order, so after ``np.random.seed(s)`` they give Keras's
images.

>>> import numpy as np, scopeflow as tf
>>> x = np.arange(9.0).reshape(1, 3, 3)
>>> tf.keras.preprocessing.image.apply_affine_transform(x, theta=90)[0].round(6).tolist()
[[2.0, 5.0, 8.0], [1.0, 4.0, 7.0], [0.0, 3.0, 6.0]]
"""

from __future__ import annotations

import numpy as np

from scopeflow.keras.preprocessing import image_utils


def transform_matrix_offset_center(matrix, x, y) -> np.ndarray:
    """``matrix`` (3x3, homogeneous) applied about the centre of an ``x`` by ``y`` image."""
    ox, oy = float(x) / 2 - 0.5, float(y) / 2 - 0.5
    to_center = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1]])
    from_center = np.array([[1, 0, -ox], [0, 1, -oy], [0, 0, 1]])
    return to_center @ matrix @ from_center


def _affine_matrix(theta, tx, ty, shear, zx, zy):
    parts = []
    if theta != 0:
        t = np.deg2rad(theta)
        parts.append(np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]]))
    if tx != 0 or ty != 0:
        parts.append(np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]))
    if shear != 0:
        s = np.deg2rad(shear)
        parts.append(np.array([[1, -np.sin(s), 0], [0, np.cos(s), 0], [0, 0, 1]]))
    if zx != 1 or zy != 1:
        parts.append(np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]]))
    if not parts:
        return None
    matrix = parts[0]
    for part in parts[1:]:
        matrix = np.dot(matrix, part)
    return matrix


def apply_affine_transform(
    x,
    theta=0,
    tx=0,
    ty=0,
    shear=0,
    zx=1,
    zy=1,
    row_axis=1,
    col_axis=2,
    channel_axis=0,
    fill_mode="nearest",
    cval=0.0,
    order=1,
):
    """The 3-D image ``x`` rotated by ``theta`` degrees, shifted by ``tx`` rows and ``ty``
    columns, sheared by ``shear`` degrees and zoomed by ``zx``/``zy`` (as output-to-input
    coordinate maps about the centre, Keras's convention), each channel resampled by
    ``scipy.ndimage.affine_transform`` with spline ``order``, ``fill_mode`` (``"constant"``,
    ``"nearest"``, ``"reflect"``, ``"wrap"``) and ``cval``."""
    if np.unique([row_axis, col_axis, channel_axis]).size != 3:
        raise ValueError("'row_axis', 'col_axis', and 'channel_axis' must be distinct")
    given = {row_axis, col_axis, channel_axis}
    if given != {0, 1, 2}:
        raise ValueError(f"Invalid axis' indices: {given - {0, 1, 2}}")
    if x.ndim != 3:
        raise ValueError("Input arrays must be multi-channel 2D images.")
    if channel_axis not in [0, 2]:
        raise ValueError("Channels are allowed and the first and last dimensions.")
    matrix = _affine_matrix(theta, tx, ty, shear, zx, zy)
    if matrix is None:
        return x
    from scipy import ndimage

    matrix = transform_matrix_offset_center(matrix, x.shape[row_axis], x.shape[col_axis])
    if col_axis > row_axis:
        matrix[:, [0, 1]] = matrix[:, [1, 0]]
        matrix[[0, 1]] = matrix[[1, 0]]
    channels = np.rollaxis(x, channel_axis, 0)
    warped = [
        ndimage.affine_transform(
            c, matrix[:2, :2], matrix[:2, 2], order=order, mode=fill_mode, cval=cval
        )
        for c in channels
    ]
    return np.rollaxis(np.stack(warped, axis=0), 0, channel_axis + 1)


def _axes(row_axis, col_axis, channel_axis, fill_mode, cval, order) -> dict:
    return {"row_axis": row_axis, "col_axis": col_axis, "channel_axis": channel_axis,
            "fill_mode": fill_mode, "cval": cval, "order": order}


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                    cval=0.0, interpolation_order=1):
    """``x`` rotated by a uniform angle in ``[-rg, rg]`` degrees."""
    theta = np.random.uniform(-rg, rg)
    return apply_affine_transform(
        x, theta=theta,
        **_axes(row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order))


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """``x`` shifted by uniform fractions of its height (``hrg``) and width (``wrg``)."""
    h, w = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * h
    ty = np.random.uniform(-wrg, wrg) * w
    return apply_affine_transform(
        x, tx=tx, ty=ty,
        **_axes(row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order))


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                 cval=0.0, interpolation_order=1):
    """``x`` sheared by a uniform angle in ``[-intensity, intensity]`` degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return apply_affine_transform(
        x, shear=shear,
        **_axes(row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order))


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest",
                cval=0.0, interpolation_order=1):
    """``x`` zoomed by two uniform factors (rows, columns) in ``zoom_range``."""
    if len(zoom_range) != 2:
        raise ValueError(
            f"`zoom_range` should be a tuple or list of two floats. Received: {zoom_range}"
        )
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return apply_affine_transform(
        x, zx=zx, zy=zy,
        **_axes(row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order))


def apply_channel_shift(x, intensity, channel_axis=0):
    """``x`` plus ``intensity`` on every channel, clipped to ``x``'s original range."""
    channels = np.rollaxis(x, channel_axis, 0)
    low, high = np.min(channels), np.max(channels)
    shifted = np.stack([np.clip(c + intensity, low, high) for c in channels], axis=0)
    return np.rollaxis(shifted, 0, channel_axis + 1)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """``apply_channel_shift`` by a uniform intensity in ``[-intensity_range,
    intensity_range]``."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis=channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """The channels-last image ``x`` with its brightness multiplied by ``brightness`` through
    Pillow's ``ImageEnhance.Brightness`` (an 8-bit round trip; with ``scale=False`` a
    value range beyond ``[0, 255]`` is restored afterwards)."""
    from PIL import ImageEnhance

    low, high = np.min(x), np.max(x)
    out_of_range = (low < 0) or (high > 255)
    img = image_utils.array_to_img(x, scale=out_of_range or scale)
    x = image_utils.img_to_array(ImageEnhance.Brightness(img).enhance(brightness))
    if not scale and out_of_range:
        x = x / 255 * (high - low) + low
    return x


def random_brightness(x, brightness_range, scale=True):
    """``apply_brightness_shift`` by a uniform factor in ``brightness_range``."""
    if len(brightness_range) != 2:
        raise ValueError(
            "`brightness_range should be tuple or list of two floats. "
            f"Received: {brightness_range}"
        )
    brightness = np.random.uniform(brightness_range[0], brightness_range[1])
    return apply_brightness_shift(x, brightness, scale)


def flip_axis(x, axis):
    """``x`` reversed along ``axis`` (a copy)."""
    return np.flip(np.asarray(x), axis).copy()


__all__ = [
    "apply_affine_transform",
    "apply_brightness_shift",
    "apply_channel_shift",
    "flip_axis",
    "random_brightness",
    "random_channel_shift",
    "random_rotation",
    "random_shear",
    "random_shift",
    "random_zoom",
    "transform_matrix_offset_center",
]
