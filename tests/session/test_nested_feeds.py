"""feed_dict keys that are nested tuples of tensors (char-rnn feeds a MultiRNNCell's state:
``{self.initial_state: state}``), flattened with their values as TF 2.21's Session does."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import scopeflow as tf

Pair = collections.namedtuple("Pair", ["c", "h"])


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_a_tuple_key_is_fed_from_a_value_of_the_same_structure():
    a, b, c = (tf.placeholder(tf.float32, []) for _ in range(3))
    with tf.Session() as sess:
        assert sess.run(a + b + c, {(a, (b, c)): (1.0, (2.0, 3.0))}) == 6.0
        assert sess.run(a + b, {(a, b): [1.0, 2.0]}) == 3.0
        # TF compares only the flattened counts.
        assert sess.run(a + b + c, {(a, (b, c)): (1.0, 2.0, 3.0)}) == 6.0


def test_an_rnn_state_fetched_then_fed_back():
    x = tf.placeholder(tf.float32, [2, 3])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4) for _ in range(2)])
    state = cell.zero_state(2, tf.float32)
    _, final = cell(x, state)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(final, {x: np.ones((2, 3))})
        again = sess.run(final, {x: np.ones((2, 3)), state: first})
        by_hand = {x: np.ones((2, 3))}
        for (c, h), value in zip(state, first, strict=True):
            by_hand[c], by_hand[h] = value.c, value.h
        expected = sess.run(final, by_hand)
    np.testing.assert_array_equal(again[1].h, expected[1].h)
    assert not np.array_equal(again[1].h, first[1].h)


def test_a_value_of_another_size_is_refused():
    a, b = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
    with tf.Session() as sess:
        for value in [(1.0,), 1.0, np.array([1.0, 2.0])]:
            with pytest.raises(ValueError, match="Key had 2 elements, but value had 1 elements"):
                sess.run(a + b, {(a, b): value})
        with pytest.raises(ValueError, match="Key had 2 elements, but value had 1 elements"):
            sess.run(a + b, {Pair(a, b): Pair(1.0, None)[:1]})
