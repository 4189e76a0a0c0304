"""What tests/ops/nn/test_ops.py asks TensorFlow (tools/tf_reference.py): conv2d, activations,
bias_add and l2_loss."""

SETUP = {
    "x": ("float32", [2, 9, 10, 3]),
    "w": ("float32", [3, 3, 3, 8]),
    "f": ("float32", [2, None]),
    "v": ("float32", [2, 5]),
    "b": ("float32", [5]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME')",
    "tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME', name='op')",
    "tf.nn.conv2d(x, w, 2, 'SAME')",
    "tf.nn.conv2d(x, w, [2, 1], 'VALID')",
    "tf.nn.conv2d(x, filters=w, strides=1, padding='VALID')",
    "tf.nn.conv2d(x, np.ones((3, 3, 3, 8), np.float32), 1, 'VALID')",
    "tf.nn.conv2d(tf.placeholder(tf.float32, [None, None, 10, 3]), w, 1, 'VALID')",
    "tf.nn.conv2d(tf.placeholder(tf.float32), w, 1, 'VALID')",
    "tf.nn.conv2d(x, tf.placeholder(tf.float32), 1, 'VALID')",
    (
        "tf.nn.conv2d(tf.placeholder(tf.int32, [2, 9, 10, 3]), tf.placeholder(tf.int32, "
        "[3, 3, 3, 8]), 1, 'VALID')"
    ),
    "tf.nn.conv2d(tf.placeholder(tf.float32, [2, 9, 10, 6]), w, 1, 'SAME')",
    "tf.nn.conv2d(x, w, [1, 2, 2, 1], 'SAME', dilations=[1, 2, 2, 1])",
    "tf.nn.bias_add(v, b)",
    "tf.nn.bias_add(v, b, name='op')",
    "tf.nn.bias_add(v, [1.0] * 5)",
    "tf.nn.bias_add(f, b)",
    "tf.nn.bias_add(tf.placeholder(tf.float32), b)",
    "tf.nn.bias_add(x, tf.placeholder(tf.float32, [None]))",
    "tf.nn.l2_loss(v)",
    "tf.nn.l2_loss(v, name='op')",
    "tf.nn.l2_loss([1.0, 2.0])",
    "tf.nn.relu(f)",
    "tf.nn.relu(f, name='op')",
    "tf.nn.relu([1.0, 2.0])",
    "tf.nn.relu6(f)",
    "tf.nn.relu6(f, name='op')",
    "tf.nn.relu6([1.0, 2.0])",
    "tf.nn.elu(f)",
    "tf.nn.elu(f, name='op')",
    "tf.nn.elu([1.0, 2.0])",
    "tf.nn.selu(f)",
    "tf.nn.selu(f, name='op')",
    "tf.nn.selu([1.0, 2.0])",
    "tf.nn.softplus(f)",
    "tf.nn.softplus(f, name='op')",
    "tf.nn.softplus([1.0, 2.0])",
    "tf.nn.softsign(f)",
    "tf.nn.softsign(f, name='op')",
    "tf.nn.softsign([1.0, 2.0])",
    "tf.nn.sigmoid(f)",
    "tf.nn.sigmoid(f, name='op')",
    "tf.nn.sigmoid([1.0, 2.0])",
    "tf.nn.tanh(f)",
    "tf.nn.tanh(f, name='op')",
    "tf.nn.tanh([1.0, 2.0])",
    "tf.nn.relu(tf.placeholder(tf.int32, [2]))",
    "tf.nn.relu6(tf.placeholder(tf.uint8, [2]))",
]

# conv2d of x ([2, 9, 10, 3]) and 8 filters over filter sizes, strides, dilations and
# paddings (EXPLICIT: [[0, 0], [1, 2], [0, 3], [0, 0]]): the static shape and attributes, or
# the error.
CONV_GRID = [
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 2, 2, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 2, 2, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 2, 2, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 3, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 3, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [1, 1, 3, 8]), [1, 3, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 2, 2, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 2, 2, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 2, 2, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 3, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 3, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 3, 8]), [1, 3, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 2, 2, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 2, 2, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 2, 2, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 3, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 3, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [2, 4, 3, 8]), [1, 3, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 2, 2, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], 'SAME', "
        "dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], "
        "'VALID', dilations=[1, 1, 3, 1])",
        "Negative dimension size caused by subtracting 13 from 10",
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 1, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 3, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 2, 2, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 2, 2, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 2, 2, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 3, 1, 1], 'SAME', "
        "dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 3, 1, 1], "
        "'VALID', dilations=[1, 1, 1, 1])"
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [5, 5, 3, 8]), [1, 3, 1, 1], [[0, "
        "0], [1, 2], [0, 3], [0, 0]], dilations=[1, 1, 1, 1])"
    ),
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    (
        "tf.nn.conv2d(x, w, 1, 'FULL')",
        "Attr 'padding' of 'Conv2D' Op passed string 'FULL' not in: \"SAME\", \"VALID\", "
        '"EXPLICIT".',
    ),
    (
        "tf.nn.conv2d(x, w, 1, 'same')",
        "Attr 'padding' of 'Conv2D' Op passed string 'same' not in: \"SAME\", \"VALID\", "
        '"EXPLICIT".',
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float32, [3, 3, 4, 8]), 1, 'SAME')",
        "Depth of input (3) is not a multiple of input depth of filter (4)",
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.float32, [9, 10, 3]), w, 1, 'SAME')",
        "Shape must be rank 4 but is rank 3",
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.float32, [2, 2, 2, 3]), w, 1, 'VALID')",
        "Negative dimension size caused by subtracting 3 from 2",
    ),
    (
        "tf.nn.conv2d(tf.placeholder(tf.bool, [2, 9, 10, 3]), tf.placeholder(tf.bool, "
        "[3, 3, 3, 8]), 1, 'VALID')",
        "Value passed to parameter 'input' has DataType bool not in list of allowed "
        "values: float16, bfloat16, float32, float64, int32",
    ),
    (
        "tf.nn.conv2d(x, tf.placeholder(tf.float64, [3, 3, 3, 8]), 1, 'VALID')",
        "Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32",
    ),
    (
        "tf.nn.conv2d(x, w, 1, [[1, 1], [1, 1], [1, 1], [0, 0]])",
        "Nonzero explicit padding in the batch or depth dimensions is not supported",
    ),
    ("tf.nn.conv2d(x, w, 1, [[1, 1], [1, 1]])", "When padding is a list, it must be of size 4."),
    ("tf.nn.conv2d(x, w, [1, 1, 1], 'SAME')", "strides should be of length 1, 2 or 4"),
    ("tf.nn.conv2d(x, w, [2, 1, 1, 1], 'SAME')", None),
    ("tf.nn.conv2d(x, w, 1, 'SAME', data_format='NCHW')", None),
    ("tf.nn.bias_add(x, b, data_format='NCHW')", None),
    (
        "tf.nn.bias_add(tf.placeholder(tf.float32, [2, 4]), b)",
        "Dimensions must be equal, but are 4 and 5",
    ),
    ("tf.nn.bias_add(b, b)", "Shape must be at least rank 2 but is rank 1"),
    ("tf.nn.bias_add(v, tf.placeholder(tf.float32, [1, 5]))", "Shape must be rank 1 but is rank 2"),
    (
        "tf.nn.bias_add(v, tf.placeholder(tf.float64, [5]))",
        "Tensor conversion requested dtype float32 for Tensor with dtype float64",
    ),
    (
        "tf.nn.l2_loss(tf.placeholder(tf.int32, [2]))",
        "Value passed to parameter 't' has DataType int32 not in list of allowed values: "
        "float16, bfloat16, float32, float64",
    ),
    (
        "tf.nn.elu(tf.placeholder(tf.int32, [2]))",
        "Value passed to parameter 'features' has DataType int32 not in list of allowed values",
    ),
    ("tf.nn.selu(tf.placeholder(tf.int32, [2]))", "'features' has DataType int32"),
    ("tf.nn.softplus(tf.placeholder(tf.int32, [2]))", "'features' has DataType int32"),
    ("tf.nn.softsign(tf.placeholder(tf.int32, [2]))", "'features' has DataType int32"),
    ("tf.nn.relu(tf.placeholder(tf.bool, [2]))", "'features' has DataType bool"),
    ("tf.nn.sigmoid(tf.placeholder(tf.int32, [2]))", "'x' has DataType int32"),
    ("tf.nn.tanh(tf.placeholder(tf.int32, [2]))", "'x' has DataType int32"),
]
