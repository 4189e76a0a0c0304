"""Tests for scopeflow/framework/graph.py (with graph_api.py, defaults.py, operation.py and
tensor.py): names, scopes, the default graph, collections, control dependencies, devices,
lookups, and the Operation and Tensor objects.

Expected names, types and messages were read from TensorFlow 2.21 (``tensorflow.compat.v1``,
graph mode); differences we keep on purpose are marked "deliberate".
"""

from __future__ import annotations

import re
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scopeflow as tf
from scopeflow.framework import graph as graph_module


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def _ops(graph):
    return [(op.name, op.type) for op in graph.get_operations()]


def _placeholders():
    return tf.placeholder(tf.float32, [2, 3], name="a"), tf.placeholder(
        tf.float32, [2, 3], name="b"
    )


# -- unique op names ------------------------------------------------------------------------

NAME_SEQUENCES = [
    # (explicit names, None = the op's default, for a run of ops) -> names TF gives them
    ([None, "Add", "add", "add_1", None, "Add"],
     ["add", "Add_1", "add_2", "add_1_1", "add_3", "Add_4"]),
    (["x_1", "x", "x", "x"], ["x_1", "x", "x_2", "x_3"]),
    (["X", "x", "x_1", "X_1"], ["X", "x_1", "x_1_1", "X_1_2"]),
]  # fmt: skip


@pytest.mark.parametrize(("requested", "expected"), NAME_SEQUENCES)
def test_op_names_are_uniquified_case_insensitively(requested, expected):
    a, b = _placeholders()
    made = [a + b if name is None else tf.add(a, b, name=name) for name in requested]
    assert [t.op.name for t in made] == expected


def test_operator_then_function_collide_case_insensitively():
    a, b = _placeholders()
    assert [(a + b).op.name, tf.add(a, b).op.name] == ["add", "Add_1"]


def test_unique_name_sequence(graph):
    got = [graph.unique_name(n) for n in ("foo", "foo", "Foo", "foo_1", "foo_3", "foo")]
    got += [graph.unique_name("foo", mark_as_used=False), graph.unique_name("bar", False)]
    got.append(graph.unique_name("bar"))
    assert got == ["foo", "foo_1", "Foo_2", "foo_1_1", "foo_3", "foo_4", "foo_5", "bar", "bar"]


def test_unique_name_is_prefixed_by_the_name_scope(graph):
    with tf.name_scope("s"):
        inside = [graph.unique_name("foo"), graph.unique_name("foo")]
    assert inside == ["s/foo", "s/foo_1"]
    assert graph.unique_name("s") == "s_1"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "A", "a_1", "A_1", "a_2", "a_1_1", "b", "b_1"]), max_size=14))
def test_unique_names_never_collide_and_fresh_names_are_kept(requested):
    g = tf.Graph()
    seen: set[str] = set()
    returned = []
    for name in requested:
        fresh = name.lower() not in seen
        got = g.unique_name(name)
        if fresh:
            assert got == name
        seen.update((name.lower(), got.lower()))
        returned.append(got.lower())
    assert len(set(returned)) == len(returned)


def test_unique_name_without_marking_reserves_nothing(graph):
    assert graph.unique_name("op", mark_as_used=False) == "op"
    assert graph.unique_name("op") == "op"
    assert graph.unique_name("op", mark_as_used=False) == "op_1"
    assert graph.unique_name("op") == "op_1"


def test_empty_name_falls_back_to_the_op_type():
    a, b = _placeholders()
    assert tf.add(a, b, name="").op.name == "AddV2"
    assert tf.placeholder(tf.float32, name="").op.name == "Placeholder"


# -- name scopes ----------------------------------------------------------------------------


def test_name_scopes_nest_and_return_their_full_name(graph):
    with tf.name_scope("a") as outer:
        with tf.name_scope("b") as inner:
            c = tf.constant(1)
            current = (tf.get_name_scope(), graph.get_name_scope())
    assert (outer, inner, c.op.name, current) == ("a/", "a/b/", "a/b/Const", ("a/b", "a/b"))
    assert graph.get_name_scope() == ""


