"""Image codecs as TF1 builds them: ``tf.image.decode_png``/``encode_png`` (``DecodePng``,
``EncodePng``: PNG read and written with the standard library's zlib, see
``ops/kernels/png.py``), ``decode_jpeg``/``encode_jpeg`` (``DecodeJpeg``, ``EncodeJpeg``) and
``decode_image`` (``DecodeImage``: PNG, JPEG, GIF or BMP by their first bytes).

JPEG, GIF and BMP go through Pillow, an optional extra (``pip install 'scopeflow[image]'``),
imported when such an op first runs. Pillow decodes JPEG with libjpeg's accurate integer DCT
and fancy upsampling (grayscale from the luma plane, ``ratio`` as libjpeg's scaling): the
pixels of TF's ``dct_method="INTEGER_ACCURATE"``, bit for bit.

Deliberate differences: TF's default ``dct_method=""`` is libjpeg's fast DCT, whose pixels
differ from the accurate ones by a few levels; scopeflow decodes with the accurate one (and
raises NotImplementedError for ``"INTEGER_FAST"``). Encoded JPEG bytes differ from TF's (other
encoder settings and library versions); decoding them gives the same image. For 16-bit RGB
PNGs decoded to gray, libpng's gamma tables move TF's values by a few units in 65535.
"""

from __future__ import annotations

import io

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.image.adjust import convert_image_dtype
from scopeflow.ops.image.files import as_bytes, check_string_scalar
from scopeflow.ops.kernels import png

_PILLOW_EXTRA = "pip install 'scopeflow[image]' (Pillow)"


def _pillow(op):
    """Pillow's ``Image`` module, or UnimplementedError naming the extra that brings it."""
    try:
        from PIL import Image
    except ImportError:
        raise errors.UnimplementedError(
            None, op, f"{op.type} needs Pillow, an optional extra: {_PILLOW_EXTRA}"
        ) from None
    return Image


def _check_channels(op_type: str, channels: int, allowed=(0, 1, 2, 3, 4)) -> None:
    if channels not in allowed:
        raise ValueError(f"{op_type}: channels must be one of {list(allowed)}, got {channels}")


def _decode_infer(op_type: str):
    def infer(inputs, attrs):
        check_string_scalar(op_type, "contents", inputs[0])
        channels = attrs["channels"]
        return [(attrs.get("dtype", dtypes.uint8), TensorShape([None, None, channels or None]))]

    return infer


# TF 2.21's words (WebP and JPEG XL are TF's, not decoded here)
_UNKNOWN_FORMAT = "Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, WebP required."


def _decoding_error(op, message: str):
    return errors.InvalidArgumentError(None, op, message)


def _decode_png_kernel(ctx, op, contents):
    data = as_bytes(contents)
    if not data.startswith(png.SIGNATURE):
        raise _decoding_error(op, _UNKNOWN_FORMAT)
    try:
        return png.decode(data, op._attrs["channels"], op._attrs["dtype"] == dtypes.uint16)
    except png.PngError as e:
        raise _decoding_error(op, f"Invalid PNG data, size {len(data)}: {e}") from None


