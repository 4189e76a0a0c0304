"""Tests for scopeflow/train/optimizers.py: each optimizer's updates over several steps
against the NumPy rules and against values TensorFlow computed, and the slot, variable and op
names TF1 gives them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.train import update_rules


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


OPTIMIZERS = {
    "GradientDescent": lambda: tf.train.GradientDescentOptimizer(0.1),
    "Momentum": lambda: tf.train.MomentumOptimizer(0.1, 0.9),
    "Nesterov": lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "Adam": lambda: tf.train.AdamOptimizer(0.1),
    "Adagrad": lambda: tf.train.AdagradOptimizer(0.1),
    "RMSProp": lambda: tf.train.RMSPropOptimizer(0.1),
    "CenteredRMSProp": lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
    "Adadelta": lambda: tf.train.AdadeltaOptimizer(0.1),
}

# TensorFlow 2.21 (tf.compat.v1): s/w = [1, 2] and b = [3] after three apply_gradients with
# the constant gradients [2, -4] and [1] (tools/compare_names.py builds the same graph).
TF_VALUES = {
    "GradientDescent": ([0.40000003576278687, 3.200000286102295], [2.700000286102295]),
    "Momentum": ([-0.12199997901916504, 4.24399995803833], [2.439000129699707]),
    "Nesterov": ([-0.6097999811172485, 5.219599723815918], [2.1951000690460205]),
    "Adam": ([0.700001060962677, 2.2999987602233887], [2.7000012397766113]),
    "Adagrad": ([0.7734582424163818, 2.227964401245117], [2.778851270675659]),
    "RMSProp": ([0.5164352655410767, 2.6345748901367188], [2.700000286102295]),
    "CenteredRMSProp": ([0.2746736407279968, 2.9920928478240967], [2.5674479007720947]),
    "Adadelta": ([0.9998643398284912, 2.000135898590088], [2.999864101409912]),
}

# As TF1 names them: (get_slot_names(), the slots of s/w in that order, update op type, the
# hyper-parameter tensors under the optimizer's name scope).
TF_NAMES = {
    "GradientDescent": ([], [], "ApplyGradientDescent", ["learning_rate"]),
    "Momentum": (["momentum"], ["s/w/Momentum"], "ApplyMomentum", ["learning_rate", "momentum"]),
    "Adam": (
        ["m", "v"],
        ["s/w/Adam", "s/w/Adam_1"],
        "ApplyAdam",
        ["learning_rate", "beta1", "beta2", "epsilon"],
    ),
    "Adagrad": (["accumulator"], ["s/w/Adagrad"], "ApplyAdagrad", ["learning_rate"]),
    "RMSProp": (
        ["momentum", "rms"],
        ["s/w/RMSProp_1", "s/w/RMSProp"],
        "ApplyRMSProp",
        ["learning_rate", "decay", "momentum", "epsilon"],
    ),
    "CenteredRMSProp": (
        ["mg", "momentum", "rms"],
        ["s/w/RMSProp_1", "s/w/RMSProp_2", "s/w/RMSProp"],
        "ApplyCenteredRMSProp",
        ["learning_rate", "decay", "momentum", "epsilon"],
    ),
    "Adadelta": (
        ["accum", "accum_update"],
        ["s/w/Adadelta", "s/w/Adadelta_1"],
        "ApplyAdadelta",
        ["lr", "rho", "epsilon"],
    ),
}


def _model():
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
    b = tf.Variable([3.0], name="b")
    return w, b


@pytest.mark.parametrize("name", sorted(TF_VALUES))
def test_three_steps_match_tensorflow(name):
    w, b = _model()
    step = tf.train.get_or_create_global_step()
    grads = [(tf.constant([2.0, -4.0]), w), (tf.constant([1.0]), b)]
    train = OPTIMIZERS[name]().apply_gradients(grads, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        w_value, b_value, step_value = sess.run([w, b, step])
    want_w, want_b = TF_VALUES[name]
    np.testing.assert_allclose(w_value, want_w, rtol=1e-6)
    np.testing.assert_allclose(b_value, want_b, rtol=1e-6)
    assert step_value == 3


@pytest.mark.parametrize("name", sorted(TF_NAMES))
def test_slot_and_op_names_match_tensorflow(graph, name):
    w, b = _model()
    opt = OPTIMIZERS[name]()
    before = {op.name for op in graph.get_operations()}
    train = opt.apply_gradients([(tf.constant([2.0, -4.0]), w), (tf.constant([1.0]), b)])
    slot_names, w_slots, op_type, hyper = TF_NAMES[name]
    prefix = opt.get_name()
    assert opt.get_slot_names() == slot_names
    assert [opt.get_slot(w, n).op.name for n in slot_names] == w_slots
    b_slots = [s.replace("s/w/", "b/") for s in w_slots]
    extra = ["beta1_power", "beta2_power"] if name == "Adam" else []
    assert [v.op.name for v in opt.variables()] == sorted(b_slots + extra + w_slots)
    assert sorted(v.op.name for v in tf.global_variables()) == sorted(
        ["s/w", "b", *extra, *w_slots, *b_slots]
    )
    assert [v.op.name for v in tf.trainable_variables()] == ["s/w", "b"]
    new = {op.name: op.type for op in graph.get_operations() if op.name not in before}
    assert all(new[f"{prefix}/{h}"] == "Const" for h in hyper)
    assert new[f"{prefix}/update_s/w/{op_type}"] == op_type
    assert new[f"{prefix}/update_b/{op_type}"] == op_type
    assert (train.name, train.type) == (prefix, "NoOp")
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]


def test_adam_beta_powers_advance_after_the_updates(graph):
    w, _ = _model()
    opt = tf.train.AdamOptimizer(0.1, beta1=0.5, beta2=0.25)
    train = opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
    mul = graph.get_operation_by_name("Adam/mul")
    assert [op.name for op in mul.control_inputs] == ["Adam/update_s/w/ApplyAdam"]
    assert [op.name for op in train.control_inputs] == [
        "Adam/update_s/w/ApplyAdam",
        "Adam/Assign",
        "Adam/Assign_1",
    ]
    beta1_power, beta2_power = opt._get_beta_accumulators()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert sess.run([beta1_power, beta2_power]) == [0.125, 0.015625]


# name -> (rule(var, *slots, grad, step) -> (var, *slots), initial slot values)
RULES = {
    "GradientDescent": (lambda v, g, t: update_rules.gradient_descent(v, g, 0.1), []),
    "Momentum": (lambda v, a, g, t: update_rules.momentum(v, a, g, 0.1, 0.9), [0.0]),
    "Nesterov": (lambda v, a, g, t: update_rules.momentum(v, a, g, 0.1, 0.9, True), [0.0]),
    "Adam": (lambda v, m, s, g, t: update_rules.adam(v, m, s, g, t, 0.1), [0.0, 0.0]),
    "Adagrad": (lambda v, a, g, t: update_rules.adagrad(v, a, g, 0.1), [0.1]),
    "RMSProp": (lambda v, ms, mom, g, t: update_rules.rms_prop(v, ms, mom, g, 0.1), [1.0, 0.0]),
    "CenteredRMSProp": (
        lambda v, mg, ms, mom, g, t: update_rules.centered_rms_prop(v, mg, ms, mom, g, 0.1, mu=0.5),
        [0.0, 1.0, 0.0],
    ),
    "Adadelta": (lambda v, a, u, g, t: update_rules.adadelta(v, a, u, g, 0.1), [0.0, 0.0]),
}


@pytest.mark.parametrize("shape", [[], [3], [2, 3]])
@pytest.mark.parametrize("name", sorted(RULES))
def test_updates_follow_the_rule_for_several_steps(name, shape):
    rng = np.random.default_rng(3)
    start = rng.normal(size=shape)
    w = tf.get_variable("w", initializer=start.astype(np.float32))
    g = tf.placeholder(tf.float32, shape, name="g")
    train = OPTIMIZERS[name]().apply_gradients([(g, w)])
    rule, slots = RULES[name]
    state = [start] + [np.full(shape, s) for s in slots]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t in range(1, 5):
            grad = rng.normal(size=shape)
            sess.run(train, {g: grad})
            state = list(rule(*state, grad, t))
            np.testing.assert_allclose(sess.run(w), state[0], rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(RULES))
def test_float64_variables_update_in_float64(graph, name):
    w = tf.get_variable("w", initializer=np.array([0.5, -1.5]))
    train = OPTIMIZERS[name]().apply_gradients([(tf.constant([0.25, 1.0], tf.float64), w)])
    rule, slots = RULES[name]
    state = [np.array([0.5, -1.5])] + [np.full([2], s) for s in slots]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t in range(1, 4):
            sess.run(train)
            state = list(rule(*state, np.array([0.25, 1.0]), t))
        value = sess.run(w)
    # The hyper-parameters are float32 constants cast to float64, as in TF (Adam's 1 - beta2
    # magnifies their rounding).
    assert value.dtype == np.float64
    np.testing.assert_allclose(value, state[0], rtol=2e-5)
    casts = [op.name for op in graph.get_operations() if op.type == "Cast"]
    assert casts and all("/update_w/" in c for c in casts)


def test_minimize_follows_the_gradient_of_the_loss():
    w = tf.get_variable("w", initializer=np.array([1.0, -2.0], np.float32))
    c = tf.constant([3.0, 0.5])
    loss = tf.reduce_sum(c * w * w)
    train = tf.train.MomentumOptimizer(0.05, 0.5).minimize(loss)
    state = (np.array([1.0, -2.0]), np.zeros(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train)
            state = update_rules.momentum(*state, 2 * np.array([3.0, 0.5]) * state[0], 0.05, 0.5)
        np.testing.assert_allclose(sess.run(w), state[0], rtol=1e-5)


@pytest.mark.parametrize(
    "learning_rate",
    [
        lambda: tf.constant(0.5),
        lambda: tf.Variable(0.5, name="lr"),
        lambda: lambda: 0.5,
        lambda: tf.placeholder_with_default(0.5, []),
    ],
    ids=["tensor", "variable", "callable", "placeholder"],
)
def test_learning_rate_may_be_a_tensor_variable_or_callable(learning_rate):
    w = tf.Variable([1.0, 2.0], name="w")
    train = tf.train.GradientDescentOptimizer(learning_rate()).apply_gradients(
        [(tf.constant([1.0, 4.0]), w)]
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.5, 0.0])


def test_decaying_learning_rate_follows_the_global_step():
    w = tf.Variable(0.0, name="w")
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(1.0, step, 1, 0.5)
    train = tf.train.GradientDescentOptimizer(lr).minimize(-w, global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        assert sess.run([w, step]) == [1.75, 3]


def test_hyper_parameter_defaults():
    adam = tf.train.AdamOptimizer()
    assert (adam._lr, adam._beta1, adam._beta2, adam._epsilon) == (0.001, 0.9, 0.999, 1e-8)
    rms = tf.train.RMSPropOptimizer(0.1)
    assert (rms._decay, rms._momentum, rms._epsilon, rms._centered) == (0.9, 0.0, 1e-10, False)
    adadelta = tf.train.AdadeltaOptimizer()
    assert (adadelta._lr, adadelta._rho, adadelta._epsilon) == (0.001, 0.95, 1e-8)
    assert tf.train.AdagradOptimizer(0.1)._initial_accumulator_value == 0.1
    assert tf.train.MomentumOptimizer(0.1, 0.9)._use_nesterov is False
    names = [OPTIMIZERS[n]().get_name() for n in ("GradientDescent", "Momentum", "Adagrad")]
    assert names == ["GradientDescent", "Momentum", "Adagrad"]


def test_adagrad_initial_accumulator(graph):
    w = tf.Variable([1.0], name="w")
    opt = tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.5)
    opt.apply_gradients([(tf.constant([1.0]), w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(opt.get_slot(w, "accumulator")).tolist() == [0.5]
    assert graph.get_operation_by_name("w/Adagrad/Initializer/Const").type == "Const"
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive: 0.0"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)


def test_rms_prop_slots_start_at_one_and_zero():
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.RMSPropOptimizer(0.1, centered=True)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([opt.get_slot(w, n) for n in ("rms", "mg", "momentum")])
    assert [v.tolist() for v in values] == [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
