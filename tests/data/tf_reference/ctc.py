"""What tests/ops/nn/test_ctc.py asks TensorFlow (tools/tf_reference.py): the graphs, names,
static shapes and build errors of ``tf.nn.ctc_loss`` (TF1's signature), its gradient,
``tf.nn.ctc_greedy_decoder`` and ``tf.nn.ctc_beam_search_decoder``. A decoder's results are
recorded flat: each ``SparseTensor`` as its three tensors, then the log-probabilities."""

SETUP = {
    "x": ("float32", [4, 2, 5]),
    "xb": ("float32", [2, 4, 5]),
    "xd": ("float64", [None, None, 6]),
    "xh": ("float16", [4, 2, 5]),
    "seq": ("int32", [2]),
    "idx": ("int64", [None, 2]),
    "vals": ("int32", [None]),
}

# Expressions that build (the ops each adds, its results' ops, dtypes and static shapes).
BUILDS = [
    "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, seq)",
    "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, [4, 3])",
    "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), xb, seq, time_major=False)",
    "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), xd, seq, preprocess_collapse_repeated=True, ctc_merge_repeated=False, ignore_longer_outputs_than_inputs=True)",
    "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), xh, seq)",
    "tf.nn.ctc_loss(labels=tf.SparseTensor(idx, vals, [2, 3]), logits=x, sequence_length=seq)",
    "(lambda d, p: d + [p])(*tf.nn.ctc_greedy_decoder(x, seq))",
    "(lambda d, p: d + [p])(*tf.nn.ctc_greedy_decoder(xd, [3, 1], merge_repeated=False, blank_index=0))",
    "(lambda d, p: d + [p])(*tf.nn.ctc_beam_search_decoder(x, seq))",
    "(lambda d, p: d + [p])(*tf.nn.ctc_beam_search_decoder(xd, seq, beam_width=8, top_paths=3, merge_repeated=False))",
    "(lambda d, p: d + [p])(*tf.nn.ctc_beam_search_decoder_v2(x, seq, beam_width=4, top_paths=2))",
    "tf.cast(tf.nn.ctc_greedy_decoder(x, seq)[0][0], tf.int32)",
    "tf.cast(tf.SparseTensor(idx, vals, [2, 3]), tf.int32)",
]

# Gradients: TF1's CTCLoss gradient (PreventGradient on the op's second output, scaled).
GRADIENTS = [
    "tf.gradients(tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, seq), x)[0]",
    "tf.gradients(tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), xb, seq, time_major=False), xb)[0]",
]

# Expressions TF refuses while building.
BUILD_ERRORS = [
    ("tf.nn.ctc_loss(idx, x, seq)", "Expected argument `labels` to be a SparseTensor."),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x[0], seq)",
        "Shape must be rank 3 but is rank 2",
    ),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, [4, 4, 4])",
        "Dimensions must be equal, but are 2 and 3",
    ),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, 4)",
        "Shape must be rank 1 but is rank 0",
    ),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), xb, seq)",
        "Dimensions must be equal, but are 4 and 2",
    ),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, tf.cast(vals, tf.int64), [2, 3]), x, seq)",
        "Input 'labels_values' of 'CTCLoss' Op has type int64 that does not match expected type of int32.",
    ),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, tf.cast(seq, tf.int64))",
        "Input 'sequence_length' of 'CTCLoss' Op has type int64 that does not match expected type of int32.",
    ),
    (
        "tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), tf.cast(x, tf.int32), seq)",
        "Value passed to parameter 'inputs' has DataType int32 not in list of allowed values: float32, float64",
    ),
    (
        "tf.gradients(tf.gradients(tf.nn.ctc_loss(tf.SparseTensor(idx, vals, [2, 3]), x, seq), x)[0], x)",
        'Gradient explicitly disabled. Reason: b"Currently there is no way to take the second  derivative of ctc_loss due to the fused implementation\'s interaction  with tf.gradients()"',
    ),
    ("tf.nn.ctc_greedy_decoder(x[0], seq)", "Shape must be rank 3 but is rank 2"),
    ("tf.nn.ctc_greedy_decoder(x, [4, 4, 4])", "Dimensions must be equal, but are 2 and 3"),
    (
        "tf.nn.ctc_greedy_decoder(tf.cast(x, tf.int32), seq)",
        "Value passed to parameter 'inputs' has DataType int32 not in list of allowed values: float32, float64",
    ),
    (
        "tf.nn.ctc_beam_search_decoder(x, seq, beam_width=0)",
        "Attr 'beam_width' of 'CTCBeamSearchDecoder' Op passed 0 less than minimum 1.",
    ),
    (
        "tf.nn.ctc_beam_search_decoder(x, seq, top_paths=0)",
        "Attr 'top_paths' of 'CTCBeamSearchDecoder' Op passed 0 less than minimum 1.",
    ),
    ("tf.nn.ctc_beam_search_decoder(x[0], seq)", "Shape must be rank 3 but is rank 2"),
    (
        "tf.nn.ctc_beam_search_decoder(x, tf.cast(seq, tf.int64))",
        "Input 'sequence_length' of 'CTCBeamSearchDecoder' Op has type int64 that does not match expected type of int32.",
    ),
]
