"""Tests for scopeflow/ops/control/script.py: ``tf.py_func``, ``tf.numpy_function`` and
``tf.py_function`` build TF1's ops (names, attributes, unknown shapes), call the function
with NumPy values when run, check its results against ``Tout`` with TF1's messages, and turn
its exceptions into TF1's error classes with the function's own traceback.

Expected graphs are TensorFlow 2.21's own, recorded in ``tests/data/tf_reference/script.json``
by ``tools/tf_reference.py``, except the ``token`` attribute, which both number over the whole
process (``pyfunc_7``), so it depends on what ran before. Run-time
behaviour (argument types, error classes and messages) was read from TF 2.21.
"""

from __future__ import annotations

import gc
import re
import weakref

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("script")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]


def _without_token(record: dict) -> dict:
    """``record`` with TF's process-wide ``token`` left out (see the module docstring)."""
    out = {k: v for k, v in record.items() if k not in ("attrs", "outputs")}
    if "attrs" in record:
        out["attrs"] = {k: v for k, v in record["attrs"].items() if k != "token"}
    if "outputs" in record:
        out["outputs"] = [_without_token(r) for r in record["outputs"]]
    return out


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    want = _without_token(expected(GROUPS["EXPRESSIONS"][expr], None))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None))


def test_tokens_count_the_functions_of_the_process():
    tokens = []
    for _ in range(2):
        with tf.Graph().as_default():
            x = tf.constant(1.0)
            ops = [tf.py_func(abs, [x], tf.float32).op, tf.py_function(abs, [x], tf.float32).op]
            tokens += [int(op.get_attr("token").removeprefix(b"pyfunc_")) for op in ops]
    assert tokens == list(range(tokens[0], tokens[0] + 4))


def test_imported_op_calls_the_exporting_graphs_function_while_it_lives():
    g = tf.Graph()
    with g.as_default():
        tf.py_func(lambda a: a * 2, [tf.constant(3.0)], tf.float32, name="f")
    graph_def = g.as_graph_def()
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            assert sess.run("f:0") == 6.0
    del g
    gc.collect()
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Could not find callback"):
                sess.run("f:0")


X = np.float32([[0.5, -1, 2], [0, 1, -3]])

