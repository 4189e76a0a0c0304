"""What tests/ops/sparse/test_edit_distance.py asks TensorFlow (tools/tf_reference.py):
``tf.edit_distance``'s op, names, static shapes and build errors."""

SETUP = {
    "hi": ("int64", [None, 2]),
    "hv": ("int32", [None]),
    "hs": ("int64", [2]),
    "ti": ("int64", [None, 2]),
    "tv": ("int32", [None]),
    "ts": ("int64", [2]),
    "ti3": ("int64", [None, 3]),
    "sv": ("string", [None]),
}

# Expressions that build (the ops each adds, its results' ops, dtypes and static shapes).
BUILDS = [
    "tf.edit_distance(tf.SparseTensor(hi, hv, hs), tf.SparseTensor(ti, tv, ts))",
    "tf.edit_distance(tf.SparseTensor(hi, hv, [3, 4]), tf.SparseTensor(ti, tv, [2, 6]), normalize=False)",
    "tf.edit_distance(tf.SparseTensor(ti3, hv, [2, 5, 4]), tf.SparseTensor(ti3, tv, [3, 1, 2]), name='ler')",
    "tf.edit_distance(tf.SparseTensor(hi, sv, hs), tf.SparseTensor(ti, sv, ts))",
    "tf.edit_distance(tf.SparseTensorValue(np.array([[0, 0]]), np.array([1], np.int32), np.array([1, 1])), tf.SparseTensor(ti, tv, [1, 2]))",
]

# Gradients: EditDistance has none (tests/ops/sparse/test_edit_distance.py checks that).
GRADIENTS = []

# Expressions TF refuses while building.
BUILD_ERRORS = [
    ("tf.edit_distance(tf.SparseTensor(hi, hv, hs), tf.constant([[1]]))", "Truth must be a SparseTensor."),
    ("tf.edit_distance(hv, tf.SparseTensor(ti, tv, ts))", "Hypothesis must be a SparseTensor."),
    ("tf.edit_distance(tf.SparseTensorValue(np.array([[0, 0]]), np.array([1]), np.array([1, 1])), tf.SparseTensor(ti, tv, [1, 2]))", "Input 'truth_values' of 'EditDistance' Op has type int32 that does not match type int64 of argument 'hypothesis_values'."),
    ("tf.edit_distance(tf.SparseTensor(hi, hv, hs), tf.SparseTensor(ti, tf.cast(tv, tf.float32), ts))", "Input 'truth_values' of 'EditDistance' Op has type float32 that does not match type int32 of argument 'hypothesis_values'."),
    ("tf.edit_distance(tf.SparseTensor(hi, hv, [2, 3]), tf.SparseTensor(ti3, tv, [2, 3, 4]))", "Num elements of hypothesis_shape does not match truth_shape: 2 vs. 3"),
]
