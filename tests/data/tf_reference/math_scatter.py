"""What tests/ops/state/test_scatter_extrema.py asks TensorFlow (tools/tf_reference.py) about
scatter_mul, scatter_div, scatter_max and scatter_min on a TF1 (reference) variable, and
tensor_scatter_nd_max/min: graphs, static shapes, errors, gradient graphs."""

SETUP = {
    "i": ("int32", [2]),
    "x": ("float32", [4, 3]),
    "k": ("int32", [4]),
}

BUILDS = [
    "tf.scatter_mul(tf.Variable(tf.ones([4, 3]), name='v'), [0, 2], tf.ones([2, 3]))",
    "tf.scatter_div(tf.Variable(tf.ones([4, 3]), name='v'), i, tf.ones([2, 3]), use_locking=True)",
    "tf.scatter_max(tf.Variable([1, 2, 3], name='v'), [1], [5], name='smax')",
    "tf.scatter_min(tf.Variable(tf.ones([4]), name='v'), tf.constant([[0, 1]], tf.int64), [[2.0, 0.5]])",
    "tf.scatter_mul(tf.Variable(tf.ones([4, 3]), name='v'), 1, 2.0)",
    "tf.tensor_scatter_nd_max(x, [[0], [2]], tf.ones([2, 3]))",
    "tf.tensor_scatter_nd_min(k, [[1]], [5], name='tmin')",
]

GRADIENTS = [
    "str(tf.gradients(tf.scatter_mul(tf.Variable(tf.ones([4]), name='v'), [1], tf.constant([2.0])), tf.constant([2.0])))",
    "tf.gradients(tf.tensor_scatter_nd_max(x, [[0], [2]], tf.ones([2, 3])), x)[0]",
    "tf.gradients(tf.tensor_scatter_nd_min(x, [[0, 1]], [2.0]), x)[0]",
]

ERRORS = [
    (
        "tf.scatter_max(tf.Variable([1, 2, 3], dtype=tf.uint8, name='v'), [1], tf.constant([5], tf.uint8))",
        "not in list of allowed values: float16, bfloat16, float32, float64, int32, int64",
    ),
    (
        "tf.scatter_min(tf.Variable(tf.ones([4, 3]), name='v'), [1], tf.ones([2, 3]))",
        "Dimension 0 in both shapes must be equal, but are 2 and 1",
    ),
    (
        "tf.scatter_mul(tf.Variable(tf.ones([4, 3]), name='v'), [1.0], tf.ones([1, 3]))",
        "not in list of allowed values: int32, int64",
    ),
    (
        "tf.scatter_div(tf.Variable(tf.ones([4, 3]), name='v'), [1], tf.ones([1, 3], tf.int32))",
        "has type int32 that does not match type float32",
    ),
    (
        "tf.tensor_scatter_nd_max(x, [[0]], tf.ones([1, 2]))",
        "must match dimensions [1,2) of updates[shape=[1,2]] = [2]",
    ),
    (
        "tf.tensor_scatter_nd_min(x, [[0.0]], tf.ones([1, 3]))",
        "not in list of allowed values: int32, int64",
    ),
    (
        "tf.tensor_scatter_nd_max(x, [[0]], tf.ones([1, 3], tf.float64))",
        "has type float64 that does not match type float32",
    ),
]
