"""Tests for scopeflow/ops/random/truncated.py: every expected value is what TF 2.21 gave for
the same call (compat.v1 graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

PTN = tf.random.stateless_parameterized_truncated_normal
# (minval, maxval) -> TF's six float32 samples for mean 0, stddev 1, seed [1, 2]: plain
# normals kept, a narrow interval's uniforms, a far tail's exponentials, its mirror image.
FLOAT32 = {
    (-1.5, 2.0): [0.544110119342804, 0.20738030970096588, 0.0735643208026886,
                  0.04643455147743225, -1.301589846611023, -0.9538565278053284],
    (0.1, 0.3): [0.2688120901584625, 0.1384090781211853, 0.2992446720600128,
                 0.13207748532295227, 0.18787029385566711, 0.11695364117622375],
    (2.0, 5.0): [2.0702221393585205, 2.0015673637390137, 2.539301633834839,
                 2.9259519577026367, 2.340672254562378, 2.6646509170532227],
    (-5.0, -2.0): [-2.0702221393585205, -2.0015673637390137, -2.539301633834839,
                   -2.9259519577026367, -2.340672254562378, -2.6646509170532227],
}  # fmt: skip


def _raw(low, high):
    def build(seed):
        return tf.raw_ops.StatelessParameterizedTruncatedNormal(
            shape=[6], seed=seed, means=0.0, stddevs=1.0, minvals=low, maxvals=high
        )

    return build


SEED = np.array([1, 2], np.int32)
CASES = [
    Case(f"ptn-{lo}-{hi}", "StatelessParameterizedTruncatedNormal", _raw(lo, hi), (SEED,),
         np.array(v, np.float32))
    for (lo, hi), v in FLOAT32.items()
] + [
    Case("ptn-invalid", "StatelessParameterizedTruncatedNormal", _raw(1.0, -1.0), (SEED,),
         Raises(tf.errors.InvalidArgumentError, "Invalid parameters"), modes=("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_float64_batches_and_mirrored_intervals(graph, run):
    wide = PTN([6], [1, 2], tf.constant(0.0, tf.float64), 1.0, -1.5, 2.0)
    narrow = PTN([6], [1, 2], tf.constant(0.0, tf.float64), 1.0, -0.5, 0.5)
    batches = PTN([3, 5], [3, 4], minvals=[-1.5, 0.1, 2.0, -0.5, -5.0],
                  maxvals=[2.0, 0.3, 5.0, 0.5, -2.0])  # fmt: skip
    open_below = PTN([3], [1, 2], minvals=-np.inf, maxvals=0.5)
    scaled = PTN([3], [1, 2], means=2.0, stddevs=3.0, minvals=1.0, maxvals=1.5)
    got = run([wide, narrow, batches, open_below, scaled])
    assert got[0].tolist() == [
        -0.1423118100189212,
        0.7406072461585091,
        -1.469047669443883,
        1.147747453689489,
        -0.7218813856153005,
        -0.898217540706226,
    ]
    assert got[1].tolist() == [
        0.25248375384518007,
        0.46978577256274856,
        0.014811871731222004,
        0.10774504978062271,
        0.3397480553512231,
        0.3211502029414499,
    ]
    assert got[2].tolist() == [
        [-0.17393383383750916, 0.2547716200351715, 2.792926788330078, 0.1414813995361328,
         -2.1638331413269043],
        [1.6723546981811523, 0.2961867153644562, 2.568298816680908, 0.2999955415725708,
         -2.4326601028442383],
        [0.3481701612472534, 0.11388006806373596, 2.3241727352142334, 0.4516119956970215,
         -2.4312498569488525],
    ]  # fmt: skip
    assert got[3].tolist() == [-0.544110119342804, -0.20738030970096588, -0.0735643208026886]
    assert got[4].tolist() == [1.0779697895050049, 1.4039772748947144, 1.0018882751464844]
    assert scaled.op.name == (
        "stateless_parameterized_truncated_normal_4/StatelessParameterizedTruncatedNormal"
    )


def test_parameters_must_end_the_shape(graph, run):
    bad = PTN([2, 3], [3, 4], means=[[1.0], [-1.0]], stddevs=1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must end with broadcasted shape"):
        run(bad)
