"""``tf.variable_creator_scope``: creators chained innermost first, given TF1's keyword
arguments (``tf.Variable`` and ``tf.get_variable`` alike), able to rename or replace a
variable; each fact as TF 2.21's ``tf.compat.v1`` gives it."""

from __future__ import annotations

import scopeflow as tf

TF_KWARGS = [
    "aggregation",
    "caching_device",
    "collections",
    "constraint",
    "dtype",
    "expected_shape",
    "experimental_enable_variable_lifting",
    "import_scope",
    "initial_value",
    "name",
    "shape",
    "synchronization",
    "trainable",
    "use_resource",
    "validate_shape",
    "variable_def",
]


def test_creators_chain_innermost_first_with_tensorflows_arguments(graph):
    log = []

    def outer(next_creator, **kwargs):
        log.append(("outer", sorted(kwargs), kwargs["name"], kwargs["trainable"]))
        if kwargs["name"]:
            kwargs["name"] += "_c1"
        return next_creator(**kwargs)

    def inner(next_creator, **kwargs):
        log.append(("inner", kwargs["name"]))
        return next_creator(**kwargs)

    with tf.variable_creator_scope(outer), tf.variable_creator_scope(inner):
        a = tf.Variable(1.0, name="a")
        with tf.variable_scope("s"):
            b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
        c = tf.Variable(2.0)
    assert log == [
        ("inner", "a"),
        ("outer", TF_KWARGS, "a", None),
        ("inner", "s/b"),
        ("outer", TF_KWARGS, "s/b", True),
        ("inner", None),
        ("outer", TF_KWARGS, None, None),
    ]
    assert [a.name, b.name, c.name] == ["a_c1:0", "s/b_c1:0", "Variable:0"]
    assert tf.trainable_variables() == [a, b, c]
    assert tf.Variable(3.0, name="after").name == "after:0"  # the scope has ended


def test_get_variable_passes_its_resolved_arguments(graph):
    seen = {}

    def spy(next_creator, **kwargs):
        seen.update(kwargs)
        return next_creator(**kwargs)

    with tf.variable_creator_scope(spy):
        tf.get_variable("w", [2, 3], dtype=tf.float64, trainable=False)
    assert seen["dtype"] == tf.float64 and seen["shape"] == tf.TensorShape([2, 3])
    assert callable(seen["initial_value"]) and seen["trainable"] is False
    assert seen["synchronization"] == tf.VariableSynchronization.AUTO
    assert seen["use_resource"] is False


def test_a_creator_may_return_its_own_variable(graph):
    shared = tf.Variable(0.0, name="shared")
    with tf.variable_creator_scope(lambda next_creator, **kwargs: shared):
        assert tf.Variable(1.0, name="x") is shared