def test_reopened_scopes_are_uniquified_case_insensitively():
    opened = []
    for name in ("a", "a", "A", "a_1"):
        with tf.name_scope(name) as scope:
            opened.append(scope)
    assert opened == ["a/", "a_1/", "A_2/", "a_1_1/"]


def test_trailing_slash_reenters_a_scope_exactly(graph):
    with tf.name_scope("a") as scope:
        pass
    with tf.name_scope("x"):
        with tf.name_scope(scope) as again:
            c = tf.constant(1)
    with tf.name_scope("zz/yy/") as arbitrary:
        d = tf.constant(1)
    assert (again, c.op.name, arbitrary, d.op.name) == ("a/", "a/Const", "zz/yy/", "zz/yy/Const")
    assert graph.unique_name("zz") == "zz"  # re-entering reserves nothing


@pytest.mark.parametrize("reset", [None, ""])
def test_none_or_empty_scope_returns_to_the_root(reset):
    with tf.name_scope("a"):
        with tf.name_scope(reset) as scope:
            c = tf.constant(1)
    assert (scope, c.op.name) == ("", "Const")


def test_scopes_and_op_names_share_one_namespace():
    tf.constant(1, name="foo")
    with tf.name_scope("foo") as scope:
        pass
    with tf.name_scope("bar"):
        pass
    assert scope == "foo_1/"
    assert tf.constant(1, name="bar").op.name == "bar_1"


@pytest.mark.parametrize(
    ("outer", "name", "message"),
    [
        (None, "a b", "'a b' is not a valid root scope name"),
        (None, "_a", "'_a' is not a valid root scope name"),
        (None, "-a", "'-a' is not a valid root scope name"),
        ("a", "b c", "'b c' is not a valid scope name"),
    ],
)
def test_invalid_scope_names_raise(outer, name, message):
    with tf.name_scope(outer):
        with pytest.raises(ValueError, match=re.escape(message)):
            with tf.name_scope(name):
                pass


@pytest.mark.parametrize(("name", "expected"), [("_b", "a/_b/"), ("-b", "a/-b/"), (".b", "a/.b/")])
def test_nested_scope_names_may_start_with_more_characters(name, expected):
    with tf.name_scope("a"):
        with tf.name_scope(name) as scope:
            assert scope == expected


def test_name_scope_rejects_non_strings():
    with pytest.raises(TypeError):
        with tf.name_scope(3):
            pass


def test_name_scope_default_name_is_used_and_uniquified():
    opened = []
    for name in (None, None, "n"):
        with tf.name_scope(name, "def") as scope:
            opened.append(scope)
    assert opened == ["def/", "def_1/", "n/"]


def test_name_scope_empty_name_ignores_the_default_and_resets():
    with tf.name_scope("outer"):
        with tf.name_scope("", "def") as scope:
            assert scope == ""


def test_name_scope_needs_a_name_when_given_values():
    a, _ = _placeholders()
    with pytest.raises(ValueError, match="At least one of name"):
        with tf.name_scope(None, None, [a]):
            pass
    with tf.name_scope(None) as scope:
        assert scope == ""


def test_name_scope_values_from_another_graph_make_it_default(graph):
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(1)
    with tf.name_scope("s", values=[t]) as scope:
        assert tf.get_default_graph() is other
        c = tf.constant(2)
    assert (scope, c.graph is other, c.op.name) == ("s/", True, "s/Const")
    assert tf.get_default_graph() is graph


def test_name_scope_values_from_two_graphs_raise():
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(1)
    with pytest.raises(ValueError, match="must be from the same graph"):
        with tf.name_scope("s", values=[t, tf.constant(2)]):
            pass


def test_graph_name_scope_method():
    g = tf.get_default_graph()
    with g.name_scope("a") as outer:
        with g.name_scope("b/") as inner:
            c = tf.constant(1)
    assert (outer, inner, c.op.name) == ("a/", "b/", "b/Const")


