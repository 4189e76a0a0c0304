"""Tests for scopeflow/ops/sparse/cross.py: ``SparseCross`` gives TF's hashed crosses (values
read from TensorFlow 2.21 for the same inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.sparse.cross import fingerprint_cat64, sparse_cross_hashed
from tests.ops.kernel_table import Case, cases_by_mode, check_case

WORDS = np.array([[b"f"], [b"g"]], dtype=object)
INTS = np.array([[3, 4], [5, 6]], np.int64)


def _a():
    return tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["a", "b", "c"], [2, 2])


def _b():
    return tf.SparseTensor([[0, 0], [1, 0]], ["d", "e"], [2, 1])


def _values(*inputs, **kwargs):
    return lambda *holders: sparse_cross_hashed([f(holders) for f in inputs], **kwargs).values


CASES = [
    Case(
        "three_features",
        "SparseCross",
        _values(lambda h: _a(), lambda h: _b(), lambda h: h[0]),
        (WORDS,),
        np.array([5684865645872741371, 1392610987527938559, 6629649657679214674]),
        exact_static=False,
    ),
    Case(
        "buckets",
        "SparseCross",
        _values(lambda h: _a(), lambda h: _b(), lambda h: h[0], num_buckets=100),
        (WORDS,),
        np.array([78, 66, 74]),
        exact_static=False,
    ),
    Case(
        "ints_and_key",
        "SparseCross",
        _values(lambda h: h[0], lambda h: h[1], num_buckets=7, hash_key=5),
        (WORDS, INTS),
        np.array([5, 1, 5, 5]),
        exact_static=False,
        modes=("full",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_rows_without_features_cross_to_nothing(run):
    ids = tf.SparseTensor([[1, 0]], tf.constant([9], tf.int64), [2, 1])
    value = run(sparse_cross_hashed([_a(), ids], 11))
    assert value.indices.tolist() == [[1, 0], [1, 1]]
    assert value.values.tolist() == [6, 10]  # TF 2.21
    assert value.dense_shape.tolist() == [2, 2]


def test_fingerprint_cat64_mixes_both_sides():
    assert fingerprint_cat64(1, 2) != fingerprint_cat64(2, 1)
    assert 0 <= fingerprint_cat64(2**64 - 1, 2**64 - 1) < 2**64
