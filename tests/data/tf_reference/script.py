"""What tests/ops/control/test_script.py asks TensorFlow (tools/tf_reference.py): the ops of
tf.py_func, tf.numpy_function and tf.py_function."""

SETUP = {
    "x": ("float32", [3]),
    "i": ("int32", [2]),
    "s": ("string", []),
}

# Expressions that build (the ops each adds, its results' names, dtypes and static shapes).
EXPRESSIONS = [
    "tf.py_func(lambda a: a, [x], tf.float32)",
    "tf.py_func(lambda a, b: (a, 1), [x, 2.0], [tf.float32, tf.int64], stateful=False, name='f')",
    "tf.py_func(lambda: None, [], [])",
    "tf.py_func(lambda a: a, (i,), (tf.int32,))",
    "tf.numpy_function(lambda a: a, [x], tf.float32)",
    "tf.numpy_function(lambda a, b: a, [i, s], [tf.int32], stateful=False)",
    "tf.py_function(lambda a, b: a, [x, 1], tf.float32)",
    "tf.py_function(lambda a: (a, b'x'), [x], [tf.float32, tf.string], name='g')",
    "tf.py_function(lambda: None, [], [])",
]

# Expressions TF rejects, with the part of its message the test matches.
ERRORS = [
    ("tf.py_func(3, [x], tf.float32)", "Expected func to be callable. Received func=3 of type"),
    ("tf.py_function(3, [x], tf.float32)", "Expected func to be callable. Received func=3 of type"),
]
