"""``variable_scope``, ``get_variable`` and the variable store.

Expected names were read from TensorFlow 1 (``tensorflow.compat.v1``, graph mode); where
scopeflow deliberately differs (a failed call leaves no trace) the test says so.
"""

import inspect
import os
import re
import threading

import numpy as np
import pytest

import scopeflow as tf

PACKAGE_DIR = os.path.dirname(tf.__file__) + os.sep


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _here() -> int:
    """The line number of the caller."""
    return inspect.currentframe().f_back.f_lineno


def _ops(graph):
    return [(op.name, op.type) for op in graph.get_operations()]


def _names(items):
    return [x.name for x in items]


def _state(graph):
    """Everything a failed call must leave unchanged."""
    collections = {k: list(graph.get_collection(k)) for k in graph.get_all_collection_keys()}
    return _ops(graph), collections


# -- scopes by name -------------------------------------------------------------------------


def test_nested_scopes_prefix_variables_and_ops():
    with tf.variable_scope("a"):
        with tf.variable_scope("b") as b:
            w = tf.get_variable("w", [2, 3])
            y = tf.matmul(tf.ones([4, 2]), w)
        with tf.variable_scope("b"):
            z = tf.identity(y)
        c = tf.constant(1.0)
    assert w.name == "a/b/w:0"
    assert [y.name, z.name, c.name] == ["a/b/MatMul:0", "a/b_1/Identity:0", "a/Const:0"]
    assert b.name == "a/b"
    assert b.original_name_scope == "a/b/"


def test_reentering_by_name_opens_a_new_name_scope_but_keeps_the_variable_prefix():
    seen = []
    for _ in range(3):
        with tf.variable_scope("foo", reuse=tf.AUTO_REUSE) as s:
            v = tf.get_variable("v", [1])
            seen.append((s.name, s.original_name_scope, (v * 2.0).op.name, v.name))
    assert seen == [
        ("foo", "foo/", "foo/mul", "foo/v:0"),
        ("foo", "foo_1/", "foo_1/mul", "foo/v:0"),
        ("foo", "foo_2/", "foo_2/mul", "foo/v:0"),
    ]
    assert len(tf.global_variables()) == 1


def test_get_variable_ignores_name_scopes():
    with tf.variable_scope("vs"):
        with tf.name_scope("ns"):
            v = tf.get_variable("v", [1])
            x = 1.0 + v
            w = tf.Variable(1.0, name="w")
    with tf.name_scope("outer_ns"):
        with tf.variable_scope("vs2"):
            u = tf.get_variable("u", [1])
            y = u * 3.0
    assert [v.name, x.op.name, w.name] == ["vs/v:0", "vs/ns/add", "vs/ns/w:0"]
    assert [u.name, y.op.name] == ["vs2/u:0", "outer_ns/vs2/mul"]
    assert v.initializer.name == "vs/v/Assign"


def test_names_with_slashes_and_empty_scope():
    with tf.variable_scope("q"):
        assert tf.get_variable("r/s", [1]).name == "q/r/s:0"
    with tf.variable_scope("q/r") as s:
        assert tf.get_variable("t", [1]).name == "q/r/t:0"
        assert s.name == "q/r"
        assert tf.constant(1).name == "q/r/Const:0"
    with tf.variable_scope("") as e:
        assert (e.name, e.original_name_scope) == ("", "")
        assert tf.get_variable("empty_v", [1]).name == "empty_v:0"
        assert tf.constant(1).name == "Const:0"


def test_scope_names_collide_case_insensitively_for_ops_only():
    with tf.variable_scope("q"):
        tf.constant(1)
    with tf.variable_scope("Q"):
        assert tf.get_variable("u", [1]).name == "Q/u:0"
        assert tf.constant(1).name == "Q_1/Const:0"


# -- scopes by object -----------------------------------------------------------------------


def test_reentering_by_object_jumps_out_of_the_current_scope():
    with tf.variable_scope("foo") as foo:
        a = tf.constant(1.0, name="a")
    with tf.variable_scope(foo):
        b = tf.constant(1.0, name="b")
        v = tf.get_variable("v", [1])
    with tf.variable_scope("bar"):
        with tf.variable_scope(foo) as again:
            c = tf.constant(1.0, name="c")
            w = tf.get_variable("w", [1])
            assert tf.get_variable_scope().name == "foo"
        with tf.variable_scope("inner"):
            d = tf.constant(1.0, name="d")
    assert [a.name, b.name, c.name, d.name] == [
        "foo/a:0",
        "foo_1/b:0",
        "bar/foo/c:0",
        "bar/inner/d:0",
    ]
    assert [v.name, w.name] == ["foo/v:0", "foo/w:0"]
    assert (again.name, again.original_name_scope) == ("foo", "foo/")
    assert again is not foo