# -- the default graph ----------------------------------------------------------------------


def test_as_default_nests_and_restores(graph):
    inner = tf.Graph()
    with inner.as_default() as entered:
        assert entered is inner and tf.get_default_graph() is inner
        with graph.as_default():
            assert tf.get_default_graph() is graph
        assert tf.get_default_graph() is inner
    assert tf.get_default_graph() is graph


def _in_thread(fn):
    result = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as e:  # pragma: no cover - reported below
            result["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_each_thread_has_its_own_default_graph(graph):
    # As in TF1, the default graph is a property of the thread: a new thread does not see the
    # graph this thread entered with as_default(), and two threads get two graphs.
    first = _in_thread(lambda: (tf.get_default_graph(), tf.get_default_graph()))
    second = _in_thread(tf.get_default_graph)
    assert first[0] is first[1]
    assert len({id(graph), id(first[0]), id(second)}) == 3


def test_name_scopes_are_per_thread(graph):
    def build():
        with graph.as_default():
            return tf.constant(1).op.name

    with tf.name_scope("main"):
        assert _in_thread(build) == "Const"
        assert tf.constant(1).op.name == "main/Const"


def test_reset_default_graph_replaces_this_threads_default_graph():
    def reset_and_compare():
        before = tf.get_default_graph()
        tf.constant(1)
        tf.reset_default_graph()
        after = tf.get_default_graph()
        return (
            before is not after and after.get_operations() == [] and after is tf.get_default_graph()
        )

    assert _in_thread(reset_and_compare)


def test_reset_default_graph_inside_as_default_raises():
    with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
        tf.reset_default_graph()


# -- collections ----------------------------------------------------------------------------


def test_collections_add_and_get(graph):
    tf.add_to_collection("k", 1)
    tf.add_to_collection("k", 2)
    tf.add_to_collections(["k", "j"], 3)
    tf.add_to_collections("single", 4)
    assert tf.get_collection("k") == [1, 2, 3]
    assert tf.get_collection("j") == [3]
    assert tf.get_collection("single") == [4]
    assert tf.get_collection("missing") == []
    assert sorted(graph.get_all_collection_keys()) == ["j", "k", "single"]


def test_add_to_collections_adds_once_per_distinct_name():
    tf.add_to_collections(["k", "k"], 3)
    assert tf.get_collection("k") == [3]


def test_get_collection_scope_is_a_regex_matched_at_the_start():
    made = [tf.constant(1, name=n) for n in ("foo/c", "bar/foo/c", "foobar")]
    for t in made:
        tf.add_to_collection("k", t)
    tf.add_to_collection("k", 5)  # no name: never matches a scope
    names = {
        scope: [t.name for t in tf.get_collection("k", scope)] for scope in ("foo", "foo/", ".*foo")
    }
    assert names == {
        "foo": ["foo/c:0", "foobar:0"],
        "foo/": ["foo/c:0"],
        ".*foo": ["foo/c:0", "bar/foo/c:0", "foobar:0"],
    }
    assert len(tf.get_collection("k", None)) == 4


def test_get_collection_returns_a_copy_and_get_collection_ref_the_live_list(graph):
    live = tf.get_collection_ref("k")
    live.append(1)
    tf.add_to_collection("k", 2)
    copy = tf.get_collection("k")
    assert live == [1, 2] and copy == [1, 2]
    assert copy is not live and tf.get_collection_ref("k") is live
    assert graph.get_all_collection_keys() == ["k"]


def test_get_collection_creates_no_key(graph):
    tf.get_collection("zz")
    assert graph.get_all_collection_keys() == []


def test_non_string_collection_keys_are_not_listed(graph):
    tf.add_to_collection(1, "v")
    tf.add_to_collection("s", "v")
    assert graph.get_all_collection_keys() == ["s"]
    assert tf.get_collection(1) == ["v"]


def test_clear_collection(graph):
    tf.add_to_collection("k", 1)
    graph.clear_collection("k")
    assert tf.get_collection("k") == [] and graph.get_all_collection_keys() == []


def test_graph_keys_have_tf1_values():
    keys = tf.GraphKeys
    assert (keys.GLOBAL_VARIABLES, keys.TRAINABLE_VARIABLES, keys.UPDATE_OPS) == (
        "variables",
        "trainable_variables",
        "update_ops",
    )
    assert keys.VARIABLES == keys.GLOBAL_VARIABLES


# -- lookups --------------------------------------------------------------------------------


def test_lookup_by_name(graph):
    a, _ = _placeholders()
    assert graph.get_tensor_by_name("a:0") is a
    assert graph.get_operation_by_name("a") is a.op
    assert graph.as_graph_element("a:0") is a and graph.as_graph_element(a.op) is a.op


LOOKUP_ERRORS = [
    ("get_tensor_by_name", "c:0", KeyError,
     "The name 'c:0' refers to a Tensor which does not exist. The operation, 'c', does not exist "
     "in the graph."),
    ("get_tensor_by_name", "a:1", KeyError, "exists but only has 1 outputs"),
    ("get_tensor_by_name", "a", ValueError, "The name 'a' refers to an Operation, not a Tensor."),
    ("get_tensor_by_name", "zz", ValueError, "looks like an (invalid) Operation name"),
    ("get_tensor_by_name", "a:x", ValueError, "looks a like a Tensor name, but is not a valid"),
    ("get_tensor_by_name", "a:0:0", ValueError, "looks a like a Tensor name, but is not a valid"),
    ("get_tensor_by_name", 3, TypeError, "Tensor names are strings"),
    ("get_operation_by_name", "c", KeyError, "The name 'c' refers to an Operation not in the"),
    ("get_operation_by_name", "a:0", ValueError, "appears to refer to a Tensor, not a Operation"),
    ("get_operation_by_name", 3, TypeError, "Operation names are strings"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "name", "error", "message"), LOOKUP_ERRORS)
def test_lookup_errors(graph, method, name, error, message):
    _placeholders()
    with pytest.raises(error, match=re.escape(message)):
        getattr(graph, method)(name)


def test_lookup_errors_suggest_the_closest_names(graph):
    tf.constant(1.0, name="logits")
    tf.constant(1.0, name="labels")
    with pytest.raises(KeyError, match=re.escape("Did you mean 'logits'?")):
        graph.get_tensor_by_name("logit:0")
    with pytest.raises(KeyError, match=re.escape("Did you mean 'labels'?")):
        graph.get_operation_by_name("label")
    assert graph_module.closest_names("zzzz", ["logits"]) == ""


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ({"allow_tensor": False}, TypeError, "Can not convert a Tensor into a Operation."),
        ({"allow_operation": False, "op": True}, TypeError,
         "Can not convert a Operation into a Tensor."),
        ({"value": 3}, TypeError, "Can not convert a int into a Tensor or Operation."),
        ({"value": 3, "allow_operation": False}, TypeError, "Can not convert a int into a Tensor."),
    ],
)  # fmt: skip
def test_as_graph_element_type_errors(graph, args, error, message):
    a, _ = _placeholders()
    value = args.pop("value", a.op if args.pop("op", False) else a)
    with pytest.raises(error, match=re.escape(message)):
        graph.as_graph_element(value, **args)


