"""Tests for scopeflow/ops/state/training_keras.py: Keras's update ops (ApplyAdagradV2,
SparseApplyAdagradV2, ApplyAdaMax, their Resource twins, and the resource-only
ResourceApplyKerasMomentum, ResourceSparseApplyKerasMomentum and ResourceApplyAdamWithAmsgrad)
against the values TF 2.21's kernels gave for two steps, one step against a NumPy reference in
the kernel table, both executors, and TF's errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

VAR = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], np.float32)
G1 = np.array([[0.3, -0.6, 0.9], [-1.2, 0.15, 0.45]], np.float32)
G2 = np.array([[-0.4, 0.2, 0.7], [0.5, -0.35, 1.1]], np.float32)
ROWS = np.array([[0.3, -0.6, 0.9], [-1.2, 0.15, 0.45], [0.2, 0.1, -0.5]], np.float32)
IDX = np.array([1, 0, 1], np.int32)  # row 1 twice: its updates apply one after the other
DENSE_STEPS, SPARSE_STEPS = (G1, G2), (ROWS, ROWS * -0.5)
ADAM = [0.9, 0.999, 0.1, 0.9, 0.999, 1e-7]  # beta1_power, beta2_power, lr, beta1, beta2, eps

# name: (op type, attrs, slots' initial values, the inputs after the slots with "grad" (and
# "indices") in TF's order, the gradients of two steps, TF 2.21's variable and slots after them)
# fmt: off
CASES = {
    "adagrad_v2": ("ApplyAdagradV2", {}, [0.1], [0.2, 0.01, "grad"], DENSE_STEPS, [
        [0.4984146, -0.8814201, 1.6959363, 1.6176625, 0.3052874, -1.0881569],
        [0.35, 0.5, 1.4, 1.79, 0.245, 1.5125]]),
    "adagrad_v2_no_slots": ("ApplyAdagradV2", {"update_slots": False}, [0.1],
                            [0.2, 0.01, "grad"], DENSE_STEPS, [
        [0.5613069, -0.7547725, 1.0190902, 1.9291482, 0.3726137, -1.7002563], [0.1] * 6]),
    "sparse_adagrad_v2": ("SparseApplyAdagradV2", {}, [0.1], [0.2, 0.01, "grad", "indices"],
                          SPARSE_STEPS, [
        [0.6054214, -1.0425664, 1.9137591, 1.3805615, 0.3296428, -0.8098291],
        [1.9, 0.128125, 0.353125, 0.2625, 0.5625, 1.425]]),
    "ada_max": ("ApplyAdaMax", {}, [0.0, 0.0], [0.81, 0.1, 0.9, 0.999, 1e-7, "grad"],
                DENSE_STEPS, [
        [0.4644737, -0.9175140, 1.8589759, 1.5780957, 0.2296993, -0.8746411],
        [-0.013, -0.034, 0.151, -0.058, -0.0215, 0.1505],
        [0.4, 0.5994, 0.8991, 1.1988, 0.35, 1.1]]),
    "keras_momentum": ("ResourceApplyKerasMomentum", {}, [0.0], [0.1, "grad", 0.9],
                       DENSE_STEPS, [
        [0.483, -0.906, 1.759, 1.678, 0.2565, -0.9455],
        [0.013, 0.034, -0.151, 0.058, 0.0215, -0.1505]]),
    "keras_momentum_nesterov": ("ResourceApplyKerasMomentum", {"use_nesterov": True}, [0.0],
                                [0.1, "grad", 0.9], DENSE_STEPS, [
        [0.4947, -0.8754, 1.6231, 1.7302, 0.27585, -1.08095],
        [0.013, 0.034, -0.151, 0.058, 0.0215, -0.1505]]),
    "sparse_keras_momentum": ("ResourceSparseApplyKerasMomentum", {}, [0.0],
                              [0.1, "grad", "indices", 0.9], SPARSE_STEPS, [
        [0.668, -1.021, 1.937, 1.38113, 0.37724, -0.86351],
        [0.048, -0.006, -0.018, -0.01457, 0.01364, -0.00961]]),
    "sparse_keras_momentum_nesterov": ("ResourceSparseApplyKerasMomentum",
                                       {"use_nesterov": True}, [0.0],
                                       [0.1, "grad", "indices", 0.9], SPARSE_STEPS, [
        [0.7112, -1.0264, 1.9208, 1.368017, 0.389516, -0.872159],
        [0.048, -0.006, -0.018, -0.01457, 0.01364, -0.00961]]),
    "adam_amsgrad": ("ResourceApplyAdamWithAmsgrad", {}, [0.0, 0.0, 0.0], [*ADAM, "grad"],
                     (G1, G2 * 0.1), [
        [0.3239703, -0.8133391, 1.8024688, 1.6858013, 0.0850499, -0.9612223],
        [0.023, -0.052, 0.088, -0.103, 0.01, 0.0515],
        [9.150882e-05, 3.600354e-04, 8.140795e-04, 1.441041e-03, 2.370220e-05, 2.143947e-04],
        [9.150882e-05, 3.600354e-04, 8.140795e-04, 1.441041e-03, 2.370220e-05, 2.143947e-04]]),
}
# fmt: on


def _build(name, use_resource, grad=None, indices=None, dtype=tf.float32):
    """The case's variable, slots and update op (its Resource form for resource variables)."""
    op_type, attrs, slots, inputs, steps, _ = CASES[name]
    numpy_dtype = dtype.as_numpy_dtype
    var = tf.Variable(VAR.astype(numpy_dtype), name="var", use_resource=use_resource)
    slot_vars = [
        tf.Variable(np.full(VAR.shape, s, numpy_dtype), name=f"slot_{k}", use_resource=use_resource)
        for k, s in enumerate(slots)
    ]
    if grad is None:
        grad = tf.placeholder(dtype, steps[0].shape, name="grad")
    args = [var._ref(), *(s._ref() for s in slot_vars)]
    for x in inputs:
        if x == "grad":
            args.append(grad)
        elif x == "indices":
            args.append(tf.constant(IDX) if indices is None else indices)
        else:
            args.append(tf.constant(x, dtype))
    if use_resource and not op_type.startswith("Resource"):
        op_type = "Resource" + op_type
    op = tf.get_default_graph().create_op(op_type, args, attrs)
    return var, slot_vars, grad, op


