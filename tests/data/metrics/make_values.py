"""Writes values.json next to this file: what TensorFlow's tf.metrics give over several
batches, for tests/metrics/test_values.py. Run it with a TensorFlow interpreter:

    /tmp/tfref/bin/python tests/data/metrics/make_values.py

Each case builds ``expr`` over placeholders (``feeds``: name -> [dtype, shape], and the
shape of the values fed when the placeholder's rank is unknown), runs
``tf.local_variables_initializer()``, then for each batch runs ``update_op`` and then ``value``
(both recorded), then re-initializes the local variables and runs the first batch again
(``after_reset``). The batches are random but fixed (seeded) and stored in the file.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
BATCH = 6
CLASSES = 4


def _batches(rng, feeds, count=3):
    out = []
    for _ in range(count):
        batch = {}
        for name, (dtype, shape, *fed) in feeds.items():
            shape = fed[0] if fed else [BATCH if d is None else d for d in shape]
            if dtype == "bool":
                value = rng.random(shape) < 0.5
            elif dtype.startswith("int"):
                value = rng.integers(0, CLASSES, shape)
            elif name.startswith("prob"):
                value = rng.random(shape).round(3)
            elif name.startswith("w"):
                value = rng.integers(0, 3, shape).astype(float)
            else:
                value = (rng.standard_normal(shape) * 2).round(3)
            batch[name] = value.tolist()
        out.append(batch)
    return out


F = ("float32", [None])
W = ("float32", [None])
B = ("bool", [None])
P = ("float32", [None])
INT = ("int64", [None])
CASES = [
    ("tf.metrics.mean(x)", {"x": F}),
    ("tf.metrics.mean(x, weights=w)", {"x": F, "w": W}),
    ("tf.metrics.mean_tensor(x)", {"x": ("float32", [2, 3])}),
    ("tf.metrics.mean_tensor(x, weights=w)", {"x": ("float32", [2, 3]), "w": ("float32", [2, 1])}),
    ("tf.metrics.accuracy(a, b)", {"a": INT, "b": INT}),
    ("tf.metrics.accuracy(a, b, weights=w)", {"a": INT, "b": INT, "w": W}),
    ("tf.metrics.mean_absolute_error(x, y)", {"x": F, "y": F}),
    ("tf.metrics.mean_squared_error(x, y, weights=w)", {"x": F, "y": F, "w": W}),
    ("tf.metrics.root_mean_squared_error(x, y)", {"x": F, "y": F}),
    ("tf.metrics.mean_relative_error(x, y, normalizer=z)", {"x": F, "y": F, "z": F}),
    (
        "tf.metrics.mean_cosine_distance(x, y, dim=1)",
        {"x": ("float32", [None, 3]), "y": ("float32", [None, 3])},
    ),
    ("tf.metrics.percentage_below(x, 0.5, weights=w)", {"x": F, "w": W}),
    ("tf.metrics.true_positives(t, u)", {"t": B, "u": B}),
    ("tf.metrics.false_positives(t, u, weights=w)", {"t": B, "u": B, "w": W}),
    ("tf.metrics.true_negatives(t, u)", {"t": B, "u": B}),
    ("tf.metrics.false_negatives(t, u, weights=w)", {"t": B, "u": B, "w": W}),
    ("tf.metrics.precision(t, u)", {"t": B, "u": B}),
    ("tf.metrics.recall(t, u, weights=w)", {"t": B, "u": B, "w": W}),
    ("tf.metrics.true_positives_at_thresholds(t, prob, [0.2, 0.5, 0.8])", {"t": B, "prob": P}),
    (
        "tf.metrics.false_positives_at_thresholds(t, prob, [0.2, 0.5], weights=w)",
        {"t": B, "prob": P, "w": W},
    ),
    ("tf.metrics.true_negatives_at_thresholds(t, prob, [0.5])", {"t": B, "prob": P}),
    ("tf.metrics.false_negatives_at_thresholds(t, prob, [0.3, 0.7])", {"t": B, "prob": P}),
    ("tf.metrics.precision_at_thresholds(t, prob, [0.25, 0.5, 0.75])", {"t": B, "prob": P}),
    (
        "tf.metrics.recall_at_thresholds(t, prob, [0.25, 0.5], weights=w)",
        {"t": B, "prob": P, "w": W},
    ),
    ("tf.metrics.auc(t, prob)", {"t": B, "prob": P}),
    ("tf.metrics.auc(t, prob, num_thresholds=7, weights=w)", {"t": B, "prob": P, "w": W}),
    ("tf.metrics.auc(t, prob, curve='PR')", {"t": B, "prob": P}),
    (
        "tf.metrics.auc(t, prob, curve='PR', summation_method='careful_interpolation')",
        {"t": B, "prob": P},
    ),
    ("tf.metrics.auc(t, prob, num_thresholds=9, summation_method='minoring')", {"t": B, "prob": P}),
    ("tf.metrics.auc(t, prob, num_thresholds=9, summation_method='majoring')", {"t": B, "prob": P}),
    ("tf.metrics.auc(t, prob, thresholds=[0.7, 0.2, 0.5])", {"t": B, "prob": P}),
    ("tf.metrics.sensitivity_at_specificity(t, prob, 0.6, num_thresholds=11)", {"t": B, "prob": P}),
    ("tf.metrics.specificity_at_sensitivity(t, prob, 0.4, weights=w)", {"t": B, "prob": P, "w": W}),
    ("tf.metrics.mean_iou(a, b, 4)", {"a": INT, "b": INT}),
    ("tf.metrics.mean_iou(a, b, 4, weights=w)", {"a": INT, "b": INT, "w": W}),
    ("tf.metrics.mean_per_class_accuracy(a, b, 4)", {"a": INT, "b": INT}),
    ("tf.metrics.mean_per_class_accuracy(a, b, 4, weights=w)", {"a": INT, "b": INT, "w": W}),
    ("tf.metrics.precision_at_k(a, s, 2)", {"a": INT, "s": ("float32", [None, CLASSES])}),
    ("tf.metrics.recall_at_k(a, s, 2)", {"a": INT, "s": ("float32", [None, CLASSES])}),
    (
        "tf.metrics.precision_at_k(a, s, 1, class_id=2)",
        {"a": INT, "s": ("float32", [None, CLASSES])},
    ),
    (
        "tf.metrics.recall_at_k(a, s, 3, class_id=1, weights=w)",
        {"a": INT, "s": ("float32", [None, CLASSES]), "w": W},
    ),
    (
        "tf.metrics.sparse_precision_at_k(m, s, 2)",
        {"m": ("int64", [None, 2]), "s": ("float32", [None, CLASSES])},
    ),
    (
        "tf.metrics.recall_at_k(m, s, 2)",
        {"m": ("int64", [None, 2]), "s": ("float32", [None, CLASSES])},
    ),
    (
        "tf.metrics.precision_at_top_k(a, tf.nn.top_k(s, 2)[1])",
        {"a": INT, "s": ("float32", [None, CLASSES])},
    ),
    (
        "tf.metrics.recall_at_top_k(m, tf.nn.top_k(s, 3)[1])",
        {"m": ("int64", [None, 2]), "s": ("float32", [None, CLASSES])},
    ),
    ("tf.metrics.average_precision_at_k(a, s, 3)", {"a": INT, "s": ("float32", [None, CLASSES])}),
    (
        "tf.metrics.sparse_average_precision_at_k(m, s, 2, weights=w)",
        {"m": ("int64", [None, 2]), "s": ("float32", [None, CLASSES]), "w": W},
    ),
    # the squeezing and broadcasting of weights and labels when shapes are known only running
    ("tf.metrics.mean(u, weights=w1)", {"u": ("float32", None, [6]), "w1": ("float32", [None, 1])}),
    ("tf.metrics.mean(u, weights=wu)", {"u": ("float32", [None, 1]), "wu": ("float32", None, [6])}),
    ("tf.metrics.accuracy(a1, b)", {"a1": ("int64", [None, 1]), "b": INT}),
    ("tf.metrics.accuracy(au, b, weights=w)", {"au": ("int64", None, [6, 1]), "b": INT, "w": W}),
    (
        "tf.metrics.auc(t, probu, weights=wu)",
        {"t": B, "probu": ("float32", None, [6]), "wu": ("float32", None, [6, 1])},
    ),
    (
        "tf.metrics.mean_per_class_accuracy(a2, b2, 4)",
        {"a2": ("int64", [3, 2]), "b2": ("int64", [3, 2])},
    ),
]


def _plain(value):
    return np.asarray(value).tolist()


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    rng = np.random.default_rng(20261204)
    records = []
    for expr, feeds in CASES:
        batches = _batches(rng, feeds)
        with tf.Graph().as_default():
            holders = {n: tf.placeholder(d, s, name=n) for n, (d, s, *_) in feeds.items()}
            value, update = eval(expr, {"tf": tf, **holders})
            with tf.Session() as sess:
                sess.run(tf.local_variables_initializer())
                updates, values = [], []
                for batch in batches:
                    fd = {holders[n]: v for n, v in batch.items()}
                    updates.append(_plain(sess.run(update, fd)))
                    values.append(_plain(sess.run(value)))
                sess.run(tf.local_variables_initializer())
                fd = {holders[n]: v for n, v in batches[0].items()}
                after_reset = _plain(sess.run(update, fd))
        records.append(
            {
                "expr": expr,
                "feeds": feeds,
                "batches": batches,
                "updates": updates,
                "values": values,
                "after_reset": after_reset,
            }
        )
    out = {"generated_by": "tests/data/metrics/make_values.py", "tensorflow": tf.__version__}
    out["cases"] = records
    (HERE / "values.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"{len(records)} cases -> {HERE / 'values.json'}")


if __name__ == "__main__":
    main()
