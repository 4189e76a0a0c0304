"""What tests/data_api/test_transforms.py asks TensorFlow (tools/tf_reference.py): the ops
the tf.data transformations of scopeflow/data/transforms.py and experimental_ops.py add to the
graph, the element tensors' dtypes and static shapes, and the errors raised while building."""

SETUP = {
    "x": ("float32", [None, 3]),
    "n": ("int64", []),
}

# Each pipeline ends with get_next() (or is the tensors it computes): the ops it adds, and
# the element tensors.
PIPELINES = [
    "tf.data.Dataset.range(10).shard(3, 1).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(10).shard(n, 0).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensors(x).unbatch().make_initializable_iterator().get_next()",
    "tf.data.Dataset.range(10).enumerate(5).make_one_shot_iterator().get_next()",
    "tf.data.make_one_shot_iterator(tf.data.Dataset.range(10).take_while(lambda e: e < 4)).get_next()",
    "tf.data.make_one_shot_iterator(tf.data.Dataset.range(10).scan(tf.constant(0, tf.int64), lambda s, e: (s + e, s * 2))).get_next()",
    "tf.data.make_one_shot_iterator(tf.data.Dataset.range(3).scan(tf.zeros([0], tf.int64), lambda s, e: (tf.concat([s, [e]], 0), s))).get_next()",
    "tf.data.Dataset.range(10).reduce(tf.constant(0, tf.int64), lambda s, e: s + e)",
    "tf.data.Dataset.range(3).reduce(tf.zeros([0], tf.int64), lambda s, e: tf.concat([s, [e]], 0))",
    "tf.data.make_one_shot_iterator(tf.data.Dataset.range(10).unique()).get_next()",
    "tf.data.Dataset.range(10).apply(tf.data.experimental.map_and_batch(lambda e: e * 2, 3)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).apply(tf.data.experimental.map_and_batch(lambda r: r * 2.0, 4, drop_remainder=True)).make_initializable_iterator().get_next()",
    "tf.data.Dataset.range(10).apply(tf.data.experimental.shuffle_and_repeat(4, 2, seed=1)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(1, 5).apply(tf.data.experimental.parallel_interleave(lambda e: tf.data.Dataset.range(e), 2)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(10).apply(tf.data.experimental.ignore_errors()).make_one_shot_iterator().get_next()",
    "tf.data.experimental.get_single_element(tf.data.Dataset.range(10).take(1))",
    "tf.data.experimental.get_single_element(tf.data.Dataset.from_tensors((x, n)))",
    "tf.data.experimental.choose_from_datasets([tf.data.Dataset.range(3), tf.data.Dataset.range(4)], tf.data.Dataset.range(2)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(10).apply(tf.data.experimental.group_by_window(lambda e: e % 2, lambda k, d: d.batch(2), 2)).make_one_shot_iterator().get_next()",
]

# Element structure: str() of the types and shapes TF reports.
STRUCTURES = [
    "str(tf.data.Dataset.from_tensor_slices((x, x)).batch(2).unbatch().output_shapes)",
    "str(tf.data.Dataset.from_tensors((tf.zeros([2, 3]), tf.zeros([2]))).unbatch().output_shapes)",
    "str(tf.data.Dataset.range(3).enumerate().output_types)",
    "str(tf.data.get_output_types(tf.data.Dataset.range(3).scan((tf.constant(0, tf.int64), tf.constant(1.0)), lambda s, e: ((s[0] + e, s[1] * 2.0), {'a': e}))))",
    "str(tf.data.Dataset.range(3).apply(tf.data.experimental.map_and_batch(lambda e: (e, tf.fill([2], e)), 2, drop_remainder=True)).output_shapes)",
    "str(tf.data.experimental.choose_from_datasets([tf.data.Dataset.from_tensors(tf.zeros([2])), tf.data.Dataset.from_tensors(tf.zeros([3]))], tf.data.Dataset.range(2)).output_shapes)",
    "str(tf.data.experimental.sample_from_datasets([tf.data.Dataset.range(3), tf.data.Dataset.range(4)], [0.2, 0.8], seed=1).output_shapes)",
    "str(tf.data.Dataset.range(9).map(lambda e: tf.fill([e], e)).apply(tf.data.experimental.bucket_by_sequence_length(lambda t: tf.shape(t)[0], [3, 6], [2, 2, 2])).output_shapes)",
    "str(tf.data.experimental.Counter().output_types)",
    "str(tf.data.Dataset.list_files('/no/such/dir/*.txt').output_types)",
]

ERRORS = [
    ("tf.data.Dataset.range(3).unbatch()", "Cannot unbatch an input with scalar components."),
    ("tf.data.Dataset.from_tensors((tf.zeros([3]), tf.zeros([2]))).unbatch()", "`unbatch()` is only supported for datasets of elements whose components have a matching leading dimension. Encountered both 3 and 2."),
    ("tf.data.Dataset.range(3).map(lambda e: tf.cast(e, tf.float32)).unique()", "`tf.data.Dataset.unique` does not support type <dtype: 'float32'> -- only `tf.int32`, `tf.int64`, and `tf.string` are supported."),
    ("tf.data.Dataset.range(3).take_while(lambda e: e)", "Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor"),
    ("tf.data.Dataset.range(3).apply(tf.data.experimental.map_and_batch(lambda e: e, 2, num_parallel_batches=1, num_parallel_calls=2))", "`map_and_batch` allows only one of `num_parallel_batches` and `num_parallel_calls` to be set, but `num_parallel_batches` was set to 1 and `num_parallel_calls` as set to 2."),
    ("tf.data.experimental.choose_from_datasets([tf.data.Dataset.range(3)], tf.data.Dataset.range(3).map(lambda e: tf.cast(e, tf.int32)))", "Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar `tf.int64` tensors but are TensorSpec(shape=(), dtype=tf.int32, name=None)."),
    ("tf.data.experimental.choose_from_datasets([tf.data.Dataset.range(3), tf.data.Dataset.range(3).map(lambda e: tf.cast(e, tf.int32))], tf.data.Dataset.range(3))", "Invalid `datasets`. `datasets` must have compatible element specs."),
    ("tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_window(lambda e: e, lambda k, d: d))", "Either the `window_size` argument or the `window_size_func` argument must be specified."),
    ("tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_window(lambda e: tf.fill([2], e), lambda k, d: d, 2))", "Invalid `key_func`. `key_func` must return a single `tf.int64` scalar tensor but its return type is TensorSpec(shape=(2,), dtype=tf.int64, name=None)."),
    ("tf.data.Dataset.range(3).apply(tf.data.experimental.bucket_by_sequence_length(lambda e: e, [3, 6], [2, 2]))", "`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) + 1` but `len(bucket_batch_sizes)=2` and `len(bucket_boundaries)=2`."),
]