@pytest.mark.parametrize("executor", ["numpy", "jax"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_two_steps_give_tfs_values(graph, name, executor):
    if executor == "jax":
        pytest.importorskip("jax")
    op_type = CASES[name][0]
    var, slot_vars, grad, op = _build(name, use_resource=True)
    assert op.type == (op_type if op_type.startswith("Resource") else "Resource" + op_type)
    with tf.Session(executor=executor) as sess:
        sess.run(tf.global_variables_initializer())
        for step in CASES[name][4]:
            sess.run(op, {grad: step})
        got = sess.run([var, *slot_vars])
    for value, want in zip(got, CASES[name][5], strict=True):
        np.testing.assert_allclose(value.ravel(), want, rtol=2e-5, atol=1e-7)


@pytest.mark.parametrize("name", ["adagrad_v2", "sparse_adagrad_v2", "ada_max"])
def test_reference_ops_give_their_twins_values_and_return_the_variable(graph, name):
    var, slot_vars, grad, op = _build(name, use_resource=False)
    assert op.outputs[0].dtype == tf.float32._as_ref
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        outs = [sess.run(op.outputs[0], {grad: step}) for step in CASES[name][4]]
        got = sess.run([var, *slot_vars])
    np.testing.assert_array_equal(outs[-1], got[0])
    for value, want in zip(got, CASES[name][5], strict=True):
        np.testing.assert_allclose(value.ravel(), want, rtol=2e-5, atol=1e-7)


def _adagrad_v2_rule(g):
    accum = 0.1 + g * g
    return VAR.astype(np.float64) - 0.2 * g / (np.sqrt(accum) + 0.01)


def _ada_max_rule(g):
    m, v = 0.1 * g, np.abs(g)
    return VAR.astype(np.float64) - 0.1 / (1 - 0.81) * (m / (v + 1e-7))


def _one_step(name):
    def build(grad):
        return _build(name, False, grad=grad, dtype=tf.float64)[3].outputs[0]

    return build


G64 = G1.astype(np.float64)
ONE_STEP = [
    Case("adagrad-v2", "ApplyAdagradV2", _one_step("adagrad_v2"), (G64,), _adagrad_v2_rule, 1e-12),
    Case("ada-max", "ApplyAdaMax", _one_step("ada_max"), (G64,), _ada_max_rule, 1e-12),
    Case(
        "sparse-adagrad-v2",
        "SparseApplyAdagradV2",
        lambda g: _build("sparse_adagrad_v2", False, grad=g, indices=tf.constant([1, 0]))[
            3
        ].outputs[0],
        (G1,),
        lambda g: np.stack(
            [
                VAR[0] - 0.2 * g[1] / (np.sqrt(0.1 + g[1] ** 2) + 0.01),
                VAR[1] - 0.2 * g[0] / (np.sqrt(0.1 + g[0] ** 2) + 0.01),
            ]
        ),  # fmt: skip
        1e-6,
    ),
]


def _resource_step(name, indices=None):
    """One update by a resource-only op of CASES (float64), then the variable's value (the
    case's output is that ReadVariableOp; the coverage test sees the update op run)."""

    def build(grad):
        rows = None if indices is None else tf.constant(indices)
        var, _, _, op = _build(name, True, grad=grad, indices=rows, dtype=tf.float64)
        with tf.control_dependencies([op]):
            return var.value()

    return build


def _amsgrad_rule(g):  # beta1_power 0.9, beta2_power 0.999, lr 0.1: lr_t = sqrt(0.001)
    m, v = 0.1 * g, 0.001 * g * g
    return VAR.astype(np.float64) - np.sqrt(0.001) * m / (np.sqrt(v) + 1e-7)


ONE_STEP += [
    Case("keras-momentum", "ReadVariableOp", _resource_step("keras_momentum"),
         (G64,), lambda g: VAR.astype(np.float64) - 0.1 * g, 1e-12, modes=("full",)),
    Case("sparse-keras-momentum", "ReadVariableOp",
         _resource_step("sparse_keras_momentum", indices=[1, 0]), (G64,),
         lambda g: VAR.astype(np.float64) - 0.1 * g[::-1], 1e-12, modes=("full",)),
    Case("adam-amsgrad", "ReadVariableOp", _resource_step("adam_amsgrad"),
         (G64,), _amsgrad_rule, 1e-12, modes=("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(ONE_STEP))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_build_errors_are_tfs(graph):
    var = tf.Variable(VAR, use_resource=True)
    accum = tf.Variable(VAR, use_resource=True)
    lr, momentum = tf.constant(0.1), tf.constant(0.9)
    create = tf.get_default_graph().create_op
    with pytest.raises(TypeError, match="Input 'var' of 'ResourceApplyKerasMomentum' Op has type "
                       "float32 that does not match expected type of resource"):  # fmt: skip
        create("ResourceApplyKerasMomentum", [lr, accum.handle, lr, tf.ones([2, 3]), momentum])
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        grad = tf.constant(VAR)
        create(
            "ResourceApplyKerasMomentum",
            [var.handle, accum.handle, tf.constant([0.1]), grad, momentum],
        )
    with pytest.raises(ValueError, match="ApplyAdagradV2 takes 5 inputs"):
        create("ApplyAdagradV2", [var._ref(), accum._ref(), lr, tf.constant(VAR)])


@pytest.mark.parametrize(
    ("op_type", "grad", "indices", "message"),
    [
        ("ResourceSparseApplyKerasMomentum", np.ones([1, 3]), [5],
         "indices[0] = 5 is not in [0, 2)"),
        ("ResourceSparseApplyAdagradV2", np.ones([2, 3]), [0],
         "grad must be the same size as indices in the first dimension."),
    ],
)  # fmt: skip
def test_run_errors_are_tfs_and_leave_the_variable(graph, op_type, grad, indices, message):
    var = tf.Variable(VAR, use_resource=True)
    accum = tf.Variable(np.zeros_like(VAR), use_resource=True)
    lr = tf.constant(0.1)
    grad_inputs = [tf.constant(grad, tf.float32)]
    if indices is not None:
        grad_inputs.append(tf.constant(indices))
    if "KerasMomentum" in op_type:
        inputs = [var.handle, accum.handle, lr, *grad_inputs, tf.constant(0.9)]
    else:
        inputs = [var.handle, accum.handle, lr, tf.constant(0.01), *grad_inputs]
    op = tf.get_default_graph().create_op(op_type, inputs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
            sess.run(op)
        np.testing.assert_array_equal(sess.run(var), VAR)
