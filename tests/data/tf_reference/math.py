"""What tests/ops/math/test_ops.py asks TensorFlow (tools/tf_reference.py): operators, mixed
Python values, casts, add_n, matmul, the tf.* functions, broadcasting, and what TF rejects."""

SETUP = {
    "a": ("float32", [2, 3]),
    "b": ("float32", [2, 3]),
    "c": ("float32", [3, 4]),
    "i": ("int32", [2, 3]),
    "j": ("int32", [3]),
    "p": ("bool", [2]),
    "q": ("bool", [2]),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "a + b",
    "a - b",
    "a * b",
    "a / b",
    "a // b",
    "a % b",
    "a ** b",
    "a @ c",
    "i + j",
    "i - j",
    "i * j",
    "i / j",
    "i // j",
    "i % j",
    "i ** j",
    "a + 1.0",
    "1.0 + a",
    "a - 1.0",
    "1.0 - a",
    "2.0 * a",
    "a / 2.0",
    "2.0 / a",
    "2.0 // a",
    "2.0 % a",
    "2.0 ** a",
    "a ** 2",
    "a + 1",
    "2 + i",
    "2 / i",
    "i + np.int64(1)",
    "a + np.float64(1.0)",
    "a + np.ones(3, np.float32)",
    "np.ones(3, np.float32) + a",
    "np.ones((4, 2), np.float32) @ a",
    "a + [1.0, 2.0, 3.0]",
    "-a",
    "-i",
    "abs(a)",
    "abs(i)",
    "~p",
    "~i",
    "p & q",
    "p | q",
    "p ^ q",
    "p & True",
    "True & p",
    "p ^ True",
    "True ^ p",
    "i & i",
    "i | j",
    "i ^ j",
    "a < b",
    "a <= b",
    "a > b",
    "a >= b",
    "a < 1.0",
    "1.0 < a",
    "i > 0",
    "tf.cast(i, tf.int8) / tf.cast(i, tf.int8)",
    "tf.cast(i, tf.int64) / tf.cast(j, tf.int64)",
    "tf.cast(i, tf.uint8) / 2",
    "tf.add(1.0, a)",
    "tf.equal(i, 1)",
    "tf.truediv(i, j)",
    "tf.divide(i, 2)",
    "tf.logical_and(p, q)",
    "tf.logical_and(p, q, name='op')",
    "tf.logical_and(p, True)",
    "tf.logical_or(p, q)",
    "tf.logical_or(p, q, name='op')",
    "tf.logical_or(p, True)",
    "tf.logical_xor(p, q)",
    "tf.logical_xor(p, q, name='op')",
    "tf.logical_xor(p, True)",
    "tf.logical_not(p)",
    "tf.logical_not(p, name='op')",
    "tf.abs(i)",
    "tf.negative(i)",
    "tf.square(i)",
    "tf.sign(i)",
    "tf.cast(a, tf.int32)",
    "tf.cast(a, tf.float32)",
    "tf.cast(a, tf.float32, name='op')",
    "tf.cast(1, tf.float32)",
    "tf.cast(a, tf.int64, name='op')",
    "tf.cast(p, tf.float32)",
    "tf.add_n([a, b, a])",
    "tf.add_n([a])",
    "tf.add_n([a], name='op')",
    "tf.add_n([a, b], name='op')",
    "tf.add_n([1.0, 2.0])",
    "tf.matmul(a, c)",
    "tf.matmul(a, a, transpose_b=True)",
    "tf.matmul(a, a, transpose_a=True)",
    "tf.matmul(c, a, transpose_a=True, transpose_b=True)",
    "tf.matmul(a, a, adjoint_b=True)",
    "tf.matmul(a, c, name='op')",
    "tf.matmul(a, [[1.0], [2.0], [3.0]])",
    "tf.linalg.matmul(a, c)",
    "tf.clip_by_value(a, 0.0, 1.0)",
    "tf.clip_by_value(i, 0, j, name='clip')",
    "tf.clip_by_value([1.0, 2.0], 0.0, 1.0)",
    "tf.div_no_nan(a, 2.0)",
    "tf.div_no_nan(i, j)",
    "tf.abs(tf.placeholder(tf.complex64, [2]))",
    "tf.is_finite(a)",
    "tf.is_inf(a, name='op')",
    "tf.is_nan(1.0)",
]

