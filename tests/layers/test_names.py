"""Names: ``tf.layers`` build the graphs TF1's ``tf.layers`` build (every op, its name and
type, in order; the result's name, dtype and static shape), and refuse what they refuse.

The records are TensorFlow 2.21's with ``tf_keras`` (``TF_USE_LEGACY_KERAS=1``,
``tensorflow.compat.v1``), written to ``tests/data/tf_reference/layers.json`` by
``tools/tf_reference.py`` from ``tests/data/tf_reference/layers.py``; where scopeflow differs,
``DIFFERENCES`` says what it does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import built, check_against, expected, raised, setup_of, tf_reference

REFERENCE = tf_reference("layers")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

BUILDING = ["DENSE", "CORE", "CONV", "POOL", "BATCH_NORM"]


def _ops(group: str, expr: str, without: str) -> list[tuple[str, str]]:
    """TF's ops for ``expr`` but those of its ``without`` steps (SpaceToBatchND and the
    constants it needs, BatchToSpaceND)."""
    steps = ("dilation_rate", "required_space_to_batch", "SpaceToBatchND", "BatchToSpaceND")
    assert without == "SpaceToBatch"
    ops = GROUPS[group][expr]["ops"]
    return [tuple(op) for op in ops if not any(f"/{step}" in op[0] for step in steps)]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {
    # deliberate: scopeflow's Conv2D kernels dilate themselves (the op's `dilations`), where
    # TF1's layers wrap an undilated Conv2D in SpaceToBatchND/BatchToSpaceND; same variables,
    # result and shapes
    "tf.layers.conv2d(img, 4, 3, dilation_rate=2)": built(
        [*_ops("CONV", "tf.layers.conv2d(img, 4, 3, dilation_rate=2)", "SpaceToBatch")]
    ),
    "tf.layers.Conv1D(4, 3, dilation_rate=2)(seq)": built(
        [*_ops("CONV", "tf.layers.Conv1D(4, 3, dilation_rate=2)(seq)", "SpaceToBatch")]
    ),
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
