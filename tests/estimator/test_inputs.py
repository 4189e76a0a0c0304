"""numpy_input_fn (and pandas_input_fn): batches, epochs, shapes and TF1's errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def batches(input_fn, n):
    with tf.Graph().as_default():
        out = input_fn()
        with tf.Session() as sess:
            return [sess.run(out) for _ in range(n)]


def test_features_dict_and_labels_in_order_with_a_last_partial_batch():
    fn = tf.estimator.inputs.numpy_input_fn(
        {"b": np.arange(5.0), "a": np.arange(5)}, np.arange(5) * 10, batch_size=2, shuffle=False
    )
    got = batches(fn, 3)
    assert [list(f) for f, _ in got] == [["a", "b"]] * 3
    assert [lab.tolist() for _, lab in got] == [[0, 10], [20, 30], [40]]
    assert got[0][0]["b"].dtype == np.float64
    with pytest.raises(tf.errors.OutOfRangeError):
        batches(fn, 4)


def test_forever_batches_are_full_and_cross_epochs():
    fn = tf.estimator.inputs.numpy_input_fn(
        np.arange(3), batch_size=2, num_epochs=None, shuffle=False
    )
    with tf.Graph().as_default():
        features = fn()
        assert features.shape.as_list() == [2]
    assert [b.tolist() for b in batches(fn, 3)] == [[0, 1], [2, 0], [1, 2]]


def test_label_dict_and_shuffle_keep_pairs_together():
    x = np.arange(20)
    fn = tf.estimator.inputs.numpy_input_fn({"x": x}, {"y": x * 2}, batch_size=20, shuffle=True)
    ((features, labels),) = batches(fn, 1)
    np.testing.assert_array_equal(labels["y"], features["x"] * 2)
    assert sorted(features["x"]) == list(x)


@pytest.mark.parametrize(
    "x, y, error, message",
    [
        ({}, None, ValueError, "x cannot be an empty dict"),
        (np.zeros(0), None, ValueError, "x cannot be an empty array"),
        ([1, 2], None, TypeError, "x must be a dict or array; got list"),
        ({"a": np.ones(2)}, {}, ValueError, "y cannot be empty dict, use None instead."),
        ({"a": np.ones(2)}, {"a": np.ones(2)}, ValueError, "1 duplicate keys are found"),
        ({"a": np.ones(2)}, np.ones(3), ValueError, "Length of tensors in x and y is mismatched"),
    ],
)
def test_bad_inputs_raise_tf1s_errors_when_called(x, y, error, message):
    fn = tf.estimator.inputs.numpy_input_fn(x, y, shuffle=False)
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        fn()


def test_shuffle_must_be_given():
    with pytest.raises(ValueError, match="shuffle must be provided and explicitly set as boolean"):
        tf.estimator.inputs.numpy_input_fn(np.ones(2))


def test_pandas_input_fn():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1, 2, 3]})
    fn = tf.estimator.inputs.pandas_input_fn(
        frame, pd.Series([4, 5, 6]), batch_size=3, shuffle=False
    )
    ((features, labels),) = batches(fn, 1)
    assert features["a"].tolist() == [1, 2, 3] and labels.tolist() == [4, 5, 6]
