"""What tests/ops/math/test_gradients.py asks TensorFlow (tools/tf_reference.py): the gradient
ops TF1 builds."""

SETUP = {
    "x": ("float32", [2, 3]),
    "y": ("float32", [2, 3]),
}

# The gradient of a function of x: the ops it adds and the gradient's op.
NAMES = [
    "tf.gradients(tf.tanh(x), x)[0]",
    "tf.gradients(tf.sigmoid(x), x)[0]",
    "tf.gradients(tf.sqrt(x), x)[0]",
    "tf.gradients(tf.exp(x), x)[0]",
    "tf.gradients(tf.log(x), x)[0]",
    "tf.gradients(tf.square(x), x)[0]",
    "tf.gradients(tf.cos(x), x)[0]",
    "tf.gradients(tf.reduce_sum(x), x)[0]",
    "tf.gradients(tf.reduce_mean(x), x)[0]",
    "tf.gradients((lambda x: tf.reduce_max(x, 1))(x), x)[0]",
    "tf.gradients((lambda x: tf.cumsum(x, 1))(x), x)[0]",
    "tf.gradients((lambda x: tf.cast(x, tf.float64))(x), x)[0]",
]

# The gradients of x / y.
DIVISION = [
    "tf.gradients(x / y, [x, y])",
]
