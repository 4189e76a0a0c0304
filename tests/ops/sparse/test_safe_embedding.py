"""Tests for scopeflow/ops/sparse/safe_embedding.py (its graph is checked against TF's records
in tests/feature_column/test_builds.py): values of rank-3 ids and refused options."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_rank_3_ids_are_looked_up_per_leading_position(run):
    table = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    ids = tf.SparseTensor(
        [[0, 0, 0], [0, 0, 1], [1, 1, 0]], tf.constant([1, 3, 2], tf.int64), [2, 2, 2]
    )
    out = tf.nn.safe_embedding_lookup_sparse(table, ids, combiner="sqrtn", default_id=0)
    assert out.shape.as_list() == [None, None, 2]  # TF 2.21 knows [2, 2, 2]
    # TF 2.21's values: empty positions get row default_id
    want = [[[5.65685, 7.07107], [0.0, 1.0]], [[0.0, 1.0], [4.0, 5.0]]]
    np.testing.assert_allclose(run(out), want, atol=1e-5)


def test_max_norm_is_refused_with_what_to_use():
    ids = tf.SparseTensor([[0, 0]], tf.constant([0], tf.int64), [1, 1])
    with pytest.raises(NotImplementedError, match="clip_by_norm"):
        tf.nn.safe_embedding_lookup_sparse(tf.ones([2, 2]), ids, max_norm=1.0)