def test_reentering_a_nested_scope_by_object():
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope("mid") as mid:
            pass
    with tf.variable_scope(mid):
        a = tf.get_variable("a", [1])
        with tf.variable_scope("deep"):
            b = tf.get_variable("b", [1])
            x = b + 1.0
    with tf.variable_scope(outer, reuse=True):
        with tf.variable_scope("mid"):
            a2 = tf.get_variable("a", [1])
            y = a2 + 1.0
    assert [a.name, b.name] == ["outer/mid/a:0", "outer/mid/deep/b:0"]
    # Re-entering opens a name scope named after the scope's last component.
    assert x.op.name == "mid/deep/add"
    assert a2 is a
    assert y.op.name == "outer_1/mid/add"


def test_reentering_by_object_keeps_its_settings_and_reuse():
    with tf.variable_scope("g") as g:
        g.set_initializer(tf.zeros_initializer())
        g.set_dtype(tf.float64)
        v = tf.get_variable("v", [2])
        with tf.variable_scope("h"):
            w = tf.get_variable("w", [2])
    assert v.dtype == tf.float64_ref
    assert v.initial_value.name == "g/v/Initializer/zeros:0"
    assert w.dtype == tf.float64_ref
    assert w.initial_value.name == "g/h/w/Initializer/zeros:0"
    with tf.variable_scope(g, reuse=True) as g2:
        assert tf.get_variable("v", [2]) is v
        assert (g2.reuse, g2.name, g2.original_name_scope) == (True, "g", "g/")
        assert g2.dtype == tf.float64
    assert g.reuse is False
    # Entering by name makes a fresh scope without the settings.
    with tf.variable_scope("g") as g3:
        assert g3.initializer is None
        assert g3.dtype == tf.float32


def test_reentering_by_object_under_a_name_scope():
    with tf.name_scope("ns"):
        with tf.variable_scope("vs") as vs:
            a = tf.constant(1.0, name="a")
    with tf.variable_scope(vs):
        b = tf.constant(1.0, name="b")
    with tf.variable_scope("vs"):
        c = tf.constant(1.0, name="c")
    assert [a.name, b.name, c.name] == ["ns/vs/a:0", "vs/b:0", "vs_1/c:0"]
    assert (vs.name, vs.original_name_scope) == ("vs", "ns/vs/")


# -- default_name and values ----------------------------------------------------------------


def test_default_name_is_made_unique_and_reentering_a_parent_resets_subscope_counts():
    names = []
    for _ in range(3):
        with tf.variable_scope(None, default_name="layer") as s:
            names.append(s.name)
            for _ in range(2):
                with tf.variable_scope(None, default_name="sub") as t:
                    names.append(t.name)
    assert names == [
        "layer", "layer/sub", "layer/sub_1",
        "layer_1", "layer_1/sub", "layer_1/sub_1",
        "layer_2", "layer_2/sub", "layer_2/sub_1",
    ]  # fmt: skip
    # TF1's rule: leaving "layer_1" forgets the default names used inside it.
    for _ in range(2):
        with tf.variable_scope("layer_1"):
            with tf.variable_scope(None, default_name="sub") as t:
                assert t.name == "layer_1/sub"
    with tf.variable_scope(None, default_name="layer") as s:
        assert s.name == "layer_3"


def test_default_name_counts_explicitly_named_scopes():
    with tf.variable_scope("dense"):
        pass
    with tf.variable_scope(None, default_name="dense") as s:
        assert s.name == "dense_1"
    with tf.variable_scope("dense_2"):
        pass
    with tf.variable_scope(None, default_name="dense") as s:
        assert s.name == "dense_3"


def test_default_names_inside_a_scope_reentered_by_object():
    names = []
    with tf.variable_scope(None, default_name="d") as d:
        with tf.variable_scope(None, default_name="x") as s:
            names.append(s.name)
    for _ in range(2):
        with tf.variable_scope(d):
            for _ in range(2):
                with tf.variable_scope(None, default_name="x") as s:
                    names.append(s.name)
    assert names == ["d/x", "d/x", "d/x_1", "d/x", "d/x_1"]
    with tf.variable_scope(None, default_name="d") as e:
        assert e.name == "d_1"
        with tf.variable_scope(d) as d2:
            assert d2.original_name_scope == "d/"
            assert tf.constant(0.0).name == "d_3/d/Const:0"
            with tf.variable_scope(None, default_name="x") as s:
                assert s.name == "d/x"


