"""More of TF's image codecs: ``tf.io.extract_jpeg_shape`` (``ExtractJpegShape``: read from
the JPEG's frame header, no Pillow needed), ``is_jpeg`` (TF's ``Substr`` and ``Equal``),
``decode_and_crop_jpeg`` (``DecodeAndCropJpeg``: the pixels of decoding then cropping),
``adjust_jpeg_quality``/``random_jpeg_quality`` (``EncodeJpegVariableQuality`` then
``DecodeJpeg``), ``decode_bmp`` (``DecodeBmp``), ``decode_gif`` (``DecodeGif``: all frames),
``decode_webp`` (``DecodeWebP``) and ``decode_jxl`` (not supported).

Decoding and encoding go through Pillow as in ``codecs.py`` (same JPEG pixels as TF's
``dct_method="INTEGER_ACCURATE"``; JPEG bytes encoded here differ from TF's libjpeg output).

Deliberate difference: ``decode_and_crop_jpeg`` gives the pixels of a whole decode, cropped.
TF's libjpeg decodes only the window's columns, so with subsampled chroma its upsampling
treats the window's last column as the image's edge: that column's colours differ (by up to
about 20 levels); gray and 4:4:4 JPEGs, and windows ending at the image's edge, are equal.
"""

from __future__ import annotations

import io

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, check_dtype_in, constant_value
from scopeflow.ops.image.adjust import convert_image_dtype
from scopeflow.ops.image.codecs import (
    _check_channels,
    _check_image,
    _decode_infer,
    _decoding_error,
    _pillow,
    _pillow_frames,
    decode_jpeg,
)
from scopeflow.ops.image.files import as_bytes, check_string_scalar
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.random.sampling import random_uniform

_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, *range(0xD0, 0xD9)}


def _format_of(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:2] == b"BM":
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    return None


def jpeg_shape(data: bytes) -> tuple[int, int, int] | None:
    """``(height, width, components)`` from a JPEG's frame header, or None if there is none."""
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in _STANDALONE:
            at += 2
            continue
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in _SOF:
            if length < 8 or at + 10 > len(data):
                return None
            height = int.from_bytes(data[at + 5 : at + 7], "big")
            width = int.from_bytes(data[at + 7 : at + 9], "big")
            return height, width, data[at + 9]
        if marker == 0xD9 or length < 2:
            return None
        at += 2 + length
    return None


# -- ExtractJpegShape ------------------------------------------------------------------------


def _jpeg_shape_infer(inputs, attrs):
    check_string_scalar("ExtractJpegShape", "contents", inputs[0])
    return [(attrs["output_type"], TensorShape([3]))]


def _jpeg_shape_kernel(ctx, op, contents):
    data = as_bytes(contents)
    shape = jpeg_shape(data)
    if shape is None:
        raise _decoding_error(op, f"Invalid JPEG data, size {len(data)}")
    return np.asarray(shape, op._attrs["output_type"].as_numpy_dtype)


register_op(
    "ExtractJpegShape",
    _jpeg_shape_infer,
    kernel=_jpeg_shape_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """``[height, width, channels]`` of the JPEG image in ``contents``, from its header
    (nothing decoded).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     jpeg = tf.image.encode_jpeg(tf.zeros([3, 5, 1], tf.uint8))
    ...     print(tf.Session().run(tf.io.extract_jpeg_shape(jpeg)))
    [3 5 1]
    """
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'output_type' has DataType {output_type.name} not in "
            "list of allowed values: int32, int64"
        )
    with name_scope(name, "ExtractJpegShape", [contents]) as scope:
        contents = convert_to_tensor(contents, dtype=dtypes.string, name="contents")
        return apply_op("ExtractJpegShape", [contents], {"output_type": output_type}, scope)


@undo.atomic
def is_jpeg(contents, name=None):
    """Whether each string of ``contents`` starts as a JPEG file does (``\\xff\\xd8\\xff``)."""
    with name_scope(name, "is_jpeg"):
        with name_scope(None, "Substr") as scope:
            contents = convert_to_tensor(contents, dtype=dtypes.string, name="input")
            pos = convert_to_tensor(0, dtype=dtypes.int32, name="pos")
            size = convert_to_tensor(3, dtype=dtypes.int32, name="len")
            head = apply_op("Substr", [contents, pos, size], {"unit": b"BYTE"}, scope)
        return math_ops.equal(head, b"\xff\xd8\xff")


