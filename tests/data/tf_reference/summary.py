"""What tests/summary/test_summary_ops.py asks TensorFlow (tools/tf_reference.py): the ops,
names, dtypes and shapes of tf.summary's ops, and the mistakes TF rejects while building."""

SETUP = {
    "x": ("float32", [4, 5, 6, 3]),
    "u8": ("uint8", [2, 3, 4, 1]),
    "v": ("float32", [10]),
    "s": ("float32", []),
    "d": ("float64", []),
    "i": ("int32", [3]),
    "t": ("string", [2]),
    "snd": ("float32", [2, 100]),
}

# Summary ops that build: the ops each adds, the result's names, dtype and static shape.
EXPRESSIONS = [
    "tf.summary.scalar('loss', s)",
    "tf.summary.scalar('loss', d)",
    "tf.summary.scalar('loss', 1.5)",
    "tf.summary.scalar('loss', s, family='train')",
    "tf.summary.scalar('bad name!', s)",
    "tf.summary.scalar('/lead', s)",
    "tf.summary.scalar('loss', s, collections=[])",
    "[tf.summary.scalar('a', s), tf.summary.scalar('a', s)]",
    "tf.summary.histogram('w', x)",
    "tf.summary.histogram('w', i)",
    "tf.summary.histogram('w', v, family='fam')",
    "tf.summary.image('img', x)",
    "tf.summary.image('img', u8, max_outputs=1)",
    "tf.summary.image('img', x, max_outputs=5, family='f')",
    "tf.summary.audio('snd', snd, 8000)",
    "tf.summary.audio('snd', snd, s, max_outputs=1)",
    "tf.summary.text('txt', t)",
    "tf.summary.tensor_summary('ts', x)",
    "tf.summary.tensor_summary('ts', v, summary_description='desc', display_name='dn')",
    "tf.summary.tensor_summary('ts', v, family='fam')",
    "tf.summary.merge([tf.summary.scalar('a', s), tf.summary.histogram('b', v)])",
    "tf.summary.merge([tf.summary.scalar('a', s)], name='my merge')",
    "tf.summary.merge([tf.summary.scalar('a', s)], name='m', collections=['mine'])",
    "(tf.summary.scalar('a', s), tf.summary.histogram('b', v), tf.summary.merge_all())[2]",
    "(tf.summary.scalar('a', s), tf.summary.merge_all(name='all'))[1]",
    "(tf.summary.scalar('a', s, collections=['mine']), tf.summary.merge_all('mine'))[1]",
    "(tf.summary.scalar('a', s), tf.summary.scalar('b', s), tf.summary.merge_all(scope='b'))[2]",
]

# Mistakes TF rejects while building, with the part of its message the test matches.
ERRORS = [
    ("tf.summary.scalar('a', t)", "Value passed to parameter 'values' has DataType string not in list of allowed values"),
    ("tf.summary.histogram('a', t)", "Value passed to parameter 'values' has DataType string not in list of allowed values"),
    ("tf.summary.image('a', i)", "Value passed to parameter 'tensor' has DataType int32 not in list of allowed values"),
    ("tf.summary.audio('a', i, 8000)", "Input 'tensor' of 'AudioSummaryV2' Op has type int32 that does not match expected type of float32."),
    ("tf.summary.text('a', v)", "Expected tensor v:0 to have dtype string, got <dtype: 'float32'>"),
    ("tf.summary.merge([v])", "Tensors in list passed to 'inputs' of 'MergeSummary' Op have types [float32] that do not match expected type string."),
    ("tf.summary.scalar('a', tf.cast(s, tf.complex64))", "Value passed to parameter 'values' has DataType complex64 not in list of allowed values"),
]
