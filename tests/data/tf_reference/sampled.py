"""What tests/ops/nn/test_sampled.py asks TensorFlow (tools/tf_reference.py): the candidate
samplers, tf.nn.compute_accidental_hits, tf.nn.nce_loss and tf.nn.sampled_softmax_loss (ops,
names, shapes, attributes, errors) and the IndexedSlices gradients they give the weights."""

SETUP = {
    "y": ("int64", [3, 2]),
    "y1": ("int64", [3, 1]),
    "yu": ("int64", [None, 1]),
    "yi": ("int32", [3, 1]),
    "v": ("int64", [3]),
    "w": ("float32", [10, 4]),
    "b": ("float32", [10]),
    "x": ("float32", [3, 4]),
    "xu": ("float32", [None, 4]),
    "s": ("int64", [5]),
    "c": ("float32", [5]),
    "t": ("float32", [3, 1]),
}

SAMPLERS = [
    "tf.nn.log_uniform_candidate_sampler(y, 2, 5, True, 10)",
    "tf.nn.log_uniform_candidate_sampler(yu, 1, 5, False, 10, seed=3, name='op')",
    "tf.nn.uniform_candidate_sampler(y, 2, 5, False, 10)",
    "tf.nn.uniform_candidate_sampler(y, 2, 5, True, 10, seed=7)",
    "tf.nn.fixed_unigram_candidate_sampler(y, 2, 3, True, 4, unigrams=[1, 2, 3, 4])",
    "tf.nn.fixed_unigram_candidate_sampler(y1, 1, 3, False, 5, distortion=0.75, "
    "num_reserved_ids=1, unigrams=[1.0, 2.0, 3.0, 4.0])",
    "tf.nn.all_candidate_sampler(y, 2, 5, True)",
    "tf.random.all_candidate_sampler(y1, 1, 3, False, name='op')",
    "tf.nn.compute_accidental_hits(y, s, 2)",
    "tf.nn.compute_accidental_hits(yu, s, 1, name='hits')",
]

LOSSES = [
    "tf.nn.nce_loss(w, b, y1, x, num_sampled=5, num_classes=10)",
    "tf.nn.nce_loss(w, b, y, x, num_sampled=5, num_classes=10, num_true=2, name='op')",
    "tf.nn.nce_loss(w, b, yi, x, num_sampled=5, num_classes=10)",
    "tf.nn.nce_loss(w, b, yu, xu, num_sampled=5, num_classes=10)",
    "tf.nn.nce_loss(w, b, y1, x, 5, 10, remove_accidental_hits=True)",
    "tf.nn.nce_loss(w, b, y1, x, 5, 10, sampled_values=(s, t, c))",
    "tf.nn.sampled_softmax_loss(w, b, y1, x, num_sampled=5, num_classes=10)",
    "tf.nn.sampled_softmax_loss(w, b, yu, xu, 5, 10, remove_accidental_hits=False)",
    "tf.nn.sampled_softmax_loss(w, b, y, x, 5, 10, num_true=2, name='op')",
    "tf.nn.sampled_softmax_loss(w, b, y1, x, 5, 10, sampled_values=(s, t, c), seed=2)",
]

GRADIENTS = [
    "tf.gradients(tf.nn.nce_loss(w, b, y1, x, 5, 10), [w, b, x])",
    "tf.gradients(tf.nn.sampled_softmax_loss(w, b, y1, x, 5, 10), [w, b, x])",
]

ERRORS = [
    ("tf.nn.log_uniform_candidate_sampler(v, 1, 5, True, 10)", "must be rank 2"),
    (
        "tf.nn.log_uniform_candidate_sampler(yi, 1, 5, True, 10)",
        "has type int32 that does not match expected type of int64",
    ),
    ("tf.nn.log_uniform_candidate_sampler(y, 2, 0, True, 10)", "less than minimum 1"),
    ("tf.nn.uniform_candidate_sampler(y, 2, 5, True, 0)", "less than minimum 1"),
    ("tf.nn.compute_accidental_hits(y, y, 2)", "must be rank 1"),
    ("tf.nn.compute_accidental_hits(y, s, 3)", "Dimension must be 3 but is 2"),
]
