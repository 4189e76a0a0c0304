"""Tests for scopeflow/train/optimizers_proximal.py: FTRL, ProximalAdagrad,
ProximalGradientDescent and AdagradDA against values TensorFlow computed over three steps,
dense and sparse, and the slot, variable and op names TF1 gives them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

REG = {"l1_regularization_strength": 0.05, "l2_regularization_strength": 0.1}
OPTIMIZERS = {
    "Ftrl": lambda step: tf.train.FtrlOptimizer(0.1),
    "FtrlL1L2": lambda step: tf.train.FtrlOptimizer(
        0.1, learning_rate_power=-0.6, initial_accumulator_value=0.2, **REG
    ),
    "FtrlShrinkage": lambda step: tf.train.FtrlOptimizer(
        0.1, l2_shrinkage_regularization_strength=0.2, **REG
    ),
    "FtrlBeta": lambda step: tf.train.FtrlOptimizer(0.1, l2_regularization_strength=0.1, beta=0.5),
    "ProximalAdagrad": lambda step: tf.train.ProximalAdagradOptimizer(0.1, **REG),
    "ProximalGradientDescent": lambda step: tf.train.ProximalGradientDescentOptimizer(0.1, **REG),
    "AdagradDA": lambda step: tf.train.AdagradDAOptimizer(0.1, step, **REG),
}

# TensorFlow 2.21 (tf.compat.v1): (s/w = [1, 2] and b = [3] after three apply_gradients with
# the constant gradients [2, -4] and [1]; the [4, 2] table e = arange(8) / 4 after three
# minimize steps of reduce_sum(gather(e, [0, 2, 0]) * [[1, -2], [0.5, 3], [2, 1]])).
TF_VALUES = {
    "Ftrl": (
        [0.6172844767570496, 2.0703423023223877, 1.874316930770874],
        [-0.22759252786636353, 0.39577117562294006, 0.26217979192733765, 0.8913719654083252],
    ),
    "FtrlL1L2": (
        [0.6454319953918457, 2.012566566467285, 1.7380836009979248],
        [-0.17114746570587158, 0.3562506139278412, 0.17622795701026917, 0.9446419477462769],
    ),
    "FtrlShrinkage": (
        [0.5715488195419312, 2.014450788497925, 1.6324572563171387],
        [-0.22255748510360718, 0.36126577854156494, 0.15485355257987976, 0.8507817983627319],
    ),
    "FtrlBeta": (
        [0.4833775460720062, 1.837576150894165, 1.2425262928009033],
        [-0.20005646347999573, 0.27511441707611084, 0.12945431470870972, 0.7543832063674927],
    ),
    "ProximalAdagrad": (
        [0.7583185434341431, 2.2128968238830566, 2.7058475017547607],
        [-0.22265735268592834, 0.4515489935874939, 0.7427759170532227, 1.0103603601455688],
    ),
    "ProximalGradientDescent": (
        [0.36768823862075806, 3.1028692722320557, 2.6029670238494873],
        [-0.8675907850265503, 0.5220411419868469, 0.8088359832763672, 0.3162371814250946],
    ),
    "AdagradDA": (
        [-0.1667376607656479, 0.17012622952461243, -0.15915727615356445],
        [-0.16902971267700195, 0.15915727615356445, -0.1418135166168213, -0.16902971267700195],
    ),
}
# (get_slot_names(), the slots of s/w, the dense and sparse update op types, hyper-parameter
# tensors under the optimizer's name scope), as TF1 names them.
_FTRL_HYPER = ["learning_rate", "l1_regularization_strength", "beta", "learning_rate_power"]
_PROXIMAL_HYPER = ["learning_rate", "l1_regularization_strength", "l2_regularization_strength"]
TF_NAMES = {
    "Ftrl": (["accum", "linear"], ["s/w/Ftrl", "s/w/Ftrl_1"], "ApplyFtrl", _FTRL_HYPER),
    "FtrlShrinkage": (["accum", "linear"], ["s/w/Ftrl", "s/w/Ftrl_1"], "ApplyFtrlV2", []),
    "ProximalAdagrad": (
        ["accumulator"],
        ["s/w/ProximalAdagrad"],
        "ApplyProximalAdagrad",
        _PROXIMAL_HYPER,
    ),
    "ProximalGradientDescent": ([], [], "ApplyProximalGradientDescent", _PROXIMAL_HYPER),
    "AdagradDA": (
        ["gradient_accumulator", "gradient_squared_accumulator"],
        ["s/w/AdagradDA", "s/w/AdagradDA_1"],
        "ApplyAdagradDA",
        ["learning_rate"],
    ),
}


def _model():
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
    return w, tf.Variable([3.0], name="b")


def _table_loss():
    init = tf.constant_initializer(np.arange(8.0).reshape(4, 2) / 4)
    e = tf.get_variable("e", [4, 2], initializer=init)
    rows = tf.constant([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]])
    return e, tf.reduce_sum(tf.gather(e, [0, 2, 0]) * rows)


@pytest.mark.parametrize("name", sorted(TF_VALUES))
def test_three_steps_match_tensorflow_dense_and_sparse(graph, name):
    w, b = _model()
    step = tf.train.get_or_create_global_step()
    grads = [(tf.constant([2.0, -4.0]), w), (tf.constant([1.0]), b)]
    train = OPTIMIZERS[name](step).apply_gradients(grads, global_step=step)
    init = tf.global_variables_initializer()
    with tf.Graph().as_default() as sparse_graph:
        e, loss = _table_loss()
        sparse_step = tf.train.get_or_create_global_step()
        sparse_train = OPTIMIZERS[name](sparse_step).minimize(loss, global_step=sparse_step)
        sparse_init = tf.global_variables_initializer()
    with tf.Session(graph=graph) as sess, tf.Session(graph=sparse_graph) as sparse_sess:
        sess.run(init)
        sparse_sess.run(sparse_init)
        for _ in range(3):
            sess.run(train)
            sparse_sess.run(sparse_train)
        got = np.concatenate(sess.run([w, b]))
        table = sparse_sess.run(e)
    np.testing.assert_allclose(got, TF_VALUES[name][0], rtol=1e-6)
    np.testing.assert_allclose(table[[0, 2]].ravel(), TF_VALUES[name][1], rtol=1e-6)
    np.testing.assert_array_equal(table[[1, 3]], [[0.5, 0.75], [1.5, 1.75]])


@pytest.mark.parametrize("name", sorted(TF_NAMES))
def test_slot_and_op_names_match_tensorflow(graph, name):
    w, b = _model()
    step = tf.train.get_or_create_global_step()
    opt = OPTIMIZERS[name](step)
    before = {op.name for op in graph.get_operations()}
    opt.apply_gradients([(tf.constant([2.0, -4.0]), w), (tf.constant([1.0]), b)])
    slot_names, w_slots, op_type, hyper = TF_NAMES[name]
    prefix = opt.get_name()
    assert opt.get_slot_names() == slot_names
    assert [opt.get_slot(w, n).op.name for n in slot_names] == w_slots
    b_slots = [s.replace("s/w/", "b/") for s in w_slots]
    assert [v.op.name for v in opt.variables()] == sorted(b_slots + w_slots)
    new = {op.name: op.type for op in graph.get_operations() if op.name not in before}
    assert all(new[f"{prefix}/{h}"] == "Const" for h in hyper)
    assert new[f"{prefix}/update_s/w/{op_type}"] == op_type
    with tf.Graph().as_default() as sparse_graph:
        _, loss = _table_loss()
        OPTIMIZERS[name](tf.train.get_or_create_global_step()).minimize(loss)
    assert sparse_graph.get_operation_by_name(f"{prefix}/update_e/Sparse{op_type}")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5), "learning_rate_power"),
        (lambda: tf.train.FtrlOptimizer(0.1, initial_accumulator_value=-1.0), "initial_acc"),
        (lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.0), "l1_regular"),
        (lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=-1), "shrink"),
        (lambda: tf.train.ProximalAdagradOptimizer(0.1, 0.0), "must be positive: 0.0"),
        (lambda: tf.train.AdagradDAOptimizer(0.1, None, 0.0), "must be positive: 0.0"),
    ],
)
def test_bad_hyper_parameters_raise_as_in_tf1(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_adagrad_da_reads_the_global_step_plus_one(graph):
    w, _ = _model()
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdagradDAOptimizer(0.5, step).apply_gradients([(tf.constant([1.0, 1.0]), w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step.assign(9))
        sess.run(train)  # step 10: -lr * g / (l2 * 10 * lr + sqrt(0.1 + 1)) with l2 = 0
        np.testing.assert_allclose(sess.run(w), -0.5 / np.sqrt(1.1) * np.ones(2), rtol=1e-6)
