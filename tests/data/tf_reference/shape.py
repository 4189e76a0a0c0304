"""What tests/ops/array/test_shape.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "x": ("float32", [2, 3, 4]),
    "u": ("float32", [None, 3, 1]),
    "w": ("float32", None),
    "big": ("float32", [40, 40]),
    "z": ("float32", [None, 0]),
    "s": ("int32", []),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.size(x)",
    "tf.size(z)",
    "tf.size(w, out_type=tf.int64)",
    "tf.rank(u)",
    "tf.rank(w)",
    "tf.rank([[1, 2]])",
    "tf.squeeze(u)",
    "tf.squeeze(u, [2])",
    "tf.squeeze(u, -1)",
    "tf.squeeze(u, 0)",
    "tf.squeeze(u, squeeze_dims=[0])",
    "tf.squeeze(tf.zeros([1, 2, 1, 1]))",
    "tf.expand_dims(x, 1)",
    "tf.expand_dims(x, dim=-1)",
    "tf.expand_dims(x, [1])",
    "tf.expand_dims(w, 0)",
    "tf.expand_dims(x, s)",
    "tf.zeros_like(u)",
    "tf.zeros_like(w)",
    "tf.zeros_like(u, name='zz')",
    "tf.zeros_like(x)",
    "tf.zeros_like(x, dtype=tf.bool)",
    "tf.zeros_like([1, 2, 3])",
    "tf.zeros_like(big)",
    "tf.zeros_like(u, dtype=tf.int32)",
    "tf.ones_like(u)",
    "tf.ones_like(u, dtype=tf.int64)",
    "tf.ones_like(x)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
BUILD_ERRORS = [
    (
        "tf.size(w, out_type=tf.float32)",
        "Value passed to parameter 'out_type' has DataType float32 not in list of "
        "allowed values: int32, int64",
    ),
    ("tf.squeeze(x, [1])", "Can not squeeze dim[1], expected a dimension of 1, got 3"),
    ("tf.squeeze(x, [3])", "squeeze_dims[0] not in [-3,3)."),
    ("tf.squeeze(u, axis=[2], squeeze_dims=[2])", "Cannot specify both 'squeeze_dims' and 'axis'."),
    ("tf.expand_dims(x, 4)", "dim 4 not in the interval [-4, 3]."),
    ("tf.expand_dims(x, -5)", "dim -5 not in the interval [-4, 3]."),
    ("tf.expand_dims(x, None)", "Must specify an axis argument to tf.expand_dims()"),
    ("tf.expand_dims(x, axis=1, dim=1)", "Cannot specify both 'dim' and 'axis'."),
    ("tf.expand_dims(x, tf.constant([1, 2]))", "'dim' input must be a tensor with a single value"),
    (
        "tf.expand_dims(x, 1.0)",
        "Value passed to parameter 'dim' has DataType float32 not in list of allowed "
        "values: int32, int64",
    ),
]
