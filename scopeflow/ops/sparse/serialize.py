"""``SerializeSparse`` and ``DeserializeSparse`` with ``out_type=variant``: a ``SparseTensor``
as one ``[3]`` variant tensor (its indices, values and dense shape) and back, as ``tf.data``
carries sparse components of its elements (``SerializeSparse`` itself is registered with its
string form in ``ops/parsing/sparse_serialize.py``). A batch of them (``[..., 3]``)
deserializes to one ``SparseTensor`` whose leading dimensions are the batch's, as in TF.

At run time a serialized sparse tensor is a ``[3]`` NumPy ``object`` array of its three
arrays, so batching stacks them like any other component.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.sparse.tensor import SparseTensor

TensorShape = tensor_shape.TensorShape


def _deserialize_infer(inputs, attrs):
    return [
        (dtypes.int64, TensorShape([None, None])),
        (attrs["dtype"], TensorShape([None])),
        (dtypes.int64, TensorShape([None])),
    ]


def combine_serialized(serialized, dtype) -> tuple:
    """``(indices, values, dense_shape)`` of the one sparse tensor that the serialized sparse
    tensors ``serialized`` (``[..., 3]``, see the module) make, the batch dimensions first
    and each dimension after them the largest of its tensors'.

    Raises:
        ValueError: not ``[..., 3]``, or the tensors' ranks differ.
    """
    serialized = np.asarray(serialized, dtype=object)
    if serialized.ndim == 0 or serialized.shape[-1] != 3:
        raise ValueError(
            f"Serialized sparse should have 3 as the last dimension {list(serialized.shape)}"
        )
    batch = serialized.shape[:-1]
    triples = serialized.reshape(-1, 3)
    numpy_dtype = dtypes.as_dtype(dtype).as_numpy_dtype
    if not len(triples):
        return np.zeros((0, len(batch)), np.int64), np.empty(0, numpy_dtype), np.int64(batch)
    shapes = [np.asarray(t[2], np.int64) for t in triples]
    if len({s.size for s in shapes}) > 1:
        raise ValueError("Inconsistent shape across SparseTensors: rank prior to SparseTensor")
    inner = np.max(np.stack(shapes), axis=0)
    positions = np.array(list(np.ndindex(*batch)), dtype=np.int64).reshape(len(triples), -1)
    indices = [
        np.concatenate([np.repeat(pos[None], len(t[0]), 0), np.asarray(t[0], np.int64)], 1)
        for pos, t in zip(positions, triples, strict=True)
    ]
    values = np.concatenate([np.asarray(t[1], numpy_dtype) for t in triples])
    dense_shape = np.concatenate([np.int64(batch), inner]).astype(np.int64)
    return np.concatenate(indices).astype(np.int64), values, dense_shape


def _deserialize_kernel(ctx, op, serialized):
    try:
        return combine_serialized(serialized, op._attrs["dtype"])
    except ValueError as e:
        raise errors.InvalidArgumentError(None, op, str(e)) from None


register_op(
    "DeserializeSparse",
    _deserialize_infer,
    kernel=_deserialize_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def serialize_sparse_variant(sp: SparseTensor, name: str = "SerializeSparse"):
    """``sp`` as a ``[3]`` variant tensor (``SerializeSparse``, ``out_type=variant``)."""
    attrs = {"T": sp.values.dtype.base_dtype, "out_type": dtypes.variant}
    inputs = [sp.indices, sp.values, sp.dense_shape]
    return get_default_graph().create_op("SerializeSparse", inputs, attrs, name).outputs[0]


def deserialize_sparse_variant(serialized, dtype, shape, name: str = "DeserializeSparse"):
    """The ``SparseTensor`` of values ``dtype`` and dense ``shape`` (static, batch dimensions
    first) that the variant tensor ``serialized`` holds."""
    attrs = {"dtype": dtypes.as_dtype(dtype).base_dtype, "Tserialized": dtypes.variant}
    op = get_default_graph().create_op("DeserializeSparse", [serialized], attrs, name)
    indices, values, dense_shape = op.outputs
    shape = TensorShape(shape)
    if shape.ndims is not None:
        indices.set_shape([None, shape.ndims])
        dense_shape.set_shape([shape.ndims])
    return SparseTensor(indices, values, dense_shape)
