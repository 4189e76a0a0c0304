"""Tests for scopeflow/ops/image/codecs_extra.py: ``extract_jpeg_shape``, ``is_jpeg``,
``decode_and_crop_jpeg``, ``adjust_jpeg_quality``/``random_jpeg_quality``, ``decode_bmp``,
``decode_gif``, ``decode_webp`` and ``decode_jxl``. The files are made with Pillow here; the
expected shapes, values, names and messages are TensorFlow 2.21's on the same bytes."""

from __future__ import annotations

import io

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, Raises, cases_by_mode, check_case

Image = pytest.importorskip("PIL.Image")

_rng = np.random.RandomState(1)
PIXELS = _rng.randint(0, 255, (13, 17, 3)).astype(np.uint8)
PIXELS[:6] = np.linspace(0, 255, 17)[None, :, None].astype(np.uint8)


def _saved(array, fmt, **options) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format=fmt, **options)
    return out.getvalue()


RGB_JPEG = _saved(PIXELS, "JPEG", quality=90)
GRAY_JPEG = _saved(PIXELS[..., 0], "JPEG", quality=90)
PROGRESSIVE_JPEG = _saved(PIXELS, "JPEG", quality=75, progressive=True)
RGB_BMP = _saved(PIXELS, "BMP")
RGBA_BMP = _saved(np.dstack([PIXELS, PIXELS[..., :1]]), "BMP")


@pytest.mark.parametrize(
    ("data", "want"),
    [(RGB_JPEG, [13, 17, 3]), (GRAY_JPEG, [13, 17, 1]), (PROGRESSIVE_JPEG, [13, 17, 3])],
    ids=["rgb", "gray", "progressive"],
)
def test_extract_jpeg_shape(run, data, want):
    shape = tf.io.extract_jpeg_shape(data)
    assert shape.op.type == "ExtractJpegShape" and shape.shape.as_list() == [3]
    assert run(shape).tolist() == want
    wide = tf.image.extract_jpeg_shape(data, tf.int64)
    assert run(wide).dtype == np.int64 and run(wide).tolist() == want


def test_extract_jpeg_shape_of_a_bmp_fails(run):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid JPEG data, size 730"):
        run(tf.io.extract_jpeg_shape(RGB_BMP))


def test_is_jpeg(graph, run):
    flags = tf.io.is_jpeg(tf.constant([RGB_JPEG, RGB_BMP]))
    assert [op.name for op in graph.get_operations()][1:] == [
        "is_jpeg/Substr/pos", "is_jpeg/Substr/len", "is_jpeg/Substr", "is_jpeg/Equal/y",
        "is_jpeg/Equal",
    ]  # fmt: skip
    assert run(flags).tolist() == [True, False]
    assert not run(tf.image.is_jpeg(b"\xff\xd8"))


@pytest.mark.parametrize("data", [RGB_JPEG, GRAY_JPEG, PROGRESSIVE_JPEG])
@pytest.mark.parametrize("channels", [0, 1, 3])
def test_decode_and_crop_jpeg_whole_image_is_decode_jpeg(run, data, channels):
    full = tf.io.decode_jpeg(data, channels=channels)
    cropped = tf.io.decode_and_crop_jpeg(data, [0, 0, 13, 17], channels=channels)
    np.testing.assert_array_equal(run(cropped), run(full))


def test_decode_and_crop_jpeg_window(run):
    cropped = tf.image.decode_and_crop_jpeg(GRAY_JPEG, [2, 3, 5, 7])
    assert cropped.name == "DecodeAndCropJpeg:0" and cropped.shape.as_list() == [5, 7, None]
    whole = run(tf.image.decode_jpeg(GRAY_JPEG))
    np.testing.assert_array_equal(run(cropped), whole[2:7, 3:10])  # TF's pixels too
    corner = tf.io.decode_and_crop_jpeg(RGB_JPEG, [12, 16, 1, 1], channels=1)
    assert run(corner).shape == (1, 1, 1)


@pytest.mark.parametrize(
    ("data", "window", "match"),
    [
        (RGB_JPEG, [10, 10, 5, 5], "Invalid JPEG data or crop window"),
        (RGB_JPEG, [-1, 0, 5, 5], "Invalid JPEG data or crop window"),
        (RGB_JPEG, [0, 0, 0, 5], "Invalid JPEG data or crop window"),
        (RGB_BMP, [0, 0, 2, 2], "can run on JPEG only, but detected BMP"),
    ],
)
def test_decode_and_crop_jpeg_errors(run, data, window, match):
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        run(tf.io.decode_and_crop_jpeg(data, window))


@pytest.mark.parametrize(
    ("data", "channels", "want"),
    [
        (RGB_BMP, 0, PIXELS),
        (RGBA_BMP, 0, np.dstack([PIXELS, PIXELS[..., :1]])),
        (RGBA_BMP, 3, PIXELS),
        (RGB_BMP, 4, np.dstack([PIXELS, np.full((13, 17, 1), 255, np.uint8)])),
    ],
    ids=["rgb", "rgba", "rgba-as-rgb", "rgb-as-rgba"],
)
def test_decode_bmp(run, data, channels, want):
    image = tf.io.decode_bmp(data, channels=channels)
    assert image.op.type == "DecodeBmp"
    np.testing.assert_array_equal(run(image), want)


