"""A checkpoint TensorFlow wrote for an LSTM language model (embedding, a ``MultiRNNCell`` of
a ``BasicLSTMCell`` and a peephole, projected, clipped ``LSTMCell``, ``dynamic_rnn`` over
sequences of different lengths, softmax) restores into the same model built by scopeflow,
variable for variable (Adam's slots included), gives TensorFlow's logits, state and loss, and
three more Adam steps through ``dynamic_rnn``'s gradients give TensorFlow's trained values.
``tests/data/make_lstm_checkpoint.py`` wrote the files (its ``model`` runs here unchanged)."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from make_lstm_checkpoint import STEPS, loss_of, model  # noqa: E402 - TF is not imported

CHECKPOINT = str(DATA / "tf_lstm_checkpoint" / "model.ckpt")


def test_tensorflows_checkpoint_restores_gives_its_outputs_and_trains_as_it(graph):
    expected = json.loads((DATA / "tf_lstm_checkpoint" / "outputs.json").read_text())
    tokens = tf.placeholder(tf.int32, [None, STEPS], name="tokens")
    targets = tf.placeholder(tf.int32, [None, STEPS], name="targets")
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    logits, h = model(tf, tokens, lengths)
    loss = loss_of(tf, logits, targets, lengths)
    step = tf.train.AdamOptimizer(0.05).minimize(loss)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == sorted(name for name, _ in tf.train.list_variables(CHECKPOINT))
    assert list(expected["trained"]) == [v.op.name for v in tf.trainable_variables()]
    feed = {tokens: expected["tokens"], targets: expected["targets"], lengths: expected["lengths"]}
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, CHECKPOINT)
        logits_value, h_value, loss_value = sess.run([logits, h, loss], feed)
        np.testing.assert_allclose(logits_value, expected["logits"], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(h_value, expected["h"], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(loss_value, expected["loss"], rtol=1e-6)
        for _ in range(3):
            sess.run(step, feed)
        for v in tf.trainable_variables():
            np.testing.assert_allclose(
                sess.run(v), expected["trained"][v.op.name], rtol=1e-4, atol=1e-5, err_msg=v.op.name
            )
