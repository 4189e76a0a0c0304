"""What tests/ops/random/test_sampling.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "s": ("int32", [3]),
    "u": ("float32", [None, 3, 4]),
    "m": ("float32", [3]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "tf.random_normal([2, 3])",
    "tf.random_normal([4], mean=1.0, stddev=2.0, name='op')",
    "tf.random_normal([2], dtype=tf.float64)",
    "tf.random_normal(s)",
    "tf.random_normal(tf.shape(u))",
    "tf.random_normal([tf.shape(u)[0], 2])",
    "tf.random_normal(tf.TensorShape([2, 3]))",
    "tf.random_normal([])",
    "tf.random_normal([2, 3], mean=m)",
    "tf.random_normal(np.array([2, 3], np.int64))",
    "tf.random.normal([2])",
    "tf.truncated_normal([2, 3])",
    "tf.truncated_normal([4], name='op')",
    "tf.random.truncated_normal([2], stddev=0.1)",
    "tf.random_uniform([2, 3])",
    "tf.random_uniform([4], 1.0, 3.0, name='op')",
    "tf.random_uniform([2], maxval=10, dtype=tf.int32)",
    "tf.random_uniform([2], 0, 10, dtype=tf.int64, name='op')",
    "tf.random_uniform([2], dtype=tf.float64)",
    "tf.random_uniform([2], dtype=tf.float16)",
    "tf.random_uniform([2], 0.0, 1.0)",
    "tf.random_uniform([2], 0, 2)",
    "tf.random_uniform(s)",
    "tf.random.uniform([2])",
    "tf.random_uniform([2], minval=-1, maxval=1)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    ("tf.random_uniform([2], dtype=tf.int32)", "Must specify maxval for integer dtype tf.int32"),
    (
        "tf.random_uniform([2], dtype=tf.bool)",
        "Argument `dtype` got invalid value <dtype: 'bool'>. Accepted dtypes are (tf.float16, "
        "tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64).",
    ),
    (
        "tf.random_uniform([2], minval=1.5, maxval=3, dtype=tf.int32)",
        "Expected int32, but got 1.5 of type 'float'.",
    ),
    ("tf.random_normal([2], dtype=tf.int32)", None),
    ("tf.truncated_normal([2], dtype=tf.int32)", None),
    ("tf.random_normal([None, 3])", "Failed to convert elements of (None, 3) to Tensor."),
    (
        "tf.random_normal(tf.TensorShape([None]))",
        "Cannot convert a partially known TensorShape (?,) to a Tensor.",
    ),
    (
        "tf.random_normal([2.0])",
        "Value passed to parameter 'shape' has DataType float32 not in list of allowed "
        "values: int32, int64",
    ),
    (
        "tf.random_uniform([2], tf.constant([1, 2]), 3, dtype=tf.int32)",
        "minval must be a scalar; got a tensor of shape [2] for '{{node random_uniform}}",
    ),
]
