"""What tests/ops/state/test_scatter_nd.py and tests/ops/array/test_tensor_scatter.py ask
TensorFlow (tools/tf_reference.py): scatter_nd_update/add/sub on variables and
tensor_scatter_nd_update/add/sub on tensors, their ops, names, shapes and errors."""

SETUP = {
    "x": ("float32", [4, 3]),
    "u": ("float32", [None, 3]),
    "i": ("int32", [2, 1]),
    "j": ("int64", [2, 2]),
    "r": ("float32", [2, 3]),
    "q": ("float32", [2]),
}

VARIABLES = [
    "tf.scatter_nd_update(tf.Variable(tf.zeros([4, 3]), name='v'), i, r)",
    "tf.scatter_nd_add(tf.Variable(tf.zeros([4, 3]), name='v'), i, r)",
    "tf.scatter_nd_sub(tf.Variable(tf.zeros([4, 3]), name='v'), j, q)",
    "tf.scatter_nd_update(tf.Variable(tf.zeros([4, 3]), name='v'), [[0], [2]], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])",
    "tf.scatter_nd_add(tf.Variable(tf.zeros([4, 3]), name='v'), i, r, use_locking=True, name='op')",
    "tf.scatter_nd_update(tf.Variable(tf.zeros([4, 3]), name='v'), j, q, use_locking=False)",
    "tf.scatter_nd_sub(tf.Variable(tf.zeros([4, 3]), name='v')._ref(), i, r)",
    "tf.Variable(tf.zeros([4, 3]), name='v').scatter_nd_update(i, r)",
    "tf.Variable(tf.zeros([4, 3]), name='v').scatter_nd_add(i, r)",
    "tf.Variable(tf.zeros([4, 3]), name='v').scatter_nd_sub(i, r)",
]

TENSORS = [
    "tf.tensor_scatter_nd_update(x, i, r)",
    "tf.tensor_scatter_nd_add(x, i, r)",
    "tf.tensor_scatter_nd_sub(x, j, q)",
    "tf.tensor_scatter_update(x, i, r)",
    "tf.tensor_scatter_add(x, i, r)",
    "tf.tensor_scatter_sub(x, i, r)",
    "tf.tensor_scatter_nd_update(x, i, r, name='op')",
    "tf.tensor_scatter_nd_update(u, i, r)",
    "tf.tensor_scatter_nd_add(x, [[1]], [[1.0, 2.0, 3.0]])",
    "tf.tensor_scatter_nd_update([1.0, 2.0, 3.0], [[0], [2]], [5.0, 6.0])",
    "tf.tensor_scatter_nd_update(tf.placeholder(tf.float32), i, r)",
    "tf.tensor_scatter_nd_update(x, tf.placeholder(tf.int32), tf.placeholder(tf.float32))",
    "tf.tensor_scatter_nd_update(x, [[0, 1, 2]], [1.0])",
]

ERRORS = [
    ("tf.tensor_scatter_nd_update(x, i, q)", "Dimensions [1,2) of input[shape=[4,3]] = [3] must match dimensions [1,1) of updates[shape=[2]] = []"),
    ("tf.tensor_scatter_nd_update(x, i, tf.zeros([2, 3], tf.int32))", "Input 'updates' of 'TensorScatterUpdate' Op has type int32 that does not match type float32 of argument 'tensor'."),
    ("tf.tensor_scatter_nd_update(x, [[0.5]], r)", "Value passed to parameter 'indices' has DataType float32 not in list of allowed values"),
    ("tf.scatter_nd_update(x, i, r)", "_lazy_read"),
    ("tf.scatter_nd_update(tf.Variable(tf.zeros([4, 3]), name='v'), i, q)", "Dimensions [1,2) of input[shape=[4,3]] = [3] must match dimensions [1,1) of updates[shape=[2]] = []"),
]

GRADIENTS = [
    "tf.gradients(tf.tensor_scatter_nd_update(x, i, r), [x, r])",
    "tf.gradients(tf.tensor_scatter_nd_add(x, i, r), [x, r])",
    "tf.gradients(tf.tensor_scatter_nd_sub(x, i, r), [x, r])",
]
