"""What tests/ops/control/test_functional.py asks TensorFlow (tools/tf_reference.py):
tf.map_fn, tf.scan, tf.foldl, tf.foldr, tf.case, tf.switch_case and tf.tuple's graphs, names,
shapes and errors."""

SETUP = {
    "x": ("float32", [4, 3]),
    "y": ("float32", [4, 2]),
    "u": ("float32", [None, 3]),
    "s": ("float32", []),
    "k": ("int32", []),
    "p": ("bool", []),
    "q": ("bool", []),
}

MAPS = [
    "tf.map_fn(lambda e: e * 2.0, x)",
    "tf.map_fn(lambda e: e * 2.0, x, name='doubled')",
    "tf.map_fn(lambda e: tf.reduce_sum(e), u)",
    "tf.map_fn(lambda e: e[:2], x)",
    "tf.map_fn(lambda t: t[0][:2] * t[1], (x, y), dtype=tf.float32)",
    "tf.map_fn(lambda e: (tf.reduce_sum(e), tf.argmax(e, output_type=tf.int32)), x, dtype=(tf.float32, tf.int32))",
    "tf.map_fn(lambda d: {'a': d['a'] * 2.0, 'b': d['b']}, {'a': x, 'b': y})['a']",
    "tf.map_fn(lambda e: tf.cast(e, tf.int32), x, dtype=tf.int32)",
    "tf.map_fn(lambda e: tf.shape(e), x, fn_output_signature=tf.int32)",
    "tf.map_fn(lambda e: tf.concat([e, e], 0), x, infer_shape=False)",
    "tf.map_fn(lambda e: e + 1, np.arange(6).reshape(3, 2))",
    "tf.map_fn(lambda e: e * tf.ones([3]), x)",
    "tf.map_fn(lambda r: tf.map_fn(lambda e: e * 2.0, r), x)",
    "tf.map_fn(lambda e: tf.cond(e[0] > 0.0, lambda: e, lambda: -e), x)",
    "(tf.map_fn(lambda e: e, x, parallel_iterations=3, back_prop=False, swap_memory=True), tf.get_default_graph().get_operation_by_name('map/while/Enter').outputs[0])[1]",
    "tf.map_fn(lambda e: tf.cast(e, tf.int32), x)",
]

SCANS = [
    "tf.scan(lambda a, e: a + e, x)",
    "tf.scan(lambda a, e: a + e, x, reverse=True)",
    "tf.scan(lambda a, e: a - e, x, name='diffs')",
    "tf.scan(lambda a, e: a + tf.reduce_sum(e), x, initializer=0.0)",
    "tf.scan(lambda a, e: a + tf.reduce_sum(e), x, initializer=s, reverse=True)",
    "tf.scan(lambda a, e: (a[1], a[0] + a[1]), tf.constant([1, 0, 0, 0, 0, 0]), initializer=(0, 1))",
    "tf.scan(lambda a, e: a + e[0] * tf.reduce_sum(e[1]), (x, y), initializer=tf.zeros([3]))",
    "tf.scan(lambda a, e: a * e, u)",
    "tf.scan(lambda a, e: a + e, u, reverse=True)",
    "tf.scan(lambda a, e: a + e, u, initializer=tf.zeros([3]), reverse=True)",
    "tf.scan(lambda a, e: a + e, x, infer_shape=False)",
    "tf.scan(lambda a, e: {'m': tf.maximum(a['m'], e), 'c': a['c'] + 1}, x, initializer={'m': tf.zeros([3]), 'c': 0})['c']",
    "tf.scan(lambda a, e: a + e, np.arange(6.0).reshape(3, 2))",
]

FOLDS = [
    "tf.foldl(lambda a, e: a + e, x)",
    "tf.foldl(lambda a, e: a + tf.reduce_sum(e), x, initializer=0.0)",
    "tf.foldr(lambda a, e: a + e, x)",
    "tf.foldr(lambda a, e: a * 2.0 + e, x, initializer=tf.zeros([3]))",
    "tf.foldl(lambda a, e: a + e, u)",
    "tf.foldr(lambda a, e: a + e, u)",
    "tf.foldr(lambda a, e: a + e, u, initializer=tf.zeros([3]))",
    "tf.foldl(lambda a, e: a + e[0] * e[1], (x, x), initializer=tf.zeros([3]), name='dot')",
    "tf.foldr(lambda a, e: (a[0] + e, a[1] * 2.0), x, initializer=(tf.zeros([3]), s))",
    "tf.foldl(lambda a, e: a + e, np.array([1, 2, 3]))",
    "tf.foldl(lambda a, e: a + e['v'], {'v': x}, initializer=tf.zeros([3]), back_prop=False)",
]

CASES = [
    "tf.case([(p, lambda: s + 1.0), (q, lambda: s * 2.0)], default=lambda: s)",
    "tf.case([(p, lambda: s + 1.0), (q, lambda: s * 2.0)])",
    "tf.case([(p, lambda: s + 1.0), (q, lambda: s * 2.0)], default=lambda: s, exclusive=True)",
    "tf.case([(p, lambda: s + 1.0), (q, lambda: s * 2.0)], exclusive=True)",
    "tf.case([(p, lambda: s + 1.0), (q, lambda: s * 2.0), (k > 0, lambda: s)], exclusive=True, name='pick')",
    "tf.case([(p, lambda: s + 1.0)], default=lambda: s)",
    "tf.case([(p, lambda: s + 1.0)])",
    "tf.case({q: lambda: s + 1.0, p: lambda: s - 1.0}, default=lambda: s, exclusive=True)",
    "tf.case([(p, lambda: [s, s * 2.0]), (q, lambda: [s * 3.0, s])], default=lambda: [s, s])",
    "tf.case([(p, lambda: [s]), (q, lambda: [s * 3.0])], default=lambda: [s], strict=True)",
    "tf.case([(k < 0, lambda: -1), (tf.equal(k, 0), lambda: 0)], default=lambda: 1)",
    "tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.case([(i < 1, lambda: h + 1.0)], default=lambda: h * 2.0)), [0, s])",
]

