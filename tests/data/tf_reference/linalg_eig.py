"""What tests/ops/math/test_linalg_eig.py asks TensorFlow (tools/tf_reference.py): the
self-adjoint eigen decomposition, its gradient and errors."""

SETUP = {
    "s": ("float32", [5, 3, 3]),
    "v": ("float32", [3]),
    "x": ("float32", [2, 3]),
    "u": ("float32", [None, None, 3]),
    "c": ("complex64", [3, 3]),
    "i": ("int32", [3, 3]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
BUILDS = [
    "tf.self_adjoint_eig(s)",
    "tf.linalg.eigh(u, name='op')",
    "tf.self_adjoint_eig(c)",
    "tf.self_adjoint_eig(tf.placeholder(tf.float64))",
    "tf.self_adjoint_eigvals(s)",
    "tf.linalg.eigvalsh(c)",
    "tf.linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]])",
]

# Gradients: the ops tf.gradients adds and the gradient's op.
GRADIENTS = [
    "tf.gradients(tf.self_adjoint_eig(s)[1], s)[0]",
    "tf.gradients(tf.self_adjoint_eigvals(s), s)[0]",
]

# Expressions TF rejects while building, with the part of its message the test matches.
BUILD_ERRORS = [
    ("tf.self_adjoint_eig(x)", "Dimensions must be equal, but are 2 and 3"),
    ("tf.self_adjoint_eigvals(v)", "Shape must be at least rank 2 but is rank 1"),
    (
        "tf.linalg.eigh(i)",
        "Value passed to parameter 'input' has DataType int32 not in list of allowed values: "
        "float64, float32, float16, complex64, complex128",
    ),
]
