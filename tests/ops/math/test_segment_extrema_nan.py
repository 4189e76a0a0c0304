"""``unsorted_segment_max``/``min`` with NaN as TF 2.21's kernels give them: the running
extremum keeps each row unless it loses, so a NaN stands until a number follows it (the
same as the sorted ``segment_max``)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

NAN = np.nan
DATA = np.float32([NAN, 1, 2, NAN, NAN, NAN, 3, NAN, 4, 5, NAN, 6, NAN, 7, NAN])
IDS = [0, 0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5]
EXPECTED = [1.0, NAN, NAN, 4.0, 6.0, NAN]


@pytest.mark.parametrize("fn", [tf.math.unsorted_segment_max, tf.math.unsorted_segment_min])
def test_nan_stands_until_a_number_follows(run, fn):
    np.testing.assert_array_equal(run(fn(DATA, IDS, 6)), EXPECTED)


def test_rows_of_several_columns_and_an_empty_segment(run):
    data = np.stack([DATA, -DATA], axis=1)
    out = run(tf.math.unsorted_segment_max(data, IDS, 7))
    np.testing.assert_array_equal(out[:6], np.stack([EXPECTED, np.negative(EXPECTED)], 1))
    assert out[6].tolist() == [-3.4028234663852886e38] * 2


def test_sorted_segment_max_agrees(run):
    np.testing.assert_array_equal(run(tf.math.segment_max(DATA, IDS)), EXPECTED)
