"""Tests for scopeflow/ragged/strings_dispatch.py: tf.strings' element-wise functions (and
TF1's root names for them) on RaggedTensors, reduce_join of ragged rows; values as TF 2.21
(compat.v1, graph mode) dispatches them."""

from __future__ import annotations

import pytest

import scopeflow as tf


def _rt():
    return tf.ragged.constant([["Ab", " c "], ["12"]])


def _ri():
    return tf.ragged.constant([[104, 1041], [33]])


VALUES = {
    "lower": (lambda: tf.strings.lower(_rt()), [[b"ab", b" c "], [b"12"]]),
    "upper": (lambda: tf.strings.upper(_rt()), [[b"AB", b" C "], [b"12"]]),
    "strip": (lambda: tf.strings.strip(_rt()), [[b"Ab", b"c"], [b"12"]]),
    "length": (lambda: tf.strings.length(_rt()), [[2, 3], [2]]),
    "length_chars": (lambda: tf.strings.length(_rt(), unit="UTF8_CHAR"), [[2, 3], [2]]),
    "substr": (lambda: tf.strings.substr(_rt(), 0, 1), [[b"A", b" "], [b"1"]]),
    "regex_replace": (
        lambda: tf.strings.regex_replace(_rt(), "b", "x"),
        [[b"Ax", b" c "], [b"12"]],
    ),
    "regex_full_match": (
        lambda: tf.strings.regex_full_match(_rt(), "A.*"),
        [[True, False], [False]],
    ),
    "to_hash_bucket_fast": (lambda: tf.strings.to_hash_bucket_fast(_rt(), 10), [[6, 4], [8]]),
    "to_hash_bucket_strong": (
        lambda: tf.strings.to_hash_bucket_strong(_rt(), 10, [1, 2]),
        [[7, 7], [2]],
    ),
    "to_hash_bucket": (lambda: tf.strings.to_hash_bucket(_rt(), 10), [[0, 3], [6]]),
    "as_string": (lambda: tf.strings.as_string(_ri()), [[b"104", b"1041"], [b"33"]]),
    "unicode_script": (lambda: tf.strings.unicode_script(_ri()), [[25, 8], [0]]),
    "join": (
        lambda: tf.strings.join([_rt(), _rt()], separator="-"),
        [[b"Ab-Ab", b" c - c "], [b"12-12"]],
    ),
    "reduce_join": (lambda: tf.strings.reduce_join(_rt(), axis=1), [b"Ab c ", b"12"]),
    "root_substr": (lambda: tf.substr(_rt(), 0, 1), [[b"A", b" "], [b"1"]]),
    "root_as_string": (lambda: tf.as_string(_ri()), [[b"104", b"1041"], [b"33"]]),
    "root_regex_replace": (lambda: tf.regex_replace(_rt(), "b", "x"), [[b"Ax", b" c "], [b"12"]]),
    "root_hash_bucket_fast": (lambda: tf.string_to_hash_bucket_fast(_rt(), 10), [[6, 4], [8]]),
    "dense_still_dense": (lambda: tf.strings.lower(["Ab"]), [b"ab"]),
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_tensorflow(graph, run, name):
    build, expected = VALUES[name]
    value = run(build())
    assert (value.to_list() if hasattr(value, "to_list") else value.tolist()) == expected


def test_to_number_takes_no_ragged_tensor_as_in_tensorflow(graph):
    with pytest.raises(TypeError, match="RaggedTensor"):
        tf.strings.to_number(tf.ragged.constant([["1.5"], ["2"]]))
