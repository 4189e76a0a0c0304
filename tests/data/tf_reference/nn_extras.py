"""What tests/ops/nn/test_extras.py asks TensorFlow (tools/tf_reference.py): tf.nn.xw_plus_b,
tf.nn.zero_fraction, tf.nn.local_response_normalization (tf.nn.lrn), tf.einsum and the
tf.broadcast_to its gradient uses."""

SETUP = {
    "x": ("float32", [2, 3]),
    "w": ("float32", [3, 4]),
    "b": ("float32", [4]),
    "u": ("float32", [None, 3]),
    "img": ("float32", [2, 5, 5, 6]),
    "m": ("float32", [2, 3, 4]),
    "n": ("float32", [2, 4, 5]),
    "i": ("int32", [3, 4]),
}

EXPRESSIONS = [
    "tf.nn.xw_plus_b(x, w, b)",
    "tf.nn.xw_plus_b(x, w, b, name='op')",
    "tf.nn.xw_plus_b(u, w, b)",
    "tf.nn.xw_plus_b([[1.0, 2.0, 3.0]], w, b)",
    "tf.nn.zero_fraction(x)",
    "tf.nn.zero_fraction(x, name='op')",
    "tf.nn.zero_fraction(i)",
    "tf.nn.zero_fraction(u)",
    "tf.math.zero_fraction(x)",
    "tf.nn.local_response_normalization(img)",
    "tf.nn.lrn(img, depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75, name='norm1')",
    "tf.nn.lrn(tf.placeholder(tf.float32))",
    "tf.gradients(tf.nn.lrn(img, 2), img)[0]",
    "tf.einsum('ij,jk->ik', x, w)",
    "tf.einsum('ij,jk->ik', x, w, name='op')",
    "tf.einsum('bij,bjk->bik', m, n)",
    "tf.einsum('ij->ji', x)",
    "tf.einsum('ij->', x)",
    "tf.einsum('ij,ij->i', x, x)",
    "tf.einsum('i,j->ij', b, b)",
    "tf.einsum('...ij,...jk->...ik', m, n)",
    "tf.einsum('ij,jk', x, w)",
    "tf.einsum('bij,jk->bik', m, tf.placeholder(tf.float32, [4, None]))",
    "tf.linalg.einsum('ii->i', tf.placeholder(tf.float32, [3, 3]))",
    "tf.gradients(tf.einsum('ij,jk->ik', x, w), [x, w])",
    "tf.gradients(tf.einsum('bij,bjk->bik', m, n), [m, n])",
    "tf.gradients(tf.einsum('ij->', x), x)[0]",
    "tf.gradients(tf.einsum('ij,jk->i', x, w), [x, w])",
    "tf.broadcast_to(b, [3, 4])",
    "tf.broadcast_to(b, [3, 4], name='op')",
    "tf.broadcast_to(u, tf.shape(u))",
    "tf.broadcast_to(1.0, [2, 2])",
    "tf.gradients(tf.broadcast_to(b, [3, 4]), b)[0]",
]

ERRORS = [
    ("tf.nn.lrn(x)", "Shape must be rank 4 but is rank 2"),
    ("tf.einsum('ij,jk->ik', x)", 'Got 1 inputs for equation "ij,jk->ik", expecting 2'),
    ("tf.einsum('ij,jk->ik', x, b)", "Shape must be rank 2 but is rank 1"),
    ("tf.einsum('ij,jk->ik', x, tf.cast(w, tf.float64))", "Tensors in list passed to 'inputs' of 'Einsum' Op have types [float32, float64] that don't all match."),
    ("tf.nn.xw_plus_b(x, b, b)", "Shape must be rank 2 but is rank 1"),
]
