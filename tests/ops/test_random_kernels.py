"""Random kernels: distributions, dtypes, shapes and TF1's seed semantics."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

N = 20000


def _raw(op_type, shape, dtype=tf.float32, seed=(1, 2)):
    graph = tf.get_default_graph()
    shape_t = tf.constant(np.asarray(shape, np.int32))
    attrs = {"dtype": dtype, "seed": seed[0], "seed2": seed[1]}
    return graph.create_op(op_type, [shape_t], attrs).outputs[0]


def _normal(dtype):
    def holds(a):
        assert a.dtype == dtype.as_numpy_dtype and a.shape == (N,)
        return abs(float(a.mean())) < 0.05 and abs(float(a.std()) - 1.0) < 0.05

    return holds


def _truncated(dtype):
    def holds(b):  # 0.8796: the stddev of a unit normal cut at +-2
        assert b.dtype == dtype.as_numpy_dtype and b.shape == (N,)
        return float(np.abs(b).max()) <= 2.0 and abs(float(b.std()) - 0.8796) < 0.03

    return holds


def _uniform(u):
    assert u.shape == (N, 2) and u.dtype == np.float32
    return 0.0 <= u.min() and u.max() < 1.0 and abs(float(u.mean()) - 0.5) < 0.02


def _uniform_int(i):
    return i.dtype == np.int64 and set(np.unique(i)) == set(range(-3, 4))


def _shuffled(s):
    return s.shape == (6, 2) and sorted(map(tuple, s)) == sorted(map(tuple, ROWS))


def _multinomial(got):
    assert got.shape == (2, 4000) and got.dtype == np.int64
    return abs(float((got[0] == 1).mean()) - 0.9) < 0.03 and (got[1] == 0).all()


def _categorical(small):
    return small.dtype == np.int32 and small.shape == (2, 3) and (small[1] == 0).all()


ROWS = np.arange(12, dtype=np.int32).reshape(6, 2)
LOGITS = np.log([[0.1, 0.9], [1.0, 1e-9]]).astype(np.float32)

# The kernel table checks each op's dtype and static shape; the values have a property.
# fmt: off
CASES = [
    Case(f"normal-{dtype.name}", "RandomStandardNormal",
         lambda dtype=dtype: _raw("RandomStandardNormal", [N], dtype), (),
         Holds("mean 0, stddev 1", _normal(dtype)), modes=("full",))
    for dtype in (tf.float16, tf.float32, tf.float64)
] + [
    Case(f"truncated-{dtype.name}", "TruncatedNormal",
         lambda dtype=dtype: _raw("TruncatedNormal", [N], dtype), (),
         Holds("within +-2, stddev 0.8796", _truncated(dtype)), modes=("full",))
    for dtype in (tf.float16, tf.float32, tf.float64)
] + [
    Case("uniform", "RandomUniform", lambda: _raw("RandomUniform", [N, 2]), (),
         Holds("in [0, 1), mean 0.5", _uniform), modes=("full",)),
    Case("uniform-int", "RandomUniformInt",
         lambda: tf.random_uniform([N], minval=-3, maxval=4, dtype=tf.int64, seed=5), (),
         Holds("int64, every value of [-3, 4)", _uniform_int),
         modes=("full",)),
    Case("shuffle", "RandomShuffle", lambda x: tf.random_shuffle(x, seed=1), (ROWS,),
         Holds("the rows permuted", _shuffled)),
    Case("multinomial", "Multinomial", lambda lg: tf.multinomial(lg, 4000, seed=2), (LOGITS,),
         Holds("follows the logits", _multinomial)),
    Case("categorical-int32", "Multinomial",
         lambda lg: tf.random.categorical(lg, 3, dtype=tf.int32), (LOGITS,),
         Holds("int32, follows the logits", _categorical)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


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
