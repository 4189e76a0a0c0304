"""What tests/lookup/test_tables.py asks TensorFlow (tools/tf_reference.py): the graphs, names
and errors of tf.lookup's tables and of tf.contrib.lookup's vocabulary tables (TF 2.21's
tf.contrib.lookup stands in as its lookup_ops module, which TF 1.15's contrib re-exported)."""

SETUP = {
    "k": ("string", [None]),
    "i": ("int64", [3]),
    "m": ("int64", [None, 2]),
}

BUILDS = [
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b', 'c'], [1, 2, 3]), -1).lookup(k)",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([1, 2], [3.0, 4.0], key_dtype=tf.int64), 0.0, name='mytab').lookup(m)",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1).size()",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1).initializer",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1).export()",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1).lookup(tf.SparseTensor([[0, 0]], k[:1], [1, 2]))",
    "tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1, name='t')[k]",
    "tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer('vocab.txt', tf.string, tf.lookup.TextFileIndex.WHOLE_LINE, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER, delimiter=' '), -1).lookup(k)",
    "tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer('vocab.txt', tf.string, 0, tf.int64, 1, vocab_size=3), -1).initializer",
    "tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(['a'], [0], value_dtype=tf.int64), 3).lookup(k)",
    "tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(['a'], [0], value_dtype=tf.int64), 3).size()",
    "(tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1), tf.tables_initializer())[1]",
    "tf.tables_initializer()",
    "tf.tables_initializer(name='init_tables')",
    "tf.contrib.lookup.index_table_from_tensor(['a', 'b']).lookup(k)",
    "tf.contrib.lookup.index_table_from_tensor(tf.constant(['a', 'b']), num_oov_buckets=2).lookup(k)",
    "tf.contrib.lookup.index_table_from_tensor([5, 7], dtype=tf.int64).lookup(i)",
    "tf.contrib.lookup.index_table_from_tensor([5, 7], num_oov_buckets=3, dtype=tf.int64).lookup(i)",
    "tf.contrib.lookup.index_table_from_tensor(['a', 'b'], num_oov_buckets=1, name='vocab').size()",
    "tf.contrib.lookup.index_table_from_file('vocab.txt').lookup(k)",
    "tf.contrib.lookup.index_table_from_file('vocab.txt', num_oov_buckets=1, vocab_size=3).lookup(k)",
    "tf.contrib.lookup.index_to_string_table_from_tensor(['a', 'b']).lookup(i)",
    "tf.contrib.lookup.index_to_string_table_from_file('vocab.txt', default_value='?').lookup(i)",
    "tf.contrib.lookup.HashTable(tf.contrib.lookup.KeyValueTensorInitializer(['a'], [1]), -1).init",
    "tf.contrib.lookup.MutableHashTable(tf.string, tf.int64, -1, name='mut').insert(k, tf.cast(tf.strings.length(k), tf.int64))",
    "tf.contrib.lookup.MutableHashTable(tf.string, tf.float32, [0.0, 0.0]).lookup(k)",
]

BUILD_ERRORS = [
    ("tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), -1).lookup(i)", "Dtype of argument `keys` must be <dtype: 'string'>, received: <dtype: 'int64'>"),
    ("tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a'], [1]), 'x')", "Expected int32, but got x of type 'str'."),
    ("tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(['a', 'b'], [1, 2, 3]), -1)", "Dimensions must be equal, but are 2 and 3"),
    ("tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(['a'], [0], value_dtype=tf.int64), 0)", "`num_oov_buckets` must be > 0; use StaticHashTable."),
    ("tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(['a'], [0]), 2)", "Invalid `value_dtype`, expected <dtype: 'int64'> but got <dtype: 'int32'>."),
    ("tf.lookup.TextFileInitializer('vocab.txt', tf.string, tf.lookup.TextFileIndex.LINE_NUMBER, tf.int64, 0)", "`key_dtype` must be int64 if `key_index` is -1, received: <dtype: 'string'>"),
    ("tf.lookup.TextFileInitializer('', tf.string, 0, tf.int64, 1)", "`filename` argument required for tf.lookup.TextFileInitializer"),
    ("tf.lookup.TextFileInitializer('vocab.txt', tf.string, 0, tf.int64, 1, vocab_size=0)", "`vocab_size` should be > 0, received: 0"),
    ("tf.contrib.lookup.index_table_from_tensor(['a'], num_oov_buckets=-1)", "`num_oov_buckets` must be greater or equal than 0, got -1."),
    ("tf.contrib.lookup.index_table_from_tensor(['a'], dtype=tf.float32)", "`dtype` must either be integer or string."),
    ("tf.contrib.lookup.index_table_from_tensor([1, 2])", "Invalid `dtype`: Expected non-integer, got <dtype: 'int32'>."),
    ("tf.contrib.lookup.index_table_from_tensor(None)", "`vocabulary_list` must be specified."),
    ("tf.contrib.lookup.index_table_from_file(None)", "`vocabulary_file` must be specified and must not be empty."),
    ("tf.contrib.lookup.index_table_from_file('vocab.txt', vocab_size=0)", "`vocab_size` must be greater than 0, got 0 for vocabulary_file: vocab.txt."),
    ("tf.contrib.lookup.index_to_string_table_from_tensor(['a']).lookup(k)", "Dtype of argument `keys` must be <dtype: 'int64'>, received: <dtype: 'string'>"),
]
