"""What tests/layers/test_names.py asks TensorFlow (tools/tf_reference.py, run with
TF_USE_LEGACY_KERAS=1 so that tf.layers are tf_keras's): the graphs tf.layers build, their
variables' and ops' names, and the errors they raise while building."""

SETUP = {
    "x2": ("float32", [None, 5]),
    "x3": ("float32", [None, 4, 5]),
    "seq": ("float32", [None, 10, 4]),
    "img": ("float32", [None, 8, 8, 3]),
    "vol": ("float32", [None, 4, 6, 6, 2]),
    "t": ("bool", []),
}

# Dense: names, reuse, regularizers, the class form.
DENSE = [
    "tf.layers.dense(x2, 3)",
    "[tf.layers.dense(x2, 3), tf.layers.dense(x2, 3)]",
    "tf.layers.dense(x2, 3, activation=tf.nn.relu, use_bias=False, name='fc')",
    "tf.layers.dense(x3, 3)",
    "tf.layers.dense(x2, 3, kernel_initializer=tf.zeros_initializer(), bias_initializer=tf.ones_initializer())",
    "tf.layers.dense(x2, 3, kernel_regularizer=tf.nn.l2_loss, bias_regularizer=tf.nn.l2_loss)",
    "tf.layers.dense(x2, 3, activity_regularizer=tf.nn.l2_loss)",
    "[tf.layers.dense(x2, 3, name='d'), tf.layers.dense(x2, 3, name='d', reuse=True)]",
    "[tf.layers.dense(x2, 3, name='d', reuse=tf.AUTO_REUSE) for _ in range(2)]",
    "(lambda s: (s.__enter__(), tf.layers.dense(x2, 3), tf.layers.dense(x2, 3, name='d'), s.__exit__(None, None, None))[1:3])(tf.variable_scope('outer'))",
    "(lambda layer: [layer(x2), layer(x2)])(tf.layers.Dense(3))",
    "(lambda layer: [layer.apply(x2), layer(x2)])(tf.layers.Dense(3, name='mine'))",
    "(lambda layer: [layer(x2), layer.kernel.value(), layer.bias.value()])(tf.layers.Dense(3))",
    "tf.layers.dense(x2, 3, trainable=False)",
]

# Dropout and Flatten.
CORE = [
    "tf.layers.dropout(x2, 0.3)",
    "tf.layers.dropout(x2, 0.3, training=True)",
    "tf.layers.dropout(x2, 0.3, training=t)",
    "tf.layers.dropout(x2, 0.3, training=True, seed=3, name='drop')",
    "tf.layers.dropout(img, 0.3, noise_shape=[1, 1, 1, 3], training=True)",
    "tf.layers.Dropout(0.5)(x2, training=True)",
    "tf.layers.flatten(img)",
    "tf.layers.flatten(x3, name='flat')",
    "tf.layers.flatten(tf.zeros([2, 3, 4]))",
    "tf.layers.Flatten()(img)",
]

# Convolutions.
CONV = [
    "tf.layers.conv2d(img, 4, 3)",
    "tf.layers.conv2d(img, 4, [3, 3], strides=2, padding='same', activation=tf.nn.relu)",
    "tf.layers.conv2d(img, 4, 3, dilation_rate=2)",
    "tf.layers.conv2d(img, 4, 1, use_bias=False, name='c')",
    "[tf.layers.conv2d(img, 4, 3), tf.layers.conv2d(img, 4, 3)]",
    "tf.layers.Conv2D(4, 3)(img)",
    "tf.layers.conv1d(seq, 4, 3)",
    "tf.layers.conv1d(seq, 4, 3, strides=2, padding='same')",
    "tf.layers.Conv1D(4, 3, dilation_rate=2)(seq)",
    "tf.layers.conv1d(img, 4, 3)",
    "tf.layers.conv3d(vol, 4, 3)",
    "tf.layers.conv3d(vol, 4, [2, 3, 3], strides=[1, 2, 2], padding='same')",
    "tf.layers.conv2d_transpose(img, 4, 3)",
    "tf.layers.conv2d_transpose(img, 4, 3, strides=2, padding='same')",
    "tf.layers.Conv2DTranspose(4, [2, 3], strides=[2, 1])(img)",
    "tf.layers.separable_conv2d(img, 4, 3)",
    "tf.layers.separable_conv2d(img, 4, 3, depth_multiplier=2, padding='same', activation=tf.nn.relu)",
    "tf.layers.SeparableConv2D(4, 3, strides=2)(img)",
]

