"""What tests/ops/sparse/test_merge.py asks TensorFlow (tools/tf_reference.py):
``tf.sparse.expand_dims``, ``tf.sparse_to_indicator`` and ``tf.sparse_merge``, which TF1 builds
from dense ops and a ``SparseReorder``. A ``SparseTensor`` result is recorded as its three
tensors (indices, values, dense_shape)."""

SETUP = {
    "i": ("int64", [None, 2]),
    "v": ("float32", [None]),
    "ids": ("int64", [None]),
    "ids32": ("int32", [None]),
    "s": ("int64", [2]),
    "k": ("int32", []),
    "d": ("int64", [None]),
}

# Expressions that build (the ops each adds, its results' ops, dtypes and static shapes).
BUILDS = [
    "tf.sparse.expand_dims(tf.SparseTensor(i, v, s))",
    "tf.sparse.expand_dims(tf.SparseTensor(i, v, s), axis=0)",
    "tf.sparse.expand_dims(tf.SparseTensor(i, v, [4, 5]), 1, name='ex')",
    "tf.sparse.expand_dims(tf.SparseTensor(i, v, s), axis=-2)",
    "tf.sparse.expand_dims(tf.SparseTensor(i, v, s), axis=k)",
    "tf.sparse.expand_dims(tf.SparseTensor(i, v, s), axis=-4)",
    "str(tf.sparse.expand_dims(tf.SparseTensor(i, v, [4, 5]), axis=tf.constant(2)).shape)",
    "str(tf.sparse_merge(tf.SparseTensor(i, ids, [4, 5]), tf.SparseTensor(i, v, [4, 5]), 10).shape)",
    "tf.sparse_to_indicator(tf.SparseTensor(i, ids, s), 10)",
    "tf.sparse.to_indicator(tf.SparseTensor(i, ids32, [3, 4]), vocab_size=k, name='ind')",
    "tf.sparse_merge(tf.SparseTensor(i, ids, s), tf.SparseTensor(i, v, s), 10)",
    "tf.sparse.merge(tf.SparseTensor(i, ids32, s), tf.SparseTensor(i, v, s), k, name='m')",
    "tf.sparse_merge(tf.SparseTensor(i, ids, s), tf.SparseTensor(i, v, s), 6, already_sorted=True)",
    "tf.sparse_merge([tf.SparseTensor(i, ids, s), tf.SparseTensor(i, ids32, s)], "
    "tf.SparseTensor(i, v, s), [6, k])",
]

# The gradient graphs (tf.gradients of one output with respect to inputs).
GRADIENTS = [
    "tf.gradients(tf.sparse.expand_dims(tf.SparseTensor(i, v, s)).values, v)",
    "tf.gradients(tf.sparse_merge(tf.SparseTensor(i, ids, s), tf.SparseTensor(i, v, s), 10)"
    ".values, v)",
]

# Expressions TF rejects, with the part of its message the test matches.
BUILD_ERRORS = [
    ("tf.sparse.expand_dims(tf.SparseTensor(i, v, s), axis=1.5)", "axis must be an integer"),
    (
        "tf.sparse.expand_dims(tf.SparseTensor(i, v, d), axis=1)",
        "Cannot convert unknown Dimension ? to a Tensor",
    ),
    (
        "tf.sparse.expand_dims(tf.SparseTensor(i, v, s), axis=5)",
        "Negative dimension size caused by subtracting 5 from 2",
    ),
    ("tf.sparse_to_indicator(v, 10)", "Input must be a SparseTensor"),
    (
        "tf.sparse_merge(tf.SparseTensor(i, ids, s), tf.SparseTensor(i, v, s), 10.0)",
        "vocab_size has to be a Tensor or Python int. Found <class 'float'>",
    ),
    (
        "tf.sparse_merge([tf.SparseTensor(i, ids, s)], tf.SparseTensor(i, v, s), 10)",
        "vocab_size has to be a list of Tensors or Python ints. Found <class 'int'>",
    ),
    (
        "tf.sparse_merge([tf.SparseTensor(i, ids, s)], tf.SparseTensor(i, v, s), [10.0])",
        "vocab_size has to be a list of Tensors or Python ints. Found <class 'float'>",
    ),
    (
        "tf.sparse_merge(3, tf.SparseTensor(i, v, s), 10)",
        "sp_ids has to be a SparseTensor or list thereof. Found <class 'int'>",
    ),
    (
        "tf.sparse_merge([tf.SparseTensor(i, ids, s)], tf.SparseTensor(i, v, s), [10, 4])",
        "sp_ids and vocab_size have to have equal lengths.",
    ),
    ("tf.sparse_merge(tf.SparseTensor(i, ids, s), v, 10)", "Input must be a SparseTensor"),
]
