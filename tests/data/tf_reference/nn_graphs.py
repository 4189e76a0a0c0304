"""What tests/ops/nn/test_graphs.py asks TensorFlow (tools/tf_reference.py): the graphs of the
tf.nn functions."""

SETUP = {
    "x": ("float32", [2, 9, 10, 3]),
    "w": ("float32", [3, 3, 5, 3]),
    "dw": ("float32", [3, 3, 3, 2]),
    "lg": ("float32", [4, 5]),
    "lb": ("float32", [4, 5]),
    "ids": ("int32", [4]),
    "kp": ("float32", []),
    "un": ("float32", None),
}

# Expressions that build (the ops each adds, its results' names, dtypes and static shapes).
STRUCTURES = [
    "tf.nn.softmax(lg, axis=-2)",
    "tf.nn.top_k(lg, tf.placeholder(tf.int32, []))",
    "tf.nn.max_pool(tf.cast(x, tf.int32), [1,2,2,1], [1,2,2,1], 'SAME')",
    "tf.nn.max_pool(x, 2, 2, 'VALID')",
    "tf.nn.max_pool(x, 2, 2, [[0,0],[1,1],[1,1],[0,0]])",
    "tf.nn.avg_pool(tf.placeholder(tf.float32, [None, None, 7, 3]), 3, 2, 'SAME')",
    "tf.nn.depthwise_conv2d(x, dw, [1,2,2,1], 'VALID')",
    "tf.nn.conv2d_transpose(x, w, [2, 11, 12, 5], [1,1,1,1], 'VALID')",
    "tf.nn.conv2d_transpose(x, w, [2, 9, 10, 5], [1,1,1,1], [[0,0],[1,1],[1,1],[0,0]])",
    "tf.nn.conv2d_transpose(x, w, [2, 13, 14, 5], 1, 'VALID', dilations=2)",
    "tf.nn.conv2d_transpose(x, w, tf.placeholder(tf.int32, [4]), [1,1,1,1], 'VALID')",
    "tf.nn.conv2d_transpose(x, w, tf.TensorShape([2,11,12,5]), [1,1,1,1], 'VALID')",
    "tf.nn.softmax_cross_entropy_with_logits(lb, lg)",
    "tf.nn.dropout(lg, rate=0.0)",
    "tf.nn.moments(tf.cast(lg, tf.float16), [0])",
    "tf.nn.l2_normalize(tf.cast(lg, tf.float64), axis=[0, 1], epsilon=0.1)",
    "tf.nn.conv2d_transpose(x, w, [2, 18, 20, 5], [1,2,2,1], 'SAME')",
    "tf.nn.conv2d_transpose(x, w, tf.stack([tf.shape(x)[0], 18, 20, 5]), [1,2,2,1], 'SAME')",
    "tf.nn.depthwise_conv2d(x, dw, [1,1,1,1], 'SAME')",
    "tf.nn.max_pool(x, [1,2,2,1], [1,2,2,1], 'SAME')",
    "tf.nn.avg_pool(x, [1,3,3,1], [1,2,2,1], 'VALID', name='pool')",
    "tf.nn.leaky_relu(x, 0.1)",
    "tf.nn.leaky_relu(ids)",
    "tf.nn.softmax(lg)",
    "tf.nn.softmax([1.0, 2.0])",
    "tf.nn.log_softmax(lg, name='ls')",
    "tf.nn.dropout(lg, keep_prob=0.5)",
    "tf.nn.dropout(lg, rate=0.25, seed=4)",
    "tf.nn.dropout(lg, rate=0.5, noise_shape=[4,1], seed=3)",
    "tf.nn.dropout(lg, rate=0.5, noise_shape=[None,1], seed=3)",
    "tf.nn.dropout(lg, keep_prob=kp)",
    "tf.nn.dropout(lg, rate=kp)",
    "tf.nn.dropout(un, rate=0.5)",
    "tf.nn.embedding_lookup(lg, ids)",
    "tf.nn.embedding_lookup([lg], ids, name='emb')",
    "tf.nn.embedding_lookup(lg, [[0, 1], [2, 3]])",
    "tf.nn.l2_normalize(lg, axis=1)",
    "tf.nn.l2_normalize(lg)",
    "tf.nn.moments(x, [0,1,2])",
    "tf.nn.moments(x, [0,1,2], keep_dims=True, name='m')",
    "tf.nn.batch_normalization(lg, lb, lb, lb, lb, 1e-3)",
    "tf.nn.batch_normalization(lg, lb, lb, None, None, 1e-3)",
    "tf.nn.batch_normalization(lg, lb, lb, lb, None, 1e-3)",
    "tf.nn.softmax_cross_entropy_with_logits(labels=lb, logits=lg)",
    "tf.nn.softmax_cross_entropy_with_logits_v2(labels=lb, logits=lg)",
    "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=lg)",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=lb, logits=lg)",
    "tf.nn.sigmoid_cross_entropy_with_logits(labels=un, logits=un)",
    "tf.nn.top_k(lg, 2)",
    "tf.nn.top_k([1, 2, 3], 2, name='tk')",
    "tf.nn.in_top_k(lg, ids, 2)",
    "tf.nn.in_top_k(lg, [0, 1, 2, 3], 2)",
    "tf.nn.l2_loss(lg)",
]

