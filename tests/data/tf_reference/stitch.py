"""What tests/ops/array/test_stitch.py asks TensorFlow (tools/tf_reference.py):
tf.dynamic_stitch's graphs, static shapes and errors."""

SETUP = {
    "i": ("int32", [None]),
    "j": ("int32", [2, 2]),
    "x": ("float32", [None, 3]),
    "y": ("float32", [2, 2, 3]),
    "z": ("float32", None),
    "k": ("int64", [2]),
}

BUILDS = [
    "tf.dynamic_stitch([i, j], [x, y])",
    "tf.dynamic_stitch([[0, 2], [1, 2]], [[10.0, 20.0], [30.0, 40.0]])",
    "tf.dynamic_stitch([tf.constant([0, 5]), j], [tf.zeros([2, 3]), y], name='st')",
    "tf.dynamic_stitch([i], [z])",
    "tf.dynamic_stitch([tf.range(2), [1]], [tf.shape(x), [1]])",
]

ERRORS = [
    ("tf.dynamic_stitch([j], [x])", "Dimensions must be equal, but are 3 and 2"),
    ("tf.dynamic_stitch([i, j], [x, tf.zeros([2, 2, 4])])", "Dimension 0 in both shapes must be equal"),
    ("tf.dynamic_stitch([k], [x])", "int64"),
    ("tf.dynamic_stitch([i], [x, y])", "must match length"),
]
