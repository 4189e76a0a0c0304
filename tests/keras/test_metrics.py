"""``tf.keras.metrics``' classes (their variables, ``update_state``/``result``/
``reset_states`` values, ``compile(metrics=[...])`` with metric objects), the loss classes
that came with them and the callbacks ``CSVLogger``, ``ReduceLROnPlateau``,
``TerminateOnNaN``, ``LambdaCallback`` and ``TensorBoard`` (its event file's scalars),
checked against TensorFlow's Keras (tf_keras in compat.v1 graph mode, TF1.15's Keras) as
recorded in ``tests/data/tf_reference/keras_metrics.json`` by ``tools/tf_reference.py``.
``DIFFERENCES`` lists where scopeflow differs."""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import tf_reference

REFERENCE = tf_reference("keras_metrics")
GROUPS = REFERENCE["groups"]

# expression -> what scopeflow gives instead, and why.
DIFFERENCES: dict = {}

STRINGS = [
    (group, expr)
    for group in ("NAMES", "VALUES", "TRAINING", "LOSSES", "CALLBACKS")
    for expr in GROUPS[group]
]


def _chunks(items: list, size: int) -> list:
    return [items[i : i + size] for i in range(0, len(items), size)]


@pytest.mark.parametrize("cases", _chunks(STRINGS, 4))
def test_metrics_and_losses_are_tensorflows(cases):
    for group, expr in cases:
        if "TensorBoard" in expr and importlib.util.find_spec("tensorboard") is None:
            continue  # the event file's protos come with the optional tensorboard package
        with tf.Graph().as_default():
            want = DIFFERENCES.get(expr, GROUPS[group][expr]["value"])
            assert eval(expr, {"tf": tf, "np": np}) == want, expr


@pytest.mark.parametrize("expr", sorted(GROUPS["ERRORS"]))
def test_errors_are_tensorflows(graph, expr):
    record = GROUPS["ERRORS"][expr]
    error = {"ValueError": ValueError, "TypeError": TypeError}[record["error"]]
    with pytest.raises(error, match=re.escape(record["match"])):
        eval(expr, {"tf": tf, "np": np})


def test_unnamed_metrics_take_the_graphs_next_unique_name(graph):
    # TF 2.21 (tf_keras): classes whose name defaults to None count per graph, as layers do;
    # those with a fixed default name (Mean, BinaryAccuracy) keep it
    made = [
        tf.keras.metrics.AUC(),
        tf.keras.metrics.AUC(),
        tf.keras.metrics.Precision(),
        tf.keras.metrics.Precision(),
        tf.keras.metrics.TruePositives(),
        tf.keras.metrics.MeanIoU(2),
        tf.keras.metrics.MeanIoU(2),
        tf.keras.metrics.Mean(),
        tf.keras.metrics.Mean(),
        tf.keras.metrics.BinaryAccuracy(),
        tf.keras.metrics.BinaryAccuracy(),
        tf.keras.metrics.AUC(name="auc"),
    ]
    assert [m.name for m in made] == [
        "auc", "auc_1", "precision", "precision_1", "true_positives", "mean_io_u",
        "mean_io_u_1", "mean", "mean", "binary_accuracy", "binary_accuracy", "auc",
    ]  # fmt: skip
    with tf.Graph().as_default():
        assert tf.keras.metrics.AUC().name == "auc"  # the count is the graph's