def test_default_name_with_values():
    x = tf.placeholder(tf.float32, [2, 2], name="x")
    with tf.variable_scope(None, "dense", [x]) as s1:
        y = tf.matmul(x, tf.get_variable("w", [2, 2]))
    with tf.variable_scope(None, "dense", [x]) as s2:
        w2 = tf.get_variable("w", [2, 2])
    with tf.variable_scope("given", "dense", [x]) as s3:
        pass
    assert [s1.name, s2.name, s3.name] == ["dense", "dense_1", "given"]
    assert y.op.name == "dense/MatMul"
    assert w2.name == "dense_1/w:0"


def test_values_from_another_graph_make_it_the_default():
    other = tf.Graph()
    with other.as_default():
        x = tf.constant(1.0)
    with tf.variable_scope("s", values=[x]):
        assert tf.get_default_graph() is other
        v = tf.get_variable("v", [1])
    assert v.graph is other
    assert tf.get_default_graph() is not other
    y = tf.constant(2.0)
    with pytest.raises(ValueError, match="must be from the same graph"):
        with tf.variable_scope("t", values=[x, y]):
            pass


# -- reuse ----------------------------------------------------------------------------------


def test_reuse_flags_and_inheritance():
    with tf.variable_scope("a", reuse=True) as a:
        assert a.reuse is True
        with tf.variable_scope("b", reuse=False) as b:
            assert b.reuse is True  # False means "inherit"
        with tf.variable_scope("c", reuse=tf.AUTO_REUSE) as c:
            assert c.reuse is tf.AUTO_REUSE
            with tf.variable_scope("d", reuse=True) as d:
                assert d.reuse is True
            with tf.variable_scope("d2") as d2:
                assert d2.reuse is tf.AUTO_REUSE
    with tf.variable_scope("e", reuse=tf.AUTO_REUSE):
        with tf.variable_scope("f", reuse=True) as f:
            assert f.reuse is True
    assert tf.get_variable_scope().reuse is False


def test_auto_reuse_creates_then_reuses():
    def dense(x):
        with tf.variable_scope("dense", reuse=tf.AUTO_REUSE):
            return tf.matmul(x, tf.get_variable("w", [2, 2]))

    x = tf.placeholder(tf.float32, [1, 2])
    y1, y2 = dense(x), dense(x)
    assert [y1.op.name, y2.op.name] == ["dense/MatMul", "dense_1/MatMul"]
    assert _names(tf.global_variables()) == ["dense/w:0"]
    assert y1.op.inputs[1] is y2.op.inputs[1]


def test_reuse_variables_lasts_until_the_scope_closes():
    with tf.variable_scope("s") as s:
        v = tf.get_variable("v", [1])
        s.reuse_variables()
        assert tf.get_variable_scope().reuse is True
        assert tf.get_variable("v", [1]) is v
        with tf.variable_scope("inner") as inner:
            assert inner.reuse is True
    with tf.variable_scope("s") as s2:
        assert s2.reuse is False
    assert tf.get_variable_scope().reuse is False


def test_get_variable_reuse_with_shape_omitted():
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [2, 3])
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("v") is v
        assert tf.get_variable("v", [2, None]) is v


# -- inherited settings ----------------------------------------------------------------------


def test_initializer_dtype_and_regularizer_are_inherited():
    with tf.variable_scope("s", initializer=tf.ones_initializer(), dtype=tf.float64):
        a = tf.get_variable("a", [2])
        with tf.variable_scope("t"):
            b = tf.get_variable("b", [2])
            c = tf.get_variable("c", [2], initializer=tf.zeros_initializer())
        with tf.variable_scope("u", dtype=tf.float32) as u:
            d = tf.get_variable("d", [2])
            assert u.initializer is tf.get_variable_scope().initializer
    assert [x.dtype.name for x in (a, b, c, d)] == ["float64_ref"] * 3 + ["float32_ref"]
    assert [x.initial_value.op.name for x in (a, b, c, d)] == [
        "s/a/Initializer/ones",
        "s/t/b/Initializer/ones",
        "s/t/c/Initializer/zeros",
        "s/u/d/Initializer/ones",
    ]


