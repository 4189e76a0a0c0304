"""Cast between strings and numbers and Fill with negative dimensions fail as in TF 2.21
(checked in the reference TF): Cast has no string kernel (UnimplementedError at run),
Fill's constant negative dims are a ValueError when the graph is built."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: tf.cast(tf.constant(["1"]), tf.int32), "Cast string to int32 is not supported"),
        (lambda: tf.cast(tf.constant([1]), tf.string), "Cast int32 to string is not supported"),
        (lambda: tf.cast(tf.constant([True]), tf.string), "Cast bool to string is not supported"),
    ],
)
def test_cast_between_string_and_numbers_is_unimplemented_at_run(graph, make, words):
    t = make()
    assert t.op.type == "Cast"
    with tf.Session() as sess, pytest.raises(tf.errors.UnimplementedError, match=words):
        sess.run(t)


def test_cast_string_to_string_is_the_same_strings(graph):
    with tf.Session() as sess:
        assert sess.run(tf.cast(tf.constant(["1"]), tf.string)).tolist() == [b"1"]


def test_fill_with_negative_constant_dims_fails_at_build(graph):
    with pytest.raises(ValueError, match="Fill dimensions must be >= 0"):
        tf.fill([-1], 1.0)
    with pytest.raises(ValueError, match="Invalid value in tensor used for shape: -3"):
        tf.fill([2, -3], 1.0)
    assert tf.fill([2, 0], 1.0).shape.as_list() == [2, 0]
