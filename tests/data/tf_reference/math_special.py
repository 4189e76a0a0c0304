"""What tests/ops/math/test_special_functions.py asks TensorFlow (tools/tf_reference.py): the
graphs, static shapes, errors and gradient graphs of tf.math.special's functions."""

SETUP = {
    "x": ("float32", [2, 3]),
    "u": ("float64", [None, 3]),
    "h": ("float16", None),
    "i": ("int32", [2]),
}

BUILDS = [
    "tf.math.special.bessel_j0(x)",
    "tf.math.special.bessel_j1(u, name='j')",
    "tf.math.special.bessel_y0(h)",
    "tf.math.special.bessel_y1(x)",
    "tf.math.special.bessel_k0(x)",
    "tf.math.special.bessel_k0e(x)",
    "tf.math.special.bessel_k1(x)",
    "tf.math.special.bessel_k1e(x)",
    "tf.math.special.dawsn(x)",
    "tf.math.special.expint([1.0, 2.0])",
    "tf.math.special.fresnel_cos(x)",
    "tf.math.special.fresnel_sin(x)",
    "tf.math.special.spence(x)",
    "tf.math.special.bessel_i0(x)",
    "tf.math.special.bessel_i1e(x)",
]

GRADIENTS = [
    "tf.gradients(tf.math.special.bessel_j0(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_j1(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_y0(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_y1(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_k0(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_k0e(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_k1(x), x)[0]",
    "tf.gradients(tf.math.special.bessel_k1e(x), x)[0]",
    "tf.gradients(tf.math.special.dawsn(x), x)[0]",
    "tf.gradients(tf.math.special.expint(x), x)[0]",
    "tf.gradients(tf.math.special.fresnel_cos(x), x)[0]",
    "tf.gradients(tf.math.special.fresnel_sin(x), x)[0]",
    "tf.gradients(tf.math.special.spence(x), x)[0]",
]

ERRORS = [
    (
        "tf.math.special.bessel_j0(i)",
        "not in list of allowed values: bfloat16, float16, float32, float64",
    ),
    ("tf.math.special.spence(tf.constant([1j]))", "not in list of allowed values"),
]
