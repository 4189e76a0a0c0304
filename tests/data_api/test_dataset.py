"""Tests for scopeflow/data/dataset.py and iterator.py: ``tf.data`` builds TF1's graphs (the
dataset and iterator ops, their names, the element tensors' dtypes and static shapes), reports
the element structure as TF does, and refuses what TF refuses.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/data.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/data.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("data")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

_SEEDED_SHUFFLE = (
    "tf.data.Dataset.from_tensor_slices(np.arange(4)).shuffle(10, seed=3)"
    ".make_one_shot_iterator().get_next()"
)
DIFFERENCES: dict = {
    # TF 2.21 computes seed2 in the graph (SelectV2 over Equal/LogicalAnd: 0, 0 becomes
    # 0, 2**31 - 1); scopeflow writes the two seeds as constants, as TF 1.15 did.
    _SEEDED_SHUFFLE: {
        "ops": [
            ["normalize_element/component_0", "Const"],
            ["TensorSliceDataset", "TensorSliceDataset"],
            ["buffer_size", "Const"],
            ["seed", "Const"],
            ["seed2", "Const"],
            ["ShuffleDataset", "ShuffleDataset"],
            ["OneShotIterator", "OneShotIterator"],
            ["IteratorToStringHandle", "IteratorToStringHandle"],
            ["IteratorGetNext", "IteratorGetNext"],
        ],
        "consts": {"seed": [87654321], "seed2": [3]},
    },
}


@pytest.mark.parametrize("expr", list(GROUPS["PIPELINES"]))
def test_pipeline_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["PIPELINES"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["STRUCTURES"]))
def test_element_structure_as_tf1_reports_it(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["STRUCTURES"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)