# fmt: off
CASES = [
    Case("py-func", "PyFunc", lambda x: tf.py_func(np.square, [x], tf.float32), (X,),
         np.square, exact_static=False),
    Case("py-func-stateless", "PyFuncStateless",
         lambda x, i: tf.py_func(lambda a, b: [a * 2, b], [x, i], [tf.float32, tf.int32],
                                 stateful=False),
         (X, np.int32(3)), lambda x, i: [x * 2, i], exact_static=False),
    Case("eager-py-func", "EagerPyFunc",
         lambda x: tf.py_function(lambda a: a.numpy().sum(), [x], tf.float64), (X,),
         lambda x: np.float64(x.sum()), exact_static=False),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_arguments_are_numpy_values_the_function_may_change(run):
    seen = []

    def record(a, s, v):
        seen.append((a, s, v))
        a += 10.0  # a copy: the constant's value is not touched
        return a

    c = tf.constant([1.0, 2.0])
    y = tf.py_func(record, [c, tf.constant(b"hi"), tf.constant(3.5)], tf.float32)
    assert run([y, c * 1.0])[1].tolist() == [1.0, 2.0]
    a, s, v = seen[0]
    assert type(a) is np.ndarray and a.dtype == np.float32 and a.flags.writeable
    assert (s, type(v), v) == (b"hi", np.float32, 3.5)
    strings = tf.py_func(lambda t: t, [tf.constant(["a", "bc"])], tf.string)
    assert run(strings).tolist() == [b"a", b"bc"]


def test_py_function_arguments_have_numpy(run):
    seen = []

    def record(a, s):
        seen.append((a.numpy(), s.numpy()))
        return a * 2, s

    x = tf.constant([1, 2], dtype=tf.int64)
    outs = tf.py_function(record, [x, tf.constant("txt")], [tf.int64, tf.string])
    doubled, text = run(outs)
    assert doubled.tolist() == [2, 4] and text == b"txt"
    a, s = seen[0]
    assert type(a) is np.ndarray and a.tolist() == [1, 2] and s == b"txt"


# (result, Tout, error class, TF 2.21's message) for py_func results that do not fit Tout.
BAD_RESULTS = [
    (np.int64(3), tf.float32, tf.errors.InvalidArgumentError,
     "0-th value returned by pyfunc_0 is int64, but expects float"),
    (2.5, tf.float32, tf.errors.InvalidArgumentError,
     "0-th value returned by pyfunc_0 is double, but expects float"),
    ([1.0, 2.0], tf.float32, tf.errors.InvalidArgumentError,
     "pyfunc_0 returns 2 values, but expects to see 1 values."),
    (None, [tf.float32], tf.errors.InvalidArgumentError,
     "pyfunc_0 returns 0 values, but expects to see 1 values."),
    (3, [], tf.errors.InvalidArgumentError,
     "pyfunc_0 returns 1 values, but expects to see 0 values."),
    (np.float32(1), tf.float16, tf.errors.InvalidArgumentError,
     "0-th value returned by pyfunc_0 is float, but expects half"),
    (np.float32(1), tf.string, tf.errors.InvalidArgumentError,
     "0-th value returned by pyfunc_0 is float, but expects string"),
    ("x", tf.float32, tf.errors.InvalidArgumentError,
     "0-th value returned by pyfunc_0 is string, but expects float"),
    ({"a": 1}, [tf.int64], tf.errors.InternalError, "Unsupported object type dict"),
]  # fmt: skip


@pytest.mark.parametrize(("result", "tout", "error", "message"), BAD_RESULTS)
def test_results_must_fit_tout(run, result, tout, error, message):
    y = tf.py_func(lambda a: result, [tf.constant(1.0)], tout, name="f")
    with pytest.raises(error) as info:
        run(y)
    token = tf.get_default_graph().get_operation_by_name("f").get_attr("token").decode()
    assert info.value.message.splitlines()[0] == message.replace("pyfunc_0", token)
    assert info.value.op.name == "f"


@pytest.mark.parametrize(
    ("result", "tout", "value"),
    [(b"hi", tf.string, b"hi"), ("h\u00e9", tf.string, "h\u00e9".encode()),
     (["a", "bc"], [tf.string, tf.string], [b"a", b"bc"]), ((np.float32(1),), tf.float32, 1.0),
     (np.array([True]), tf.bool, [True]), ([np.int64(1), np.int64(2)], [tf.int64] * 2, [1, 2])],
)  # fmt: skip
def test_results_converted_as_tf1_does(run, result, tout, value):
    out = run(tf.py_func(lambda: result, [], tout))
    # A scalar comes back as a NumPy scalar (bytes for a string), as from TF1.
    items = out if isinstance(out, list) else [out]
    got = [v if isinstance(v, bytes) else v.tolist() for v in items]
    assert (got if isinstance(out, list) else got[0]) == value


@pytest.mark.parametrize(
    ("result", "tout", "value"),
    [(np.int64(3), tf.float32, np.float32(3)), (2.5, tf.float32, np.float32(2.5)),
     (np.arange(3), tf.int32, np.int32([0, 1, 2])), ("t", tf.string, b"t")],
)  # fmt: skip
def test_py_function_results_converted_as_convert_to_tensor(run, result, tout, value):
    out = run(tf.py_function(lambda: result, [], tout))
    if tout == tf.string:
        assert out == value  # a scalar string comes back as bytes
    else:
        assert out.dtype == tout.as_numpy_dtype and np.all(out == value)


def test_py_function_keeps_an_input_s_dtype(run):
    y = tf.py_function(lambda a: a, [tf.constant([1.0])], tf.int32, name="g")
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        run(y)
    assert info.value.message.splitlines()[0] == (
        "ValueError: Tensor conversion requested dtype int32 for Tensor with dtype float32: "
        "array([1.], dtype=float32)"
    )


def _raise(exc):
    def f(a):
        raise exc  # the line the traceback shows

    return f


@pytest.mark.parametrize(
    ("exc", "error"),
    [(ValueError, tf.errors.InvalidArgumentError), (TypeError, tf.errors.InvalidArgumentError),
     (StopIteration, tf.errors.OutOfRangeError),
     (NotImplementedError, tf.errors.UnimplementedError),
     (MemoryError, tf.errors.ResourceExhaustedError), (KeyError, tf.errors.UnknownError),
     (RuntimeError, tf.errors.UnknownError), (tf.errors.OutOfRangeError, tf.errors.UnknownError)],
)  # fmt: skip
@pytest.mark.parametrize("make", [tf.py_func, tf.py_function])
def test_exceptions_become_tf1_errors_with_the_functions_traceback(run, exc, error, make):
    raised = exc(None, None, "oor") if issubclass(exc, tf.errors.OpError) else exc("bad")
    y = make(_raise(raised), [tf.constant(1.0)], tf.float32, name="mybad")
    with pytest.raises(error) as info:
        run(y)
    message = info.value.message
    assert message.splitlines()[0] == f"{exc.__name__}: {raised}"
    assert message.splitlines()[1] == "Traceback (most recent call last):"
    line = _line_of("raise exc  # the line the traceback shows")
    assert f'test_script.py", line {line}, in f' in message
    assert "scopeflow/" not in message.split("\t [[node")[0]  # scopeflow's frames go
    assert "node mybad (op " in message
    assert info.value.op is y.op
    assert info.value.__cause__ is raised


def _line_of(text: str) -> int:
    source = open(__file__, encoding="utf-8").read().splitlines()
    return next(i for i, s in enumerate(source, 1) if s.strip() == text)


def test_failed_function_changes_no_variable_and_the_session_stays_usable(graph):
    v = tf.Variable(1.0, name="v")
    x = tf.placeholder(tf.float32, [])
    checked = tf.py_func(lambda a: a if a > 0 else 1 / 0, [x], tf.float32)
    step = tf.assign_add(v, checked)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.UnknownError, match="ZeroDivisionError"):
            sess.run(step, {x: -1.0})
        assert sess.run(v) == 1.0
        assert sess.run(step, {x: 2.0}) == 3.0


