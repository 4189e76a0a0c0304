"""Tests for scopeflow/ops/strings/: the string ops build TF1's ops, names and static shapes,
and raise TF1's errors while building (records read from TensorFlow 2.21 by
``tools/tf_reference.py`` from tests/data/tf_reference/strings.py)."""

from __future__ import annotations

from tests.ops.graph_checks import record_tests, setup_of, tf_reference

REFERENCE = tf_reference("strings")
SETUP = setup_of(REFERENCE)
GROUPS = {"GRADIENTS": {}, **REFERENCE["groups"]}

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
