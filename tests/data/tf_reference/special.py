"""What tests/ops/math/test_special.py and tests/ops/random/test_gamma.py ask TensorFlow
(tools/tf_reference.py): the special functions, tf.random_gamma and tf.random_poisson."""

SETUP = {
    "a": ("float32", [2, 3]),
    "d": ("float64", [2, 3]),
    "h": ("float16", [2]),
    "c": ("float32", [4]),
    "i": ("int32", [2, 3]),
    "u": ("float32", [None, 3]),
    "s": ("int32", [2]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "tf.lgamma(a)",
    "tf.lgamma(h)",
    "tf.lgamma(3.0)",
    "tf.lgamma(d, name='lg')",
    "tf.math.lgamma(a)",
    "tf.digamma(a)",
    "tf.math.digamma(d)",
    "tf.erf(a)",
    "tf.math.erf(a)",
    "tf.erfc(d)",
    "tf.math.erfc(a)",
    "tf.math.erfinv(a)",
    "tf.math.erfinv(d, name='e')",
    "tf.math.ndtri(a)",
    "tf.math.bessel_i0e(a)",
    "tf.math.bessel_i1e(d)",
    "tf.math.bessel_i0(a)",
    "tf.math.bessel_i1(d, name='b')",
    "tf.igamma(a, a)",
    "tf.igamma(2.0, a)",
    "tf.math.igamma(a, 2.0)",
    "tf.igammac(d, d)",
    "tf.math.igammac(a, u)",
    "tf.betainc(a, a, a)",
    "tf.betainc(2.0, 3, a)",
    "tf.math.betainc(d, d, d)",
    "tf.polygamma(1.0, a)",
    "tf.math.polygamma(a, a)",
    "tf.zeta(a, a)",
    "tf.math.zeta(a, 2.0)",
    "tf.math.lbeta(a)",
    "tf.math.lbeta(u)",
    "tf.math.lbeta(d, name='x')",
    "tf.math.xlogy(a, a)",
    "tf.math.xlog1py(d, d)",
    "tf.math.xdivy(a, 2.0)",
    "tf.gradients(tf.lgamma(a), a)[0]",
    "tf.gradients(tf.digamma(a), a)[0]",
    "tf.gradients(tf.igamma(a, a), a)[0]",
    "tf.gradients(tf.betainc(a, a, a), a)[0]",
    "tf.random_gamma([4], a)",
    "tf.random_gamma([4], a, beta=2.0)",
    "tf.random_gamma([2], u)",
    "tf.random_gamma(s, a)",
    "tf.random_gamma([3], [1.0, 2.0], beta=[[1.0], [2.0]])",
    "tf.random_gamma([3], d, dtype=tf.float64, seed=4, name='g')",
    "tf.random.gamma([3], 2.0)",
    "tf.random_poisson(a, [5])",
    "tf.random_poisson(i, [3])",
    "tf.random_poisson(a, [3], dtype=tf.int64)",
    "tf.random_poisson(h, [3])",
    "tf.random_poisson(u, s)",
    "tf.random_poisson(d, [2], dtype=tf.float64, seed=3, name='p')",
    "tf.random.poisson(2.0, [3])",
    "tf.gradients(tf.random_gamma([4], a), a)[0]",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    (
        "tf.lgamma(i)",
        "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
        "bfloat16, float16, float32, float64",
    ),
    ("tf.digamma(i)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.lgamma(3)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.math.erfinv(i)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.math.bessel_i0e(i)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.math.bessel_i1(i)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.erf(i)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.math.lbeta(i)", "Value passed to parameter 'x' has DataType int32 not in list"),
    ("tf.math.lbeta(2.0)", "Invalid reduction dimension -1 for input with 0 dimensions"),
    (
        "tf.igamma(a, d)",
        "Input 'x' of 'Igamma' Op has type float64 that does not match type float32 of "
        "argument 'a'.",
    ),
    ("tf.igamma(2.0, d)", "Input 'x' of 'Igamma' Op has type float64 that does not match"),
    ("tf.igamma(a, c)", "Dimensions must be equal, but are 3 and 4"),
    ("tf.igamma(i, i)", "Value passed to parameter 'a' has DataType int32 not in list"),
    ("tf.betainc(a, a, c)", "Shapes must be equal rank, but are 2 and 1"),
    ("tf.betainc(a, a, d)", "Input 'x' of 'Betainc' Op has type float64 that does not match"),
    (
        "tf.polygamma(i, a)",
        "Value passed to parameter 'a' has DataType int32 not in list of allowed values: "
        "float32, float64",
    ),
    ("tf.zeta(a, c)", "Dimensions must be equal, but are 3 and 4"),
    ("tf.math.zeta(2.0, d)", "Input 'q' of 'Zeta' Op has type float64 that does not match"),
    ("tf.zeta(2, d)", "Value passed to parameter 'x' has DataType int32 not in list"),
    (
        "tf.math.xlogy(i, i)",
        "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
        "float16, bfloat16, float32, float64, complex64, complex128",
    ),
    (
        "tf.random_gamma([2], i)",
        "Tensor conversion requested dtype float32 for Tensor with dtype int32",
    ),
    ("tf.random_gamma([2], a, dtype=tf.float64)", "Tensor conversion requested dtype float64"),
    ("tf.random_gamma([2], a, beta=c)", "Dimensions must be equal, but are 3 and 4"),
    ("tf.random_gamma([2.0], a)", "Expected int32, but got 2.0 of type 'float'."),
    (
        "tf.random_poisson(a, [3], dtype=tf.bool)",
        "Value passed to parameter 'dtype' has DataType bool not in list of allowed values: "
        "float16, float32, float64, int32, int64",
    ),
]
