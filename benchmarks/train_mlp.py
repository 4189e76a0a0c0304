"""Training speed: a 784-512-512-10 MLP with Adam, batch 128, on synthetic data. Prints steps
per second and peak memory (goal for the NumPy executor: at least 0.7x TF1's steps/s with no
more memory).

    python benchmarks/train_mlp.py --tf-python /path/to/tf-venv/bin/python
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

STEPS = 30
BATCH = 128


def measure(backend: str, repeats: int) -> dict:
    tf = _harness.import_backend(backend)
    rng = np.random.default_rng(0)
    data = rng.standard_normal((BATCH * 8, 784)).astype(np.float32)
    labels = rng.integers(0, 10, BATCH * 8)
    x = tf.placeholder(tf.float32, [None, 784])
    y = tf.placeholder(tf.int64, [None])
    h = x
    for i, width in enumerate([512, 512]):
        with tf.variable_scope(f"dense{i}"):
            w = tf.get_variable("w", [h.shape[1].value, width])
            b = tf.get_variable("b", [width], initializer=tf.zeros_initializer())
            h = tf.nn.relu(tf.matmul(h, w) + b)
    with tf.variable_scope("out"):
        w = tf.get_variable("w", [512, 10])
        logits = tf.matmul(h, w)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(1e-3).minimize(loss)
    return _harness.training_figures(
        tf, train, x, y, data, labels, BATCH, STEPS, repeats, "MLP Adam steps per second"
    )


if __name__ == "__main__":
    _harness.main(os.path.abspath(__file__), "train 784-512-512-10 MLP, Adam, batch 128", measure)
