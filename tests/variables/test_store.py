"""The ``get_variable`` request (``VariableSpec``): scope defaults merged into it, and the
keyword arguments custom getters receive from it.

Expected arguments, names and values were read from TensorFlow 1 (``tensorflow.compat.v1``,
graph mode). TF1 passes ``synchronization=VariableSynchronization.AUTO`` and
``aggregation=VariableAggregation.NONE``; scopeflow has neither enum and passes ``None``.
"""

import inspect

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.variables.store import VariableSpec

# What TF1's _VariableStore passes a custom getter, besides ``getter``, all by keyword.
TF1_GETTER_KEYS = [
    "aggregation", "caching_device", "collections", "constraint", "dtype", "initializer",
    "name", "partitioner", "regularizer", "reuse", "shape", "synchronization", "trainable",
    "use_resource", "validate_shape",
]  # fmt: skip


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _reg_sum(v):
    return tf.reduce_sum(v)


def _reg_mean(v):
    return tf.reduce_mean(v)


def _constraint(v):
    return v


def _spy(calls):
    def getter(getter, *args, **kwargs):
        calls.append((args, dict(kwargs)))
        return getter(*args, **kwargs)

    return getter


def _run(*tensors):
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        return sess.run(list(tensors))


def test_spec_is_tf1_true_getter_signature():
    params = inspect.signature(VariableSpec).parameters.values()
    assert [(p.name, p.default) for p in params] == [
        ("name", inspect.Parameter.empty), ("shape", None), ("dtype", tf.float32),
        ("initializer", None), ("regularizer", None), ("reuse", None), ("trainable", None),
        ("collections", None), ("caching_device", None), ("partitioner", None),
        ("validate_shape", True), ("use_resource", None), ("constraint", None),
        ("synchronization", None), ("aggregation", None),
    ]  # fmt: skip


def test_custom_getter_receives_tf1_keywords_from_the_scope_defaults():
    calls = []
    init = tf.ones_initializer()
    with tf.variable_scope(
        "s",
        custom_getter=_spy(calls),
        dtype=tf.float64,
        initializer=init,
        regularizer=_reg_sum,
        caching_device="/cpu:0",
        constraint=_constraint,
    ):
        tf.get_variable("a", [2])
    [(args, kwargs)] = calls
    assert args == ()  # TF1 passes everything, name included, by keyword
    assert sorted(kwargs) == TF1_GETTER_KEYS
    assert kwargs == {
        "name": "s/a",
        "shape": [2],
        "dtype": tf.float64,
        "initializer": init,
        "regularizer": _reg_sum,
        "reuse": False,
        "trainable": True,
        "collections": None,
        "caching_device": "/cpu:0",
        "partitioner": None,
        "validate_shape": True,
        "use_resource": None,
        "constraint": _constraint,
        "synchronization": None,
        "aggregation": None,
    }


def test_custom_getter_receives_the_scope_reuse_flag():
    calls = []
    with tf.variable_scope("s", custom_getter=_spy(calls)):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("s", reuse=True, custom_getter=_spy(calls)):
        assert tf.get_variable("v", [1]) is v
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE, custom_getter=_spy(calls)):
        assert tf.get_variable("v", [1]) is v
    assert [kwargs["reuse"] for _, kwargs in calls] == [False, True, tf.AUTO_REUSE]


def test_explicit_arguments_win_over_the_scope_defaults():
    calls = []
    with tf.variable_scope(
        "s",
        custom_getter=_spy(calls),
        dtype=tf.float64,
        initializer=tf.ones_initializer(),
        regularizer=_reg_sum,
    ):
        a = tf.get_variable("a", [2])
        zeros = tf.zeros_initializer()
        b = tf.get_variable(
            "b",
            [2],
            dtype=tf.float32,
            initializer=zeros,
            regularizer=_reg_mean,
            trainable=False,
            collections=["c", tf.GraphKeys.GLOBAL_VARIABLES],
            validate_shape=False,
        )
    got = calls[1][1]
    assert (got["dtype"], got["initializer"], got["regularizer"]) == (tf.float32, zeros, _reg_mean)
    assert (got["trainable"], got["validate_shape"]) == (False, False)
    assert got["collections"] == ["c", "variables"]
    assert (a.dtype, b.dtype) == (tf.float64_ref, tf.float32_ref)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [x.name for x in losses] == ["s/a/Regularizer/Sum:0", "s/b/Regularizer/Mean:0"]
    assert [v.name for v in tf.trainable_variables()] == ["s/a:0"]
    assert [v.name for v in tf.get_collection("c")] == ["s/b:0"]
    a_value, b_value = _run(a, b)
    np.testing.assert_array_equal(a_value, np.ones(2))
    assert a_value.dtype == np.float64
    np.testing.assert_array_equal(b_value, np.zeros(2, np.float32))
    assert b_value.dtype == np.float32


