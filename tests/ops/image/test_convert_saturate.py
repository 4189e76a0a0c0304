"""``tf.image.convert_image_dtype(..., saturate=True)`` at the ends of the target range, with
the values TF 2.21 gives (float32 cannot hold int32's max: the clamp stops at 2**31 - 128)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def test_float_to_int32_saturates_at_largest_float32_below_two_to_31(run):
    image = tf.constant(np.array([-0.5, 0.0, 0.25, 0.999, 1.0, 1.5], np.float32))
    out = run(tf.image.convert_image_dtype(image, tf.int32, saturate=True))
    expected = [-1073741824, 0, 536870912, 2145336192, 2147483520, 2147483520]
    assert out.dtype == np.int32 and out.tolist() == expected


def test_adjust_gamma_of_int32_image_keeps_the_top_in_range(run):
    image = tf.constant(np.array([[[0], [2**31 - 1]]], np.int32))
    out = run(tf.image.adjust_gamma(image, 0.5, 1.0))
    assert out.ravel().tolist() == [0, 2147483520]


def test_float_to_uint8_and_int16_saturate(run):
    image = tf.constant(np.array([-0.5, 0.5, 1.5], np.float32))
    u8 = run(tf.image.convert_image_dtype(image, tf.uint8, saturate=True))
    i16 = run(tf.image.convert_image_dtype(image, tf.int16, saturate=True))
    assert u8.tolist() == [0, 127, 255] and i16.tolist() == [-16383, 16383, 32767]
