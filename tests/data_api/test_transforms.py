"""Tests for scopeflow/data/transforms.py and experimental_ops.py: the transformations build
TF1's graphs (dataset ops, element dtypes and static shapes) and refuse what TF refuses.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/data_transforms.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/data_transforms.py``; where scopeflow differs, ``DIFFERENCES``
says what it does instead and why.
"""

from __future__ import annotations

import pytest

from tests.ops.graph_checks import built, check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("data_transforms")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
_RECORDS = {**GROUPS["PIPELINES"], **GROUPS["STRUCTURES"]}


def _without(expr: str, *types: str) -> dict:
    """TF's record of ``expr`` without its ops of ``types`` (or under their names)."""
    ops = _RECORDS[expr]["ops"]
    return built([op for op in ops if not {op[1], op[0].split("/")[0]} & set(types)])


def _constant_seed2(expr: str) -> dict:
    """TF's record of ``expr`` with ``seed2`` a constant instead of TF 2.21's SelectV2."""
    ops = []
    for op in _RECORDS[expr]["ops"]:
        if op[0].split("/")[0] != "seed2":
            ops.append(op)
        if op[0] == "seed":
            ops.append(["seed2", "Const"])
    return built(ops)


def _string_join_message(expr: str) -> dict:
    """TF's record of ``expr`` with its ``message`` joined by StringJoin instead of Add."""
    swap = {
        "list_files/message/x": ["list_files/message/inputs_0", "Const"],
        "list_files/message": ["list_files/message", "StringJoin"],
    }
    return built([swap.get(op[0], op) for op in _RECORDS[expr]["ops"]])


_UNBATCHES = [e for e in _RECORDS if ".unbatch()" in e]
_REWRITTEN = [e for e in _RECORDS if "enumerate(" in e or "choose_from_datasets" in e]
_SEEDED = [e for e in _RECORDS if "shuffle_and_repeat" in e or "sample_from_datasets" in e]
DIFFERENCES: dict = {
    # TF 2.21 maps the input of unbatch (to normalize ragged components) and wraps some
    # datasets in a RewriteDataset (its tf.data graph rewrites); TF 1.15 does neither, nor
    # does scopeflow.
    **{e: _without(e, "MapDataset") for e in _UNBATCHES},
    **{e: _without(e, "RewriteDataset") for e in _REWRITTEN},
    # TF 2.21 computes seed2 in the graph (SelectV2 over Equal/LogicalAnd); scopeflow writes
    # the two seeds as constants, as TF 1.15 did (and as its shuffle does).
    **{e: _constant_seed2(e) for e in _SEEDED},
    # TF adds the two strings of the message with Add; scopeflow joins them (StringJoin):
    # the same message.
    "str(tf.data.Dataset.list_files('/no/such/dir/*.txt').output_types)": _string_join_message(
        "str(tf.data.Dataset.list_files('/no/such/dir/*.txt').output_types)"
    ),
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
