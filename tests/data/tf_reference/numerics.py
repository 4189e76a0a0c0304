"""What tests/ops/control/test_numerics.py asks TensorFlow (tools/tf_reference.py): the graphs
of tf.check_numerics, tf.verify_tensor_all_finite, tf.add_check_numerics_ops and the gradient
of CheckNumerics."""

SETUP = {
    "x": ("float32", [3]),
    "d": ("float64", [2, 2]),
    "i": ("int32", [3]),
}

# Expressions that build (the ops each adds, its result's names, dtype and static shape).
EXPRESSIONS = [
    "tf.check_numerics(x, 'bad x')",
    "tf.check_numerics(d, 'd', name='chk')",
    "tf.debugging.check_numerics([1.0, 2.0], 'c')",
    "tf.verify_tensor_all_finite(x, 'msg')",
    "tf.verify_tensor_all_finite(x=d, message='msg', name='vv')",
    "tf.debugging.assert_all_finite(x, 'msg')",
    "tf.gradients(tf.check_numerics(x * 2.0, 'twice x'), x)",
    "tf.add_check_numerics_ops()",
    "[tf.log(x), tf.add_check_numerics_ops()][1]",
    "[tf.cond(x[0] > 0, lambda: tf.constant(1), lambda: tf.constant(2)), "
    "tf.add_check_numerics_ops()][1]",
    "[tf.cast(tf.while_loop(lambda k: k < 3, lambda k: k + 1, [0]), tf.float32), "
    "tf.add_check_numerics_ops()][1]",
]

# Expressions TF rejects, with the part of its message the test matches.
ERRORS = [
    (
        "tf.check_numerics(i, 'm')",
        "Value passed to parameter 'tensor' has DataType int32 not in list of allowed values: "
        "bfloat16, float16, float32, float64",
    ),
    (
        "[tf.cond(x[0] > 0, lambda: x * 2.0, lambda: x), tf.add_check_numerics_ops()]",
        "`tf.add_check_numerics_ops() is not compatible with TensorFlow control flow operations "
        "such as `tf.cond()` or `tf.while_loop()`.",
    ),
    (
        "[tf.assert_equal(x, x + 1.0), tf.add_check_numerics_ops()]",
        "is not compatible with TensorFlow control flow operations",
    ),
    (
        "[tf.while_loop(lambda v: v < 3.0, lambda v: v + 1.0, [0.0]), tf.add_check_numerics_ops()]",
        "is not compatible with TensorFlow control flow operations",
    ),
]
