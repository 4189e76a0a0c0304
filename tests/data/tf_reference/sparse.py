"""What tests/ops/sparse/test_ops.py asks TensorFlow (tools/tf_reference.py). A
``SparseTensor`` result is recorded as its three tensors (indices, values, dense_shape)."""

SETUP = {
    "i": ("int64", [None, 2]),
    "v": ("float32", [None]),
    "s": ("int64", [2]),
    "iv": ("int64", [None]),
    "d": ("float32", [4, 3]),
    "y": ("float32", [3]),
    "keep": ("bool", [None]),
    "k": ("float32", []),
}

# Expressions that build (the ops each adds, its results' ops, dtypes and static shapes).
BUILDS = [
    "tf.SparseTensor(i, v, s)",
    "tf.SparseTensor([[0, 0]], [1.0], [2, 2])",
    "[tf.SparseTensor([[0, 0]], [1.0], [2, 2]), tf.SparseTensor(i, v, [4, 3])]",
    "tf.sparse_placeholder(tf.float32)",
    "tf.sparse_placeholder(tf.float32, shape=[3, 4], name='x')",
    "tf.sparse_placeholder(tf.float32, shape=[None, 4], name='x')",
    "tf.sparse.placeholder(tf.float64, shape=tf.constant([2, 5], tf.int64))",
    "tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), d)",
    "tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), d, adjoint_a=True, name='mm')",
    "tf.sparse.sparse_dense_matmul(tf.SparseTensor(i, v, [5, 3]), d, adjoint_b=True)",
    "tf.sparse.matmul(tf.SparseTensor(i, v, [2, 4]), d)",
    "tf.sparse_tensor_dense_matmul(d, tf.SparseTensor(i, v, [3, 2]))",
    "tf.sparse_tensor_to_dense(tf.SparseTensor(i, v, s))",
    "tf.sparse.to_dense(tf.SparseTensor(i, v, s), default_value=1.0, validate_indices=False)",
    "tf.sparse_tensor_to_dense(tf.sparse_placeholder(tf.float32, [None, 4], name='x'))",
    "tf.sparse_to_dense(i, s, v)",
    "tf.sparse_to_dense([[0, 0], [1, 1]], [2, 3], 1.0, name='std')",
    "tf.sparse_to_dense(iv, [5], 2.0, default_value=-1.0)",
    "tf.sparse_add(tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s))",
    "tf.sparse.add(tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s), threshold=0.5)",
    "tf.sparse_add(tf.SparseTensor(i, v, s), d)",
    "tf.sparse_add(d, tf.SparseTensor(i, v, s))",
    "tf.sparse_add(tf.SparseTensor([[0, 0]], [1.0], [4, 3]), tf.SparseTensor(i, v, [4, 3]))",
    "tf.sparse_reduce_sum(tf.SparseTensor(i, v, s))",
    "tf.sparse_reduce_sum(tf.SparseTensor(i, v, s), axis=1, keep_dims=True)",
    "tf.sparse.reduce_sum(tf.SparseTensor(i, v, s), axis=[0], keepdims=True)",
    "tf.sparse_reduce_sum(tf.SparseTensor(i, v, s), reduction_axes=-1)",
    "tf.sparse_reduce_sum_sparse(tf.SparseTensor(i, v, s), axis=1)",
    "tf.sparse_reorder(tf.SparseTensor(i, v, s))",
    "tf.sparse.reorder(tf.SparseTensor(i, v, [2, 2]), name='ro')",
    "tf.sparse_retain(tf.SparseTensor(i, v, s), keep)",
    "tf.sparse.retain(tf.SparseTensor(i, v, s), [True, False])",
    "tf.sparse_reshape(tf.SparseTensor(i, v, s), [-1])",
    "tf.sparse.reshape(tf.SparseTensor(i, v, s), [2, -1, 3], name='r')",
    "tf.sparse_reshape(tf.SparseTensor(i, v, [2, 3]), [3, -1])",
    "tf.sparse_reshape(tf.SparseTensor(i, v, [2, 3]), tf.constant([6, 1], tf.int64))",
    "tf.sparse_slice(tf.SparseTensor(i, v, s), [0, 0], [2, 2])",
    "tf.sparse.slice(tf.SparseTensor(i, v, s), [1, 0], [1, 3], name='sl')",
    "tf.sparse_concat(1, [tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s)])",
    "tf.sparse.concat(0, [tf.SparseTensor(i, v, [2, 2]), tf.SparseTensor(i, v, [3, 2])])",
    "tf.sparse_concat(0, [tf.SparseTensor(i, v, s)] * 2, expand_nonconcat_dim=True)",
    "tf.sparse_concat(-1, [tf.SparseTensor(i, v, s)] * 2, expand_nonconcat_dim=True)",
    "tf.sparse_fill_empty_rows(tf.SparseTensor(i, v, s), 0.0)",
    "tf.sparse.fill_empty_rows(tf.SparseTensor(i, v, s), k, name='fe')",
    "tf.sparse_segment_sum(d, iv, iv)",
    "tf.sparse_segment_mean(d, iv, iv, num_segments=5)",
    "tf.sparse_segment_sqrt_n(d, iv, iv, name='sq')",
    "tf.sparse.segment_sum(d, iv, iv, num_segments=s[0])",
    "tf.segment_sum(d, iv)",
    "tf.math.segment_sum(y, iv, name='ss')",
    "tf.SparseTensor(i, v, s) * 2.0",
    "tf.SparseTensor(i, v, s) * y",
    "tf.SparseTensor(i, v, s) / 2.0",
    "tf.SparseTensor(i, v, s) * (1.0 / k)",
    "tf.sparse_retain(tf.SparseTensor(i, v, s), keep) * (1.0 / (1.0 - k))",
    "tf.sparse.from_dense(d)",
    "tf.sparse.transpose(tf.SparseTensor(i, v, s))",
    "tf.sparse_transpose(tf.SparseTensor(i, v, [2, 3]), [1, 0], name='t')",
    "tf.sparse.transpose(tf.SparseTensor(i, v, [2, 3]))",
    "tf.convert_to_tensor_or_sparse_tensor(tf.SparseTensor(i, v, s))",
    "tf.convert_to_tensor_or_sparse_tensor([1.0], name='c')",
    "tf.convert_to_tensor_or_sparse_tensor(tf.SparseTensorValue([[0]], [1.0], [2]))",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), None)",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), None, combiner='sum')",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), None, combiner='sqrtn')",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), tf.SparseTensor(i, v, s))",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), tf.SparseTensor(i, v, s), "
    "combiner='sum', name='emb')",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), tf.SparseTensor(i, v, s), "
    "combiner='sqrtn')",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), tf.SparseTensor(i, v, s), "
    "allow_fast_lookup=True)",
    "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), None, allow_fast_lookup=True)",
]

