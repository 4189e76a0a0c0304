"""Tests for scopeflow/ops/state/storage.py: the kernels and shape functions of
``VariableV2``, ``Assign``, ``AssignAdd``, ``AssignSub`` and ``IsVariableInitialized``
(``tf.Variable`` builds them; its own names are tested in tests/variables).
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

V = np.float32([[1, 2, 3], [4, 5, 6]])
X = np.float32([[0.5, -1, 2], [0, 1, -3]])


def _initialized():
    return tf.Variable(V, name="v")


# fmt: off
CASES = [
    Case("variable", "VariableV2", lambda: _initialized()._ref(), (), V, modes=("full",)),
    Case("assign", "Assign", lambda x: tf.assign(_initialized(), x), (X,), lambda x: x),
    Case("assign-add", "AssignAdd", lambda x: tf.assign_add(_initialized(), x), (X,),
         lambda x: V + x),
    Case("assign-sub", "AssignSub", lambda x: tf.assign_sub(_initialized(), x), (X,),
         lambda x: V - x),
    Case("is-initialized", "IsVariableInitialized",
         lambda: tf.is_variable_initialized(_initialized()), (), np.bool_(True), modes=("full",)),
    Case("is-not-initialized", "IsVariableInitialized",
         lambda: tf.is_variable_initialized(tf.Variable(V, name="w", collections=[])), (),
         np.bool_(False), modes=("full",)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _variable(graph, shape, dtype=tf.float32, name="v"):
    attrs = {"dtype": dtype, "shape": tf.TensorShape(shape)}
    return graph.create_op("VariableV2", [], attrs, name=name).outputs[0]


def test_variable_outputs_a_ref_of_its_shape(graph):
    v = _variable(graph, [2, None])
    assert (v.name, v.dtype, v.shape.as_list()) == ("v:0", tf.float32_ref, [2, None])


@pytest.mark.parametrize(
    ("value_shape", "validate", "expected"),
    [([2, 3], True, [2, 3]), ([None, 3], True, [2, 3]), ([5], False, [5])],
)
def test_assign_shape(graph, value_shape, validate, expected):
    v = _variable(graph, [2, 3])
    value = tf.placeholder(tf.float32, value_shape)
    out = graph.create_op("Assign", [v, value], {"validate_shape": validate}).outputs[0]
    assert (out.op.name, out.dtype, out.shape.as_list()) == ("Assign", tf.float32_ref, expected)


def test_assign_errors(graph):
    v = _variable(graph, [2, 3])
    # TF 2.21's words, then scopeflow's hint
    with pytest.raises(ValueError, match=r"Shapes must be equal rank, but are 2 and 1\. The var"):
        graph.create_op("Assign", [v, tf.placeholder(tf.float32, [3])], {"validate_shape": True})
    with pytest.raises(TypeError, match="Input 'value' of 'Assign' Op has type int32"):
        graph.create_op("Assign", [v, tf.placeholder(tf.int32, [2, 3])], {})


@pytest.mark.parametrize("op_type", ["AssignAdd", "AssignSub"])
def test_assign_updates_keep_the_variable_shape(graph, op_type):
    v = _variable(graph, [2, 3])
    out = graph.create_op(op_type, [v, tf.placeholder(tf.float32, [None, 3])], {}).outputs[0]
    assert (out.op.type, out.dtype, out.shape.as_list()) == (op_type, tf.float32_ref, [2, 3])
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 2 and 1 for"):
        graph.create_op(op_type, [v, tf.placeholder(tf.float32, [3])], {})


def test_is_variable_initialized_is_a_bool_scalar(graph):
    v = _variable(graph, [2])
    out = graph.create_op("IsVariableInitialized", [v], {"dtype": tf.float32}).outputs[0]
    assert (out.op.name, out.dtype, out.shape.as_list()) == ("IsVariableInitialized", tf.bool, [])


def test_a_read_snapshot_keeps_its_buffer_across_a_resizing_assign(run):
    # TF 2.21: an assign of another size gives the variable a new buffer, so the snapshot
    # read before it keeps the old values; one of the same size overwrites it in place
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], validate_shape=False, name="v")
    old = v.value()
    with tf.control_dependencies([old]):
        grow = tf.assign(v, tf.zeros([4, 2]), validate_shape=False)
    with tf.control_dependencies([grow]):
        copy = v[:2].assign(old[:2])
    run(v.initializer)
    run(copy)
    assert run(v).tolist() == [[1.0, 2.0], [3.0, 4.0], [0.0, 0.0], [0.0, 0.0]]
    w = tf.Variable([1.0, 2.0], name="w")
    snap = w.value()
    with tf.control_dependencies([snap]):
        same = tf.assign(w, [5.0, 6.0])
    with tf.control_dependencies([same]):
        seen = tf.identity(snap)
    run(w.initializer)
    assert run(seen).tolist() == [5.0, 6.0]
    # a slice bound may be a variable, as in TF (its int32_ref dtype)
    size = tf.Variable(1, name="size")
    run(size.initializer)
    assert run(v[:size]).tolist() == [[1.0, 2.0]]
