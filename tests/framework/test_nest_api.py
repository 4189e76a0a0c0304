"""Tests for scopeflow/nest.py (``tf.nest``, ``tf.contrib.framework.nest``): each result
and error below is what TF 2.21's ``tf.nest`` and ``tensorflow.python.util.nest`` (TF1.15's
``tf.contrib.framework.nest``) gave for the same call."""

from __future__ import annotations

import collections

import pytest

import scopeflow as tf

nest = tf.contrib.framework.nest
P = collections.namedtuple("P", "x y")


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: nest.flatten_up_to([0, 0], [[1, 2], (3, 4)]), [[1, 2], (3, 4)]),
        (
            lambda: nest.flatten_up_to({"a": 0, "b": [0, 0]}, {"b": [1, (2, 3)], "a": [4]}),
            [[4], 1, (2, 3)],
        ),
        (lambda: nest.flatten_up_to([0, 0], (1, 2), check_types=False), [1, 2]),
        (
            lambda: nest.map_structure_up_to([0, 0], lambda a, b: (a, b), [[1], 2], [3, [4]]),
            [([1], 3), (2, [4])],
        ),
        (lambda: nest.flatten_dict_items({(1, 2): (3, 4), 5: 6}), {1: 3, 2: 4, 5: 6}),
        (
            lambda: nest.flatten_with_joined_string_paths({"a": [1, {"c": 2}], "b": P(3, 4)}),
            [("a/0", 1), ("a/1/c", 2), ("b/x", 3), ("b/y", 4)],
        ),
        (
            lambda: tf.nest.map_structure(lambda a, b: a + b, [1, 2], (3, 4), check_types=False),
            [4, 6],
        ),
        (lambda: tf.nest.pack_sequence_as(P(0, [0]), [1, 2]), P(1, [2])),
        (lambda: tf.nest.flatten(P(1, {"z": 2, "a": 3})), [1, 3, 2]),
        (lambda: tf.nest.flatten("ab"), ["ab"]),
        (lambda: tf.nest.flatten(None), [None]),
        (lambda: [tf.nest.is_nested(v) for v in ("ab", P(1, 2), {})], [False, True, True]),
    ],
)
def test_values_are_tf1s(call, expected):
    assert call() == expected


def test_an_ordered_dict_is_packed_in_its_own_key_order():
    packed = tf.nest.pack_sequence_as(collections.OrderedDict([("b", 0), ("a", 0)]), [7, 8])
    assert type(packed) is collections.OrderedDict
    assert list(packed.items()) == [("b", 8), ("a", 7)]  # values by sorted key, as TF
    assert tf.nest.flatten(packed) == [7, 8]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: nest.flatten_up_to([0, 0], (1, 2)), TypeError, "same sequence type"),
        (lambda: nest.flatten_up_to([0, 0], [1]), ValueError, "same sequence length"),
        (lambda: nest.flatten_up_to([0, [0]], [1, 2]), TypeError, "input must also be"),
        (lambda: nest.flatten_dict_items({(1, 2): (3, 4, 5)}), ValueError, "Key had 2"),
        (lambda: nest.flatten_dict_items({(1, 2): (3, 4), 1: 0}), ValueError, "not unique: 1"),
        (lambda: nest.flatten_dict_items([1]), TypeError, "must be a dictionary"),
        (
            lambda: tf.nest.map_structure(lambda a, b: a + b, [1, 2], (3, 4)),
            TypeError,
            "same nested structure",
        ),
        (lambda: tf.nest.map_structure(lambda a: a, [1], foo=1), ValueError, "not: `foo`"),
        (lambda: tf.nest.map_structure(1, [1]), TypeError, "func must be callable"),
        (lambda: tf.nest.map_structure(lambda a: a), ValueError, "at least one structure"),
        (
            lambda: tf.nest.assert_same_structure([1, [2]], ([1], 2), check_types=False),
            ValueError,
            "same nested structure",
        ),
        (lambda: tf.nest.pack_sequence_as([0, 0], 5), TypeError, "Attempted to pack value"),
        (lambda: tf.nest.pack_sequence_as([0, 0], [1]), ValueError, "Could not pack"),
        (lambda: tf.nest.flatten([1], expand_composites=True), NotImplementedError, "indices"),
    ],
)
def test_errors_are_tf1s(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_check_types_false_accepts_a_tuple_for_a_list_at_any_depth():
    tf.nest.assert_same_structure([1, (2, 3)], (4, [5, 6]), check_types=False)