# The gradient graphs of the ops (tf.gradients of one output with respect to inputs).
GRADIENTS = [
    "tf.gradients(tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), d), [v, d])",
    "tf.gradients(tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), d, adjoint_a=True), "
    "[v, d])",
    "tf.gradients(tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), d, adjoint_b=True), "
    "[v, d])",
    "tf.gradients(tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), d, adjoint_a=True, "
    "adjoint_b=True), [v, d])",
    "tf.gradients(tf.sparse_tensor_to_dense(tf.SparseTensor(i, v, s)), [v])",
    "tf.gradients(tf.sparse_to_dense(i, s, v, k), [v, k])",
    "tf.gradients(tf.sparse_add(tf.SparseTensor(i, v, s), tf.SparseTensor(i, v, s)).values, v)",
    "tf.gradients(tf.sparse_add(tf.SparseTensor(i, v, s), d), [v, d])",
    "tf.gradients(tf.sparse_reduce_sum(tf.SparseTensor(i, v, s), 1), v)",
    "tf.gradients(tf.sparse_reorder(tf.SparseTensor(i, v, s)).values, v)",
    "tf.gradients(tf.sparse_slice(tf.SparseTensor(i, v, s), [0, 0], [1, 1]).values, v)",
    "tf.gradients(tf.sparse_fill_empty_rows(tf.SparseTensor(i, v, s), k)[0].values, [v, k])",
    "tf.gradients((tf.SparseTensor(i, v, s) * y).values, [v, y])",
    "tf.gradients((tf.SparseTensor(i, v, s) / y).values, [v, y])",
    "tf.gradients(tf.sparse_segment_sum(d, iv, iv), d)",
    "tf.gradients(tf.sparse_segment_mean(d, iv, iv), d)",
    "tf.gradients(tf.sparse_segment_sqrt_n(d, iv, iv, num_segments=4), d)",
    "tf.gradients(tf.segment_sum(d, iv), d)",
    "(lambda g: [g.values, g.indices, g.dense_shape])("
    "tf.gradients(tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), None), d)[0])",
    "(lambda g: [g.values, g.indices, g.dense_shape])("
    "tf.gradients(tf.sparse_segment_sqrt_n(d, iv, iv, sparse_gradient=True), d)[0])",
    "(lambda g: [g.values, g.indices, g.dense_shape])(tf.gradients(tf.sparse_segment_sum("
    "d, iv, iv, num_segments=3, sparse_gradient=True), d)[0])",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
BUILD_ERRORS = [
    ("tf.SparseTensor(i, d, s)", "must have rank 1"),
    ("tf.SparseTensor(v, v, s)", "Tensor conversion requested dtype int64"),
    ("tf.SparseTensor([[0, 0]], [1.0, 2.0], [2, 2])", "Dimensions 1 and 2 are not compatible"),
    ("tf.SparseTensor(i, v, [2, 3, 4])", "Dimensions 2 and 3 are not compatible"),
    (
        "tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, [2, 5]), d)",
        "Dimensions must be equal, but are 5 and 4",
    ),
    ("tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), y)", "must be rank 2"),
    (
        "tf.sparse_tensor_dense_matmul(tf.SparseTensor(i, v, s), tf.cast(d, tf.float64))",
        "that does not match type float32",
    ),
    (
        "tf.sparse_add(tf.SparseTensor(i, v, [2, 3]), tf.SparseTensor(i, v, [2, 4]))",
        "Shapes (2, 3) and (2, 4) are incompatible",
    ),
    ("tf.sparse_add(d, d)", "At least one input should be SparseTensor"),
    (
        "tf.sparse_retain(tf.SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 3]), [True])",
        "Dimensions 2 and 1 are not compatible",
    ),
    ("tf.sparse_retain(tf.SparseTensor(i, v, s), [[True]])", "must have rank 1"),
    (
        "tf.sparse_reshape(tf.SparseTensor(i, v, [2, 3]), [4, -1])",
        "Cannot reshape a tensor with 6 elements to shape [4, None] (4 elements).",
    ),
    (
        "tf.sparse_reshape(tf.SparseTensor(i, v, [2, 3]), [-1, -1])",
        "At most one dimension can be inferred (-1).",
    ),
    (
        "tf.nn.embedding_lookup_sparse(d, tf.SparseTensor(i, iv, s), None, combiner='max')",
        "combiner must be one of 'mean', 'sqrtn' or 'sum', got max",
    ),
    ("tf.nn.embedding_lookup_sparse(d, i, None)", "sp_ids must be SparseTensor"),
    ("tf.sparse_tensor_to_dense(d)", "Input must be a SparseTensor"),
    (
        "tf.sparse_reduce_sum(tf.SparseTensor(i, v, s), axis=1, keepdims=True, keep_dims=True)",
        "Cannot specify both 'keep_dims' and 'keepdims'.",
    ),
    ("tf.SparseTensor(i, v, s) + 1.0", "unsupported operand type"),
    ("2.0 * tf.SparseTensor(i, v, s)", "unsupported operand type"),
    ("tf.reduce_sum(tf.SparseTensor(i, v, s))", "Failed to convert elements of SparseTensor"),
    (
        "tf.convert_to_tensor_or_sparse_tensor(tf.SparseTensor(i, v, s), tf.int32)",
        "Sparse dtype mismatch. Requested: int32,  Actual: float32",
    ),
]
