"""What tests/ops/array/test_join.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "x": ("float32", [2, 3, 4]),
    "u": ("float32", [None, 3, 4]),
    "w": ("float32", None),
    "i": ("int32", [None]),
    "s": ("int32", []),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.concat([x, u], 0)",
    "tf.concat([x, x], -1)",
    "tf.concat([x], 0)",
    "tf.concat([x, u], s)",
    "tf.concat([w, u], -1)",
    "tf.concat([w, w], 0)",
    "tf.unstack(x, axis=1)",
    "tf.unstack(u, axis=-1)",
    "tf.unstack(w, num=2)",
    "tf.split(x, 2, axis=2)",
    "tf.split(x, 2, axis=s)",
    "tf.split(u, 2)",
    "tf.split(x, [1, -1, 1], axis=2)",
    "tf.split(x, np.array([1, 2], np.int64), axis=1)",
    "tf.split(u, [1, -1])",
    "tf.split(x, i, axis=1, num=3)",
    "tf.tile(u, [2, 1, 3])",
    "tf.tile(u, [0, 2, 1])",
    "tf.tile(x, [1, -1, 1])",
    "tf.tile(w, [1, 2])",
    "tf.pad(u, [[1, 2], [0, 1], [0, 0]])",
    "tf.pad(x, np.array([[1, 1], [0, 0], [2, 2]], np.int64))",
    "tf.pad(u, [[1, 2], [0, 1], [0, 0]], constant_values=3)",
    "tf.pad(u, [[1, 2], [0, 1], [0, 0]], mode='REFLECT')",
    "tf.pad(u, [[1, 2], [0, 1], [0, 0]], mode='symmetric', name='p')",
    "tf.pad(w, [[1, 1], [2, 2]])",
    "tf.reverse(u, [1])",
    "tf.reverse_v2(w, [0])",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
BUILD_ERRORS = [
    (
        "tf.concat([x, tf.zeros([2, 4, 4])], 2)",
        "Dimension 1 in both shapes must be equal, but are 3 and 4. Shapes are [2,3] and [2,4].",
    ),
    ("tf.concat([x, x], 3)", "Shape must be at least rank 4 but is rank 3"),
    ("tf.concat([s, s], 0)", "Can't concatenate scalars (use tf.stack instead)"),
    (
        "tf.concat([x, i], 0)",
        "Tensors in list passed to 'values' of 'ConcatV2' Op have types [float32, int32] "
        "that don't all match.",
    ),
    ("tf.concat([x, x], 1.0)", "'axis' has DataType float32 not in list"),
    ("tf.unstack(x, axis=3)", "Argument `axis` = 3 not in range [-3, 3)"),
    ("tf.unstack(u)", "Cannot infer argument `num` from shape (?, 3, 4)"),
    ("tf.unstack(x, num=3)", "Dimension must be 3 but is 2"),
    ("tf.split(x, 2, axis=1)", "Dimension size must be evenly divisible by 2 but is 3"),
    ("tf.split(x, [1, 1], axis=1)", "can't split axis of size 3 into pieces of size [1,1]"),
    ("tf.split(x, [-1, -1, 3], axis=2)", "size_splits can only have one -1"),
    ("tf.split(x, i, axis=1)", "Cannot infer argument `num` from shape"),
    (
        "tf.split(x, tf.constant(2), axis=1)",
        "Rank-0 tensors are not supported as the num_or_size_splits argument to split.",
    ),
    ("tf.split(x, 0)", "Attr 'num_split' of 'Split' Op passed 0 less than minimum 1."),
    ("tf.tile(x, [1, 2])", "Shape must be rank 3 but is rank 2"),
    ("tf.tile(x, [1.0, 2, 1])", "'multiples' has DataType float32 not in list"),
    ("tf.pad(x, [[1, 1]])", "Shape must be rank 1 but is rank 3 for '{{node Pad}}"),
    ("tf.pad(x, [[1, -1], [0, 0], [0, 0]])", "Paddings must be non-negative"),
    (
        "tf.pad(x, [[1.0, 1], [0, 0], [2, 2]])",
        "Value passed to parameter 'paddings' has DataType float32 not in list of "
        "allowed values: int32, int64",
    ),
    (
        "tf.pad(x, [[2, 0], [0, 0], [0, 0]], 'EDGE')",
        'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
        '"SYMMETRIC". Received `mode` = EDGE',
    ),
    ("tf.pad(x, [[2, 0], [0, 0], [0, 0]], 'REFLECT')", None),
    ("tf.pad(x, [[3, 0], [0, 0], [0, 0]], 'SYMMETRIC')", None),
    ("tf.pad(x, [[1, 0], [0, 0], [0, 0]], constant_values=[1.0, 2.0])", None),
    ("tf.reverse(x, [3])", "'axis'[0] = 3 is out of valid range [0, 2 for '{{node ReverseV2}}"),
    ("tf.reverse(x, [1, -2])", "axis 1 specified more than once."),
    ("tf.reverse(x, 1)", "Shape must be rank 1 but is rank 0"),
]
