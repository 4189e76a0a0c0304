"""Tests for scopeflow/lookup/: the tables build TF1's ops, names and static shapes, and raise
TF1's errors while building (records read from TensorFlow 2.21 by ``tools/tf_reference.py``
from tests/data/tf_reference/lookup.py)."""

from __future__ import annotations

from tests.ops.graph_checks import built, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("lookup")
SETUP = setup_of(REFERENCE)
GROUPS = {"GRADIENTS": {}, **REFERENCE["groups"]}

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
# TF builds a MutableHashTable's export op at once, for the saveable it adds to
# SAVEABLE_OBJECTS; scopeflow's Saver does not save tables, so no export op is built.
_MUTABLE = "tf.contrib.lookup.MutableHashTable"
DIFFERENCES: dict = {
    f"{_MUTABLE}(tf.string, tf.int64, -1, name='mut').insert(k, tf.cast(tf.strings.length(k), "
    "tf.int64))": built(
        [
            ("Const", "Const"),
            ("mut", "MutableHashTableV2"),
            ("StringLength", "StringLength"),
            ("Cast", "Cast"),
            ("mut_lookup_table_insert/LookupTableInsertV2", "LookupTableInsertV2"),
        ]
    ),
    f"{_MUTABLE}(tf.string, tf.float32, [0.0, 0.0]).lookup(k)": built(
        [
            ("Const", "Const"),
            ("MutableHashTable", "MutableHashTableOfTensorsV2"),
            ("MutableHashTable_lookup_table_find/LookupTableFindV2", "LookupTableFindV2"),
        ]
    ),
}

(
    test_builds_tf1_ops_and_static_shapes,
    test_gradients_build_tf1_ops,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests(GROUPS, DIFFERENCES)
