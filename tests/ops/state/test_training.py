"""Tests for scopeflow/ops/training_ops.py: each update op's kernel against the NumPy update
rules (one step in the kernel table, then several steps, several shapes, float32 and float64),
its shape function and its errors; the sparse ones against the same rules applied row by row
(repeated indices one after another, as TF's kernels do)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case
from tests.train import update_rules

# op type -> (slot initial values, scalar inputs in TF's order with the gradient's position
# marked by "grad", attrs, the NumPy rule as fn(var, *slots, grad) -> (var, *slots))
CASES = {
    "ApplyGradientDescent": (
        [],
        [0.1, "grad"],
        {},
        lambda v, g: update_rules.gradient_descent(v, g, 0.1),
    ),
    "ApplyMomentum": (
        [0.0],
        [0.1, "grad", 0.9],
        {},
        lambda v, a, g: update_rules.momentum(v, a, g, 0.1, 0.9),
    ),
    "ApplyAdagrad": ([0.1], [0.2, "grad"], {}, lambda v, a, g: update_rules.adagrad(v, a, g, 0.2)),
    "ApplyRMSProp": (
        [1.0, 0.0],
        [0.01, 0.9, 0.5, 1e-6, "grad"],
        {},
        lambda v, ms, mom, g: update_rules.rms_prop(v, ms, mom, g, 0.01, 0.9, 0.5, 1e-6),
    ),
    "ApplyCenteredRMSProp": (
        [0.0, 1.0, 0.0],
        [0.01, 0.9, 0.5, 1e-6, "grad"],
        {},
        lambda v, mg, ms, mom, g: update_rules.centered_rms_prop(
            v, mg, ms, mom, g, 0.01, 0.9, 0.5, 1e-6
        ),
    ),
    "ApplyAdadelta": (
        [0.0, 0.0],
        [1.0, 0.95, 1e-6, "grad"],
        {},
        lambda v, a, u, g: update_rules.adadelta(v, a, u, g, 1.0, 0.95, 1e-6),
    ),
}


def _variable(value, name, dtype):
    return tf.Variable(np.asarray(value, dtype.as_numpy_dtype), name=name)


def _build(op_type, shape, dtype, slots, scalars, attrs, grad=None):
    rng = np.random.default_rng(0)
    var = _variable(rng.normal(size=shape), "var", dtype)
    slot_vars = [_variable(np.full(shape, s), f"slot_{i}", dtype) for i, s in enumerate(slots)]
    if grad is None:
        grad = tf.placeholder(dtype, shape, name="grad")
    inputs = [var._ref(), *(s._ref() for s in slot_vars)]
    for s in scalars:
        inputs.append(grad if s == "grad" else tf.constant(s, dtype=dtype))
    out = tf.get_default_graph().create_op(op_type, inputs, attrs).outputs[0]
    return var, slot_vars, grad, out


def _one_step(op_type):
    """``grad -> the variable after one update by op_type`` (from _build's initial values)."""

    def build(grad):
        slots, scalars, attrs, _ = CASES[op_type]
        return _build(op_type, [2, 3], tf.float64, slots, scalars, attrs, grad)[3]

    return build


def _one_step_reference(op_type):
    slots, _, _, rule = CASES[op_type]
    var = np.random.default_rng(0).normal(size=[2, 3])
    return lambda g: rule(var, *(np.full([2, 3], s, np.float64) for s in slots), g)[0]


def _adam_step(grad):
    var = _variable(np.random.default_rng(2).normal(size=[2, 3]), "var", tf.float64)
    m, v = (_variable(np.zeros([2, 3]), name, tf.float64) for name in ("m", "v"))
    powers = [tf.constant(0.9, tf.float64), tf.constant(0.999, tf.float64)]
    hyper = [tf.constant(x, tf.float64) for x in (0.01, 0.9, 0.999, 1e-8)]
    inputs = [var._ref(), m._ref(), v._ref(), *powers, *hyper, grad]
    return tf.get_default_graph().create_op("ApplyAdam", inputs).outputs[0]


G = np.random.default_rng(3).normal(size=[2, 3])
ONE_STEP = [
    Case(op_type, op_type, _one_step(op_type), (G,), _one_step_reference(op_type), 1e-12)
    for op_type in sorted(CASES)
] + [
    Case("ApplyAdam", "ApplyAdam", _adam_step, (G,), lambda g: update_rules.adam(
        np.random.default_rng(2).normal(size=[2, 3]), 0.0, 0.0, g, 1, 0.01)[0], 1e-12),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(ONE_STEP))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("shape", [[], [3], [2, 3]])
@pytest.mark.parametrize("op_type", sorted(CASES))
def test_update_op_follows_its_rule_for_several_steps(run, op_type, shape, dtype):
    slots, scalars, attrs, rule = CASES[op_type]
    var, slot_vars, grad, out = _build(op_type, shape, dtype, slots, scalars, attrs)
    expected = [run(var).astype(np.float64)] + [np.full(shape, s, np.float64) for s in slots]
    rng = np.random.default_rng(1)
    rtol = 1e-5 if dtype == tf.float32 else 1e-12
    for _ in range(4):
        g = rng.normal(size=shape)
        new_value = run(out, {grad: g})
        expected = list(rule(*expected, g))
        np.testing.assert_allclose(new_value, expected[0], rtol=rtol)
        got = run([var, *slot_vars])
        for value, want in zip(got, expected, strict=True):
            assert value.dtype == dtype.as_numpy_dtype
            np.testing.assert_allclose(value, want, rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_nesterov_attr(run, nesterov):
    var, (accum,), grad, out = _build(
        "ApplyMomentum", [2], tf.float64, [0.0], [0.1, "grad", 0.9], {"use_nesterov": nesterov}
    )
    v0 = run(var)
    expected = (v0, np.zeros(2))
    for g in ([1.0, -2.0], [0.5, 0.5]):
        run(out, {grad: g})
        expected = update_rules.momentum(*expected, np.array(g), 0.1, 0.9, nesterov)
    np.testing.assert_allclose(run([var, accum]), expected, rtol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_adam_matches_its_rule_with_bias_correction(run, nesterov):
    rng = np.random.default_rng(2)
    var = _variable(rng.normal(size=[4]), "var", tf.float64)
    m = _variable(np.zeros(4), "m", tf.float64)
    v = _variable(np.zeros(4), "v", tf.float64)
    b1_power = tf.placeholder(tf.float64, [], name="b1_power")
    b2_power = tf.placeholder(tf.float64, [], name="b2_power")
    grad = tf.placeholder(tf.float64, [4], name="grad")
    hyper = [tf.constant(x, tf.float64) for x in (0.01, 0.9, 0.999, 1e-8)]
    inputs = [var._ref(), m._ref(), v._ref(), b1_power, b2_power, *hyper, grad]
    out = tf.get_default_graph().create_op("ApplyAdam", inputs, {"use_nesterov": nesterov})
    expected = (run(var), np.zeros(4), np.zeros(4))
    for step in range(1, 4):
        g = rng.normal(size=[4])
        run(out, {grad: g, b1_power: 0.9**step, b2_power: 0.999**step})
        if nesterov:
            m_new = 0.9 * expected[1] + 0.1 * g
            v_new = 0.999 * expected[2] + 0.001 * g**2
            lr_t = 0.01 * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
            var_new = expected[0] - lr_t * (0.9 * m_new + 0.1 * g) / (np.sqrt(v_new) + 1e-8)
            expected = (var_new, m_new, v_new)
        else:
            expected = update_rules.adam(*expected, g, step, 0.01)
    np.testing.assert_allclose(run([var, m, v]), expected, rtol=1e-12)


def test_adagrad_without_slot_updates_keeps_the_accumulator(run):
    var, (accum,), grad, out = _build(
        "ApplyAdagrad", [2], tf.float64, [4.0], [0.5, "grad"], {"update_slots": False}
    )
    v0 = run(var)
    run(out, {grad: [1.0, 2.0]})
    np.testing.assert_allclose(run(var), v0 - 0.5 * np.array([1.0, 2.0]) / 2.0)
    np.testing.assert_array_equal(run(accum), [4.0, 4.0])


def test_output_is_a_ref_of_the_variable_shape(graph):
    var = tf.Variable(tf.zeros([2, 3]), name="w")
    grad = tf.placeholder(tf.float32, [None, 3])
    out = graph.create_op("ApplyGradientDescent", [var._ref(), tf.constant(0.1), grad])
    assert (out.name, out.type) == ("ApplyGradientDescent", "ApplyGradientDescent")
    assert (out.outputs[0].dtype, out.outputs[0].shape.as_list()) == (tf.float32_ref, [2, 3])


def test_build_errors(graph):
    var = tf.Variable(tf.zeros([2]), name="w")
    lr = tf.constant(0.1)
    with pytest.raises(TypeError, match="requires that input 'var' be a mutable tensor"):
        graph.create_op("ApplyGradientDescent", [var.value(), lr, tf.zeros([2])])
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        graph.create_op("ApplyGradientDescent", [var._ref(), tf.constant([0.1]), tf.zeros([2])])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        graph.create_op("ApplyGradientDescent", [var._ref(), lr, tf.zeros([3])])
    with pytest.raises(TypeError, match="Input 'alpha' of 'ApplyGradientDescent' Op has type"):
        graph.create_op("ApplyGradientDescent", [var._ref(), tf.constant(0.1, tf.float64), lr])
    ints = tf.Variable(tf.zeros([2], tf.int32), name="i")
    with pytest.raises(TypeError, match="not in list of allowed values"):
        graph.create_op(
            "ApplyGradientDescent", [ints._ref(), tf.constant(1), tf.zeros([2], tf.int32)]
        )


def test_run_time_errors_leave_the_variable_unchanged(graph):
    var = tf.Variable(tf.ones([2]), name="w")
    grad = tf.placeholder(tf.float32, None)
    update = graph.create_op("ApplyGradientDescent", [var._ref(), tf.constant(0.5), grad])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value w"):
            sess.run(update, {grad: [1.0, 1.0]})
        sess.run(var.initializer)
        with pytest.raises(  # TF 2.21 names ApplyGradientDescent's gradient "delta"
            tf.errors.InvalidArgumentError,
            match=r"var and delta do not have the same shape\[2\] \[3\]",
        ):
            sess.run(update, {grad: [1.0, 1.0, 1.0]})
        np.testing.assert_array_equal(sess.run(var), [1.0, 1.0])


# -- the sparse updates: only the rows of an IndexedSlices gradient ----------------------------

# op type -> (the dense op's CASES entry it shares slots, scalars and rule with)
SPARSE = {
    "SparseApplyMomentum": "ApplyMomentum",
    "SparseApplyAdagrad": "ApplyAdagrad",
    "SparseApplyRMSProp": "ApplyRMSProp",
    "SparseApplyCenteredRMSProp": "ApplyCenteredRMSProp",
    "SparseApplyAdadelta": "ApplyAdadelta",
}
SHAPE = [5, 3]


def _sparse_build(op_type, dtype, grad, indices, attrs=None):
    """The sparse op updating a [5, 3] variable (and slots) by rows ``grad`` at ``indices``."""
    slots, scalars, dense_attrs, _ = CASES[SPARSE[op_type]]
    rng = np.random.default_rng(0)
    var = _variable(rng.normal(size=SHAPE), "var", dtype)
    slot_vars = [_variable(np.full(SHAPE, s), f"slot_{i}", dtype) for i, s in enumerate(slots)]
    inputs = [var._ref(), *(s._ref() for s in slot_vars)]
    for s in scalars:
        inputs += [grad, indices] if s == "grad" else [tf.constant(s, dtype=dtype)]
    op = tf.get_default_graph().create_op(op_type, inputs, attrs or dense_attrs)
    return var, slot_vars, op.outputs[0]


def _row_by_row(op_type, values, grad, indices):
    """The dense rule applied to each indexed row in turn: TF's order for repeated indices."""
    rule = CASES[SPARSE[op_type]][3]
    values = [np.array(v, np.float64) for v in values]
    for g, i in zip(grad, indices, strict=True):
        for value, new in zip(values, rule(*(v[i] for v in values), g), strict=True):
            value[i] = new
    return values


def _sparse_reference(op_type):
    slots = CASES[SPARSE[op_type]][0]

    def reference(grad, indices):
        var = np.random.default_rng(0).normal(size=SHAPE)
        start = [var, *(np.full(SHAPE, s) for s in slots)]
        return _row_by_row(op_type, start, grad, indices)[0]

    return reference


SPARSE_GRAD = np.random.default_rng(4).normal(size=[4, 3])
SPARSE_IDS = np.array([3, 0, 3, 3], np.int32)  # row 3 three times: applied one after another
SPARSE_CASES = [
    Case(f"{op_type}-repeated", op_type,
         lambda g, i, op_type=op_type: _sparse_build(op_type, tf.float64, g, i)[2],
         (SPARSE_GRAD, SPARSE_IDS), _sparse_reference(op_type), 1e-12)
    for op_type in sorted(SPARSE)
] + [
    Case(f"{op_type}-distinct-int64", op_type,
         lambda g, i, op_type=op_type: _sparse_build(op_type, tf.float64, g, i)[2],
         (SPARSE_GRAD[:2], np.array([4, 1], np.int64)), _sparse_reference(op_type), 1e-12)
    for op_type in sorted(SPARSE)
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(SPARSE_CASES))
def test_sparse_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("op_type", sorted(SPARSE))
def test_sparse_update_touches_only_its_rows_for_several_steps(run, op_type, dtype):
    grad = tf.placeholder(dtype, [None, 3], name="grad")
    indices = tf.placeholder(tf.int32, [None], name="indices")
    var, slot_vars, out = _sparse_build(op_type, dtype, grad, indices)
    expected = [run(v).astype(np.float64) for v in (var, *slot_vars)]
    rng = np.random.default_rng(1)
    rtol = 1e-5 if dtype == tf.float32 else 1e-12
    for ids in ([0, 2], [2, 2, 4], [1]):
        g = rng.normal(size=[len(ids), 3])
        run(out, {grad: g, indices: ids})
        expected = _row_by_row(op_type, expected, g, ids)
        for value, want in zip(run([var, *slot_vars]), expected, strict=True):
            assert value.dtype == dtype.as_numpy_dtype
            np.testing.assert_allclose(value, want, rtol=rtol, atol=1e-12)
    untouched = [3]  # never looked up: exactly as initialized
    np.testing.assert_array_equal(
        run(var)[untouched],
        np.random.default_rng(0).normal(size=SHAPE)[untouched].astype(dtype.as_numpy_dtype),
    )


def test_sparse_momentum_nesterov_and_adagrad_without_slot_updates(run):
    grad = tf.placeholder(tf.float64, [None, 3])
    indices = tf.placeholder(tf.int32, [None])
    nesterov = _sparse_build("SparseApplyMomentum", tf.float64, grad, indices,
                             {"use_nesterov": True})  # fmt: skip
    frozen = _sparse_build("SparseApplyAdagrad", tf.float64, grad, indices,
                           {"update_slots": False})  # fmt: skip
    g = np.ones([1, 3])
    var0 = np.random.default_rng(0).normal(size=SHAPE)
    run([nesterov[2], frozen[2]], {grad: g, indices: [2]})
    accum = 0.9 * 0.0 + g[0]
    np.testing.assert_allclose(run(nesterov[0])[2], var0[2] - 0.1 * (g[0] + 0.9 * accum))
    np.testing.assert_allclose(run(frozen[0])[2], var0[2] - 0.2 * g[0] / np.sqrt(0.1))
    np.testing.assert_array_equal(run(frozen[1][0]), np.full(SHAPE, 0.1))


def test_sparse_build_errors(graph):
    var = tf.Variable(tf.zeros([5, 3]), name="w")
    accum = tf.Variable(tf.zeros([5, 3]), name="a")
    lr = tf.constant(0.1)

    def build(grad, indices):
        inputs = [var._ref(), accum._ref(), lr, grad, indices]
        return graph.create_op("SparseApplyAdagrad", inputs)

    out = build(tf.zeros([2, 3]), tf.constant([0, 1]))
    assert (out.outputs[0].dtype, out.outputs[0].shape.as_list()) == (tf.float32_ref, [5, 3])
    with pytest.raises(ValueError, match="Dimension 1 in both shapes must be equal"):
        build(tf.zeros([2, 4]), tf.constant([0, 1]))
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        build(tf.zeros([2, 3]), tf.constant([0, 1, 2]))
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        build(tf.zeros([2, 3]), tf.constant([[0, 1]]))
    with pytest.raises(TypeError, match="'indices' has DataType float32 not in list"):
        build(tf.zeros([2, 3]), tf.constant([0.0, 1.0]))


@pytest.mark.parametrize(
    ("ids", "grad", "message"),
    [
        ([0, 5], np.ones([2, 3]), "Index 5 at offset 1 in indices is out of range"),
        ([-1], np.ones([1, 3]), "Index -1 at offset 0 in indices is out of range"),
        ([0], np.ones([2, 3]), "grad must be the same size as indices in the first dimension."),
        ([0], np.ones([1, 2]), "var and grad must match in dimension 1"),
    ],
)
def test_sparse_run_time_errors_change_nothing(run, ids, grad, message):
    grad_t = tf.placeholder(tf.float64)
    indices = tf.placeholder(tf.int32)
    var, (accum,), out = _sparse_build("SparseApplyAdagrad", tf.float64, grad_t, indices)
    before = run([var, accum])
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(out, {grad_t: grad, indices: ids})
    for value, was in zip(run([var, accum]), before, strict=True):
        np.testing.assert_array_equal(value, was)
