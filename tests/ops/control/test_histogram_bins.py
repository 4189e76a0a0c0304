"""Tests for scopeflow/ops/control/histogram_bins.py (``tf.histogram_fixed_width_bins``): the
ops TF 2.21 builds and its values."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_graph_is_tfs():
    bins = tf.histogram_fixed_width_bins([[1.0, 2.0], [5.0, -1]], [0.0, 4.0], nbins=3)
    types = [op.type for op in tf.get_default_graph().get_operations()]
    assert (bins.name, bins.shape.as_list(), bins.dtype) == (
        "histogram_fixed_width_bins/Reshape_1:0",
        [2, 2],
        tf.int32,
    )
    assert types == [  # TF 2.21's, op for op
        *("Const", "Const", "Const", "Reshape", "Const", "Const", "Const", "Greater", "Const"),
        *("Const", "Assert", "Identity", "Cast", "Const", "Const", "Const", "StridedSlice"),
        *("Sub", "Const", "Const", "Const", "StridedSlice", "Const", "Const", "Const"),
        *("StridedSlice", "Sub", "RealDiv", "Mul", "Floor", "Const", "Sub", "Minimum"),
        *("Const", "Maximum", "Cast", "Reshape"),
    ]


@pytest.mark.parametrize(
    ("values", "value_range", "nbins", "expected"),
    [
        ([[1.0, 2.0], [5.0, -1]], [0.0, 4.0], 3, [[0, 1], [2, 0]]),
        ([-1.0, 0, 1.5, 2, 5, 15], [0.0, 5.0], 5, [0, 0, 1, 2, 4, 4]),
        (np.float64([0, 3, 9, 10]), np.float64([0, 10]), 2, [0, 0, 1, 1]),
    ],
)
def test_values_are_tfs(run, values, value_range, nbins, expected):
    got = run(tf.histogram_fixed_width_bins(values, value_range, nbins))
    assert got.tolist() == expected


def test_nbins_must_be_positive(run):
    nbins = tf.placeholder(tf.int32, [])
    bins = tf.histogram_fixed_width_bins([1.0], [0.0, 1.0], nbins)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must > 0"):
        run(bins, {nbins: 0})
