"""What tests/ops/image/test_resize.py asks TensorFlow (tools/tf_reference.py): the
tf.image resize functions' ops, names, shapes, attributes and errors."""

SETUP = {
    "img": ("float32", [2, 4, 6, 3]),
    "one": ("float32", [4, 6, 3]),
    "u": ("float32", [None, None, None, 3]),
    "b": ("uint8", [2, 4, 6, 3]),
    "size": ("int32", [2]),
}

EXPRESSIONS = [
    "tf.image.resize_bilinear(img, [8, 12])",
    "tf.image.resize_bilinear(img, [8, 12], align_corners=True, name='op')",
    "tf.image.resize_bilinear(img, size, half_pixel_centers=True)",
    "tf.image.resize_bilinear(u, [3, 5])",
    "tf.image.resize_bilinear(b, [3, 5])",
    "tf.image.resize_nearest_neighbor(img, [3, 5])",
    "tf.image.resize_nearest_neighbor(img, [8, 12], align_corners=True)",
    "tf.image.resize_nearest_neighbor(b, [8, 12], half_pixel_centers=True)",
    "tf.image.resize_images(img, [8, 12])",
    "tf.image.resize_images(img, [8, 12], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)",
    "tf.image.resize_images(img, [8, 12], method=1, align_corners=True)",
    "tf.image.resize_images(one, [8, 12])",
    "tf.image.resize_images(img, size)",
    "tf.image.resize_images(b, [8, 12])",
    "tf.image.resize_images(img, [4, 6])",
    "tf.image.resize_images(img, tf.constant([8, 12]))",
    "tf.image.resize_images(u, [8, 12], name='op')",
    "tf.gradients(tf.image.resize_bilinear(img, [8, 12]), img)[0]",
    "tf.gradients(tf.image.resize_bilinear(img, [3, 5], align_corners=True), img)[0]",
    "tf.gradients(tf.image.resize_nearest_neighbor(img, [8, 12]), img)[0]",
    "tf.gradients(tf.image.resize_nearest_neighbor(u, [8, 12], half_pixel_centers=True), u)[0]",
    "tf.gradients(tf.image.resize_images(one, [8, 12]), one)[0]",
    "tf.image.resize_bilinear(img, [8, 12], align_corners=True, half_pixel_centers=True)",
    "tf.image.resize(img, [8, 12])",
    "tf.image.resize_images(img, [8, 12], preserve_aspect_ratio=True)",
    "tf.image.resize_images(img, [8, 8], preserve_aspect_ratio=True)",
    "tf.image.resize_images(u, [8, 12], preserve_aspect_ratio=True)",
    "tf.image.resize_images(one, size, preserve_aspect_ratio=True)",
    "tf.image.resize_bicubic(img, [8, 12])",
    "tf.image.resize_bicubic(b, [3, 5], half_pixel_centers=True, name='op')",
    "tf.image.resize_images(img, [8, 12], method=tf.image.ResizeMethod.BICUBIC)",
    "tf.gradients(tf.image.resize_bicubic(img, [8, 12], align_corners=True), img)[0]",
    "str(tf.gradients(tf.image.resize_bicubic(b, [8, 12]), b))",
]

ERRORS = [
    ("tf.image.resize_bilinear(one, [8, 12])", "must be rank 4"),
    ("tf.image.resize_bilinear(img, [8])", "Dimension must be 2 but is 1"),
    ("tf.image.resize_images(img, [8, 12, 3])", "must be a 1-D Tensor of 2 elements"),
    ("tf.image.resize_images(tf.placeholder(tf.float32, [3]), [8, 12])", "must have either 3 or 4 dimensions."),
    ("tf.image.resize_images(img, [8, 12], method=7)", "Resize method is not implemented: 7"),
]

# What TF builds and scopeflow does not (each a listed difference in the test).
UNSUPPORTED = [
    "tf.image.resize_images(img, [8, 12], method=3)",
    "tf.image.resize_area(img, [8, 12])",
]
