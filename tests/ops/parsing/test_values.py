"""Tests for scopeflow/ops/parsing/: ``tf.parse_example``, ``tf.parse_single_example``,
``tf.decode_raw`` and ``tf.decode_csv`` compute TensorFlow's values and raise its run-time
errors (first line, word for word) on the records of tests/data/parsing_model.py, recorded
from TensorFlow 2.21 in tests/data/parsing_values.json by make_parsing_values.py."""

from __future__ import annotations

import json
import pathlib

import pytest

import scopeflow as tf
from tests.data import parsing_model

RECORDED = json.loads(
    (pathlib.Path(__file__).resolve().parents[2] / "data" / "parsing_values.json").read_text()
)

# What scopeflow's message says instead of TF's: TF writes the unparsable bytes as they are,
# scopeflow escapes them (the message stays one readable line).
PREFIX_ONLY = {"Could not parse example input, value: '"}


@pytest.fixture(scope="module")
def computed() -> dict:
    return parsing_model.values(tf)


def _same(mine, want) -> bool:
    if isinstance(want, dict) and "error" in want:
        prefix = next((p for p in PREFIX_ONLY if want["message"].startswith(p)), None)
        if prefix is not None:
            return mine["error"] == want["error"] and mine["message"].startswith(prefix)
    return mine == want


@pytest.mark.parametrize("name", sorted(RECORDED["values"]))
def test_values_and_errors_match_tensorflow(computed, name):
    mine, want = computed[name], RECORDED["values"][name]
    if isinstance(want, list) and want and isinstance(want[0], dict) and "error" in want[0]:
        assert all(_same(m, w) for m, w in zip(mine, want, strict=True)), (mine, want)
    else:
        assert _same(mine, want), (mine, want)


@pytest.mark.parametrize("name", sorted(RECORDED["tensors"]))
def test_serialized_tensors_match_tensorflow(name):
    assert parsing_model.tensors(tf)[name] == RECORDED["tensors"][name]


@pytest.mark.parametrize("name", sorted(RECORDED["sequences"]))
def test_sequence_examples_match_tensorflow(name):
    mine, want = parsing_model.sequences(tf)[name], RECORDED["sequences"][name]
    assert _same(mine, want), (mine, want)


def test_parse_single_example_of_unknown_rank_checks_it_when_run():
    # TF 2.21 builds these ops for a serialized tensor of unknown rank (a queue's dequeue)
    ex = tf.train.Example(
        features=tf.train.Features(
            feature={"n": tf.train.Feature(int64_list=tf.train.Int64List(value=[7]))}
        )
    ).SerializeToString()
    with tf.Graph().as_default() as g:
        s = tf.placeholder(tf.string)
        parsed = tf.parse_single_example(s, {"n": tf.FixedLenFeature([1], tf.int64)})
        assert parsed["n"].shape.as_list() == [1]
        assert [op.name for op in g.get_operations()][1:8] == [
            "ParseSingleExample/Rank",
            "ParseSingleExample/Equal/y",
            "ParseSingleExample/Equal",
            "ParseSingleExample/SerializedIsScalar/Const",
            "ParseSingleExample/SerializedIsScalar/Assert/data_0",
            "ParseSingleExample/SerializedIsScalar/Assert",
            "ParseSingleExample/serializedDependencies",
        ]
        with tf.Session() as sess:
            assert sess.run(parsed["n"], {s: ex}).tolist() == [7]
            with pytest.raises(tf.errors.InvalidArgumentError, match="must be a scalar"):
                sess.run(parsed["n"], {s: [ex, ex]})
        with pytest.raises(ValueError, match="Input serialized must be a scalar"):
            tf.parse_single_example([ex], {"n": tf.FixedLenFeature([1], tf.int64)})
