"""What tests/ops/array/test_repeat.py asks TensorFlow (tools/tf_reference.py): the graphs,
static shapes and errors of tf.repeat (TF's repeat_with_axis)."""

SETUP = {
    "x": ("float32", [2, 3]),
    "u": ("int32", [None, 3]),
    "r": ("int32", [3]),
}

BUILDS = [
    "tf.repeat(x, 2)",
    "tf.repeat(x, 2, axis=1)",
    "tf.repeat(x, [1, 2], axis=0)",
    "tf.repeat(x, r, axis=1, name='rep')",
    "tf.repeat(u, [2], axis=-1)",
    "tf.repeat([1, 2], 3)",
]

ERRORS = [
    ("tf.repeat(x, [1, 2, 3], axis=0)", "are not compatible"),
    ("tf.repeat(x, [[1, 2]], axis=0)", "must have rank at most 1"),
    ("tf.repeat(x, 2, axis=2)", "out of bounds"),
    ("tf.repeat(x, 2, axis=tf.constant(1))", "Argument `axis` must be an int"),
    ("tf.repeat(x, 2.0)", "float32"),
]
