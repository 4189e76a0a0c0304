"""What tests/ops/parsing/test_example.py and test_decode.py ask TensorFlow
(tools/tf_reference.py): the graphs of tf.parse_example, tf.parse_single_example (and their
tf.io spellings), tf.decode_raw and tf.decode_csv, and the errors they raise while building.
Their values and run-time errors are in parsing_values.json (tests/data/parsing_model.py)."""

SETUP = {
    "s": ("string", []),
    "b": ("string", [None]),
    "b3": ("string", [3]),
    "m": ("string", [2, 3]),
    "u": ("string", None),
}

BUILDS = [
    "list(tf.parse_example(b, {'a': tf.FixedLenFeature([2], tf.float32), 'b': tf.VarLenFeature(tf.int64)}).values())",
    "list(tf.parse_example(b3, {'z': tf.FixedLenFeature([], tf.string, default_value='x'), 'a': tf.FixedLenFeature([2, 3], tf.int64, default_value=[[1, 2, 3], [4, 5, 6]])}).values())",
    "list(tf.parse_example(b, {'a': tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)}).values())",
    "list(tf.parse_example(b, {'a b': tf.FixedLenSequenceFeature([], tf.int64, allow_missing=True, default_value=-1)}).values())",
    "list(tf.parse_example(b, {'t': tf.VarLenFeature(tf.string), 'f': tf.VarLenFeature(tf.float32)}, name='parse').values())",
    "list(tf.parse_example(u, {'a': tf.FixedLenFeature([1], tf.float32), 'v': tf.VarLenFeature(tf.int64)}).values())",
    "list(tf.parse_example(b, {'a': tf.FixedLenFeature([1], tf.float32)}, example_names=['x', 'y']).values())",
    "list(tf.io.parse_example(b, {'a': tf.io.FixedLenFeature([1], tf.int64, default_value=tf.constant([3], tf.int64))}).values())",
    "list(tf.parse_single_example(s, {'a': tf.FixedLenFeature([2], tf.float32), 'b': tf.VarLenFeature(tf.int64), 'c': tf.FixedLenFeature([], tf.string, default_value='x')}).values())",
    "list(tf.parse_single_example(s, {'q': tf.FixedLenSequenceFeature([3], tf.int64, allow_missing=True)}, name='one').values())",
    "list(tf.io.parse_single_example(s, {'a': tf.io.VarLenFeature(tf.float32)}).values())",
    "[t for d in tf.parse_single_sequence_example(s, context_features={'id': tf.FixedLenFeature([], tf.int64), 'v': tf.VarLenFeature(tf.string), 'w': tf.FixedLenFeature([2], tf.float32, default_value=[1.0, 2.0])}, sequence_features={'tok': tf.FixedLenSequenceFeature([], tf.int64), 'sc': tf.VarLenFeature(tf.float32), 'm': tf.FixedLenSequenceFeature([2, 3], tf.string, allow_missing=True)}) for t in d.values()]",
    "list(tf.parse_single_sequence_example(s, sequence_features={'t': tf.FixedLenSequenceFeature([1], tf.float32)}, example_name='ex', name='seq')[1].values())",
    "list(tf.io.parse_single_sequence_example(s, context_features={'c': tf.VarLenFeature(tf.int64)})[0].values())",
    "tf.decode_raw(b, tf.int16)",
    "tf.decode_raw(m, tf.float64, little_endian=False, name='raw')",
    "tf.io.decode_raw(s, tf.uint8)",
    "tf.decode_raw(bytes=s, out_type=tf.int32)",
    "tf.decode_csv(b, [[1], [2.0], ['a']])",
    "tf.decode_csv(m, [tf.constant([], tf.int64), [0.5]], field_delim=';', na_value='NA', name='csv')",
    "tf.decode_csv(s, [['x'], [np.float64(1.5)]], use_quote_delim=False, select_cols=[1, 3])",
    "tf.io.decode_csv(u, [[0]])",
    "tf.io.serialize_tensor(b)",
    "tf.serialize_tensor(tf.zeros([2, 3]), name='ser')",
    "tf.io.parse_tensor(s, tf.int32)",
    "tf.parse_tensor(b[0], out_type=tf.string, name='par')",
]