def test_regularizers_add_losses_under_the_variable_name(graph):
    def l2(w):
        return tf.multiply(0.01, tf.nn.l2_loss(w), name="l2")

    with tf.variable_scope("layer", regularizer=l2):
        w = tf.get_variable("w", [3, 3])
        with tf.variable_scope("inner"):
            u = tf.get_variable("u", [3])
    b = tf.get_variable("b", [3], regularizer=lambda t: tf.nn.l2_loss(t))
    n = tf.get_variable("n", [3], regularizer=lambda t: None)  # None: no loss is added
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert _names(losses) == [
        "layer/w/Regularizer/l2:0",
        "layer/inner/u/Regularizer/l2:0",
        "b/Regularizer/L2Loss:0",
    ]
    regularizer_ops = [x for x in _ops(graph) if "Regularizer" in x[0]]
    assert regularizer_ops == [
        ("layer/w/Regularizer/L2Loss", "L2Loss"),
        ("layer/w/Regularizer/l2/x", "Const"),
        ("layer/w/Regularizer/l2", "Mul"),
        ("layer/inner/u/Regularizer/L2Loss", "L2Loss"),
        ("layer/inner/u/Regularizer/l2/x", "Const"),
        ("layer/inner/u/Regularizer/l2", "Mul"),
        ("b/Regularizer/L2Loss", "L2Loss"),
    ]
    # TF also runs each regularizer once more outside any scope and leaves those ops
    # ("L2Loss", "l2"...) unused in the graph; scopeflow does not.
    assert not any(name.startswith(("L2Loss", "l2")) for name, _ in _ops(graph))
    assert losses[0].op.inputs[1].op.inputs[0] is w.value()
    assert [u.name, b.name, n.name] == ["layer/inner/u:0", "b:0", "n:0"]


def test_custom_getters_compose_outer_to_inner():
    log = []

    def renaming(tag):
        def getter(getter, name, *args, **kwargs):
            log.append(f"{tag}:{name}")
            return getter(name + "_" + tag, *args, **kwargs)

        return getter

    with tf.variable_scope("a", custom_getter=renaming("o")):
        v = tf.get_variable("v", [1])
        with tf.variable_scope("b", custom_getter=renaming("i")):
            w = tf.get_variable("w", [1])
            # get_variable's own getter replaces the scope's.
            u = tf.get_variable("u", [1], custom_getter=renaming("own"))
        with tf.variable_scope("c"):
            x = tf.get_variable("x", [1])
    assert [v.name, w.name, u.name, x.name] == [
        "a/v_o:0",
        "a/b/w_i_o:0",
        "a/b/u_own:0",
        "a/c/x_o:0",
    ]
    assert log == ["o:a/v", "i:a/b/w", "o:a/b/w_i", "own:a/b/u", "o:a/c/x"]


def test_custom_getter_receives_resolved_arguments():
    seen = {}

    def getter(getter, *args, **kwargs):
        seen.update(kwargs)
        return getter(*args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter, dtype=tf.float64):
        tf.get_variable("v", [2])
    assert sorted(seen) == [
        "aggregation", "caching_device", "collections", "constraint", "dtype", "initializer",
        "name", "partitioner", "regularizer", "reuse", "shape", "synchronization", "trainable",
        "use_resource", "validate_shape",
    ]  # fmt: skip
    assert seen["name"] == "s/v"
    assert seen["shape"] == [2]
    assert seen["dtype"] == tf.float64
    assert seen["reuse"] is False
    assert seen["trainable"] is True
    assert seen["validate_shape"] is True


def test_custom_getter_may_change_arguments_or_return_anything():
    def untrainable(getter, name, *args, **kwargs):
        kwargs["trainable"] = False
        return getter(name, *args, **kwargs)

    with tf.variable_scope("t", custom_getter=untrainable):
        x = tf.get_variable("x", [1])
    assert x not in tf.trainable_variables()
    assert x in tf.global_variables()
    with tf.variable_scope("u", custom_getter=lambda getter, *a, **k: tf.constant(2.0)):
        c = tf.get_variable("c", [1])
    assert c.name == "Const:0"


