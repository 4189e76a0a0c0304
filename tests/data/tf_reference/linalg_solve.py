"""What tests/ops/math/test_linalg_solve.py asks TensorFlow (tools/tf_reference.py): inverses,
determinants, Cholesky factors, solves and what TF1 builds from them (logdet, cholesky_solve,
trace, adjoint)."""

SETUP = {
    "s": ("float32", [5, 3, 3]),
    "m": ("float32", [5, 3, 2]),
    "v": ("float32", [3]),
    "x": ("float32", [2, 3]),
    "u": ("float32", [None, 3, None]),
    "d": ("float64", [3, 3]),
    "c": ("complex64", [3, 3]),
    "h": ("float16", [3, 3]),
    "i": ("int32", [3, 3]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.matrix_inverse(s)",
    "tf.linalg.inv(s, adjoint=True, name='op')",
    "tf.matrix_inverse(u)",
    "tf.matrix_inverse(c)",
    "tf.matrix_inverse(tf.placeholder(tf.float32))",
    "tf.matrix_inverse([[1.0, 2.0], [3.0, 4.0]])",
    "tf.matrix_determinant(s)",
    "tf.linalg.det(u)",
    "tf.linalg.det(h)",
    "tf.matrix_determinant(tf.placeholder(tf.float64))",
    "tf.linalg.slogdet(s)",
    "tf.linalg.slogdet(c, name='op')",
    "tf.linalg.logdet(s)",
    "tf.linalg.logdet(d, name='op')",
    "tf.cholesky(s)",
    "tf.linalg.cholesky(u)",
    "tf.cholesky(h, name='op')",
    "tf.matrix_solve(s, m)",
    "tf.linalg.solve(s, m, adjoint=True)",
    "tf.matrix_solve(u, m)",
    "tf.matrix_solve(d, [[1.0], [2.0], [3.0]])",
    "tf.matrix_solve(tf.placeholder(tf.float32), m)",
    "tf.linalg.cholesky_solve(s, m)",
    "tf.cholesky_solve(d, d, name='op')",
    "tf.linalg.trace(s)",
    "tf.trace(i)",
    "tf.trace(x, name='op')",
    "tf.linalg.adjoint(s)",
    "tf.linalg.adjoint(c)",
    "tf.linalg.adjoint(tf.placeholder(tf.float32))",
]

# Gradients: the ops tf.gradients adds and the gradient's op.
GRADIENTS = [
    "tf.gradients(tf.matrix_inverse(s), s)[0]",
    "tf.gradients(tf.matrix_inverse(s, adjoint=True), s)[0]",
    "tf.gradients(tf.matrix_determinant(s), s)[0]",
    "tf.gradients(tf.linalg.slogdet(s)[1], s)[0]",
    "tf.gradients(tf.cholesky(s), s)[0]",
    "tf.gradients(tf.matrix_solve(s, m), [s, m])",
]

# Expressions TF rejects while building, with the part of its message the test matches.
BUILD_ERRORS = [
    ("tf.matrix_inverse(v)", "Shape must be at least rank 2 but is rank 1"),
    ("tf.matrix_inverse(x)", "Dimensions must be equal, but are 2 and 3"),
    (
        "tf.matrix_inverse(i)",
        "Value passed to parameter 'input' has DataType int32 not in list of allowed values: "
        "float64, float32, float16, complex64, complex128",
    ),
    ("tf.matrix_determinant(x)", "Dimensions must be equal, but are 3 and 2"),
    ("tf.matrix_determinant(v)", "Shape must be at least rank 2 but is rank 1"),
    (
        "tf.matrix_determinant(i)",
        "Value passed to parameter 'input' has DataType int32 not in list of allowed values: "
        "float16, float32, float64, complex64, complex128",
    ),
    ("tf.linalg.slogdet(x)", "Dimensions must be equal, but are 3 and 2"),
    ("tf.cholesky(x)", "Dimensions must be equal, but are 2 and 3"),
    ("tf.cholesky(v)", "Shape must be at least rank 2 but is rank 1"),
    ("tf.cholesky(i)", "has DataType int32 not in list of allowed values"),
    ("tf.linalg.logdet(x)", "Dimensions must be equal, but are 2 and 3"),
    ("tf.matrix_solve(s, v)", "Shape must be at least rank 2 but is rank 1"),
    ("tf.matrix_solve(x, x)", "Dimensions must be equal, but are 2 and 3"),
    ("tf.matrix_solve(s, m[:, :2])", "Dimensions must be equal, but are 3 and 2"),
    ("tf.matrix_solve(s[0], m)", "Shapes must be equal rank, but are 0 and 1"),
    ("tf.matrix_solve(s[:4], m)", "Dimension 0 in both shapes must be equal, but are 4 and 5"),
    (
        "tf.matrix_solve(s, tf.placeholder(tf.int32, [5, 3, 2]))",
        "Input 'rhs' of 'MatrixSolve' Op has type int32 that does not match type float32 of "
        "argument 'matrix'.",
    ),
    ("tf.cholesky_solve(s, v)", "Shape must be at least rank 2 but is rank 1"),
    ("tf.trace(v)", "Shape must be at least rank 2 but is rank 1"),
    ("tf.linalg.adjoint(v)", "Argument `a` should be a (batch) matrix with rank >= 2."),
]
