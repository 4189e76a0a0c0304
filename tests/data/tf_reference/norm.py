"""What tests/ops/math/test_norm.py asks TensorFlow (tools/tf_reference.py): tf.norm's ops,
names and shapes for each ord/axis form, and the errors it raises."""

SETUP = {
    "x": ("float32", [3, 4]),
    "m": ("float32", [2, 3, 4]),
    "u": ("float32", [None, 4]),
    "c": ("complex64", [3]),
}

EXPRESSIONS = [
    "tf.norm(x)",
    "tf.norm(x, name='op')",
    "tf.norm(x, keepdims=True)",
    "tf.norm(x, keep_dims=True)",
    "tf.norm(x, axis=1)",
    "tf.norm(x, axis=-1, keepdims=True)",
    "tf.norm(x, ord=2, axis=0)",
    "tf.norm(x, ord=2.0)",
    "tf.norm(x, ord=1)",
    "tf.norm(x, ord=1, axis=1)",
    "tf.norm(x, ord=np.inf)",
    "tf.norm(x, ord=np.inf, axis=0, keepdims=True)",
    "tf.norm(x, ord=3)",
    "tf.norm(x, ord=0.5, axis=1)",
    "tf.norm(m, ord='fro', axis=[1, 2])",
    "tf.norm(m, ord='euclidean', axis=(-2, -1))",
    "tf.norm(m, ord='fro', axis=(1, 2), keepdims=True)",
    "tf.norm(m, ord=1, axis=[1, 2])",
    "tf.norm(m, ord=1, axis=[2, 1])",
    "tf.norm(m, ord=np.inf, axis=[1, 2])",
    "tf.norm(m, ord=np.inf, axis=(-1, 0), keepdims=True)",
    "tf.norm(u, axis=1)",
    "tf.norm(c)",
    "tf.norm([3.0, 4.0])",
    "tf.linalg.norm(x, axis=0)",
    "tf.norm(tf.placeholder(tf.float32), ord=1)",
]

ERRORS = [
    ("tf.norm(x, ord='fro')", "'ord' must be a supported vector norm, got fro"),
    ("tf.norm(x, ord=0)", "'ord' must be a supported vector norm, got 0"),
    ("tf.norm(x, ord=-1)", "'ord' must be a supported vector norm, got -1"),
    ("tf.norm(x, ord='nuc', axis=[0, 1])", "'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], got nuc"),
    ("tf.norm(x, ord=3, axis=[0, 1])", "'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], got 3"),
    ("tf.norm(x, axis=[0, 0])", "'axis' must be None, an integer, or a tuple of 2 unique integers, got (0, 0)"),
    ("tf.norm(x, axis=[0, 1, 2])", "'axis' must be None, an integer, or a tuple of 2 unique integers, got [0, 1, 2]"),
    ("tf.norm(x, axis=0.5)", "'axis' must be None, an integer, or a tuple of 2 unique integers, got 0.5"),
    ("tf.norm(x, axis=[0.0, 1])", "'axis' must be None, an integer, or a tuple of 2 unique integers, got (0.0, 1)"),
    ("tf.norm(x, keepdims=True, keep_dims=True)", "Cannot specify both 'keep_dims' and 'keepdims'."),
    ("tf.norm(x, axis=2)", "Invalid reduction dimension 2 for input with 2 dimensions."),
]

# The matrix 2-norm (largest singular value): TF builds map_fn/cond/setdiff1d around an Svd.
MATRIX_2 = [
    "tf.norm(m, ord=2, axis=[1, 2])",
    "tf.norm(m, ord=2, axis=[2, 0], keepdims=True)",
]

# The singular value decomposition itself.
SVD = [
    "tf.svd(x)",
    "tf.svd(x, compute_uv=False)",
    "tf.svd(m, full_matrices=True, name='op')",
    "tf.linalg.svd(u, compute_uv=False)",
    "tf.gradients(tf.svd(m, compute_uv=False), m)[0]",
]