def test_custom_getter_without_constraint_parameter():
    def old_style(getter, name, shape=None, dtype=None, initializer=None, regularizer=None,
                  reuse=None, trainable=None, collections=None, caching_device=None,
                  partitioner=None, validate_shape=True, use_resource=None,
                  synchronization=None, aggregation=None):  # fmt: skip
        return getter(name, shape, dtype, initializer, regularizer, reuse, trainable)

    with tf.variable_scope("s", custom_getter=old_style):
        assert tf.get_variable("w", [2], dtype=tf.float64).dtype == tf.float64_ref
    with tf.variable_scope("s", custom_getter=old_style, reuse=True):
        assert tf.get_variable("w", [2], dtype=tf.float64).name == "s/w:0"


# -- auxiliary_name_scope and original_name_scope -------------------------------------------


def test_auxiliary_name_scope_false():
    with tf.variable_scope("outer") as outer:
        pass
    with tf.variable_scope("aux", auxiliary_name_scope=False) as s:
        a = tf.constant(1.0, name="a")
        v = tf.get_variable("v", [1])
    with tf.variable_scope(outer, auxiliary_name_scope=False):
        b = tf.constant(1.0, name="b")
    with tf.variable_scope(outer):
        c = tf.constant(1.0, name="c")
    with tf.variable_scope(outer, auxiliary_name_scope=False):
        with tf.name_scope(outer.original_name_scope):
            d = tf.constant(1.0, name="d")
    assert [a.name, v.name, s.original_name_scope] == ["a:0", "aux/v:0", ""]
    assert [b.name, c.name, d.name] == ["b:0", "outer_1/c:0", "outer/d:0"]


def test_original_name_scope_inside_other_scopes():
    with tf.name_scope("n1"):
        with tf.variable_scope("k") as k:
            assert k.original_name_scope == "n1/k/"
    with tf.variable_scope("k") as k2:
        assert k2.original_name_scope == "k/"
    with tf.variable_scope("k") as k3:
        assert k3.original_name_scope == "k_1/"
        assert tf.get_default_graph().get_name_scope() == "k_1"


# -- the root scope and collections ---------------------------------------------------------


def test_root_scope():
    root = tf.get_variable_scope()
    assert (root.name, root.original_name_scope, root.reuse) == ("", "", False)
    assert root.initializer is None
    assert root.dtype == tf.float32
    with tf.variable_scope("s") as s:
        assert tf.get_variable_scope() is s
    assert tf.get_variable_scope() is root
    assert repr(s) == "<VariableScope name='s' reuse=False>"


def test_collections_and_local_variables():
    with tf.variable_scope("m") as scope:
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
        c = tf.get_local_variable("c", [1])
        d = tf.get_variable("d", [1], collections=["custom"])
        e = tf.get_variable("e", [1], collections=[tf.GraphKeys.GLOBAL_VARIABLES, "x"])
    with tf.variable_scope("m2"):
        f = tf.get_variable("f", [1])
    with tf.variable_scope("m_other"):
        g = tf.get_variable("g", [1])
    assert tf.global_variables() == [a, b, e, f, g]
    assert tf.global_variables("m") == [a, b, e, f, g]  # a regex matched at the start
    assert tf.global_variables("m/") == [a, b, e]
    assert tf.trainable_variables() == [a, d, e, f, g]
    assert tf.trainable_variables("m2") == [f]
    assert tf.local_variables() == [c]
    assert tf.get_collection("custom") == [d]
    assert tf.get_collection("x", "m") == [e]
    assert tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "m_") == [g]
    assert scope.global_variables() == [a, b, e]
    assert scope.trainable_variables() == [a, d, e]
    assert scope.local_variables() == [c]
    assert scope.get_collection("custom") == [d]
    assert c.trainable is False


def test_scope_collections_escape_the_scope_name():
    # TF uses the scope name as a regex, so "a.b" would also match "axb".
    with tf.variable_scope("a.b") as dotted:
        v = tf.get_variable("v", [1])
    with tf.variable_scope("axb"):
        tf.get_variable("v", [1])
    assert dotted.global_variables() == [v]


def test_model_variables_collection():
    v = tf.get_variable("v", [1], collections=[tf.GraphKeys.MODEL_VARIABLES])
    assert tf.model_variables() == [v]


# -- get_variable: shapes, dtypes and initializers -------------------------------------------


