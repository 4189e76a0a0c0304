"""Tests for scopeflow/ops/control/functional.py, case.py and grouping.py's ``tf.tuple``:
``tf.map_fn``, ``tf.scan``, ``tf.foldl``, ``tf.foldr``, ``tf.case``, ``tf.switch_case`` and
``tf.tuple`` build TF1's graphs (ops, names, shapes), refuse what TF1 refuses, run, and
differentiate.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/functional.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/functional.py``; where scopeflow differs, ``DIFFERENCES`` says
what it does instead and why. TensorFlow's gradient values are in
``tests/data/functional_gradient_values.json`` (``tests/data/functional_gradients.py``).
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(DATA))
from functional_gradients import CASES as TF_GRADIENT_CASES  # noqa: E402
from functional_gradients import gradient_values  # noqa: E402

REFERENCE = tf_reference("functional")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES = {
    # TF builds it (its TensorArray only logs an error) and fails when run; scopeflow refuses
    # the int32 result for a float32 TensorArray while building, naming the fix.
    "tf.map_fn(lambda e: tf.cast(e, tf.int32), x)": raised(
        TypeError, "fn's output 0 ('map/while/Cast:0') is int32, but float32 was expected"
    ),
    # TF reads fn.__name__ first: AttributeError: 'int' object has no attribute '__name__'.
    "tf.map_fn(1, x)": raised(TypeError, "1 is not callable. Please provide a callable"),
    # TF: IndexError: list index out of range.
    "tf.scan(lambda a, e: a + e, s)": raised(
        ValueError, "Elements in elems must be 1+ dimensional Tensors, not scalars: 's:0'"
    ),
    "tf.foldl(lambda a, e: a + e, s)": raised(
        ValueError, "Elements in elems must be 1+ dimensional Tensors, not scalars: 's:0'"
    ),
    # TF: ValueError: not enough values to unpack (expected 2, got 0).
    "tf.case([])": raised(ValueError, "'pred_fn_pairs' must hold at least one (predicate, fn)"),
    # switch_case is a chain of tf.cond (TF: one StatelessCase op, whose TypeError names
    # branches[0] and branches[1]).
    "tf.switch_case(k, [lambda: s, lambda: k])": raised(
        ValueError, "Outputs of 'true_fn' and 'false_fn' must have the same type(s)."
    ),
}

BUILDS = [
    pytest.param(group, expr, id=f"{group}-{expr}")
    for group in ("MAPS", "SCANS", "FOLDS", "CASES", "TUPLES")
    for expr in GROUPS[group]
]


@pytest.mark.parametrize(("group", "expr"), BUILDS)
def test_builds_tf1s_graph(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _flat(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


@pytest.mark.parametrize("expr", list(GROUPS["SWITCH_CASES"]))
def test_switch_case_returns_what_tf_returns(graph, env, expr):
    # TF builds one StatelessCase op (switch_case/indexed_case); scopeflow a chain of tf.cond
    # under the same scope: the result's structure, dtypes and shapes are TF's.
    record = GROUPS["SWITCH_CASES"][expr]
    result = eval(expr, env)
    want = record.get("outputs", [record])
    assert isinstance(result, (list, tuple)) == ("outputs" in record)
    scope = want[0]["name"].split("/")[0] + "/"
    for t, rec in zip(_flat(result), want, strict=True):
        assert t.name.startswith(scope)
        assert (t.dtype.name, t.shape.as_list()) == (rec["dtype"], rec["shape"])


def test_a_failed_map_fn_leaves_no_op_behind(graph):
    x = tf.placeholder(tf.float32, [4, 3])
    before = len(graph.get_operations())
    with pytest.raises(ValueError, match="same nested structure"):
        tf.map_fn(lambda e: (e, e), x)
    assert len(graph.get_operations()) == before
    assert tf.map_fn(lambda e: e, x).name == "map/TensorArrayStack/TensorArrayGatherV3:0"


def test_tuple_keeps_none_and_gates_ops(graph):
    x = tf.placeholder(tf.float32, [2], name="x")
    a = tf.no_op(name="a")
    out = tf.tuple([x, None, a], name="t")
    assert out[1] is None
    assert out[0].name == "t/control_dependency:0"
    assert out[2].name == "t/group_deps_1"
    gate = graph.get_operation_by_name("t/group_deps")
    assert [op.name for op in gate.control_inputs] == ["x", "a"]
    assert [op.name for op in out[2].control_inputs] == ["t/group_deps", "a"]  # as TF


def test_an_unordered_dict_of_pairs_warns_unless_exclusive(graph):
    p, q = tf.placeholder(tf.bool, [], name="p"), tf.placeholder(tf.bool, [], name="q")
    pairs = {q: lambda: 1.0, p: lambda: 2.0}
    with pytest.warns(UserWarning, match="An unordered dictionary of predicate/fn pairs"):
        tf.case(pairs, default=lambda: 0.0)
    y = tf.case(pairs, default=lambda: 0.0, exclusive=True, name="sorted")
    with tf.Session() as sess:  # sorted by name: p first
        assert sess.run(y, {p: True, q: False}) == 2.0
        assert sess.run(y, {p: False, q: True}) == 1.0


# -- kernels -------------------------------------------------------------------------------

X = np.float32([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0], [0.25, 2.0, -3.0], [-1.5, 1.0, 4.0]])
Y = np.float32([[2.0, 1.0], [-1.0, 0.5], [0.0, 3.0], [1.0, 1.0]])


def _scan_pairs(x):
    mins, count = tf.scan(
        lambda a, e: (tf.minimum(a[0], e), a[1] + 1), x, initializer=(x[0], tf.constant(0))
    )
    return tf.cast(count, tf.float32)[:, None] + mins


def _case(x, k):
    return tf.case(
        [(k < 0, lambda: -x), (tf.equal(k, 0), lambda: x * 10.0)], default=lambda: x + 1.0
    )


def _switch(x, k):
    return tf.switch_case(k, {1: lambda: -x, 0: lambda: x * 10.0}, default=lambda: x + 1.0)


def _np_switch(x, k):
    return {0: x * 10, 1: -x}.get(int(k), x + 1)


def _cumulative(x, reverse=False):
    return np.cumsum(x[::-1], axis=0)[::-1] if reverse else np.cumsum(x, axis=0)


def _fold(x, step, start, reverse=False):
    acc = start
    for row in x[::-1] if reverse else x:
        acc = step(acc, row)
    return acc


CASES = [
    Case(
        "map_fn",
        "TensorArrayGatherV3",
        lambda x: tf.map_fn(lambda e: e * 2.0 + tf.reduce_sum(e), x),
        (X,),
        lambda x: x * 2 + x.sum(1, keepdims=True),
        tolerance=1e-6,
    ),
    Case(
        "map_fn-dtype",
        "TensorArrayGatherV3",
        lambda x: tf.map_fn(lambda e: tf.argmax(e, output_type=tf.int32), x, dtype=tf.int32),
        (X,),
        lambda x: x.argmax(1).astype(np.int32),
    ),
    Case(
        "map_fn-nested-elems",
        "TensorArrayGatherV3",
        lambda x, y: tf.map_fn(
            lambda t: t[1]["y"] * tf.reduce_max(t[0]), (x, {"y": y}), dtype=tf.float32
        ),
        (X, Y),
        lambda x, y: y * x.max(1, keepdims=True),
    ),
    Case(
        "map_fn-of-map_fn",
        "TensorArrayGatherV3",
        lambda x: tf.map_fn(lambda r: tf.map_fn(lambda e: e * e, r), x),
        (X,),
        lambda x: x * x,
    ),
    Case("scan", "TensorArrayGatherV3", lambda x: tf.scan(tf.add, x), (X,), _cumulative),
    Case(
        "scan-reverse",
        "TensorArrayGatherV3",
        lambda x: tf.scan(tf.add, x, reverse=True),
        (X,),
        lambda x: _cumulative(x, reverse=True),
    ),
    Case(
        "scan-initializer",
        "TensorArrayGatherV3",
        lambda x: tf.scan(lambda a, e: a + tf.reduce_sum(e), x, initializer=10.0),
        (X,),
        lambda x: 10 + np.cumsum(x.sum(1)),
        tolerance=1e-6,
    ),
    Case(
        "scan-structure",
        "AddV2",
        _scan_pairs,
        (X,),
        lambda x: np.arange(1, 5, dtype=np.float32)[:, None] + np.minimum.accumulate(x),
        modes=("full", "dims"),  # x[0]'s rank must be known to enter the loop
    ),
    Case(
        "foldl",
        "Exit",
        lambda x: tf.foldl(lambda a, e: a * 0.5 + e, x),
        (X,),
        lambda x: _fold(x[1:], lambda a, e: a * 0.5 + e, x[0]),
    ),
    Case(
        "foldr",
        "Exit",
        lambda x: tf.foldr(lambda a, e: a * 0.5 + e, x, initializer=tf.ones([3])),
        (X,),
        lambda x: _fold(x, lambda a, e: a * 0.5 + e, np.ones(3, np.float32), reverse=True),
        modes=("full", "dims"),  # the initializer's shape must hold across iterations
    ),
    Case("case-first", "Merge", _case, (X, np.int32(-3)), lambda x, k: -x),
    Case("case-second", "Merge", _case, (X, np.int32(0)), lambda x, k: x * 10),
    Case("case-default", "Merge", _case, (X, np.int32(4)), lambda x, k: x + 1),
    *[
        Case(f"switch_case-{k}", "Merge", _switch, (X, np.int32(k)), _np_switch)
        for k in (0, 1, 2, -1)
    ],
    Case(
        "switch_case-no-default",
        "Merge",
        lambda x, k: tf.switch_case(k, [lambda: -x, lambda: x * 10.0]),
        (X, np.int32(7)),
        lambda x, k: x * 10,  # out of range: the last branch
    ),
    Case("tuple", "Identity", lambda x: tf.tuple([x * 2.0, x])[0], (X,), lambda x: x * 2),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_a_dynamic_number_of_elements(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    doubled = tf.map_fn(lambda e: e * 2.0, x)
    sums = tf.scan(tf.add, x, reverse=True)
    total = tf.foldr(lambda a, e: a + e, x, initializer=tf.zeros([3]))
    assert doubled.shape.as_list() == [None, 3]
    with tf.Session() as sess:
        for rows in (1, 5):
            values = np.arange(rows * 3, dtype=np.float32).reshape(rows, 3)
            got = sess.run([doubled, sums, total], {x: values})
            np.testing.assert_array_equal(got[0], values * 2)
            np.testing.assert_array_equal(got[1], _cumulative(values, reverse=True))
            np.testing.assert_array_equal(got[2], values.sum(0))


def test_results_are_fetched_by_name(graph):
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    tf.scan(tf.add, x)
    tf.map_fn(lambda e: e * 2.0, x, name="doubled")
    with tf.Session() as sess:
        sums, doubled = sess.run(
            ["scan/TensorArrayStack/TensorArrayGatherV3:0", "doubled/while/Exit_2:0"], {x: X}
        )
    np.testing.assert_array_equal(sums, np.cumsum(X, axis=0))
    assert doubled.dtype == np.float32 and doubled.shape == ()  # the result array's flow


# -- failing runs ----------------------------------------------------------------------------


def test_case_without_default_fails_the_run_when_no_predicate_holds(graph):
    s = tf.placeholder(tf.float32, [], name="s")
    p, q = tf.placeholder(tf.bool, [], name="p"), tf.placeholder(tf.bool, [], name="q")
    y = tf.case([(p, lambda: s + 1.0), (q, lambda: s * 2.0)])
    # As TF1, the checks are control dependencies of the ops the last function makes: one
    # returning a value made elsewhere (or a Python number) is not checked.
    unchecked = tf.case([(p, lambda: 1.0), (q, lambda: 2.0)])
    with tf.Session() as sess:
        assert sess.run(y, {p: True, q: True, s: 3.0}) == 4.0  # the first that holds
        assert sess.run(y, {p: False, q: True, s: 3.0}) == 6.0
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match=r"Input error: None of conditions evaluated as True:\] \[0 0\]",
        ):
            sess.run(y, {p: False, q: False, s: 3.0})
        assert sess.run(unchecked, {p: False, q: False}) == 2.0


def test_exclusive_case_fails_the_run_when_two_predicates_hold(graph):
    p, q = tf.placeholder(tf.bool, [], name="p"), tf.placeholder(tf.bool, [], name="q")
    y = tf.case([(p, lambda: 1.0), (q, lambda: 2.0)], default=lambda: 0.0, exclusive=True)
    with tf.Session() as sess:
        assert sess.run(y, {p: False, q: False}) == 0.0
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match=r"Input error: exclusive=True: more than 1 conditions \(p:0, q:0\) evaluated "
            r"as True:\] \[1 1\]",
        ):
            sess.run(y, {p: True, q: True})


def test_a_shorter_element_reads_as_zeros(graph):
    # As TF1: the first element gives the number of iterations, and reading past the end of
    # another element's TensorArray (fully known element shape) gives zeros.
    x, y = tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.float32, [None, 2])
    out = tf.map_fn(lambda t: t[1] * tf.reduce_sum(t[0]), (x, y), dtype=tf.float32)
    with tf.Session() as sess:
        got = sess.run(out, {x: np.ones((4, 3)), y: np.ones((3, 2))})
    np.testing.assert_array_equal(got, [[3.0, 3.0], [3.0, 3.0], [3.0, 3.0], [0.0, 0.0]])


# -- group and tuple inside loops ----------------------------------------------------------


def test_tuple_control_inputs_run_each_iteration_of_map_fn(graph):
    v = tf.Variable(0.0, name="v")

    def fn(e):
        (out,) = tf.tuple([e * 2.0], control_inputs=[tf.assign_add(v, 1.0)])
        return out

    y = tf.map_fn(fn, tf.constant(X))
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(y), X * 2)
        assert sess.run(v) == 4.0


def test_group_inside_a_while_body_runs_each_iteration(graph):
    a, b = tf.Variable(0.0, name="a"), tf.Variable(0.0, name="b")

    def body(i):
        with tf.control_dependencies([tf.group(tf.assign_add(a, 1.0), tf.assign_add(b, 2.0))]):
            return i + 1

    loop = tf.while_loop(lambda i: i < 3, body, [0])
    gate = graph.get_operation_by_name("while/group_deps")
    assert gate.type == "NoOp" and {op.type for op in gate.control_inputs} == {"AssignAdd"}
    with tf.Session() as sess:
        sess.run([a.initializer, b.initializer])
        assert sess.run(loop) == 3
        assert sess.run([a, b]) == [3.0, 6.0]


# -- gradients ---------------------------------------------------------------------------------

XG = np.array([[0.5, -1.0, 0.25], [1.5, 0.3, -0.7], [-0.2, 0.8, 1.1]])
WG = np.array([0.7, -0.3, 1.2])


def _scan_pair(x, w):
    sums, scales = tf.scan(
        lambda a, e: (a[0] + e * a[1], a[1] * w), x, initializer=(tf.zeros([3], tf.float64), w)
    )
    return sums + scales


GRAD_CASES = [
    GradCase("map_fn", lambda x, w: tf.map_fn(lambda e: tf.sin(e) * w, x), (XG, WG)),
    GradCase(
        "map_fn-nested-elems",
        lambda x, w: tf.map_fn(lambda t: t[0] * t[1] * w, (x, tf.exp(x)), dtype=tf.float64),
        (XG, WG),
    ),
    GradCase(
        "map_fn-of-map_fn",
        lambda x, w: tf.map_fn(lambda r: tf.map_fn(lambda e: tf.sin(e * w[0]), r), x),
        (XG, WG),
    ),
    GradCase("scan", lambda x, w: tf.scan(lambda a, e: tf.tanh(a * w + e), x), (XG, WG)),
    GradCase(
        "scan-reverse",
        lambda x, w: tf.scan(lambda a, e: a * tf.cos(e) + w, x, initializer=w, reverse=True),
        (XG, WG),
    ),
    GradCase("scan-structure", _scan_pair, (XG, WG)),
    GradCase("foldl", lambda x, w: tf.foldl(lambda a, e: a * e + w, x), (XG, WG)),
    GradCase(
        "foldr",
        lambda x, w: tf.foldr(lambda a, e: tf.sin(a) * e, x, initializer=w),
        (XG, WG),
    ),
    GradCase(
        "case",
        lambda x, w: tf.case(
            [(tf.reduce_sum(w) < 0.0, lambda: x * w), (tf.reduce_sum(w) > 0.0, lambda: x * x * w)],
            default=lambda: x,
        ),
        (XG, WG),
    ),
    GradCase(
        "switch_case",
        lambda x, w: tf.switch_case(
            tf.constant(1), [lambda: x * w, lambda: tf.exp(x) * w, lambda: x]
        ),
        (XG, WG),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_match_finite_differences(case):
    check_gradient_case(case)


TF_GRADIENTS = json.loads((DATA / "functional_gradient_values.json").read_text())


@pytest.mark.parametrize("name", list(TF_GRADIENT_CASES))
def test_gradients_match_tensorflows_values(name):
    got, want = gradient_values(tf, name), TF_GRADIENTS[name]
    np.testing.assert_allclose(got["loss"], want["loss"], rtol=1e-12)
    for mine, theirs in zip(got["grads"], want["grads"], strict=True):
        assert (mine is None) == (theirs is None)
        if theirs is not None:
            np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize(
    "build",
    [
        lambda x: tf.map_fn(lambda e: e * e, x, back_prop=False),
        lambda x: tf.scan(lambda a, e: a * e, x, back_prop=False),
        lambda x: tf.foldl(lambda a, e: a * e, x, back_prop=False),
        lambda x: tf.foldr(lambda a, e: a * e, x, back_prop=False),
    ],
    ids=["map_fn", "scan", "foldl", "foldr"],
)
def test_back_prop_false_stops_gradients(graph, build):
    x = tf.placeholder(tf.float32, [4, 3])
    assert tf.gradients(build(x), x) == [None]


def test_training_through_scan(graph):
    # One gradient-descent step on a weight used in every step of a scan.
    w = tf.Variable(np.float32([0.5, -0.5, 1.0]), name="w")
    h = tf.scan(lambda a, e: tf.tanh(a * w + e), tf.constant(X), initializer=tf.zeros([3]))
    loss = tf.reduce_sum(h * h)
    (grad,) = tf.gradients(loss, [w])
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(w.initializer)
        before, g = sess.run([w, grad])
        sess.run(step)
        np.testing.assert_allclose(sess.run(w), before - 0.1 * g, rtol=1e-6)


def test_vectorized_map_gives_tf_values_for_nested_and_closed_over_inputs(graph):
    w = tf.constant([[1.0, 0.0], [0.0, 2.0]])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    summed = tf.vectorized_map(lambda t: tf.reduce_sum(t) * 2, x)
    elems = (tf.constant([1.0, 2.0]), tf.constant([3, 4]))
    pair = tf.vectorized_map(lambda t: (t[0], t[1] + 1), elems)
    product = tf.vectorized_map(lambda t: tf.linalg.matvec(w, t), x)
    assert summed.name.startswith("vectorized_map/")
    assert pair[1].dtype == tf.int32
    # The dry run that found fn's result dtypes left no ops behind.
    assert not [op for op in graph.get_operations() if op.type == "Placeholder"]
    with tf.Session() as sess:
        got_sum, got_pair, got_product = sess.run([summed, pair, product])
    np.testing.assert_array_equal(got_sum, [6.0, 14.0])
    np.testing.assert_array_equal(got_pair[0], [1.0, 2.0])
    np.testing.assert_array_equal(got_pair[1], [4, 5])
    np.testing.assert_array_equal(got_product, [[1.0, 4.0], [3.0, 8.0]])