# Expressions TF rejects, with the start of its message (None where scopeflow differs: the
# test lists what it does instead).
ERRORS = [
    ("tf.nn.softmax(ids)", "Value passed to parameter 'logits' has DataType int32 not in"),
    (
        "tf.nn.softmax(tf.placeholder(tf.float32, []))",
        "Shape must be at least rank 1 but is rank 0",
    ),
    ("tf.nn.softmax(lg, axis=5)", "`dim` must be in the range [-2, 2) where 2 is the number of "),
    ("tf.nn.top_k(lg, 7)", "input must have last dimension >= k = 7 but is 5"),
    (
        "tf.nn.top_k(tf.placeholder(tf.float32, []), 1)",
        "Shape must be at least rank 1 but is rank 0",
    ),
    ("tf.nn.top_k(lg, -1)", "Dimension size, given by scalar input 1, must be non-negativ"),
    (
        "tf.nn.top_k(tf.placeholder(tf.bool, [3]), 1)",
        "Value passed to parameter 'input' has DataType bool not in l",
    ),
    (
        "tf.nn.in_top_k(tf.cast(lg, tf.float64), ids, 2)",
        "Input 'predictions' of 'InTopKV2' Op has type float64 that d",
    ),
    (
        "tf.nn.in_top_k(lg, tf.placeholder(tf.int32, [3]), 2)",
        "Dimensions must be equal, but are 4 and 3",
    ),
    (
        "tf.nn.avg_pool(tf.cast(x, tf.int32), [1,2,2,1], [1,2,2,1], 'SAME')",
        "Value passed to parameter 'value' has DataType int32 not in ",
    ),
    (
        "tf.nn.max_pool(x, [1,20,2,1], [1,2,2,1], 'VALID')",
        "Negative dimension size caused by subtracting 20 from 9",
    ),
    (
        "tf.nn.max_pool(lg[None], [1,2,2,1], [1,2,2,1], 'VALID')",
        "Shape must be rank 4 but is rank 3 for '{{node MaxPool}}",
    ),
    (
        "tf.nn.depthwise_conv2d(tf.cast(x, tf.int32), tf.cast(dw, tf.int32), 4 * [1], 'SAME')",
        "Value passed to parameter 'input' has DataType int32 not in ",
    ),
    (
        "tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 4, 2]), [1, 1, 1, 1], 'SAME')",
        "Dimensions must be equal, but are 3 and 4",
    ),
    (
        "tf.nn.conv2d_transpose(x, tf.ones([3, 3, 5, 4]), [2, 11, 12, 5], 1, 'VALID')",
        "Dimensions must be equal, but are 3 and 4",
    ),
    (
        "tf.nn.conv2d_transpose(x, w, (11,12,5), [1,1,1,1], 'VALID')",
        "Conv2DBackpropInput requires input_sizes to contain 4 values",
    ),
    (
        "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lb, logits=lg)",
        "`labels.shape.rank` must equal `logits.shape.rank - 1`. Rece",
    ),
    (
        "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lb[:, 0], logits=lg)",
        "Value passed to parameter 'labels' has DataType float32 not ",
    ),
    (
        "tf.nn.sigmoid_cross_entropy_with_logits(labels=lb[0], logits=lg)",
        "`logits` and `labels` must have the same shape, received ((4",
    ),
    ("tf.nn.dropout(lg, rate=1.0)", "`rate` must be a scalar tensor or a float in the range [0, 1"),
    (
        "tf.nn.dropout(ids, rate=0.5)",
        "`x.dtype` must be a floating point tensor as `x` will be sca",
    ),
    ("tf.nn.dropout(lg)", "`rate` must be provided. Received: rate=None"),
    ("tf.nn.dropout(lg, keep_prob=0.5, rate=0.5)", "Cannot specify both 'keep_prob' and 'rate'."),
    ("tf.nn.bias_add(lg, lb)", "Shape must be rank 1 but is rank 2 for '{{node BiasAdd}}"),
    ("tf.nn.conv2d(x, w, 1, 'SAME', data_format='NCHW')", None),
    ("tf.nn.max_pool(x, 2, 2, 'SAME', data_format='NCHW')", None),
    ("tf.nn.embedding_lookup(lg, tf.placeholder(tf.float32, [3]))", None),
]