# -- DecodeAndCropJpeg -----------------------------------------------------------------------


def _crop_infer(inputs, attrs):
    contents, window = inputs
    check_string_scalar("DecodeAndCropJpeg", "contents", contents)
    check_dtype_in("DecodeAndCropJpeg", "crop_window", window, (dtypes.int32,))
    if window.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {window.shape.ndims}")
    known = constant_value(window)
    height, width = (None, None) if known is None else (int(known[2]), int(known[3]))
    return [(dtypes.uint8, TensorShape([height, width, attrs["channels"] or None]))]


def _crop_kernel(ctx, op, contents, window):
    data = as_bytes(contents)
    found = _format_of(data)
    if found not in (None, "JPEG"):
        raise _decoding_error(
            op, f"DecodeAndCropJpeg operation can run on JPEG only, but detected {found}."
        )
    bad = "jpeg::Uncompress failed. Invalid JPEG data or crop window."
    if found is None or np.shape(window) != (4,):
        raise _decoding_error(op, bad)
    image = _pillow_frames(op, data, op._attrs["channels"], op._attrs["ratio"])[0]
    y, x, h, w = (int(v) for v in window)
    if min(y, x) < 0 or min(h, w) <= 0 or y + h > image.shape[0] or x + w > image.shape[1]:
        raise _decoding_error(op, bad)
    return np.ascontiguousarray(image[y : y + h, x : x + w])


register_op(
    "DecodeAndCropJpeg", _crop_infer, kernel=_crop_kernel, grad=NOT_DIFFERENTIABLE, host_only=True
)


@undo.atomic
def decode_and_crop_jpeg(
    contents,
    crop_window,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """The ``crop_window`` (``[y, x, height, width]``) of the JPEG image in ``contents``:
    the pixels :func:`decode_jpeg` then a crop give (same arguments; TF's differ in the
    window's last column for colour JPEGs, see the module's notes). Needs Pillow."""
    _check_channels("DecodeAndCropJpeg", channels, (0, 1, 3))
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"DecodeAndCropJpeg: ratio must be 1, 2, 4 or 8, got {ratio}")
    if not fancy_upscaling or try_recover_truncated or dct_method not in ("", "INTEGER_ACCURATE"):
        raise NotImplementedError(
            "decode_and_crop_jpeg decodes with libjpeg's defaults (through Pillow) only: leave "
            "fancy_upscaling, try_recover_truncated and dct_method at their defaults"
        )
    attrs = {
        "channels": int(channels),
        "ratio": int(ratio),
        "fancy_upscaling": True,
        "try_recover_truncated": False,
        "acceptable_fraction": float(acceptable_fraction),
        "dct_method": dct_method,
    }
    with name_scope(name, "DecodeAndCropJpeg", [contents, crop_window]) as scope:
        contents = convert_to_tensor(contents, dtype=dtypes.string, name="contents")
        window = convert_to_tensor(crop_window, dtype=dtypes.int32, name="crop_window")
        return apply_op("DecodeAndCropJpeg", [contents, window], attrs, scope)


# -- EncodeJpegVariableQuality, adjust_jpeg_quality ------------------------------------------


def _encode_quality_infer(inputs, attrs):
    image, quality = inputs
    if image.dtype.base_dtype != dtypes.uint8:
        raise TypeError(
            "Input 'images' of 'EncodeJpegVariableQuality' Op has type "
            f"{image.dtype.base_dtype.name} that does not match expected type of uint8."
        )
    check_dtype_in("EncodeJpegVariableQuality", "quality", quality, (dtypes.int32,))
    if image.shape.ndims not in (None, 3):
        raise ValueError(f"Shape must be rank 3 but is rank {image.shape.ndims}")
    if quality.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {quality.shape.ndims}")
    return [(dtypes.string, TensorShape([]))]


