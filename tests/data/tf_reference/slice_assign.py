"""What tests/ops/state/test_slice_assign.py asks TensorFlow (tools/tf_reference.py): the
graphs of sliced assignments to variables (``v[1:3].assign(x)``) and their errors."""

SETUP = {"a": ("float32", [2, 3])}

BUILDS = [
    "tf.Variable([1.0, 2.0, 3.0, 4.0], name='v')[1:3].assign([7.0, 8.0])",
    "tf.Variable([[1, 2], [3, 4]], name='w')[:, 0].assign([9, 8], name='col')",
    "tf.Variable(tf.zeros([2, 3]), name='z')[..., tf.newaxis, 1:].assign(a[:, None, 1:])",
]

ERRORS = [
    ("a[0:1].assign([3.0])", "object has no attribute 'assign'"),
]
