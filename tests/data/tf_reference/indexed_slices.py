"""What the IndexedSlices tests ask TensorFlow (tools/tf_reference.py):
tests/framework/test_indexed_slices.py (conversion, clipping, unique),
tests/test_gradients_indexed_slices.py (gradients that are IndexedSlices, and their sums) and
tests/train/test_sparse_updates.py (the optimizers' sparse updates, the scatter ops)."""

SETUP = {
    "t": ("float32", [5, 4]),
    "u": ("float32", [None, 4]),
    "d": ("float64", [5, 4]),
    "x": ("float32", [2, 4]),
    "i": ("int32", [None]),
}

# IndexedSlices made dense, clipped, and tf.unique.
CONVERSIONS = [
    "tf.convert_to_tensor(tf.IndexedSlices(x, tf.constant([0, 2]), tf.constant([5, 4])))",
    "tf.convert_to_tensor(tf.IndexedSlices(x, i, tf.shape(u)), name='dense')",
    "tf.add_n([tf.IndexedSlices(x, tf.constant([0, 2]), tf.constant([5, 4])), t])",
    "tf.cast(tf.IndexedSlices(x, i, tf.constant([5, 4])), tf.float64).values",
    "tf.clip_by_norm(tf.IndexedSlices(x, i, tf.constant([5, 4])), 1.0).values",
    "tf.clip_by_value(tf.IndexedSlices(x, i, tf.constant([5, 4])), -1.0, 1.0).values",
    "[c.values if hasattr(c, 'indices') else c for c in tf.clip_by_global_norm("
    "[tf.IndexedSlices(x, i, tf.constant([5, 4])), t], 1.0)[0]]",
    "list(tf.unique(i))",
    "list(tf.unique(tf.constant([3, 1, 3]), out_idx=tf.int64))",
]
CONVERSION_ERRORS = [
    ("tf.convert_to_tensor(tf.IndexedSlices(x, i))", "without dense_shape"),
    (
        "tf.convert_to_tensor(tf.IndexedSlices(x, i, tf.constant([5, 4])), dtype=tf.int32)",
        "Incompatible tensor conversion requested to `dtype` int32",
    ),
    ("tf.unique(x)", "Shape must be rank 1 but is rank 2"),
    ("tf.unique(i, out_idx=tf.int16)", "not in list of allowed values: int32, int64"),
]

# Gradients that are IndexedSlices: [values, indices, dense_shape] of the gradient.
GRADIENTS = [
    "[(g := tf.gradients(tf.gather(t, [1, 1, 3]), t)[0]).values, g.indices, g.dense_shape]",
    "[(g := tf.gradients(tf.gather(u, i), u)[0]).values, g.indices, g.dense_shape]",
    "[(g := tf.gradients(tf.nn.embedding_lookup(t, i), t)[0]).values, g.indices, g.dense_shape]",
    "[(g := tf.gradients(tf.reduce_sum(tf.gather(t, [1, 2])) + tf.reduce_sum(tf.gather(t, "
    "[3, 1])), t)[0]).values, g.indices, g.dense_shape]",
    "[(g := tf.gradients(tf.reduce_sum(tf.gather(t, tf.constant([1, 2], tf.int64))) + "
    "tf.reduce_sum(tf.gather(t, [3])), t)[0]).values, g.indices, g.dense_shape]",
    "[(g := tf.gradients(tf.reduce_sum(tf.gather(tf.cast(d, tf.float32), [1, 2])), d)[0])"
    ".values, g.indices, g.dense_shape]",
    "[(g := tf.gradients(tf.gather(tf.identity(t), i), t)[0]).values, g.indices, g.dense_shape]",
]
# Gradients that are dense tensors.
DENSE_GRADIENTS = [
    "tf.gradients(tf.reduce_sum(tf.gather(t, [1, 2])) + tf.reduce_sum(t * 2.0), t)[0]",
    "tf.gradients(tf.reduce_sum(tf.gather(tf.reshape(u, [-1, 2]), [1, 2])), u)[0]",
    "tf.gradients(tf.gather(t * 3.0, [1, 2]), t)[0]",
]

# The sparse updates of each optimizer, for a table looked up with repeated ids.
OPTIMIZERS = [
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.GradientDescentOptimizer(0.1)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.AdamOptimizer(0.1)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.AdagradOptimizer(0.1)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.RMSPropOptimizer(0.1)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.RMSPropOptimizer(0.1, centered=True)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='emb')), "
    "tf.train.AdadeltaOptimizer(0.1)"
    ".minimize(tf.reduce_sum(tf.nn.embedding_lookup(v, [1, 3, 1])))][1]",
]
SCATTERS = [
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='v')), tf.scatter_sub(v, i, x)][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='v')), "
    "tf.scatter_add(v, [[1], [2]], tf.ones([2, 1, 4]), name='add')][1]",
    "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='v')), "
    "tf.scatter_update(v, [1], 2.0)][1]",
]
SCATTER_ERRORS = [
    (
        "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='v')), "
        "tf.scatter_sub(v, [1], tf.ones([2, 4]))][1]",
        "Dimension 0 in both shapes must be equal, but are 2 and 1",
    ),
    (
        "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='v')), "
        "tf.scatter_add(v, [1.0], tf.ones([1, 4]))][1]",
        "Value passed to parameter 'indices' has DataType float32 not in list of allowed",
    ),
    (
        "[(v := tf.Variable(np.zeros((5, 4), np.float32), name='v')), "
        "tf.scatter_add(v, [1], tf.ones([1, 4], tf.float64))][1]",
        "Input 'updates' of 'ScatterAdd' Op has type float64 that does not match",
    ),
]
