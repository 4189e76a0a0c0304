"""What tests/ops/image/test_patches.py asks TensorFlow (tools/tf_reference.py):
tf.extract_image_patches (also tf.image.extract_image_patches and tf.image.extract_patches)
and its gradient."""

SETUP = {
    "x": ("float32", [2, 5, 6, 3]),
    "u": ("float32", [None, None, 6, 2]),
}

EXPRESSIONS = [
    "tf.extract_image_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], 'SAME')",
    "tf.extract_image_patches(x, [1, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], 'VALID')",
    "tf.extract_image_patches(x, sizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding='VALID', name='op')",
    "tf.extract_image_patches(u, [1, 2, 2, 1], [1, 3, 1, 1], [1, 1, 1, 1], 'SAME')",
    "tf.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], 'VALID')",
    "tf.image.extract_image_patches(x, sizes=[1, 3, 2, 1], strides=[1, 1, 2, 1], rates=[1, 1, 1, 1], padding='SAME', name='op')",
    "tf.gradients(tf.extract_image_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], 'SAME'), x)[0]",
]

ERRORS = [
    (
        "tf.extract_image_patches(x, [1, 2, 3], [1, 2, 1, 1], [1, 1, 2, 1], 'SAME')",
        "passed list of length 3 less than minimum 4",
    ),
    (
        "tf.extract_image_patches(x, [1, 7, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], 'VALID')",
        "Computed output size would be negative",
    ),
]
