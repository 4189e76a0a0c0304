"""Tests for scopeflow/ops/random/stateless_samplers.py: every expected value is what TF 2.21
gave for the same call (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

GAMMA32 = {
    0.5: [0.0669536143541336, 0.6282354593276978, 0.18136732280254364, 0.047589920461177826,
          0.1735631376504898, 0.8720741271972656],
    1.0: [3.4994423389434814, 1.7193093299865723, 2.248735189437866, 1.8935091495513916,
          0.22994834184646606, 1.1978732347488403],
    1.5: [2.1633760929107666, 1.384116768836975, 2.62919020652771, 1.636942982673645,
          1.6748675107955933, 1.0241045951843262],
    10.0: [12.156980514526367, 10.269403457641602, 13.151455879211426, 10.921403884887695,
           11.015437126159668, 9.244646072387695],
}  # fmt: skip
POISSON = {
    0.5: [3.0, 2.0, 1.0, 3.0, 0.0, 2.0],
    9.9: [14.0, 10.0, 14.0, 12.0, 11.0, 13.0],
    10.0: [14.0, 12.0, 15.0, 18.0, 7.0, 13.0],
    1000.0: [1038.0, 1021.0, 1046.0, 1037.0, 970.0, 1019.0],
}


def _gamma(shape):
    def build(alpha):
        key, counter = tf.raw_ops.StatelessRandomGetKeyCounter(seed=[1, 2])
        return tf.raw_ops.StatelessRandomGammaV3(
            shape=shape, key=key, counter=counter, alg=1, alpha=alpha
        )

    return build


CASES = [
    Case(f"gamma-{a}", "StatelessRandomGammaV3", _gamma([6]),
         (np.full([6], a, np.float32),), np.array(v, np.float32))
    for a, v in GAMMA32.items()
] + [
    Case("gamma-shape-mismatch", "StatelessRandomGammaV3", _gamma([2, 3]),
         (np.ones([2, 1], np.float32),),
         Raises(tf.errors.InvalidArgumentError, "Shape passed in must end with broadcasted shape"),
         modes=("full",)),
] + [
    Case(f"poisson-{lam}", "StatelessRandomPoisson",
         lambda rate: tf.raw_ops.StatelessRandomPoisson(shape=[6], seed=[1, 2], lam=rate,
                                                        dtype=tf.float32),
         (np.full([6], lam, np.float32),), np.array(v, np.float32))
    for lam, v in POISSON.items()
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_stateless_gamma_broadcasts_alpha_and_beta_parameter_major(graph, run):
    mixed = tf.random.stateless_gamma([2, 3], seed=[3, 4], alpha=[0.3, 2.0, 7.0],
                                      beta=[1.0, 2.0, 0.5], dtype=tf.float64)  # fmt: skip
    edges = tf.random.stateless_gamma([5], seed=[1, 2], alpha=[0.0, -1.0, np.nan, np.inf, 1e-30])
    half = tf.random.stateless_gamma([3], seed=[1, 2], alpha=2.0, dtype=tf.float16)
    got = run([mixed, edges, half])
    np.testing.assert_allclose(got[0], [
        [0.003980345537993236, 1.3264748039897958, 34.57046041492235],
        [0.09830192177116924, 0.22691579921843494, 16.84633996935968]], rtol=1e-15)  # fmt: skip
    tiny = np.finfo(np.float32).tiny
    np.testing.assert_array_equal(got[1], [tiny, np.nan, np.nan, np.inf, tiny])
    assert got[2].tolist() == [2.81640625, 1.923828125, 3.3359375]
    assert mixed.op.type == "Maximum" and mixed.name == "stateless_random_gamma:0"


def test_stateless_poisson_rate_major_streams_and_int_outputs(graph, run):
    grid = tf.random.stateless_poisson([3, 2], seed=[1, 2], lam=[1.0, 30.0], dtype=tf.float32)
    ints = tf.random.stateless_poisson([3], seed=[5, 6], lam=tf.constant([2, 40, 7]),
                                       dtype=tf.int64)  # fmt: skip
    rates = tf.random.stateless_poisson([5], seed=[1, 2], lam=[0.0, -1.0, 1e-30, 2.0, 1e-30])
    got = run([grid, ints, rates])
    assert got[0].tolist() == [[3.0, 45.0], [3.0, 25.0], [2.0, 35.0]]
    assert got[1].tolist() == [1, 42, 9]
    assert got[2].tolist() == [0, 0, 0, 3, 0]
    assert [op.name for op in graph.get_operations()][:4] == [
        "stateless_random_poisson/shape",
        "stateless_random_poisson/StatelessRandomPoisson/seed",
        "stateless_random_poisson/StatelessRandomPoisson/lam",
        "stateless_random_poisson/StatelessRandomPoisson",
    ]


def test_dtype_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Invalid dtype"):
            tf.random.stateless_gamma([2], seed=[1, 2], alpha=1.0, dtype=tf.int32)
        with pytest.raises(ValueError, match="Invalid dtype"):
            tf.random.stateless_poisson([2], seed=[1, 2], lam=1.0, dtype=tf.uint8)
