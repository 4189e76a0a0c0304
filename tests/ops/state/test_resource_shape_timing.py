"""When the resource update ops check shapes, as TF 2.21: a gradient of another shape than
the variable builds and fails when run (TF's shape functions find no shape for it), except
for ResourceApplyGradientDescent and ResourceApplyProximalAdagrad, which check it at build;
the slots' handles are merged with the variable's at build; sparse indices must be rank 1."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _handle(name, shape):
    return tf.get_variable(name, shape, initializer=tf.ones_initializer(), use_resource=True)


def _run(graph, op):
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op)


def test_adam_with_a_gradient_of_another_shape_fails_when_run(graph):
    v, m, s = (_handle(n, [2, 3]).handle for n in "vms")
    op = tf.raw_ops.ResourceApplyAdam(
        var=v, m=m, v=s, beta1_power=0.9, beta2_power=0.99, lr=0.1, beta1=0.9,
        beta2=0.999, epsilon=1e-7, grad=tf.ones([3]), name="upd",
    )  # fmt: skip
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"var and grad do not have the same shape\[2,3\] \[3\]",
    ):
        _run(graph, op)


def test_proximal_gradient_descent_names_delta_when_run(graph):
    op = tf.raw_ops.ResourceApplyProximalGradientDescent(
        var=_handle("v", [2, 3]).handle, alpha=0.1, l1=0.0, l2=0.0, delta=tf.ones([3])
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"var and delta do not have the"):
        _run(graph, op)


@pytest.mark.parametrize(
    "op_type", ["ResourceApplyGradientDescent", "ResourceApplyProximalAdagrad"]
)
def test_two_ops_check_the_gradient_at_build(graph, op_type):
    handles = {"var": _handle("v", [2, 3]).handle}
    extra = {"alpha": 0.1, "delta": tf.ones([3])}
    if op_type == "ResourceApplyProximalAdagrad":
        handles["accum"] = _handle("a", [2, 3]).handle
        extra = {"lr": 0.1, "l1": 0.0, "l2": 0.0, "grad": tf.ones([3])}
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
        getattr(tf.raw_ops, op_type)(**handles, **extra)


def test_slot_of_another_shape_fails_at_build(graph):
    v, a = _handle("v", [2, 3]).handle, _handle("a", [3]).handle
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
        tf.raw_ops.ResourceApplyMomentum(var=v, accum=a, lr=0.1, grad=tf.ones([2, 3]), momentum=0.9)
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1"):
        tf.raw_ops.ResourceSparseApplyMomentum(
            var=v, accum=a, lr=0.1, grad=tf.ones([1, 3]), indices=[0], momentum=0.9
        )


def test_sparse_forms_check_rows_when_run_and_indices_rank_at_build(graph):
    v, a = _handle("v", [2, 3]).handle, _handle("a", [2, 3]).handle
    op = tf.raw_ops.ResourceSparseApplyAdagrad(
        var=v, accum=a, lr=0.1, grad=tf.ones([1, 2]), indices=[0]
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="var and grad must match in dimension 1"
    ):
        _run(graph, op)
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.raw_ops.ResourceSparseApplyMomentum(
            var=v, accum=a, lr=0.1, grad=tf.ones([1, 3]), indices=[[0]], momentum=0.9
        )


def test_matching_shapes_still_update(graph):
    var = _handle("v", [2, 3])
    op = tf.raw_ops.ResourceApplyMomentum(
        var=var.handle, accum=_handle("a", [2, 3]).handle, lr=0.5, grad=tf.ones([2, 3]),
        momentum=0.9,
    )  # fmt: skip
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op)
        np.testing.assert_allclose(sess.run(var), np.full([2, 3], 1 - 0.5 * 1.9), rtol=1e-5)


def test_jax_executor_fails_as_the_numpy_one(graph):
    pytest.importorskip("jax")
    v, a = _handle("v", [2, 3]).handle, _handle("a", [2, 3]).handle
    op = tf.raw_ops.ResourceApplyMomentum(var=v, accum=a, lr=0.1, grad=tf.ones([3]), momentum=0.9)
    with tf.Session(graph=graph, executor="jax") as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match=r"var and grad do not have the same shape\[2,3\] \[3\]",
        ):
            sess.run(op)
