"""Tests for scopeflow/feature_column/: the feature columns build TF1's ops, variable names
and static shapes through input_layer and linear_model, and raise TF1's errors while building
(records read from TensorFlow 2.21 by ``tools/tf_reference.py`` from
tests/data/tf_reference/feature_column.py)."""

from __future__ import annotations

from tests.ops.graph_checks import record_tests, setup_of, tf_reference

REFERENCE = tf_reference("feature_column")
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
