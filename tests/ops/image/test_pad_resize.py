"""Tests for scopeflow/ops/image/pad_resize.py (``tf.image.resize_image_with_pad``): TF 2.21's
values, static shapes and build errors. (Where the sizes are computed when run, TF's float32
``RealDiv`` kernel can be one unit in the last place off the exact quotient, 5 / 6 giving
0.8333334, and so floor a resized size one lower than scopeflow's exact division.)"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

IMAGES = np.arange(15, dtype=np.float32).reshape(1, 5, 3, 1) + np.float32([[[[0]]], [[[15]]]])


def test_bilinear_batch_is_tfs(run):
    out = tf.image.resize_image_with_pad(IMAGES, 4, 6)
    assert out.name == "resize_image_with_pad/pad_to_bounding_box/Pad:0"
    assert out.shape.as_list() == [2, 4, 6, 1]
    rows = [[0, 0, 1.5], [0, 3.75, 5.25], [0, 7.5, 9.0], [0, 11.25, 12.75]]
    want = np.zeros((2, 4, 6))
    want[0, :, :3] = rows
    want[1, :, :3] = rows
    want[1, :, 1:3] += 15
    np.testing.assert_allclose(run(out)[..., 0], want, rtol=1e-6)


def test_nearest_and_unknown_sizes_are_tfs(run):
    out = tf.image.resize_image_with_pad(
        IMAGES[0], 7, 3, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR
    )
    assert out.shape.as_list() == [7, 3, 1]
    want = [[0, 0, 0], *np.arange(15).reshape(5, 3).tolist(), [0, 0, 0]]
    assert run(out)[..., 0].tolist() == want
    images = tf.placeholder(tf.float32, [None, None, None, 1])
    out = tf.image.resize_image_with_pad(images, 4, 6)
    assert out.shape.as_list() == [None, 4, 6, 1]
    got = run(out, {images: IMAGES})  # sizes computed when run: the same values
    np.testing.assert_array_equal(got, run(tf.image.resize_image_with_pad(IMAGES, 4, 6)))


def test_build_errors_are_tfs():
    with pytest.raises(ValueError, match="must have either 3 or 4 dimensions"):
        tf.image.resize_image_with_pad(IMAGES[0, 0], 2, 2)
    with pytest.raises(ValueError, match="target_height must be > 0."):
        tf.image.resize_image_with_pad(IMAGES, 0, 2)
