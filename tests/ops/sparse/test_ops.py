"""Tests for scopeflow/ops/sparse/: the sparse functions build TF1's ops, names, attributes and
static shapes, forward and in their gradients, and reject what TF1 rejects while building.

Expected records were read from TensorFlow 2.21 (``tensorflow.compat.v1``, graph mode) by
``tools/tf_reference.py`` (tests/data/tf_reference/sparse.py); differences kept on purpose are
marked "deliberate".
"""

from __future__ import annotations

from tests.ops.graph_checks import record_tests, setup_of, tf_reference

REFERENCE = tf_reference("sparse")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {}


(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
