"""What tests/ops/control/test_while_loop.py asks TensorFlow (tools/tf_reference.py):
tf.while_loop's graphs, names, shapes and errors, and TensorArrays in and out of loops."""

SETUP = {
    "x": ("float32", [2, 3]),
    "u": ("float32", [None, 3]),
    "s": ("float32", []),
    "n": ("int32", []),
    "seq": ("float32", [4, 2, 3]),
}

# Loops that build: the ops each adds, its results' names, dtypes and static shapes.
LOOPS = [
    "tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * 2.0), [0, x])",
    "tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * 2.0), [0, x], name='rec')",
    "tf.while_loop(lambda i: i < n, lambda i: i + 1, [0])",
    "tf.while_loop(lambda i: i < n, lambda i: i + 1, (0,))",
    "tf.while_loop(lambda i: i < n, lambda i: i + 1, [0], return_same_structure=True)",
    "tf.while_loop(lambda i: i < 10, lambda i: i + 2, [tf.constant(0)], maximum_iterations=3)",
    "tf.while_loop(lambda i, h: i < 9, lambda i, h: (i + 1, h + s), (0, s), maximum_iterations=n)",
    "tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h * x)), [0, x])",
    "tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h) + tf.reduce_sum(x)), (0, s))",
    "tf.while_loop(lambda d: d['a'] < 3, lambda d: [{'a': d['a'] + 1, 'b': d['b'] * 2.0}], [{'a': 0, 'b': s}])[0]['b']",
    "tf.while_loop(lambda p: p[0] < 3, lambda p: [(p[0] + 1, p[1])], [(0, x)])[0][1]",
    "tf.while_loop(lambda h: tf.size(h) < 5, lambda h: tf.concat([h, h], 0), [tf.constant([1.0])], shape_invariants=[tf.TensorShape([None])])",
    "tf.while_loop(lambda h: h[0, 0] < 5.0, lambda h: h * 2.0, [u])",
    "tf.while_loop(lambda i, t: i < 2, lambda i, t: (i + 1, tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a + 1.0), [0, t])[1]), [0, s])",
    "tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, tf.cond(i < 2, lambda: t + 1.0, lambda: t * 2.0)), [0, s])",
    "tf.cond(s > 0, lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0]), lambda: tf.constant(7))",
    "tf.while_loop(lambda i, ta: i < 4, lambda i, ta: (i + 1, ta.write(i, tf.ones([2]) * tf.cast(i, tf.float32))), [0, tf.TensorArray(tf.float32, 4)])[1].stack()",
    "(lambda seq_ta: tf.while_loop(lambda t, h, o: t < 4, lambda t, h, o: (t + 1, tf.tanh(h + seq_ta.read(t)), o.write(t, h)), [0, tf.zeros([2, 3]), tf.TensorArray(tf.float32, 4)], name='rnn')[2].stack())(tf.TensorArray(tf.float32, 4).unstack(seq))",
    "tf.TensorArray(tf.float32, size=3).unstack(x).flow",
    "tf.TensorArray(tf.float32, size=5).unstack(tf.zeros([5, 3])).read(2)",
    "tf.TensorArray(tf.float32, size=2).write(1, x).stack()",
    "tf.TensorArray(tf.float32, size=2).write(0, x).gather([0, 1])",
    "tf.TensorArray(tf.float32, size=2).write(0, x).concat()",
    "tf.TensorArray(tf.float32, size=3).split(tf.zeros([6, 3]), [2, 2, 2]).read(1)",
    "tf.TensorArray(tf.float32, size=3, element_shape=[2], name='foo').handle",
    "tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, s).size()",
    "tf.TensorArray(tf.float32, size=3).size()",
    "tf.TensorArray(tf.float32, size=3).close()",
    "tf.TensorArray(tf.float32, size=n).write(0, s).stack()",
]

# Loops TF refuses while building.
ERRORS = [
    ("tf.while_loop(lambda h: tf.size(h) < 5, lambda h: tf.concat([h, h], 0), [tf.constant([1.0])])", "enters the loop with shape (1,), but has shape (2,) after one iteration. To allow the shape to vary across iterations, use the `shape_invariants` argument of tf.while_loop to specify a less-specific shape."),
    ("tf.while_loop(lambda h: h < 5.0, lambda h: h + 1.0, [tf.constant([1.0])], shape_invariants=[tf.TensorShape([2])])", "is not compatible with the initial shape of the loop variable. It enters the loop with shape (1,), but the specified shape invariant is (2,)."),
    ("tf.while_loop(lambda a, b: a < 5.0, lambda a, b: (a + 1.0,), [s, s])", "The two structures don't have the same nested structure."),
    ("tf.while_loop(lambda h: h, lambda h: h + 1.0, [s])", "Input 'input' of 'LoopCond' Op has type float32 that does not match expected type of bool."),
    ("tf.while_loop(lambda h: h < 5.0, lambda h: h + 1.0, [x])", "Shape must be rank 0 but is rank 2"),
    ("tf.while_loop(lambda: True, lambda: [], [])", "'loop_vars' must be provided."),
    ("tf.while_loop(1, lambda h: h, [s])", "'cond' must be callable."),
    ("tf.while_loop(lambda h: h < 1.0, 1, [s])", "'body' must be callable."),
    ("tf.while_loop(lambda h: h < 1.0, lambda h: None, [s])", "None values not supported."),
    ("tf.while_loop(lambda h: h < 1.0, lambda h: h, [s], maximum_iterations=tf.constant([1, 2]))", "'maximum_iterations' must be a scalar. Received shape: (2,)"),
    ("tf.while_loop(lambda h: h < 1.0, lambda h: h, [s], parallel_iterations=0)", "'parallel_iterations' must be a positive integer."),
    ("tf.TensorArray(tf.float32, size=3).write(0, [1.0, 2.0]).write(1, [1.0])", "Inconsistent shapes: saw (1,) but expected (2,)"),
    ("tf.TensorArray(tf.float32)", "Argument `size` must be provided if handle is not provided."),
    ("tf.TensorArray(tf.float32, handle=x)", "flow must not be None if handle is not None."),
]
