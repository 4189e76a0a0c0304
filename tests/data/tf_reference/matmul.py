"""What tests/ops/math/test_matmul.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "x": ("float32", [2, 3, 4]),
    "y": ("float32", [4, 3, 5]),
    "m": ("float32", [2, 3]),
    "v": ("float32", [3]),
    "d": ("float32", [2, None, 4]),
    "u": ("float32", None),
    "c": ("complex64", [2, 2]),
    "cb": ("complex64", [3, 2, 2]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "tf.matmul(c, c, adjoint_a=True)",
    "tf.matmul(c, c, transpose_b=True)",
    "tf.matmul(cb, cb, transpose_a=True)",
    "tf.matmul(cb, cb, adjoint_b=True)",
    "tf.conj(c)",
    "tf.conj(m)",
    "tf.tensordot(x, y, 1)",
    "tf.tensordot(x, y, [[1, 2], [1, 0]])",
    "tf.tensordot(x, y, [1, 1])",
    "tf.tensordot(m, m, [[0], [0]], name='td')",
    "tf.tensordot(m, v, 1)",
    "tf.tensordot([[1.0]], [[2.0]], 1)",
    "tf.tensordot(d, y, 1)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    (
        "tf.matmul(m, m, transpose_a=True, adjoint_a=True)",
        "Only one of `transpose_a` and `adjoint_a` can be True.",
    ),
    ("tf.tensordot(m, m, 3)", "`axes` must not be larger than the number of dimensions of tensor"),
    ("tf.tensordot(m, m, -1)", "`axes` must be at least 0. Received: -1."),
    ("tf.tensordot(m, m, [[0], [1]])", "Dimensions must be equal, but are 2 and 3"),
    (
        "tf.tensordot(m, m, [[0, 1], [0]])",
        "Different number of contraction axes `a` and `b`, 2 != 1.",
    ),
    ("tf.tensordot(m, m, [0])", "`axes` must be an integer or have length 2. Received [0]."),
    ("tf.tensordot(m, m, [[2], [0]])", None),
    ("tf.tensordot(u, m, 1)", None),
    ("tf.tensordot(m, m, tf.placeholder(tf.int32, [2, 1]))", None),
]
