"""Tests for ``tf.read_file``/``tf.write_file`` (scopeflow/ops/image/files.py) and the image
codecs (codecs.py, ops/kernels/png.py): TF1's ops and names (TensorFlow 2.21's records,
``tests/data/tf_reference/image_codecs.json``) and the decoded values. PNG files are written
here by hand (every colour type, bit depth, filter and interlacing); the expected pixels of
the conversions TF's libpng settings make (gray from RGB, filler alpha, 16 to 8 bits) were
checked against TF 2.21's decoder on the same files."""

from __future__ import annotations

import base64
import importlib.util
import io
import os
import shutil
import struct
import sys
import tempfile
import zlib

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import png
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Holds, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("image_codecs")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
DIFFERENCES: dict = {}

(
    test_builds_tf1s_graph,
    test_gradients_build_tf1s_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _filter(rows: np.ndarray, bpp: int) -> bytes:
    """Rows filtered with filter types 0, 1, 2, 3, 4, 0, ... in turn (row-wise encoders)."""
    out, prior = [], np.zeros(rows.shape[1], np.int64)
    for y, row in enumerate(rows.astype(np.int64)):
        kind = y % 5
        left = np.concatenate([np.zeros(bpp, np.int64), row[:-bpp]])
        up_left = np.concatenate([np.zeros(bpp, np.int64), prior[:-bpp]])
        p = left + prior - up_left
        pa, pb, pc = abs(p - left), abs(p - prior), abs(p - up_left)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prior, up_left))
        base = [0, left, prior, (left + prior) // 2, paeth][kind]
        out.append(bytes([kind]) + ((row - base) & 0xFF).astype(np.uint8).tobytes())
        prior = row
    return b"".join(out)


_ADAM7 = [(0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2)]


def _png(samples, color, depth=8, interlace=False, palette=None, trns=None) -> bytes:
    """A PNG file of ``samples`` (height, width, samples per pixel) written by hand."""
    height, width, count = samples.shape
    bits = depth * count
    bpp = max(bits // 8, 1)

    def scanlines(sub):
        if depth == 16:
            rows = np.frombuffer(sub.astype(">u2").tobytes(), np.uint8)
        elif depth == 8:
            rows = sub.astype(np.uint8).reshape(-1)
        else:
            flat = sub.reshape(sub.shape[0], -1)
            bits_ = ((flat[..., None] >> np.arange(depth - 1, -1, -1)) & 1).astype(np.uint8)
            rows = np.packbits(bits_.reshape(sub.shape[0], -1), axis=1)
        return _filter(rows.reshape(sub.shape[0], -1), bpp)

    if interlace:
        passes = [*_ADAM7, (1, 0, 2, 1)]
        raw = b"".join(
            scanlines(samples[r::rs, c::cs])
            for r, c, rs, cs in passes
            if samples[r::rs, c::cs].size
        )
    else:
        raw = scanlines(samples)
    header = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, int(interlace))
    out = png.SIGNATURE + _chunk(b"IHDR", header)
    if palette is not None:
        out += _chunk(b"PLTE", np.asarray(palette, np.uint8).tobytes())
    if trns is not None:
        out += _chunk(b"tRNS", trns)
    return out + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")


R = np.random.default_rng(9)
RGB = R.integers(0, 256, (7, 9, 3)).astype(np.uint8)
RGB[0, :2] = [[10, 10, 10], [5, 6, 7]]
GRAY = R.integers(0, 256, (7, 9, 1)).astype(np.uint8)
RGB16 = R.integers(0, 65536, (5, 6, 3)).astype(np.uint16)
PALETTE = R.integers(0, 256, (16, 3)).astype(np.uint8)
INDEX = R.integers(0, 16, (7, 9, 1)).astype(np.uint8)
BITS = R.integers(0, 2, (7, 9, 1)).astype(np.uint8)


def _gray_of(rgb):
    """TF's (libpng's) gray from 8-bit RGB: (9798 r + 19235 g + 3735 b) >> 15."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return (((9798 * r + 19235 * g + 3735 * b) >> 15).astype(np.uint8))[..., None]


def _alpha(shape, value, dtype=np.uint8):
    return np.full((*shape[:2], 1), value, dtype)


def _decode(name, data, want, channels=0, dtype=tf.uint8):
    return Case(
        name,
        "DecodePng",
        lambda c: tf.image.decode_png(c, channels, dtype),
        (np.array(data, dtype=object),),
        want,
        modes=("full",),
        exact_static=False,
    )


DECODE_CASES = [
    _decode("rgb", _png(RGB, 2), RGB),
    _decode("rgb-interlaced", _png(RGB, 2, interlace=True), RGB),
    _decode("rgb-to-gray", _png(RGB, 2), _gray_of(RGB), channels=1),
    _decode("rgb-to-rgba", _png(RGB, 2), np.concatenate([RGB, _alpha(RGB.shape, 255)], -1), 4),
    _decode("rgba-to-rgb", _png(np.concatenate([RGB, GRAY], -1), 6), RGB, channels=3),
    _decode(
        "gray-alpha",
        _png(np.concatenate([GRAY, 255 - GRAY], -1), 4),
        np.concatenate([GRAY, 255 - GRAY], -1),
    ),
    _decode(
        "gray-to-rgb-uint16",
        _png(GRAY, 0),
        np.repeat(GRAY, 3, -1).astype(np.uint16) * 257,
        3,
        tf.uint16,
    ),
    _decode("gray-1-bit", _png(BITS, 0, depth=1), BITS * 255),
    _decode("gray-2-bit-interlaced", _png(BITS * 3, 0, 2, True), BITS * 255),
    _decode("rgb16", _png(RGB16, 2, 16), RGB16, dtype=tf.uint16),
    _decode("rgb16-to-8-bits", _png(RGB16, 2, 16, True), (RGB16 >> 8).astype(np.uint8)),
    _decode("palette-4-bit", _png(INDEX, 3, 4, palette=PALETTE), PALETTE[INDEX[..., 0]]),
    _decode(
        "palette-with-transparency",
        _png(INDEX, 3, 4, palette=PALETTE, trns=bytes(range(0, 160, 10))),
        np.concatenate([PALETTE[INDEX[..., 0]], (INDEX * 10).astype(np.uint8)], -1),
    ),
    _decode(  # TF adds 2**bit_depth - 1 of the file's depth as alpha
        "palette-4-bit-filler-alpha",
        _png(INDEX, 3, 4, palette=PALETTE),
        np.concatenate([PALETTE[INDEX[..., 0]], _alpha(INDEX.shape, 15)], -1),
        channels=4,
    ),
    _decode(
        "gray-colour-key-to-alpha",
        _png(GRAY, 0, trns=struct.pack(">H", int(GRAY[0, 0, 0]))),
        np.concatenate(
            [np.repeat(GRAY, 3, -1), np.where(GRAY == GRAY[0, 0, 0], 0, 255).astype(np.uint8)], -1
        ),
        channels=4,
    ),
    _decode(
        "not-a-png",
        b"GIF89a...",
        Raises(tf.errors.InvalidArgumentError, "Unknown image file format"),
    ),
    _decode(
        "bad-crc",
        _png(RGB, 2)[:-5] + b"\0\0\0\0\0",
        Raises(tf.errors.InvalidArgumentError, "Invalid PNG data"),
    ),
    _decode(
        "truncated",
        _png(RGB, 2)[:60],
        Raises(tf.errors.InvalidArgumentError, "Invalid PNG data, size 60"),
    ),
    _decode(
        "two-channels",
        _png(RGB, 2),
        Raises(tf.errors.InvalidArgumentError, "must be 0, 1, 3 or 4"),
        2,
    ),
]


def _round_trip(name, image, compression=-1):
    """``image`` encoded as PNG and decoded again (which checks both kernels)."""
    dtype = tf.uint16 if image.dtype == np.uint16 else tf.uint8
    return Case(
        name,
        "DecodePng",
        lambda x: tf.image.decode_png(tf.image.encode_png(x, compression), dtype=dtype),
        (image,),
        image,
        exact_static=False,
    )


ENCODE_CASES = [
    _round_trip("rgb", RGB),
    _round_trip("gray-fast", GRAY, 1),
    _round_trip("rgba16", np.concatenate([RGB16, RGB16[..., :1]], -1), 9),
    Case(
        "five-channels",
        "EncodePng",
        tf.image.encode_png,
        (np.zeros((2, 2, 5), np.uint8),),
        Raises(tf.errors.InvalidArgumentError, "image must have 1, 2, 3, or 4 channels, got 5"),
    ),
]


_SCRATCH = os.path.join(tempfile.gettempdir(), f"scopeflow-test-{os.getpid()}")


@pytest.fixture(scope="module", autouse=True)
def _scratch_removed():
    """The folder the write-then-read case writes into is removed after this module."""
    yield
    shutil.rmtree(_SCRATCH, ignore_errors=True)


def _written_then_read(contents):
    """``contents`` written to a file, then the file read back (after the write)."""
    path = os.path.join(_SCRATCH, "written")
    with tf.control_dependencies([tf.write_file(path, contents)]):
        return tf.read_file(path)


FILE_CASES = [
    Case(
        "write-then-read",
        "ReadFile",
        _written_then_read,
        (np.array(b"\x89PNG and more", dtype=object),),
        np.array(b"\x89PNG and more", dtype=object),
    ),
    Case(
        "missing",
        "ReadFile",
        tf.read_file,
        (np.array(os.path.join(tempfile.gettempdir(), "missing.png").encode(), dtype=object),),
        Raises(tf.errors.NotFoundError, "missing.png; No such file or directory"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(DECODE_CASES + ENCODE_CASES + FILE_CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_files_are_written_and_read_back(run, tmp_path):
    path = str(tmp_path / "sub" / "img.png")
    run(tf.write_file(path, tf.image.encode_png(RGB)))
    np.testing.assert_array_equal(run(tf.image.decode_png(tf.read_file(path))), RGB)
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        run(tf.io.read_file(str(tmp_path / "missing.png")))


def test_decode_image_tells_formats_apart(run):
    contents = tf.placeholder(tf.string, [])
    as_float = tf.image.decode_image(contents, dtype=tf.float32)
    as_int = tf.image.decode_image(contents, channels=3, dtype=tf.int32)
    got = run([as_float, as_int], {contents: _png(GRAY, 0)})
    np.testing.assert_array_equal(got[0], GRAY.astype(np.float32) / 255)
    np.testing.assert_array_equal(got[1], np.repeat(GRAY, 3, -1).astype(np.int32) * 257 * 32768)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unknown image file format"):
        run(as_float, {contents: b"plain text"})


# An 8 x 8 JPEG (Pillow, quality 90) and what TF 2.21 decodes from it with
# dct_method="INTEGER_ACCURATE": the pixel sums and three pixels.
SMALL_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDg"
    "sLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
    "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAIAAgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAA"
    "ECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2"
    "JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJ"
    "WWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHw"
    "EAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcR"
    "MiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpan"
    "N0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5e"
    "bn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDgvg9+yf8A6j/Q/T+GiiinhcTU9mtTp4G4yzn+xqf73+vvP//Z"
)
pillow = pytest.mark.skipif(
    importlib.util.find_spec("PIL") is None, reason="needs Pillow (scopeflow[image])"
)


JPEG_BYTES = np.array(SMALL_JPEG, dtype=object)
_Y, _X = np.mgrid[0:16, 0:16]
SMOOTH = np.stack([_X * 15, _Y * 15, (_X + _Y) * 7], -1).astype(np.uint8)


def _jpeg(name, build, want, arrays=(JPEG_BYTES,), op="DecodeJpeg"):
    return Case(name, op, build, arrays, want, modes=("full",), exact_static=False)


def _pixels_are(total, pixels):
    def holds(image):
        image = image.astype(np.int64)
        return image.sum() == total and all(image[p].tolist() == v for p, v in pixels.items())

    return Holds(f"sum {total} and pixels {pixels}", holds)


JPEG_CASES = [
    _jpeg(
        "rgb",
        lambda c: tf.image.decode_jpeg(c, channels=3),
        _pixels_are(20151, {(0, 0): [1, 0, 0], (7, 7): [207, 211, 210], (3, 5): [152, 89, 120]}),
    ),
    _jpeg("gray", lambda c: tf.io.decode_jpeg(c, 1), _pixels_are(6729, {(3, 5): [111]})),
    _jpeg(
        "ratio",
        lambda c: tf.image.decode_jpeg(c, ratio=4),
        Holds("a quarter of the size", lambda image: image.shape == (2, 2, 3)),
    ),
    _jpeg(
        "image",
        lambda c: tf.image.decode_image(c, dtype=tf.float32),
        Holds("[0, 1] floats", lambda image: image.shape == (8, 8, 3) and image.max() <= 1),
        op="DecodeImage",
    ),
    _jpeg(
        "round-trip",
        lambda x: tf.image.decode_jpeg(tf.image.encode_jpeg(x, quality=95)),
        Holds(
            "nearly the image",
            lambda decoded: np.abs(decoded.astype(int) - SMOOTH).mean() < 2,
        ),
        arrays=(SMOOTH,),
    ),
    _jpeg(
        "not-a-jpeg",
        tf.image.decode_jpeg,
        Raises(tf.errors.InvalidArgumentError, "Invalid JPEG data"),
        arrays=(np.array(b"GIF89a", dtype=object),),
    ),
]


@pillow
@pytest.mark.parametrize(("case", "mode"), cases_by_mode(JPEG_CASES))
def test_pillow_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pillow
def test_decode_image_reads_gif_frames_and_bmp(run):
    from PIL import Image

    frames = [Image.fromarray(RGB), Image.fromarray(255 - RGB)]
    gif, bmp = io.BytesIO(), io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:])
    frames[0].save(bmp, format="BMP")
    contents = tf.placeholder(tf.string, [])
    animated = tf.image.decode_image(contents)
    first = tf.image.decode_image(contents, expand_animations=False)
    assert run(animated, {contents: gif.getvalue()}).shape == (2, 7, 9, 3)
    assert run(first, {contents: gif.getvalue()}).shape == (7, 9, 3)
    np.testing.assert_array_equal(run(first, {contents: bmp.getvalue()}), RGB)


def test_without_pillow_jpeg_names_the_extra(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(tf.errors.UnimplementedError, match=r"scopeflow\[image\]"):
        run(tf.image.decode_jpeg(SMALL_JPEG))
