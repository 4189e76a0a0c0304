"""A GraphDef TensorFlow 2.21 built with its ragged and Unicode ops
(tests/data/ragged/ragged_ops.pb, written by make_ragged_graph.py) imports into scopeflow
and computes what TensorFlow computed (ragged_ops_values.json)."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "ragged"
RECORDED = json.loads((DATA / "ragged_ops_values.json").read_text())


@pytest.fixture(scope="module")
def computed() -> dict:
    graph_def = tf.GraphDef.FromString((DATA / "ragged_ops.pb").read_bytes())
    with tf.Graph().as_default():
        tf.import_graph_def(graph_def, name="")
        with tf.Session() as sess:
            return sess.run({k: v["name"] for k, v in RECORDED.items()})


def _plain(value):
    value = np.asarray(value)
    if value.dtype == object:
        return [x.decode("latin-1") for x in value.reshape(-1)]
    return value.tolist()


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_tensorflow_ragged_graph_runs_as_in_tensorflow(computed, name):
    assert _plain(computed[name]) == RECORDED[name]["value"]