# TF builds one StatelessCase op with a function per branch; the tests check only what the
# result is (dtype, shape) and the errors.
SWITCH_CASES = [
    "tf.switch_case(k, [lambda: s + 1.0, lambda: s * 2.0])",
    "tf.switch_case(k, {0: lambda: s, 1: lambda: s * 3.0}, default=lambda: -s)",
    "tf.switch_case(k, [(1, lambda: x * 2.0), (0, lambda: x)])",
    "tf.switch_case(k, [lambda: u, lambda: u * 2.0])",
    "tf.switch_case(k, [lambda: (s, x), lambda: (s + 1.0, x * 2.0)], name='sw')",
    "tf.switch_case(k, [lambda: [x]])",
]

TUPLES = [
    "tf.tuple([x, x * 2.0])",
    "tf.tuple([x, None, s], name='t')[2]",
    "tf.tuple([x], control_inputs=[tf.no_op(name='c')])",
    "tf.tuple([tf.no_op(name='a'), s])[0]",
    "tf.tuple([1.0, s])",
    "tf.while_loop(lambda i, h: i < 3, lambda i, h: tf.tuple([i + 1, h * 2.0]), [0, s])",
    "tf.while_loop(lambda i: i < 3, lambda i: tf.tuple([i + 1], control_inputs=[tf.group(tf.no_op())]), [0])",
    "tf.map_fn(lambda e: tf.tuple([e * 2.0], control_inputs=[tf.Assert(tf.reduce_all(e > -100.0), [e])])[0], x)",
]

ERRORS = [
    ("tf.map_fn(lambda e: e, [])", "elems must be a Tensor or (possibly nested) sequence of Tensors. Got [], which does not contain any Tensors."),
    ("tf.map_fn(lambda e: e, s)", "Elements in elems must be 1+ dimensional Tensors, not scalars"),
    ("tf.map_fn(lambda e: e * 2, [[1, 2], [3, 4]])", "Elements in elems must be 1+ dimensional Tensors, not scalars"),
    ("tf.map_fn(lambda e: e[0], (x, tf.zeros([3, 3])))", "Dimensions 4 and 3 are not compatible"),
    ("tf.map_fn(lambda e: (e, e), x)", "The two structures don't have the same nested structure."),
    ("tf.map_fn(lambda e: e, x, dtype=(tf.float32, tf.float32))", "The two structures don't have the same nested structure."),
    ("tf.map_fn(lambda e: [e, e], x, dtype=(tf.float32, tf.float32))", "The two structures don't have the same nested structure."),
    ("tf.map_fn(1, x)", None),
    ("tf.scan(lambda a, e: a + e, s)", None),
    ("tf.scan(lambda a, e: (a, a), x)", "The two structures don't have the same nested structure."),
    ("tf.scan(lambda a, e: a + e[0], (x, tf.zeros([3, 3])), initializer=tf.zeros([3]))", "Dimensions 4 and 3 are not compatible"),
    ("tf.scan(lambda a, e: tf.concat([a, e], 0), x, initializer=tf.zeros([0]), infer_shape=False)", "has shape (3,) after one iteration."),
    ("tf.foldl(lambda a, e: a + e, s)", None),
    ("tf.foldl(lambda a, e: a + e, x, initializer=0)", "Input 'y' of 'AddV2' Op has type float32 that does not match type int32 of argument 'x'."),
    ("tf.case([])", None),
    ("tf.case(p)", "'pred_fn_pairs' must be a list, tuple, or dict. Received: <class"),
    ("tf.case([(p, 1)])", "fn for pred p:0 must be callable."),
    ("tf.case([(s, lambda: s)])", "pred must be Tensor of type bool: s:0"),
    ("tf.case([(True, lambda: s)])", "pred must be a Tensor, got: True"),
    ("tf.case([[p, lambda: s]])", "Each entry in 'pred_fn_pairs' must be a 2-tuple."),
    ("tf.case([(p, lambda: s), (q, lambda: k)], default=lambda: s)", "Outputs of 'true_fn' and 'false_fn' must have the same type(s). Received int32 from 'true_fn' and float32 from 'false_fn'."),
    ("tf.switch_case(k, [])", "Must provide at least one item in 'branch_fns'"),
    ("tf.switch_case(s, [lambda: s])", "'branch_index' must be an integer Tensor, got"),
    ("tf.switch_case(1, [lambda: s])", "'branch_index' must be a Tensor, got <class 'int'>"),
    ("tf.switch_case(k, {0: lambda: s, 2: lambda: s})", "branch indices (keys) must form contiguous range of [0 to 2) but found {0,2}"),
    ("tf.switch_case(k, [(0, lambda: s), (1, 2)])", "fn for key 1 must be callable."),
    ("tf.switch_case(k, [(0.0, lambda: s)])", "key must be a Python `int`, got <class 'float'>"),
    ("tf.switch_case(k, [lambda: s, lambda: k])", "must have the same number, type, and overall structure of return values."),
    ("tf.tuple([])", "'tensors' must have at least one Tensor. Received: []."),
    ("tf.tuple([None])", "'tensors' must have at least one Tensor. Received: [None]."),
    ("tf.tuple([s], control_inputs=[1])", "'control_inputs' must only contain Operation or Tensor. Received: <class 'int'>"),
]
