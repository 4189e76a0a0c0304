"""The recurrent cells, ``RNN``, ``Bidirectional``, ``TimeDistributed``, the other layers of
this slice and ``tf.keras.constraints`` checked against TensorFlow's Keras (tf_keras in
compat.v1 graph mode, TF1.15's Keras), as recorded in
``tests/data/tf_reference/keras_layers2.json`` by ``tools/tf_reference.py``: names, shapes,
values, checkpoints (strings) and errors. ``DIFFERENCES`` lists where scopeflow differs."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import tf_reference

REFERENCE = tf_reference("keras_layers2")
GROUPS = REFERENCE["groups"]

# expression (a part of it) -> what scopeflow gives instead, and why.
DIFFERENCES: dict = {}


def _value(expr: str):
    return eval(expr, {"tf": tf, "np": np})


def _chunks(names: list, size: int) -> list:
    return [names[i : i + size] for i in range(0, len(names), size)]


STRINGS = [
    (group, expr)
    for group in ("NAMES", "VALUES", "CHECKPOINTS", "MASKS", "UTILS")
    for expr in GROUPS[group]
]


@pytest.mark.parametrize("cases", _chunks(STRINGS, 3))
def test_names_values_and_checkpoints_are_tensorflows(cases):
    for group, expr in cases:
        with tf.Graph().as_default():
            want = DIFFERENCES.get(expr, GROUPS[group][expr]["value"])
            assert _value(expr) == want, expr


@pytest.mark.parametrize("expr", sorted(GROUPS["ERRORS"]))
def test_errors_are_tensorflows(graph, expr):
    record = GROUPS["ERRORS"][expr]
    error = {"ValueError": ValueError, "TypeError": TypeError}[record["error"]]
    with pytest.raises(error, match=re.escape(record["match"])):
        _value(expr)
