"""tf.contrib.legacy_seq2seq's decoders: rnn_decoder (with a loop_function feeding the
previous output back) and embedding_rnn_decoder (with feed_previous and an output
projection), their variables and outputs against TF 1.15's code run on TF 2.21
(``tests/data/make_legacy_seq2seq_names.py``), and what they compute."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(DATA))
from legacy_seq2seq_snippets import SNIPPETS, record  # noqa: E402

EXPECTED = json.loads((DATA / "legacy_seq2seq_names.json").read_text())


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_names_match_tf(name):
    with tf.Graph().as_default():
        got = record(tf, tf.contrib.legacy_seq2seq, SNIPPETS[name])
    assert got == EXPECTED[name]


def test_loop_function_feeds_the_previous_output_back():
    seq2seq = tf.contrib.legacy_seq2seq
    x = np.ones([2, 3], np.float32)
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(3)
        seen = []

        def loop(prev, i):
            seen.append((i, tf.get_variable_scope().name))
            return prev * 2.0

        steps = [tf.constant(x), tf.zeros([2, 3]), tf.zeros([2, 3])]
        outputs, state = seq2seq.rnn_decoder(
            steps, cell.zero_state(2, tf.float32), cell, loop_function=loop
        )
        assert seen == [(1, "rnn_decoder/loop_function"), (2, "rnn_decoder/loop_function")]
        kernel, bias = tf.global_variables()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, final, k, b = sess.run([outputs, state, kernel, bias])
    h, inp = np.zeros([2, 3], np.float32), x
    for step in got:
        h = np.tanh(np.concatenate([inp, h], 1) @ k + b)
        np.testing.assert_allclose(step, h, rtol=1e-5, atol=1e-6)
        inp = h * 2.0
    np.testing.assert_allclose(final, got[-1])


def test_embedding_rnn_decoder_feeds_the_argmax_embedding():
    seq2seq = tf.contrib.legacy_seq2seq
    with tf.Graph().as_default():
        cell = tf.nn.rnn_cell.BasicRNNCell(4)
        ids = [tf.constant([1, 2]), tf.constant([0, 0])]
        outputs, _ = seq2seq.embedding_rnn_decoder(
            ids, cell.zero_state(2, tf.float32), cell, 4, 3, feed_previous=True
        )
        emb, kernel, bias = tf.global_variables()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, e, k, b = sess.run([outputs, emb, kernel, bias])
    first = np.tanh(np.concatenate([e[[1, 2]], np.zeros([2, 4])], 1) @ k + b)
    second = np.tanh(np.concatenate([e[first.argmax(1)], first], 1) @ k + b)
    np.testing.assert_allclose(got[1], second, rtol=1e-5, atol=1e-6)
    with tf.Graph().as_default(), pytest.raises(TypeError, match="Python bool"):
        seq2seq.embedding_rnn_decoder(
            ids, None, cell, 4, 3, feed_previous=tf.placeholder(tf.bool, [])
        )
