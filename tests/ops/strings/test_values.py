"""Tests for scopeflow/ops/strings/: kernel cases for every string op (values, dtypes, static
shapes with known, unknown-dimension and unknown-rank inputs), and the values and run-time
errors of tests/data/strings_model.py, word for word as TensorFlow 2.21 gave them (recorded in
tests/data/parsing_values.json by make_parsing_values.py)."""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"
sys.path.insert(0, str(DATA))
import strings_model  # noqa: E402

RECORDED = json.loads((DATA / "parsing_values.json").read_text())["strings"]


@pytest.fixture(scope="module")
def computed() -> dict:
    return strings_model.values(tf)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_values_and_errors_match_tensorflow(computed, name):
    assert computed[name] == RECORDED[name]


def test_a_bad_pattern_fails_with_invalid_argument(run):
    # TF's RE2 says "missing ): (" after the same start; Python's re says it in its own words.
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Invalid pattern: \(, error: "):
        run(tf.regex_replace(["abc"], "(", "x"))


def _strings(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode() for s in items]
    return out


def _sparse(st) -> list:
    return [st.indices, st.values, st.dense_shape]


WORDS = _strings("a b", "", "c")
GRID = _strings("a", "b", "c", "d").reshape(2, 2)

CASES = [
    Case(
        "string_split",
        "StringSplit",
        lambda s: _sparse(tf.string_split(s)),
        (WORDS,),
        [np.int64([[0, 0], [0, 1], [2, 0]]), _strings("a", "b", "c"), np.int64([3, 2])],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "strings.split",
        "StringSplitV2",
        lambda s: _sparse(tf.strings.split(s, sep=" ")),
        (WORDS,),
        [np.int64([[0, 0], [0, 1], [1, 0], [2, 0]]), _strings("a", "b", "", "c"), [3, 2]],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "strings.join",
        "StringJoin",
        lambda s: tf.strings.join([s, "!", s], separator="-"),
        (WORDS,),
        _strings("a b-!-a b", "-!-", "c-!-c"),
    ),
    Case(
        "reduce_join",
        "ReduceJoin",
        lambda g: tf.reduce_join(g, [0, 1], separator=","),
        (GRID,),
        np.array(b"a,c,b,d", dtype=object),
        modes=("full", "dims"),
    ),
    Case(
        "strings.length",
        "StringLength",
        lambda s: tf.strings.length(s),
        (WORDS,),
        np.int32([3, 0, 1]),
    ),
    Case(
        "substr",
        "Substr",
        lambda g: tf.substr(g, 0, 5),
        (GRID,),
        GRID,
    ),
    Case(
        "regex_replace-static",
        "StaticRegexReplace",
        lambda s: tf.regex_replace(s, "[ab]", "<\\0>"),
        (WORDS,),
        _strings("<a> <b>", "", "c"),
    ),
    Case(
        "regex_replace-tensors",
        "RegexReplace",
        lambda s: tf.regex_replace(s, tf.constant(" "), "_"),
        (WORDS,),
        _strings("a_b", "", "c"),
    ),
    Case(
        "string_to_number",
        "StringToNumber",
        lambda s: tf.string_to_number(s, tf.int64),
        (_strings("12", "-3"),),
        np.int64([12, -3]),
    ),
    Case(
        "as_string",
        "AsString",
        lambda x: tf.as_string(x, precision=1),
        (np.float32([[1.25, -2.0]]),),
        _strings("1.2", "-2.0").reshape(1, 2),
    ),
    Case(
        "regex_full_match-static",
        "StaticRegexFullMatch",
        lambda s: tf.strings.regex_full_match(s, "[a-c ]+"),
        (WORDS,),
        np.array([True, False, True]),
    ),
    Case(
        "regex_full_match-tensor",
        "RegexFullMatch",
        lambda s: tf.strings.regex_full_match(s, tf.constant("a.*")),
        (WORDS,),
        np.array([True, False, False]),
    ),
    Case(
        "encode_base64",
        "EncodeBase64",
        lambda s: tf.io.encode_base64(s, pad=True),
        (WORDS,),
        _strings("YSBi", "", "Yw=="),
    ),
    Case(
        "decode_base64",
        "DecodeBase64",
        lambda s: tf.io.decode_base64(s),
        (_strings("YSBi", "", "Yw"),),
        WORDS,
    ),
    Case(
        "to_hash_bucket_fast",
        "StringToHashBucketFast",
        lambda s: tf.strings.to_hash_bucket_fast(s, 1000),
        (_strings("a", "b", "a"),),
        np.int64([939, 822, 939]),  # TF 2.21's buckets
    ),
    Case("lower", "StringLower", lambda s: tf.strings.lower(s), (_strings("AB"),), _strings("ab")),
    Case("upper", "StringUpper", lambda s: tf.strings.upper(s), (_strings("ab"),), _strings("AB")),
    Case("strip", "StringStrip", lambda s: tf.strings.strip(s), (_strings(" a "),), _strings("a")),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)
