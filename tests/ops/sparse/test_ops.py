"""Tests for scopeflow/ops/sparse/: the sparse functions build TF1's ops, names, attributes and
static shapes, forward and in their gradients, and reject what TF1 rejects while building.

Expected records were read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode) by
``tools/tf_reference.py`` (tests/data/tf_reference/sparse.py); differences kept on purpose are
marked "deliberate".
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("sparse")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {}


@pytest.mark.parametrize("expression", list(GROUPS["BUILDS"]))
def test_builds_tf1_ops_and_static_shapes(graph, env, expression):
    want = expected(GROUPS["BUILDS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


@pytest.mark.parametrize("expression", list(GROUPS["GRADIENTS"]))
def test_gradients_build_tf1_ops(graph, env, expression):
    want = expected(GROUPS["GRADIENTS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want)


@pytest.mark.parametrize("expression", list(GROUPS["BUILD_ERRORS"]))
def test_build_errors(graph, env, expression):
    want = expected(GROUPS["BUILD_ERRORS"][expression], DIFFERENCES.get(expression))
    check_against(graph, env, expression, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()
