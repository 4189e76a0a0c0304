"""What tests/ops/array/test_quantization.py asks TensorFlow (tools/tf_reference.py): the
graphs, static shapes, errors and gradient graphs of tf.quantization's fake quantization and
quantize-dequantize functions."""

SETUP = {
    "x": ("float32", [2, 3]),
    "u": ("float32", [None, 3]),
    "r": ("float32", None),
    "d": ("float64", [2, 3]),
}

BUILDS = [
    "tf.quantization.fake_quant_with_min_max_args(x)",
    "tf.fake_quant_with_min_max_args(r, min=-1.0, max=2.5, num_bits=4, narrow_range=True)",
    "tf.quantization.fake_quant_with_min_max_args_gradient(x, u, name='g')",
    "tf.quantization.fake_quant_with_min_max_vars(u, -1.0, 1.0)",
    "tf.fake_quant_with_min_max_vars(x, x[0, 0], x[0, 1], num_bits=3, name='v')",
    "tf.quantization.fake_quant_with_min_max_vars_gradient(x, x, 0.0, 1.0)",
    "tf.quantization.fake_quant_with_min_max_vars_per_channel(u, [0.0] * 3, [1.0] * 3)",
    "tf.fake_quant_with_min_max_vars_per_channel(r, [0.0, 1.0], [1.0, 2.0])",
    "tf.quantization.fake_quant_with_min_max_vars_per_channel_gradient(x, u, x[0], x[1])",
    "tf.quantization.quantize_and_dequantize(x, -1.0, 1.0)",
    "tf.quantization.quantize_and_dequantize(d, -1.0, 1.0, signed_input=False, num_bits=4,"
    " range_given=True, round_mode='HALF_UP', name='q', narrow_range=True)",
    "tf.quantization.quantize_and_dequantize_v2(x, -1.0, 1.0)",
    "tf.quantization.quantize_and_dequantize_v2(u, [0.0, 0, 0], [1.0, 1, 1], axis=1)",
    "tf.quantization.quantize_and_dequantize_v2(x, [0.0, 0], [1.0, 1], axis=-2)",
]

GRADIENTS = [
    "tf.gradients(tf.quantization.fake_quant_with_min_max_args(x), x)[0]",
    "tf.gradients(tf.quantization.fake_quant_with_min_max_vars(x, x[0, 0], 1.0), x)",
    "tf.gradients(tf.quantization.fake_quant_with_min_max_vars_per_channel(u, x[0], x[1]), u)",
    "tf.gradients(tf.quantization.quantize_and_dequantize(x, -1.0, 1.0), x)[0]",
    "tf.gradients(tf.quantization.quantize_and_dequantize_v2(x, -1.0, 1.0), x)[0]",
    "tf.gradients(tf.quantization.quantize_and_dequantize_v2(u, x[0], x[1], axis=1), u)[0]",
]

ERRORS = [
    (
        "tf.quantization.fake_quant_with_min_max_args(d)",
        "Input 'inputs' of 'FakeQuantWithMinMaxArgs' Op has type float64 that does not match"
        " expected type of float32.",
    ),
    (
        "tf.quantization.fake_quant_with_min_max_vars(x, [0.0], [1.0])",
        "Shape must be rank 0 but is rank 1",
    ),
    (
        "tf.quantization.fake_quant_with_min_max_vars_per_channel(x, [0.0, 0], [1.0, 1])",
        "Dimensions must be equal, but are 3 and 2",
    ),
    (
        "tf.quantization.fake_quant_with_min_max_vars_per_channel(x[0, 0], [0.0], [1.0])",
        "Shape must be at least rank 1 but is rank 0",
    ),
    ("tf.quantization.quantize_and_dequantize_v2(x, [0.0], [1.0])", "Shape must be rank 0"),
    ("tf.quantization.quantize_and_dequantize_v2(x, 0.0, 1.0, axis=1)", "Shape must be rank 1"),
    (
        "tf.quantization.quantize_and_dequantize_v2(x, [0.0], [1.0], axis=1)",
        "Dimensions must be equal, but are 1 and 3",
    ),
    (
        "tf.quantization.quantize_and_dequantize_v2(x, [0.0], [1.0], axis=2)",
        "Shape must be at least rank 3 but is rank 2",
    ),
    (
        "tf.quantization.quantize_and_dequantize_v2(x, -1.0, 1.0, round_mode='UP')",
        "Attr 'round_mode' of 'QuantizeAndDequantizeV4' Op passed string 'UP' not in:"
        ' "HALF_TO_EVEN", "HALF_UP".',
    ),
    (
        "tf.quantization.quantize_and_dequantize_v2(r, 0.0, 1.0, axis=-1)",
        "input should have known rank to use negative axis.",
    ),
    (
        "tf.quantization.quantize_and_dequantize(tf.constant([1]), 0, 1)",
        "not in list of allowed values: bfloat16, float16, float32, float64",
    ),
]