def test_default_initializers_by_dtype(graph):
    k = tf.get_variable("kernel", [5, 5, 32, 32])
    i = tf.get_variable("count", [2], dtype=tf.int32)
    f = tf.get_variable("flag", [], dtype=tf.bool)
    s = tf.get_variable("text", [2], dtype=tf.string)
    assert _ops(graph)[:10] == [
        ("kernel/Initializer/random_uniform/shape", "Const"),
        ("kernel/Initializer/random_uniform/min", "Const"),
        ("kernel/Initializer/random_uniform/max", "Const"),
        ("kernel/Initializer/random_uniform/RandomUniform", "RandomUniform"),
        ("kernel/Initializer/random_uniform/sub", "Sub"),
        ("kernel/Initializer/random_uniform/mul", "Mul"),
        ("kernel/Initializer/random_uniform", "AddV2"),
        ("kernel", "VariableV2"),
        ("kernel/Assign", "Assign"),
        ("kernel/read", "Identity"),
    ]
    limit = np.sqrt(6.0 / (800 + 800))
    low = graph.get_operation_by_name("kernel/Initializer/random_uniform/min")
    assert low.get_attr("value") == np.float32(-limit)
    assert [i.initial_value.op.name, f.initial_value.op.name, s.initial_value.op.name] == [
        "count/Initializer/zeros",
        "flag/Initializer/zeros",
        "text/Initializer/zeros",
    ]
    assert [x.dtype.name for x in (k, i, f, s)] == [
        "float32_ref",
        "int32_ref",
        "bool_ref",
        "string_ref",
    ]
    with pytest.raises(ValueError, match="An initializer for variable c of complex64 is required"):
        tf.get_variable("c", [2], dtype=tf.complex64)


def test_initializer_class_is_instantiated_with_the_dtype():
    a = tf.get_variable("a", [2], initializer=tf.zeros_initializer)
    b = tf.get_variable("b", [2], dtype=tf.int64, initializer=tf.ones_initializer)
    assert a.initial_value.op.name == "a/Initializer/zeros"
    assert b.dtype == tf.int64_ref
    assert b.initial_value.op.get_attr("value").tolist() == [1, 1]


@pytest.mark.parametrize(
    "value, dtype, shape",
    [
        (1.5, "float32", []),
        ([1, 2, 3], "int32", [3]),
        (np.ones([2, 2], np.float32), "float32", [2, 2]),
        (np.zeros([3], np.float64), "float64", [3]),
    ],
)
def test_constant_initializer_values_give_shape_and_dtype(graph, value, dtype, shape):
    v = tf.get_variable("v", initializer=value)
    assert v.dtype.name == dtype + "_ref"
    assert v.shape.as_list() == shape
    assert _ops(graph) == [
        ("v/initial_value", "Const"),
        ("v", "VariableV2"),
        ("v/Assign", "Assign"),
        ("v/read", "Identity"),
    ]


def test_tensor_initializer(graph):
    t = tf.constant([1.0, 2.0])
    v = tf.get_variable("v", initializer=t)
    assert v.shape.as_list() == [2]
    assert v.initial_value is t
    assert [op.name for op in graph.get_operations()] == ["Const", "v", "v/Assign", "v/read"]


def test_constant_initializer_with_shape_is_an_error():
    for value in (1.0, [1.0, 2.0], np.zeros(2), tf.constant([1.0, 2.0])):
        with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape"):
            tf.get_variable("v", [2], initializer=value)


def test_initializers_that_take_no_arguments_decide_shape_and_dtype():
    a = tf.get_variable("a", initializer=lambda: tf.zeros([3]))
    b = tf.get_variable("b", initializer=lambda: tf.zeros([3], dtype=tf.int32))
    c = tf.get_variable("c", [None, 2], initializer=lambda: tf.zeros([3, 2]))
    assert [a.name, a.shape.as_list()] == ["a:0", [3]]
    assert b.dtype == tf.int32_ref
    assert c.shape.as_list() == [3, 2]  # TF keeps the declared (?, 2)
    assert a.initial_value.op.name == "a/Initializer/zeros"


def test_initializer_receives_shape_dtype_and_partition_info():
    calls = []

    def init(shape, dtype=None, partition_info=None):
        calls.append((shape, dtype, partition_info))
        return tf.zeros(shape, dtype)

    tf.get_variable("v", [2, 3], dtype=tf.float64, initializer=init)
    assert calls == [([2, 3], tf.float64, None)]


def test_trainable_false_and_collections():
    a = tf.get_variable("a", [1], trainable=False)
    b = tf.get_variable("b", [1], collections=["only"])
    assert tf.global_variables() == [a]
    assert tf.trainable_variables() == [b]
    assert tf.get_collection("only") == [b]


# -- errors ---------------------------------------------------------------------------------


