"""``tf.io.decode_compressed``: values and errors as TF 2.21 gives them."""

from __future__ import annotations

import gzip
import zlib

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case


def _s(*items) -> np.ndarray:
    return np.array(items, dtype=object)


def _decode(kind):
    return lambda data: tf.io.decode_compressed(data, compression_type=kind)


CASES = [
    Case("none", "DecodeCompressed", _decode(""), (_s(b"abc", b""),), _s(b"abc", b"")),
    Case(
        "zlib",
        "DecodeCompressed",
        _decode("ZLIB"),
        (_s(zlib.compress(b"hello"), zlib.compress(b"")),),
        _s(b"hello", b""),
    ),
    Case(
        "gzip",
        "DecodeCompressed",
        _decode("GZIP"),
        (_s([gzip.compress(b"xxxxx")], [gzip.compress(b"yz")]),),
        _s([b"xxxxx"], [b"yz"]),
    ),
    Case(
        "bad-gzip",
        "DecodeCompressed",
        _decode("GZIP"),
        (_s(b"notgzip"),),
        Raises(tf.errors.DataLossError, "inflate() failed with error -3: incorrect header"),
    ),
    Case(
        "unknown",
        "DecodeCompressed",
        _decode("BAD"),
        (_s(b"a"),),
        Raises(tf.errors.InvalidArgumentError, "Only ZLIB, ZSTD, GZIP or NONE are supported"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_names_as_in_tf(graph):
    out = tf.decode_compressed([b"a"], "ZLIB")
    assert out.op.name == "DecodeCompressed"
    assert [t.name for t in out.op.inputs] == ["DecodeCompressed/bytes:0"]
    assert out.op.get_attr("compression_type") == b"ZLIB"
