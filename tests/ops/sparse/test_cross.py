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


# tf.sparse.cross (SparseCrossV2) and tf.sparse.cross_hashed, values from TF 2.21 compat.v1
LETTERS = np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object)
PAIRS = np.array([[b"x", b"y"], [b"z", b"w"]], dtype=object)


def _counts():
    return tf.SparseTensor([[0, 0], [0, 1], [1, 2]], [3, 3, 5], [2, 4])


V2_CASES = [
    Case(
        "sparse_first",
        "SparseCrossV2",
        lambda h: tf.sparse.cross([h, _counts()]).values,
        (LETTERS,),
        np.array([b"3_X_a", b"3_X_b", b"3_X_a", b"3_X_b", b"5_X_c", b"5_X_d"], dtype=object),
        exact_static=False,
    ),
    Case(
        "dense_separator",
        "SparseCrossV2",
        lambda h: tf.sparse.cross([h[:, :1], PAIRS], separator="+").values,
        (LETTERS[:, ::-1],),
        np.array([b"b+x", b"b+y", b"d+z", b"d+w"], dtype=object),
        exact_static=False,
        modes=("full",),
    ),
    Case(
        "ints",
        "SparseCrossV2",
        lambda h: tf.sparse.cross([tf.constant([[1], [2]], tf.int64), h]).values,
        (np.array([[10, 20], [30, 40]], np.int32),),
        np.array([b"1_X_10", b"1_X_20", b"2_X_30", b"2_X_40"], dtype=object),
        exact_static=False,
    ),
    Case(
        "hashed_default",
        "SparseCross",
        lambda h: tf.sparse.cross_hashed([tf.constant([["a"], ["b"]]), h]).values,
        (PAIRS,),
        np.array(
            [1484974617627318892, 3920818148696658747, 2212269421006233460, 3635312390071628983]
        ),
        exact_static=False,
    ),
    Case(
        "hashed_key",
        "SparseCross",
        lambda h: (
            tf.sparse.cross_hashed(
                [tf.constant([["a"], ["b"]]), h], num_buckets=100, hash_key=7
            ).values
        ),
        (np.array([[1, 2], [3, 4]], np.int32),),
        np.array([77, 40, 82, 71]),
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(V2_CASES))
def test_cross_kernels(run, case, mode):
    check_case(run, case, mode)


def test_cross_of_two_sparse_inputs_and_its_graph(graph, run):
    other = tf.SparseTensor([[0, 1], [1, 0], [1, 3]], ["p", "q", "r"], [2, 5])
    crossed = tf.sparse.cross([_counts(), other])
    assert crossed.values.op.name == "SparseCrossV2"
    assert crossed.values.op.inputs[0].op.type == "Const"
    assert [crossed.indices.shape.as_list(), crossed.dense_shape.shape.as_list()] == [
        [None, 2],
        [2],
    ]
    value = run(crossed)
    assert value.values.tolist() == [b"3_X_p", b"3_X_p", b"5_X_q", b"5_X_r"]
    assert value.indices.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert value.dense_shape.tolist() == [2, 2]
    with pytest.raises(TypeError, match="Inputs must be a list"):
        tf.sparse.cross(_counts())