def test_as_graph_element_from_another_graph_raises():
    a, _ = _placeholders()
    with pytest.raises(ValueError, match="is not an element of this graph"):
        tf.Graph().as_graph_element(a)


# -- control dependencies -------------------------------------------------------------------


def _control_names(t):
    return [op.name for op in t.op.control_inputs]


def test_control_dependencies_nest_and_none_clears():
    a, b = _placeholders()
    c = tf.constant(1, name="c")
    with tf.control_dependencies([c]):
        d = tf.identity(a, name="d")
        with tf.control_dependencies([b]):
            e = tf.identity(a, name="e")
            with tf.control_dependencies(None):
                f = tf.identity(a, name="f")
    assert [_control_names(t) for t in (d, e, f)] == [["c"], ["c", "b"], []]


def test_ops_fed_from_inside_the_block_get_no_redundant_control_input():
    a, _ = _placeholders()
    c = tf.constant(1, name="c")
    with tf.control_dependencies([c]):
        d = tf.identity(a, name="d")
        h = tf.identity(d, name="h")
        s = a + 1.0
    assert _control_names(d) == ["c"]
    assert _control_names(h) == []
    assert _control_names(s.op.inputs[1]) == ["c"] and _control_names(s) == []


def test_control_input_that_is_also_a_data_input_is_dropped():
    c = tf.constant(1.0, name="c")
    with tf.control_dependencies([c]):
        d = tf.identity(c, name="d")
    assert _control_names(d) == []


