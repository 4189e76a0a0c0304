"""Tests for scopeflow/ops/state/training_proximal.py: the FTRL, proximal and AdagradDA update
ops against the NumPy rules (tests/train/update_rules.py) over several steps, dense and sparse
(repeated indices one after another), against values TF 2.21 computed, and their errors."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case
from tests.train import update_rules as rules

STEP = np.int64(3)  # AdagradDA's global_step input
# op type -> (slot initial values, inputs after the slots in TF's order: numbers, "grad" (and
# the indices after it, sparse), "step"; attrs; rule(var, *slots, grad) -> (var, *slots))
CASES = {
    "ApplyFtrl": (
        [0.1, 0.0],
        ["grad", 0.1, 0.05, 0.2, -0.5],
        {},
        lambda v, a, lin, g: rules.ftrl(v, a, lin, g, 0.1, 0.05, 0.2),
    ),
    "ApplyFtrlV2": (
        [0.2, 0.0],
        ["grad", 0.1, 0.05, 0.2, 0.3, -0.6],
        {},
        lambda v, a, lin, g: rules.ftrl(v, a, lin, g, 0.1, 0.05, 0.2, -0.6, shrinkage=0.3),
    ),
    "ApplyProximalAdagrad": (
        [0.1],
        [0.1, 0.05, 0.2, "grad"],
        {},
        lambda v, a, g: rules.proximal_adagrad(v, a, g, 0.1, 0.05, 0.2),
    ),
    "ApplyProximalGradientDescent": (
        [],
        [0.1, 0.05, 0.2, "grad"],
        {},
        lambda v, g: rules.proximal_gradient_descent(v, g, 0.1, 0.05, 0.2),
    ),
    "ApplyAdagradDA": (
        [0.0, 0.1],
        ["grad", 0.1, 0.05, 0.2, "step"],
        {},
        lambda v, ga, gg, g: rules.adagrad_da(v, ga, gg, g, 0.1, 0.05, 0.2, STEP),
    ),
}
BY_LR = (  # ApplyFtrl with multiply_linear_by_lr
    [0.1, 0.0],
    ["grad", 0.1, 0.05, 0.2, -0.6],
    {"multiply_linear_by_lr": True},
    lambda v, a, lin, g: rules.ftrl(v, a, lin, g, 0.1, 0.05, 0.2, -0.6, by_lr=True),
)


def _variable(value, name, dtype):
    return tf.Variable(np.asarray(value, dtype.as_numpy_dtype), name=name)


def _build(op_type, spec, shape, dtype, grad, indices=None):
    """The op updating a random variable of ``shape`` and its slots (from ``spec``)."""
    slots, scalars, attrs, _ = spec
    var = _variable(np.random.default_rng(0).normal(size=shape), "var", dtype)
    slot_vars = [_variable(np.full(shape, s), f"slot_{i}", dtype) for i, s in enumerate(slots)]
    inputs = [var._ref(), *(s._ref() for s in slot_vars)]
    for s in scalars:
        if s == "grad":
            inputs += [grad] if indices is None else [grad, indices]
        else:
            inputs.append(tf.constant(STEP) if s == "step" else tf.constant(s, dtype=dtype))
    op = tf.get_default_graph().create_op(op_type, inputs, attrs)
    return var, slot_vars, op.outputs[0]


def _row_by_row(rule, values, grad, indices):
    """The dense rule applied to each indexed row in turn: TF's order for repeated indices."""
    values = [np.array(v, np.float64) for v in values]
    for g, i in zip(grad, indices, strict=True):
        for value, new in zip(values, rule(*(v[i] for v in values), g), strict=True):
            value[i] = new
    return values


def _start(spec, shape):
    var = np.random.default_rng(0).normal(size=shape)
    return [var, *(np.full(shape, s, np.float64) for s in spec[0])]