# Each binary function on two tensors, on a tensor and a Python float, and named.
BINARY_FUNCTIONS = [
    "[tf.add(a, b), tf.add(a, 1.0), tf.add(a, b, name='op')]",
    "[tf.subtract(a, b), tf.subtract(a, 1.0), tf.subtract(a, b, name='op')]",
    "[tf.multiply(a, b), tf.multiply(a, 1.0), tf.multiply(a, b, name='op')]",
    "[tf.realdiv(a, b), tf.realdiv(a, 1.0), tf.realdiv(a, b, name='op')]",
    "[tf.truediv(a, b), tf.truediv(a, 1.0), tf.truediv(a, b, name='op')]",
    "[tf.divide(a, b), tf.divide(a, 1.0), tf.divide(a, b, name='op')]",
    "[tf.floordiv(a, b), tf.floordiv(a, 1.0), tf.floordiv(a, b, name='op')]",
    "[tf.floormod(a, b), tf.floormod(a, 1.0), tf.floormod(a, b, name='op')]",
    "[tf.mod(a, b), tf.mod(a, 1.0), tf.mod(a, b, name='op')]",
    "[tf.pow(a, b), tf.pow(a, 1.0), tf.pow(a, b, name='op')]",
    "[tf.maximum(a, b), tf.maximum(a, 1.0), tf.maximum(a, b, name='op')]",
    "[tf.minimum(a, b), tf.minimum(a, 1.0), tf.minimum(a, b, name='op')]",
    (
        "[tf.squared_difference(a, b), tf.squared_difference(a, 1.0), "
        "tf.squared_difference(a, b, name='op')]"
    ),
    "[tf.less(a, b), tf.less(a, 1.0), tf.less(a, b, name='op')]",
    "[tf.less_equal(a, b), tf.less_equal(a, 1.0), tf.less_equal(a, b, name='op')]",
    "[tf.greater(a, b), tf.greater(a, 1.0), tf.greater(a, b, name='op')]",
    "[tf.greater_equal(a, b), tf.greater_equal(a, 1.0), tf.greater_equal(a, b, name='op')]",
    "[tf.equal(a, b), tf.equal(a, 1.0), tf.equal(a, b, name='op')]",
    "[tf.not_equal(a, b), tf.not_equal(a, 1.0), tf.not_equal(a, b, name='op')]",
]

# Each unary function on a tensor, named, and on a Python float.
UNARY_FUNCTIONS = [
    "[tf.negative(a), tf.negative(a, name='op'), tf.negative(1.0)]",
    "[tf.abs(a), tf.abs(a, name='op'), tf.abs(1.0)]",
    "[tf.sign(a), tf.sign(a, name='op'), tf.sign(1.0)]",
    "[tf.exp(a), tf.exp(a, name='op'), tf.exp(1.0)]",
    "[tf.log(a), tf.log(a, name='op'), tf.log(1.0)]",
    "[tf.log1p(a), tf.log1p(a, name='op'), tf.log1p(1.0)]",
    "[tf.sqrt(a), tf.sqrt(a, name='op'), tf.sqrt(1.0)]",
    "[tf.rsqrt(a), tf.rsqrt(a, name='op'), tf.rsqrt(1.0)]",
    "[tf.square(a), tf.square(a, name='op'), tf.square(1.0)]",
    "[tf.reciprocal(a), tf.reciprocal(a, name='op'), tf.reciprocal(1.0)]",
    "[tf.floor(a), tf.floor(a, name='op'), tf.floor(1.0)]",
    "[tf.ceil(a), tf.ceil(a, name='op'), tf.ceil(1.0)]",
    "[tf.round(a), tf.round(a, name='op'), tf.round(1.0)]",
    "[tf.sin(a), tf.sin(a, name='op'), tf.sin(1.0)]",
    "[tf.cos(a), tf.cos(a, name='op'), tf.cos(1.0)]",
    "[tf.tanh(a), tf.tanh(a, name='op'), tf.tanh(1.0)]",
    "[tf.sigmoid(a), tf.sigmoid(a, name='op'), tf.sigmoid(1.0)]",
    "[tf.nn.sigmoid(a), tf.nn.sigmoid(a, name='op'), tf.nn.sigmoid(1.0)]",
    "[tf.nn.tanh(a), tf.nn.tanh(a, name='op'), tf.nn.tanh(1.0)]",
]

# The static shape of a broadcasting sum.
BROADCASTS = [
    "tf.placeholder(tf.float32, [2, 3]) + tf.placeholder(tf.float32, [3])",
    "tf.placeholder(tf.float32, [2, 3]) + tf.placeholder(tf.float32, [None, 1, 3])",
    "tf.placeholder(tf.float32, [None, 3]) + tf.placeholder(tf.float32, [4, 1])",
    "tf.placeholder(tf.float32, [None, 1]) + tf.placeholder(tf.float32, [None, 5])",
    "tf.placeholder(tf.float32, [None, 1]) + tf.placeholder(tf.float32, [None, 1])",
    "tf.placeholder(tf.float32, [2, 1, 3]) + tf.placeholder(tf.float32, [4, 1])",
    "tf.placeholder(tf.float32, [1]) + tf.placeholder(tf.float32, [])",
    "tf.placeholder(tf.float32, None) + tf.placeholder(tf.float32, [2, 3])",
]