def _encode_quality_kernel(ctx, op, image, quality):
    _check_image(op, image, (1, 3))
    quality = int(quality)
    if not 0 <= quality <= 100:
        raise errors.InvalidArgumentError(None, op, f"quality must be in [0,100], got {quality}")
    picture = _pillow(op).fromarray(image[..., 0] if image.shape[2] == 1 else image)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality, subsampling="4:2:0", dpi=(300, 300))
    return np.array(out.getvalue(), dtype=object)


register_op(
    "EncodeJpegVariableQuality",
    _encode_quality_infer,
    kernel=_encode_quality_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """``image`` (``[height, width, channels]``, 1 or 3 channels known while building)
    encoded as JPEG at ``jpeg_quality`` (0 to 100) and decoded again, in its own dtype: the
    artifacts of JPEG compression, for augmentation. Needs Pillow.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     flat = tf.fill([8, 8, 3], 0.5)
    ...     print(tf.Session().run(tf.image.adjust_jpeg_quality(flat, 75))[0, 0])
    [0.49803925 0.49803925 0.49803925]
    """
    with name_scope(name, "adjust_jpeg_quality", [image]):
        image = convert_to_tensor(image, name="image")
        if image.shape.ndims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        channels = image.shape.as_list()[-1]
        dtype = image.dtype.base_dtype
        image = convert_image_dtype(image, dtypes.uint8, saturate=True)
        quality = convert_to_tensor(jpeg_quality, dtype=dtypes.int32)
        encoded = apply_op(
            "EncodeJpegVariableQuality", [image, quality], name="EncodeJpegVariableQuality"
        )
        image = decode_jpeg(encoded, channels=channels, dct_method=dct_method)
        return convert_image_dtype(image, dtype, saturate=True)


@undo.atomic
def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """:func:`adjust_jpeg_quality` at a quality drawn uniformly from
    ``[min_jpeg_quality, max_jpeg_quality)`` at each run."""
    low, high = min_jpeg_quality, max_jpeg_quality
    if low < 0 or high < 0 or low > 100 or high > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if low >= high:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    quality = random_uniform([], low, high, dtype=dtypes.int32, seed=seed)
    return adjust_jpeg_quality(image, quality)


# -- DecodeBmp, DecodeGif, DecodeWebP --------------------------------------------------------


def _pillow_image(op, data: bytes, mode: str | None = None):
    try:
        image = _pillow(op).open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, SyntaxError) as e:
        raise _decoding_error(op, f"Invalid image data, size {len(data)}: {e}") from None
    return image


def _bmp_pixels(data: bytes) -> np.ndarray | None:
    """The pixels of an uncompressed 24- or 32-bit BMP (``[h, w, 3 or 4]``, RGB(A) from its
    BGR(A) rows, bottom-up unless the height is negative); None for other kinds."""
    if len(data) < 34:
        return None
    offset = int.from_bytes(data[10:14], "little")
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)
    bits, compression = int.from_bytes(data[28:30], "little"), int.from_bytes(data[30:34], "little")
    if bits not in (24, 32) or compression not in (0, 3) or width <= 0 or height == 0:
        return None
    depth, rows = bits // 8, abs(height)
    stride = (width * depth + 3) // 4 * 4
    if offset + stride * rows > len(data):
        return None
    raw = np.frombuffer(data, np.uint8, stride * rows, offset).reshape(rows, stride)
    pixels = raw[:, : width * depth].reshape(rows, width, depth)
    pixels = pixels[..., [2, 1, 0, 3][:depth]]
    return pixels[::-1] if height > 0 else pixels


