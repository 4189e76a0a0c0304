"""What tests/ops/math/test_sequence.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "i": ("int32", [None]),
    "s": ("int32", []),
    "f": ("float32", []),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.range(5)",
    "tf.range(1, 5.0, 2)",
    "tf.range(s, 10, 3)",
    "tf.range(10, 0, -3)",
    "tf.range(5, 5)",
    "tf.range(0.0, 1.0, 0.1)",
    "tf.range(tf.constant(3, tf.int64))",
    "tf.range(3, dtype=tf.float64, name='r')",
    "tf.range(s, dtype=tf.float64)",
    "tf.sequence_mask(i, 5, dtype=tf.float32)",
    "tf.sequence_mask(i)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
BUILD_ERRORS = [
    ("tf.range(0, 10, 0)", "Requires delta != 0"),
    ("tf.range(10, 0, 1)", "Requires start <= limit when delta > 0: 10/0"),
    ("tf.range(0, 10, -1)", "Requires start >= limit when delta < 0: 0/10"),
    ("tf.range(tf.constant([1, 2]))", "Shape must be rank 0 but is rank 1\n\t for 'limit' for"),
    ("tf.range(tf.constant(True))", None),
    ("tf.sequence_mask([1, 2], [3, 4])", "Argument `maxlen` must be scalar for sequence_mask"),
]
