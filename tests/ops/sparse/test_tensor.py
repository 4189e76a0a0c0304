"""Tests for scopeflow/ops/sparse/tensor.py and the session's handling of sparse tensors:
``SparseTensor``'s properties, ``sparse_placeholder`` fed with tuples or
``SparseTensorValue``s, ``SparseTensorValue`` fetched in every fetch structure, ``eval``,
and TF1's errors for feeds of the wrong structure."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import scopeflow as tf

FEED = ([[0, 1], [2, 3]], [1.5, -2.0], [3, 4])


def assert_value(value, indices, values, dense_shape):
    assert type(value) is tf.SparseTensorValue
    np.testing.assert_array_equal(value.indices, indices)
    np.testing.assert_array_equal(value.values, values)
    np.testing.assert_array_equal(value.dense_shape, dense_shape)
    assert value.indices.dtype == np.int64 and value.dense_shape.dtype == np.int64


def test_sparse_tensor_groups_three_tensors(graph):
    x = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
    assert (x.indices.name, x.values.name, x.dense_shape.name) == (
        "SparseTensor/indices:0",
        "SparseTensor/values:0",
        "SparseTensor/dense_shape:0",
    )
    assert (x.dtype, x.shape.as_list(), x.get_shape().as_list()) == (tf.float32, [2, 3], [2, 3])
    assert x.op is x.values.op and x.graph is graph
    assert repr(x).startswith('SparseTensor(indices=Tensor("SparseTensor/indices:0"')


def test_static_shape_comes_from_the_dense_shape_tensor():
    x = tf.SparseTensor(tf.placeholder(tf.int64), [1.0], tf.placeholder(tf.int64, [3]))
    assert x.shape.as_list() == [None, None, None]
    x.set_shape([2, None, 4])
    assert x.shape.as_list() == [2, None, 4]
    with pytest.raises(ValueError, match="are not compatible|incompatible"):
        x.set_shape([3, 1, 4])


def test_with_values_and_from_value_keep_the_indices(run):
    value = tf.SparseTensorValue(np.array([[1]]), np.array([5]), np.array([4]))
    x = tf.SparseTensor.from_value(value)
    doubled = x.with_values(x.values * 2)
    assert doubled.indices is x.indices and doubled.dense_shape is x.dense_shape
    assert_value(run(doubled), [[1]], [10], [4])
    with pytest.raises(TypeError, match="is neither a SparseTensor nor SparseTensorValue"):
        tf.SparseTensor.from_value((1, 2, 3))


def test_sparse_placeholder_is_fed_a_tuple_or_a_value(run):
    x = tf.sparse_placeholder(tf.float32, name="x")
    total = tf.sparse_reduce_sum(x)
    assert run(total, {x: FEED}) == np.float32(-0.5)
    assert run(total, {x: tf.SparseTensorValue(*FEED)}) == np.float32(-0.5)
    assert_value(run(x, {x: list(FEED)}), *FEED)


def test_its_three_placeholders_may_be_fed_one_by_one(run):
    x = tf.sparse_placeholder(tf.float32, shape=[3, 4])
    feeds = {x.indices: FEED[0], x.values: FEED[1]}  # the shape has a default
    assert_value(run(x, feeds), FEED[0], FEED[1], [3, 4])
    assert run(tf.sparse_reduce_sum(x), {**feeds, x.dense_shape: [5, 5]}) == np.float32(-0.5)


def test_sparse_tensors_are_fetched_as_values_in_every_structure(run):
    x = tf.sparse_placeholder(tf.float32)
    pair = collections.namedtuple("pair", "sparse dense")
    result = run([x, {"a": (x, x.values)}, pair(x, x.dense_shape)], {x: FEED})
    assert_value(result[0], *FEED)
    assert_value(result[1]["a"][0], *FEED)
    assert type(result[2]) is pair
    assert_value(result[2].sparse, *FEED)
    np.testing.assert_array_equal(result[2].dense, [3, 4])


def test_eval_uses_the_default_session(graph):
    x = tf.SparseTensor([[0]], [7], [2])
    with tf.Session(graph=graph).as_default():
        assert_value(x.eval(), [[0]], [7], [2])
    with pytest.raises(ValueError, match="No default session is registered"):
        x.eval()
    other = tf.Graph()
    with (
        tf.Session(graph=other) as sess,
        pytest.raises(ValueError, match="the tensor.s graph is different from the session.s graph"),
    ):
        x.eval(session=sess)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (FEED[:2], ValueError, "expected a tf.SparseTensorValue or an (indices, values"),
        ((*FEED, 1), ValueError, "expected a tf.SparseTensorValue"),
        (5, TypeError, "Cannot feed value 5 to a SparseTensor"),
        (np.zeros(3), ValueError, "expected a tf.SparseTensorValue"),
        (
            (0.0, [1.0], [3, 4]),
            ValueError,
            "Cannot feed value of shape () for Tensor x/indices:0,",
        ),
        (([[0, 1]], [1.0, 2.0], [3]), ValueError, "Cannot feed value of shape (1,) for Tensor"),
    ],
)
def test_feeds_of_the_wrong_structure_fail_as_in_tf1(run, value, error, message):
    x = tf.sparse_placeholder(tf.float32, shape=[None, 4], name="x")
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(x, {x: value})


def test_a_sparse_tensor_is_no_dense_tensor():
    x = tf.sparse_placeholder(tf.float32)
    with pytest.raises(TypeError, match="Use tf.sparse.to_dense"):
        tf.convert_to_tensor(x)


def test_tf_sparse_names_tf1s_aliases():
    assert tf.sparse.SparseTensor is tf.SparseTensor
    pairs = {
        "to_dense": tf.sparse_tensor_to_dense,
        "sparse_dense_matmul": tf.sparse_tensor_dense_matmul,
        "matmul": tf.sparse_tensor_dense_matmul,
        "add": tf.sparse_add,
        "concat": tf.sparse_concat,
        "reduce_sum": tf.sparse_reduce_sum,
        "reduce_sum_sparse": tf.sparse_reduce_sum_sparse,
        "retain": tf.sparse_retain,
        "reorder": tf.sparse_reorder,
        "reshape": tf.sparse_reshape,
        "slice": tf.sparse_slice,
        "fill_empty_rows": tf.sparse_fill_empty_rows,
        "placeholder": tf.sparse_placeholder,
        "segment_sum": tf.sparse_segment_sum,
        "segment_mean": tf.sparse_segment_mean,
        "segment_sqrt_n": tf.sparse_segment_sqrt_n,
        "transpose": tf.sparse_transpose,
    }
    assert {name: getattr(tf.sparse, name) for name in pairs} == pairs
    assert tf.math.segment_sum is tf.segment_sum
    assert callable(tf.sparse.from_dense) and callable(tf.nn.embedding_lookup_sparse)


def test_from_dense_keeps_the_nonzero_elements(run):
    dense = np.array([[0, 3, 0], [4, 0, 5]], np.int32)
    assert_value(run(tf.sparse.from_dense(dense)), [[0, 1], [1, 0], [1, 2]], [3, 4, 5], [2, 3])
