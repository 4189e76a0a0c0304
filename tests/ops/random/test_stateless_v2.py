"""Tests for scopeflow/ops/random/stateless_v2.py: every expected value is what TF 2.21 gave
for the same call (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

SEED = np.array([1, 2], np.int32)
FULL32 = np.array([1105988140, 1738052849, -335576002, 370444179, 10670227], np.int32)
FULL64 = np.array([7464880146280614444, 1591045637757961278, -1057468755545501549,
                   2524363516007002203, 6884554327646026923], np.int64)  # fmt: skip


def _full(dtype):
    def build(seed):
        key, counter = tf.raw_ops.StatelessRandomGetKeyCounter(seed=seed)
        return tf.raw_ops.StatelessRandomUniformFullIntV2(
            shape=[len(FULL32)], key=key, counter=counter, alg=3, dtype=dtype
        )

    return build


def _shuffle(alg):
    def build(value, seed):
        key, counter = tf.raw_ops.StatelessRandomGetKeyCounter(seed=seed)
        return tf.raw_ops.StatelessShuffle(value=value, key=key, counter=counter, alg=alg)

    return build


CASES = [
    Case("key-counter", "StatelessRandomGetKeyCounter",
         lambda seed: list(tf.raw_ops.StatelessRandomGetKeyCounter(seed=seed)), (SEED,),
         [np.array([10413732777507651514], np.uint64),
          np.array([0, 17830669156045600267], np.uint64)]),
    Case("key-counter-negative", "StatelessRandomGetKeyCounter",
         lambda seed: tf.raw_ops.StatelessRandomGetKeyCounter(seed=seed)[0],
         (np.array([-1, 7], np.int64),), np.array([13877904517395416532], np.uint64)),
    Case("full-int32", "StatelessRandomUniformFullIntV2", _full(tf.int32), (SEED,), FULL32),
    Case("full-uint32", "StatelessRandomUniformFullIntV2", _full(tf.uint32), (SEED,),
         FULL32.view(np.uint32)),
    Case("full-int64", "StatelessRandomUniformFullIntV2", _full(tf.int64), (SEED,), FULL64),
    Case("full-uint64", "StatelessRandomUniformFullIntV2", _full(tf.uint64), (SEED,),
         FULL64.view(np.uint64)),
    Case("shuffle", "StatelessShuffle", _shuffle(3), (np.arange(10, dtype=np.int32), SEED),
         np.array([0, 3, 8, 1, 5, 4, 9, 7, 6, 2], np.int32)),
    Case("shuffle-rows", "StatelessShuffle", _shuffle(1),
         (np.arange(12, dtype=np.int32).reshape(6, 2), np.array([3, 4], np.int32)),
         np.array([[2, 3], [6, 7], [8, 9], [0, 1], [10, 11], [4, 5]], np.int32)),
    Case("shuffle-one-row", "StatelessShuffle", _shuffle(1),
         (np.array([7], np.int32), np.array([3, 4], np.int32)), np.array([7], np.int32)),
    Case("shuffle-threefry", "StatelessShuffle", _shuffle(2),
         (np.arange(5, dtype=np.int32), SEED), Raises(tf.errors.InvalidArgumentError, "ThreeFry"),
         modes=("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_fold_in_and_split_give_tfs_seeds(graph, run):
    folded = tf.random.fold_in([1, 2], 3)
    folded64 = tf.random.fold_in(tf.constant([1, 2], tf.int64), 3)  # dtype follows data
    other = tf.random.experimental.stateless_fold_in([5, 6], 7)
    seeds = tf.random.split([1, 2], 3)
    seeds64 = tf.random.experimental.stateless_split(tf.constant([1, 2], tf.int64))
    got = run([folded, folded64, other, seeds, seeds64])
    assert got[0].tolist() == got[1].tolist() == [1105988140, 3]
    assert got[2].tolist() == [-180254357, 7]
    assert got[3].tolist() == [[1105988140, 1738052849], [-335576002, 370444179],
                               [10670227, -246211131]]  # fmt: skip
    assert got[4].tolist() == [
        [7464880146280614444, 1591045637757961278],
        [-1057468755545501549, 2524363516007002203],
    ]


def test_fold_in_builds_tfs_ops(graph):
    tf.random.fold_in([1, 2], 3)
    assert [(op.name, op.type) for op in graph.get_operations()] == [
        ("Const", "Const"),
        ("stateless_random_uniform/shape", "Const"),
        ("stateless_random_uniform/StatelessRandomGetKeyCounter/seed", "Const"),
        ("stateless_random_uniform/StatelessRandomGetKeyCounter", "StatelessRandomGetKeyCounter"),
        ("stateless_random_uniform/alg", "Const"),
        ("stateless_random_uniform", "StatelessRandomUniformFullIntV2"),
        ("stack", "Pack"),
    ]


def test_stateless_uniform_full_range_and_its_errors(graph, run):
    bits = tf.random.stateless_uniform([3], seed=[1, 2], dtype=tf.uint64, minval=None,
                                       maxval=None)  # fmt: skip
    assert run(bits).tolist() == FULL64.view(np.uint64).tolist()[:3]
    with pytest.raises(ValueError, match="must be both None or not None. Got `minval`=3"):
        tf.random.stateless_uniform([5], seed=[1, 2], dtype=tf.int32, minval=3, maxval=None)
    with pytest.raises(ValueError, match="Argument `alg` got unsupported value foo"):
        tf.random.experimental.stateless_shuffle([1, 2], seed=[1, 2], alg="foo")
    with pytest.raises(ValueError, match="Dimension must be 2 but is 3"):
        tf.random.fold_in([1, 2, 3], 3)


def test_create_rng_state_algorithm_and_get_seed(graph, run):
    states = [
        tf.random.create_rng_state(5, "philox"),
        tf.random.create_rng_state(5, "threefry"),
        tf.random.create_rng_state(2**70 + 3, 1),
        tf.random.create_rng_state(-1, tf.random.Algorithm.PHILOX),
        tf.random.create_rng_state([1, 2], 1),
    ]
    assert [s.tolist() for s in run(states)] == [
        [5, 0, 0], [5, 0], [3, 64, 0], [-1, -1, -1], [0, 1, 2]]  # fmt: skip
    assert [(a.name, a.value) for a in tf.random.Algorithm] == [
        ("PHILOX", 1), ("THREEFRY", 2), ("AUTO_SELECT", 3)]  # fmt: skip
    assert tf.random.get_seed(None) == (None, None)
    assert tf.random.get_seed(5) == (87654321, 5)
    tf.set_random_seed(42)
    assert [tf.random.get_seed(None), tf.random.get_seed(7), tf.get_seed(None)] == [
        (42, 0), (42, 7), (42, 1)]  # fmt: skip


KEY = np.array([0], np.uint64)
COUNTER = np.array([5, 0], np.uint64)


def _v2(op, **attrs):
    def build(key, counter):
        shape = [3] if op != "StatelessRandomNormalV2" else [4]
        return getattr(tf.raw_ops, op)(shape=shape, key=key, counter=counter, alg=1, **attrs)

    return build


# TF 2.21's values for the key and counter of Generator.from_seed(5)'s first draw and of the
# draws after it (counter 5 + 256 per output before).
V2_CASES = [
    Case("normal-v2", "StatelessRandomNormalV2", _v2("StatelessRandomNormalV2"),
         (KEY, COUNTER), np.array([1.0278524, 0.27974114, -0.01347923, 1.845181], np.float32),
         tolerance=1e-6),
    Case("uniform-v2", "StatelessRandomUniformV2", _v2("StatelessRandomUniformV2"),
         (KEY, np.array([2053, 0], np.uint64)),
         (np.array([3.007708, 2.660516, 2.935005], np.float32) - 2) / 2, tolerance=1e-6),
    Case("uniform-int-v2", "StatelessRandomUniformIntV2",
         lambda key, counter: tf.raw_ops.StatelessRandomUniformIntV2(
             shape=[3], key=key, counter=counter, alg=1, minval=0, maxval=10),
         (KEY, np.array([2821, 0], np.uint64)), np.array([8, 6, 2], np.int32)),
    Case("truncated-normal-v2", "StatelessTruncatedNormalV2",
         lambda key, counter: tf.raw_ops.StatelessTruncatedNormalV2(
             shape=[5], key=key, counter=counter, alg=1),
         (KEY, np.array([3589, 0], np.uint64)),
         np.array([-1.685194, -0.6782359, -1.377437, -1.342705, 0.34750304], np.float32),
         tolerance=1e-6),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(V2_CASES))
def test_key_counter_kernels(run, case, mode):
    check_case(run, case, mode)
