"""What tests/ops/math/test_math_extras.py asks TensorFlow (tools/tf_reference.py): the graphs,
static shapes, errors and gradient graphs of reduce_euclidean_norm, cumulative_logsumexp,
multiply_no_nan, nextafter, reciprocal_no_nan, erfcinv, polyval, scalar_mul, accumulate_n,
lbeta and invert_permutation."""

SETUP = {
    "x": ("float32", [2, 3]),
    "u": ("float64", [None, 3]),
    "r": ("float32", None),
    "i": ("int32", [2, 3]),
    "p": ("int32", [4]),
}

BUILDS = [
    "tf.math.reduce_euclidean_norm(x)",
    "tf.math.reduce_euclidean_norm(u, 1, keepdims=True, name='n')",
    "tf.math.reduce_euclidean_norm(i, [0, 1])",
    "tf.math.reduce_euclidean_norm(r, -1)",
    "tf.math.cumulative_logsumexp(x)",
    "tf.math.cumulative_logsumexp(x, axis=[0])",
    "tf.math.cumulative_logsumexp(u, axis=1, exclusive=True, reverse=True, name='c')",
    "tf.math.multiply_no_nan(x, x)",
    "tf.math.multiply_no_nan(u, 2.0, name='m')",
    "tf.math.nextafter(x, 0.0)",
    "tf.math.nextafter(u, u)",
    "tf.math.reciprocal_no_nan(x)",
    "tf.math.reciprocal_no_nan([1.0, 0.0], name='rn')",
    "tf.math.erfcinv(x)",
    "tf.math.polyval([1.0, 2.0, x], 3.0)",
    "tf.math.polyval([], x)",
    "tf.math.polyval([x], u[0], name='pv')",
    "tf.scalar_mul(2.0, x)",
    "tf.math.scalar_mul(tf.constant(3, tf.int32), i, name='sm')",
    "tf.math.accumulate_n([x, x, x])",
    "tf.accumulate_n([x], name='acc')",
    "tf.accumulate_n([x])",
    "tf.math.accumulate_n([u, u], shape=[2, 3])",
    "tf.lbeta(x)",
    "tf.math.invert_permutation(p)",
]

GRADIENTS = [
    "tf.gradients(tf.math.reduce_euclidean_norm(x), x)[0]",
    "tf.gradients(tf.math.reduce_euclidean_norm(x, 1, keepdims=True), x)[0]",
    "tf.gradients(tf.math.cumulative_logsumexp(x, axis=1), x)[0]",
    "tf.gradients(tf.math.multiply_no_nan(x, x), x)[0]",
    "tf.gradients(tf.math.multiply_no_nan(x, x[0]), x)[0]",
    "tf.gradients(tf.math.nextafter(x, x[0]), x)[0]",
    "tf.gradients(tf.math.reciprocal_no_nan(x), x)[0]",
    "tf.gradients(tf.math.erfcinv(x), x)[0]",
    "tf.gradients(tf.math.polyval([1.0, 2.0, 3.0], x), x)[0]",
    "str(tf.gradients(tf.math.invert_permutation(p), p))",
]

ERRORS = [
    (
        "tf.math.cumulative_logsumexp(i)",
        "not in list of allowed values: bfloat16, float16, float32, float64",
    ),
    (
        "tf.math.multiply_no_nan(i, i)",
        "not in list of allowed values: bfloat16, float16, float32, float64, complex64",
    ),
    (
        "tf.math.multiply_no_nan(x, u)",
        "Tensor conversion requested dtype float32 for Tensor with dtype float64",
    ),
    (
        "tf.math.nextafter(tf.zeros([2], tf.float16), tf.zeros([2], tf.float16))",
        "not in list of allowed values: float64, float32",
    ),
    (
        "tf.math.nextafter(x, u)",
        "has type float64 that does not match type float32 of argument 'x1'",
    ),
    ("tf.math.reduce_euclidean_norm(tf.constant([True]))", "not in list of allowed values"),
    ("tf.math.polyval(x, x)", "Argument coeffs must be list type"),
    ("tf.scalar_mul(x, x)", "The input scalar must be a 0-D value"),
    (
        "tf.math.accumulate_n([])",
        "inputs must be a list of at least one Tensor with the same dtype and shape",
    ),
    ("tf.math.accumulate_n([x, u])", "inputs must be a list of at least one Tensor"),
    ("tf.math.accumulate_n([x, x], shape=[3])", "are not compatible"),
    (
        "tf.math.accumulate_n([x, x], tensor_dtype=tf.float64)",
        "The `tensor_dtype` argument is <dtype: 'float64'>",
    ),
    ("tf.math.invert_permutation(x[0])", "not in list of allowed values: int32, int64"),
    ("tf.math.invert_permutation(i)", "Shape must be rank 1 but is rank 2"),
]
