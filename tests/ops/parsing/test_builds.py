"""Tests for scopeflow/ops/parsing/: ``tf.parse_example``, ``tf.parse_single_example``,
``tf.decode_raw`` and ``tf.decode_csv`` build TF1's ops, names and static shapes, and raise
TF1's errors while building (records read from TensorFlow 2.21 by ``tools/tf_reference.py``
from tests/data/tf_reference/parsing.py)."""

from __future__ import annotations

from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("parsing")
SETUP = setup_of(REFERENCE)
GROUPS = {"GRADIENTS": {}, **REFERENCE["groups"]}

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES: dict = {
    # tf.reshape(x, []) in TF first converts [] as float32, fails, and leaves that Const
    # ("Reshape/shape") behind before making the int32 one ("Reshape/shape_1"); scopeflow's
    # reshape makes only the int32 one.
    "list(tf.parse_example(b, {'a b': tf.FixedLenSequenceFeature([], tf.int64, allow_missing=True, default_value=-1)}).values())": built(  # noqa: E501
        [
            ("ParseExample/padding_a_b", "Const"),
            ("ParseExample/Reshape/shape", "Const"),
            ("ParseExample/Reshape", "Reshape"),
            ("ParseExample/ParseExampleV2/names", "Const"),
            ("ParseExample/ParseExampleV2/sparse_keys", "Const"),
            ("ParseExample/ParseExampleV2/dense_keys", "Const"),
            ("ParseExample/ParseExampleV2/ragged_keys", "Const"),
            ("ParseExample/ParseExampleV2", "ParseExampleV2"),
        ]
    ),
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
