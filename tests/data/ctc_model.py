"""Values ``make_ctc_values.py`` records under TensorFlow and tests/ops/nn/test_ctc.py
compares scopeflow's with: the same functions run under either library, given as ``tf``.
Inputs are fixed random logits; a loss case records the losses and the gradient of their
weighted sum w.r.t. the logits (infinite losses left out), and the op's own gradient
output, a decoder case its decoded ``SparseTensor``\\ s (indices,
values, dense shape) and log-probabilities, an error case the error's type and TF's text."""

import numpy as np


def _logits(seed: int, shape, scale: float = 1.0, dtype=np.float32) -> np.ndarray:
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


def _random_labels(seed: int, batch: int, classes: int, longest: int) -> list:
    rng = np.random.default_rng(seed)
    return [
        rng.integers(0, classes - 1, rng.integers(1, longest + 1)).tolist() for _ in range(batch)
    ]


def sparse_arrays(labels: list) -> tuple:
    """Per-sequence label lists as the arrays of a ``SparseTensor`` with one row per sequence:
    int64 indices, int32 values, int64 dense shape."""
    indices = [[b, i] for b, row in enumerate(labels) for i in range(len(row))]
    values = [v for row in labels for v in row]
    longest = max((len(row) for row in labels), default=0)
    return (
        np.array(indices, np.int64).reshape(-1, 2),
        np.array(values, np.int32),
        np.array([len(labels), longest], np.int64),
    )


def sparse_labels(tf, labels: list):
    """Per-sequence label lists as TF1's int32 ``SparseTensor``."""
    return tf.SparseTensor(*sparse_arrays(labels))


# name: (logits, labels, sequence_length, ctc_loss keyword arguments)
LOSSES = {
    "basic": (_logits(0, (6, 3, 5)), [[0, 1, 2], [3], [1, 1]], [6, 5, 4], {}),
    "collapse": (
        _logits(1, (7, 3, 5)),
        [[1, 1, 2, 2], [3, 3], [0]],
        [7, 6, 3],
        {"preprocess_collapse_repeated": True},
    ),
    "no-merge": (
        _logits(2, (6, 3, 4)),
        [[1, 1, 2], [0, 0], [2]],
        [6, 2, 5],
        {"ctc_merge_repeated": False},
    ),
    "collapse-no-merge": (
        _logits(3, (6, 2, 4)),
        [[1, 1, 1, 2], [0, 2, 2]],
        [6, 5],
        {"preprocess_collapse_repeated": True, "ctc_merge_repeated": False},
    ),
    "batch-major": (
        _logits(4, (3, 6, 5)),
        [[0, 3], [2, 2, 1], [1]],
        [6, 6, 2],
        {"time_major": False},
    ),
    "ignore-longer": (
        _logits(5, (4, 3, 5)),
        [[0, 1, 2, 3, 0], [2], [1, 2]],
        [4, 0, 3],
        {"ignore_longer_outputs_than_inputs": True},
    ),
    "impossible": (_logits(6, (3, 2, 4)), [[2, 2], [1, 1]], [2, 3], {}),
    "blank-ends-labels": (_logits(7, (5, 2, 5)), [[1, 4], [2, 0, 5]], [5, 4], {}),
    "float64": (_logits(8, (6, 2, 5), dtype=np.float64), [[0, 1, 2], [3, 3]], [6, 6], {}),
    "float16": (_logits(9, (5, 2, 4), dtype=np.float16), [[0, 1], [2]], [5, 4], {}),
    "sharp": (_logits(10, (8, 2, 6), scale=10.0), [[0, 1, 2, 3], [4, 4, 1]], [8, 7], {}),
    "long": (
        _logits(11, (50, 4, 20), scale=3.0),
        _random_labels(11, 4, 20, 15),
        [50, 41, 30, 50],
        {},
    ),
}

# name: (logits, sequence_length, decoder, keyword arguments)
DECODERS = {
    "greedy": (_logits(20, (8, 3, 4)), [8, 5, 0], "greedy", {}),
    "greedy-no-merge": (_logits(20, (8, 3, 4)), [8, 5, 0], "greedy", {"merge_repeated": False}),
    "greedy-blank-0": (
        _logits(21, (6, 2, 5), dtype=np.float64),
        [6, 6],
        "greedy",
        {"blank_index": 0},
    ),
    "beam-default": (_logits(22, (10, 3, 5)), [10, 7, 4], "beam", {}),
    "beam-top3": (_logits(23, (8, 3, 3)), [8, 8, 6], "beam", {"beam_width": 10, "top_paths": 3}),
    "beam-top3-no-merge": (
        _logits(23, (8, 3, 3)),
        [8, 8, 6],
        "beam",
        {"beam_width": 10, "top_paths": 3, "merge_repeated": False},
    ),
    "beam-narrow": (
        _logits(24, (12, 2, 6), scale=2.0),
        [12, 9],
        "beam",
        {"beam_width": 2, "top_paths": 2, "merge_repeated": False},
    ),
    "beam-width-1": (_logits(25, (9, 2, 4)), [9, 9], "beam", {"beam_width": 1}),
    "beam-float64": (
        _logits(26, (7, 2, 4), dtype=np.float64),
        [7, 3],
        "beam",
        {"beam_width": 5, "top_paths": 2},
    ),
    "beam-v2": (_logits(27, (10, 2, 4)), [10, 10], "beam_v2", {"beam_width": 6, "top_paths": 4}),
    "beam-long": (
        _logits(28, (30, 2, 12), scale=2.0),
        [30, 25],
        "beam",
        {"beam_width": 20, "top_paths": 5},
    ),
}


