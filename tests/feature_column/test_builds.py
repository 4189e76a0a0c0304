"""Tests for scopeflow/feature_column/: the feature columns build TF1's ops, variable names
and static shapes through input_layer and linear_model, and raise TF1's errors while building
(records read from TensorFlow 2.21 by ``tools/tf_reference.py`` from
tests/data/tf_reference/feature_column.py)."""

from __future__ import annotations

from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("feature_column")
SETUP = setup_of(REFERENCE)
GROUPS = {"GRADIENTS": {}, **REFERENCE["groups"]}

_SAFE = (
    "tf.nn.safe_embedding_lookup_sparse(pos[:3], tf.SparseTensor([[0, 0], [1, 1]], "
    "tf.constant([0, 2], tf.int64), [3, 2])"
)
_SAFE_SUM = _SAFE + ", combiner='sum')"
_SAFE_WEIGHTED = (
    _SAFE + ", tf.SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [3, 2]), default_id=1, name='safe')"
)


def _with_shape_op(expression: str) -> list:
    """TF's ops for ``expression`` with its ``Shape_1`` built as a ``Shape`` op, not folded."""
    ops = GROUPS["BUILDS"][expression]["ops"]
    return [(n, "Shape" if n.endswith("/Shape_1") else t) for n, t in ops]


# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
# The batch size of a lookup over a constant dense shape: TF's reshape infers it through
# concat(slice(cast(dense_shape))) and folds the result's shape; scopeflow's leaves it unknown.
DIFFERENCES: dict = {
    _SAFE_SUM: built(_with_shape_op(_SAFE_SUM), shape=[None, 2]),
    _SAFE_WEIGHTED: built(_with_shape_op(_SAFE_WEIGHTED), shape=[None, 2]),
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
