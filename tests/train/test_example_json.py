"""``tf.io.decode_json_example``: JSON Examples parse to the values TF 2.21's bytes parse to;
errors as TF's."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

JSON = (
    '{"features": {"feature": {"a": {"int64List": {"value": ["1", "2"]}}, '
    '"b": {"floatList": {"value": [0.5]}}, "c": {"bytesList": {"value": ["aGk="]}}}}}'
)
# TF 2.21's bytes for JSON (its writer keeps the JSON's key order and leaves lists unpacked;
# scopeflow's protobuf may order the map and pack the lists otherwise: the same Example)
TF_BYTES = (
    b"\n(\n\x0b\n\x01a\x12\x06\x1a\x04\x08\x01\x08\x02\n\x0c\n\x01b\x12\x07\x12\x05\r\x00\x00"
    b"\x00?\n\x0b\n\x01c\x12\x06\n\x04\n\x02hi"
)
FEATURES = {
    "a": tf.io.VarLenFeature(tf.int64),
    "b": tf.io.FixedLenFeature([1], tf.float32),
    "c": tf.io.FixedLenFeature([], tf.string),
}


def _s(*items) -> np.ndarray:
    return np.array(items, dtype=object)


CASES = [
    Case("empty", "DecodeJSONExample", tf.io.decode_json_example, (_s("{}", "{}"),), _s(b"", b"")),
    Case(
        "no-such-field",
        "DecodeJSONExample",
        tf.io.decode_json_example,
        (np.array('{"foo": 1}', dtype=object),),
        Raises(tf.errors.InvalidArgumentError, "Error while parsing JSON"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_parses_to_the_values_of_tfs_bytes(run):
    ours = tf.io.parse_example(tf.io.decode_json_example([JSON]), FEATURES)
    theirs = tf.io.parse_example(tf.constant([TF_BYTES]), FEATURES)
    got, want = run([ours, theirs])
    np.testing.assert_array_equal(got["a"].values, [1, 2])
    for key in ("b", "c"):
        np.testing.assert_array_equal(got[key], want[key])
    np.testing.assert_array_equal(got["a"].values, want["a"].values)
    assert tf.decode_json_example is tf.io.decode_json_example
