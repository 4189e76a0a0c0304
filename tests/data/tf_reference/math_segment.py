"""What tests/ops/sparse/test_segment_sorted.py asks TensorFlow (tools/tf_reference.py): the
graphs, static shapes, errors and gradient graphs of segment_max/min/prod (and of the
segment_sum/segment_mean beside them)."""

SETUP = {
    "x": ("float32", [4, 3]),
    "u": ("float64", [None, 3]),
    "r": ("float32", None),
    "i": ("int32", [4]),
    "p": ("int64", [None]),
    "c": ("complex64", [4]),
}

BUILDS = [
    "tf.math.segment_max(x, [0, 0, 1, 1])",
    "tf.math.segment_min(u, p, name='smin')",
    "tf.math.segment_prod(r, i)",
    "tf.segment_max(i, [0, 1, 1, 2])",
    "tf.segment_min(x, i)",
    "tf.segment_prod(c, i)",
    "tf.math.segment_max([1.0, 2.0], [0, 0])",
    "tf.math.segment_sum(x, i)",
    "tf.math.segment_mean(x, i)",
    "tf.math.segment_prod(x, [0, 1])",
    "tf.math.segment_mean(x, [0, 1])",
]

GRADIENTS = [
    "tf.gradients(tf.math.segment_max(x, [0, 0, 1, 1]), x)[0]",
    "tf.gradients(tf.math.segment_min(u, p), u)[0]",
    "tf.gradients(tf.math.segment_prod(x, [0, 0, 1, 1]), x)[0]",
]

ERRORS = [
    ("tf.math.segment_max(x, [0.0, 1.0, 1.0, 2.0])", "not in list of allowed values: int32, int64"),
    ("tf.math.segment_max(c, i)", "not in list of allowed values: float32, float64, int32, uint8"),
    ("tf.math.segment_min(x, [[0, 1]])", "Shape must be rank 1 but is rank 2"),
    ("tf.math.segment_prod(tf.constant(1.0), [0])", "Shape must be at least rank 1 but is rank 0"),
    ("tf.math.segment_prod(tf.constant([True]), [0])", "not in list of allowed values: float32"),
]