def test_inner_block_keeps_its_own_control_inputs_for_inputs_made_in_the_outer_block():
    a, _ = _placeholders()
    c, c2 = tf.constant(1, name="c"), tf.constant(2, name="c2")
    with tf.control_dependencies([c]):
        d = tf.identity(a, name="d")
        with tf.control_dependencies([c2]):
            e = tf.identity(d, name="e")
    assert _control_names(e) == ["c2"]


def test_control_inputs_accept_tensors_and_ops():
    a, b = _placeholders()
    c = tf.constant(1, name="c")
    with tf.control_dependencies([c, c.op, a]):
        d = tf.identity(b, name="d")
    assert _control_names(d) == ["c", "a"]
    assert d.op.node_def.input == ["b", "^c", "^a"]


def test_control_dependencies_errors():
    with pytest.raises(TypeError, match="Can not convert a int into a Operation"):
        with tf.control_dependencies([3]):
            pass
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(1)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        with tf.control_dependencies([t]):
            pass


# -- devices --------------------------------------------------------------------------------

DEVICES = [
    (["/cpu:0"], "/device:CPU:0"),
    (["/gpu:1"], "/device:GPU:1"),
    (["/CPU:0"], "/device:CPU:0"),
    (["cpu:0"], "/device:CPU:0"),
    (["/gpu:*"], "/device:GPU:*"),
    (["/cpu"], "/device:CPU:*"),
    ([""], ""),
    (["/job:w/replica:0/task:0/device:CPU:0"], "/job:w/replica:0/task:0/device:CPU:0"),
    (["/job:w/task:2", "/device:GPU:0"], "/job:w/task:2/device:GPU:0"),
    (["/job:w/task:2", "/job:ps"], "/job:ps/task:2"),
    (["/job:w/task:2", None], ""),
    (["/device:gpu:1"], "/device:GPU:1"),
    (["/task:1"], "/task:1"),
    (["/job:w/cpu:0"], "/job:w/device:CPU:0"),
    (["/gpu:0", "/cpu:1"], "/device:CPU:1"),
    (["/gpu:0", "/job:x"], "/job:x/device:GPU:0"),
    (["/job:a/device:GPU:1", "/device:CPU:*"], "/job:a/device:CPU:1"),
]


@pytest.mark.parametrize(("nested", "expected"), DEVICES)
def test_device_strings_as_tf_records_them(nested, expected):
    def build(specs):
        if not specs:
            return tf.constant(1)
        with tf.device(specs[0]):
            return build(specs[1:])

    t = build(nested)
    assert (t.op.device, t.device, t.op.node_def.device) == (expected, expected, expected)


def test_device_errors():
    with pytest.raises(ValueError, match="Unknown attribute: 'foo:0'"):
        with tf.device("/foo:0"):
            pass
    with pytest.raises(TypeError, match="device must be a string"):
        with tf.device(3):
            pass


def test_colocate_with_is_accepted_and_has_no_effect():
    a, _ = _placeholders()
    with tf.colocate_with(a.op):
        c = tf.constant(1)
    assert c.op.device == ""


# -- finalize and graph mixing --------------------------------------------------------------


