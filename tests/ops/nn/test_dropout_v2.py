"""Tests for scopeflow/ops/nn/dropout_v2.py (``tf.nn.experimental.stateless_dropout`` and
``general_dropout``): TF 2.21's values for its seeds, names, zero-rate fast path and errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

X = np.arange(1, 13, dtype=np.float32).reshape(3, 4)
HALF = [[2.0, 0.0, 6.0, 0.0], [0.0, 12.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]  # TF 2.21's


def test_stateless_dropout_values_and_names_are_tfs(run, graph):
    x = tf.constant(X)
    y = tf.nn.experimental.stateless_dropout(x, 0.5, seed=[1, 2])
    names = [op.name for op in graph.get_operations()]
    assert y.name == "stateless_dropout/SelectV2:0"
    assert names[1:4] == ["stateless_dropout/Const", "stateless_dropout/Mul",
                          "stateless_dropout/Shape"]  # fmt: skip
    assert names[-4:] == ["stateless_dropout/GreaterEqual/y", "stateless_dropout/GreaterEqual",
                          "stateless_dropout/Const_1", "stateless_dropout/SelectV2"]  # fmt: skip
    by_row = tf.nn.experimental.stateless_dropout(x, 0.25, seed=[3, 4], noise_shape=[3, 1])
    as_tensor = tf.nn.experimental.stateless_dropout(x, tf.constant(0.5), seed=[1, 2])
    got = run([y, by_row, as_tensor])
    assert got[0].tolist() == HALF and got[2].tolist() == HALF
    kept_row = [6.6666669845581055, 8.0, 9.333333969116211, 10.666666984558105]  # TF 2.21's
    np.testing.assert_array_equal(got[1], np.float32([[0] * 4, kept_row, [0] * 4]))
    assert tf.nn.experimental.stateless_dropout(x, 0.0, seed=[1, 2]) is x


def test_general_dropout_takes_any_sampler(run):
    def sampler(shape, dtype):
        return tf.random.stateless_uniform(shape, [1, 2], dtype=dtype)

    y = tf.nn.experimental.general_dropout(tf.constant(X), 0.5, sampler)
    assert y.name == "general_dropout/SelectV2:0"
    assert run(y).tolist() == HALF
    with pytest.raises(TypeError, match="unexpected keyword argument 'dtype'"):
        tf.nn.experimental.general_dropout(X, 0.5, lambda shape: tf.ones(shape))


@pytest.mark.parametrize(
    ("x", "rate", "match"),
    [
        (X, 1.0, r"`rate` must be a scalar tensor or a float in the range \[0, 1\)"),
        (np.int32([1, 2]), 0.5, "`x.dtype` must be a floating point tensor"),
    ],
)
def test_errors_are_tfs(graph, x, rate, match):
    with pytest.raises(ValueError, match=match):
        tf.nn.experimental.stateless_dropout(x, rate, seed=[1, 2])