def test_missing_variable_with_reuse_names_the_closest_existing_ones():
    with tf.variable_scope("foo"):
        for name in ("weights", "weights2", "bias", "wei", "weights_3"):
            tf.get_variable(name, [1])
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(ValueError) as info:
            tf.get_variable("weight", [1])
    message = str(info.value)
    assert message.startswith("Variable foo/weight does not exist, or was not created with tf.get")
    assert "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?" in message
    suggested = re.search(r"Did you mean ('[^?]*')\?$", message).group(1)
    assert len(suggested.split(", ")) == 3
    assert suggested.startswith("'foo/weights'")
    assert "'foo/bias'" not in suggested
    with tf.variable_scope("other", reuse=True):
        with pytest.raises(ValueError, match=r"does not exist.*reuse") as info:
            tf.get_variable("zzz_unrelated", [1])
    assert "Did you mean '" not in str(info.value)


def test_existing_variable_without_reuse_names_the_users_creation_line():
    with tf.variable_scope("foo"):
        _, line = tf.get_variable("v", [1]), _here()
    with tf.variable_scope("foo"):
        with pytest.raises(ValueError) as info:
            tf.get_variable("v", [1])
    message = str(info.value)
    assert message.startswith(
        "Variable foo/v already exists, disallowed. Did you mean to set reuse=True or "
        "reuse=tf.AUTO_REUSE in VarScope? Originally defined at "
        f"{__file__}:{line}"
    )
    assert f'File "{__file__}", line {line}' in message
    assert 'tf.get_variable("v", [1]), _here()' in message
    assert PACKAGE_DIR not in message


def test_already_exists_through_helpers_and_custom_getters_shows_the_user_frames():
    def helper():
        return tf.get_variable("w", [1])

    def getter(getter, *args, **kwargs):
        return getter(*args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter):
        helper()
    call_line, helper_line, getter_line = _here() - 1, _here() - 7, _here() - 4
    with tf.variable_scope("s"):
        with pytest.raises(ValueError) as info:
            tf.get_variable("w", [1])
    message = str(info.value)
    # The innermost user frame is the custom getter; the traceback shows the whole chain.
    assert f"Originally defined at {__file__}:{getter_line}:" in message
    frames = [f'File "{__file__}", line {n}' for n in (call_line, helper_line, getter_line)]
    positions = [message.index(f) for f in frames]
    assert positions == sorted(positions)
    assert PACKAGE_DIR not in message


def test_shape_and_dtype_mismatch_on_reuse():
    with tf.variable_scope("foo"):
        tf.get_variable("w", [1, 2])
    with tf.variable_scope("foo", reuse=True):
        with pytest.raises(
            ValueError,
            match=re.escape(
                "Trying to share variable foo/w, but specified shape (2, 1) and found shape (1, 2)"
            ),
        ):
            tf.get_variable("w", [2, 1])
        with pytest.raises(
            ValueError,
            match="Trying to share variable foo/w, but specified dtype int32 and found dtype "
            "float32_ref",
        ):
            tf.get_variable("w", [1, 2], dtype=tf.int32)


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        ({"shape": ["a", "b"]}, TypeError, "Failed to convert \\['a', 'b'\\] to a shape"),
        ({"shape": [1], "dtype": "floaty"}, TypeError, "Cannot convert value 'floaty' to a "),
        ({}, ValueError, "Variable v did not get an initializer, so its `shape` argument must"),
        ({"shape": [None, 3]}, ValueError, r"must be fully defined .*got shape \(\?, 3\)"),
        (
            {"shape": [3], "initializer": tf.constant_initializer([1.0, 2.0, 3.0, 4.0])},
            ValueError,
            "Too many elements provided. Takes at most 3, but got 4",
        ),
        (
            {"shape": [3], "initializer": lambda shape, dtype, partition_info: tf.zeros([4])},
            ValueError,
            r"Initializer for variable v has shape \(4,\), but the variable was declared with "
            r"shape \(3,\)",
        ),
        (
            {"shape": [3], "initializer": tf.constant_initializer([1.0, 2.0], verify_shape=True)},
            TypeError,
            r"Expected Tensor's shape: \(3,\), but got \(2,\)",
        ),
        ({"shape": [2], "initializer": tf.zeros_initializer()}, None, None),
    ],
)
def test_argument_errors(kwargs, error, pattern):
    if error is None:
        assert tf.get_variable("v", **kwargs).name == "v:0"
        return
    with pytest.raises(error, match=pattern):
        tf.get_variable("v", **kwargs)


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="variable name must be a string, got int: 3"):
        tf.get_variable(3, [1])


