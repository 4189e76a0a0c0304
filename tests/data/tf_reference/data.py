"""What tests/data_api/test_dataset.py asks TensorFlow (tools/tf_reference.py): the ops
tf.data adds to the graph for each source and transformation, the iterators' ops, the element
tensors' names, dtypes and static shapes, and the errors raised while building."""

SETUP = {
    "x": ("float32", [None, 3]),
    "v": ("int64", [4]),
    "n": ("int64", []),
}

# Each pipeline ends with get_next(): the ops it adds, and the element tensors.
PIPELINES = [
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(6.0).reshape(3, 2)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices((np.arange(4), tf.ones([4, 2]))).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensors(x).make_initializable_iterator().get_next()",
    "tf.data.Dataset.range(5).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(2, 10, 3).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(n).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).batch(2).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).batch(2, drop_remainder=True).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).map(lambda r: r * 2.0).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).map(lambda r: (r, tf.reduce_sum(r)), num_parallel_calls=2).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).filter(lambda e: e > 1).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).shuffle(10).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).shuffle(10, seed=3).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).shuffle(10, reshuffle_each_iteration=False).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).repeat().make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).repeat(3).take(5).skip(1).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).prefetch(2).cache().make_one_shot_iterator().get_next()",
    "tf.data.Dataset.zip((tf.data.Dataset.range(3), tf.data.Dataset.from_tensor_slices(np.arange(4)))).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).map(lambda e: tf.fill([e], e)).padded_batch(2, padded_shapes=[None]).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).map(lambda e: tf.fill([e], e)).padded_batch(2, padded_shapes=[5], padding_values=tf.constant(-1, tf.int64)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).concatenate(tf.data.Dataset.range(3)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(3).flat_map(lambda e: tf.data.Dataset.range(e)).make_one_shot_iterator().get_next()",
    "tf.data.Dataset.range(3).interleave(lambda e: tf.data.Dataset.range(e), cycle_length=2).make_one_shot_iterator().get_next()",
    "tf.data.TextLineDataset('a.txt').make_one_shot_iterator().get_next()",
    "tf.data.TFRecordDataset(['a.tfr', 'b.tfr']).make_one_shot_iterator().get_next()",
    "tf.data.make_one_shot_iterator(tf.data.Dataset.range(3)).get_next()",
    "tf.data.Dataset.range(3).map(lambda e: e + n).make_initializable_iterator().get_next()",
    "tf.data.Dataset.range(3).map(lambda e: e * tf.constant(2, tf.int64) + n, num_parallel_calls=2).make_initializable_iterator().get_next()",
    "tf.data.Dataset.from_tensor_slices(x).filter(lambda r: tf.reduce_sum(r) > tf.cast(n, tf.float32)).make_initializable_iterator().get_next()",
    "tf.data.Dataset.range(3).flat_map(lambda e: tf.data.Dataset.range(e + n)).make_initializable_iterator().get_next()",
    "tf.data.make_initializable_iterator(tf.data.Dataset.range(3)).get_next()",
    "tf.data.Dataset.range(3).make_initializable_iterator().initializer",
    "tf.data.Dataset.range(3).make_initializable_iterator(shared_name='s').initializer",
    "tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([])).get_next()",
    "tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([])).make_initializer(tf.data.Dataset.range(3))",
    "tf.data.Iterator.from_structure((tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([None, 3]))).get_next()",
    "tf.data.Dataset.range(3).make_one_shot_iterator().get_next(name='elem')",
    "tf.data.Dataset.range(3).make_one_shot_iterator().string_handle()",
    "tf.data.Iterator.from_string_handle(tf.placeholder(tf.string, []), tf.int64, tf.TensorShape([])).get_next()",
    "tf.data.Iterator.from_string_handle(tf.placeholder(tf.string, []), (tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([None]))).get_next()",
    "tf.data.Iterator.from_string_handle(tf.placeholder(tf.string, []), tf.int64).string_handle()",
]

# Element structure: str() of the types, shapes and classes TF reports.
STRUCTURES = [
    "str(tf.data.Dataset.from_tensor_slices({'a': v, 'b': (x[:4], v)}).output_types)",
    "str(tf.data.Dataset.from_tensor_slices({'a': v, 'b': (x[:4], v)}).output_shapes)",
    "str(tf.data.get_output_types(tf.data.Dataset.from_tensor_slices((v, x)).batch(2)))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.from_tensor_slices((v, x)).batch(2)))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.from_tensor_slices((v, x)).batch(2, drop_remainder=True)))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.range(4).batch(2, drop_remainder=True)))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.from_tensors(x).repeat(2)))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.from_tensor_slices(v).map(lambda e: tf.fill([e], e)).padded_batch(2, padded_shapes=[None])))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.from_generator(lambda: iter([]), (tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([None])))))",
    "str(tf.data.get_output_types(tf.data.Dataset.from_generator(lambda: iter([]), tf.int32)))",
    "str(tf.data.get_output_shapes(tf.data.Dataset.from_generator(lambda: iter([]), tf.int32)))",
    "str(tf.data.Dataset.range(3).make_one_shot_iterator().output_shapes)",
    "str(tf.data.Dataset.from_tensor_slices(v).map(lambda e: {'y': e, 'z': tf.cast(e, tf.float32)}).output_types)",
    "str(tf.data.Dataset.from_tensor_slices(np.arange(4)).map(lambda e: {'y': e, 'z': tf.cast(e, tf.float32)}).make_one_shot_iterator().get_next())",
    "str(tf.data.Dataset.from_tensor_slices((v, v)).map(lambda a, b: a + b).output_shapes)",
]

ERRORS = [
    (
        "tf.data.Dataset.from_tensor_slices((v, tf.ones([3, 2])))",
        "Dimensions 4 and 3 are not compatible",
    ),
    (
        "tf.data.Dataset.from_tensor_slices(n)",
        "Unbatching a tensor is only supported for rank >= 1",
    ),
    (
        "tf.data.Dataset.from_tensor_slices(v).filter(lambda e: e)",
        "`predicate` must return a `tf.bool` scalar tensor",
    ),
    (
        "tf.data.Dataset.range(3).make_one_shot_iterator().get_next() + tf.data.Iterator.from_structure(tf.int64).make_initializer(tf.data.Dataset.from_tensors(x))",
        "Expected output types",
    ),
    (
        "tf.data.Dataset.zip((tf.data.Dataset.range(3), 1))",
        "Inputs are expected to be (nested) structures of `tf.data.Dataset` objects",
    ),
    (
        "tf.data.Dataset.from_tensor_slices(v).make_one_shot_iterator()",
        "Cannot capture a placeholder (name:v, type:Placeholder) by value.",
    ),
    (
        "tf.data.Dataset.range(3).padded_batch(2, padded_shapes=[2])",
        "is not compatible with the shape () of the corresponding input component.",
    ),
    (
        "tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([3])).make_initializer(tf.data.Dataset.range(3))",
        "Expected output shapes compatible with",
    ),
]
