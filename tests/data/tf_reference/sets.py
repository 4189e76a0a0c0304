"""What tests/ops/sparse/test_sets.py asks TensorFlow (tools/tf_reference.py): tf.sets (the
set operations along the last dimension) and their errors. A ``SparseTensor`` result is
recorded as its three tensors (indices, values, dense_shape)."""

SETUP = {
    "a": ("int64", [None, 3]),
    "b": ("int64", [None, 4]),
    "a2": ("int32", [2, 3]),
    "b2": ("int32", [2, 2]),
    "a3": ("int64", [2, 2, 3]),
    "u": ("int64", None),
    "f": ("float32", [2, 3]),
    "i": ("int64", [None, 2]),
    "v": ("int64", [None]),
    "s": ("int64", [2]),
}

BUILDS = [
    "tf.sets.set_intersection(a, b)",
    "tf.sets.intersection(a2, b2)",
    "tf.sets.set_union(a, b)",
    "tf.sets.union(a2, b2, validate_indices=False)",
    "tf.sets.set_difference(a, b)",
    "tf.sets.difference(a2, b2, aminusb=False)",
    "tf.sets.set_intersection(a3, a3)",
    "tf.sets.set_intersection(u, a)",
    "tf.sets.set_intersection(a, tf.SparseTensor(i, v, s))",
    "tf.sets.set_difference(tf.SparseTensor(i, v, s), a)",
    "tf.sets.set_union(tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s))",
    "tf.sets.set_size(tf.SparseTensor(i, v, s))",
    "tf.sets.size(tf.sets.set_intersection(a, b))",
    "tf.sets.set_size(tf.SparseTensor(i, v, s), validate_indices=False)",
    "tf.sets.set_intersection([['a', 'b']], [['b', 'c']])",
]

ERRORS = [
    ("tf.sets.set_intersection(f, f)", "invalid dtype"),
    ("tf.sets.set_intersection(a, a2)", "Types don't match"),
    ("tf.sets.set_size(a)", "Expected `SparseTensor`"),
    ("tf.sets.set_size(tf.SparseTensor(i, tf.cast(v, tf.float32), s))", "Invalid dtype"),
    ("tf.sets.set_intersection(a, a3)", "Shape must be rank 2 but is rank 3"),
    ("tf.sets.set_intersection(tf.constant(1, tf.int64), a)", "Shape must be at least rank 2"),
]
