"""``constant_value`` folds integer ``ConcatV2`` and ``Range`` of known values, as TF's
``tensor_util.constant_value`` does, so a permutation built from them gives a ``Transpose``
TF's static shape (values and shapes read in the reference TF)."""

from __future__ import annotations

import numpy as np

import scopeflow as tf
from scopeflow.ops.core.infer import constant_value


def test_concat_and_range_of_constants_fold_as_tf(graph):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    perm = tf.concat([tf.range(1, 3), [0]], 0)
    np.testing.assert_array_equal(constant_value(perm), [1, 2, 0])  # TF: [1 2 0]
    assert tf.transpose(x, perm).shape.as_list() == [3, 4, 2]  # TF: (3, 4, 2)
    np.testing.assert_array_equal(constant_value(tf.range(0, 10, 3)), [0, 3, 6, 9])


def test_unknown_parts_do_not_fold(graph):
    part = tf.placeholder(tf.int32, [1])
    assert constant_value(tf.concat([tf.constant([1]), part], 0)) is None  # TF: None
    assert constant_value(tf.range(tf.placeholder(tf.int32, []))) is None
