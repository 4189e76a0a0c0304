"""Tests for scopeflow/train/learning_rate_decay.py: each schedule against its NumPy formula
and against the values TensorFlow computed, evaluated as the global step changes."""

from __future__ import annotations

import math

import numpy as np
import pytest

import scopeflow as tf

STEPS = [0, 5, 10, 15, 20, 25, 100, 150, 250]


def _exponential(step, staircase=False):
    p = step / 100
    return 0.1 * 0.96 ** (math.floor(p) if staircase else p)


def _polynomial(step, cycle=False):
    steps = 100.0
    if cycle:
        steps *= 1.0 if step == 0 else math.ceil(step / 100)
    else:
        step = min(step, steps)
    return (0.1 - 0.01) * (1 - step / steps) ** 2.0 + 0.01


def _cosine(step):
    fraction = min(step, 100) / 100
    return 0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi * fraction)) + 0.1)


def _inverse_time(step, staircase=False):
    p = step / 100
    return 0.1 / (1 + 0.5 * (math.floor(p) if staircase else p))


def _piecewise(step):
    return 1.0 if step <= 10 else 0.5 if step <= 20 else 0.1


# name -> (builder of the schedule from the global step, NumPy formula, TensorFlow's values at
# STEPS (TF 2.21, tf.compat.v1), the result's name)
SCHEDULES = {
    "exponential": (
        lambda s: tf.train.exponential_decay(0.1, s, 100, 0.96),
        _exponential,
        [
            0.1,
            0.0997961014509201,
            0.09959261864423752,
            0.09938954561948776,
            0.09918688982725143,
            0.09898464381694794,
            0.09600000083446503,
            0.09406040608882904,
            0.09029798954725266,
        ],
        "ExponentialDecay:0",
    ),
    "exponential_staircase": (
        lambda s: tf.train.exponential_decay(0.1, s, 100, 0.96, staircase=True),
        lambda s: _exponential(s, staircase=True),
        [0.1] * 6 + [0.09600000083446503, 0.09600000083446503, 0.09216000139713287],
        "ExponentialDecay:0",
    ),
    "polynomial": (
        lambda s: tf.train.polynomial_decay(0.1, s, 100, 0.01, power=2.0),
        _polynomial,
        [
            0.1,
            0.09122499823570251,
            0.08289999514818192,
            0.07502499967813492,
            0.06760000437498093,
            0.06062500178813934,
        ]
        + [0.009999999776482582] * 3,
        "PolynomialDecay:0",
    ),
    "polynomial_cycle": (
        lambda s: tf.train.polynomial_decay(0.1, s, 100, 0.01, power=2.0, cycle=True),
        lambda s: _polynomial(s, cycle=True),
        [
            0.1,
            0.09122499823570251,
            0.08289999514818192,
            0.07502499967813492,
            0.06760000437498093,
            0.06062500178813934,
            0.009999999776482582,
            0.015625,
            0.012500000186264515,
        ],
        "PolynomialDecay:0",
    ),
    "cosine": (
        lambda s: tf.train.cosine_decay(0.1, s, 100, alpha=0.1),
        _cosine,
        [
            0.1,
            0.09944597631692886,
            0.09779754281044006,
            0.09509529173374176,
            0.09140576422214508,
            0.08681981265544891,
        ]
        + [0.010000000707805157] * 3,
        "CosineDecay/Mul_3:0",
    ),
    "inverse_time": (
        lambda s: tf.train.inverse_time_decay(0.1, s, 100, 0.5),
        _inverse_time,
        [
            0.1,
            0.09756097942590714,
            0.0952381044626236,
            0.09302325546741486,
            0.09090909361839294,
            0.08888889104127884,
            0.06666667014360428,
            0.05714285746216774,
            0.04444444552063942,
        ],
        "InverseTimeDecay:0",
    ),
    "inverse_time_staircase": (
        lambda s: tf.train.inverse_time_decay(0.1, s, 100, 0.5, staircase=True),
        lambda s: _inverse_time(s, staircase=True),
        [0.1] * 6 + [0.06666667014360428, 0.06666667014360428, 0.05000000074505806],
        "InverseTimeDecay:0",
    ),
    "piecewise_constant": (
        lambda s: tf.train.piecewise_constant(s, [10, 20], [1.0, 0.5, 0.1]),
        _piecewise,
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1],
        "PiecewiseConstant/case/cond/Merge:0",
    ),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_follows_the_global_step(name):
    build, formula, tf_values, tensor_name = SCHEDULES[name]
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        lr = build(step)
        assert (lr.name, lr.dtype, lr.shape.as_list()) == (tensor_name, tf.float32, [])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = []
            for k in STEPS:
                step.load(k, sess)
                values.append(float(sess.run(lr)))
    np.testing.assert_allclose(values, [formula(k) for k in STEPS], rtol=1e-6)
    np.testing.assert_allclose(values, tf_values, rtol=1e-6)


def test_schedules_compute_in_the_learning_rate_dtype():
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int32, [])
        lr = tf.train.exponential_decay(tf.constant(0.5, tf.float64), step, 2, 0.5, name="lr")
        assert (lr.name, lr.dtype) == ("lr:0", tf.float64)
        with tf.Session() as sess:
            assert sess.run(lr, {step: 4}) == 0.125


def test_piecewise_constant_boundaries_and_dtypes():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        lr = tf.train.piecewise_constant(x, [1.0, 2.0, 3.0], [10, 20, 30, 40])
        with tf.Session() as sess:
            got = [sess.run(lr, {x: v}) for v in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5)]
        assert got == [10, 10, 20, 20, 30, 30, 40]
        with pytest.raises(ValueError, match="1 less than the length of values"):
            tf.train.piecewise_constant(x, [1.0], [1.0])
        with pytest.raises(ValueError, match=r"Boundaries \(int32\) must have the same dtype"):
            tf.train.piecewise_constant(x, [1], [1.0, 2.0])
        with pytest.raises(ValueError, match="Values must have elements all with the same dtype"):
            tf.train.piecewise_constant(x, [1.0], [1.0, 2])


