"""tf.no_op, tf.group and the initializer ops: names checked against TensorFlow; NoOp's
kernel."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case


def _after_no_op(x):
    with tf.control_dependencies([tf.no_op()]):
        return tf.identity(x)


def _after_control_trigger(x):
    # TF1's gradient loops make one (not public API); imported graphs have them.
    trigger = tf.get_default_graph().create_op("ControlTrigger", [], name="b_sync")
    with tf.control_dependencies([trigger]):
        return tf.identity(x)


CASES = [Case("no-op", "Identity", _after_no_op, (np.float32([[0.5, -1, 2], [0, 1, -3]]),),
              lambda x: x),
         Case("control-trigger", "Identity", _after_control_trigger, (np.float32([1, 2]),),
              lambda x: x)]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_group_names_and_control_inputs():
    with tf.Graph().as_default():
        a = tf.no_op(name="a")
        b = tf.constant(1.0, name="b")
        g = tf.group(b, [a, None])
        empty = tf.group()
    assert (g.name, g.type) == ("group_deps", "NoOp")
    assert [op.name for op in g.control_inputs] == ["b", "a"]
    assert (empty.name, empty.control_inputs) == ("group_deps_1", [])


def test_group_rejects_non_graph_elements():
    with tf.Graph().as_default() as graph:
        with pytest.raises(TypeError, match="tf.group expects ops"):
            tf.group(3)
        assert graph.get_operations() == []


def test_initializer_ops():
    with tf.Graph().as_default():
        tf.get_variable("w", [2])
        tf.get_local_variable("count", [], dtype=tf.int32)
        init = tf.global_variables_initializer()
        local = tf.local_variables_initializer()
        none = tf.variables_initializer([])
    assert init.name == "init"
    assert [op.name for op in init.control_inputs] == ["w/Assign"]
    assert [op.name for op in local.control_inputs] == ["count/Assign"]
    assert (none.name, none.type) == ("init_2", "NoOp")
