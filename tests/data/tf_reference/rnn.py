"""What tests/rnn/test_reference.py asks TensorFlow (tools/tf_reference.py, run with
TF_USE_LEGACY_KERAS=1 so that tf.nn.rnn_cell is tf_keras's): the graphs TF1's RNN cells,
wrappers and drivers build (every op, in order), their results' names and shapes, the
variables they make, and the errors they raise on bad input. Each expression returns a flat
list: outputs, state tensors, then tf.global_variables()."""

SETUP = {
    "x": ("float32", [2, 5, 3]),
    "x0": ("float32", [2, 3]),
    "xt": ("float32", [5, 2, 3]),
    "u": ("float32", [None, None, 3]),
    "lens": ("int32", [2]),
}

# One step of a cell from its zero state.
CELLS = [
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.BasicRNNCell(4))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.BasicRNNCell(4, activation=tf.nn.relu, name='enc'))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.GRUCell(4))",
    "(lambda c: (lambda o, s: [o, s.c, s.h] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.BasicLSTMCell(4))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.BasicLSTMCell(4, forget_bias=0.5, state_is_tuple=False))",
    "(lambda c: (lambda o, s: [o, s.c, s.h] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.LSTMCell(4))",
    "(lambda c: (lambda o, s: [o, s.c, s.h] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2, cell_clip=1.0, proj_clip=0.5))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.LSTMCell(4, num_proj=3, state_is_tuple=False, initializer=tf.orthogonal_initializer()))",
    "(lambda c: (lambda o, s: [o, s[0].c, s[0].h, s[1]] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.GRUCell(3)]))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(4), tf.nn.rnn_cell.BasicRNNCell(3)], state_is_tuple=False))",
    "(lambda c: (lambda o, s: [o, s.c, s.h] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), input_keep_prob=0.8, output_keep_prob=0.5, state_keep_prob=0.7))",
    "(lambda c: (lambda o, s: [o, s[0].c, s[0].h, s[1]] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4), tf.nn.rnn_cell.GRUCell(2)]), state_keep_prob=tf.placeholder(tf.float32, []), seed=3))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3)))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.GRUCell(3), '/cpu:0'))",
    "(lambda c: (lambda o, s: [o, s] + tf.global_variables())(*c(x0, c.zero_state(2, tf.float32), scope='decoder')))(tf.nn.rnn_cell.GRUCell(4))",
    "(lambda c: [c(x0, c.zero_state(2, tf.float32))[0], c(x0, c.zero_state(2, tf.float32))[0]] + tf.global_variables())(tf.nn.rnn_cell.GRUCell(4))",
]

# The drivers.
DRIVERS = [
    "(lambda o, s: [o, s.c, s.h] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype=tf.float32))",
    "(lambda o, s: [o, s] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, sequence_length=[5, 2], dtype=tf.float32))",
    "(lambda o, s: [o, s] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, sequence_length=lens, dtype=tf.float32, scope='encoder'))",
    "(lambda o, s: [o, s[0].c, s[0].h, s[1].c, s[1].h] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(4)]), xt, dtype=tf.float32, time_major=True))",
    "(lambda o, s: [o, s[0].c, s[0].h, s[1].c, s[1].h] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4), tf.nn.rnn_cell.BasicLSTMCell(4)]), x, sequence_length=[5, 2], dtype=tf.float32))",
    "(lambda o, s: [o, s] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), u, dtype=tf.float32, swap_memory=True, parallel_iterations=4))",
    "(lambda o, s: [o, s] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), u, sequence_length=tf.placeholder(tf.int32, [None]), initial_state=tf.zeros([2, 4])))",
    "(lambda o, s: [o, s.c, s.h] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), input_keep_prob=0.8, output_keep_prob=0.5, state_keep_prob=0.7, variational_recurrent=True, input_size=3, dtype=tf.float32), x, dtype=tf.float32))",
    "(lambda o, s: [o, s[0], s[1]] + tf.global_variables())(*tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3)), tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.GRUCell(3), '/cpu:0')]), x, dtype=tf.float32))",
    "(lambda o, s: [o[0], o[1], s[0], s[1]] + tf.global_variables())(*tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32))",
    "(lambda o, s: [o[0], o[1], s[0].c, s[0].h, s[1].c, s[1].h] + tf.global_variables())(*tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(4), xt, sequence_length=lens, dtype=tf.float32, time_major=True))",
    "(lambda o, s: o + [s] + tf.global_variables())(*tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(5), tf.unstack(x, axis=1), dtype=tf.float32))",
    "(lambda o, s: o + [s.c, s.h] + tf.global_variables())(*tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(5), tf.unstack(x, axis=1), sequence_length=[3, 5], dtype=tf.float32))",
    "(lambda o, f, b: o + [f, b] + tf.global_variables())(*tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.GRUCell(5), tf.nn.rnn_cell.GRUCell(5), tf.unstack(x, axis=1), dtype=tf.float32))",
    "(lambda o, f, b: o + [f, b] + tf.global_variables())(*tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.GRUCell(5), tf.nn.rnn_cell.GRUCell(5), tf.unstack(x, axis=1), sequence_length=tf.constant([3, 5]), dtype=tf.float32))",
    "(lambda cell, inputs: (lambda r: [r[0].stack(), r[1]] + tf.global_variables())(tf.nn.raw_rnn(cell, lambda time, out, st, ls: (time >= [5, 2], tf.cond(tf.reduce_all(time >= [5, 2]), lambda: tf.zeros([2, 3]), lambda: inputs[tf.minimum(time, 4)]), cell.zero_state(2, tf.float32) if out is None else st, out, ls))))(tf.nn.rnn_cell.GRUCell(4), tf.transpose(x, [1, 0, 2]))",
    "tf.reverse_sequence(x, [2, 3], 1)",
    "tf.reverse_sequence(x, lens, seq_axis=1, batch_axis=0, name='rev')",
    "tf.reverse_sequence(xt, tf.constant([2, 3], tf.int64), seq_axis=0, batch_axis=1)",
]

