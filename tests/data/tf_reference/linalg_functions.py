"""What tests/ops/linalg/test_linalg.py asks TensorFlow (tools/tf_reference.py):
tf.linalg.lu, lu_solve, lu_reconstruct, lu_matrix_inverse, sqrtm, logm, expm, normalize."""

SETUP = {
    "m": ("float32", [3, 3]),
    "b": ("float64", [2, 3, 3]),
    "u": ("float32", [None, 4, 4]),
    "r": ("float32", [3, 2]),
    "c": ("complex64", [2, 2]),
    "v": ("float32", [2, 5]),
    "i": ("int32", [3, 3]),
}

EXPRESSIONS = [
    "tf.linalg.lu(m)",
    "tf.linalg.lu(b, output_idx_type=tf.int64, name='f')",
    "tf.linalg.lu(u)",
    "tf.linalg.lu_solve(*tf.linalg.lu(m), r)",
    "tf.linalg.lu_solve(*tf.linalg.lu(m), r, name='s')",
    "tf.linalg.lu_matrix_inverse(*tf.linalg.lu(m))",
    "tf.linalg.sqrtm(m)",
    "tf.linalg.sqrtm(b, name='root')",
    "tf.matrix_square_root(u)",
    "tf.linalg.logm(c)",
    "tf.linalg.logm(c, name='lg')",
    "tf.linalg.normalize(v)",
    "tf.linalg.normalize(v, axis=1, name='n')",
    "tf.linalg.normalize(v, ord=1, axis=-1)",
    "tf.linalg.normalize(v, ord='fro', axis=[0, 1])",
    "tf.linalg.expm(m)",
    "tf.linalg.expm(b)",
    "tf.linalg.expm(u)",
    "tf.gradients(tf.linalg.sqrtm(m), m)[0]",
]

ERRORS = [
    ("tf.linalg.lu(i)", "not in list of allowed values"),
    ("tf.linalg.lu(r)", "Dimensions must be equal, but are 3 and 2"),
    ("tf.linalg.lu(v[0])", "must be at least rank 2"),
    ("tf.linalg.sqrtm(i)", "not in list of allowed values"),
    ("tf.linalg.logm(m)", "not in list of allowed values"),
    ("tf.linalg.expm(i)", "does not support matrices of type"),
    ("tf.gradients(tf.linalg.lu(m)[0], m)", "No gradient defined for operation"),
    ("tf.gradients(tf.math.real(tf.linalg.logm(c)), c)", "No gradient defined for operation"),
]
