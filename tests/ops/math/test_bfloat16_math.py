"""bfloat16 through reductions and products, with TF 2.21's results: sums and means
accumulate in float32, cumulative sums stay in bfloat16, Max/Min and segment maxima run,
and matrix products come back in bfloat16."""

from __future__ import annotations

import numpy as np

import scopeflow as tf


def _bf16(values):
    return tf.cast(tf.constant(np.asarray(values, np.float32)), tf.bfloat16)


def _floats(value):
    assert str(np.asarray(value).dtype) == "bfloat16"
    return np.asarray(value).astype(np.float32).tolist()


def test_sum_and_mean_accumulate_in_float32(run):
    ones = _bf16(np.ones(1000))
    small = _bf16([0, 1, 2, 100, 200])
    got = run([tf.reduce_sum(ones), tf.reduce_mean(ones), tf.reduce_mean(small)])
    assert [_floats(v) for v in got] == [1000.0, 1.0, 60.5]


def test_cumsum_stays_in_bfloat16(run):
    assert _floats(run(tf.cumsum(_bf16(np.ones(1000)))[-1])) == 256.0


def test_max_min_and_segment_max(run):
    x = _bf16([0, 1, 2, 100, 200])
    got = run(
        [
            tf.reduce_max(x),
            tf.reduce_min(x, axis=0),
            tf.math.unsorted_segment_max(x, [0, 0, 1, 1, 1], 3),
        ]
    )
    assert _floats(got[0]) == 200.0 and _floats(got[1]) == 0.0
    assert _floats(got[2]) == [1.0, 200.0, -3.3895313892515355e38]


def test_matmul_result_is_bfloat16(run):
    m = _bf16(np.arange(4.0).reshape(2, 2) * 37)
    assert _floats(run(tf.matmul(m, m))) == [[2736.0, 4096.0], [8192.0, 15040.0]]
