"""Tests for scopeflow/ops/control/while_loop.py and tensor_array.py: ``tf.while_loop`` and
``tf.TensorArray`` build TF1's graphs (ops, names, shapes), refuse what TF1 refuses, and run.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/while_loop.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/while_loop.py``; where scopeflow differs, ``DIFFERENCES`` says
what it does instead and why.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("while_loop")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails


@pytest.mark.parametrize("expr", list(GROUPS["LOOPS"]))
def test_loop_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["LOOPS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def test_a_failed_loop_leaves_no_op_behind(graph):
    start = tf.constant([1.0])
    before = len(graph.get_operations())
    with pytest.raises(ValueError, match="after one iteration"):
        tf.while_loop(lambda h: tf.size(h) < 5, lambda h: tf.concat([h, h], 0), [start])
    assert len(graph.get_operations()) == before
    i = tf.while_loop(lambda i: i < 2, lambda i: i + 1, [0])
    assert i.name == "while/Exit:0"  # the failed loop did not take the name


# -- kernels -------------------------------------------------------------------------------

V = np.float32([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])


def _doubling(x):
    return tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * 2.0), [0, x])[1]


def _assigning(x):
    v = tf.Variable(tf.zeros([3]), name="v")

    def body(i, h):
        update = tf.assign(v, h[0])  # the variable's reference enters the loop (RefEnter)
        return i + 1, h + update[0]

    return tf.while_loop(lambda i, h: i < 2, body, [0, x])[1]


def _arrays(x):
    rows = tf.TensorArray(tf.float32, size=2).unstack(x)
    out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

    def body(i, out):
        return i + 1, out.write(i, rows.read(i) * 10.0)

    _, out = tf.while_loop(lambda i, out: i < 2, body, [0, out])
    pieces = tf.TensorArray(tf.float32, size=2).split(tf.reshape(x, [6]), [3, 3])
    with tf.control_dependencies([out.close()]):
        size = tf.cast(out.size(), tf.float32)
    return out.gather([1, 0]), pieces.concat() + size


CASES = [
    Case("loop", "Exit", _doubling, (V,), lambda x: x * 8),
    Case("loop-ref", "Exit", _assigning, (V,), lambda x: x + 3 * x[0, 0]),
    Case(
        "arrays",
        "TensorArrayGatherV3",
        lambda x: _arrays(x)[0],
        (V,),
        lambda x: x[::-1] * 10,
        modes=("full",),
        exact_static=False,  # as TF: a gather's first dimension is left unknown
    ),
    Case(
        "array-concat",
        "AddV2",
        lambda x: _arrays(x)[1],
        (V,),
        lambda x: x.reshape(6) + 2,
        modes=("full",),
    ),
]


def _stack(x):
    g = tf.get_default_graph()
    handle = g.create_op("StackV2", [tf.constant(-1)], {"elem_type": tf.float32, "stack_name": ""})
    push = g.create_op("StackPushV2", [handle.outputs[0], x], {"swap_memory": False})
    with tf.control_dependencies([push]):
        return g.create_op("StackPopV2", [handle.outputs[0]], {"elem_type": tf.float32}).outputs[0]


CASES.append(Case("stack", "StackPopV2", _stack, (V,), lambda x: x, exact_static=False))


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


# -- gradients (finite differences) --------------------------------------------------------

W = np.array([0.5, -1.0, 0.25])
X = np.array([0.3, -0.2, 0.1])


def _recurrence(x, w):
    return tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, tf.sin(h) * w + h), [0, x])[1]


def _nested(x, w):
    def outer(i, h):
        inner = tf.while_loop(lambda j, a: j < i + 1, lambda j, a: (j + 1, tf.sin(a) * w), [0, h])
        return i + 1, tf.cond(tf.reduce_sum(inner[1]) > 0.0, lambda: inner[1], lambda: -inner[1])

    return tf.while_loop(lambda i, h: i < 3, outer, [0, x])[1]


def _capped(x, w):
    def body(i, h):
        return i + 1, h * h * 0.5 + w

    return tf.while_loop(lambda i, h: i < 100, body, (0, x), maximum_iterations=2)[1]


def _array_recurrence(x, w):
    rows = tf.TensorArray(tf.float64, size=3).unstack(tf.reshape(x, [3, 1]) * w)
    out = tf.TensorArray(tf.float64, size=3)

    def step(t, h, out):
        h = tf.tanh(h * w + rows.read(t))
        return t + 1, h, out.write(t, h)

    _, _, out = tf.while_loop(lambda t, *_: t < 3, step, [0, tf.zeros([3], tf.float64), out])
    return out.stack()


def _array_pieces(x, w):
    pieces = tf.TensorArray(tf.float64, 2, clear_after_read=False, infer_shape=False)
    pieces = pieces.split(x * w, [2, 1])
    return pieces.concat() * tf.concat([pieces.read(0), tf.ones([1], tf.float64)], 0)


def _start_read_inside(x, w):
    # w is both a loop variable's start and a value the body reads: both gradients count.
    return tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * w + x), [0, w])[1]


GRAD_CASES = [
    GradCase("recurrence", _recurrence, (X, W)),
    GradCase("start-also-read-inside", _start_read_inside, (X, W)),
    GradCase("nested-and-cond", _nested, (X, W)),
    GradCase("maximum-iterations", _capped, (X, W)),
    GradCase("tensor-arrays", _array_recurrence, (X, W)),
    GradCase("split-concat", _array_pieces, (X, W)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_through_loops_match_finite_differences(case):
    check_gradient_case(case)


def test_gradients_stop_at_back_prop_false(graph):
    x = tf.placeholder(tf.float32, [])
    y = tf.while_loop(lambda i, h: i < 2, lambda i, h: (i + 1, h * h), [0, x], back_prop=False)
    assert tf.gradients(y[1], x) == [None]


def test_forward_only_runs_push_nothing(graph):
    # The gradient's stack pushes run only in runs that also run the gradient loop.
    x = tf.placeholder(tf.float32, [2])
    _, h = tf.while_loop(lambda i, h: i < 4, lambda i, h: (i + 1, tf.sin(h)), [0, x])
    (gx,) = tf.gradients(h, x)
    pushes = [op for op in graph.get_operations() if op.type == "StackPushV2"]
    assert pushes
    with tf.Session() as sess:
        np.testing.assert_allclose(
            sess.run(h, {x: [0.1, 0.2]}), np.sin(np.sin(np.sin(np.sin([0.1, 0.2])))), rtol=1e-6
        )
        plan = next(iter(sess._plans.values()))
        loop_step = next(step.kernel for step in plan.steps if hasattr(step.kernel, "body"))
        assert not {s.op for s in loop_step.body.steps} & set(pushes)
        value = sess.run(gx, {x: [0.1, 0.2]})
    want = np.ones(2)
    for v in (
        np.sin(np.sin(np.sin([0.1, 0.2]))),
        np.sin(np.sin([0.1, 0.2])),
        np.sin([0.1, 0.2]),
        np.array([0.1, 0.2]),
    ):
        want = want * np.cos(v)
    np.testing.assert_allclose(value, want, rtol=1e-5)


# -- running -------------------------------------------------------------------------------


def test_loop_runs_and_fetches_by_name(graph):
    x = tf.placeholder(tf.float32, [2], name="x")
    _, h = tf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, h * 2.0), [0, x], name="rec")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(h, {x: [1.0, -2.0]}), [8.0, -16.0])
        assert sess.run("rec/Exit:0", {x: [1.0, 1.0]}) == 3


def test_trip_count_from_data_and_maximum_iterations(graph):
    n = tf.placeholder(tf.int32, [])
    count = tf.while_loop(lambda i: i < n, lambda i: i + 1, [0])
    capped = tf.while_loop(lambda i: i < n, lambda i: i + 1, [0], maximum_iterations=5)
    with tf.Session() as sess:
        assert sess.run([count, capped], {n: 3}) == [3, 3]
        assert sess.run([count, capped], {n: 9}) == [9, 5]
        assert sess.run(count, {n: -1}) == 0  # the body never runs


def test_nested_structures_and_namedtuples(graph):
    State = collections.namedtuple("State", "c h")
    out = tf.while_loop(
        lambda s, d: s.c < 3,
        lambda s, d: (State(s.c + 1, s.h * 2.0), {"n": d["n"] + 1, "v": d["v"] - 1.0}),
        (State(0, tf.constant(1.0)), {"n": 10, "v": 0.0}),
    )
    assert isinstance(out[0], State) and sorted(out[1]) == ["n", "v"]
    with tf.Session() as sess:
        state, d = sess.run(out)
    assert (state.c, state.h, d["n"], d["v"]) == (3, 8.0, 13, -3.0)


def test_nested_loops_and_cond_inside(graph):
    def outer_body(i, total):
        inner = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a + 1.0), [0, total])[1]
        return i + 1, tf.cond(i < 2, lambda: inner + 100.0, lambda: inner)

    _, total = tf.while_loop(lambda i, t: i < 4, outer_body, [0, 0.0])
    with tf.Session() as sess:
        # i = 0..3 adds i, plus 100 for i = 0, 1
        assert sess.run(total) == 0 + 1 + 2 + 3 + 200


def test_loop_inside_a_cond_runs_only_when_taken(graph):
    p = tf.placeholder(tf.bool, [])
    y = tf.cond(p, lambda: tf.while_loop(lambda i: i < 4, lambda i: i + 1, [0]), lambda: -1)
    with tf.Session() as sess:
        assert sess.run(y, {p: True}) == 4
        assert sess.run(y, {p: False}) == -1


def test_variables_read_and_made_inside_the_body(graph):
    w = tf.get_variable("w", [], initializer=tf.constant_initializer(3.0))

    def body(i, h):
        with tf.variable_scope("cell", reuse=tf.AUTO_REUSE):
            b = tf.get_variable("b", [], initializer=tf.constant_initializer(1.0))
        return i + 1, h * w + b

    _, h = tf.while_loop(lambda i, h: i < 2, body, [0, 1.0])
    names = [v.name for v in tf.global_variables()]
    assert names == ["w:0", "cell/b:0"]
    b_init = graph.get_operation_by_name("cell/b/Initializer/Const")
    assert b_init._frame is None and not b_init.control_inputs  # made outside the loop
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(h) == (1.0 * 3 + 1) * 3 + 1


def test_assignments_inside_the_body_run_each_iteration(graph):
    v = tf.Variable(0.0, name="v")

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 2.0)]):
            return i + 1

    loop = tf.while_loop(lambda i: i < 3, body, [0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(loop) == 3
        assert sess.run(v) == 6.0


def test_a_failing_run_inside_a_loop_changes_nothing(graph):
    v = tf.Variable(0.0, name="v")
    ta = tf.TensorArray(tf.float32, size=2)

    def body(i, ta):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return i + 1, ta.write(i, 1.0)  # the third write is out of range

    _, ta = tf.while_loop(lambda i, ta: i < 3, body, [0, ta])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="not resizeable and size is: 2"):
            sess.run(ta.stack())
        assert sess.run(v) == 0.0  # all or nothing: the two assign_adds that ran are undone


def test_fetching_or_feeding_inside_a_loop_is_refused_as_in_tf1(graph):
    tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0])
    with tf.Session() as sess:
        with pytest.raises(ValueError, match="Operation while/add has been marked as not fetch"):
            sess.run("while/add:0")
        with pytest.raises(ValueError, match="Tensor while/add:0 may not be fed"):
            sess.run("while/Exit:0", {"while/add:0": 5})
        assert sess.run("while/Exit:0") == 3


def test_body_changing_a_dtype_is_refused_with_the_variable_named(graph):
    with pytest.raises(TypeError, match="loop variable 0 .* enters the loop as float32"):
        tf.while_loop(lambda h: h < 5.0, lambda h: tf.cast(h, tf.int32), [1.0])


# -- TensorArray ---------------------------------------------------------------------------


def test_recurrence_over_tensor_arrays(graph):
    x = tf.placeholder(tf.float32, [5, 2, 3])
    inputs = tf.TensorArray(tf.float32, size=5).unstack(x)
    out = tf.TensorArray(tf.float32, size=5)

    def step(t, h, out):
        h = tf.tanh(h + inputs.read(t))
        return t + 1, h, out.write(t, h)

    _, h, out = tf.while_loop(lambda t, *_: t < 5, step, [0, tf.zeros([2, 3]), out])
    hs = out.stack()
    assert hs.shape.as_list() == [5, 2, 3]
    values = np.random.default_rng(0).standard_normal((5, 2, 3)).astype(np.float32)
    want, state = [], np.zeros((2, 3), np.float32)
    for t in range(5):
        state = np.tanh(state + values[t])
        want.append(state)
    with tf.Session() as sess:
        got, last = sess.run([hs, h], {x: values})
    np.testing.assert_allclose(got, np.stack(want), rtol=1e-6)
    np.testing.assert_allclose(last, want[-1], rtol=1e-6)


def test_dynamic_size_grows_and_unwritten_elements_read_as_zeros(graph):
    grown = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(3, 1.0)
    partial = tf.TensorArray(tf.float32, size=3).write(0, 1.0)
    with tf.Session() as sess:
        assert sess.run(grown.stack()).tolist() == [0.0, 0.0, 0.0, 1.0]
        assert sess.run(grown.size()) == 4
        assert sess.run(partial.stack()).tolist() == [1.0, 0.0, 0.0]


def test_gather_scatter_concat_split(graph):
    ta = tf.TensorArray(tf.float32, 3).scatter([2, 0], [[1.0], [3.0]]).write(1, [5.0])
    parts = tf.TensorArray(tf.float32, 2, infer_shape=False).write(0, [1.0, 2.0]).write(1, [3.0])
    split = tf.TensorArray(tf.float32, 2, infer_shape=False).split([1.0, 2.0, 3.0], [2, 1])
    with tf.Session() as sess:
        assert sess.run(ta.stack()).tolist() == [[3.0], [5.0], [1.0]]
        assert sess.run(ta.gather([2, 0])).tolist() == [[1.0], [3.0]]
        assert sess.run(parts.concat()).tolist() == [1.0, 2.0, 3.0]
        assert sess.run(split.read(0)).tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: tf.TensorArray(tf.float32, 3).read(1), "Could not read from TensorArray index 1"),
        (
            lambda: tf.TensorArray(tf.float32, 3).write(1, 1.0).write(1, 2.0).read(1),
            "Could not write to TensorArray index 1 because it has already been written to.",
        ),
        (
            lambda: tf.TensorArray(tf.float32, 3).write(5, 1.0).read(0),
            "Tried to write to index 5 but array is not resizeable and size is: 3",
        ),
        (
            lambda: tf.TensorArray(tf.float32, 3).write(0, 1.0).read(7),
            "Tried to read from index 7 but array size is: 3",
        ),
        (
            lambda: (lambda ta: ta.read(0) + ta.read(0))(
                tf.TensorArray(tf.float32, 3).write(0, 1.0)
            ),
            "Could not read index 0 twice because it was cleared after a previous read",
        ),
    ],
)
def test_run_time_errors_name_the_array_and_index(graph, make, message):
    value = make()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=message):
            sess.run(value)
        assert sess.run(tf.constant(1)) == 1  # the session stays usable


def test_writing_another_dtype_is_refused_while_building(graph):
    with pytest.raises(
        TypeError, match="TensorArray dtype is float32 but the value written is int32"
    ):
        tf.TensorArray(tf.float32, 2).write(0, tf.constant(1))


def test_indexed_slices_and_sparse_tensors_as_loop_variables(graph):
    table = tf.placeholder(tf.float32, [5, 2])
    ids = tf.placeholder(tf.int32, [None])
    (rows,) = tf.gradients(tf.reduce_sum(tf.gather(table, ids)), table)
    assert isinstance(rows, tf.IndexedSlices)

    def gather_more(i, acc):  # the IndexedSlices gains rows each iteration
        values = tf.concat([acc.values, rows.values * tf.cast(i, tf.float32)], 0)
        return i + 1, tf.IndexedSlices(values, tf.concat([acc.indices, rows.indices], 0))

    start = tf.IndexedSlices(tf.zeros([0, 2]), tf.zeros([0], tf.int32))
    _, acc = tf.while_loop(lambda i, a: i < 3, gather_more, [0, start])
    assert isinstance(acc, tf.IndexedSlices) and acc.values.shape.as_list() == [None, 2]
    sp = tf.SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    _, doubled = tf.while_loop(
        lambda i, s: i < 2,
        lambda i, s: (i + 1, tf.SparseTensor(s.indices, s.values * 2.0, s.dense_shape)),
        [0, sp],
    )
    with tf.Session() as sess:
        value = sess.run(acc, {table: np.ones([5, 2]), ids: [0, 3]})
        assert value.indices.tolist() == [0, 3] * 3
        assert value.values[:, 0].tolist() == [0.0, 0.0, 1.0, 1.0, 2.0, 2.0]
        assert sess.run(doubled).values.tolist() == [4.0, 8.0]


def test_an_interrupted_loop_changes_nothing_and_the_session_goes_on(graph):
    v = tf.Variable(0.0, name="v")

    def interrupt(i):
        if i == 5:
            raise KeyboardInterrupt
        return i

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return tf.reshape(tf.py_func(interrupt, [i + 1], tf.int32), [])

    never_ends = tf.while_loop(lambda i: i >= 0, body, [0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(KeyboardInterrupt):
            sess.run(never_ends)
        assert sess.run(v) == 0.0  # the four assign_adds that ran are undone
        assert sess.run(tf.assign_add(v, 2.0)) == 2.0


def test_gradients_inside_a_loop_body_run_each_iteration(graph):
    # Gradient descent as a loop: tf.gradients of a body value, of a loop variable and of a
    # variable read in the body (values printed by TF 2.21 for the same graph).
    x0 = tf.placeholder(tf.float32, [3])
    a = tf.constant([1.0, 2.0, 3.0])

    def descend(i, x):
        f = tf.reduce_sum(tf.square(x - a) * tf.cast(i + 1, tf.float32))
        (g,) = tf.gradients(f, x)
        return i + 1, x - 0.05 * g

    _, x = tf.while_loop(lambda i, x: i < 5, descend, [tf.constant(0), x0])
    w = tf.Variable([0.5, -1.0], name="w")

    def accumulate(i, total):
        (g,) = tf.gradients(tf.reduce_sum(tf.sin(w * tf.cast(i, tf.float32))), w)
        return i + 1, total + g

    _, total = tf.while_loop(lambda i, t: i < 4, accumulate, [tf.constant(0), tf.zeros([2])])
    assert "while/gradients/while/Square_grad/Mul" in [op.name for op in graph.get_operations()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        x_value, total_value = sess.run([x, total], {x0: [0.0, 0.5, -1.0]})
    np.testing.assert_allclose(x_value, [0.8488, 1.7732, 2.3952], rtol=1e-6)
    np.testing.assert_allclose(total_value, [2.1703987, -3.2619688], rtol=1e-6)


def test_gradients_of_a_loop_value_outside_its_body_are_refused_with_the_fix(graph):
    x = tf.placeholder(tf.float32, [])
    inside = []

    def body(i, h):
        inside.append(h * h)
        return i + 1, h

    tf.while_loop(lambda i, h: i < 2, body, [0, x])
    with pytest.raises(NotImplementedError, match="computed inside tf.while_loop 'while'"):
        tf.gradients(inside[0], x)