# Bad input, refused while building.
ERRORS = [
    ("tf.nn.rnn_cell.BasicLSTMCell(4)(x, tf.nn.rnn_cell.BasicLSTMCell(4).zero_state(2, tf.float32))", 'Input 0 of layer "basic_lstm_cell_1" is incompatible with the layer: expected ndim=2, found ndim=3.'),
    ("(lambda c: (c(x0, c.zero_state(2, tf.float32)), c(tf.zeros([2, 5]), c.zero_state(2, tf.float32))))(tf.nn.rnn_cell.GRUCell(4, name='enc'))", "Dimensions must be equal"),
    ("tf.nn.rnn_cell.GRUCell(4)(x0, tf.zeros([2, 5]))", "Dimensions must be equal, but are 8 and 7 for '{{node gru_cell/MatMul}}"),
    ("tf.nn.rnn_cell.GRUCell(4)(x0, tf.zeros([3, 4]))", "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2] and [3]. for '{{node gru_cell/concat}}"),
    ("tf.nn.rnn_cell.BasicLSTMCell(4)(x0, tf.zeros([2, 4]))", None),
    ("tf.nn.rnn_cell.BasicRNNCell(4)(tf.zeros([2, 3], tf.int32), tf.zeros([2, 4]))", "RNN cell only supports floating point inputs, but received dtype:"),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x0, dtype=tf.float32)", "Shape (3, 2) must have rank at least 3"),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x)", "If no initial_state is provided, argument `dtype` must be specified"),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, sequence_length=[[1, 2]], dtype=tf.float32)", "Argument sequence_length must be a vector of length batch_size. Received sequence_length="),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), tf.placeholder(tf.float32, [2, 5, None]), dtype=tf.float32)", "Input size (depth of inputs) must be accessible via shape inference, but saw value None for input="),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, initial_state=tf.zeros([2, 5]))", "Dimensions must be equal, but are 8 and 7 for '{{node rnn/while/gru_cell/MatMul}}"),
    ("tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, initial_state=tf.zeros([3, 4]))", "Dimension 0 in both shapes must be equal, but are 2 and 3."),
    ("tf.nn.dynamic_rnn(lambda a, b: a, x, dtype=tf.float32)", "is not an RNNCell: 'output_size' property is missing, 'state_size' property is missing, either 'zero_state' or 'get_initial_state' method is required."),
    ("tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(4), x, dtype=tf.float32)", "Argument `inputs` must be a sequence."),
    ("tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(4), [], dtype=tf.float32)", "Argument `inputs` must not be empty."),
    ("tf.nn.rnn_cell.MultiRNNCell([])", "Must specify at least one cell for MultiRNNCell."),
    ("tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4)], state_is_tuple=False)", "Some cells return tuples of states, but the flag state_is_tuple is not set. State sizes are: [LSTMStateTuple(c=4, h=4)]"),
    ("tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(4)])(x0, tf.zeros([2, 4]))", "Expected state to be a tuple of length 2, but received: "),
    ("tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), output_keep_prob=1.5)", "Parameter output_keep_prob must be between 0 and 1. Received 1.5"),
    ("tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), variational_recurrent=True)", "When variational_recurrent=True, dtype must be provided"),
    ("tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), input_keep_prob=0.5, variational_recurrent=True, dtype=tf.float32)", "When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided"),
    ("tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(4))(x0, tf.zeros([2, 4]))", "are incompatible"),
    ("tf.reverse_sequence(x, [2, 3, 4], 1)", "Dimensions must be equal, but are 2 and 3"),
    ("tf.reverse_sequence(x, [[2, 3]], 1)", "Shape must be rank 1 but is rank 2"),
    ("tf.reverse_sequence(x, [2, 3], 3)", "seq_dim must be < input rank: 3 vs. 3"),
    ("tf.reverse_sequence(x, [2.0, 3.0], 1)", "Value passed to parameter 'seq_lengths' has DataType float32 not in list of allowed values: int32, int64"),
]
