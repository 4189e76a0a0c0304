"""Writes ``tf_lstm_checkpoint/`` with TensorFlow's own RNN cells, ``dynamic_rnn`` and ``Saver``.

Run from the repository root with a Python that has TensorFlow and tf_keras (never
scopeflow's venv):

    /path/to/tf-venv/bin/python tests/data/make_lstm_checkpoint.py

It builds :func:`model` (an embedding, a ``MultiRNNCell`` of a ``BasicLSTMCell`` and a
peephole ``LSTMCell`` with a projection, run by ``dynamic_rnn`` over sequences of different
lengths, and a softmax layer), trains it for a few Adam steps, saves ``model.ckpt`` (with
Adam's slots) and writes ``outputs.json``: an input batch, the logits and final state
TensorFlow computes for it, and every variable's value after three more Adam steps from the
checkpoint. ``tests/rnn/test_checkpoint.py`` builds the same model with scopeflow, restores
the checkpoint and must give the same logits, state and trained values.
"""

import json
import os
import shutil

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.nn.rnn_cell is tf_keras's

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB, STEPS, BATCH = 7, 5, 3


def model(tf, tokens, lengths):
    """The model, in the API scopeflow and TensorFlow share (``tf`` is either): logits
    ``[batch, time, VOCAB]`` and the last layer's final ``h``."""
    embedding = tf.get_variable("embedding", [VOCAB, 4])
    inputs = tf.nn.embedding_lookup(embedding, tokens)
    cell = tf.nn.rnn_cell.MultiRNNCell(
        [
            tf.nn.rnn_cell.BasicLSTMCell(6),
            tf.nn.rnn_cell.LSTMCell(5, use_peepholes=True, num_proj=4, cell_clip=3.0),
        ]
    )
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=tf.float32)
    w = tf.get_variable("softmax_w", [4, VOCAB])
    b = tf.get_variable("softmax_b", [VOCAB], initializer=tf.zeros_initializer())
    logits = tf.reshape(tf.matmul(tf.reshape(outputs, [-1, 4]), w) + b, [-1, STEPS, VOCAB])
    return logits, state[1].h


def loss_of(tf, logits, targets, lengths):
    mask = tf.sequence_mask(lengths, STEPS, dtype=tf.float32)
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
    return tf.reduce_sum(losses * mask) / tf.reduce_sum(mask)


def batch():
    rng = np.random.default_rng(0)
    tokens = rng.integers(0, VOCAB, (BATCH, STEPS + 1))
    return tokens[:, :-1], tokens[:, 1:], np.array([5, 3, 1], np.int32)


def main() -> None:
    import tensorflow.compat.v1 as tf  # here: tests import model() without TensorFlow

    tf.disable_v2_behavior()
    out = os.path.join(os.path.relpath(HERE), "tf_lstm_checkpoint")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    tokens_value, targets_value, lengths_value = batch()
    tf.set_random_seed(1)
    tokens = tf.placeholder(tf.int32, [None, STEPS], name="tokens")
    targets = tf.placeholder(tf.int32, [None, STEPS], name="targets")
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    logits, h = model(tf, tokens, lengths)
    loss = loss_of(tf, logits, targets, lengths)
    step = tf.train.AdamOptimizer(0.05).minimize(loss)
    saver = tf.train.Saver()
    feed = {tokens: tokens_value, targets: targets_value, lengths: lengths_value}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(step, feed)
        print(saver.save(sess, os.path.join(out, "model.ckpt"), write_meta_graph=False))
        logits_value, h_value, loss_value = sess.run([logits, h, loss], feed)
        for _ in range(3):
            sess.run(step, feed)
        trained = {v.op.name: sess.run(v).tolist() for v in tf.trainable_variables()}
    outputs = {
        "tokens": tokens_value.tolist(),
        "targets": targets_value.tolist(),
        "lengths": lengths_value.tolist(),
        "logits": logits_value.tolist(),
        "h": h_value.tolist(),
        "loss": float(loss_value),
        "trained": trained,
    }
    with open(os.path.join(out, "outputs.json"), "w") as f:
        json.dump(outputs, f)


if __name__ == "__main__":
    main()
