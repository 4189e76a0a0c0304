"""A variable initialized from another's value guards its initial value as TF 2.21's
``tf.compat.v1.Variable`` does (graphs and values read in the reference TF): the reads of other
variables are copied behind their ``initialized_value()`` (``b/IsVariableInitialized``,
``b/cond/...``, ``a/read_b``), so ``sess.run(b.initializer)`` works before ``a``'s."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def _ops_after(graph, start):
    return [
        (op.name, op.type, [t.name for t in op.inputs], op.colocation_groups())
        for op in graph.get_operations()[start:]
    ]


def _loc(name: str) -> list[bytes]:
    return [f"loc:@{name}".encode()]


def _cond(v: str, a: str = "a") -> list:
    """The ``initialized_value()`` of ``a`` made in variable ``v``'s scope."""
    c, init = f"{v}/cond", f"{v}/IsVariableInitialized"
    return [
        (init, "IsVariableInitialized", [f"{a}:0"], _loc(a)),
        (f"{c}/Switch", "Switch", [f"{init}:0"] * 2, _loc(f"{c}/Switch")),
        (f"{c}/switch_t", "Identity", [f"{c}/Switch:1"], _loc(f"{c}/switch_t")),
        (f"{c}/switch_f", "Identity", [f"{c}/Switch:0"], _loc(f"{c}/switch_f")),
        (f"{c}/pred_id", "Identity", [f"{init}:0"], _loc(f"{c}/pred_id")),
        (f"{c}/read", "Identity", [f"{c}/read/Switch:1"], _loc(f"{c}/read")),
        (f"{c}/read/Switch", "RefSwitch", [f"{a}:0", f"{c}/pred_id:0"], _loc(a)),
        (f"{c}/Switch_1", "Switch", [f"{a}/initial_value:0", f"{c}/pred_id:0"],
         _loc(f"{a}/initial_value")),
        (f"{c}/Merge", "Merge", [f"{c}/Switch_1:0", f"{c}/read:0"], _loc(f"{c}/Merge")),
    ]  # fmt: skip


def test_variable_from_an_expression_of_another_builds_tf_s_guard(graph):
    a = tf.Variable([1.0, 2.0], name="a")
    start = len(graph.get_operations())
    b = tf.Variable(a * 2, name="b")
    assert _ops_after(graph, start) == [
        ("mul/y", "Const", [], [b"loc:@mul/y"]),
        ("mul", "Mul", ["a/read:0", "mul/y:0"], [b"loc:@mul"]),
        ("b", "VariableV2", [], [b"loc:@b"]),
        *_cond("b"),
        ("a/read_b", "Identity", ["b/cond/Merge:0"], [b"loc:@a"]),
        ("mul_b", "Mul", ["a/read_b:0", "mul/y:0"], [b"loc:@mul_b"]),
        ("b/Assign", "Assign", ["b:0", "mul_b:0"], [b"loc:@b"]),
        ("b/read", "Identity", ["b:0"], [b"loc:@b"]),
    ]
    assert b.initial_value.name == "mul:0"  # the unguarded value, as TF's
    with tf.Session() as sess:
        sess.run(b.initializer)  # alone: a is not initialized
        np.testing.assert_array_equal(sess.run(b), [2.0, 4.0])
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value a"):
            sess.run(a)
        sess.run([a.initializer, a.assign([5.0, 6.0])])
        sess.run(b.initializer)  # now reads a's value
        np.testing.assert_array_equal(sess.run(b), [10.0, 12.0])


def test_variable_of_a_variable_and_get_variable_of_initialized_value(graph):
    a = tf.Variable([1.0, 2.0], name="a")
    c = tf.Variable(a, name="c")
    assert c.initializer.inputs[1].name == "a/read_c:0"
    start = len(graph.get_operations())
    d = tf.get_variable("d", initializer=a.initialized_value() + 1)
    names = [name for name, *_ in _ops_after(graph, start)]
    assert names[9:] == [
        "add/y", "add", "d",
        *(name for name, *_ in _cond("d")),
        "cond/read/Switch_d", "cond/read_d", "cond/Merge_d", "add_d", "d/Assign", "d/read",
    ]  # fmt: skip
    switch = graph.get_operation_by_name("cond/read/Switch_d")
    assert switch.type == "Switch" and switch.colocation_groups() == [b"loc:@a"]
    with tf.Session() as sess:
        sess.run([c.initializer, d.initializer])
        np.testing.assert_array_equal(sess.run([c, d]), [[1.0, 2.0], [2.0, 3.0]])


def test_variables_in_scopes_and_from_functions_name_copies_after_the_scope(graph):
    a = tf.Variable([1.0, 2.0], name="a")
    with tf.variable_scope("scope"):
        e = tf.Variable(lambda: a * 2, name="e")
    mul = graph.get_operation_by_name("scope/e/Initializer/mul_scope/e")
    assert [t.name for t in mul.inputs] == ["a/read_scope/e:0", "scope/e/Initializer/mul/y:0"]
    assert mul.colocation_groups() == [b"loc:@scope/e"]
    with tf.Session() as sess:
        sess.run(e.initializer)
        np.testing.assert_array_equal(sess.run(e), [2.0, 4.0])


def test_initial_values_without_variables_or_with_loops_are_used_as_they_are(graph):
    x = tf.Variable(tf.constant([1.0]) * 3, name="x")
    assert x.initializer.inputs[1].name == "mul:0"
    a = tf.Variable(1.0, name="a")
    loop = tf.while_loop(
        lambda i, v: i < 3, lambda i, v: (i + 1, v * 2), [0, a.initialized_value()]
    )
    y = tf.Variable(tf.identity(loop[1]), name="y")
    assert y.initializer.inputs[1].name == "Identity:0"  # a cycle: not guarded, as TF
    with tf.Session() as sess:
        sess.run(y.initializer)
        assert sess.run(y) == 8.0


def test_an_initial_value_from_inside_control_flow_is_refused_as_in_tf(graph):
    message = r"Initializer for variable e/ is from inside a control-flow construct"
    with pytest.raises(ValueError, match=message):
        tf.Variable(tf.while_loop(lambda i: i < 2, lambda i: i + 1, [0]), name="e")

    def body(i):
        tf.Variable(tf.cast(i, tf.float32), name="u")
        return i + 1

    with pytest.raises(ValueError, match="variable while_1/u/ is from inside a control-flow"):
        tf.while_loop(lambda i: i < 2, body, [0])
    # a cond's result is outside its branches; an initializer function is fine (TF's too)
    w = tf.Variable(tf.cond(tf.constant(True), lambda: 1.0, lambda: 2.0), name="w")
    assert w.name == "w:0"
