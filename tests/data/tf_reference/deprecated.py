"""What tests/ops/math/test_deprecated.py asks TensorFlow (tools/tf_reference.py): TF1's
deprecated aliases (tf.to_float..., tf.div, tf.arg_max/arg_min), their op names and types."""

SETUP = {
    "x": ("float32", [2, 3]),
    "i": ("int32", [2, 3]),
    "u": ("uint8", [3]),
    "c": ("complex64", [2]),
}

ALIASES = [
    "tf.to_float(i)",
    "tf.to_float(x)",
    "tf.to_float(i, name='f')",
    "tf.to_double(x)",
    "tf.to_int32(x)",
    "tf.to_int32(i)",
    "tf.to_int64(x)",
    "tf.to_int64(u, name='wide')",
    "tf.to_bfloat16(x)",
    "tf.to_complex64(x)",
    "tf.to_complex128(x)",
    "tf.div(i, i)",
    "tf.div(x, 2.0)",
    "tf.div(x, x, name='q')",
    "tf.div(u, u)",
    "tf.div(c, c)",
    "tf.div(7, 2)",
    "tf.div(i, 2)",
    "tf.arg_max(x, 1)",
    "tf.arg_min(i, 0, output_type=tf.int32)",
    "tf.arg_max(x, 0, name='best')",
    "tf.initialize_all_variables()",
    "tf.initialize_local_variables()",
    "tf.initialize_variables([], name='none')",
]

ERRORS = [
    ("tf.div(x, i)", "Tensor conversion requested dtype float32 for Tensor with dtype int32"),
    ("tf.div(i, 2.5)", "Expected int32, but got 2.5 of type 'float'."),
]
