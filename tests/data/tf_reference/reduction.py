"""What tests/ops/math/test_reduction.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "x": ("float32", [2, None, 4]),
    "i": ("int32", [2, 3]),
    "b": ("bool", [2, 3]),
    "u": ("float32", None),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "tf.reduce_sum(x)",
    "tf.reduce_sum(x, 1)",
    "tf.reduce_sum(x, [0, -1], keepdims=True)",
    "tf.reduce_sum(x, reduction_indices=1, keep_dims=True)",
    "tf.reduce_sum(x, axis=(0, 1))",
    "tf.reduce_sum(x, [])",
    "tf.reduce_mean(i, axis=1)",
    "tf.reduce_max(x, name='foo')",
    "tf.reduce_min(x, axis=tf.constant(1))",
    "tf.reduce_prod(i)",
    "tf.reduce_any(b, 1)",
    "tf.reduce_all(b)",
    "tf.reduce_sum(u)",
    "tf.reduce_mean(u, keepdims=True)",
    "tf.reduce_sum(u, 1)",
    "tf.reduce_sum(x, tf.placeholder(tf.int32, [2]), keepdims=True)",
    "tf.reduce_sum(x, tf.placeholder(tf.int32, []))",
    "tf.reduce_sum([1.0, 2.0], 0)",
    "tf.reduce_mean([[1, 2]], name='m')",
    "tf.argmax(x)",
    "tf.argmax(x, 2)",
    "tf.argmin(i, dimension=1, output_type=tf.int32)",
    "tf.argmax(b, -1)",
    "tf.argmax(u, 1)",
    "tf.argmax(x, tf.placeholder(tf.int32, []))",
    "tf.argmax([1.0, 2.0])",
    "tf.cumsum(x, 1, exclusive=True, reverse=True)",
    "tf.cumsum([1.0, 2.0])",
    "tf.cumprod(i, name='p')",
    "tf.count_nonzero(x)",
    "tf.count_nonzero(i, 1, dtype=tf.int32)",
    "tf.count_nonzero(b, keepdims=True)",
    "tf.reduce_logsumexp(x, 1)",
    "tf.reduce_logsumexp(x, 1, keepdims=True)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    ("tf.reduce_sum(x, 3)", "Invalid reduction dimension 3 for input with 3 dimensions."),
    ("tf.reduce_sum(x, -4)", "Invalid reduction dimension -4 for input with 3 dimensions."),
    ("tf.reduce_sum(x, [[0]])", "Shape must be at most rank 1 but is rank 2"),
    (
        "tf.reduce_sum(x, 1.0)",
        "Value passed to parameter 'reduction_indices' has DataType float32 not in list "
        "of allowed values: int32, int64",
    ),
    (
        "tf.reduce_sum(x, 1, keepdims=True, keep_dims=True)",
        "Cannot specify both 'keep_dims' and 'keepdims'.",
    ),
    (
        "tf.reduce_sum(x, 1, reduction_indices=1)",
        "Cannot specify both 'reduction_indices' and 'axis'.",
    ),
    (
        "tf.reduce_sum(b)",
        "Value passed to parameter 'input' has DataType bool not in list of allowed values",
    ),
    ("tf.reduce_mean(tf.placeholder(tf.string, [2]))", "DataType string not in list"),
    ("tf.reduce_max(tf.placeholder(tf.complex64, [2]))", "DataType complex64 not in list"),
    (
        "tf.reduce_any(x)",
        "Input 'input' of 'Any' Op has type float32 that does not match expected type of bool.",
    ),
    (
        "tf.argmax(x, 1, output_type=tf.float32)",
        "Value passed to parameter 'output_type' has DataType float32 not in list of "
        "allowed values: int16, uint16, int32, int64",
    ),
    ("tf.argmax(x, 1, dimension=1)", "Cannot specify both 'dimension' and 'axis'."),
    ("tf.argmax(x, [1])", "axis must be int or Tensor with integer datatype"),
    (
        "tf.argmax(i, 2)",
        "Dimension (2) must be in the range [-2, 2), where 2 is the number of dimensions "
        "in the input.",
    ),
    ("tf.argmax(tf.placeholder(tf.float32, []))", None),
    ("tf.argmax(tf.placeholder(tf.complex64, [2]))", "DataType complex64 not in"),
    ("tf.cumsum(b)", "Value passed to parameter 'x' has DataType bool not in list"),
    ("tf.cumsum(x, 3)", None),
    ("tf.cumsum(x, [1])", None),
    ("tf.argmax(x, tf.placeholder(tf.int32, [1]))", "Shape must be rank 0"),
]
