"""``tf.io.serialize_sparse``, ``serialize_many_sparse``, ``deserialize_many_sparse``: TF 2.21's
bytes, names, shapes and errors for the same sparse tensors (written here as literals)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

V = np.array([1.5, 2.5], dtype=np.float32)
# TF 2.21's SerializeSparse of SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 2]).
TF_SPARSE = [
    b'\x08\t\x12\x08\x12\x02\x08\x02\x12\x02\x08\x02" ' + bytes([0] * 8 + [1] + [0] * 7 + [2])
    + bytes(15),
    b'\x08\x01\x12\x04\x12\x02\x08\x02"\x08\x00\x00\xc0?\x00\x00 @',
    b'\x08\t\x12\x04\x12\x02\x08\x02"\x10\x03' + bytes(7) + b"\x02" + bytes(7),
]  # fmt: skip
# Its SerializeManySparse: one row per first index (row 1 has no entries).
_SHAPE_ROW = b'\x08\t\x12\x04\x12\x02\x08\x01"\x08\x02' + bytes(7)
TF_MANY = [
    [b'\x08\t\x12\x08\x12\x02\x08\x01\x12\x02\x08\x01"\x08\x01' + bytes(7),
     b'\x08\x01\x12\x04\x12\x02\x08\x01"\x04\x00\x00\xc0?', _SHAPE_ROW],
    [b"\x08\t\x12\x06\x12\x00\x12\x02\x08\x01", b"\x08\x01\x12\x02\x12\x00", _SHAPE_ROW],
    [b'\x08\t\x12\x08\x12\x02\x08\x01\x12\x02\x08\x01"\x08' + bytes(8),
     b'\x08\x01\x12\x04\x12\x02\x08\x01"\x04\x00\x00 @', _SHAPE_ROW],
]  # fmt: skip


def _sparse(values):
    return tf.SparseTensor([[0, 1], [2, 0]], values, [3, 2])


def _parts(sp) -> list:
    return [sp.indices, sp.values, sp.dense_shape]


def _objects(rows):
    out = np.empty((len(rows), len(rows[0])) if isinstance(rows[0], list) else len(rows), object)
    out[...] = rows
    return out


CASES = [
    Case(
        "serialize",
        "SerializeSparse",
        lambda v: tf.io.serialize_sparse(_sparse(v)),
        (V,),
        _objects(TF_SPARSE),
        modes=("full",),
    ),
    Case(
        "serialize_many",
        "SerializeManySparse",
        lambda v: tf.io.serialize_many_sparse(_sparse(v)),
        (V,),
        _objects(TF_MANY),
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "round_trip",
        "DeserializeManySparse",
        lambda v: _parts(
            tf.deserialize_many_sparse(tf.serialize_many_sparse(_sparse(v)), tf.float32)
        ),
        (V,),
        [np.int64([[0, 1], [2, 0]]), V, np.int64([3, 2])],
        modes=("full",),
        exact_static=False,
    ),
    Case(
        "wrong_dtype",
        "DeserializeManySparse",
        lambda v: tf.deserialize_many_sparse(tf.serialize_many_sparse(_sparse(v)), tf.int32).values,
        (V,),
        Raises(
            tf.errors.InvalidArgumentError,
            "Requested SparseTensor of type int32 but SparseTensor[0].values.dtype() == float",
        ),
        modes=("full",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_shapes_and_stacked_rows_as_tf(graph):
    sp = _sparse(V)
    s, m = tf.io.serialize_sparse(sp), tf.io.serialize_many_sparse(sp)
    d = tf.io.deserialize_many_sparse(m, tf.float32, rank=2)
    stacked = tf.deserialize_many_sparse(tf.stack([s, s]), tf.float32)
    assert [s.name, s.shape.as_list(), m.name, m.shape.as_list()] == [
        "SerializeSparse:0",
        [3],
        "SerializeManySparse:0",
        [None, 3],
    ]
    assert [d.indices.shape.as_list(), d.dense_shape.shape.as_list()] == [[None, 2], [2]]
    assert tf.serialize_sparse(sp, out_type=tf.variant).dtype == tf.variant
    with tf.Session() as sess:
        got = sess.run(stacked)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Could not parse serialized"):
            sess.run(tf.deserialize_many_sparse(tf.constant([["a", "b", "c"]]), tf.float32))
    assert got.indices.tolist() == [[0, 0, 1], [0, 2, 0], [1, 0, 1], [1, 2, 0]]
    assert got.dense_shape.tolist() == [2, 3, 2]
