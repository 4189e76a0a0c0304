"""What tests/ops/math/test_segment_extrema.py asks TensorFlow (tools/tf_reference.py):
tf.unsorted_segment_max/min/prod (and their tf.math names) with their gradients, and
tf.bincount (tf.math.bincount)."""

SETUP = {
    "x": ("float32", [4, 3]),
    "ids": ("int32", [4]),
    "ids2": ("int32", [2, 2]),
    "m": ("float32", [2, 2, 3]),
    "u": ("float32", [None, 3]),
    "v": ("int32", [None]),
    "n": ("int32", []),
    "c": ("int64", [5]),
    "wt": ("float32", [5]),
}

EXPRESSIONS = [
    "tf.unsorted_segment_max(x, ids, 3)",
    "tf.unsorted_segment_min(x, ids, 3)",
    "tf.unsorted_segment_prod(x, ids, 3)",
    "tf.math.unsorted_segment_max(x, ids, 3, name='op')",
    "tf.math.unsorted_segment_min(m, ids2, 5)",
    "tf.math.unsorted_segment_prod(x, ids, n)",
    "tf.unsorted_segment_max(u, v, 2)",
    "tf.unsorted_segment_min([1, 5, 3], [1, 0, 1], 2)",
    "tf.unsorted_segment_prod(x, tf.placeholder(tf.int64, [4]), tf.constant(3, tf.int64))",
    "tf.gradients(tf.unsorted_segment_max(x, ids, 3), x)[0]",
    "tf.gradients(tf.unsorted_segment_min(x, ids, 3), x)[0]",
    "tf.gradients(tf.unsorted_segment_prod(x, ids, 3), x)[0]",
    "tf.gradients(tf.unsorted_segment_max(m, ids2, 5), m)[0]",
    "tf.bincount(ids)",
    "tf.math.bincount(ids)",
    "tf.bincount(ids, minlength=5, maxlength=7)",
    "tf.bincount(c, weights=wt)",
    "tf.bincount(v, dtype=tf.float32)",
    "tf.bincount([1, 1, 3], minlength=6)",
    "tf.bincount(ids2)",
]

ERRORS = [
    ("tf.unsorted_segment_max(x, ids, [3])", "must be rank 0"),
    ("tf.unsorted_segment_min(x, tf.placeholder(tf.int32, [3]), 3)", "Dimensions must be equal"),
    ("tf.unsorted_segment_max(x, tf.placeholder(tf.float32, [4]), 3)", "not in list of allowed"),
    ("tf.unsorted_segment_max(tf.placeholder(tf.bool, [4]), ids, 3)", "not in list of allowed"),
    ("tf.bincount(ids, minlength=[2])", "must be rank 0"),
]
