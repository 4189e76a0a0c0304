"""What tests/ops/strings/test_builds.py asks TensorFlow (tools/tf_reference.py): the graphs
of the string ops (tf.string_split, TF1's tf.strings.split, tf.strings.join, tf.reduce_join,
tf.strings.length, tf.substr, tf.regex_replace, tf.string_to_number, tf.as_string,
tf.strings.lower/upper/strip) and their build errors. Their values and run-time errors are in
parsing_values.json (tests/data/strings_model.py)."""

SETUP = {
    "s": ("string", [None]),
    "t": ("string", [2, 3]),
    "c": ("string", []),
    "u": ("string", None),
    "x": ("float32", [2]),
    "i": ("int64", [2, 1]),
    "p": ("int32", [2]),
}

BUILDS = [
    "tf.string_split(s)",
    "tf.string_split(s, ',', skip_empty=False, name='split')",
    "tf.string_split(['a b'], delimiter='-')",
    "tf.strings.split(s)",
    "tf.strings.split(s, sep=',', maxsplit=2)",
    "tf.strings.split(c)",
    "tf.strings.split(source=['a b'], name='sp')",
    "tf.strings.join([s, 'x'], separator='-')",
    "tf.string_join([t, t, c])",
    "tf.strings.join([c, c])",
    "tf.reduce_join(t)",
    "tf.reduce_join(t, 0, separator=',')",
    "tf.reduce_join(t, [1, 0], keep_dims=True, name='rj')",
    "tf.strings.reduce_join(t, axis=-1, keepdims=True)",
    "tf.reduce_join(u, 1)",
    "tf.reduce_join(t, p)",
    "tf.strings.length(s)",
    "tf.strings.length(t, unit='UTF8_CHAR', name='len')",
    "tf.substr(s, 1, 2)",
    "tf.strings.substr(t, p[0], 3)",
    "tf.substr(s, p, p)",
    "tf.regex_replace(s, 'a+', 'b')",
    "tf.strings.regex_replace(t, tf.constant('a'), 'b', replace_global=False)",
    "tf.string_to_number(s)",
    "tf.strings.to_number(t, out_type=tf.int64, name='num')",
    "tf.string_to_number(input=c, out_type=tf.float64)",
    "tf.as_string(x)",
    "tf.as_string(i, width=3, fill='0')",
    "tf.strings.as_string(x, precision=2, name='str')",
    "tf.strings.lower(s)",
    "tf.strings.upper(t, encoding='utf-8')",
    "tf.strings.strip(s)",
    "tf.string_strip(['a '])",
    "tf.strings.regex_full_match(s, 'a.c')",
    "tf.strings.regex_full_match(t, tf.constant('a'), name='m')",
    "tf.encode_base64(s)",
    "tf.io.encode_base64(t, pad=True, name='b64')",
    "tf.decode_base64(s)",
    "tf.io.decode_base64(c)",
    "tf.string_to_hash_bucket_fast(s, 10)",
    "tf.strings.to_hash_bucket_fast(t, 3, name='h')",
]

BUILD_ERRORS = [
    (
        "tf.string_to_hash_bucket_fast(s, 0)",
        "Attr 'num_buckets' of 'StringToHashBucketFast' Op passed 0 less than minimum 1.",
    ),
    ("tf.string_split(t)", "Shape must be rank 1 but is rank 2"),
    (
        "tf.strings.join([s, ['a', 'b', 'c'], ['a', 'b']])",
        "Dimension 0 in both shapes must be equal, but are 3 and 2",
    ),
    ("tf.reduce_join(t, 2)", "Invalid reduction dimension 2 for input with 2 dimensions."),
    (
        "tf.string_to_number(s, out_type=tf.bool)",
        "Value passed to parameter 'out_type' has DataType bool not in list of allowed values",
    ),
    (
        "tf.substr(s, 1.0, 2.0)",
        "Value passed to parameter 'pos' has DataType float32 not in list of allowed values: int32, int64",
    ),
]
