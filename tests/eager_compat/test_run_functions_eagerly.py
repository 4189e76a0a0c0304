"""Tests for ``tf.config.run_functions_eagerly`` and its kin (scopeflow/eager_compat/function.py):
in TF 2.21's graph mode a function run eagerly builds its ops where it is called, with no
function name scope."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.fixture
def eagerly():
    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)


def test_switch_and_its_names(eagerly):
    assert tf.config.functions_run_eagerly() is True
    assert tf.config.experimental_functions_run_eagerly() is True
    tf.config.experimental_run_functions_eagerly(False)
    assert tf.config.functions_run_eagerly() is False
    tf.config.run_functions_eagerly(1)
    assert tf.config.functions_run_eagerly() is True


def test_a_function_run_eagerly_builds_plain_ops(graph):
    @tf.function
    def f(a):
        return a * 2.0

    inline = f(tf.constant(1.0))
    tf.config.run_functions_eagerly(True)
    try:
        plain = f(tf.constant(1.0))
    finally:
        tf.config.run_functions_eagerly(False)
    assert (inline.name, plain.name) == ("f/mul:0", "mul:0")
    with tf.Session() as sess:
        assert sess.run(plain) == 2.0
