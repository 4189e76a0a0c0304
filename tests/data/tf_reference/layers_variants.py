"""What tests/layers/test_convolutional_variants.py asks TensorFlow (tools/tf_reference.py, with
TF_USE_LEGACY_KERAS=1 so that tf.layers are tf_keras's): tf.layers.Conv3DTranspose and
tf.layers.SeparableConv1D, their functions, variables and ops."""

SETUP = {
    "vol": ("float32", [None, 2, 3, 4, 5]),
    "fixed": ("float32", [2, 2, 3, 4, 5]),
    "seq": ("float32", [None, 10, 3]),
    "seq2": ("float32", [2, 10, 3]),
}

EXPRESSIONS = [
    "tf.layers.conv3d_transpose(vol, 4, 3, strides=2, padding='same')",
    "tf.layers.conv3d_transpose(fixed, 4, [2, 3, 1], strides=[1, 2, 3], name='up')",
    "tf.layers.conv3d_transpose(vol, 4, 3, use_bias=False, activation=tf.nn.relu)",
    "tf.layers.Conv3DTranspose(2, 2, strides=2)(fixed)",
    "str([v.name for v in (lambda y: tf.global_variables())(tf.layers.conv3d_transpose(vol, 4, 3))])",
    "tf.layers.separable_conv1d(seq, 8, 3)",
    "tf.layers.separable_conv1d(seq2, 8, 3, strides=2, padding='same', depth_multiplier=2)",
    "tf.layers.separable_conv1d(seq, 8, 3, dilation_rate=2, activation=tf.nn.relu, name='sep')",
    "tf.layers.SeparableConv1D(4, 2, use_bias=False)(seq2)",
    "str([v.name for v in (lambda y: tf.global_variables())(tf.layers.separable_conv1d(seq, 8, 3))])",
]

ERRORS = [
    ("tf.layers.conv3d_transpose(seq, 4, 3)", "expected min_ndim=5, found ndim=3"),
    ("tf.layers.separable_conv1d(vol, 8, 3)", "Shape must be rank 4 but is rank 6"),
]
