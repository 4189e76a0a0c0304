"""Values ``make_image_resize_values.py`` records under TensorFlow and
tests/ops/image/test_resize.py compares scopeflow's with: each resize of a fixed image, and
the gradient of a weighted sum of it with respect to the image; the same function runs under
either library, given as ``tf``."""

import numpy as np

RESIZES = {
    "bilinear-up": ("resize_bilinear", [7, 9], {}),
    "bilinear-down": ("resize_bilinear", [3, 2], {}),
    "bilinear-align": ("resize_bilinear", [7, 9], {"align_corners": True}),
    "bilinear-half-pixel-up": ("resize_bilinear", [7, 9], {"half_pixel_centers": True}),
    "bilinear-half-pixel-down": ("resize_bilinear", [3, 2], {"half_pixel_centers": True}),
    "nearest-up": ("resize_nearest_neighbor", [7, 9], {}),
    "nearest-down": ("resize_nearest_neighbor", [3, 2], {}),
    "nearest-align": ("resize_nearest_neighbor", [7, 9], {"align_corners": True}),
    "nearest-align-down": ("resize_nearest_neighbor", [3, 2], {"align_corners": True}),
    "nearest-half-pixel-up": ("resize_nearest_neighbor", [7, 9], {"half_pixel_centers": True}),
    "nearest-half-pixel-down": ("resize_nearest_neighbor", [3, 2], {"half_pixel_centers": True}),
    "images-one": ("resize_images", [1, 1], {}),
    "bicubic-up": ("resize_bicubic", [7, 9], {}),
    "bicubic-down": ("resize_bicubic", [3, 2], {}),
    "bicubic-align": ("resize_bicubic", [7, 9], {"align_corners": True}),
    "bicubic-half-pixel-up": ("resize_bicubic", [7, 9], {"half_pixel_centers": True}),
    "bicubic-half-pixel-down": ("resize_bicubic", [3, 2], {"half_pixel_centers": True}),
    "images-bicubic": ("resize_images", [6, 4], {"method": 2}),
    "images-aspect": ("resize_images", [9, 6], {"preserve_aspect_ratio": True}),
    "images-nearest-aspect": (
        "resize_images",
        [3, 9],
        {"method": 1, "preserve_aspect_ratio": True},
    ),
}


# tf.image.resize_area: TF has no gradient for it, so only the resized images are recorded.
AREA_RESIZES = {
    "area-down": ([3, 2], {}),
    "area-down-uneven": ([3, 4], {}),
    "area-align": ([3, 4], {"align_corners": True}),
    "area-up": ([7, 9], {}),
}


def image():
    return np.random.default_rng(5).standard_normal((2, 4, 5, 3)).astype(np.float32)


def values(tf, names=None) -> dict:
    """``{name: [resized, gradient]}`` (the gradient of ``sum(resized * cos(positions))``)."""
    out = {}
    with tf.Graph().as_default():
        img = tf.constant(image())
        with tf.Session() as sess:
            for name, (fn, size, kwargs) in RESIZES.items():
                if names is not None and name not in names:
                    continue
                resized = getattr(tf.image, fn)(img, size, **kwargs)
                flat = tf.cast(tf.range(tf.size(resized)), tf.float32)
                weights = tf.reshape(tf.cos(flat), tf.shape(resized))
                grad = tf.gradients(tf.reduce_sum(resized * weights), img)[0]
                out[name] = [np.asarray(v).tolist() for v in sess.run([resized, grad])]
    return out


def area_values(tf) -> dict:
    """``{name: [resized]}`` for each of AREA_RESIZES."""
    out = {}
    with tf.Graph().as_default():
        img = tf.constant(image())
        with tf.Session() as sess:
            for name, (size, kwargs) in AREA_RESIZES.items():
                out[name] = [sess.run(tf.image.resize_area(img, size, **kwargs)).tolist()]
    return out