@pytest.mark.parametrize(
    ("data", "channels", "match"),
    [
        (RGB_BMP, 1, "`channels` must be 0, 3 or 4 for BMP, but got 1"),
        (RGB_JPEG, 0, "Trying to decode JPEG format using DecodeBmp op"),
    ],
)
def test_decode_bmp_errors(run, data, channels, match):
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        run(tf.image.decode_bmp(data, channels=channels))


def test_decode_gif_gives_every_frame(run):
    out = io.BytesIO()
    frames = [Image.fromarray(PIXELS), Image.fromarray(255 - PIXELS)]
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    gif = tf.io.decode_gif(out.getvalue())
    assert gif.op.type == "DecodeGif" and gif.shape.as_list() == [None, None, None, 3]
    value = run(gif)
    assert value.shape == (2, 13, 17, 3)
    one = run(tf.image.decode_gif(_saved(PIXELS, "GIF")))
    assert one.shape == (1, 13, 17, 3)
    np.testing.assert_array_equal(one[0], value[0])


def test_decode_webp(run):
    webp = _saved(PIXELS[:5, :7], "WEBP", lossless=True)
    image = tf.io.decode_webp(webp)
    assert image.op.type == "DecodeWebP" and image.shape.ndims == 4
    np.testing.assert_array_equal(run(image), PIXELS[None, :5, :7])
    with pytest.raises(tf.errors.InvalidArgumentError, match="channels requested does not"):
        run(tf.io.decode_webp(webp, channels=4))


def test_decode_jxl_is_not_supported(graph):
    with pytest.raises(NotImplementedError, match="no JPEG XL decoder"):
        tf.io.decode_jxl(b"")


def test_adjust_jpeg_quality(graph, run):
    flat = tf.image.adjust_jpeg_quality(tf.fill([8, 8, 3], 0.5), 75)
    assert flat.name == "adjust_jpeg_quality/convert_image_1:0"
    assert flat.shape.as_list() == [None, None, 3]
    np.testing.assert_array_equal(run(flat)[0, 0], np.float32([0.49803925] * 3))
    gray = tf.image.adjust_jpeg_quality(tf.constant(np.full([8, 8, 1], 77, np.uint8)), 30)
    assert gray.name == "adjust_jpeg_quality_1/Identity_1:0"
    assert run(gray)[0, 0].tolist() == [77]
    types = [
        op.type for op in graph.get_operations() if op.name.startswith("adjust_jpeg_quality_1")
    ]
    assert types == ["Identity", "Const", "EncodeJpegVariableQuality", "DecodeJpeg", "Identity"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="quality must be in"):
        run(tf.image.adjust_jpeg_quality(tf.zeros([4, 4, 3]), tf.constant(101)))


def test_random_jpeg_quality(graph, run):
    x = tf.placeholder(tf.float32, [8, 8, 3])
    out = tf.image.random_jpeg_quality(x, 40, 60, seed=3)
    assert graph.get_operation_by_name("random_uniform").type == "RandomUniformInt"
    image = np.random.RandomState(0).uniform(0, 1, (8, 8, 3)).astype(np.float32)
    assert 0.1 < np.abs(run(out, {x: image}) - image).mean() < 0.3  # TF: 0.197
    with pytest.raises(ValueError, match="must be less than `max_jpeg_quality`"):
        tf.image.random_jpeg_quality(x, 60, 40)
    with pytest.raises(ValueError, match="between 0 and 100"):
        tf.image.random_jpeg_quality(x, 40, 101)


def _bytes(data: bytes) -> np.ndarray:
    return np.array(data, dtype=object)


CASES = [
    Case("jpeg-shape", "ExtractJpegShape", tf.io.extract_jpeg_shape, (_bytes(GRAY_JPEG),),
         np.int32([13, 17, 1])),
    Case("crop", "DecodeAndCropJpeg", lambda c: tf.io.decode_and_crop_jpeg(c, [0, 0, 13, 17]),
         (_bytes(GRAY_JPEG),), Holds("a 13x17 gray image", lambda v: v.shape == (13, 17, 1)),
         exact_static=False),
    Case("bmp", "DecodeBmp", tf.io.decode_bmp, (_bytes(RGB_BMP),), PIXELS, exact_static=False),
    Case("gif", "DecodeGif", tf.io.decode_gif, (_bytes(_saved(PIXELS, "GIF")),),
         Holds("one frame", lambda v: v.shape == (1, 13, 17, 3)), exact_static=False),
    Case("webp", "DecodeWebP", tf.io.decode_webp,
         (_bytes(_saved(PIXELS, "WEBP", lossless=True)),), PIXELS[None], exact_static=False),
    Case("quality-over-100", "EncodeJpegVariableQuality",
         lambda x: tf.raw_ops.EncodeJpegVariableQuality(images=x, quality=101), (PIXELS,),
         Raises(tf.errors.InvalidArgumentError, "quality must be in [0,100], got 101")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)
