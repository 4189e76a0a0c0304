"""Training speed: a 2-layer LSTM language model (``MultiRNNCell`` of two ``BasicLSTMCell``
of 256 units run by ``tf.nn.dynamic_rnn``, a 1,000-word embedding and softmax), plain
gradient descent, batch 32 of 50-step synthetic sequences. Prints steps per second and peak
memory; with ``--tf-python``, TF1's (``tf_keras``'s legacy cells) beside them and the ratio
(goal: at least 0.7x TF1's steps/s).

    python benchmarks/train_lstm.py --tf-python /path/to/tf-venv/bin/python

``--executor jax`` compares, in one process, the NumPy executor and ``Session(executor="jax")``
on the training step and on the forward pass alone (the loss), with the compiled segments
of each plan under JAX, and the compile time and first step's latency of each plan apart
(measured in its first run: ``_jax_timing.py``):

    python benchmarks/train_lstm.py --executor jax

Measured 2026-12 on the shared 2-core VM (load average ~9): 0.12x with OpenBLAS's default
two threads, where 97% of scopeflow's step is ``np.matmul`` of [32, 512] x [512, 1024] (each
0.5 ms alone, 70-100 ms when OpenBLAS's threads wait on each other on an oversubscribed
machine); with ``OPENBLAS_NUM_THREADS=1`` 1.6x (0.5 vs 0.3 steps/s). The loop machinery
itself (per-step plan overhead, TensorArrays, stacks) is a few percent of the step.
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402
import _jax_timing  # noqa: E402

STEPS = 3
BATCH = 32
TIME = 50
UNITS = 256
VOCAB = 1000


def language_model(tf, tokens, targets):
    embedding = tf.get_variable("embedding", [VOCAB, UNITS])
    inputs = tf.nn.embedding_lookup(embedding, tokens)
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(UNITS) for _ in range(2)])
    outputs, _ = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
    w = tf.get_variable("softmax_w", [UNITS, VOCAB])
    b = tf.get_variable("softmax_b", [VOCAB], initializer=tf.zeros_initializer())
    logits = tf.matmul(tf.reshape(outputs, [-1, UNITS]), w) + b
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.reshape(targets, [-1]), logits=logits
    )
    return tf.reduce_mean(losses)


def measure(backend: str, repeats: int) -> dict:
    os.environ["TF_USE_LEGACY_KERAS"] = "1"  # TensorFlow's tf.nn.rnn_cell is tf_keras's
    tf = _harness.import_backend(backend)
    rng = np.random.default_rng(0)
    data = rng.integers(0, VOCAB, (BATCH * 2, TIME + 1))
    tokens = tf.placeholder(tf.int32, [None, TIME])
    targets = tf.placeholder(tf.int32, [None, TIME])
    loss = language_model(tf, tokens, targets)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return _harness.training_figures(
        tf,
        train,
        tokens,
        targets,
        data[:, :-1],
        data[:, 1:],
        BATCH,
        STEPS,
        repeats,
        "LSTM LM GD steps per second",
    )


def compare_executors(repeats: int) -> None:
    import scopeflow as tf

    data = np.random.default_rng(0).integers(0, VOCAB, (BATCH, TIME + 1))
    print(f"2-layer LSTM LM, batch {BATCH}, {TIME} steps (load average {os.getloadavg()[0]:.1f})")
    for executor in ("numpy", "jax"):
        with tf.Graph().as_default():
            tokens = tf.placeholder(tf.int32, [None, TIME])
            targets = tf.placeholder(tf.int32, [None, TIME])
            loss = language_model(tf, tokens, targets)
            train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
            feeds = {tokens: data[:, :-1], targets: data[:, 1:]}
            with tf.Session(executor=executor) as sess:
                sess.run(tf.global_variables_initializer())
                for name, fetch in (("forward (loss)", loss), ("train step", [train, loss])):
                    first = _jax_timing.first_run(lambda f=fetch, d=feeds, s=sess: s.run(f, d))
                    seconds = _harness.median_seconds(
                        lambda f=fetch, d=feeds, s=sess: s.run(f, d), repeats
                    )
                    where = ""
                    if executor == "jax":
                        key = (tuple(fetch) if isinstance(fetch, list) else (fetch,), tuple(feeds))
                        prepared = sess._jax.prepare(sess._plans[key])
                        where = (
                            "  whole plan on the host"
                            if prepared.whole_on_host
                            else f"  {prepared.segments} segment(s), {len(prepared.parts)} part(s)"
                        )
                    print(
                        f"executor={executor:6s} {name:15s} {1 / seconds:6.2f} steps/s, "
                        f"{_jax_timing.describe(first)}{where}"
                    )


if __name__ == "__main__":
    if "--executor" in sys.argv:
        index = sys.argv.index("--executor")
        if sys.argv[index + 1] != "jax":
            sys.exit("--executor: only 'jax' (the NumPy executor is the default table)")
        del sys.argv[index : index + 2]
        compare_executors(_harness.parse_args("LSTM: NumPy vs JAX executor").repeats)
        sys.exit(0)
    _harness.main(
        os.path.abspath(__file__), "train 2-layer LSTM LM (256 units, 50 steps), batch 32", measure
    )
