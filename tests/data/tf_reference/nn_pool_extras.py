"""What tests/ops/nn/test_pool_extras.py asks TensorFlow (tools/tf_reference.py):
tf.nn.max_pool1d/avg_pool1d/max_pool_v2/avg_pool_v2, sufficient_statistics and
normalize_moments, relu_layer, conv1d_transpose/conv_transpose/atrous_conv2d_transpose,
with_space_to_batch and TF1's other names (space_to_batch, depthwise backprops)."""

SETUP = {
    "s": ("float32", [2, 9, 3]),
    "x": ("float32", [2, 6, 6, 3]),
    "v": ("float32", [1, 4, 4, 4, 2]),
    "u": ("float32", [None, 3, 4]),
    "a": ("float32", [2, 3]),
    "w": ("float32", [3, 3, 5, 3]),
    "k": ("float32", [2, 4, 3]),
    "o": ("float32", [None, 9, 3]),
}

EXPRESSIONS = [
    "tf.nn.max_pool1d(s, 2, 2, 'SAME')",
    "tf.nn.max_pool1d(s, [3], [1, 2, 1], 'VALID', name='p')",
    "tf.nn.max_pool1d(o, 2, 1, [[0, 0], [1, 1], [0, 0]])",
    "tf.nn.avg_pool1d(s, [3], [1], 'VALID')",
    "tf.nn.avg_pool1d(o, 2, 2, 'SAME')",
    "tf.nn.max_pool_v2(s, 2, 2, 'SAME')",
    "tf.nn.max_pool_v2(x, [2, 3], 2, 'VALID')",
    "tf.nn.max_pool_v2(x, 2, 2, 'SAME', name='mp')",
    "tf.nn.max_pool_v2(v, 2, 2, 'SAME')",
    "tf.nn.avg_pool_v2(s, 2, 1, 'VALID')",
    "tf.nn.avg_pool_v2(x, 3, 2, 'VALID')",
    "tf.nn.avg_pool_v2(v, [1, 2, 2, 2, 1], 2, 'VALID', name='ap')",
    "tf.nn.sufficient_statistics(x, [0, 1, 2])[:3]",
    "tf.nn.sufficient_statistics(x, [0, 1, 2], shift=1.0)",
    "tf.nn.sufficient_statistics(u, [0, 1], keepdims=True)[:3]",
    "tf.nn.sufficient_statistics(u, [-1], shift=0.5, name='st')",
    "tf.nn.normalize_moments(4.0, a, a, None)",
    "tf.nn.normalize_moments(4.0, a, a, 1.0, name='nm')",
    "tf.nn.relu_layer(a, tf.ones([3, 4]), tf.ones([4]))",
    "tf.nn.relu_layer(a, tf.ones([3, 4]), tf.ones([4]), name='rl')",
    "tf.nn.conv1d_transpose(s, k, [2, 18, 4], 2)",
    "tf.nn.conv1d_transpose(s, k, [2, 10, 4], 1, 'VALID', name='t1')",
    "tf.nn.conv_transpose(s, k, [2, 18, 4], 2)",
    "tf.nn.conv_transpose(x, w, [2, 12, 12, 5], 2)",
    "tf.nn.conv_transpose(x, w, [2, 8, 8, 5], [1, 1], 'VALID', name='ct')",
    "tf.nn.conv_transpose(v, tf.ones([2, 2, 2, 3, 2]), [1, 8, 8, 8, 3], 2)",
    "tf.nn.atrous_conv2d_transpose(x, w, [2, 6, 6, 5], 2, 'SAME')",
    "tf.nn.atrous_conv2d_transpose(x, w, [2, 10, 10, 5], 2, 'VALID')",
    "tf.nn.atrous_conv2d_transpose(x, w, [2, 6, 6, 5], 1, 'SAME')",
    "tf.nn.with_space_to_batch(x, [2, 2], 'VALID', lambda i, n, p: tf.nn.max_pool(i, 2, 1, p))",
    "tf.nn.with_space_to_batch(x, [1, 1], 'SAME', lambda i, n, p: tf.nn.avg_pool(i, 2, 1, p))",
    "tf.nn.with_space_to_batch(x, [2, 3], 'SAME', "
    "lambda i, n, p: tf.nn.conv2d(i, tf.ones([3, 3, 3, 2]), 1, p), filter_shape=[3, 3, 3, 2])",
    "tf.nn.with_space_to_batch(s, [2], 'VALID', lambda i, n, p: tf.nn.max_pool1d(i, 2, 1, p))",
    "tf.nn.space_to_batch(x, [[0, 0], [0, 0]], 2)",
    "tf.nn.depthwise_conv2d_backprop_input([2, 6, 6, 3], tf.ones([3, 3, 3, 1]), x, [1, 1, 1, 1], 'SAME')",
    "tf.nn.depthwise_conv2d_backprop_filter(x, [3, 3, 3, 1], x, [1, 1, 1, 1], 'SAME')",
    "tf.nn.conv3d_backprop_filter(v, [2, 2, 2, 2, 2], v, [1, 1, 1, 1, 1], 'SAME')",
]

ERRORS = [
    ("tf.nn.max_pool1d(s, [2, 2], 1, 'SAME')", "ksize should be of length 1, 1 or 3"),
    ("tf.nn.max_pool_v2(a, 2, 2, 'SAME')", "`input.shape.rank` must be 3, 4 or 5"),
    ("tf.nn.avg_pool_v2(x, [2, 2, 2], 2, 'SAME')", "ksize should be of length 1, 2 or 4"),
    (
        "tf.nn.max_pool_v2(v, 2, 2, [[0, 0]] * 5)",
        "Explicit padding is not supported with an input tensor of rank 5",
    ),
    ("tf.nn.conv_transpose(x, w, [2, 12], 2)", "`output_shape` must be of length 3, 4 or 5"),
    ("tf.nn.atrous_conv2d_transpose(x, w, [2, 6, 6, 5], 0, 'SAME')", "cannot be less than one"),
    (
        "tf.nn.atrous_conv2d_transpose(x, tf.ones([3, 3, 5, 4]), [2, 6, 6, 5], 2, 'SAME')",
        "channel count must be compatible",
    ),
    (
        "tf.nn.with_space_to_batch(x, [2, 2], 'SAME', lambda i, n, p: i)",
        "`filter_shape` must be specified",
    ),
    (
        "tf.nn.with_space_to_batch(x, [0, 2], 'VALID', lambda i, n, p: i)",
        "`dilation_rate` must be positive",
    ),
    (
        "tf.nn.with_space_to_batch(a, [2, 2], 'VALID', lambda i, n, p: i)",
        "`input.shape.rank` must be at least 3",
    ),
]
