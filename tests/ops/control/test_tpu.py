"""Tests for scopeflow/ops/control/tpu.py (``tf.tpu.cross_replica_sum`` and its kin on one
replica): names, inputs, gradients and errors recorded from TF 2.21's compat.v1 graph mode."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

CASES = [
    Case("float", "CrossReplicaSum", tf.tpu.cross_replica_sum, (np.float32([[1, -2], [3, 4]]),),
         np.float32([[1, -2], [3, 4]])),
    Case("int32", "CrossReplicaSum", tf.tpu.cross_replica_sum, (np.int32([5, -7]),),
         np.int32([5, -7])),
    Case("other-replicas", "CrossReplicaSum",
         lambda x: tf.tpu.cross_replica_sum(x, group_assignment=[[0, 1]]), (np.float32([1]),),
         Raises(tf.errors.InvalidArgumentError, "the only assignment is [[0]]")),
]  # fmt: skip
GRAD_CASES = [GradCase("cross_replica_sum", lambda x: tf.tpu.cross_replica_sum(x * x),
                       (np.array([0.5, -1.5]),))]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients(case):
    check_gradient_case(case)


def _listing(ops):
    return [(op.name, op.type, [t.name for t in op.inputs]) for op in ops]


def test_cross_replica_sum_names_and_gradient_are_tfs(graph):
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    c = tf.tpu.cross_replica_sum(w * 2.0, name="crs")
    assert _listing(graph.get_operations()[-2:]) == [
        ("crs/group_assignment", "Const", []),
        ("crs", "CrossReplicaSum", ["mul:0", "crs/group_assignment:0"]),
    ]
    assert graph.get_operation_by_name("crs/group_assignment").get_attr("value").tolist() == [[0]]
    n = len(graph.get_operations())
    tf.tpu.cross_replica_sum([1.0, 2.0])
    assert _listing(graph.get_operations()[n:]) == [
        ("CrossReplicaSum/input", "Const", []),
        ("CrossReplicaSum/group_assignment", "Const", []),
        ("CrossReplicaSum", "CrossReplicaSum",
         ["CrossReplicaSum/input:0", "CrossReplicaSum/group_assignment:0"]),
    ]  # fmt: skip
    (grad,) = tf.gradients(c, w)
    crs_grad = graph.get_operation_by_name("gradients/crs_grad/CrossReplicaSum")
    assert _listing([crs_grad]) == [
        ("gradients/crs_grad/CrossReplicaSum", "CrossReplicaSum",
         ["gradients/grad_ys_0:0", "crs/group_assignment:0"]),
    ]  # fmt: skip
    assert grad.name == "gradients/mul_grad/Mul:0"


def test_cross_replica_sum_dtype_error_is_tfs(graph):
    with pytest.raises(TypeError, match="Value passed to parameter 'input' has DataType int64 "):
        tf.tpu.cross_replica_sum(tf.constant([1, 2], tf.int64))


def test_small_functions_are_tfs(graph):
    assert tf.tpu.core(3) == "device:TPU_REPLICATED_CORE:3"
    assert tf.tpu.outside_compilation(lambda a, b=1: a + b, 1, b=2) == 3
    with tf.tpu.bfloat16_scope() as scope:
        v = tf.get_variable("v", [2], dtype=tf.bfloat16)
    assert (scope.name, v.name, v.dtype) == ("", "Cast:0", tf.bfloat16)
    assert [x.name for x in tf.global_variables()] == ["v:0"]
    assert tf.global_variables()[0].dtype == tf.float32_ref


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.tpu.initialize_system(),
        lambda: tf.tpu.shutdown_system(),
        lambda: tf.tpu.experimental.initialize_tpu_system(),
        lambda: tf.tpu.experimental.shutdown_tpu_system(),
    ],
)
def test_tpu_system_functions_say_what_to_do_instead(graph, call):
    with pytest.raises(NotImplementedError, match="needs a TPU system"):
        call()
