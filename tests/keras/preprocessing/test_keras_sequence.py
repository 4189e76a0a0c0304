"""tf.keras.preprocessing.sequence and tf.keras.utils' data helpers: expected values computed
with tf_keras (TF 2.21)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

import scopeflow as tf

S = tf.keras.preprocessing.sequence


def test_make_sampling_table():
    np.testing.assert_allclose(
        S.make_sampling_table(12, sampling_factor=0.05)[:8],
        [0.222897584853074, 0.222897584853074, 0.38720974254615703, 0.524359565957681,
         0.6454589108202873, 0.7554972831024556, 0.8572825650414058, 0.9525876936398672],
        rtol=1e-15)


def test_skipgrams_follow_keras_random_stream():
    state = random.getstate()
    try:
        random.seed(3)
        couples, labels = S.skipgrams([1, 4, 0, 3, 5, 2], 8, window_size=2, seed=11)
        assert couples[:6] == [[3, 5], [3, 2], [3, 2], [1, 4], [3, 4], [1, 5]]
        assert labels == [1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0]
        random.seed(4)
        couples, labels = S.skipgrams(
            [1, 4, 0, 3, 5, 2, 6], 9, window_size=1, negative_samples=0.5, categorical=True,
            sampling_table=S.make_sampling_table(9, 0.3), shuffle=False)
    finally:
        random.setstate(state)
    assert couples == [[1, 4], [4, 1], [3, 5], [5, 3], [5, 2], [2, 5], [2, 6], [6, 2],
                       [5, 2], [2, 5], [6, 4], [3, 1]]
    assert labels == [[0, 1]] * 8 + [[1, 0]] * 4


def test_timeseries_generator():
    gen = S.TimeseriesGenerator(np.arange(20).reshape(10, 2), np.arange(10) * 10, length=4,
                                sampling_rate=2, stride=3, start_index=1, batch_size=2,
                                reverse=True)
    x, y = gen[0]
    assert len(gen) == 1 and x.tolist() == [[[6, 7], [2, 3]], [[12, 13], [8, 9]]]
    assert y.tolist() == [50, 80] and isinstance(gen, tf.keras.utils.Sequence)
    config = json.loads(gen.to_json())["config"]
    assert (config["start_index"], config["end_index"], json.loads(config["targets"])[2]) == (
        5, 9, 20)
    gen = S.TimeseriesGenerator(np.arange(12.0), np.arange(12.0), length=2, end_index=8,
                                batch_size=3)
    assert len(gen) == 3 and gen[2][0].tolist() == [[6.0, 7.0]] and gen[2][1].tolist() == [8.0]
    assert gen[1][0].tolist() == [[3, 4], [4, 5], [5, 6]]
    with pytest.raises(ValueError, match="is disallowed"):
        S.TimeseriesGenerator(np.arange(4), np.arange(4), length=4)
    with pytest.raises(ValueError, match="same length"):
        S.TimeseriesGenerator(np.arange(4), np.arange(3), length=1)


def test_to_ordinal():
    assert tf.keras.utils.to_ordinal([[1], [0], [3], [2]]).tolist() == [
        [1, 0, 0], [0, 0, 0], [1, 1, 1], [1, 1, 0]]
    out = tf.keras.utils.to_ordinal([0, 2], num_classes=5)
    assert out.dtype == np.float32 and out.tolist() == [[0, 0, 0, 0], [1, 1, 0, 0]]


def test_get_source_inputs(graph):
    a, b = tf.keras.Input((3,)), tf.keras.Input((3,))
    c = tf.keras.layers.Dense(2)(tf.keras.layers.add([b, a]))
    sources = tf.keras.utils.get_source_inputs(tf.keras.layers.Dense(2)(c))
    assert len(sources) == 2 and sources[0] is b and sources[1] is a
    assert tf.keras.utils.get_source_inputs(a) == [a]
