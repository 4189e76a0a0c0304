"""Image files and arrays for Keras (``tf.keras.preprocessing.image`` and
``tf.keras.utils``' ``load_img``, ``img_to_array``, ``array_to_img``, ``save_img``) through
Pillow, which is imported on first use (``pip install scopeflow[image]``).

>>> import numpy as np, scopeflow as tf
>>> img = tf.keras.preprocessing.image.array_to_img(np.zeros((2, 3, 3)))
>>> img.size, tf.keras.preprocessing.image.img_to_array(img).shape
((3, 2), (2, 3, 3))
"""

from __future__ import annotations

import io
import os
import pathlib
import warnings

import numpy as np

from scopeflow.keras.backend_config import floatx, image_data_format

_RESAMPLING = ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")


def _pil_image():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError(
            "Could not import PIL.Image: Keras's image files need Pillow "
            "(pip install Pillow, or scopeflow[image])."
        ) from e
    return Image


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A ``PIL.Image`` of the 3-D array ``x`` (1 channel: ``"L"``, or ``"I"`` when values
    exceed 255; 3: ``"RGB"``; 4: ``"RGBA"``); ``scale`` first maps ``x``'s range onto
    ``[0, 255]``."""
    image = _pil_image()
    data_format = data_format or image_data_format()
    x = np.asarray(x, dtype=dtype or floatx())
    if x.ndim != 3:
        raise ValueError(
            f"Expected image array to have rank 3 (single image). Got array with shape: {x.shape}"
        )
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(f"Invalid data_format: {data_format}")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x /= top
        x *= 255
    channels = x.shape[2]
    if channels in (3, 4):
        return image.fromarray(x.astype("uint8"), "RGB" if channels == 3 else "RGBA")
    if channels == 1:
        if np.max(x) > 255:
            return image.fromarray(x[:, :, 0].astype("int32"), "I")
        return image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img, data_format=None, dtype=None) -> np.ndarray:
    """The ``PIL.Image`` (or array) ``img`` as a 3-D array of ``dtype`` (default
    ``floatx()``), a grayscale image given one channel axis."""
    data_format = data_format or image_data_format()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError(f"Unknown data_format: {data_format}")
    x = np.asarray(img, dtype=dtype or floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x[None] if data_format == "channels_first" else x[:, :, None]
    raise ValueError(f"Unsupported image shape: {x.shape}")


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs) -> None:
    """Writes the array ``x`` as an image file (``file_format`` or the extension decides;
    ``kwargs`` go to ``PIL.Image.save``)."""
    img = array_to_img(x, data_format=data_format or image_data_format(), scale=scale)
    if img.mode == "RGBA" and file_format in ("jpg", "jpeg"):
        warnings.warn("The JPG format does not support RGBA images, converting to RGB.",
                      stacklevel=2)
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def _crop_box(size, target) -> list:
    width, height = size
    target_width, target_height = target
    crop_height = min(height, (width * target_height) // target_width)
    crop_width = min(width, (height * target_width) // target_height)
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return [left, top, left + crop_width, top + crop_height]


def load_img(path, grayscale=False, color_mode="rgb", target_size=None,
             interpolation="nearest", keep_aspect_ratio=False):
    """The image file ``path`` (a path or ``io.BytesIO``) as a ``PIL.Image`` in
    ``color_mode`` (``"grayscale"``, ``"rgb"``, ``"rgba"``), resized to ``target_size``
    ``(height, width)`` with Pillow's ``interpolation`` (after a centred crop to the target's
    aspect ratio with ``keep_aspect_ratio``)."""
    image = _pil_image()
    if grayscale:
        warnings.warn('grayscale is deprecated. Please use color_mode = "grayscale"',
                      stacklevel=2)
        color_mode = "grayscale"
    if isinstance(path, io.BytesIO):
        img = image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        with open(os.fspath(path), "rb") as f:
            img = image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    modes = {"grayscale": ("L", "I;16", "I"), "rgba": ("RGBA",), "rgb": ("RGB",)}
    if color_mode not in modes:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if img.mode not in modes[color_mode]:
        img = img.convert(modes[color_mode][0])
    if target_size is not None:
        size = (target_size[1], target_size[0])
        if img.size != size:
            if interpolation not in _RESAMPLING:
                raise ValueError(
                    f"Invalid interpolation method {interpolation} specified. Supported "
                    f"methods are {', '.join(_RESAMPLING)}"
                )
            resample = getattr(image.Resampling, interpolation.upper())
            box = _crop_box(img.size, size) if keep_aspect_ratio else None
            img = img.resize(size, resample, box=box)
    return img


__all__ = ["array_to_img", "img_to_array", "load_img", "save_img"]
