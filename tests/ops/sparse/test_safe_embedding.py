"""Tests for scopeflow/ops/sparse/safe_embedding.py (its graph is checked against TF's records
in tests/feature_column/test_builds.py): values of rank-3 ids and refused options."""

from __future__ import annotations

import numpy as np

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


def test_max_norm_clips_each_looked_up_row(run):
    table = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) - 5)
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 3, 1], tf.int64), [2, 2])
    out = tf.nn.safe_embedding_lookup_sparse(table, ids, combiner="mean", max_norm=3.0)
    # TF 2.21's values: row 0 averages the clipped rows 0 and 3, row 1 (norm 2.24) is kept.
    np.testing.assert_allclose(
        run(out), [[-0.3769, 0.00618, 0.38925], [-2.0, -1.0, 0.0]], atol=1e-5
    )
