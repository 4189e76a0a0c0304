"""tf.keras's names, summaries, log lines and errors checked against TensorFlow's Keras
(tf_keras in compat.v1 graph mode, which is TF1.15's Keras), as recorded in
``tests/data/tf_reference/keras.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/keras.py``. Each expression gives a string (names, a summary, a
log) or raises; ``DIFFERENCES`` lists where scopeflow differs on purpose."""

from __future__ import annotations

import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import tf_reference

REFERENCE = tf_reference("keras")
GROUPS = REFERENCE["groups"]

# expression (a part of it) -> what scopeflow gives instead, and why.
DIFFERENCES = {
    # TF 2.21's Keras also accepts type_spec=; TF1.15's message (scopeflow's) names shape and
    # tensor only. The common part is what the test matches.
}


def _times(text: str) -> str:
    """A log with its timings (``0s``, ``9ms/epoch``, ``199us/sample``) blanked."""
    return re.sub(r"\d+(us|ms|s)(/\w+)?", "T", text)


def _value(expr: str):
    return eval(expr, {"tf": tf, "np": np})


BUILDS = [
    (group, expr)
    for group in ("NAMES", "SUMMARY", "TRAINING", "VALUES", "CHECKPOINTS")
    for expr in GROUPS[group]
]


@pytest.mark.parametrize(("group", "expr"), BUILDS)
def test_names_summaries_and_logs_are_tensorflows(graph, group, expr):
    record = GROUPS[group][expr]
    value = _value(expr)
    if "Train on" in record["value"]:
        assert _times(value) == _times(record["value"])
    else:
        assert value == record["value"]


@pytest.mark.parametrize("expr", sorted(GROUPS["ERRORS"]))
def test_errors_are_tensorflows(graph, expr):
    record = GROUPS["ERRORS"][expr]
    error = {"ValueError": ValueError, "TypeError": TypeError}[record["error"]]
    with pytest.raises(error, match=re.escape(record["match"])):
        _value(expr)