@pytest.mark.parametrize(
    "schedule",
    ["exponential_decay", "polynomial_decay", "cosine_decay", "inverse_time_decay"],
)
def test_schedules_require_a_global_step(schedule):
    args = {"cosine_decay": (0.1, None, 10), "polynomial_decay": (0.1, None, 10)}
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=f"global_step is required for {schedule}"):
            getattr(tf.train, schedule)(*args.get(schedule, (0.1, None, 10, 0.5)))


def _linear_cosine(step, num_periods=0.5, alpha=0.0, beta=0.001):
    t = min(step, 20) / 20
    return 0.1 * ((alpha + 1 - t) * 0.5 * (1 + math.cos(2 * math.pi * num_periods * t)) + beta)


def _restarts(step, t_mul=2.0, m_mul=1.0, alpha=0.0):
    fraction, i = step / 10, 0
    while fraction >= t_mul**i:  # the i-th period lasts t_mul ** i (in first periods)
        fraction, i = fraction - t_mul**i, i + 1
    cosine = 0.5 * m_mul**i * (1 + math.cos(math.pi * fraction / t_mul**i))
    return 0.1 * ((1 - alpha) * cosine + alpha)


# TensorFlow 2.21 (tf.compat.v1) at the steps 0, 1, 5, 10, 25, 60: name -> (builder, NumPy
# formula, TF's values, the result's name)
MORE_STEPS = [0, 1, 5, 10, 25, 60]
MORE_SCHEDULES = {
    "natural_exp": (
        lambda s: tf.train.natural_exp_decay(0.1, s, 10, 0.5),
        lambda k: 0.1 * math.exp(-0.5 * k / 10),
        [0.1, 0.09512294828891754, 0.07788007706403732, 0.060653068125247955]
        + [0.02865048125386238, 0.004978707060217857],
        "ExponentialDecay:0",
    ),
    "natural_exp_staircase": (
        lambda s: tf.train.natural_exp_decay(0.1, s, 10, 0.5, staircase=True),
        lambda k: 0.1 * math.exp(-0.5 * (k // 10)),
        [0.1, 0.1, 0.1, 0.060653068125247955, 0.03678794577717781, 0.004978707060217857],
        "ExponentialDecay:0",
    ),
    "linear_cosine": (
        lambda s: tf.train.linear_cosine_decay(0.1, s, 20),
        _linear_cosine,
        [0.10010000318288803, 0.09451519697904587, 0.06411650776863098, 0.025099998340010643]
        + [0.0001, 0.0001],
        "LinearCosineDecay:0",
    ),
    "linear_cosine_periods": (
        lambda s: tf.train.linear_cosine_decay(0.1, s, 20, 2.0, alpha=0.1, beta=0.01),
        lambda k: _linear_cosine(k, 2.0, 0.1, 0.01),
        [0.11100000143051147, 0.09597338736057281, 0.001, 0.061000000685453415, 0.011, 0.011],
        "LinearCosineDecay:0",
    ),
    "restarts": (
        lambda s: tf.train.cosine_decay_restarts(0.1, s, 10),
        _restarts,
        [0.1, 0.0975528284907341, 0.04999999701976776, 0.1, 0.014644661918282509]
        + [0.014644661918282509],
        "SGDRDecay:0",
    ),
    "restarts_equal_periods": (
        lambda s: tf.train.cosine_decay_restarts(0.1, s, 10, t_mul=1.0, m_mul=0.5, alpha=0.1),
        lambda k: _restarts(k, 1.0, 0.5, 0.1),
        [0.1, 0.09779754281044006, 0.05499999597668648, 0.055000003427267075]
        + [0.021250000223517418, 0.011406250298023224],
        "SGDRDecay:0",
    ),
}


@pytest.mark.parametrize("name", sorted(MORE_SCHEDULES))
def test_more_schedules_match_tensorflow(name):
    build, formula, tf_values, tensor_name = MORE_SCHEDULES[name]
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        lr = build(step)
        assert (lr.name, lr.dtype, lr.shape.as_list()) == (tensor_name, tf.float32, [])
        with tf.Session() as sess:
            values = [float(sess.run(lr, {step: k})) for k in MORE_STEPS]
    np.testing.assert_allclose(values, [formula(k) for k in MORE_STEPS], rtol=1e-5)
    np.testing.assert_allclose(values, tf_values, rtol=1e-6)


def test_noisy_linear_cosine_decay_draws_noise_until_decay_steps():
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        lr = tf.train.noisy_linear_cosine_decay(0.1, step, 20)
        assert lr.name == "NoisyLinearCosineDecay:0"
        with tf.Session() as sess:
            early = {float(sess.run(lr, {step: 2})) for _ in range(5)}
            late = [float(sess.run(lr, {step: k})) for k in (20, 60)]
    assert len(early) == 5  # a new sample each run
    np.testing.assert_allclose(late, [0.1 * 0.001] * 2, rtol=1e-6)  # cosine part is 0


@pytest.mark.parametrize(
    "schedule",
    [
        "natural_exp_decay",
        "linear_cosine_decay",
        "noisy_linear_cosine_decay",
        "cosine_decay_restarts",
    ],
)
def test_more_schedules_require_a_global_step(schedule):
    args = (0.1, None, 10, 0.5) if schedule == "natural_exp_decay" else (0.1, None, 10)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=f"global_step is required for {schedule}"):
            getattr(tf.train, schedule)(*args)
