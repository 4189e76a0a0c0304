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


def test_reshape_of_an_empty_tensor_with_zero_sizes_resolves_the_minus_one_as_tf(graph):
    # TF 2.21: the -1 is the product of the input's nonzero dims over the nonzero sizes
    cases = [
        (tf.zeros([0, 3]), [-1, 0], (3, 0)),
        (tf.zeros([0, 3]), [0, -1], (0, 3)),
        (tf.zeros([0, 3, 4]), [-1, 0, 2], (6, 0, 2)),
        (tf.zeros([2, 0, 3]), [0, -1], (0, 6)),
        (tf.zeros([0, 3]), [-1, 5], (0, 5)),
        (tf.zeros([0, 3, 4]), [0, -1, 1], (0, 12, 1)),  # TF 1's error, TF 2.21's value
        (tf.placeholder_with_default(tf.zeros([0, 6]), [None, 6]), [-1, 0, 2], (3, 0, 2)),
    ]
    outs = [tf.reshape(x, dims) for x, dims, _ in cases]
    assert [t.shape.as_list() for t in outs[:2]] == [[None, 0], [0, None]]
    with tf.Session() as sess:
        got = sess.run(outs)
    assert [v.shape for v in got] == [want for _, _, want in cases]
    with pytest.raises(ValueError, match="Cannot reshape a tensor with 6 elements"):
        tf.reshape(tf.zeros([2, 3]), [-1, 0])
