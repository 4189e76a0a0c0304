"""Random kernels: distributions, dtypes, shapes and TF1's seed semantics."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

KERNEL_TESTED = {
    "RandomStandardNormal",
    "TruncatedNormal",
    "RandomUniform",
    "RandomUniformInt",
    "RandomShuffle",
    "Multinomial",
}

N = 20000


def _raw(op_type, shape, dtype=tf.float32, seed=(1, 2)):
    graph = tf.get_default_graph()
    shape_t = tf.constant(np.asarray(shape, np.int32))
    attrs = {"dtype": dtype, "seed": seed[0], "seed2": seed[1]}
    return graph.create_op(op_type, [shape_t], attrs).outputs[0]


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_standard_normal_and_truncated(run, dtype):
    normal = _raw("RandomStandardNormal", [N], dtype)
    trunc = _raw("TruncatedNormal", [N], dtype)
    a, b = run([normal, trunc])
    assert a.dtype == dtype.as_numpy_dtype and a.shape == (N,)
    assert abs(float(a.mean())) < 0.05 and abs(float(a.std()) - 1.0) < 0.05
    assert float(np.abs(b).max()) <= 2.0
    assert abs(float(b.std()) - 0.8796) < 0.03  # the stddev of a unit normal cut at +-2


def test_uniform_float_and_int(run):
    u = _raw("RandomUniform", [N, 2])
    i = tf.random_uniform([N], minval=-3, maxval=4, dtype=tf.int64, seed=5)
    fu, fi = run([u, i])
    assert fu.shape == (N, 2) and fu.dtype == np.float32
    assert 0.0 <= fu.min() and fu.max() < 1.0 and abs(float(fu.mean()) - 0.5) < 0.02
    assert fi.dtype == np.int64 and set(np.unique(fi)) == set(range(-3, 4))


def test_uniform_int_needs_minval_below_maxval(run):
    bad = tf.random_uniform([3], minval=5, maxval=5, dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval"):
        run(bad)


def test_public_functions_scale_and_shift(run):
    tf.set_random_seed(3)
    n = tf.random_normal([N], mean=5.0, stddev=2.0)
    t = tf.truncated_normal([N], mean=-1.0, stddev=0.5)
    u = tf.random_uniform([N], minval=2.0, maxval=3.0)
    vn, vt, vu = run([n, t, u])
    assert abs(float(vn.mean()) - 5.0) < 0.1 and abs(float(vn.std()) - 2.0) < 0.1
    assert float(vt.min()) >= -2.0 and float(vt.max()) <= 0.0
    assert 2.0 <= float(vu.min()) and float(vu.max()) < 3.0


def test_shuffle_permutes_rows_only(run):
    rows = np.arange(12, dtype=np.int32).reshape(6, 2)
    shuffled = run(tf.random_shuffle(tf.constant(rows), seed=1))
    assert sorted(map(tuple, shuffled)) == sorted(map(tuple, rows))
    assert shuffled.shape == (6, 2)


def test_multinomial_follows_the_logits(run):
    logits = tf.constant(np.log([[0.1, 0.9], [1.0, 1e-9]]).astype(np.float32))
    samples = tf.multinomial(logits, 4000, seed=2)
    cat = tf.random.categorical(logits, 3, dtype=tf.int32)
    got, small = run([samples, cat])
    assert samples.shape.as_list() == [2, 4000] and got.dtype == np.int64
    assert abs(float((got[0] == 1).mean()) - 0.9) < 0.03
    assert (got[1] == 0).all()
    assert small.dtype == np.int32 and small.shape == (2, 3)


def test_graph_seed_makes_sessions_repeat_and_runs_advance():
    with tf.Graph().as_default():
        tf.set_random_seed(11)
        a = tf.random_uniform([4])
        with tf.Session() as s1:
            first, second = s1.run(a), s1.run(a)
        with tf.Session() as s2:
            again = s2.run(a)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)
