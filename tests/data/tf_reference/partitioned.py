"""What tests/variables/test_partitioned.py asks TensorFlow (tools/tf_reference.py):
partitioned variables' parts (names, shapes, slice specs), the ops their creation and their
conversion to a tensor add, the partitioners' answers, and the errors of partitioning and
reuse."""

SETUP = {"x": ("float32", [None, 6])}

BUILDS = [
    # parts: names, shapes and slice specs, per partitioner
    "str([(v.name, v.shape.as_list(), v._save_slice_info.full_name, v._save_slice_info.spec) for v in tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3))])",
    "str([(v.name, v.shape.as_list(), v._save_slice_info.spec) for v in tf.get_variable('w', [20, 3], partitioner=tf.fixed_size_partitioner(40, axis=1))])",
    "str([v.shape.as_list() for v in tf.get_variable('w', [1000, 64], partitioner=tf.variable_axis_size_partitioner(16 << 10))])",
    "str([v.shape.as_list() for v in tf.get_variable('w', [1000, 64], partitioner=tf.variable_axis_size_partitioner(16 << 10, max_shards=3))])",
    "str([v.shape.as_list() for v in tf.get_variable('w', [1000, 64], partitioner=tf.min_max_variable_partitioner(max_partitions=8, min_slice_size=64 << 10))])",
    "str([v.shape.as_list() for v in tf.get_variable('w', [1000, 64], partitioner=tf.min_max_variable_partitioner(max_partitions=2))])",
    "str([v.shape.as_list() for v in tf.get_variable('w', [7, 100], dtype=tf.string, partitioner=tf.variable_axis_size_partitioner(1000, axis=1))])",
    "str(tf.variable_axis_size_partitioner(100)(shape=tf.TensorShape([10, 4]), dtype=tf.float64))",
    "str(tf.min_max_variable_partitioner(4, axis=1, min_slice_size=8)(shape=tf.TensorShape([2, 3]), dtype=tf.float32))",
    "str((type(tf.get_variable('w', [], partitioner=tf.fixed_size_partitioner(2))).__name__ == 'PartitionedVariable', tf.global_variables()[0].name))",
    "str([v.name for v in tf.global_variables()] + [v.name for v in tf.get_variable('w', [5, 2], partitioner=tf.fixed_size_partitioner(2), trainable=False)] + [v.name for v in tf.trainable_variables()])",
    "str((lambda w: (w.name, w.get_shape().as_list(), w.dtype.name, len(w), w._get_partitions(), [v.name for v in w._get_variable_list()]))(tf.get_variable('w', [5, 2], partitioner=tf.fixed_size_partitioner(2))))",
    # TF1's deprecated create_partitioned_variables: parts named after the scope
    "str([(v.name, v._save_slice_info.spec) for v in tf.create_partitioned_variables([10, 4], [2, 1], tf.zeros_initializer())])",
    "str([(v.name, v._save_slice_info.spec) for v in tf.create_partitioned_variables([10, 4], [1, 2], tf.ones_initializer(), name='emb')])",
    # as a tensor: <name>/ConcatPartitions/concat, then an Identity named <name>
    "tf.convert_to_tensor(tf.get_variable('w', [10, 4], initializer=tf.ones_initializer(), partitioner=tf.fixed_size_partitioner(3)))",
    "tf.convert_to_tensor(tf.get_variable('w', [4, 3], initializer=tf.zeros_initializer(), partitioner=tf.fixed_size_partitioner(1)))",
    "(lambda w: (tf.convert_to_tensor(w), w.as_tensor(), w._concat()))(tf.get_variable('w', [10, 4], initializer=tf.zeros_initializer(), partitioner=tf.fixed_size_partitioner(2, axis=1)))",
    # the default initializer: glorot_uniform with the whole variable's fans
    "tf.convert_to_tensor(tf.get_variable('w', [6, 4], partitioner=tf.fixed_size_partitioner(2)))",
    # initializers that are values: sliced per part under PartitionedInitializer
    "tf.convert_to_tensor(tf.get_variable('c', initializer=tf.constant(np.arange(12.0).reshape(6, 2), dtype=tf.float32), partitioner=tf.fixed_size_partitioner(4)))",
    "tf.convert_to_tensor(tf.get_variable('c', [5, 2], initializer=np.arange(10.0).reshape(5, 2), partitioner=tf.fixed_size_partitioner(2)))",
    "tf.convert_to_tensor(tf.get_variable('rn', [7, 2], initializer=tf.random_normal_initializer(seed=1), partitioner=tf.fixed_size_partitioner(3)))",
    # scopes: a scope's partitioner applies to get_variable and to tf.layers
    "(lambda s: tf.convert_to_tensor(tf.get_variable('w', [4, 2], initializer=tf.zeros_initializer())))(tf.variable_scope('s', partitioner=tf.fixed_size_partitioner(2)).__enter__())",
    "(lambda s: tf.layers.dense(x, 5, kernel_initializer=tf.zeros_initializer()))(tf.variable_scope('net', partitioner=tf.fixed_size_partitioner(2)).__enter__())",
    "(lambda s: str((tf.layers.dense(x, 5, name='d'), [v.name for v in tf.trainable_variables()])[1]))(tf.variable_scope('net', partitioner=tf.fixed_size_partitioner(2)).__enter__())",
    # reuse
    "str((lambda w: (tf.get_variable_scope().reuse_variables(), tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)) is w, tf.get_variable('w') is w))(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3))))",
    "str((lambda s: (lambda w: tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)) is w)(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3))))(tf.variable_scope('a', reuse=tf.AUTO_REUSE).__enter__()))",
    # assignment: one op per part, the value split along the partitioned axis
    "(lambda w: w.assign(tf.ones([5, 2])))(tf.get_variable('w', [5, 2], initializer=tf.zeros_initializer(), partitioner=tf.fixed_size_partitioner(2)))",
]

