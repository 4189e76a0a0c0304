"""Tests for scopeflow/session/fusion.py: elementwise steps written into dying inputs and
chains of exact elementwise ops (a numexpr pass when large) give the plain loop's bits for
every op type in ``fusion.RULES``, with NaN, infinities and signed zeros, in float32 and
float64, on one thread or two; feeds, variables and fetched values are never written; a
fetched intermediate is not fused away; a failing op inside a chain is named in the error."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.core.infer import apply_op
from scopeflow.session import fusion, numpy_executor

RNG = np.random.default_rng(13)
SHAPE = (64, 96)  # 6,144 elements: above fusion.IN_PLACE_MIN_SIZE
SPECIALS = [np.nan, np.inf, -np.inf, 0.0, -0.0, 6.0, -6.0, 1e-40, 1e30, -1e30, 1.0]
OTHER = {np.float32: np.float64, np.float64: np.float32}


def _values(shape=SHAPE, dtype=np.float64) -> np.ndarray:
    """Normal values with every special value at random places."""
    x = RNG.standard_normal(shape) * 4
    flat = x.reshape(-1)
    flat[RNG.choice(flat.size, 4 * len(SPECIALS), replace=False)] = SPECIALS * 4
    return x.astype(dtype)


def _bits(a) -> bytes:
    a = np.ascontiguousarray(a)
    return a.dtype.str.encode() + str(a.shape).encode() + a.tobytes()


@pytest.fixture
def recorded(monkeypatch):
    """The op types whose results were written into one of their inputs."""
    seen: list = []
    run_into = fusion.run_into

    def recording(ctx, rule, args, out):
        if any(out is a for a in args):
            seen.append(next(name for name, r in fusion.RULES.items() if r is rule))
        return run_into(ctx, rule, args, out)

    monkeypatch.setattr(fusion, "run_into", recording)
    return seen


def _run(build, feeds: dict, fused: bool, monkeypatch, intra: int = 1):
    """``build()``'s fetches, run on a fresh graph and session with the executor's rewrite of
    the plan (``fused``) or its plain steps, and the chains the executor ran."""
    with monkeypatch.context() as m:
        if not fused:
            m.setattr(numpy_executor, "prepare_steps", lambda plan, error: plan.steps)
        with tf.Graph().as_default():
            placeholders, fetches = build()
            config = tf.ConfigProto(intra_op_parallelism_threads=intra)
            with tf.Session(config=config) as sess:
                feed = {placeholders[k]: v for k, v in feeds.items()}
                return sess.run(fetches, feed), _chain_steps(sess)


def _fresh(dtype, name):
    """A placeholder of the other float dtype cast to ``dtype``: a value the run produces."""
    p = tf.placeholder(OTHER[dtype], None, name=name)
    return p, tf.cast(p, dtype)


# Each op type of fusion.RULES over produced values a and b (same shape) and c (a bias).
BUILDERS = {
    "AddV2": lambda a, b, c: tf.add(a, b),
    "BiasAdd": lambda a, b, c: tf.nn.bias_add(a, c),
    "Sub": lambda a, b, c: tf.subtract(a, b),
    "Mul": lambda a, b, c: tf.multiply(a, b),
    "RealDiv": lambda a, b, c: tf.realdiv(a, b),
    "Maximum": lambda a, b, c: tf.maximum(a, b),
    "Minimum": lambda a, b, c: tf.minimum(a, b),
    "Neg": lambda a, b, c: tf.negative(a),
    "Square": lambda a, b, c: tf.square(a),
    "Sqrt": lambda a, b, c: tf.sqrt(a),
    "Relu": lambda a, b, c: tf.nn.relu(a),
    "Relu6": lambda a, b, c: tf.nn.relu6(a),
    "ReluGrad": lambda a, b, c: apply_op("ReluGrad", [a, b]),
    "Exp": lambda a, b, c: tf.exp(a),
    "Tanh": lambda a, b, c: tf.tanh(a),
}


def _feeds(dtype) -> dict:
    other = OTHER[dtype]
    return {"a": _values(dtype=other), "b": _values(dtype=other), "c": _values(96, other)}


def test_every_rule_has_a_builder_and_is_a_registered_op():
    from scopeflow.framework.registry import get_op_def

    assert set(BUILDERS) == set(fusion.RULES)
    for op_type in fusion.RULES:
        assert get_op_def(op_type).kernel is not None


@pytest.mark.parametrize("intra", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op_type", sorted(BUILDERS))
def test_in_place_gives_the_kernels_bits(monkeypatch, recorded, op_type, dtype, intra):
    def build():
        (pa, a), (pb, b), (pc, c) = (_fresh(dtype, n) for n in "abc")
        return {"a": pa, "b": pb, "c": pc}, BUILDERS[op_type](a, b, c)

    feeds = _feeds(dtype)
    plain, _ = _run(build, feeds, False, monkeypatch, intra)
    fused, _ = _run(build, feeds, True, monkeypatch, intra)
    assert _bits(fused) == _bits(plain)
    assert recorded == [op_type]  # the executor's references were counted right


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_results_are_split_over_threads_with_the_same_bits(monkeypatch, dtype):
    monkeypatch.setattr(fusion, "IN_PLACE_MIN_SIZE", 1)

    def build():
        (pa, a), (pb, b) = (_fresh(dtype, n) for n in "ab")
        return {"a": pa, "b": pb}, tf.nn.relu(a + b) * b

    feeds = {"a": _values((40, 30), OTHER[dtype]), "b": _values((40, 30), OTHER[dtype])}
    plain, _ = _run(build, feeds, False, monkeypatch, 2)
    with monkeypatch.context() as m:
        from scopeflow.ops.kernels import parallel

        m.setattr(parallel.Threads, "elementwise_spans", lambda self, n, nbytes: [(0, 7), (7, n)])
        fused, _ = _run(build, feeds, True, monkeypatch, 2)
    assert _bits(fused) == _bits(plain)


def test_feeds_variables_constants_and_fetched_values_are_never_written(monkeypatch, recorded):
    x_value = _values(dtype=np.float32)
    v_value = _values(dtype=np.float32)
    c_value = _values(dtype=np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, SHAPE)
        v = tf.Variable(v_value)
        c = tf.constant(c_value)
        fetched = tf.cast(tf.cast(x, tf.float64), tf.float32)  # produced, and fetched
        outs = [tf.nn.relu(x), tf.nn.relu(v), tf.nn.relu(c), tf.negative(fetched)]
        with tf.Session() as sess:
            sess.run(v.initializer)
            fed = x_value.copy()
            results = sess.run([*outs, fetched], {x: fed})
            assert _bits(fed) == _bits(x_value)
            assert _bits(sess.run(v)) == _bits(v_value)
            assert _bits(sess.run(c)) == _bits(c_value)
    assert _bits(results[-1]) == _bits(x_value)
    assert recorded == []


def test_a_reshaped_fresh_array_is_written_and_a_split_is_not(recorded):
    """Batch normalization returns its result reshaped (a view of an array nothing else
    holds): ReLU writes into it. The halves of a split share one array: never written."""
    x_value = RNG.standard_normal((8, 16, 16, 32)).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, x_value.shape)
        normed = tf.layers.batch_normalization(x, training=True)
        halves = tf.split(tf.cast(tf.cast(x, tf.float64), tf.float32), 2)
        outs = [tf.nn.relu(normed), tf.nn.relu(halves[0]), tf.negative(halves[1])]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            relu_bn, relu_half, neg_half = sess.run(outs, {x: x_value})
            assert recorded == ["Relu"]
            expected = np.maximum(sess.run(normed, {x: x_value}), np.float32(0))
    assert _bits(relu_half) == _bits(np.maximum(x_value[:4], np.float32(0)))
    assert _bits(neg_half) == _bits(-x_value[4:])
    assert _bits(relu_bn) == _bits(expected)


def _chain_steps(sess) -> list:
    plan = list(sess._plans.values())[-1]
    return [s.kernel for s in plan.prepared[0] if isinstance(s.kernel, fusion.Chain)]


def test_a_chain_is_one_step_and_a_fetched_intermediate_is_not_fused_away(monkeypatch):
    def build(fetch_inner):
        def inner():
            (pa, a), (pb, b) = (_fresh(np.float32, n) for n in "ab")
            d = a - b
            out = d * b
            return {"a": pa, "b": pb}, [out, d] if fetch_inner else out

        return inner

    feeds = {"a": _values(), "b": _values()}
    _, chains = _run(build(False), feeds, True, monkeypatch)
    assert [[s.op.type for s in c.steps] for c in chains] == [["Sub", "Mul"]]
    assert chains[0].expression == "((a0 - a1) * a1)"
    assert _run(build(True), feeds, True, monkeypatch)[1] == []


def test_relu_after_a_compound_term_starts_no_chain(monkeypatch):
    """ReLU's selection names its operand four times: numexpr would compute a + b four
    times, so the add and the ReLU stay two steps (each in place)."""

    def build():
        (pa, a), (pb, b) = (_fresh(np.float32, n) for n in "ab")
        return {"a": pa, "b": pb}, tf.nn.relu(a + b)

    assert _run(build, {"a": _values(), "b": _values()}, True, monkeypatch)[1] == []


# Chains of the exact ops, each starting from produced or fed values.
CHAINS = {
    "sub-mul": lambda a, b, c: (a - b) * b,
    "div-relu_grad": lambda a, b, c: apply_op("ReluGrad", [a / b, b]),
    "relu-bias-neg-sqrt": lambda a, b, c: tf.sqrt(-tf.nn.bias_add(tf.nn.relu(a), c)),
    "max-min-relu6": lambda a, b, c: tf.minimum(tf.maximum(a, b) + b, a) * tf.nn.relu6(b),
    "square-add-div": lambda a, b, c: (tf.square(a) + b) / a - b,
    "max-second": lambda a, b, c: tf.maximum(b, a * b) + tf.minimum(b, a - b),
}


@pytest.mark.parametrize("intra", [1, 2])
@pytest.mark.parametrize("large", [False, True], ids=["one-by-one", "numexpr"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(CHAINS))
def test_chains_give_the_plain_loops_bits(monkeypatch, name, dtype, large, intra):
    if large:
        numexpr = pytest.importorskip("numexpr")
        monkeypatch.setattr(fusion, "NUMEXPR_MIN_BYTES", 0)
        evaluated = []
        evaluate = numexpr.evaluate
        monkeypatch.setattr(
            numexpr, "evaluate", lambda *a, **k: evaluated.append(a[0]) or evaluate(*a, **k)
        )

    def build():
        (pa, a), (pb, b) = (_fresh(dtype, n) for n in "ab")
        pc = tf.placeholder(dtype, None, name="c")
        return {"a": pa, "b": pb, "c": pc}, CHAINS[name](a, b, pc)

    feeds = _feeds(dtype)
    feeds["c"] = feeds["c"].astype(dtype)
    plain, _ = _run(build, feeds, False, monkeypatch, intra)
    fused, chains = _run(build, feeds, True, monkeypatch, intra)
    assert _bits(fused) == _bits(plain)
    assert chains
    if large:
        assert sorted(evaluated) == sorted(c.expression for c in chains)
        assert fusion._numexpr_module().get_num_threads() == intra


def _error_graph(fault: str):
    """A chain Sub -> ReluGrad -> Mul over placeholders of unknown shapes."""
    a = tf.placeholder(tf.float32, None, name="a")
    b = tf.placeholder(tf.float32, None, name="b")
    g = tf.placeholder(tf.float32, None, name="g")
    d = tf.subtract(a, b, name="difference")
    r = apply_op("ReluGrad", [d, g], name="masked")
    out = tf.multiply(r, g, name="product")
    values = {a: np.ones((8, 4), np.float32), b: np.ones(4, np.float32)}
    values[g] = np.ones((8, 4) if fault != "relu_grad" else (8, 1), np.float32)
    if fault == "sub":
        values[b] = np.ones(3, np.float32)
    return out, values


@pytest.mark.parametrize("large", [False, True], ids=["one-by-one", "numexpr"])
@pytest.mark.parametrize(
    "fault, op_name", [("sub", "difference"), ("relu_grad", "masked")], ids=["first", "middle"]
)
def test_an_error_inside_a_chain_names_its_op(monkeypatch, fault, op_name, large):
    if large:
        pytest.importorskip("numexpr")
        monkeypatch.setattr(fusion, "NUMEXPR_MIN_BYTES", 0)
    messages = []
    for fused in (False, True):
        with monkeypatch.context() as m:
            if not fused:
                m.setattr(numpy_executor, "prepare_steps", lambda plan, error: plan.steps)
            with tf.Graph().as_default():
                out, values = _error_graph(fault)
                with tf.Session() as sess:
                    with pytest.raises(tf.errors.InvalidArgumentError) as info:
                        sess.run(out, values)
                    if fused:
                        assert _chain_steps(sess)
        assert info.value.op.name == op_name
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert f"node {op_name} " in messages[1]


def test_a_failed_chain_leaves_variables_unchanged(monkeypatch):
    with tf.Graph().as_default():
        v = tf.Variable(np.zeros(4, np.float32))
        a = tf.placeholder(tf.float32, None)
        b = tf.placeholder(tf.float32, None)
        step = tf.assign_add(v, tf.ones(4))
        with tf.control_dependencies([step]):
            out = tf.negative(a - b) * a
        with tf.Session() as sess:
            sess.run(v.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Sub"):
                sess.run(out, {a: np.ones(4, np.float32), b: np.ones(3, np.float32)})
            assert _chain_steps(sess)
            assert sess.run(v).tolist() == [0, 0, 0, 0]


def test_plans_with_cond_keep_one_step_per_op_and_write_in_place(monkeypatch, recorded):
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float64, SHAPE)
        x = tf.cast(p, tf.float32)
        flag = tf.placeholder(tf.bool, [])
        out = tf.cond(flag, lambda: tf.nn.relu(x * 2.0), lambda: x - 1.0)
        with tf.Session() as sess:
            value = _values()
            result = sess.run(out, {p: value, flag: True})
            plan = list(sess._plans.values())[-1]
            assert len(plan.prepared[0]) == len(plan.steps)
    expected = np.maximum(value.astype(np.float32) * np.float32(2), np.float32(0))
    assert _bits(result) == _bits(expected)
    assert "Relu" in recorded


def test_a_replaced_plan_prepares_its_own_steps():
    import dataclasses

    from scopeflow.session.plan import compile_plan

    with tf.Graph().as_default():
        out = tf.constant(1.0) + 1.0
        plan = compile_plan([out], [])
        plan.prepared.append(plan.steps)
        assert dataclasses.replace(plan, steps=plan.steps[:1]).prepared == []
