"""What tests/ops/nn/test_dilated_depthwise.py asks TensorFlow (tools/tf_reference.py):
tf.nn.depthwise_conv2d and tf.nn.separable_conv2d with ``rate``, and the dilated
convolution layers (tf.layers.conv2d/conv1d/separable_conv2d, tf.keras.layers.Conv2D and
DepthwiseConv2D), over static and unknown spatial sizes; causal 1-D convolution layers."""

SETUP = {
    "x": ("float32", [2, 7, 7, 3]),
    "u": ("float32", [None, None, None, 3]),
    "s": ("float32", [2, 9, 3]),
    "q": ("float32", [None, None, 3]),
    "dw": ("float32", [3, 3, 3, 2]),
    "pw": ("float32", [1, 1, 6, 5]),
}

EXPRESSIONS = [
    "tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], 'SAME', rate=[2, 2])",
    "tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], 'VALID', rate=[2, 1], name='dwc')",
    "tf.nn.depthwise_conv2d(u, dw, [1, 1, 1, 1], 'SAME', rate=[2, 2])",
    "tf.nn.depthwise_conv2d(u, dw, [1, 1, 1, 1], 'VALID', rate=[3, 2])",
    "tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], 'SAME', dilations=[2, 2])",
    "tf.nn.depthwise_conv2d(x, dw, [1, 2, 2, 1], 'SAME')",
    "tf.nn.depthwise_conv2d(x, dw, [1, 2, 2, 1], 'SAME', rate=[2, 2])",
    "tf.nn.separable_conv2d(u, dw, pw, [1, 2, 2, 1], 'VALID', rate=[2, 2])",
    "tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], 'SAME', rate=[2, 2])",
    "tf.nn.separable_conv2d(u, dw, pw, [1, 1, 1, 1], 'VALID', rate=[2, 2])",
    "tf.gradients(tf.nn.depthwise_conv2d(x, dw, [1, 1, 1, 1], 'SAME', rate=[2, 2]), [x, dw])",
    "tf.layers.conv2d(x, 4, 3, padding='same', dilation_rate=2, name='c')",
    "tf.layers.conv2d(u, 4, 3, padding='valid', dilation_rate=(2, 3), name='c')",
    "tf.layers.conv1d(s, 4, 3, padding='same', dilation_rate=2, name='c')",
    "tf.layers.separable_conv2d(x, 4, 3, padding='same', dilation_rate=2, name='c')",
    "tf.keras.layers.Conv2D(4, 3, padding='same', dilation_rate=(2, 1), name='c')(x)",
    "tf.keras.layers.Conv2D(4, 3, dilation_rate=2, name='c')(u)",
    "tf.keras.layers.DepthwiseConv2D(3, padding='same', dilation_rate=2, name='c')(x)",
    "tf.layers.conv1d(s, 4, 3, padding='causal', name='c')",
    "tf.layers.conv1d(q, 4, 3, padding='causal', dilation_rate=2, name='c')",
    "tf.keras.layers.Conv1D(4, 2, padding='causal', dilation_rate=3, name='c')(s)",
    "tf.layers.separable_conv1d(s, 4, 3, padding='causal', dilation_rate=2, name='c')",
]

ERRORS = [
    (
        "tf.keras.layers.DepthwiseConv2D(3, strides=2, dilation_rate=2)",
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
        "strides=(2, 2) and dilation_rate=(2, 2)",
    ),
    (
        "tf.keras.layers.SeparableConv2D(3, 3, strides=2, dilation_rate=2)",
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
        "strides=(2, 2) and dilation_rate=(2, 2)",
    ),
    (
        "tf.keras.layers.Conv2D(4, 3, padding='causal')",
        "Causal padding is only supported for `Conv1D`and `SeparableConv1D`.",
    ),
    (
        "tf.layers.conv2d(x, 4, 3, strides=2, dilation_rate=2)",
        "`strides > 1` not supported in conjunction with `dilation_rate > 1`",
    ),
]
