"""tf.layers.Dense and tf.keras.layers.Dense ``compute_output_shape`` (TF 2.21's shapes and
errors; tf.contrib.seq2seq-style code asks an output layer for it before building it)."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.mark.parametrize("make", [tf.layers.Dense, tf.keras.layers.Dense])
def test_compute_output_shape(graph, make):
    layer = make(3)
    assert layer.compute_output_shape([None, 5]).as_list() == [None, 3]
    assert layer.compute_output_shape(tf.TensorShape([2, 7, 5])).as_list() == [2, 7, 3]
    assert not layer.built and layer.variables == []
    with pytest.raises(ValueError, match=r"should be defined. Found None. Received: "
                                         r"input_shape=\(\?, \?\)"):  # fmt: skip
        layer.compute_output_shape([None, None])
    with pytest.raises(ValueError, match=r"Shape \(5,\) must have rank at least 2"):
        layer.compute_output_shape([5])