def test_keyboard_interrupt_is_not_turned_into_an_op_error(run):
    def interrupt(a):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(tf.py_func(interrupt, [tf.constant(1.0)], tf.float32))


def test_the_graph_holds_the_function():
    graph = tf.Graph()
    with graph.as_default():

        def double(a):
            return a * 2

        y = tf.py_func(double, [tf.constant(2.0)], tf.float32)
        held = weakref.ref(double)
        del double
        assert held() is not None
        assert tf.Session().run(y) == 4.0
    del y
    del graph
    gc.collect()
    assert held() is None


def test_failed_build_forgets_the_function(graph):
    before = tf.py_func(abs, [tf.constant(1.0)], tf.float32).op.get_attr("token")
    with pytest.raises(TypeError):
        tf.py_func(abs, [tf.constant(1.0)], "no such dtype")
    after = tf.py_func(abs, [tf.constant(1.0)], tf.float32).op.get_attr("token")
    assert int(after.removeprefix(b"pyfunc_")) == int(before.removeprefix(b"pyfunc_")) + 1


def test_no_gradient_unless_one_is_given(run):
    x = tf.constant([1.0, 2.0])
    for y in (tf.py_func(np.square, [x], tf.float32),
              tf.numpy_function(np.square, [x], tf.float32, stateful=False),
              tf.py_function(np.square, [x], tf.float32)):  # fmt: skip
        assert tf.gradients(y, x) == [None]


def test_gradient_through_gradient_override_map(run):
    """TF1's recipe for a py_func with a gradient."""

    @tf.RegisterGradient("SquareGradForTest")
    def _square_grad(op, grad):
        return grad * 2.0 * op.inputs[0]

    graph = tf.get_default_graph()
    x = tf.constant([1.0, 3.0])
    with graph.gradient_override_map({"PyFunc": "SquareGradForTest"}):
        y = tf.py_func(np.square, [x], tf.float32)
    y.set_shape(x.shape)
    assert y.op.get_attr("_gradient_op_type") == b"SquareGradForTest"
    assert run(tf.gradients(y, x)[0]).tolist() == [2.0, 6.0]
    with pytest.raises(KeyError, match=re.escape("Registering two gradient with name 'PyFunc'")):
        tf.RegisterGradient("PyFunc")(_square_grad)