# Pooling.
POOL = [
    "tf.layers.max_pooling2d(img, 2, 2)",
    "tf.layers.average_pooling2d(img, 3, 2, padding='same')",
    "tf.layers.MaxPooling2D([2, 2], [2, 2], name='pool')(img)",
    "tf.layers.max_pooling1d(seq, 2, 2)",
    "tf.layers.average_pooling1d(seq, 3, 1, padding='same')",
    "tf.layers.max_pooling3d(vol, 2, 2)",
    "tf.layers.average_pooling3d(vol, 2, 2)",
]

# Batch normalization: fused (4-D) and not, inference, training and a bool tensor.
BATCH_NORM = [
    "tf.layers.batch_normalization(img)",
    "tf.layers.batch_normalization(img, training=True)",
    "tf.layers.batch_normalization(img, training=t)",
    "tf.layers.batch_normalization(x2)",
    "tf.layers.batch_normalization(x2, training=True)",
    "tf.layers.batch_normalization(x2, training=t)",
    "tf.layers.batch_normalization(x3, training=True)",
    "tf.layers.batch_normalization(img, fused=False, training=True)",
    "tf.layers.batch_normalization(img, momentum=0.9, epsilon=1e-5, center=False, scale=False, training=True)",
    "tf.layers.batch_normalization(x2, center=False, training=True, name='bn')",
    "[tf.layers.batch_normalization(img, training=True), tf.layers.batch_normalization(img, training=True)]",
    "(lambda layer: [layer(img, training=True), layer(img, training=False)])(tf.layers.BatchNormalization())",
]

# Inputs the layers refuse while building.
ERRORS = [
    ("(lambda layer: [layer(x2), layer(tf.zeros([2, 4]))])(tf.layers.Dense(3))", "is incompatible with the layer: expected axis -1 of input shape to have value 5, but received input with shape (2, 4)"),
    ("tf.layers.dense(tf.zeros([3]), 2)", "is incompatible with the layer: expected min_ndim=2, found ndim=1."),
    ("tf.layers.dense(tf.placeholder(tf.float32, [2, None]), 2)", "The last dimension of the inputs to a Dense layer should be defined. Found None."),
    ("[tf.layers.dense(x2, 3, name='d'), tf.layers.dense(x2, 3, name='d')]", "Variable d/kernel already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?"),
    ("tf.layers.dense(x2, 3, name='d', reuse=True)", "Variable d/kernel does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"),
    ("tf.layers.conv2d(x2, 4, 3)", "is incompatible with the layer: expected min_ndim=4, found ndim=2."),
    ("(lambda layer: [layer(img), layer(tf.zeros([2, 8, 8, 4]))])(tf.layers.Conv2D(4, 3))", "is incompatible with the layer: expected axis -1 of input shape to have value 3, but received input with shape (2, 8, 8, 4)"),
    ("tf.layers.conv2d(img, 4, 9)", "Negative dimension size"),
    ("tf.layers.max_pooling2d(x2, 2, 2)", "is incompatible with the layer: expected ndim=4, found ndim=2."),
    ("tf.layers.conv2d(img, 4, [3, 3, 3])", "The `kernel_size` argument must be a tuple of 2 integers. Received: [3, 3, 3]"),
    ("tf.layers.conv2d(img, 4, 3, padding='full')", "The `padding` argument must be a list/tuple or one of \"valid\", \"same\" (or \"causal\", only for `Conv1D). Received: full"),
    ("(lambda layer: [layer(img, training=True), layer(tf.zeros([2, 8, 8, 4]))])(tf.layers.BatchNormalization())", "is incompatible with the layer: expected axis 3 of input shape to have value 3, but received input with shape (2, 8, 8, 4)"),
    ("tf.layers.batch_normalization(tf.placeholder(tf.float32, [2, None]))", "Input has undefined `axis` dimension."),
]
