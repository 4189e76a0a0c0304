"""What tests/ops/math/test_linalg_lstsq.py asks TensorFlow (tools/tf_reference.py):
tf.matrix_solve_ls as TF1 builds it (the Cholesky composition, or the MatrixSolveLs op), its
gradient and errors."""

SETUP = {
    "a": ("float32", [4, 3]),
    "w": ("float32", [3, 4]),
    "b": ("float32", [4, 2]),
    "s": ("float32", [5, 4, 3]),
    "m": ("float32", [5, 4, 2]),
    "big": ("float32", [200, 20, 20]),
    "bigb": ("float32", [200, 20, 2]),
    "z": ("complex128", [4, 3]),
    "v": ("float32", [3]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.matrix_solve_ls(a, b)",
    "tf.matrix_solve_ls(a, b, l2_regularizer=0.5)",
    "tf.linalg.lstsq(w, b[:3], name='op')",
    "tf.linalg.lstsq(w, b[:3], l2_regularizer=0.5)",
    "tf.matrix_solve_ls(s, m, l2_regularizer=0.1)",
    "tf.matrix_solve_ls(a, b, l2_regularizer=tf.constant(0.5))",
    "tf.matrix_solve_ls(a, b, fast=False)",
    "tf.matrix_solve_ls(s, m, fast=False, l2_regularizer=1.0, name='op')",
    "tf.matrix_solve_ls(big, bigb, l2_regularizer=0.5)",
    "tf.matrix_solve_ls(z, tf.cast(b, tf.complex128))",
]

# Gradients: the ops tf.gradients adds and the gradient's op.
GRADIENTS = [
    "tf.gradients(tf.matrix_solve_ls(big, bigb), [big, bigb])",
    "tf.gradients(tf.matrix_solve_ls(w, b[:3]), w)[0]",
]

# Expressions TF rejects while building, with the part of its message the test matches.
BUILD_ERRORS = [
    (
        "tf.matrix_solve_ls(z, tf.cast(b, tf.complex128), l2_regularizer=0.1)",
        "matrix_solve_ls is currently disabled for complex128 and l2_regularizer != 0",
    ),
    ("tf.matrix_solve_ls(a, v)", "Shape must be rank 2 but is rank 1"),
    ("tf.matrix_solve_ls(a, b[:3], fast=False)", "Dimensions must be equal, but are 4 and 3"),
    (
        "tf.gradients(tf.matrix_solve_ls(a, b, fast=False), a)",
        "Gradient not defined for fast=False",
    ),
]
