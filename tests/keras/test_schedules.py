"""``tf.keras.optimizers.schedules`` and ``tf.keras.optimizers.legacy``: the rate per step
and the variables a Keras optimizer with a schedule ends with, as tf_keras 2.21 gives them
(compat.v1 graph mode, resource variables)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

S = tf.keras.optimizers.schedules

# tf_keras's rate at steps 0..9.
RATES = [
    (
        lambda: S.ExponentialDecay(0.1, 3, 0.5),
        [
            0.1,
            0.07937005,
            0.06299605,
            0.05,
            0.03968503,
            0.03149803,
            0.025,
            0.01984251,
            0.01574901,
            0.0125,
        ],
    ),
    (
        lambda: S.ExponentialDecay(0.1, 3, 0.5, staircase=True),
        [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125],
    ),
    (
        lambda: S.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1]),
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1, 0.1, 0.1, 0.1],
    ),
    (
        lambda: S.PolynomialDecay(0.1, 4, 0.01, power=2.0),
        [0.1, 0.060625, 0.0325, 0.015625, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01],
    ),
    (
        lambda: S.PolynomialDecay(0.1, 3, 0.01, cycle=True),
        [0.1, 0.07, 0.04, 0.01, 0.04, 0.025, 0.01, 0.03, 0.02, 0.01],
    ),
    (
        lambda: S.InverseTimeDecay(0.1, 2, 0.5),
        [
            0.1,
            0.08,
            0.06666667,
            0.05714286,
            0.05,
            0.04444445,
            0.04,
            0.03636364,
            0.03333334,
            0.03076923,
        ],
    ),
    (
        lambda: S.InverseTimeDecay(0.1, 2, 0.5, staircase=True),
        [0.1, 0.1, 0.06666667, 0.06666667, 0.05, 0.05, 0.04, 0.04, 0.03333334, 0.03333334],
    ),
    (
        lambda: S.CosineDecay(0.1, 5, alpha=0.1),
        [0.1, 0.09140576, 0.06890576, 0.04109423, 0.01859423, 0.01, 0.01, 0.01, 0.01, 0.01],
    ),
    (
        lambda: S.CosineDecay(0.0, 4, alpha=0.1, warmup_target=0.2, warmup_steps=3),
        [0.0, 0.06666667, 0.13333334, 0.2, 0.17363963, 0.10999999, 0.04636039, 0.02, 0.02, 0.02],
    ),
    (
        lambda: S.CosineDecayRestarts(0.1, 2, t_mul=2.0, m_mul=0.5, alpha=0.1),
        [
            0.1,
            0.055,
            0.055,
            0.04840991,
            0.0325,
            0.0165901,
            0.0325,
            0.03164364,
            0.02920495,
            0.02555519,
        ],
    ),
    (
        lambda: tf.keras.experimental.CosineDecayRestarts(0.1, 3, t_mul=1.0),
        [0.1, 0.075, 0.025, 0.1, 0.075, 0.02499999, 0.1, 0.07499998, 0.02499999, 0.1],
    ),
]


def test_rates_per_step_are_tf_kerass(graph):
    step = tf.placeholder(tf.int64, [])
    rates = [make()(step) for make, _ in RATES]
    assert [r.name for r in rates[:2]] == ["ExponentialDecay:0", "ExponentialDecay_1:0"]
    with tf.Session(graph=graph) as sess:
        got = [[sess.run(r, {step: i}) for i in range(10)] for r in rates]
    for values, (_, expected) in zip(got, RATES, strict=True):
        np.testing.assert_allclose(values, expected, rtol=2e-6)


def _train(make, steps=4):
    with tf.Graph().as_default() as g:
        w = tf.Variable(np.array([1.0, -2.0], np.float32), name="w")
        loss = tf.reduce_sum(tf.square(w) * np.array([1.0, 3.0], np.float32))
        opt = make()
        op = opt.get_updates(loss, [w])
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(op)
            return opt, [v.name for v in opt.weights], sess.run(w)


@pytest.mark.parametrize(
    "make, expected",
    [
        (
            lambda: tf.keras.optimizers.SGD(S.ExponentialDecay(0.1, 2, 0.5)),
            [0.5744649171829224, -0.2540181279182434],
        ),
        (
            lambda: tf.keras.optimizers.SGD(
                S.PiecewiseConstantDecay([1, 2], [0.1, 0.05, 0.01]), momentum=0.9
            ),
            [-0.2109600007534027, 2.8782401084899902],
        ),
        (
            lambda: tf.keras.optimizers.Adam(S.PolynomialDecay(0.1, 3, 0.01)),
            [0.780805230140686, -1.7803231477737427],
        ),
        (
            lambda: tf.keras.optimizers.RMSprop(S.InverseTimeDecay(0.1, 1, 0.5), decay=0.1),
            [0.4727748930454254, -1.438364028930664],
        ),
        (lambda: tf.keras.optimizers.legacy.Adam(0.1), [0.6039398312568665, -1.6015052795410156]),
    ],
)
def test_optimizers_step_with_a_schedule_as_tf_keras(make, expected):
    opt, names, w = _train(make)
    np.testing.assert_allclose(w, expected, rtol=1e-6)
    if isinstance(opt.lr, S.LearningRateSchedule):
        assert not any(name.endswith("/learning_rate:0") for name in names)


def test_a_schedule_travels_in_the_optimizers_config():
    opt = tf.keras.optimizers.SGD(S.ExponentialDecay(0.1, 2, 0.5))
    config = tf.keras.optimizers.serialize(opt)
    assert config["config"]["learning_rate"] == {
        "class_name": "ExponentialDecay",
        "config": {
            "initial_learning_rate": 0.1,
            "decay_steps": 2,
            "decay_rate": 0.5,
            "staircase": False,
            "name": None,
        },
    }
    again = tf.keras.optimizers.deserialize(config)
    assert isinstance(again.lr, S.ExponentialDecay) and again.lr.decay_steps == 2


def test_serialize_and_deserialize():
    cosine = S.CosineDecay(0.1, 10)
    assert S.serialize(cosine) == {
        "class_name": "CosineDecay",
        "config": {
            "initial_learning_rate": 0.1,
            "decay_steps": 10,
            "alpha": 0.0,
            "name": None,
            "warmup_target": None,
            "warmup_steps": 0,
        },
    }
    restarts = S.deserialize(S.serialize(S.CosineDecayRestarts(0.1, 10)))
    assert restarts.get_config() == {
        "initial_learning_rate": 0.1,
        "first_decay_steps": 10,
        "t_mul": 2.0,
        "m_mul": 1.0,
        "alpha": 0.0,
        "name": None,
    }
    with pytest.raises(ValueError, match="Unknown decay: 'Foo'"):
        S.deserialize({"class_name": "Foo", "config": {}})


def test_bad_schedules_raise_as_tf_keras():
    with pytest.raises(ValueError, match="length of boundaries should be 1 less"):
        S.PiecewiseConstantDecay([1, 2], [0.1])
    with pytest.raises(NotImplementedError, match=r"must override `__call__\(self, step\)`"):
        S.LearningRateSchedule()(1)


def test_legacy_names_the_same_classes():
    legacy = tf.keras.optimizers.legacy
    assert legacy.Adam is tf.keras.optimizers.Adam and legacy.SGD is tf.keras.optimizers.SGD
    assert legacy.Optimizer is tf.keras.optimizers.Optimizer


# tf_keras's w after 4 steps on sum(w**2 * [1, 3]) + sum(w) from w = [1, -2], and its slots
OPTIMIZERS = [
    (
        lambda: tf.keras.optimizers.Adagrad(0.1),
        [0.7319372296333313, -1.729293942451477],
        ["accumulator"],
        [[30.5832576751709, 422.2998046875]],
    ),
    (
        lambda: tf.keras.optimizers.Adagrad(
            0.1, initial_accumulator_value=0.5, epsilon=1e-3, decay=0.1
        ),
        [0.7607735991477966, -1.7554792165756226],
        ["accumulator"],
        [[31.291805267333984, 425.31060791015625]],
    ),
    (
        lambda: tf.keras.optimizers.Adadelta(0.5, rho=0.9, epsilon=1e-4),
        [0.9353488683700562, -1.935234546661377],
        ["accum_grad", "accum_var"],
        [[2.9886980056762695, 40.437835693359375], [0.0003605260280892253, 0.0003619316848926246]],
    ),
    (
        lambda: tf.keras.optimizers.Adamax(0.1),
        [0.6206240057945251, -1.6168173551559448],
        ["m", "v"],
        [[0.92216956615448, -3.4528181552886963], [2.991008996963501, 10.967033386230469]],
    ),
    (
        lambda: tf.keras.optimizers.legacy.Nadam(0.1),
        [0.6812503933906555, -1.6790127754211426],
        ["m", "v"],
        [[0.9317672252655029, -3.482097625732422], [0.02992350235581398, 0.4159714877605438]],
    ),
    (
        lambda: tf.keras.optimizers.Ftrl(
            0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.1, beta=0.5
        ),
        [0.5393555164337158, -1.5997443199157715],
        ["accumulator", "linear"],
        [[24.36667823791504, 375.2254638671875], [-29.438650131225586, 318.2109375]],
    ),
    (
        lambda: tf.keras.optimizers.Ftrl(
            0.1, l2_shrinkage_regularization_strength=0.2, learning_rate_power=-0.7
        ),
        [0.7822431921958923, -1.885676383972168],
        ["accumulator", "linear"],
        [[30.825754165649414, 453.9134216308594], [-86.21470642089844, 1365.677734375]],
    ),
]


@pytest.mark.parametrize("make, expected, slots, slot_values", OPTIMIZERS)
def test_more_keras_optimizers_step_as_tf_keras(make, expected, slots, slot_values):
    with tf.Graph().as_default() as g:
        w = tf.Variable(np.array([1.0, -2.0], np.float32), name="w")
        loss = tf.reduce_sum(tf.square(w) * np.array([1.0, 3.0], np.float32)) + tf.reduce_sum(w)
        opt = make()
        op = opt.get_updates(loss, [w])
        name = type(opt).__name__
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(4):
                sess.run(op)
            got_w, got_slots = sess.run([w, [opt.get_slot(w, s) for s in slots]])
        slot_names = [v.name for v in tf.global_variables() if "/w/" in v.name]
    np.testing.assert_allclose(got_w, expected, rtol=2e-6)
    np.testing.assert_allclose(got_slots, slot_values, rtol=2e-5, atol=1e-9)
    assert slot_names == [f"{name}/w/{s}:0" for s in slots]


def test_more_optimizers_variables_and_configs_are_tf_kerass(graph):
    nadam = tf.keras.optimizers.get("nadam")
    w = tf.Variable([1.0], name="w")
    nadam.get_updates(tf.reduce_sum(w * w), [w])
    assert [v.name for v in tf.global_variables()][1:] == [
        "Nadam/iter:0",
        "Nadam/beta_1:0",
        "Nadam/beta_2:0",
        "Nadam/decay:0",
        "Nadam/learning_rate:0",
        "Nadam/momentum_cache:0",
        "Nadam/w/m:0",
        "Nadam/w/v:0",
    ]
    assert nadam.get_config() == {  # as TF's: the hyperparameters' float32 variables' values
        "name": "Nadam",
        "learning_rate": 0.0010000000474974513,
        "decay": 0.004,
        "beta_1": 0.8999999761581421,
        "beta_2": 0.9990000128746033,
        "epsilon": 1e-07,
    }
    assert tf.keras.optimizers.Ftrl(0.1).get_config() == {
        "name": "Ftrl",
        "learning_rate": 0.1,
        "decay": 0.0,
        "initial_accumulator_value": 0.1,
        "learning_rate_power": -0.5,
        "l1_regularization_strength": 0.0,
        "l2_regularization_strength": 0.0,
        "beta": 0.0,
        "l2_shrinkage_regularization_strength": 0.0,
    }
    again = tf.keras.optimizers.deserialize(
        tf.keras.optimizers.serialize(tf.keras.optimizers.Adadelta(0.5, rho=0.9))
    )
    assert type(again).__name__ == "Adadelta" and again.get_config()["rho"] == 0.9
    with pytest.raises(ValueError, match="`learning_rate_power` needs to be negative or zero"):
        tf.keras.optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="initial_accumulator_value must be non-negative"):
        tf.keras.optimizers.Adagrad(initial_accumulator_value=-1.0)
    with pytest.raises(ValueError, match="does not support tf.keras.optimizers.LearningRate"):
        tf.keras.optimizers.Nadam(S.ExponentialDecay(0.1, 2, 0.5))