# Facts whose graphs scopeflow builds differently (the optimizer's and embedding_lookup's
# inner ops): only the values are compared.
FACTS = [
    # optimizers: slots named after the parts, sliced like them
    "str((lambda w: (tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.nn.embedding_lookup(w, [1, 5]))), [(v.name, v._save_slice_info.full_name, v._save_slice_info.spec) for v in tf.global_variables() if v._save_slice_info])[1])(tf.get_variable('emb', [10, 4], partitioner=tf.fixed_size_partitioner(3))))",
    "str((lambda w: [type(g).__name__ for g in tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(w, [1, 5])), list(w))])(tf.get_variable('emb', [10, 4], partitioner=tf.fixed_size_partitioner(3))))",
    "str((lambda w: [type(g).__name__ for g in tf.gradients(tf.reduce_sum(tf.nn.embedding_lookup(w, [1, 5], partition_strategy='div')), list(w))])(tf.get_variable('emb', [10, 4], partitioner=tf.fixed_size_partitioner(3))))",
    "str((lambda t: (t.name, t.shape.as_list()))(tf.nn.embedding_lookup(tf.get_variable('emb', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.constant([[1, 5, 9]], tf.int64))))",
]

BUILD_ERRORS = [
    (
        "tf.create_partitioned_variables([10, 4], [2], tf.ones_initializer())",
        "The 'shape' and 'slicing' of a partitioned Variable must have the length: shape: [10, 4], slicing: [2]",
    ),
    (
        "(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.get_variable_scope().reuse_variables(), tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(2)))",
        "Trying to reuse partitioned variable w, but specified partitions [2, 1] and found partitions [3, 1].",
    ),
    (
        "(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.get_variable_scope().reuse_variables(), tf.get_variable('w', [9, 4], partitioner=tf.fixed_size_partitioner(3)))",
        "Trying to reuse partitioned variable w, but specified shape (9, 4) and found shape (10, 4).",
    ),
    (
        "(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.get_variable_scope().reuse_variables(), tf.get_variable('w', [10, 4], dtype=tf.int32, partitioner=tf.fixed_size_partitioner(3)))",
        "Trying to reuse partitioned variable w, but specified dtype int32 and found dtype float32.",
    ),
    (
        "(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.get_variable_scope().reuse_variables(), tf.get_variable('w', partitioner=tf.fixed_size_partitioner(3)))",
        "Shape of a new partitioned variable must be fully defined, but instead was <unknown>.",
    ),
    (
        "(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)))",
        "Partitioned variable with name w already exists. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
    ),
    (
        "(tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(3)), tf.get_variable('w', [10, 4]))",
        "No partitioner was provided, but a partitioned version of the variable was found: w/part_0. Perhaps a variable of the same name was already created with partitioning?",
    ),
    (
        "(tf.get_variable('w/part_0', [4, 4]), tf.get_variable('w', [10, 4], partitioner=tf.fixed_size_partitioner(2)))",
        "Partitioner returned a different partitioning than what was already found.  Partitioner returned 2 shards, and shard w/part_0 was found, but w/part_1 was not.",
    ),
    (
        "(tf.get_variable('u', [6]), tf.get_variable('u', [6], partitioner=tf.fixed_size_partitioner(2)))",
        "A partitioner was provided, but an unpartitioned version of the variable was found: u.  Perhaps a variable of the same name was already created without partitioning?",
    ),
    (
        "(tf.get_variable_scope().reuse_variables(), tf.get_variable('r', [6], partitioner=tf.fixed_size_partitioner(2)))",
        "PartitionedVariable r does not exist, or was not created with tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?",
    ),
    (
        "tf.get_variable('q', [6, 4], partitioner=lambda shape, dtype: [2, 2])",
        "Can only slice a variable along one dimension: shape: (6, 4), partitioning: [2, 2]",
    ),
    (
        "tf.get_variable('q', [6, 4], partitioner=lambda shape, dtype: [2])",
        "Partitioner returned a partition list that does not match the Variable's rank: [2] vs. (6, 4)",
    ),
    (
        "tf.get_variable('q', [6, 4], partitioner=lambda shape, dtype: [0, 1])",
        "Partitioner returned zero partitions for some axes: [0, 1]",
    ),
    (
        "tf.get_variable('q', [6, 4], partitioner=lambda shape, dtype: 3)",
        "Partitioner must return a sequence, but saw: 3",
    ),
    (
        "tf.get_variable('q', [None, 4], partitioner=tf.fixed_size_partitioner(2))",
        "Shape of a new partitioned variable must be fully defined, but instead was (?, 4).",
    ),
    (
        "tf.get_variable('q', [6, 4], partitioner=3)",
        "Partitioner must be callable, but received: 3",
    ),
    (
        "tf.get_variable('q', initializer=np.arange(10.0).reshape(5, 2), partitioner=tf.fixed_size_partitioner(2))",
        "Shape of a new partitioned variable must be fully defined, but instead was <unknown>.",
    ),
    (
        "tf.variable_axis_size_partitioner(0)",
        "Both max_shard_bytes and bytes_per_string_element must be positive.",
    ),
    ("tf.variable_axis_size_partitioner(10, max_shards=-1)", "max_shards must be positive."),
    (
        "tf.get_variable('q', [6, 4], partitioner=tf.min_max_variable_partitioner(2, axis=2))",
        "Cannot partition variable along axis 2 when shape is only (6, 4)",
    ),
    (
        "(lambda w: tf.gradients(tf.reduce_sum(tf.convert_to_tensor(w)), w))(tf.get_variable('w', [4, 2], partitioner=tf.fixed_size_partitioner(2)))",
        "PartitionedVariable doesn't support being used as a reference.",
    ),
    (
        "tf.convert_to_tensor(tf.get_variable('w', [4, 2], partitioner=tf.fixed_size_partitioner(2)), dtype=tf.int32)",
        "Incompatible type conversion requested to type 'int32' for variable of type 'float32'",
    ),
    (
        "type(tf.get_variable('w', [4, 2], partitioner=tf.fixed_size_partitioner(2)))(name='w', shape=[4, 2], dtype=tf.float32, variable_list=[], partitions=[2, 1])",
        "variable_list may not be empty",
    ),
]
