"""What tests/ops/array/test_gather.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "x": ("float32", [2, 3, 4]),
    "u": ("float32", [None, 3, 4]),
    "w": ("float32", None),
    "i": ("int32", [None]),
    "v": ("int32", [3]),
    "s": ("int32", []),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.gather(x, i, axis=1)",
    "tf.gather(x, [0, 1])",
    "tf.gather(x, tf.zeros([5, 6], tf.int32), axis=-1)",
    "tf.gather(x, i, axis=s)",
    "tf.gather(w, i, axis=1)",
    "tf.gather(x, s, name='g')",
    "tf.gather_nd(x, [[0, 1], [1, 2]])",
    "tf.gather_nd(x, [[[0, 1]], [[1, 2]]])",
    "tf.gather_nd(u, tf.zeros([5, 2], tf.int32))",
    "tf.gather_nd(x, tf.zeros([5, 0], tf.int32))",
    "tf.one_hot(i, 5)",
    "tf.one_hot(i, 5, on_value=2, off_value=-1, axis=0)",
    "tf.one_hot(i, 5, dtype=tf.int64)",
    "tf.one_hot(v, s)",
    "tf.one_hot(tf.constant([1], tf.uint8), 3, on_value=True, off_value=False)",
    "tf.unsorted_segment_sum(x, [0, 0], 3)",
    "tf.unsorted_segment_sum(u, i, s)",
    "tf.scatter_nd([[0], [1]], x, [4, 3, 4])",
    "tf.scatter_nd(tf.zeros([2, 1], tf.int32), x, v)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
BUILD_ERRORS = [
    ("tf.gather(x, i, axis=3)", "Shape must be at least rank 4 but is rank 3"),
    (
        "tf.gather(x, [1.0])",
        "Value passed to parameter 'indices' has DataType float32 not in list of allowed "
        "values: int16, int32, int64",
    ),
    ("tf.gather(x, i, batch_dims=1)", None),
    (
        "tf.gather_nd(x, [[0, 1, 2, 3]])",
        "indices.shape[-1] must be <= params.rank, but saw indices shape: [1,4] and params "
        "shape: [2,3,4]",
    ),
    ("tf.gather_nd(x, 1)", "Shape must be at least rank 1 but is rank 0"),
    ("tf.one_hot(v, 3, axis=-2)", "axis must be >= -1"),
    ("tf.one_hot(v, 3, axis=2)", None),
    (
        "tf.one_hot([1.0], 3)",
        "Value passed to parameter 'indices' has DataType float32 not in list of allowed "
        "values: uint8, int8, int32, int64",
    ),
    ("tf.one_hot(tf.constant([1], tf.int16), 3)", "DataType int16 not in list"),
    (
        "tf.one_hot(v, 3, on_value=1.0, off_value=0)",
        "dtype <dtype: 'float32'> of on_value does not match dtype <dtype: 'int32'> of off_value",
    ),
    (
        "tf.one_hot(v, 3, on_value=1.0, dtype=tf.int32)",
        "dtype <dtype: 'float32'> of on_value does not match dtype parameter <dtype: 'int32'>",
    ),
    ("tf.one_hot(v, -1)", "Dimension size, given by scalar input 1, must be non-negative but is -1"),
    ("tf.boolean_mask(x, True)", "mask cannot be scalar."),
    ("tf.boolean_mask(x, tf.placeholder(tf.bool))", "Number of mask dimensions must be specified"),
    ("tf.boolean_mask(x, tf.ones([4], tf.bool))", "Shapes (2,) and (4,) are incompatible"),
]
