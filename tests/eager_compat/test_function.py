"""tf.function in graph mode, built inline; values from TF 2.21 (compat.v1, graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_each_call_builds_the_function_inline(graph):
    @tf.function
    def f(a, b):
        return a * b + 1.0

    x, y = tf.constant(2.0), tf.constant(3.0)
    r, r2 = f(x, y), f(x, y)
    assert (r.name, r2.name) == ("f/add:0", "f_1/add:0")
    assert f.python_function(1, 2) == 3.0
    with pytest.raises(NotImplementedError, match="builds the function's ops inline"):
        f.get_concrete_function(x, y)
    with tf.Session() as sess:
        assert sess.run([r, r2]) == [7.0, 7.0]


def test_methods_signatures_and_autograph_false(graph):
    class M:
        k = 3.0

        @tf.function
        def call(self, x):
            return x * self.k

    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
    def h(a):
        return a * 2.0

    @tf.function(autograph=False)
    def k(a):
        return tf.nn.relu(a) - 1.0

    r, r2, r3 = M().call(tf.constant(2.0)), h([1.0, 2.0]), k(tf.constant([-1.0, 2.0]))
    with pytest.raises(TypeError, match=r"Binding inputs to tf.function failed due to `Can not"):
        h(tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed"):
        h(tf.constant([1, 2]))
    with tf.Session() as sess:
        got = sess.run([r, r2, r3])
    assert got[0] == 6.0
    np.testing.assert_array_equal(got[1], [2.0, 4.0])
    np.testing.assert_array_equal(got[2], [-1.0, 1.0])


def test_autograph_converts_nothing():
    def plain(a):
        return a + 1

    assert tf.autograph.to_graph(plain) is plain
    assert tf.autograph.experimental.do_not_convert(plain)(1) == 2
    assert tf.autograph.set_verbosity(3) is None
    with pytest.raises(NotImplementedError, match="does not convert"):
        tf.autograph.to_code(plain)
