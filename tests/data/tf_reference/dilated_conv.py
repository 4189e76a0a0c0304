"""What tests/ops/nn/test_dilated.py asks TensorFlow (tools/tf_reference.py):
tf.nn.atrous_conv2d, tf.nn.convolution (1-, 2- and 3-D) and tf.nn.pool (1- and 2-D, with
strides or dilation_rate)."""

SETUP = {
    "x": ("float32", [2, 6, 6, 3]),
    "w": ("float32", [3, 3, 3, 4]),
    "o": ("float32", [None, 7, 5, 3]),
    "k": ("float32", [2, 3, 3, 2]),
    "s": ("float32", [2, 9, 3]),
    "f": ("float32", [2, 3, 4]),
    "v": ("float32", [1, 5, 6, 5, 2]),
    "k3": ("float32", [2, 2, 3, 2, 3]),
    "d": ("float32", [None, None, None, 3]),
    "q": ("float32", [None, None, 3]),
}

EXPRESSIONS = [
    "tf.nn.atrous_conv2d(x, w, 2, 'SAME')",
    "tf.nn.atrous_conv2d(x, w, 2, 'VALID')",
    "tf.nn.atrous_conv2d(x, w, 1, 'VALID')",
    "tf.nn.atrous_conv2d(o, k, 3, 'SAME', name='aspp')",
    "tf.nn.atrous_conv2d(o, w, 2, 'VALID')",
    "tf.nn.convolution(x, w, 'SAME')",
    "tf.nn.convolution(x, w, 'VALID', strides=[2, 2])",
    "tf.nn.convolution(x, w, 'SAME', dilation_rate=[2, 2])",
    "tf.nn.convolution(x, w, 'SAME', dilation_rate=[1, 2], name='op')",
    "tf.nn.convolution(o, k, 'VALID', dilation_rate=[2, 1])",
    "tf.nn.convolution(x, w, padding='SAME', dilations=[2, 2])",
    "tf.nn.convolution(s, f, 'VALID')",
    "tf.nn.convolution(s, f, 'SAME', strides=[2])",
    "tf.nn.convolution(s, f, 'VALID', dilation_rate=[2])",
    "tf.nn.convolution(s, f, 'SAME', dilation_rate=[3], name='op')",
    "tf.gradients(tf.nn.convolution(s, f, 'SAME', dilation_rate=[2]), [s, f])",
    "tf.nn.convolution(v, k3, 'VALID')",
    "tf.nn.convolution(v, k3, 'SAME', strides=[2, 1, 2])",
    "tf.nn.convolution(v, k3, 'SAME', dilation_rate=[2, 1, 2])",
    "tf.nn.atrous_conv2d(d, w, 2, 'SAME')",
    "tf.nn.convolution(q, f, 'VALID', dilation_rate=[2])",
    "tf.nn.convolution(o, k, 'SAME', dilation_rate=[3, 2])",
    "tf.nn.pool(d, [2, 2], 'MAX', 'VALID', dilation_rate=[2, 2])",
    "tf.gradients(tf.nn.atrous_conv2d(d, w, 2, 'SAME'), [d, w])",
    "tf.nn.pool(s, [3], 'AVG', 'SAME', strides=[2])",
    "tf.nn.pool(s, [3], 'MAX', 'VALID', dilation_rate=[2])",
    "tf.nn.pool(q, [2], 'MAX', 'VALID', dilation_rate=[3], name='op')",
    "tf.gradients(tf.nn.pool(s, [3], 'AVG', 'VALID', dilation_rate=[2]), s)[0]",
    "tf.nn.pool(x, [2, 2], 'MAX', 'VALID', dilation_rate=[2, 2])",
    "tf.nn.pool(x, [3, 3], 'MAX', 'SAME')",
    "tf.nn.pool(x, [2, 2], 'AVG', 'VALID', strides=[2, 2], name='op')",
    "tf.nn.pool(o, [3, 2], 'AVG', 'VALID', dilation_rate=[2, 3])",
    "tf.nn.pool(x, [3, 3], 'MAX', 'SAME', strides=[2, 1])",
    "tf.gradients(tf.nn.pool(x, [2, 2], 'MAX', 'VALID', dilation_rate=[2, 2]), x)[0]",
]

ERRORS = [
    (
        "tf.nn.convolution(x, w, 'SAME', strides=[2, 2], dilation_rate=[2, 2])",
        "not supported in conjunction with",
    ),
    (
        "tf.nn.pool(x, [2, 2], 'MAX', 'SAME', dilation_rate=[2, 2])",
        "pooling with 'SAME' padding is not implemented",
    ),
    ("tf.nn.pool(x, [3, 3], 'AVG', 'SAME', strides=[4, 4])", "`strides` > `window_shape`"),
    ("tf.nn.atrous_conv2d(x, w, 0, 'SAME')", "dilation_rate` must be positive"),
    ("tf.nn.convolution(s, f, 'VALID', strides=[2], dilation_rate=[2])", "in conjunction"),
]