def test_scope_defaults_apply_without_a_custom_getter():
    with tf.variable_scope("s", dtype=tf.float64, initializer=tf.ones_initializer()):
        with tf.variable_scope("inner", regularizer=_reg_sum):
            v = tf.get_variable("v", [3])
    assert v.dtype == tf.float64_ref
    [loss] = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert loss.name == "s/inner/v/Regularizer/Sum:0"
    np.testing.assert_array_equal(_run(v)[0], np.ones(3))


def test_get_local_variable_through_a_custom_getter():
    calls = []
    with tf.variable_scope("s", custom_getter=_spy(calls), dtype=tf.float64):
        v = tf.get_local_variable("l", [3], collections=["mine"], trainable=True)
        w = tf.get_local_variable("m", [1], custom_getter=_spy(calls))
    (args, kwargs), (_, own) = calls
    assert args == ()
    assert sorted(kwargs) == TF1_GETTER_KEYS
    assert kwargs["name"] == "s/l"
    assert kwargs["collections"] == ["mine", "local_variables"]
    assert kwargs["trainable"] is False  # TF1 ignores get_local_variable's trainable
    assert kwargs["dtype"] == tf.float64
    assert (own["name"], own["collections"]) == ("s/m", ["local_variables"])
    assert tf.local_variables() == [v, w]
    assert tf.get_collection("mine") == [v]
    assert tf.global_variables() == [] and tf.trainable_variables() == []


def test_chained_getters_hand_changed_arguments_outward():
    log = []

    def outer(getter, name, *args, **kwargs):
        log.append(("outer", name, args, kwargs["trainable"], kwargs["shape"]))
        return getter(name + "_o", *args, **kwargs)

    def inner(getter, name, *args, **kwargs):
        log.append(("inner", name, args, kwargs["trainable"], kwargs["shape"]))
        kwargs["trainable"] = False
        return getter(name + "_i", *args, **kwargs)

    with tf.variable_scope("x", custom_getter=outer):
        with tf.variable_scope("y", custom_getter=inner):
            v = tf.get_variable("v", [4])
            lv = tf.get_local_variable("lv", [1])
    assert log == [
        ("inner", "x/y/v", (), True, [4]),
        ("outer", "x/y/v_i", (), False, [4]),
        ("inner", "x/y/lv", (), False, [1]),
        ("outer", "x/y/lv_i", (), False, [1]),
    ]
    assert [v.name, lv.name] == ["x/y/v_i_o:0", "x/y/lv_i_o:0"]
    assert tf.trainable_variables() == []


def test_the_true_getter_takes_tf1_arguments_by_position_or_keyword():
    def positional(getter, name, shape=None, dtype=None, **kwargs):
        return getter(name, shape, dtype, kwargs["initializer"])

    def by_keyword(getter, **kwargs):
        return getter(**kwargs)

    with tf.variable_scope("p", custom_getter=positional, dtype=tf.float64):
        p = tf.get_variable("p", [2], initializer=tf.zeros_initializer())
    with tf.variable_scope("k", custom_getter=by_keyword):
        k = tf.get_variable("k", [2])
    assert [p.name, p.dtype, p.shape.as_list()] == ["p/p:0", tf.float64_ref, [2]]
    assert k.name == "k/k:0"


def test_the_true_getter_rejects_unknown_arguments_and_leaves_no_trace(graph):
    def bogus(getter, *args, **kwargs):
        return getter(*args, bogus=1, **kwargs)

    with tf.variable_scope("u", custom_getter=bogus):
        with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
            tf.get_variable("w", [1])
    assert graph.get_operations() == [] and tf.global_variables() == []
