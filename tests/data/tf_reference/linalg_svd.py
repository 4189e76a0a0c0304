"""What tests/ops/math/test_svd.py asks TensorFlow (tools/tf_reference.py): Svd's gradient
through u and v, tf.linalg.pinv and tf.linalg.matrix_rank as TF builds them on Svd, and the
tf.linalg names that are other modules' functions."""

SETUP = {
    "s": ("float32", [5, 4, 3]),
    "u": ("float32", [None, None]),
    "d": ("float64", [3, 3]),
    "v": ("float32", [3]),
    "x": ("float32", [2, 3]),
    "i": ("int32", [3, 3]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.linalg.pinv(s)",
    "tf.linalg.pinv(d, rcond=1e-3, name='op')",
    "tf.linalg.pinv(u)",
    "tf.linalg.matrix_rank(s)",
    "tf.linalg.matrix_rank(d, tol=0.5)",
    "tf.linalg.matrix_rank(u, name='op')",
    "tf.linalg.tensor_diag(v)",
    "tf.linalg.tensor_diag_part(tf.placeholder(tf.float32, [2, 3, 2, 3]))",
    "tf.linalg.tensordot(x, v, 1)",
    "tf.linalg.l2_normalize(x, 1)",
    "tf.linalg.global_norm([x, v])",
]

# Gradients: the ops tf.gradients adds and the gradient's op.
GRADIENTS = [
    "tf.gradients(tf.svd(s)[1], s)[0]",
    "tf.gradients(tf.svd(x, full_matrices=True)[2], x)[0]",
]

# Expressions TF rejects while building, with the part of its message the test matches.
BUILD_ERRORS = [
    ("tf.linalg.pinv(v)", "Input `a` must have at least 2 dimensions (saw: 1)."),
    ("tf.linalg.pinv(i)", "Input `a` must have `float`-like `dtype` (saw int32)."),
    ("tf.linalg.matrix_rank(v)", "Input `a` must have at least 2 dimensions (saw: 1)."),
    (
        "tf.gradients(tf.svd(u)[1], u)",
        "SVD gradient has not been implemented for input with unknown inner matrix shape.",
    ),
    (
        "tf.gradients(tf.svd(s[0, :1], full_matrices=True)[1], s)",
        "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True.",
    ),
]
