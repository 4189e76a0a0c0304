"""Tests for scopeflow/ragged/array_dispatch.py: tf.gather, tf.concat and the tf.reduce_*
reductions (also under tf.math) on RaggedTensors; values and static shapes as TF 2.21
(compat.v1, graph mode) dispatches them."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scopeflow as tf

NAN = math.nan


def rt():
    return tf.ragged.constant([[1.0, 2.0, 3.0], [4.0], []])


def ri():
    return tf.ragged.constant([[1, 2, 3], [4], []])


def rb():
    return tf.ragged.constant([[True, False], [True], []])


VALUES = {
    "reduce_sum_None": (lambda: tf.reduce_sum(rt(), axis=None), 10.0, []),
    "reduce_sum_0": (lambda: tf.reduce_sum(rt(), axis=0), [5.0, 2.0, 3.0], [3]),
    "reduce_sum_1": (lambda: tf.reduce_sum(rt(), axis=1), [6.0, 4.0, 0.0], [3]),
    "reduce_sum_neg": (lambda: tf.reduce_sum(rt(), axis=-1), [6.0, 4.0, 0.0], [3]),
    "reduce_mean_None": (lambda: tf.reduce_mean(rt(), axis=None), 2.5, []),
    "reduce_mean_0": (lambda: tf.reduce_mean(rt(), axis=0), [2.5, 2.0, 3.0], [3]),
    "reduce_mean_1": (lambda: tf.reduce_mean(rt(), axis=1), [2.0, 4.0, NAN], [3]),
    "reduce_mean_neg": (lambda: tf.reduce_mean(rt(), axis=-1), [2.0, 4.0, NAN], [3]),
    "reduce_max_None": (lambda: tf.reduce_max(rt(), axis=None), 4.0, []),
    "reduce_max_0": (lambda: tf.reduce_max(rt(), axis=0), [4.0, 2.0, 3.0], [3]),
    "reduce_max_1": (lambda: tf.reduce_max(rt(), axis=1), [3.0, 4.0, -3.4028234663852886e38], [3]),
    "reduce_max_neg": (
        lambda: tf.reduce_max(rt(), axis=-1),
        [3.0, 4.0, -3.4028234663852886e38],
        [3],
    ),
    "reduce_min_None": (lambda: tf.reduce_min(rt(), axis=None), 1.0, []),
    "reduce_min_0": (lambda: tf.reduce_min(rt(), axis=0), [1.0, 2.0, 3.0], [3]),
    "reduce_min_1": (lambda: tf.reduce_min(rt(), axis=1), [1.0, 4.0, 3.4028234663852886e38], [3]),
    "reduce_min_neg": (
        lambda: tf.reduce_min(rt(), axis=-1),
        [1.0, 4.0, 3.4028234663852886e38],
        [3],
    ),
    "reduce_prod_None": (lambda: tf.reduce_prod(rt(), axis=None), 24.0, []),
    "reduce_prod_0": (lambda: tf.reduce_prod(rt(), axis=0), [4.0, 2.0, 3.0], [3]),
    "reduce_prod_1": (lambda: tf.reduce_prod(rt(), axis=1), [6.0, 4.0, 1.0], [3]),
    "reduce_prod_neg": (lambda: tf.reduce_prod(rt(), axis=-1), [6.0, 4.0, 1.0], [3]),
    "sum_int": (lambda: tf.reduce_sum(ri(), axis=1), [6, 4, 0], [3]),
    "max_int": (lambda: tf.reduce_max(ri(), axis=1), [3, 4, -2147483648], [3]),
    "all": (lambda: tf.reduce_all(rb(), axis=1), [False, True, True], [3]),
    "any": (lambda: tf.reduce_any(rb(), axis=1), [True, True, False], [3]),
    "sum_keepdims": (
        lambda: tf.reduce_sum(rt(), axis=1, keepdims=True),
        [[6.0], [4.0], [0.0]],
        [3, 1],
    ),
    "sum_rr2_ax2": (
        lambda: tf.reduce_sum(tf.ragged.constant([[[1, 2], [3]], [[4]]]), axis=2),
        [[3, 3], [4]],
        [2, None],
    ),
    "gather": (lambda: tf.gather(ri(), [2, 0]), [[], [1, 2, 3]], [None, None]),
    "gather_dense_ragged_idx": (
        lambda: tf.gather([10, 20, 30], tf.ragged.constant([[0, 2], [1]])),
        [[10, 30], [20]],
        [2, None],
    ),
    "concat0": (
        lambda: tf.concat([ri(), ri()], axis=0),
        [[1, 2, 3], [4], [], [1, 2, 3], [4], []],
        [6, None],
    ),
    "concat1": (
        lambda: tf.concat([ri(), ri()], axis=1),
        [[1, 2, 3, 1, 2, 3], [4, 4], []],
        [3, None],
    ),
    "concat_mixed": (
        lambda: tf.concat([ri(), [[7], [8], [9]]], axis=1),
        [[1, 2, 3, 7], [4, 8], [9]],
        [3, None],
    ),
}


def _plain(value):
    return value.to_list() if hasattr(value, "to_list") else np.asarray(value).tolist()


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_and_shapes_match_tensorflow(graph, run, name):
    build, expected, static = VALUES[name]
    result = build()
    assert result.shape.as_list() == static
    np.testing.assert_equal(_plain(run(result)), expected)


def test_names_and_tf_math_match_tensorflow(graph):
    assert tf.reduce_sum(rt(), axis=1).name == "RaggedReduceSum/UnsortedSegmentSum:0"
    assert tf.reduce_mean(rt(), axis=1).name == "RaggedReduceMean/truediv:0"
    assert tf.concat([ri(), ri()], 0).flat_values.name == "RaggedConcat/concat:0"
    assert tf.math.reduce_sum(rt(), axis=1).name == "RaggedReduceSum_1/UnsortedSegmentSum:0"
    assert tf.reduce_sum([[1.0, 2.0]]).name == "Sum:0"


def test_unsupported_axes_say_what_to_use(graph):
    with pytest.raises(NotImplementedError, match="to_tensor"):
        tf.reduce_sum(tf.ragged.constant([[[1, 2], [3]], [[4]]]), axis=1)