def test_finalize_makes_the_graph_read_only(graph):
    tf.constant(1)
    graph.finalize()
    assert graph.finalized
    with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
        tf.constant(2)
    with pytest.raises(RuntimeError, match="Graph is finalized"):
        tf.add_to_collection("k", 1)
    with tf.name_scope("still_fine") as scope:
        assert scope == "still_fine/"
    assert tf.get_collection("k") == [] and tf.get_collection_ref("k") == []
    assert _ops(graph) == [("Const", "Const")]


@pytest.mark.parametrize(
    "build", [lambda c, t: c + t, lambda c, t: tf.add(c, t), lambda c, t: tf.stack([c, t])]
)
def test_tensors_of_two_graphs_in_one_op_raise(graph, build):
    other = tf.Graph()
    with other.as_default():
        t = tf.constant(1.0)
    c = tf.constant(2.0)
    with pytest.raises(ValueError, match="must be from the same graph"):
        build(c, t)
    assert _ops(graph) == [("Const", "Const")] and len(other.get_operations()) == 1


# -- Operation ------------------------------------------------------------------------------


def test_operation_attributes(graph):
    a, b = _placeholders()
    s = tf.add(a, b, name="s")
    op = s.op
    assert (op.name, op.type, op.graph, op.device) == ("s", "AddV2", graph, "")
    assert op.inputs == (a, b) and op.outputs == [s] and op.values() == (s,)
    assert op.control_inputs == []
    node = op.node_def
    assert (node.name, node.op, node.input, node.device) == ("s", "AddV2", ["a", "b"], "")
    assert repr(op) == "<tf.Operation 's' type=AddV2>"
    assert str(op) == 'name: "s"\nop: "AddV2"'
    assert a.consumers() == [op]


def test_operation_get_attr():
    c = tf.constant([1.0, 2.0])
    assert c.op.get_attr("dtype") == tf.float32
    assert c.op.get_attr("value").tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=re.escape("Operation 'Const' has no attr named 'foo'.")):
        c.op.get_attr("foo")


def test_node_def_names_non_first_outputs_with_their_index():
    q, r = tf.linalg.qr(tf.placeholder(tf.float32, [3, 3], name="m"))
    s = tf.add(q, r, name="s")
    assert s.op.node_def.input == ["Qr", "Qr:1"]


def test_operation_location_and_traceback_point_at_the_user_line():
    line = _this_line() + 1
    c = tf.constant(1.0)
    assert c.op.location == f"{__file__}:{line}"
    file, lineno, function, text = c.op.traceback[-1]
    assert (file, lineno, text) == (__file__, line, "c = tf.constant(1.0)")
    assert function == "test_operation_location_and_traceback_point_at_the_user_line"