register_op(
    "DecodePng",
    _decode_infer("DecodePng"),
    kernel=_decode_png_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _pillow_frames(op, data: bytes, channels: int, ratio: int = 1) -> np.ndarray:
    """The frames of a JPEG, GIF or BMP (``[frames, height, width, channels]``, uint8)."""
    image_module = _pillow(op)
    try:
        image = image_module.open(io.BytesIO(data))
        mode = {1: "L", 3: "RGB"}.get(channels, "L" if image.mode in ("L", "1") else "RGB")
        if image.format == "JPEG":
            image.draft(mode, (max(image.width // ratio, 1), max(image.height // ratio, 1)))
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(np.asarray(image.convert(mode)))
    except (OSError, ValueError, SyntaxError) as e:
        raise _decoding_error(op, f"Invalid image data, size {len(data)}: {e}") from None
    out = np.stack(frames)
    return out[..., None] if out.ndim == 3 else out


def _decode_jpeg_kernel(ctx, op, contents):
    data = as_bytes(contents)
    if not data.startswith(b"\xff\xd8"):
        raise _decoding_error(op, "Invalid JPEG data or crop window.")
    return _pillow_frames(op, data, op._attrs["channels"], op._attrs["ratio"])[0]


register_op(
    "DecodeJpeg",
    _decode_infer("DecodeJpeg"),
    kernel=_decode_jpeg_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _decode_image_infer(inputs, attrs):
    check_string_scalar("DecodeImage", "contents", inputs[0])
    if attrs["expand_animations"]:
        return [(attrs["dtype"], TensorShape(None))]
    return [(attrs["dtype"], TensorShape([None, None, attrs["channels"] or None]))]


def _decode_image_kernel(ctx, op, contents):
    data = as_bytes(contents)
    channels, dtype = op._attrs["channels"], op._attrs["dtype"]
    if data.startswith(png.SIGNATURE):
        try:
            image = png.decode(data, channels, dtype == dtypes.uint16)
        except png.PngError as e:
            raise _decoding_error(op, f"Invalid PNG data, size {len(data)}: {e}") from None
        top = 65535 if image.dtype == np.uint16 else 255
    elif data[:3] == b"\xff\xd8\xff" or data[:2] == b"BM" or data[:6] in (b"GIF87a", b"GIF89a"):
        frames = _pillow_frames(op, data, channels)
        animated = data[:3] == b"GIF"
        image = frames if animated and op._attrs["expand_animations"] else frames[0]
        if dtype == dtypes.uint16:
            image = image.astype(np.uint16) * 257
        top = 65535 if image.dtype == np.uint16 else 255
    else:
        raise _decoding_error(op, _UNKNOWN_FORMAT)
    if dtype == dtypes.float32:
        return (image / np.float32(top)).astype(np.float32)
    return image


register_op(
    "DecodeImage",
    _decode_image_infer,
    kernel=_decode_image_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _encode_infer(op_type: str):
    def infer(inputs, attrs):
        (image,) = inputs
        ndims = image.shape.ndims
        if op_type == "EncodePng":
            check_dtype_in(op_type, "image", image, (dtypes.uint8, dtypes.uint16))
            if ndims is not None and ndims < 3:
                raise ValueError(f"Shape must be at least rank 3 but is rank {ndims}")
        else:
            if image.dtype.base_dtype != dtypes.uint8:
                raise TypeError(
                    f"Input 'image' of 'EncodeJpeg' Op has type {image.dtype.base_dtype.name} "
                    "that does not match expected type of uint8."
                )
            if ndims not in (None, 3):
                raise ValueError(f"Shape must be rank 3 but is rank {ndims}")
        return [(dtypes.string, TensorShape([]))]

    return infer


def _check_image(op, image, channels=(1, 2, 3, 4)) -> None:
    if image.ndim != 3:
        raise errors.InvalidArgumentError(
            None, op, f"image must be 3-dimensional, got shape {list(image.shape)}"
        )
    if image.shape[2] not in channels:
        listed = ", ".join(map(str, channels[:-1])) + f", or {channels[-1]}"
        if len(channels) == 1:
            listed = str(channels[0])
        raise errors.InvalidArgumentError(
            None, op, f"image must have {listed} channels, got {image.shape[2]}"
        )


def _encode_png_kernel(ctx, op, image):
    _check_image(op, image)
    if 0 in image.shape[:2]:
        raise errors.InvalidArgumentError(
            None, op, f"image must have positive height and width, got shape {list(image.shape)}"
        )
    return np.array(png.encode(image, op._attrs["compression"]), dtype=object)


register_op(
    "EncodePng",
    _encode_infer("EncodePng"),
    kernel=_encode_png_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _encode_jpeg_kernel(ctx, op, image):
    attrs = op._attrs
    wanted = {"": (1, 3), "grayscale": (1,), "rgb": (3,)}[attrs["format"]]
    _check_image(op, image, wanted)
    image_module = _pillow(op)
    picture = image_module.fromarray(image[..., 0] if image.shape[2] == 1 else image)
    out = io.BytesIO()
    picture.save(
        out,
        format="JPEG",
        quality=attrs["quality"],
        progressive=attrs["progressive"],
        optimize=attrs["optimize_size"],
        subsampling="4:2:0" if attrs["chroma_downsampling"] else "4:4:4",
        dpi=(attrs["x_density"], attrs["y_density"]),
    )
    return np.array(out.getvalue(), dtype=object)


register_op(
    "EncodeJpeg",
    _encode_infer("EncodeJpeg"),
    kernel=_encode_jpeg_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _decode(op_type: str, contents, attrs: dict, name):
    with name_scope(name, op_type, [contents]) as scope:
        contents = convert_to_tensor(contents, dtype_hint=dtypes.string, name="contents")
        return apply_op(op_type, [contents], attrs, name=scope)


@undo.atomic
def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """The image in PNG bytes ``contents``: ``[height, width, channels]`` of ``dtype`` (uint8
    or uint16); ``channels`` 0 keeps the file's (a palette image's: 3, or 4 with
    transparency), 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     img = tf.constant([[[0, 128, 255]]], tf.uint8)
    ...     back = tf.image.decode_png(tf.image.encode_png(img))
    ...     print(tf.Session().run(back))
    [[[  0 128 255]]]
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.uint8, dtypes.uint16):
        raise TypeError(f"DecodePng: dtype must be uint8 or uint16, got {dtype.name}")
    return _decode("DecodePng", contents, {"channels": int(channels), "dtype": dtype}, name)


@undo.atomic
def encode_png(image, compression=-1, name=None):
    """``image`` (``[height, width, channels]``, uint8 or uint16, 1 to 4 channels) as PNG
    bytes, zlib ``compression`` 0 to 9 (-1: the default)."""
    image = convert_to_tensor(image)
    if not -1 <= compression <= 9:
        raise ValueError(f"compression must be in [-1, 9], got {compression}")
    with name_scope(name, "EncodePng", [image]) as scope:
        return apply_op("EncodePng", [image], {"compression": int(compression)}, name=scope)


@undo.atomic
def decode_jpeg(
    contents,
    channels=0,
    ratio=1,
    fancy_upscaling=True,
    try_recover_truncated=False,
    acceptable_fraction=1,
    dct_method="",
    name=None,
):
    """The image in JPEG bytes ``contents`` (uint8 ``[height, width, channels]``; channels
    0: the file's, 1 gray, 3 RGB), downscaled by ``ratio`` (1, 2, 4 or 8) while decoding.
    Needs Pillow (``pip install 'scopeflow[image]'``) to run. ``dct_method`` "" decodes as
    "INTEGER_ACCURATE" (TF's default is libjpeg's fast DCT)."""
    _check_channels("DecodeJpeg", channels, (0, 1, 3))
    if ratio not in (1, 2, 4, 8):
        raise ValueError(f"DecodeJpeg: ratio must be 1, 2, 4 or 8, got {ratio}")
    if not fancy_upscaling or try_recover_truncated or dct_method not in ("", "INTEGER_ACCURATE"):
        raise NotImplementedError(
            "decode_jpeg decodes with libjpeg's defaults (through Pillow) only: leave "
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
    return _decode("DecodeJpeg", contents, attrs, name)


@undo.atomic
def encode_jpeg(
    image,
    format="",  # noqa: A002 - TF1's argument name
    quality=95,
    progressive=False,
    optimize_size=False,
    chroma_downsampling=True,
    density_unit="in",
    x_density=300,
    y_density=300,
    xmp_metadata="",
    name=None,
):
    """``image`` (uint8 ``[height, width, channels]``, 1 or 3 channels) as JPEG bytes at
    ``quality`` (0 to 100). Needs Pillow (``pip install 'scopeflow[image]'``)."""
    if format not in ("", "grayscale", "rgb"):
        raise ValueError(f"format must be '', 'grayscale' or 'rgb', got {format!r}")
    if density_unit != "in" or xmp_metadata:
        raise NotImplementedError(
            "encode_jpeg writes densities in dots per inch and no XMP metadata: leave "
            "density_unit='in' and xmp_metadata=''"
        )
    attrs = {
        "format": format,
        "quality": int(quality),
        "progressive": bool(progressive),
        "optimize_size": bool(optimize_size),
        "chroma_downsampling": bool(chroma_downsampling),
        "density_unit": density_unit,
        "x_density": int(x_density),
        "y_density": int(y_density),
        "xmp_metadata": xmp_metadata,
    }
    with name_scope(name, "EncodeJpeg", [image]) as scope:
        image = convert_to_tensor(image, name="image")
        return apply_op("EncodeJpeg", [image], attrs, name=scope)


@undo.atomic
def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """The image in ``contents``, a PNG, JPEG, GIF or BMP file's bytes, told apart by their
    first bytes: ``[height, width, channels]`` (a GIF with ``expand_animations``: ``[frames,
    height, width, channels]``) of ``dtype`` (float32: scaled to [0, 1]). Formats other than
    PNG need Pillow (``pip install 'scopeflow[image]'``)."""
    with name_scope(name, "decode_image"):
        channels = 0 if channels is None else channels
        _check_channels("DecodeImage", channels)
        dtype = dtypes.as_dtype(dtype)
        decode_as = dtype if dtype in (dtypes.float32, dtypes.uint8, dtypes.uint16) else None
        attrs = {
            "channels": int(channels),
            "dtype": decode_as or dtypes.uint16,
            "expand_animations": bool(expand_animations),
        }
        image = _decode("DecodeImage", contents, attrs, None)
        if decode_as is None:
            image = convert_image_dtype(image, dtype)
        if not expand_animations:
            image.set_shape([None, None, channels or None])
        return image


__all__ = ["decode_image", "decode_jpeg", "decode_png", "encode_jpeg", "encode_png"]
