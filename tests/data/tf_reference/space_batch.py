"""What tests/ops/array/test_space_batch.py asks TensorFlow (tools/tf_reference.py):
tf.space_to_batch_nd, tf.batch_to_space_nd, tf.space_to_batch, tf.batch_to_space and their
gradients."""

SETUP = {
    "x": ("float32", [2, 6, 6, 3]),
    "y": ("float32", [8, 3, 3, 3]),
    "s": ("float32", [2, 4, 5]),
    "u": ("float32", [None, 6, None, 3]),
    "p": ("int32", [2, 2]),
}

EXPRESSIONS = [
    "tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]])",
    "tf.space_to_batch_nd(x, [2, 3], [[1, 1], [0, 3]], name='op')",
    "tf.space_to_batch_nd(s, [2], [[1, 1]])",
    "tf.space_to_batch_nd(u, [2, 2], [[0, 0], [1, 1]])",
    "tf.space_to_batch_nd(x, [2, 2], p)",
    "tf.space_to_batch_nd(x, tf.constant([2, 2], tf.int64), tf.constant([[0, 0], [0, 0]], tf.int64))",
    "tf.batch_to_space_nd(y, [2, 2], [[0, 0], [0, 0]])",
    "tf.batch_to_space_nd(x, [2, 1], [[0, 0], [1, 1]], name='op')",
    "tf.batch_to_space_nd(u, [2, 2], [[0, 1], [1, 0]])",
    "tf.batch_to_space_nd(y, [2, 2], p)",
    "tf.space_to_batch(x, [[1, 1], [1, 1]], 2)",
    "tf.space_to_batch(x, [[0, 0], [0, 0]], block_size=3, name='op')",
    "tf.batch_to_space(y, [[0, 1], [1, 0]], 2)",
    "tf.batch_to_space(y, [[0, 0], [0, 0]], None, block_shape=2)",
    "tf.gradients(tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]), x)[0]",
    "tf.gradients(tf.batch_to_space_nd(x, [2, 1], [[0, 0], [1, 1]]), x)[0]",
]

ERRORS = [
    ("tf.space_to_batch_nd(x, [4, 4], [[0, 0], [0, 0]])", "evenly divisible by 4 but is 6"),
    ("tf.batch_to_space_nd(x, [2, 2], [[0, 0], [0, 0]])", "evenly divisible by 2 but is 1"),
    ("tf.space_to_batch_nd(x, [[2, 2]], [[0, 0], [0, 0]])", "block_shape must have rank 1"),
    ("tf.space_to_batch_nd(x, [2, 2], [0, 0])", "Shapes must be equal rank, but are 1 and 2"),
    (
        "tf.space_to_batch(x, [[0, 0], [0, 0]], block_size=2, block_shape=2)",
        "Cannot specify both 'block_size' and 'block_shape'",
    ),
]
