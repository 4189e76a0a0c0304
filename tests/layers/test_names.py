"""Names: ``tf.layers`` build the graphs TF1's ``tf.layers`` build (every op, its name and
type, in order; the result's name, dtype and static shape), and refuse what they refuse.

The records are TensorFlow 2.21's with ``tf_keras`` (``TF_USE_LEGACY_KERAS=1``,
``tensorflow.compat.v1``), written to ``tests/data/tf_reference/layers.json`` by
``tools/tf_reference.py`` from ``tests/data/tf_reference/layers.py``; where scopeflow differs,
``DIFFERENCES`` says what it does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("layers")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

BUILDING = ["DENSE", "CORE", "CONV", "POOL", "BATCH_NORM"]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {
    # missing: TF convolves each extra batch dimension's examples; scopeflow takes rank 3
    "tf.layers.conv1d(img, 4, 3)": raised(ValueError, "Shape must be rank 4 but is rank 5"),
}


@pytest.mark.parametrize("group, expr", [(g, e) for g in BUILDING for e in GROUPS[g]])
def test_layer_builds_tf1s_graph(graph, env, group, expr):
    check_against(graph, env, expr, expected(GROUPS[group][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)
