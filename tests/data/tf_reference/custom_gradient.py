"""What tests/ops/control/test_custom_gradient.py asks TensorFlow (tools/tf_reference.py): the
graphs of tf.identity_n and tf.custom_gradient, and of gradients through them."""

SETUP = {
    "x": ("float32", [3]),
    "y": ("float32", [2]),
}

# Expressions that build (the ops each adds, its results' names, dtypes and static shapes).
EXPRESSIONS = [
    "tf.identity_n([x, y])",
    "tf.identity_n([x, 1.0], name='ids')",
    "tf.custom_gradient(lambda a: (tf.log(1.0 + tf.exp(a)), lambda dy: dy * tf.sigmoid(a)))(x)",
    "tf.custom_gradient(lambda a, b: ([a * 2.0, b], lambda da, db: (da * 2.0, db)))(x, y)",
    "tf.custom_gradient(lambda a: ({'k': a, 'j': 3.0}, lambda dk, dj: dk))(x)['k']",
    "tf.gradients(tf.custom_gradient(lambda a: (a * 2.0, lambda dy: dy * 3.0))(x), x)",
    "tf.gradients(tf.identity_n([x, x * 2.0]), x)",
    "[w := tf.get_variable('w', [3]), tf.gradients(tf.custom_gradient(lambda a: (a * w, "
    "lambda dy, variables: (dy * w, [dy * a])))(x), [x, w])][1]",
]

# Expressions TF rejects, with the part of its message the test matches.
ERRORS = [
    (
        "tf.custom_gradient(lambda a: (a, lambda dy: dy))(a=x)",
        "The custom_gradient decorator currently supports keywords arguments only when eager "
        "execution is enabled.",
    ),
    (
        "[w := tf.get_variable('w', [3]), tf.custom_gradient(lambda a: (a * w, lambda dy: dy))(x)]",
        "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function "
        "uses variables: [<tf.Variable 'w:0' shape=(3,) dtype=float32_ref>]",
    ),
]
