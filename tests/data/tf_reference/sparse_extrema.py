"""What tests/ops/sparse/test_extrema.py asks TensorFlow (tools/tf_reference.py): the sparse
max/min reductions, softmax, element-wise maximum/minimum and split. A ``SparseTensor`` result
is recorded as its three tensors (indices, values, dense_shape)."""

SETUP = {
    "i": ("int64", [None, 2]),
    "v": ("float32", [None]),
    "s": ("int64", [2]),
    "j": ("int64", [None, 3]),
}

# Expressions that build (the ops each adds, its results' ops, dtypes and static shapes).
BUILDS = [
    "tf.sparse_reduce_max(tf.SparseTensor(i, v, s))",
    "tf.sparse_reduce_max(tf.SparseTensor(i, v, s), axis=1, keep_dims=True)",
    "tf.sparse.reduce_max(tf.SparseTensor(i, v, s), axis=[0], keepdims=True)",
    "tf.sparse_reduce_max(tf.SparseTensor(i, v, s), reduction_axes=-1)",
    "tf.sparse_reduce_max_sparse(tf.SparseTensor(i, v, s), axis=1)",
    "tf.sparse.reduce_max_sparse(tf.SparseTensor(i, v, s), 0, keepdims=True)",
    "tf.sparse_softmax(tf.SparseTensor(i, v, s))",
    "tf.sparse.softmax(tf.SparseTensor(j, v, [2, 3, 4]), name='sm')",
    "tf.sparse_maximum(tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s))",
    "tf.sparse.minimum(tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s), name='mn')",
    "tf.sparse_split(sp_input=tf.SparseTensor(i, v, s), num_split=2, axis=1)",
    "tf.sparse.split(sp_input=tf.SparseTensor(i, v, [4, 6]), num_split=3, axis=0, name='sp')",
]

# The gradient graphs of the ops (tf.gradients of one output with respect to inputs).
GRADIENTS = [
    "tf.gradients(tf.sparse_softmax(tf.SparseTensor(i, v, s)).values, v)",
]

# Expressions TF rejects, with the part of its message the test matches.
BUILD_ERRORS = [
    (
        "tf.sparse_reduce_max(tf.SparseTensor(i, v, s), axis=1, keepdims=True, keep_dims=True)",
        "Cannot specify both 'keep_dims' and 'keepdims'.",
    ),
    (
        "tf.sparse_maximum(tf.SparseTensor(i, v, s), tf.SparseTensor(i, tf.cast(v, tf.int32), s))",
        "Input 'b_values' of 'SparseSparseMaximum' Op has type int32 that does not match type "
        "float32 of argument 'a_values'.",
    ),
    ("tf.sparse_split(tf.SparseTensor(i, v, s), 2, 1)", "Keyword arguments are required"),
    ("tf.sparse_split(sp_input=tf.SparseTensor(i, v, s), num_split=2)", "axis is required"),
    (
        "tf.sparse_split(sp_input=tf.SparseTensor(i, v, s), num_split=2, split_dim=1)",
        "axis is required",
    ),
]
