"""What tests/ops/math/test_linalg.py asks TensorFlow (tools/tf_reference.py): QR, diagonals,
band parts, triangular solves and cross products."""

SETUP = {
    "m": ("float32", [5, 4, 3]),
    "s": ("float32", [5, 3, 3]),
    "v": ("float32", [3]),
    "x": ("float32", [2, 3]),
    "u": ("float32", [None, 3]),
}

# tf.linalg.qr: its op and the dtypes and static shapes of q and r.
QRS = [
    "tf.linalg.qr(m)",
    "tf.linalg.qr(m, full_matrices=True)",
    "tf.qr(m, name='op')",
    "tf.linalg.qr(tf.placeholder(tf.float32, [None, 3]))",
    "tf.linalg.qr(tf.placeholder(tf.float32, [None, 3]), full_matrices=True)",
    "tf.linalg.qr(tf.placeholder(tf.float32))",
    "tf.linalg.qr([[1.0, 2.0], [3.0, 4.0]])",
]

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.diag(v)",
    "tf.diag(x)",
    "tf.matrix_diag(x)",
    "tf.linalg.diag(u)",
    "tf.linalg.set_diag(u, v)",
    "tf.matrix_set_diag(m, u[:5])",
    "tf.linalg.band_part(s, -1, 0)",
    "tf.matrix_band_part(u, 1, 2)",
    "tf.linalg.triangular_solve(s, s)",
    "tf.matrix_triangular_solve(s[0], u, lower=False, adjoint=True)",
    "tf.diag_part(tf.placeholder(tf.float32, [3, None]))",
    "tf.diag_part(tf.placeholder(tf.float32, [2, 3, 2, 3]))",
    "tf.linalg.triangular_solve(s, s, lower=False, adjoint=True)",
    "tf.cross(x[:, :3], x[:, :3])",
    "tf.linalg.cross(m[:, 0], s[..., 0], name='op')",
    "tf.cross(u, tf.placeholder(tf.float32))",
    "tf.cross([1, 0, 0], [0, 1, 0])",
    "tf.gradients(tf.cross(u, x), [u, x])",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    (
        "tf.linalg.qr(tf.placeholder(tf.float32, [3]))",
        "Shape must be at least rank 2 but is rank 1",
    ),
    (
        "tf.linalg.qr(tf.placeholder(tf.int32, [3, 3]))",
        "Value passed to parameter 'input' has DataType int32 not in list of allowed "
        "values: float64, float32, float16, complex64, complex128",
    ),
    ("tf.diag_part(tf.placeholder(tf.float32, [2, 3, 4]))", "even and non-zero rank"),
    (
        "tf.diag_part(tf.placeholder(tf.float32, [2, 4]))",
        "Dimensions must be equal, but are 2 and 4",
    ),
    ("tf.linalg.diag(tf.placeholder(tf.float32, [3]), k=1)", None),
    (
        "tf.cross(tf.placeholder(tf.float32, [5, 2]), tf.placeholder(tf.float32, [5, 2]))",
        "Dimension must be 3 but is 2",
    ),
    (
        "tf.cross(tf.placeholder(tf.float32, []), 1.0)",
        "Shape must be at least rank 1 but is rank 0",
    ),
    (
        "tf.cross(x, tf.placeholder(tf.float32, [5, 3]))",
        "Dimension 0 in both shapes must be equal, but are 2 and 5",
    ),
    (
        "tf.cross(v, tf.placeholder(tf.int32, [3]))",
        "Input 'b' of 'Cross' Op has type int32 that does not match type float32 of argument 'a'.",
    ),
]