def _decode_bmp_kernel(ctx, op, contents):
    data = as_bytes(contents)
    channels = op._attrs["channels"]
    if channels not in (0, 3, 4):
        raise _decoding_error(op, f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    found = _format_of(data)
    if found not in (None, "BMP"):
        raise _decoding_error(
            op,
            f"Trying to decode {found} format using DecodeBmp op. Use "
            f"`decode_{found.lower()}` or `decode_image` instead.",
        )
    pixels = _bmp_pixels(data) if found else None
    if pixels is None:
        pixels = np.asarray(_pillow_image(op, data).convert("RGB"))
    if channels == 3:
        pixels = pixels[..., :3]
    elif channels == 4 and pixels.shape[2] == 3:
        pixels = np.concatenate([pixels, np.full(pixels.shape[:2] + (1,), 255, np.uint8)], -1)
    return np.ascontiguousarray(pixels)


register_op(
    "DecodeBmp",
    _decode_infer("DecodeBmp"),
    kernel=_decode_bmp_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _decode_gif_infer(inputs, attrs):
    check_string_scalar("DecodeGif", "contents", inputs[0])
    return [(dtypes.uint8, TensorShape([None, None, None, 3]))]


def _decode_gif_kernel(ctx, op, contents):
    data = as_bytes(contents)
    if _format_of(data) not in ("GIF", "JPEG", "PNG", "BMP"):
        raise _decoding_error(op, f"Invalid GIF data (size {len(data)})")
    return _pillow_frames(op, data, 3)


register_op(
    "DecodeGif", _decode_gif_infer, kernel=_decode_gif_kernel, grad=NOT_DIFFERENTIABLE,
    host_only=True,
)  # fmt: skip


def _decode_webp_infer(inputs, attrs):
    check_string_scalar("DecodeWebP", "contents", inputs[0])
    return [(attrs["dtype"], TensorShape([None, None, None, attrs["channels"] or None]))]


def _decode_webp_kernel(ctx, op, contents):
    data = as_bytes(contents)
    if _format_of(data) != "WebP":
        raise _decoding_error(op, "Not a WebP file")
    image = _pillow_image(op, data)
    own = 4 if "A" in image.mode or image.info.get("transparency") is not None else 3
    wanted = op._attrs["channels"] or own
    if wanted != own:
        raise _decoding_error(op, "Number of channels requested does not match input")
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGBA" if own == 4 else "RGB")))
    return np.stack(frames)


register_op(
    "DecodeWebP", _decode_webp_infer, kernel=_decode_webp_kernel, grad=NOT_DIFFERENTIABLE,
    host_only=True,
)  # fmt: skip


def _decode(op_type: str, contents, attrs: dict, name):
    with name_scope(name, op_type, [contents]) as scope:
        contents = convert_to_tensor(contents, dtype=dtypes.string, name="contents")
        return apply_op(op_type, [contents], attrs, name=scope)


@undo.atomic
def decode_bmp(contents, channels=0, name=None):
    """The image in BMP bytes ``contents``: uint8 ``[height, width, channels]``, channels 0
    (the file's), 3 (RGB) or 4 (RGBA). Needs Pillow."""
    return _decode("DecodeBmp", contents, {"channels": int(channels)}, name)


@undo.atomic
def decode_gif(contents, name=None):
    """The frames of the GIF in ``contents``: uint8 ``[frames, height, width, 3]``. Needs
    Pillow."""
    return _decode("DecodeGif", contents, {}, name)


@undo.atomic
def decode_webp(contents, channels=0, dtype=dtypes.uint8, name=None):
    """The frames of the WebP image in ``contents``: uint8 ``[frames, height, width,
    channels]``, channels 0 (the file's) or the file's own count (3, or 4 with alpha).
    Needs Pillow built with WebP."""
    dtype = dtypes.as_dtype(dtype)
    if dtype != dtypes.uint8:
        raise NotImplementedError(
            f"decode_webp decodes to uint8 only, got dtype={dtype.name}: decode to uint8 and "
            "use tf.image.convert_image_dtype"
        )
    _check_channels("DecodeWebP", channels, (0, 3, 4))
    return _decode("DecodeWebP", contents, {"channels": int(channels), "dtype": dtype}, name)


def decode_jxl(contents, channels=0, dtype=dtypes.uint8, name=None):
    """Not supported: scopeflow has no JPEG XL decoder."""
    raise NotImplementedError(
        "decode_jxl: scopeflow has no JPEG XL decoder; convert the files to PNG or JPEG and "
        "use tf.io.decode_png or tf.io.decode_jpeg"
    )


__all__ = [
    "adjust_jpeg_quality",
    "decode_and_crop_jpeg",
    "decode_bmp",
    "decode_gif",
    "decode_jxl",
    "decode_webp",
    "extract_jpeg_shape",
    "is_jpeg",
    "random_jpeg_quality",
]
