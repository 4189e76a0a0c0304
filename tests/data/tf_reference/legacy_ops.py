"""What tests/ops/legacy/test_legacy_ops.py asks TensorFlow (tools/tf_reference.py): the
graphs, static shapes and errors of TF 1.x's op types built with tf.raw_ops."""

SETUP = {
    "a": ("float32", [2, 3]),
    "u": ("float32", [None, 3]),
    "i": ("int32", [2, 3]),
    "s": ("string", [2]),
    "x": ("float32", [1, 4, 4, 2]),
    "c": ("float32", [2]),
    "b": ("float32", [4, 4]),
}

BUILDS = [
    "tf.raw_ops.Add(x=a, y=1.0)",
    "tf.raw_ops.Add(x=s, y=s, name='joined')",
    "tf.raw_ops.Div(x=i, y=i)",
    "tf.raw_ops.Mod(x=u, y=a)",
    "tf.raw_ops.Inv(x=a)",
    "tf.raw_ops.InvGrad(y=a, dy=a)",
    "tf.raw_ops.OnesLike(x=u)",
    "tf.raw_ops.ClipByValue(t=u, clip_value_min=0.0, clip_value_max=a)",
    "tf.raw_ops.BatchMatMul(x=tf.zeros([4, 2, 3]), y=tf.zeros([4, 2, 3]), adj_y=True)",
    "tf.raw_ops.BatchMatMul(x=tf.zeros([4, 2, 3]), y=tf.zeros([4, 3, 5]))",
    "tf.raw_ops.Concat(concat_dim=1, values=[a, u])",
    "tf.raw_ops.Concat(concat_dim=0, values=[a, u, a])",
    "tf.raw_ops.Gather(params=a, indices=i)",
    "tf.raw_ops.Gather(params=u, indices=[1, 0], validate_indices=False)",
    "tf.raw_ops.Reverse(tensor=u, dims=[True, False])",
    "tf.raw_ops.Snapshot(input=u)",
    "tf.raw_ops.BiasAddV1(value=u, bias=a[0])",
    "tf.raw_ops.InTopK(predictions=a, targets=[0, 2], k=2)",
    "tf.raw_ops.FusedBatchNorm(x=x, scale=c, offset=c, mean=[], variance=[])",
    "tf.raw_ops.FusedBatchNormV2(x=x, scale=c, offset=c, mean=c, variance=c, is_training=False)",
    "tf.raw_ops.FusedBatchNormGrad(y_backprop=x, x=x, scale=c, reserve_space_1=c, reserve_space_2=c)",
    "tf.raw_ops.FusedBatchNormGradV2(y_backprop=x, x=x, scale=c, reserve_space_1=c, reserve_space_2=c)",
    "tf.raw_ops.MaxPoolV2(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 1, 1], padding='SAME')",
    "tf.raw_ops.MaxPoolV2(input=x, ksize=tf.placeholder(tf.int32, [4]), strides=[1, 1, 1, 1], padding='VALID')",
    "tf.raw_ops.MaxPoolGradV2(orig_input=x, orig_output=x, grad=x, ksize=[1, 1, 1, 1], strides=[1, 1, 1, 1], padding='VALID')",
    "tf.raw_ops.MaxPoolGradGradV2(orig_input=x, orig_output=x, grad=x, ksize=[1, 1, 1, 1], strides=[1, 1, 1, 1], padding='VALID')",
    "tf.raw_ops.NonMaxSuppression(boxes=b, scores=b[0], max_output_size=2)",
    "tf.raw_ops.NonMaxSuppressionV2(boxes=b, scores=b[0], max_output_size=2, iou_threshold=0.5)",
    "tf.raw_ops.SpaceToBatch(input=x, paddings=[[0, 0], [1, 1]], block_size=2)",
    "tf.raw_ops.BatchToSpace(input=tf.zeros([4, 2, 2, 1]), crops=[[0, 0], [1, 0]], block_size=2)",
    "tf.raw_ops.Variable(shape=[2, 3], dtype=tf.float32, name='v')",
    "tf.raw_ops.RefIdentity(input=tf.raw_ops.Variable(shape=[2], dtype=tf.int32, name='w'))",
]

ERRORS = [
    ("tf.raw_ops.Add(x=a, y=i)", "does not match type float32"),
    (
        "tf.raw_ops.BatchToSpace(input=x, crops=[[0, 0], [0, 0]], block_size=2)",
        "evenly divisible by 2",
    ),
    (
        "tf.raw_ops.Concat(concat_dim=1, values=[a, tf.zeros([2, 3, 1])])",
        "Shape must be rank 2 but is rank 3",
    ),
    (
        "tf.raw_ops.Concat(concat_dim=1, values=[a, tf.zeros([3, 3])])",
        "Dimension 0 in both shapes must be equal",
    ),
    ("tf.raw_ops.Gather(params=a, indices=[0.5])", "float32"),
    ("tf.raw_ops.Reverse(tensor=a, dims=[True])", "Shape must be rank 1 but is rank 2"),
    (
        "tf.raw_ops.BatchMatMul(x=tf.zeros([4, 2, 3]), y=tf.zeros([4, 2, 3]))",
        "Dimensions must be equal, but are 3 and 2",
    ),
    ("tf.raw_ops.BiasAddV1(value=a, bias=c)", "Dimensions must be equal, but are 3 and 2"),
    ("tf.raw_ops.TopK(input=a, k=1)", "It has been removed in version 7. Use TopKV2 instead"),
    ("tf.raw_ops.PlaceholderV2(dtype=tf.float32, shape=[2])", "It has been removed in version 23"),
    (
        "tf.raw_ops.BatchNormWithGlobalNormalization(t=x, m=c, v=c, beta=c, gamma=c, variance_epsilon=0.001, scale_after_normalization=True)",
        "It has been removed in version 9",
    ),
    ("tf.raw_ops.InTopK(predictions=tf.zeros([2, 3], tf.float64), targets=[0, 1], k=1)", "float32"),
    ("tf.raw_ops.SpaceToBatch(input=x, paddings=[[0, 0], [0, 0]], block_size=1)", "block_size"),
]