# tf.matmul: MatMul or BatchMatMulV2, its static shape and flags.
MATMULS = [
    "tf.matmul(tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [3, 4]))",
    (
        "tf.matmul(tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [2, "
        "3]), transpose_b=True)"
    ),
    (
        "tf.matmul(tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [2, "
        "3]), transpose_a=True)"
    ),
    (
        "tf.matmul(tf.placeholder(tf.float32, [3, 4]), tf.placeholder(tf.float32, [2, "
        "3]), transpose_a=True, transpose_b=True)"
    ),
    (
        "tf.matmul(tf.placeholder(tf.float32, [2, 3]), tf.placeholder(tf.float32, [2, "
        "3]), adjoint_b=True)"
    ),
    "tf.matmul(tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 4]))",
    "tf.matmul(tf.placeholder(tf.float32, [5, 2, 3]), tf.placeholder(tf.float32, [3, 4]))",
    (
        "tf.matmul(tf.placeholder(tf.float32, [3, 4]), tf.placeholder(tf.float32, [5, 2, "
        "3]), transpose_a=True, transpose_b=True)"
    ),
    "tf.matmul(tf.placeholder(tf.float32, [5, 1, 2, 3]), tf.placeholder(tf.float32, [7, 3, 4]))",
    (
        "tf.matmul(tf.placeholder(tf.float32, [None, 3, 2]), tf.placeholder(tf.float32, "
        "[3, None]), adjoint_a=True)"
    ),
    "tf.matmul(tf.placeholder(tf.float32, None), tf.placeholder(tf.float32, [3, 4]))",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    (
        "tf.add(a, i)",
        "Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument 'x'.",
    ),
    ("a + i", "Input 'y' of 'AddV2' Op has type int32 that does not match"),
    ("i + 1.5", "Input 'y' of 'AddV2' Op has type float32 that does not match"),
    ("a < 'x'", None),
    ("p + q", "Value passed to parameter 'x' has DataType bool not in list of allowed"),
    ("a / i", "`x` and `y` must have the same dtype, got tf.float32 != tf.int32."),
    ("p / q", "Invalid dtype tf.bool in __truediv__"),
    (
        "tf.sigmoid(i)",
        "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
        "bfloat16, float16, float32, float64, complex64, complex128",
    ),
    ("tf.exp(i)", "has DataType int32 not in list of allowed values"),
    ("tf.floor(i)", "has DataType int32 not in list of allowed values"),
    ("tf.abs(p)", "has DataType bool not in list of allowed values"),
    (
        "tf.logical_not(a)",
        "Input 'x' of 'LogicalNot' Op has type float32 that does not match expected type of bool.",
    ),
    (
        "tf.logical_and(a, b)",
        "Input 'x' of 'LogicalAnd' Op has type float32 that does not match expected type of bool.",
    ),
    ("~a", "Value passed to parameter 'x' has DataType float32 not in list"),
    ("a & b", "Value passed to parameter 'x' has DataType float32 not in list"),
    ("tf.placeholder(tf.float32, [3]) + tf.placeholder(tf.float32, [4])", None),
    ("tf.matmul(a, b)", None),
    (
        "tf.matmul(tf.placeholder(tf.float32, [3]), c)",
        "Shape must be rank 2 but is rank 1 for '{{node MatMul}}",
    ),
    (
        "tf.matmul(tf.placeholder(tf.float32, [5, 2, 3]), tf.placeholder(tf.float32, [4, 3, 4]))",
        "Dimensions must be equal, but are 5 and 4",
    ),
    (
        "tf.matmul(a, tf.placeholder(tf.float64, [3, 4]))",
        "Input 'b' of 'MatMul' Op has type float64 that does not match type float32",
    ),
    ("tf.matmul(p, p)", "Value passed to parameter 'a' has DataType bool"),
    (
        "tf.add_n([a, i])",
        "Tensors in list passed to 'inputs' of 'AddN' Op have types [float32, int32] "
        "that don't all match.",
    ),
    (
        "tf.add_n([a, c])",
        "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,4].",
    ),
    (
        "tf.clip_by_value(a, tf.placeholder(tf.float32, [5]), 1.0)",
        "Dimensions must be equal, but are 3 and 5",
    ),
    ("tf.clip_by_value(j, 0, i)", "Shapes (3,) and (2, 3) are incompatible"),
    (
        "tf.is_finite(i)",
        "Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
        "bfloat16, float16, float32, float64",
    ),
    ("tf.div_no_nan(p, p)", "Invalid dtype tf.bool in tf.math.divide_no_nan"),
    ("tf.conj(p)", "Expected numeric or variant tensor, got dtype tf.bool."),
    (
        "tf.add_n([])",
        "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype",
    ),
]
