"""Tests for scopeflow/train/optimizer.py: ``minimize``, ``compute_gradients`` and
``apply_gradients`` (``var_list``, ``global_step``, names, collections), slot creation through
the variable scopes, errors, and all-or-nothing graph building."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _run(fetches, steps=1):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(fetches[0])
        return sess.run(fetches[1:])


def test_minimize_increments_the_global_step_after_the_updates(graph):
    w = tf.Variable([1.0, 2.0], name="w")
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w), global_step=step)
    assert (train.name, train.type) == ("GradientDescent", "AssignAdd")
    value = graph.get_operation_by_name("GradientDescent/value")
    assert [op.name for op in value.control_inputs] == ["GradientDescent/update"]
    w_value, step_value = _run([train, w, step], steps=3)
    assert (w_value.tolist(), step_value) == ([-0.5, 0.5], 3)
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP) == [train]


def test_var_list_limits_what_is_trained_and_slotted():
    w = tf.Variable([1.0], name="w")
    b = tf.Variable([1.0], name="b")
    frozen = tf.Variable([1.0], name="frozen", trainable=False)
    loss = tf.reduce_sum(w + b + frozen)
    opt = tf.train.AdamOptimizer(0.1)
    grads_and_vars = opt.compute_gradients(loss, var_list=[b])
    assert [v.name for _, v in grads_and_vars] == ["b:0"]
    train = opt.apply_gradients(grads_and_vars)
    assert [v.name for v in opt.variables()] == [
        "b/Adam:0",
        "b/Adam_1:0",
        "beta1_power:0",
        "beta2_power:0",
    ]
    assert opt.get_slot(w, "m") is None
    w_value, b_value = _run([train, w, b])
    assert (w_value.tolist(), b_value.tolist()) == ([1.0], [pytest.approx(0.9)])


def test_default_var_list_is_the_trainable_variables():
    w = tf.Variable(1.0, name="w")
    frozen = tf.Variable(1.0, name="frozen", trainable=False)
    opt = tf.train.GradientDescentOptimizer(0.1)
    assert [v.name for _, v in opt.compute_gradients(w * frozen)] == ["w:0"]
    assert opt.compute_gradients(w * frozen, var_list={"f": frozen})[0][1] is frozen


def test_compute_gradients_gives_none_for_unconnected_variables():
    w = tf.Variable(2.0, name="w")
    unused = tf.Variable(1.0, name="unused")
    (gw, vw), (gu, vu) = tf.train.GradientDescentOptimizer(0.1).compute_gradients(w * w)
    assert (vw, gu, vu) == (w, None, unused)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(gw) == 4.0


def test_minimize_accepts_a_callable_loss_and_grad_loss():
    w = tf.Variable(1.0, name="w")
    train = tf.train.GradientDescentOptimizer(1.0).minimize(lambda: w * 3.0, grad_loss=2.0)
    assert _run([train, w]) == [-5.0]


@pytest.mark.parametrize(
    "gate",
    [tf.train.Optimizer.GATE_NONE, tf.train.Optimizer.GATE_OP, tf.train.Optimizer.GATE_GRAPH],
)
def test_gating_modes_give_the_same_update(gate):
    w = tf.Variable(1.0, name="w")
    train = tf.train.GradientDescentOptimizer(0.5).minimize(w * w, gate_gradients=gate)
    assert _run([train, w]) == [0.0]


def test_slots_follow_the_variable_scope_and_non_slot_variables_the_name_scope(graph):
    w = tf.get_variable("w", [2])
    with tf.variable_scope("outer"), tf.name_scope("ns"):
        opt = tf.train.AdamOptimizer(0.1)
        first = opt.apply_gradients([(tf.ones([2]), w)])
        second = opt.apply_gradients([(tf.ones([2]), w)])
    assert (first.name, second.name) == ("outer/ns/Adam", "outer/ns/Adam_1")
    assert [v.name for v in opt.variables()] == [
        "outer/ns/beta1_power:0",
        "outer/ns/beta2_power:0",
        "outer/w/Adam:0",
        "outer/w/Adam_1:0",
    ]
    ops = [op.name for op in graph.get_operations()]
    assert "outer/ns/Adam_1/update_w/ApplyAdam" in ops
    assert "outer/w/Adam/Initializer/zeros" in ops


def test_two_optimizers_on_one_variable_get_numbered_slots():
    w = tf.Variable([1.0], name="w")
    first, second = tf.train.AdamOptimizer(), tf.train.AdamOptimizer()
    first.apply_gradients([(tf.ones([1]), w)])
    second.apply_gradients([(tf.ones([1]), w)])
    assert [v.name for v in second.variables()] == [
        "beta1_power_1:0",
        "beta2_power_1:0",
        "w/Adam_2:0",
        "w/Adam_3:0",
    ]


def test_slots_are_global_and_not_trainable():
    w = tf.Variable([1.0], name="w")
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    opt.apply_gradients([(tf.ones([1]), w)])
    slot = opt.get_slot(w, "momentum")
    assert slot in tf.global_variables()
    assert slot not in tf.trainable_variables()
    assert (slot.shape.as_list(), slot.dtype) == ([1], tf.float32_ref)
    assert opt.get_slot(w, "no_such_slot") is None


def test_a_variable_constraint_runs_after_the_update():
    w = tf.get_variable(
        "w", initializer=[0.5, -0.5], constraint=lambda x: tf.clip_by_value(x, -1, 1)
    )
    train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(tf.constant([-2.0, 0.25]), w)])
    assert _run([train, w])[0].tolist() == [1.0, -0.75]


def test_none_gradients_are_skipped(graph):
    w = tf.Variable(1.0, name="w")
    b = tf.Variable(1.0, name="b")
    train = tf.train.GradientDescentOptimizer(0.5).apply_gradients([(None, b), (2.0, w)])
    assert [op.name for op in train.control_inputs] == [
        "GradientDescent/update_w/ApplyGradientDescent"
    ]
    assert _run([train, w, b]) == [0.0, 1.0]


def test_errors_name_the_problem():
    w = tf.Variable(1.0, name="w")
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.minimize(tf.constant(1.0) + 0.0 * tf.stop_gradient(w))
    with pytest.raises(ValueError, match="No variables provided"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \["):
        opt.apply_gradients([(None, w)])
    with pytest.raises(ValueError, match="No variables to optimize"):
        opt.compute_gradients(w * 2.0, var_list=[])
    with pytest.raises(ValueError, match="Invalid type tf.int32 for Const"):
        opt.compute_gradients(tf.constant(1))
    with pytest.raises(NotImplementedError, match="Trying to optimize unsupported type Tensor"):
        opt.compute_gradients(w * 2.0, var_list=[w.value()])
    with pytest.raises(ValueError, match="gate_gradients must be one of"):
        opt.compute_gradients(w * 2.0, gate_gradients=7)
    with pytest.raises(TypeError, match="Gradient must be convertible to a Tensor"):
        opt.apply_gradients([(object(), w)])
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        tf.train.GradientDescentOptimizer(0.1, name="")


def test_failed_apply_gradients_leaves_no_trace(graph):
    w = tf.Variable([1.0, 2.0], name="w")
    b = tf.Variable([1.0], name="b")
    opt = tf.train.AdamOptimizer(0.1)
    bad = [(tf.ones([2]), w), (tf.ones([3]), b)]
    names_before = [op.name for op in graph.get_operations()]
    with pytest.raises(ValueError, match="must be equal"):
        opt.apply_gradients(bad)
    assert [op.name for op in graph.get_operations()] == names_before
    assert (opt.get_slot_names(), opt.variables(), tf.global_variables()) == ([], [], [w, b])
    train = opt.apply_gradients([(tf.ones([2]), w), (tf.ones([1]), b)])
    assert train.name == "Adam"
    assert opt.get_slot_names() == ["m", "v"]


def test_subclasses_override_the_hooks():
    class SignDescent(tf.train.Optimizer):
        def __init__(self, learning_rate):
            super().__init__(False, "SignDescent")
            self._lr = learning_rate

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(self._lr, name="learning_rate")

        def _apply_dense(self, grad, var):
            return tf.assign_sub(var, self._lr_t * tf.sign(grad))

    w = tf.Variable([1.0, 1.0], name="w")
    train = SignDescent(0.25).apply_gradients([(tf.constant([3.0, -0.1]), w)])
    assert train.name == "SignDescent"
    assert _run([train, w])[0].tolist() == [0.75, 1.25]
