"""Tests for scopeflow/ragged/cross.py (tf.ragged.cross, cross_hashed; RaggedCross): values,
hashes, names, shapes and messages as TF 2.21 (compat.v1, graph mode) gave them."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case


def _strings(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode() for s in items]
    return out


def _parts(rt):
    return [rt.flat_values, rt.row_splits]


WORDS, SPLITS = _strings("a", "b", "c"), np.int64([0, 2, 3, 3])
DENSE = _strings("d1", "d2", "d3").reshape(3, 1)
CASES = [
    Case(
        "cross",
        "RaggedCross",
        lambda v, s, d: _parts(
            tf.ragged.cross([tf.RaggedTensor.from_row_splits(v, s, validate=False), d])
        ),
        (WORDS, SPLITS, DENSE),
        [_strings("a_X_d1", "b_X_d1", "c_X_d2"), np.int64([0, 2, 3, 3])],
        modes=("full", "dims"),
        exact_static=False,
    ),
    Case(
        "cross_hashed",
        "RaggedCross",
        lambda v, s, d: _parts(
            tf.ragged.cross_hashed([tf.RaggedTensor.from_row_splits(v, s, validate=False), d])
        ),
        (WORDS, SPLITS, DENSE),
        [
            np.int64([4705132420345673495, 8127185793215610291, 2374569870005986482]),
            np.int64([0, 2, 3, 3]),
        ],
        modes=("full", "dims"),
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


def _r():
    return tf.ragged.constant([["a", "b"], ["c"], []])


def _sp():
    return tf.SparseTensor([[0, 0], [1, 0], [1, 1]], tf.constant(["x", "y", "z"]), [3, 2])


def _ri():
    return tf.ragged.constant([[1, 2], [3], [4]], dtype=tf.int64)


VALUES = {
    "ragged_sparse_dense": (
        lambda: tf.ragged.cross([_r(), _sp(), [["d1"], ["d2"], ["d3"]]]),
        [[b"a_X_x_X_d1", b"b_X_x_X_d1"], [b"c_X_y_X_d2", b"c_X_z_X_d2"], []],
    ),
    "ints": (
        lambda: tf.ragged.cross([_ri(), [["d1"], ["d2"], ["d3"]]]),
        [[b"1_X_d1", b"2_X_d1"], [b"3_X_d2"], [b"4_X_d3"]],
    ),
    "buckets": (
        lambda: tf.ragged.cross_hashed([_r(), _sp(), _ri()], num_buckets=100),
        [[50, 20, 37, 5], [27, 91], []],
    ),
    "hash_key": (
        lambda: tf.ragged.cross_hashed([_r(), [["d1"], ["d2"], ["d3"]]], 10, hash_key=7),
        [[8, 8], [8], []],
    ),
    "one_input": (lambda: tf.ragged.cross([_r()]), [[b"a", b"b"], [b"c"], []]),
    "int32": (lambda: tf.ragged.cross([tf.ragged.constant([[1]]), [["a"]]]), [[b"1_X_a"]]),
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_tensorflow(graph, run, name):
    build, expected = VALUES[name]
    assert run(build()).to_list() == expected


def test_names_and_errors_match_tensorflow(graph):
    rt = tf.ragged.cross([_r(), [["d1"], ["d2"], ["d3"]]])
    assert (rt.flat_values.name, rt.row_splits.name, rt.shape.as_list()) == (
        "RaggedCross/RaggedCross:0",
        "RaggedCross/RaggedCross:1",
        [3, None],
    )
    assert rt.flat_values.op.get_attr("input_order") == b"RD"
    with pytest.raises(ValueError, match="Unexpected dtype for inputs\\[0\\]: <dtype: 'float32'>"):
        tf.ragged.cross([tf.ragged.constant([[1.0]])])
    with pytest.raises(ValueError, match="only supports inputs with rank=2"):
        tf.ragged.cross([tf.ragged.constant([[["a"]]])])
    with pytest.raises(ValueError, match="inputs must all have the same batch dimension size."):
        tf.ragged.cross([_r(), tf.constant([["a"]])])