def _x():
    return _logits(30, (4, 2, 5))


# name: a function of tf building what fails at run time.
ERRORS = {
    "too-long": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[0, 1, 2, 3, 0], [1]]), _x(), [4, 4]),
    "no-time": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[0], [1]]), _x(), [4, 0]),
    "empty-labels": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[0], []]), _x(), [4, 4]),
    "negative-label": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[0, -1], [1]]), _x(), [4, 4]),
    "label-after-blank": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[4, 1], [1]]), _x(), [4, 4]),
    "sequence-too-long": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[0], [1]]), _x(), [5, 4]),
    "negative-sequence": lambda tf: tf.nn.ctc_loss(sparse_labels(tf, [[0], [1]]), _x(), [-1, 4]),
    "unsorted-labels": lambda tf: tf.nn.ctc_loss(
        tf.SparseTensor(
            np.array([[0, 1], [0, 0], [1, 0]], np.int64), np.array([1, 2, 3], np.int32), [2, 2]
        ),
        _x(),
        [4, 4],
    ),
    "labels-out-of-bounds": lambda tf: tf.nn.ctc_loss(
        tf.SparseTensor(
            np.array([[0, 0], [0, 1], [2, 0]], np.int64), np.array([1, 2, 3], np.int32), [3, 2]
        ),
        _x(),
        [4, 4],
    ),
    "greedy-sequence-too-long": lambda tf: tf.nn.ctc_greedy_decoder(_x(), [5, 4])[1],
    "greedy-blank-index": lambda tf: tf.nn.ctc_greedy_decoder(_x(), [4, 4], blank_index=5)[1],
    "greedy-empty": lambda tf: tf.nn.ctc_greedy_decoder(_x()[:0], [0, 0])[1],
    "beam-sequence-too-long": lambda tf: tf.nn.ctc_beam_search_decoder(_x(), [5, 4])[1],
    "beam-more-paths-than-width": lambda tf: tf.nn.ctc_beam_search_decoder(
        _x(), [4, 4], beam_width=2, top_paths=3
    )[1],
    "beam-fewer-leaves": lambda tf: tf.nn.ctc_beam_search_decoder(
        _x(), [0, 4], beam_width=4, top_paths=2
    )[1],
}


def _weights(tf, r):
    """Fixed weights of ``r``'s entries: cosines of their positions."""
    return tf.cos(tf.cast(tf.range(tf.size(r)), r.dtype))


def _loss_values(tf, name: str) -> list:
    logits, labels, seq_len, kwargs = LOSSES[name]
    x = tf.constant(logits)
    loss = tf.nn.ctc_loss(sparse_labels(tf, labels), x, seq_len, **kwargs)
    finite = tf.where(tf.is_finite(loss), loss, tf.zeros_like(loss))
    grad = tf.gradients(tf.reduce_sum(finite * _weights(tf, loss)), x)[0]
    (op,) = [op for op in tf.get_default_graph().get_operations() if op.type == "CTCLoss"]
    return [loss, grad, op.outputs[1]]


def _decoder_values(tf, name: str) -> list:
    logits, seq_len, kind, kwargs = DECODERS[name]
    decode = {
        "greedy": tf.nn.ctc_greedy_decoder,
        "beam": tf.nn.ctc_beam_search_decoder,
        "beam_v2": tf.nn.ctc_beam_search_decoder_v2,
    }[kind]
    decoded, log_prob = decode(tf.constant(logits), seq_len, **kwargs)
    return [t for d in decoded for t in (d.indices, d.values, d.dense_shape)] + [log_prob]


def core_message(message: str) -> str:
    """An op error's own text, without TF's wrapping (the node and the stack)."""
    if "\nNode: '" in message:
        message = message.split("\nNode: '", 1)[1].split("\n", 1)[1]
    return message.split("\n\t [[", 1)[0]


def values(tf, names=None) -> dict:
    """``{name: [value, ...]}`` for the loss and decoder cases; ``{name: [error type, text]}``
    for the error cases."""
    out = {}
    for group, build in (("loss", _loss_values), ("decode", _decoder_values)):
        for name in LOSSES if group == "loss" else DECODERS:
            key = f"{group}/{name}"
            if names is not None and key not in names:
                continue
            with tf.Graph().as_default(), tf.Session() as sess:
                out[key] = [np.asarray(v).tolist() for v in sess.run(build(tf, name))]
    for name, build in ERRORS.items():
        key = f"error/{name}"
        if names is not None and key not in names:
            continue
        with tf.Graph().as_default(), tf.Session() as sess:
            try:
                sess.run(build(tf))
                out[key] = None
            except tf.errors.OpError as e:
                out[key] = [type(e).__name__, core_message(e.message)]
    return out
