"""``assert_proper_shapes`` of the identity, scaled identity and zero operators: with a size
known only at run time, a negative size and an argument of another size fail the run, as in
the reference TensorFlow (TF 2.21: InvalidArgumentError from assert_non_negative/assert_equal)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

MAKERS = {
    "identity": lambda n: tf.linalg.LinearOperatorIdentity(n, assert_proper_shapes=True),
    "scaled": lambda n: tf.linalg.LinearOperatorScaledIdentity(n, 2.0, assert_proper_shapes=True),
    "zeros": lambda n: tf.linalg.LinearOperatorZeros(n, assert_proper_shapes=True),
}
# TF's matmul of each by ones([3, 1]) with num_rows fed as 3.
PRODUCTS = {"identity": np.ones([3, 1]), "scaled": 2 * np.ones([3, 1]), "zeros": np.zeros([3, 1])}


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_matmul_checks_the_argument_at_run_time(graph, kind):
    n, x = tf.placeholder(tf.int32, []), tf.placeholder(tf.float32, [None, None])
    y = MAKERS[kind](n).matmul(x)
    sess = tf.Session()
    np.testing.assert_array_equal(sess.run(y, {n: 3, x: np.ones([3, 1])}), PRODUCTS[kind])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Condition x == y"):
        sess.run(y, {n: 2, x: np.ones([3, 1])})


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_negative_size_fails_the_run(graph, kind):
    n = tf.placeholder(tf.int32, [])
    dense = MAKERS[kind](n).to_dense()
    assert tf.Session().run(dense, {n: 2}).shape == (2, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Condition x >= 0"):
        tf.Session().run(dense, {n: -1})


def test_without_the_option_nothing_is_checked_at_run_time(graph):
    n, x = tf.placeholder(tf.int32, []), tf.placeholder(tf.float32, [None, None])
    y = tf.linalg.LinearOperatorIdentity(n).matmul(x)
    assert tf.Session().run(y, {n: 2, x: np.ones([3, 1])}).shape == (3, 1)


def test_a_batch_shape_fed_at_run_time_leaves_the_rank_unknown(graph):
    # TF 2.21: a batch_shape tensor of known length [2] still gives shape <unknown> and
    # Dimension(None) dimensions; the shapes and dense matrices come at run time.
    batch = tf.placeholder(tf.int32, [2])
    identity = tf.linalg.LinearOperatorIdentity(2, batch_shape=batch)
    zeros = tf.linalg.LinearOperatorZeros(2, 3, batch_shape=batch, is_square=False,
                                          is_self_adjoint=None)  # fmt: skip
    for op in (identity, zeros):
        assert op.shape.ndims is None and op.batch_shape.ndims is None
        assert op.domain_dimension.value is None and op.range_dimension.value is None
    assert zeros.to_dense().shape.as_list() == [None, None, 2, None]
    sess = tf.Session()
    feed = {batch: [1, 3]}
    np.testing.assert_array_equal(sess.run(identity.shape_tensor(), feed), [1, 3, 2, 2])
    np.testing.assert_array_equal(sess.run(zeros.shape_tensor(), feed), [1, 3, 2, 3])
    assert sess.run(zeros.domain_dimension_tensor(), feed) == 3
    assert sess.run(zeros.to_dense(), feed).shape == (1, 3, 2, 3)
