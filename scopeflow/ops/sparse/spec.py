"""``tf.SparseTensorSpec``: the type of a ``SparseTensor`` (its dense shape, maybe partial,
and its values' dtype), made of three tensors: indices, values and dense shape."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.framework.type_spec import TypeSpec
from scopeflow.ops.sparse.tensor import SparseTensor, SparseTensorValue

__all__ = ["SparseTensorSpec"]


class SparseTensorSpec(TypeSpec):
    """Describes a ``SparseTensor``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.SparseTensorSpec.from_value(tf.SparseTensor([[0, 1]], [1.0], [2, 3]))
    SparseTensorSpec(TensorShape([Dimension(2), Dimension(3)]), tf.float32)
    """

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = tensor_shape.as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    value_type = property(lambda self: SparseTensor)

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype)

    @property
    def _component_specs(self) -> list:
        rank = self._shape.ndims
        return [
            TensorSpec([None, rank], dtypes.int64),
            TensorSpec([None], self._dtype),
            TensorSpec([rank], dtypes.int64),
        ]

    def _to_components(self, value) -> list:
        if isinstance(value, SparseTensorValue):
            value = SparseTensor.from_value(value)
        return [value.indices, value.values, value.dense_shape]

    def _from_components(self, components):
        indices, values, dense_shape = components
        if all(isinstance(c, np.ndarray) for c in components):
            return SparseTensorValue(indices, values, dense_shape)
        return SparseTensor(indices, values, dense_shape)

    @classmethod
    def from_value(cls, value) -> SparseTensorSpec:
        """The spec of a ``SparseTensor`` or ``SparseTensorValue``."""
        if isinstance(value, SparseTensor):
            return cls(value.shape, value.dtype)
        if isinstance(value, SparseTensorValue):
            dtype = dtypes.as_dtype(np.asarray(value.values).dtype)
            return cls(np.asarray(value.dense_shape).tolist(), dtype)
        raise TypeError(
            f"Expected SparseTensor or SparseTensorValue. Received: {value!r} of type "
            f"{type(value).__name__}."
        )
