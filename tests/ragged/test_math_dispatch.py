"""Tests for scopeflow/ragged/math_dispatch.py: TF's element-wise math functions (root names
and tf.math) on RaggedTensors; values and op names as TF 2.21 (compat.v1, graph mode)
dispatches them (float32 results within 1e-6)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def rt():
    return tf.ragged.constant([[1, 4], [9], []])


def f():
    return tf.cast(rt(), tf.float32)


VALUES = {
    "cast": (lambda: f(), [[1.0, 4.0], [9.0], []], "Cast"),
    "log": (lambda: tf.math.log(f()), [[0.0, 1.3862943649291992], [2.1972246170043945], []], "Log"),
    "root_log": (lambda: tf.log(f()), [[0.0, 1.3862943649291992], [2.1972246170043945], []], "Log"),
    "sqrt": (lambda: tf.sqrt(f()), [[1.0, 2.0], [3.0], []], "Sqrt"),
    "add_rr": (lambda: tf.add(f(), f()), [[2.0, 8.0], [18.0], []], "Add"),
    "maximum_scalar": (lambda: tf.maximum(f(), 2.0), [[2.0, 4.0], [9.0], []], "Maximum"),
    "ones_like": (lambda: tf.ones_like(rt()), [[1, 1], [1], []], "ones_like"),
    "equal": (lambda: tf.math.equal(rt(), 4), [[False, True], [False], []], "Equal"),
    "identity": (lambda: tf.identity(rt()), [[1, 4], [9], []], "Identity"),
    "to_float": (lambda: tf.to_float(rt()), [[1.0, 4.0], [9.0], []], "ToFloat"),
    "scalar_first": (lambda: tf.subtract(10.0, f()), [[9.0, 6.0], [1.0], []], "Sub"),
    "inner_broadcast": (
        lambda: tf.multiply(tf.ragged.constant([[[1.0, 2.0]], []], ragged_rank=1), [10.0, 100.0]),
        [[[10.0, 200.0]], []],
        "Mul",
    ),
    "acos_root": (
        lambda: tf.acos(f() / 10.0),
        [[1.4706288576126099, 1.159279465675354], [0.4510268568992615], []],
        "Acos",
    ),
    "sigmoid": (
        lambda: tf.sigmoid(f()),
        [[0.7310585975646973, 0.9820137619972229], [0.9998766183853149], []],
        "Sigmoid",
    ),
    "logical_not": (lambda: tf.logical_not(rt() > 1), [[True, False], [False], []], "LogicalNot"),
    "zeros_like": (lambda: tf.zeros_like(f()), [[0.0, 0.0], [0.0], []], "zeros_like"),
    "atan2": (
        lambda: tf.atan2(f(), f()),
        [[0.7853981852531433, 0.7853981852531433], [0.7853981852531433], []],
        "Atan2",
    ),
    "floordiv": (lambda: tf.floordiv(rt(), 2), [[0, 2], [4], []], "floordiv"),
    "pow": (lambda: tf.pow(f(), 2.0), [[1.0, 16.0], [81.0], []], "Pow"),
}


def _flat(value):
    return [x for row in value for x in (_flat(row) if isinstance(row, list) else [row])]


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_and_names_match_tensorflow(graph, run, name):
    build, expected, op_type_name = VALUES[name]
    result = build()
    assert isinstance(result, tf.RaggedTensor)
    assert result.flat_values.op.name == op_type_name
    got = run(result).to_list()
    assert [len(r) for r in got] == [len(r) for r in expected]
    np.testing.assert_allclose(np.array(_flat(got), float), np.array(_flat(expected), float), 1e-6)


def test_dense_arguments_stay_dense_and_rank_two_operands_are_refused(graph):
    assert isinstance(tf.math.log(tf.constant([1.0])), tf.Tensor)
    with pytest.raises(NotImplementedError, match="RaggedTensor.from_tensor"):
        tf.add(rt(), [[1], [2], [3]])