G = np.random.default_rng(3).normal(size=[2, 3])
ROWS, IDS = np.random.default_rng(4).normal(size=[4, 3]), np.array([3, 0, 3, 3], np.int32)
KERNEL_CASES = [
    Case(op_type, op_type,
         lambda g, op_type=op_type: _build(op_type, CASES[op_type], [2, 3], tf.float64, g)[2],
         (G,), lambda g, op_type=op_type: CASES[op_type][3](*_start(CASES[op_type], [2, 3]), g)[0],
         1e-12)
    for op_type in sorted(CASES)
] + [
    Case(f"Sparse{op_type}", f"Sparse{op_type}",
         lambda g, i, op_type=op_type: _build(
             f"Sparse{op_type}", CASES[op_type], [5, 3], tf.float64, g, i)[2],
         (ROWS, IDS),
         lambda g, i, op_type=op_type: _row_by_row(
             CASES[op_type][3], _start(CASES[op_type], [5, 3]), g, i)[0],
         1e-12)
    for op_type in sorted(CASES)
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("name", [*sorted(CASES), "ApplyFtrl-by-lr"])
def test_update_follows_its_rule_for_several_steps(run, name, dtype):
    spec = BY_LR if name == "ApplyFtrl-by-lr" else CASES[name]
    grad = tf.placeholder(dtype, [4], name="grad")
    var, slot_vars, out = _build(name.split("-")[0], spec, [4], dtype, grad)
    expected = [run(var).astype(np.float64), *_start(spec, [4])[1:]]
    rng = np.random.default_rng(1)
    rtol = 2e-5 if dtype == tf.float32 else 1e-12
    for _ in range(4):
        g = rng.normal(size=[4])
        run(out, {grad: g})
        expected = list(spec[3](*expected, g))
        for value, want in zip(run([var, *slot_vars]), expected, strict=True):
            assert value.dtype == dtype.as_numpy_dtype
            np.testing.assert_allclose(value, want, rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("op_type", sorted(CASES))
def test_sparse_update_touches_only_its_rows(run, op_type):
    spec = CASES[op_type]
    grad = tf.placeholder(tf.float32, [None, 3])
    indices = tf.placeholder(tf.int64, [None])
    var, slot_vars, out = _build(f"Sparse{op_type}", spec, [5, 3], tf.float32, grad, indices)
    expected = [run(v).astype(np.float64) for v in (var, *slot_vars)]
    rng = np.random.default_rng(1)
    for ids in ([0, 2], [2, 2, 4]):
        g = rng.normal(size=[len(ids), 3])
        run(out, {grad: g, indices: ids})
        expected = _row_by_row(spec[3], expected, g, ids)
        for value, want in zip(run([var, *slot_vars]), expected, strict=True):
            np.testing.assert_allclose(value, want, rtol=2e-5, atol=1e-6)
    np.testing.assert_array_equal(run(var)[[1, 3]], expected[0][[1, 3]].astype(np.float32))


# TF 2.21: var [1, 2] with slots [0.1, 0.1] and [0, 0], the second row updated by the rows
# [1] then [2] (indices [1, 1]); lr 0.1, l1 0.01, l2 0.1 (FTRL lr_power -0.5, AdagradDA
# global_step 2). And dense ApplyFtrl with multiply_linear_by_lr on grad [1, -1] (l1 0.05).
TF_REPEATED = {
    "SparseApplyFtrl": 1.1885545,
    "SparseApplyProximalAdagrad": 1.7887955,
    "SparseApplyProximalGradientDescent": 1.6625721,
    "SparseApplyAdagradDA": -0.1365207,
}
TF_BY_LR = {-0.6: [0.6513068, 1.5853214], -0.5: [0.587178, 1.4597205]}


def _small(graph, n_slots):
    var = tf.Variable([1.0, 2.0], name="var")
    slots = [tf.Variable([0.1, 0.1], name="s0"), tf.Variable([0.0, 0.0], name="s1")]
    return var, [var._ref(), *(s._ref() for s in slots[:n_slots])]


@pytest.mark.parametrize("op_type", sorted(TF_REPEATED))
def test_repeated_indices_match_tensorflow(graph, run, op_type):
    n_slots = {"SparseApplyProximalGradientDescent": 0, "SparseApplyProximalAdagrad": 1}
    var, refs = _small(graph, n_slots.get(op_type, 2))
    rows, ids = tf.constant([1.0, 2.0]), tf.constant([1, 1])
    lr, l1, l2 = tf.constant(0.1), tf.constant(0.01), tf.constant(0.1)
    inputs = {
        "SparseApplyFtrl": [*refs, rows, ids, lr, l1, l2, tf.constant(-0.5)],
        "SparseApplyProximalAdagrad": [*refs, lr, l1, l2, rows, ids],
        "SparseApplyProximalGradientDescent": [*refs, lr, l1, l2, rows, ids],
        "SparseApplyAdagradDA": [*refs, rows, ids, lr, l1, l2, tf.constant(np.int64(2))],
    }[op_type]
    run(graph.create_op(op_type, inputs))
    np.testing.assert_allclose(run(var), [1.0, TF_REPEATED[op_type]], rtol=1e-6)


@pytest.mark.parametrize("lr_power", sorted(TF_BY_LR))
def test_ftrl_multiply_linear_by_lr_matches_tensorflow(graph, run, lr_power):
    var, refs = _small(graph, 2)
    hyper = [tf.constant(x) for x in (0.1, 0.05, 0.1, lr_power)]
    inputs = [*refs, tf.constant([1.0, -1.0]), *hyper]
    run(graph.create_op("ApplyFtrl", inputs, {"multiply_linear_by_lr": True}))
    np.testing.assert_allclose(run(var), TF_BY_LR[lr_power], rtol=1e-6)


@pytest.mark.parametrize(
    ("op_type", "hyper", "message"),
    [
        ("SparseApplyFtrl", [0.0, 0.0, 0.0, -0.5], "lr is not a positive scalar (or zero if"),
        ("SparseApplyFtrl", [0.1, -1.0, 0.0, -0.5], "l1 regularization strength is not a non-"),
        ("SparseApplyFtrl", [0.1, 0.0, 0.0, 0.5], "lr_power is not a non-positive scalar: []"),
        ("SparseApplyFtrlV2", [0.1, 0.0, 0.0, -1.0, -0.5], "l2 shrinkage regularization"),
        ("ApplyProximalAdagrad", [0.0, 0.0, 0.0], "lr is not a positive scalar: []"),
        ("SparseApplyProximalAdagrad", [0.1, 0.0, -1.0], "l2 regularization strength is not"),
    ],
)
def test_hyper_parameters_checked_as_tensorflow_does(graph, run, op_type, hyper, message):
    var, refs = _small(graph, 1 if "Proximal" in op_type else 2)
    hyper = [tf.constant(x) for x in hyper]
    grad, ids = tf.constant([1.0]), tf.constant([1])
    if "Ftrl" in op_type:
        inputs = [*refs, grad, ids, *hyper]
    else:
        dense = [*refs, *hyper, tf.constant([1.0, -1.0])]
        inputs = [*refs, *hyper, grad, ids] if "Sparse" in op_type else dense
    op = graph.create_op(op_type, inputs)
    with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(message)):
        run(op)
    np.testing.assert_array_equal(run(var), [1.0, 2.0])


def test_adagrad_da_global_step_must_be_an_int64_scalar(graph):
    _, refs = _small(graph, 2)
    hyper = [tf.constant(0.1)] * 3
    with pytest.raises(TypeError, match="'global_step' has DataType int32 not in list"):
        graph.create_op("ApplyAdagradDA", [*refs, tf.ones([2]), *hyper, tf.constant(1)])
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        step = tf.constant([1], tf.int64)
        graph.create_op("ApplyAdagradDA", [*refs, tf.ones([2]), *hyper, step])
