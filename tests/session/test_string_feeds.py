"""Strings fed to a ``tf.string`` tensor reach the kernels as UTF-8 bytes, as in TF: Python
``str`` items and NumPy unicode arrays compare equal to string constants."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    "fed",
    [["", "a", "é"], np.array(["", "a", "é"]), np.array(["", "a", "é"], dtype=object)],
    ids=["list", "unicode array", "object array"],
)
def test_str_feeds_are_bytes_to_the_kernels(fed):
    with tf.Graph().as_default():
        p = tf.placeholder(tf.string, [None])
        with tf.Session() as sess:
            present, same = sess.run([tf.not_equal(p, ""), tf.identity(p)], {p: fed})
    assert present.tolist() == [False, True, True]
    assert same.tolist() == [b"", b"a", "é".encode()]
    if isinstance(fed, np.ndarray):
        assert fed.tolist() == ["", "a", "é"]  # the caller's array is left as it was


def test_bytes_and_scalar_feeds():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.string, [])
        with tf.Session() as sess:
            assert sess.run(tf.equal(p, "x"), {p: "x"})
            assert sess.run(tf.equal(p, "x"), {p: b"x"})
            assert sess.run(tf.strings.length(p), {p: "é"}) == 2  # bytes, as TF counts
