"""What tests/ops/nn/test_morphology.py asks TensorFlow (tools/tf_reference.py):
tf.nn.dilation2d, tf.nn.erosion2d and the dilation's gradients."""

SETUP = {
    "x": ("float32", [2, 6, 5, 3]),
    "w": ("float32", [2, 3, 3]),
    "u": ("float32", [None, None, None, 3]),
    "i": ("int32", [1, 4, 4, 1]),
}

EXPRESSIONS = [
    "tf.nn.dilation2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME')",
    "tf.nn.dilation2d(x, w, [1, 2, 1, 1], [1, 1, 2, 1], 'VALID', name='d')",
    "tf.nn.dilation2d(u, w, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')",
    "tf.nn.dilation2d(x, filters=w, strides=[1, 1, 1, 1], dilations=[1, 1, 1, 1], padding='SAME')",
    "tf.nn.dilation2d(i, tf.zeros([2, 2, 1], tf.int32), [1, 1, 1, 1], [1, 1, 1, 1], 'VALID')",
    "tf.nn.erosion2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME')",
    "tf.nn.erosion2d(x, w, [1, 2, 2, 1], [1, 1, 1, 1], 'VALID', name='e')",
    "tf.gradients(tf.nn.dilation2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME'), [x, w])",
    "tf.gradients(tf.nn.erosion2d(x, w, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME'), [x, w])",
]

ERRORS = [
    (
        "tf.nn.dilation2d(x, tf.zeros([2, 2, 4]), [1, 1, 1, 1], [1, 1, 1, 1], 'SAME')",
        "Dimensions must be equal",
    ),
    ("tf.nn.dilation2d(x, w, [1, 1, 1], [1, 1, 1, 1], 'SAME')", "less than minimum 4"),
    (
        "tf.nn.dilation2d(x, tf.zeros([7, 2, 3]), [1, 1, 1, 1], [1, 1, 1, 1], 'VALID')",
        "Negative dimension size",
    ),
    ("tf.nn.dilation2d(x[0], w, [1, 1, 1, 1], [1, 1, 1, 1], 'SAME')", "must be rank 4"),
]
