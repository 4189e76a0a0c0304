"""What tests/ops/linalg/test_tridiagonal.py asks TensorFlow (tools/tf_reference.py):
tf.linalg.tridiagonal_solve and tf.linalg.tridiagonal_matmul, and their gradients."""

SETUP = {
    "d": ("float32", [3, 4]),
    "r": ("float32", [4, 2]),
    "v": ("float32", [4]),
    "bd": ("float64", [2, 3, 4]),
    "br": ("float64", [2, 4, 3]),
    "u": ("float32", [None, 3, None]),
    "w": ("float32", [None, None, 2]),
    "c": ("complex64", [3, 4]),
    "cr": ("complex64", [4, 2]),
    "s3": ("float32", [3]),
}

EXPRESSIONS = [
    "tf.linalg.tridiagonal_solve(d, r)",
    "tf.linalg.tridiagonal_solve(d, v, name='ts')",
    "tf.linalg.tridiagonal_solve(bd, br, partial_pivoting=False)",
    "tf.linalg.tridiagonal_solve(d, tf.transpose(r), transpose_rhs=True)",
    "tf.linalg.tridiagonal_solve(c, cr, conjugate_rhs=True)",
    "tf.linalg.tridiagonal_solve(u, w)",
    "tf.linalg.tridiagonal_solve([s3, v, s3], r, diagonals_format='sequence')",
    "tf.linalg.tridiagonal_matmul(d, r)",
    "tf.linalg.tridiagonal_matmul(bd, br, name='tm')",
    "tf.linalg.tridiagonal_matmul([v, v, v], r, diagonals_format='sequence')",
    "tf.gradients(tf.linalg.tridiagonal_solve(d, r), [d, r])",
    "tf.gradients(tf.linalg.tridiagonal_solve(u, w), [u, w])",
    "tf.gradients(tf.linalg.tridiagonal_matmul(d, r), [d, r])",
]

ERRORS = [
    ("tf.linalg.tridiagonal_solve(tf.zeros([4, 4]), r)", "Expected 3 diagonals got 4"),
    (
        "tf.linalg.tridiagonal_solve(d, tf.zeros([2, 4, 2]))",
        "Expected the rank of rhs to be 1 or 2",
    ),
    ("tf.linalg.tridiagonal_solve(d, tf.zeros([4, 2], tf.float64))", "does not match type"),
    (
        "tf.linalg.tridiagonal_solve(d, r, diagonals_format='banded')",
        "Unrecognized diagonals_format",
    ),
    (
        "tf.linalg.tridiagonal_solve(d, r, partial_pivoting=False, perturb_singular=True)",
        "partial_pivoting must be True",
    ),
    (
        "tf.linalg.tridiagonal_matmul(d, r, diagonals_format='banded')",
        "Unrecognized diagonals_format",
    ),
]
