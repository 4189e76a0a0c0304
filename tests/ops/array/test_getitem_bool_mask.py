"""Indexing a tensor with a bool tensor or NumPy bool array is tf.boolean_mask, as in TF 2.21
(checked in the reference TF: names, static shapes, values and errors)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_bool_tensor_and_array_indices_mask(graph):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    rows = x[tf.constant([True, False])]
    cells = x[tf.constant([[True, False], [False, True]])]
    flat = tf.constant([1.0, 2.0])[np.array([True, False])]
    assert rows.op.name == "boolean_mask/GatherV2"
    assert [t.shape.as_list() for t in (rows, cells, flat)] == [[None, 2], [None], [None]]
    with tf.Session() as sess:
        got = sess.run([rows, cells, flat])
    assert [v.tolist() for v in got] == [[[1.0, 2.0]], [1.0, 4.0], [1.0]]


def test_bool_index_errors(graph):
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        x[True]
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        x[tf.constant([True, False, True])]
    with pytest.raises(TypeError):
        x[[True, False]]  # a list of bools is a slice spec, and bools are no indices
