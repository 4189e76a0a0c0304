"""tf.random.Generator: states, skips and values; every expected number is what TF 2.21 gave
for the same calls (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_draws_skip_256_counters_per_output_and_give_tfs_values(graph):
    gen = tf.random.Generator.from_seed(5)
    assert gen.state.name == "random_generator/StateVar:0"
    assert gen.algorithm == 1
    draws = [
        gen.normal([4]),
        gen.uniform([3], minval=2.0, maxval=4.0),
        gen.uniform([3], minval=0, maxval=10, dtype=tf.int32),
        gen.truncated_normal([5]),
        gen.uniform_full_int([2], tf.int64),
    ]
    assert draws[0].op.type == "AddV2" and draws[0].name == "stateful_normal:0"
    got, states = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for draw in [draws[0], *draws]:
            got.append(sess.run(draw))
            states.append(int(sess.run(gen.state)[0]))
    np.testing.assert_allclose(got[0], [1.0278524, 0.27974114, -0.01347923, 1.845181], 1e-6)
    np.testing.assert_allclose(got[1], [-1.649019, 1.6503856, 0.21850832, -0.9712274], 1e-6)
    np.testing.assert_allclose(got[2], [3.007708, 2.660516, 2.935005], 1e-6)
    assert got[3].tolist() == [8, 6, 2]
    np.testing.assert_allclose(
        got[4], [-1.685194, -0.6782359, -1.377437, -1.342705, 0.34750304], 1e-6
    )
    assert got[5].tolist() == [-5941586375578479543, -1981682771954680247]
    assert states == [1029, 2053, 2821, 3589, 4869, 5381]


def test_state_skip_make_seeds_and_float64(graph):
    from_state = tf.random.Generator.from_state([1, 2, 3], "philox")
    normal = from_state.normal([2])
    skipped = from_state.skip(10)
    gen = tf.random.Generator(state=[4, 5, 6], alg=1)
    scaled = gen.normal([2], mean=1.0, stddev=2.0)
    seeds = gen.make_seeds(2)
    wide = gen.uniform([2], dtype=tf.float64)
    bits = gen.uniform_full_int([3], tf.int32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(normal), [-0.26016375, -1.220522], 1e-6)
        assert sess.run(skipped).tolist() == [513, 2, 3]
        assert sess.run(from_state.state).tolist() == [3073, 2, 3]
        np.testing.assert_allclose(sess.run(scaled), [1.6821067, -0.91227806], 1e-6)
        assert sess.run(seeds).tolist() == [[5380252322930639526, 1039320784637839472], [0, 0]]
        np.testing.assert_allclose(sess.run(wide), [0.87500183, 0.79607805], 1e-7)
        assert sess.run(bits).tolist() == [1986718635, -1218868906, 627164902]
        assert sess.run(gen.state).tolist() == [2308, 5, 6]
        sess.run(gen.reset_from_seed(5))
        assert sess.run(gen.state).tolist() == [5, 0, 0]


def test_errors_and_global_generator(graph):
    gen = tf.random.Generator.from_seed(1)
    with pytest.raises(ValueError, match="minval and maxval must be both `None`"):
        gen.uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \[3\] are incompatible"):
        tf.random.Generator(state=[1, 2], alg=1)
    with pytest.raises(NotImplementedError, match="eager"):
        gen.split(2)
    with pytest.raises(NotImplementedError, match="Philox only"):
        tf.random.Generator.from_seed(1, alg="threefry")
    first = tf.random.get_global_generator()
    assert tf.random.experimental.get_global_generator() is first
    tf.random.set_global_generator(gen)
    assert tf.random.get_global_generator() is gen
