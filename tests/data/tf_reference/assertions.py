"""What tests/ops/control/test_assertions.py and test_checks.py ask TensorFlow
(tools/tf_reference.py): the graphs of tf.Assert and the tf.debugging assertions, and the
errors TF1 raises while building them when the values are known."""

SETUP = {
    "x": ("float32", [3]),
    "y": ("float32", [3]),
    "i": ("int32", [3]),
    "u": ("float32", None),
    "m": ("float32", [2, None]),
    "r": ("int32", []),
    "s": ("string", []),
}

# tf.Assert and the element-wise assertions: the ops each adds and the op it returns.
ASSERTS = [
    "tf.Assert(tf.reduce_all(x > 0), [x])",
    "tf.Assert(tf.reduce_all(i > 0), ['i must be positive', i])",
    "tf.Assert(True, ['always'])",
    "tf.Assert(r > 0, [s, r], summarize=2, name='check')",
    "tf.Assert(x[0] > 0, ['x:', x, 'y:', y], summarize=2, name='check')",
    "tf.assert_equal(x, y)",
    "tf.assert_equal(x, y, data=[x], summarize=2, message='m', name='eq')",
    "tf.assert_equal(x, x)",
    "tf.assert_equal(i, 1)",
    "tf.assert_equal(1, 1)",
    "tf.assert_equal(tf.constant([1, 2]), [1, 2])",
    "tf.assert_none_equal(x, y)",
    "tf.assert_less(x, y)",
    "tf.assert_less(i, 3, message='small')",
    "tf.assert_less(x, 0.5)",
    "tf.assert_less_equal(x, y)",
    "tf.assert_greater(x, y)",
    "tf.assert_greater_equal(x, y)",
    "tf.assert_negative(x)",
    "tf.assert_positive(i, message='pos')",
    "tf.assert_non_negative(x)",
    "tf.assert_non_positive(x)",
    "tf.assert_near(x, y)",
    "tf.assert_near(x, y, rtol=0.1, atol=0.01, message='near')",
    "tf.debugging.assert_equal(x, y)",
    "tf.debugging.Assert(r > 0, [r])",
]

# The rank, type and shape checks, and the boolean checks.
CHECKS = [
    "tf.assert_rank(x, 1)",
    "tf.assert_rank(u, 2)",
    "tf.assert_rank(u, 2, message='two', name='rk')",
    "tf.assert_rank(u, r)",
    "tf.assert_rank(m, 2)",
    "tf.assert_rank_at_least(x, 1)",
    "tf.assert_rank_at_least(u, 1)",
    "tf.assert_rank_in(x, [1, 2])",
    "tf.assert_rank_in(u, [1, 2])",
    "tf.assert_type(x, tf.float32)",
    "tf.assert_integer(i)",
    "tf.assert_scalar(r)",
    "tf.assert_scalar(tf.constant(1.0))",
    "tf.is_non_decreasing(x)",
    "tf.is_strictly_increasing(i)",
    "tf.is_non_decreasing(m)",
    "tf.debugging.is_strictly_increasing(x, name='inc')",
    "tf.math.is_non_decreasing(x)",
]

# Element-wise assertions that fail while building (the values are known then) or do not
# build, with the part of TF's message the test matches.
ASSERT_ERRORS = [
    (
        "tf.assert_equal(1, 2)",
        "Condition x == y did not hold element-wise:\nx (assert_equal_1/x:0)",
    ),
    (
        "tf.assert_less(tf.constant([1, 2]), tf.constant([1, 3]), message='ordered')",
        "ordered\nCondition x < y did not hold element-wise:\nx (Const:0) = \n[1 2]\n"
        "y (Const_1:0) = \n[1 3]",
    ),
    ("tf.assert_none_equal(tf.constant(2.5), 2.5)", "Condition x != y did not hold element-wise:"),
    (
        "tf.assert_negative(tf.constant([1.0, -1.0]))",
        "Condition x < 0 did not hold element-wise:\nx (Const:0) = \n[ 1. -1.]",
    ),
    (
        "tf.assert_non_positive(tf.constant([1, 0]), message='np')",
        "np.  \nCondition x <= 0 did not hold element-wise:x (Const:0) = \n[1 0]",
    ),
    (
        "tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 2, 3]))",
        "Dimensions must be equal, but are 2 and 3",
    ),
    ("tf.assert_equal(x, i)", "has type int32 that does not match type float32"),
    (
        "tf.assert_equal(x, 1)",
        "Input 'y' of 'Equal' Op has type int32 that does not match type float32",
    ),
    ("tf.assert_near(tf.constant([1, 2]), [1, 2])", "data type <class 'numpy.int32'> not inexact"),
    (
        "tf.Assert(tf.constant(True), [])",
        "Attr 'T' of 'Assert' Op passed list of length 0 less than minimum 1.",
    ),
    ("tf.Assert(x > 0, [x])", "Shape must be rank 0 but is rank 1"),
    (
        "tf.Assert(r, [r])",
        "Input 'condition' of 'Assert' Op has type int32 that does not match expected type of "
        "bool.",
    ),
]

# Rank, type and order checks that fail while building.
CHECK_ERRORS = [
    ("tf.assert_rank_in(x, [])", "Tensor x:0 must have rank in ().  Received rank 1, shape (3,)"),
    ("tf.assert_rank(x, 2)", "Tensor x:0 must have rank 2.  Received rank 1, shape (3,)"),
    (
        "tf.assert_rank(x, 2, message='need a matrix')",
        "need a matrix.  Tensor x:0 must have rank 2.  Received rank 1, shape (3,)",
    ),
    ("tf.assert_rank(x, [1])", "Rank must be a scalar."),
    ("tf.assert_rank(x, 1.0)", "must be of type tf.int32; got tf.float32"),
    (
        "tf.assert_rank_at_least(x, 2)",
        "Tensor x:0 must have rank at least 2.  Received rank 1, shape (3,)",
    ),
    (
        "tf.assert_rank_in(x, [0, 2])",
        "Tensor x:0 must have rank in (0, 2).  Received rank 1, shape (3,)",
    ),
    ("tf.assert_type(x, tf.int32)", "x:0 must be of type tf.int32; got tf.float32"),
    ("tf.assert_type(x, tf.int32, message='ints')", "ints.  x:0 must be of type tf.int32"),
    (
        "tf.assert_integer(x)",
        "Expected \"x\" to be integer type.  Found: x:0 of dtype <dtype: 'float32'>",
    ),
    ("tf.assert_scalar(x)", "Expected scalar shape for x:0, saw shape: (3,)."),
    (
        "tf.assert_scalar(u, message='one')",
        "one.  Expected scalar shape for u:0, saw shape: <unknown>.",
    ),
    (
        "tf.assert_same_float_dtype([x, i])",
        "i:0, type=<dtype: 'int32'>, must be of the same type (<dtype: 'float32'>) as x:0.",
    ),
    ("tf.assert_same_float_dtype([i])", "Expected floating point type, got <dtype: 'int32'>."),
    (
        "tf.assert_proper_iterable(x)",
        'Expected argument "values" to be a "proper" iterable.  Found: ',
    ),
    (
        "tf.assert_proper_iterable('abc')",
        'Expected argument "values" to be a "proper" iterable.  Found: <class \'str\'>',
    ),
    (
        "tf.assert_proper_iterable(3)",
        "Expected argument \"values\" to be iterable.  Found: <class 'int'>",
    ),
    ("tf.is_non_decreasing(s)", "Expected x to be numeric, instead found: "),
]
