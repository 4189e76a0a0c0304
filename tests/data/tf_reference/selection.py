"""What tests/ops/math/test_selection.py asks TensorFlow (tools/tf_reference.py)."""

SETUP = {
    "x": ("float32", [2, None, 4]),
    "y": ("float32", [2, 3, 4]),
    "i": ("int32", [2, 3]),
    "b": ("bool", [2, 3]),
    "v": ("bool", [2]),
    "u": ("float32", None),
}

# Expressions that build (the ops each adds, its result op, dtype and static shape).
EXPRESSIONS = [
    "tf.where(b)",
    "tf.where(i)",
    "tf.where(u)",
    "tf.where([True, False])",
    "tf.where(b, i, i, name='s')",
    "tf.where(v, x, y)",
    "tf.where(v, u, u)",
    "tf.where(tf.placeholder(tf.bool, []), x, y)",
    "tf.where([True, False], [1, 2], [3, 4])",
    "tf.where(b, i, tf.zeros([2, 3], tf.int32))",
    "tf.where_v2(b, 1.0, x[:, :3, 0])",
    "tf.where_v2(x > 0, x, 1.0)",
    "tf.where_v2(v[:, None, None], y, 0.0)",
    "tf.where_v2(b)",
]

# Expressions TF rejects, with the part of its message the test matches (None where scopeflow
# differs: the test lists what it does instead).
ERRORS = [
    (
        "tf.where(b, i, x)",
        "Input 'e' of 'Select' Op has type float32 that does not match type int32 of argument 't'.",
    ),
    ("tf.where(b, i)", "x and y must both be non-None or both be None."),
    ("tf.where(b, None, i)", "x and y must both be non-None or both be None."),
    (
        "tf.where(i, i, i)",
        "Input 'condition' of 'Select' Op has type int32 that does not match expected "
        "type of bool.",
    ),
    ("tf.where(b, i, tf.placeholder(tf.int32, [3]))", "Shapes must be equal rank, but are 2 and 1"),
    (
        "tf.where(tf.placeholder(tf.bool, [3]), y, y)",
        "Dimension 0 in both shapes must be equal, but are 3 and 2. Shapes are [3] and [2].",
    ),
    (
        "tf.where(tf.placeholder(tf.bool, [2, 3, 1]), y, y)",
        "Dimension 2 in both shapes must be equal, but are 4 and 1. Shapes are [2,3,4] "
        "and [2,3,1].",
    ),
    ("tf.where(b, y, y)", "Shapes must be equal rank, but are 3 and 2"),
    ("tf.where_v2(b, y, 0.0)", "Dimensions must be equal, but are 2 and 3"),
    (
        "tf.where_v2(tf.placeholder(tf.bool, [5]), tf.placeholder(tf.float32, [4]), "
        "tf.placeholder(tf.float32, [3]))",
        "Dimensions must be equal, but are 4 and 3",
    ),
    ("tf.where(tf.placeholder(tf.string, [2]))", "DataType string not in list"),
]