def test_variable_scope_argument_errors():
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        with tf.variable_scope(None):
            pass
    with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
        with tf.variable_scope(None, default_name="d", reuse=True):
            pass
    with pytest.raises(TypeError, match="name_or_scope must be a string or VariableScope"):
        with tf.variable_scope(3):
            pass
    with pytest.raises(TypeError, match="auxiliary_name_scope must be `True` or `False`"):
        with tf.variable_scope("x", auxiliary_name_scope=1):
            pass
    with pytest.raises(ValueError, match="reuse must be True, False, None or tf.AUTO_REUSE"):
        with tf.variable_scope("x", reuse="yes"):
            pass
    with pytest.raises(ValueError, match="Passed a custom_getter which is not callable: 3"):
        with tf.variable_scope("x", custom_getter=3):
            pass
    with pytest.raises(ValueError, match="Passed a custom_getter which is not callable"):
        tf.get_variable("v", [1], custom_getter="nope")
    # None of these left a scope open.
    assert tf.get_variable_scope().name == ""
    assert tf.get_default_graph().get_name_scope() == ""


def test_a_variable_scope_object_cannot_be_entered_twice_at_once():
    scope = tf.variable_scope("s")
    with scope:
        with pytest.raises(RuntimeError, match="not re-entrant"):
            with scope:
                pass
    with scope:  # again, after it was closed
        assert tf.get_variable_scope().name == "s"


# -- failed calls leave no trace (TF leaves stray ops; scopeflow undoes them) ----------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"initializer": lambda shape, dtype, partition_info: tf.zeros([4])},
        {"initializer": tf.constant_initializer([1.0, 2.0, 3.0, 4.0])},
        {"regularizer": lambda v: tf.nn.l2_loss(v) + "not a number"},
        {"regularizer": lambda v: (tf.nn.l2_loss(v), 1 / 0)},
        {"custom_getter": lambda getter, *a, **k: (getter(*a, **k), tf.zeros([4]), 1 / 0)},
    ],
)
def test_a_failed_get_variable_leaves_the_graph_as_before(graph, kwargs):
    tf.get_variable("a", [2])
    with tf.variable_scope("s"):
        before = _state(graph)
        with pytest.raises((ValueError, TypeError, ZeroDivisionError)):
            tf.get_variable("w", [3], **kwargs)
        assert _state(graph) == before
        w = tf.get_variable("w", [3])
        # The next call gets the names the failed one would have had.
        assert w.name == "s/w:0"
        assert w.initial_value.op.name == "s/w/Initializer/random_uniform"
        assert tf.zeros([1]).op.name == "s/zeros"
    assert _names(tf.global_variables()) == ["a:0", "s/w:0"]


def test_a_failed_get_variable_under_reuse_adds_no_store_entry():
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        with pytest.raises(ValueError):
            tf.get_variable("w", [3], initializer=tf.constant_initializer([1.0] * 4))
        # Had the store kept the failed variable, this would return it instead of creating.
        w = tf.get_variable("w", [2])
    assert w.shape.as_list() == [2]
    with tf.variable_scope("s", reuse=True):
        assert tf.get_variable("w") is w


# -- threads --------------------------------------------------------------------------------


def test_threads_building_one_graph_keep_their_own_scopes(graph):
    barrier = threading.Barrier(2, timeout=10)
    seen = {}
    errors = []

    def worker(name):
        try:
            with graph.as_default():
                with tf.variable_scope(name):
                    barrier.wait()  # both threads are inside their scopes now
                    v = tf.get_variable("v", [1])
                    scope = tf.get_variable_scope().name
                    barrier.wait()
                    seen[name] = (v.name, scope, tf.get_default_graph().get_name_scope())
        except Exception as e:  # reported below: pytest does not see thread exceptions
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("t1", "t2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert seen == {"t1": ("t1/v:0", "t1", "t1"), "t2": ("t2/v:0", "t2", "t2")}
    assert sorted(_names(graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES))) == [
        "t1/v:0",
        "t2/v:0",
    ]
    assert tf.get_variable_scope().name == ""


def test_threads_share_the_variable_store():
    graph = tf.get_default_graph()
    with tf.variable_scope("shared"):
        v = tf.get_variable("v", [1])
    found = []

    def worker():
        with graph.as_default(), tf.variable_scope("shared", reuse=True):
            found.append(tf.get_variable("v", [1]))

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert found == [v]