BUILD_ERRORS = [
    ("tf.parse_example(b, {})", "Argument `features` cannot be None or falsy"),
    (
        "tf.parse_example(b, {'a': tf.FixedLenFeature([2], tf.int32)})",
        "Value passed to parameter 'dense_defaults' has DataType int32 not in list of allowed values: float32, int64, string",
    ),
    (
        "tf.parse_example(b, {'a': tf.FixedLenFeature([None], tf.float32)})",
        "First dimension of shape for feature a unknown. Consider using FixedLenSequenceFeature.",
    ),
    (
        "tf.parse_example(b, {'a': tf.FixedLenFeature([2, None], tf.float32)})",
        "All dimensions of shape for feature a need to be known but received [2, None].",
    ),
    (
        "tf.parse_example(b, {'a': tf.FixedLenFeature(None, tf.float32)})",
        "Missing shape for feature a.",
    ),
    (
        "tf.parse_example(b, {'a': tf.FixedLenSequenceFeature([2], tf.float32)})",
        "Unsupported: FixedLenSequenceFeature requires allow_missing to be True.",
    ),
    (
        "tf.parse_example(b, {'a': tf.FixedLenFeature([2], tf.float32, default_value=[1.0])})",
        "Cannot reshape a tensor with 1 elements to shape [2]",
    ),
    ("tf.parse_example(b, {'a': 3})", "Unsupported int 3 for key 'a'"),
    (
        "tf.parse_example(m, {'a': tf.FixedLenFeature([2], tf.float32)})",
        "Shape must be at most rank 1 but is rank 2",
    ),
    (
        "tf.parse_single_example(b, {'a': tf.FixedLenFeature([2], tf.float32)})",
        "Input serialized must be a scalar",
    ),
    ("tf.parse_single_example(s, None)", "Invalid argument: features cannot be None."),
    ("tf.parse_single_example(s, {})", "Invalid argument: features cannot be empty."),
    (
        "tf.parse_single_sequence_example(s)",
        "Both context_features and sequence_features are None, but at least one should have values.",
    ),
    (
        "tf.parse_single_sequence_example(s, sequence_features={'m': tf.FixedLenSequenceFeature([2], tf.int64, default_value=3)})",
        "Value feature_list.dense_defaults[m] must be None",
    ),
    (
        "tf.parse_single_sequence_example(s, context_features={'m': tf.FixedLenSequenceFeature([2], tf.int64)})",
        "Unsupported FixedLenSequenceFeature",
    ),
    (
        "tf.parse_single_sequence_example(s, sequence_features={'m': tf.FixedLenFeature([2], tf.int64)})",
        "Unsupported FixedLenFeature",
    ),
    (
        "tf.parse_single_sequence_example(b, sequence_features={'m': tf.VarLenFeature(tf.int64)})",
        "Input serialized must be a scalar",
    ),
    (
        "tf.decode_csv(b, [[1], [2.0]], select_cols=[1])",
        "Length of select_cols and record_defaults do not match.",
    ),
    (
        "tf.decode_csv(b, [[1], [2.0]], select_cols=[2, 1])",
        "select_cols is not strictly increasing.",
    ),
    (
        "tf.decode_csv(b, [[1], [2.0]], select_cols=[-1, 1])",
        "select_cols contains negative values.",
    ),
    (
        "tf.decode_csv(b, [[True]])",
        "Value passed to parameter 'record_defaults' has DataType bool not in list of allowed values: float32, float64, int32, int64, string",
    ),
    (
        "tf.decode_raw(b, tf.string)",
        "Value passed to parameter 'out_type' has DataType string not in list of allowed values",
    ),
]
