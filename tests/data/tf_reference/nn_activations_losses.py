"""What tests/ops/nn/test_activations_losses.py asks TensorFlow (tools/tf_reference.py):
tf.nn.crelu, tf.nn.swish (tf.nn.silu), tf.nn.weighted_cross_entropy_with_logits,
tf.nn.log_poisson_loss and tf.nn.weighted_moments, with their gradients."""

SETUP = {
    "x": ("float32", [2, 3]),
    "y": ("float32", [2, 3]),
    "w": ("float32", [3]),
    "u": ("float32", [None, 3]),
    "h": ("float16", [2, 3]),
    "d": ("float64", [2, 3]),
}

EXPRESSIONS = [
    "tf.nn.crelu(x)",
    "tf.nn.crelu(x, axis=0, name='c')",
    "tf.nn.crelu(u)",
    "tf.nn.crelu([[1.0, -2.0]])",
    "tf.gradients(tf.nn.crelu(x), x)[0]",
    "tf.nn.swish(x)",
    "tf.nn.silu(x, beta=2.0)",
    "tf.nn.swish(d, beta=0.5)",
    "tf.gradients(tf.nn.swish(x), x)[0]",
    "tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=x, pos_weight=2.0)",
    "tf.nn.weighted_cross_entropy_with_logits(targets=y, logits=x, pos_weight=2.0)",
    "tf.nn.weighted_cross_entropy_with_logits(y, x, 3.0, name='wce')",
    "tf.nn.weighted_cross_entropy_with_logits(y, x, w)",
    "tf.gradients(tf.nn.weighted_cross_entropy_with_logits(y, x, 2.0), x)[0]",
    "tf.nn.log_poisson_loss(y, x)",
    "tf.nn.log_poisson_loss(y, x, compute_full_loss=True)",
    "tf.nn.log_poisson_loss(y, x, name='lp')",
    "tf.nn.log_poisson_loss(u, u, compute_full_loss=True)",
    "tf.gradients(tf.nn.log_poisson_loss(y, x, compute_full_loss=True), [x, y])",
    "tf.nn.weighted_moments(x, [0], y)",
    "tf.nn.weighted_moments(x, [0, 1], y, keep_dims=True)",
    "tf.nn.weighted_moments(x, [1], w, keepdims=True, name='wm')",
    "tf.nn.weighted_moments(x, [0], tf.placeholder(tf.int32, [2, 3]))",
    "tf.nn.weighted_moments(h, [1], tf.placeholder(tf.float16, [2, 3]))",
    "tf.nn.weighted_moments(u, 0, 1.0)",
]

ERRORS = [
    ("tf.nn.weighted_cross_entropy_with_logits(w, x, 2.0)", "must have the same shape"),
    (
        "tf.nn.weighted_cross_entropy_with_logits(y, x, 2.0, targets=y)",
        "Cannot specify both 'targets' and 'labels'",
    ),
    ("tf.nn.log_poisson_loss(w, x)", "must have the same shape"),
    (
        "tf.nn.weighted_moments(x, [0], y, keep_dims=True, keepdims=True)",
        "Cannot specify both 'keep_dims' and 'keepdims'",
    ),
]
