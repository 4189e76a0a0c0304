"""``tf.io.serialize_sparse``, ``serialize_many_sparse`` and ``deserialize_many_sparse``
(``SerializeSparse``, ``SerializeManySparse``, ``DeserializeManySparse``): a ``SparseTensor`` as
three serialized ``TensorProto`` strings (its indices, values and dense shape; TF's bytes), or
as ``[N, 3]`` of them, one row per entry of its first dimension, and back.

With ``out_type=tf.variant`` the three parts are kept as arrays (``ops/sparse/serialize.py``),
as ``tf.data`` carries sparse components.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     sp = tf.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 2])
...     back = tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp), tf.float32)
...     with tf.Session() as sess:
...         print(sess.run(back).indices.tolist())
[[0, 1], [2, 0]]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.parsing.tensor_proto import _tf_name, parse_tensor_proto, tensor_proto_bytes
from scopeflow.ops.sparse.serialize import combine_serialized
from scopeflow.ops.sparse.tensor import SparseTensor, as_sparse

TensorShape = tensor_shape.TensorShape


def _parts(out_type, indices, values, dense_shape, value_dtype) -> list:
    parts = [np.asarray(indices, np.int64), np.asarray(values), np.asarray(dense_shape, np.int64)]
    if out_type == dtypes.string:
        types = [dtypes.int64, value_dtype, dtypes.int64]
        return [tensor_proto_bytes(p, t) for p, t in zip(parts, types, strict=True)]
    return parts


def _serialize_infer(inputs, attrs):
    return [(attrs["out_type"], TensorShape([3]))]


def _serialize_kernel(ctx, op, indices, values, dense_shape):
    out = np.empty(3, dtype=object)
    out[:] = _parts(op._attrs["out_type"], indices, values, dense_shape, op._attrs["T"])
    return out


def _serialize_many_infer(inputs, attrs):
    rank = inputs[0].shape.with_rank(2)[1]
    if rank.value is not None and rank.value < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {rank.value}")
    return [(attrs["out_type"], TensorShape([None, 3]))]


def _serialize_many_kernel(ctx, op, indices, values, dense_shape):
    indices = np.asarray(indices, np.int64)
    values, dense_shape = np.asarray(values), np.asarray(dense_shape, np.int64)
    if dense_shape.size < 2:
        raise errors.InvalidArgumentError(
            None, op, f"Rank of input SparseTensor should be > 1, but saw rank: {dense_shape.size}"
        )
    rows = int(dense_shape[0])
    out = np.empty((rows, 3), dtype=object)
    order = np.argsort(indices[:, 0], kind="stable")
    indices, values = indices[order], values[order]
    bounds = np.searchsorted(indices[:, 0], np.arange(rows + 1))
    for row in range(rows):
        part = slice(bounds[row], bounds[row + 1])
        out[row, :] = _parts(
            op._attrs["out_type"], indices[part, 1:], values[part], dense_shape[1:], op._attrs["T"]
        )
    return out


def _deserialize_many_infer(inputs, attrs):
    inputs[0].shape.with_rank(2)
    return [
        (dtypes.int64, TensorShape([None, None])),
        (attrs["dtype"], TensorShape([None])),
        (dtypes.int64, TensorShape([None])),
    ]


def _deserialize_many_kernel(ctx, op, serialized):
    serialized = np.asarray(serialized, dtype=object)
    if serialized.ndim != 2 or serialized.shape[1] != 3:
        raise errors.InvalidArgumentError(
            None, op, f"Serialized sparse should be a matrix with 3 columns, got shape "
            f"{list(serialized.shape)}",
        )  # fmt: skip
    dtype = op._attrs["dtype"]
    triples = np.empty(serialized.shape, dtype=object)
    for i, row in enumerate(serialized):
        try:
            parsed = [parse_tensor_proto(bytes(part)) for part in row]
        except (ValueError, IndexError, TypeError):
            raise errors.InvalidArgumentError(
                None, op, "Could not parse serialized proto"
            ) from None
        if parsed[1][0] != dtype.as_datatype_enum:
            got = _tf_name(dtypes.as_dtype(parsed[1][0]))
            raise errors.InvalidArgumentError(
                None, op, f"Requested SparseTensor of type {_tf_name(dtype)} but "
                f"SparseTensor[{i}].values.dtype() == {got}",
            )  # fmt: skip
        for j, (enum, dims, array) in enumerate(parsed):
            numpy_dtype = dtypes.as_dtype(enum).as_numpy_dtype
            array = np.zeros(dims, numpy_dtype) if array is None else array.reshape(dims)
            triples[i, j] = array
    try:
        return combine_serialized(triples, dtype)
    except ValueError as e:
        raise errors.InvalidArgumentError(None, op, str(e)) from None


_FACTS = {"grad": NOT_DIFFERENTIABLE, "host_only": True}
register_op("SerializeSparse", _serialize_infer, kernel=_serialize_kernel, **_FACTS)
register_op("SerializeManySparse", _serialize_many_infer, kernel=_serialize_many_kernel, **_FACTS)
register_op(
    "DeserializeManySparse", _deserialize_many_infer, kernel=_deserialize_many_kernel, **_FACTS
)


def _serialize(op_type: str, sp_input, out_type, name):
    sp = as_sparse(sp_input)
    attrs = {"T": sp.values.dtype.base_dtype, "out_type": dtypes.as_dtype(out_type)}
    inputs = [sp.indices, sp.values, sp.dense_shape]
    return get_default_graph().create_op(op_type, inputs, attrs, name or op_type).outputs[0]


@undo.atomic
def serialize_sparse(sp_input, name=None, out_type=dtypes.string):
    """``sp_input`` as a ``[3]`` tensor: its indices, values and dense shape, each a
    serialized ``TensorProto`` (``out_type=tf.variant``: kept as they are)."""
    return _serialize("SerializeSparse", sp_input, out_type, name)


@undo.atomic
def serialize_many_sparse(sp_input, name=None, out_type=dtypes.string):
    """``sp_input`` (rank 2 or more) as ``[N, 3]``: row ``i`` serializes the entries whose
    first index is ``i``, without that index."""
    return _serialize("SerializeManySparse", sp_input, out_type, name)


@undo.atomic
def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """The ``SparseTensor`` of values ``dtype`` whose rows are the ``[N, 3]`` serialized
    sparse tensors ``serialized_sparse`` (its dense shape: ``N``, then each dimension's
    largest); ``rank`` sets the static rank of the result."""
    attrs = {"dtype": dtypes.as_dtype(dtype).base_dtype}
    op = get_default_graph().create_op(
        "DeserializeManySparse", [serialized_sparse], attrs, name or "DeserializeManySparse"
    )
    indices, values, shape = op.outputs
    if rank is not None:
        indices.set_shape([None, rank])
        shape.set_shape([rank])
    return SparseTensor(indices, values, shape)


__all__ = ["deserialize_many_sparse", "serialize_many_sparse", "serialize_sparse"]
