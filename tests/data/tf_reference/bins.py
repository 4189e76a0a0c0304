"""What tests/ops/math/test_bins.py asks TensorFlow (tools/tf_reference.py): the graphs,
names, dtypes and shapes of tf.roll, tf.searchsorted, tf.histogram_fixed_width and
tf.bitcast, and the errors TF raises while building them."""

SETUP = {
    "a": ("float32", [2, 5]),
    "v": ("float32", [2, 3]),
    "u": ("float32", [None, None]),
    "i": ("int32", [4]),
    "h": ("int16", [3, 2]),
    "k": ("int32", []),
}

GRAPHS = [
    "tf.roll(a, 2, 1)",
    "tf.roll(a, [1, -2], [0, 1], name='rolled')",
    "tf.roll(a, k, 0)",
    "tf.manip.roll(i, [3], [0])",
    "tf.roll(a, tf.constant(1, tf.int64), tf.constant(0, tf.int64))",
    "tf.searchsorted(a, v)",
    "tf.searchsorted(a, v, side='right', out_type=tf.int64)",
    "tf.searchsorted(a[0], v[0])",
    "tf.searchsorted(a, v, name='where')",
    "tf.searchsorted(u, v)",
    "tf.searchsorted(a, v[0])",
    "tf.histogram_fixed_width(v, [0.0, 1.0], nbins=5)",
    "tf.histogram_fixed_width(i, [0, 10], dtype=tf.int64, name='hist')",
    "tf.histogram_fixed_width(v, [0.0, 1.0], nbins=k)",
    "tf.bitcast(v, tf.int32)",
    "tf.bitcast(v, tf.uint8)",
    "tf.bitcast(h, tf.int32)",
    "tf.bitcast(u, tf.float64)",
    "tf.bitcast(a[:, :2], tf.complex64, name='cast')",
]

ERRORS = [
    (
        "tf.roll(a, [1, 2], [0])",
        "Dimension 0 in both shapes must be equal, but are 2 and 1. Shapes are [2] and [1].",
    ),
    (
        "tf.roll(a, 1.0, 0)",
        "Value passed to parameter 'shift' has DataType float32 not in list of allowed values: int32, int64",
    ),
    ("tf.roll(a, [[1]], [[0]])", "Shape must be at most rank 1 but is rank 2"),
    (
        "tf.searchsorted(a, v, side='middle')",
        "Argument `side` must be either 'right' or 'left'. Received: `side` = 'middle'.",
    ),
    (
        "tf.searchsorted(a, i)",
        "Input 'values' of 'LowerBound' Op has type int32 that does not match type float32 of argument 'sorted_inputs'.",
    ),
    (
        "tf.histogram_fixed_width(h, [0, 1])",
        "Value passed to parameter 'values' has DataType int16 not in list of allowed values: int32, int64, float32, float64",
    ),
    ("tf.histogram_fixed_width(v, [[0.0, 1.0]])", "Shape must be rank 1 but is rank 2"),
    ("tf.bitcast(v, tf.int64)", "Cannot bitcast from 1 to 9 due to shape. 3 does not match 2"),
    (
        "tf.bitcast(v, tf.string)",
        "Value passed to parameter 'type' has DataType string not in list of allowed values: bfloat16, float16, float32, float64, int64, int32, uint8, uint16, uint32, uint64, int8, int16, complex64, complex128",
    ),
    (
        "tf.bitcast(tf.constant(['x']), tf.int32)",
        "Value passed to parameter 'input' has DataType string not in list of allowed values: bfloat16, float16",
    ),
]