def _this_line() -> int:
    import sys

    return sys._getframe(1).f_lineno


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: t.eval(),
         "Cannot evaluate tensor using `eval()`: No default session is registered. Use `with "
         "sess.as_default()` or pass an explicit session to `eval(session=sess)`"),
        (lambda t: t.op.run(),
         "Cannot execute operation using `run()`: No default session is registered. Use `with "
         "sess.as_default():` or pass an explicit session to `run(session=sess)`"),
    ],
)  # fmt: skip
def test_eval_and_run_without_a_default_session_raise(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call(tf.constant(1))


# -- Tensor ---------------------------------------------------------------------------------


def test_tensor_attributes(graph):
    a, b = _placeholders()
    t = tf.add(a, b)
    assert (t.name, t.value_index, t.dtype, t.op.name, t.graph, t.device) == (
        "Add:0",
        0,
        tf.float32,
        "Add",
        graph,
        "",
    )
    assert t.shape.as_list() == [2, 3] and t.get_shape() is t.shape
    _, r = tf.linalg.qr(tf.placeholder(tf.float32, [3, 3]))
    assert (r.name, r.value_index) == ("Qr:1", 1)


@pytest.mark.parametrize(
    ("shape", "text", "rep"),
    [
        (None, 'Tensor("t:0", dtype=float32)', "<tf.Tensor 't:0' shape=<unknown> dtype=float32>"),
        ([None, 2], 'Tensor("t:0", shape=(?, 2), dtype=float32)',
         "<tf.Tensor 't:0' shape=(?, 2) dtype=float32>"),
        ([], 'Tensor("t:0", shape=(), dtype=float32)', "<tf.Tensor 't:0' shape=() dtype=float32>"),
    ],
)  # fmt: skip
def test_tensor_str_and_repr(shape, text, rep):
    t = tf.placeholder(tf.float32, shape, name="t")
    assert (str(t), repr(t)) == (text, rep)


def test_set_shape_merges():
    t = tf.placeholder(tf.float32, [None, 3])
    t.set_shape([2, None])
    assert t.shape.as_list() == [2, 3]
    u = tf.placeholder(tf.float32)
    u.set_shape(tf.TensorShape(None))
    assert u.shape.ndims is None
    u.set_shape([2, None])
    assert u.shape.as_list() == [2, None]


@pytest.mark.parametrize(
    ("start", "new", "message"),
    [
        ([None, 3], [3, 3], None),
        ([2, 3], [3, 3],
         "Dimension 0 in both shapes must be equal, but are 2 and 3. Shapes are [2,3] and [3,3]."),
        ([2, None], [2], "Shapes must be equal rank, but are 2 and 1"),
    ],
)  # fmt: skip
def test_set_shape_contradiction_raises(start, new, message):
    t = tf.placeholder(tf.float32, start)
    t.set_shape([2, 3])
    with pytest.raises(ValueError, match=re.escape(message or "Dimension 0 in both shapes")):
        t.set_shape(new)
    assert t.shape.as_list() == [2, 3]


def test_tensors_hash_and_compare_by_identity():
    t, u = tf.constant(1), tf.constant(1)
    assert (t == t, t == u, t != u) == (True, False, True)
    assert {t: "t", u: "u"}[t] == "t"
    assert hash(t) == hash(t) and len({t, u}) == 2


@pytest.mark.parametrize(
    ("use", "message"),
    [
        (bool, "Using a `tf.Tensor` as a Python `bool` is not allowed."),
        (len, "len is not well defined for symbolic Tensors. (Const:0)"),
        (iter, "Tensor objects are only iterable when eager execution is enabled"),
    ],
)
def test_tensors_refuse_python_truth_length_and_iteration(use, message):
    t = tf.constant([1])
    with pytest.raises(TypeError, match=re.escape(message)):
        use(t)


def test_numpy_refuses_symbolic_tensors():
    message = "Cannot convert a symbolic Tensor (Const:0) to a numpy array"
    with pytest.raises(NotImplementedError, match=re.escape(message)):
        np.asarray(tf.constant(1))


# -- atomic construction --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda x, y, i: x + y, ValueError),  # broadcast clash [3] vs [4]: TF leaves nothing
        (lambda x, y, i: x + [1.0, 2.0], ValueError),  # TF leaves add/y behind
        (lambda x, y, i: i + 1.5, TypeError),  # TF leaves add/y behind
        (lambda x, y, i: tf.add(x, i), TypeError),
        (lambda x, y, i: tf.reshape(x, [5]), ValueError),  # TF leaves Reshape/shape behind
        (lambda x, y, i: tf.stack([x, y]), ValueError),
        (lambda x, y, i: tf.random_normal([2], dtype=tf.int32), TypeError),
    ],
)
def test_failed_construction_leaves_no_trace_and_frees_its_names(graph, build, error):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.placeholder(tf.float32, [4], name="y")
    i = tf.placeholder(tf.int32, [3], name="i")
    before = _ops(graph)
    with pytest.raises(error):
        build(x, y, i)
    assert _ops(graph) == before
    assert (x + x).op.name == "add"
    assert (x + 1.0).op.inputs[1].op.name == "add_1/y"
    assert tf.reshape(x, [3, 1]).op.inputs[1].op.name == "Reshape/shape"
