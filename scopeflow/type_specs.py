"""The ``tf.TypeSpec`` family at the top level: ``tf.IndexedSlicesSpec``, ``tf.NoneTensorSpec``
and ``tf.type_spec_from_value`` (the spec of any value: a tensor, variable, sparse or ragged
tensor, ``IndexedSlices``, ``TensorArray``, dataset, optional, ``None``, or anything
``tf.convert_to_tensor`` takes). The specs of other packages (``tf.data.DatasetSpec``,
``tf.OptionalSpec``) count as ``tf.TypeSpec`` here too."""

from __future__ import annotations

from scopeflow.data.dataset import Dataset
from scopeflow.data.element_specs import DatasetSpec
from scopeflow.data.optional import Optional, OptionalSpec
from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import Graph
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.framework.type_spec import TypeSpec
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.tensor_array_spec import TensorArraySpec
from scopeflow.ops.core.infer import shape_value
from scopeflow.ops.sparse.spec import SparseTensorSpec
from scopeflow.ops.sparse.tensor import SparseTensor, SparseTensorValue
from scopeflow.ragged.spec import RaggedTensorSpec
from scopeflow.ragged.tensor import RaggedTensor
from scopeflow.variables.variables import Variable

__all__ = ["IndexedSlicesSpec", "NoneTensorSpec", "type_spec_from_value"]

TypeSpec.register(DatasetSpec)
TypeSpec.register(OptionalSpec)


class IndexedSlicesSpec(TypeSpec):
    """Describes an ``IndexedSlices``: the dense shape, the values' dtype, the indices' dtype,
    the dense shape's dtype (``None``: no dense shape) and the indices' shape.

    >>> import scopeflow as tf
    >>> tf.IndexedSlicesSpec([5, 3])
    IndexedSlicesSpec(TensorShape([Dimension(5), Dimension(3)]), tf.float32, tf.int64, None, TensorShape([Dimension(None)]))
    """  # noqa: E501 - the repr is one line

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(self, shape=None, dtype=dtypes.float32, indices_dtype=dtypes.int64,
                 dense_shape_dtype=None, indices_shape=None):  # fmt: skip
        self._shape = tensor_shape.as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = (
            None if dense_shape_dtype is None else dtypes.as_dtype(dense_shape_dtype)
        )
        self._indices_shape = tensor_shape.as_shape(indices_shape).with_rank(1)

    value_type = property(lambda self: IndexedSlices)

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype,
                self._indices_shape)  # fmt: skip

    @property
    def _component_specs(self) -> tuple:
        rows = self._shape[1:] if self._shape.ndims is not None else tensor_shape.unknown_shape()
        specs = (
            TensorSpec(self._indices_shape.concatenate(rows), self._dtype),
            TensorSpec(self._indices_shape, self._indices_dtype),
        )
        if self._dense_shape_dtype is None:
            return specs
        return (*specs, TensorSpec([self._shape.ndims], self._dense_shape_dtype))

    def _to_components(self, value: IndexedSlices) -> tuple:
        if value.dense_shape is None:
            return (value.values, value.indices)
        return (value.values, value.indices, value.dense_shape)

    def _from_components(self, components) -> IndexedSlices:
        return IndexedSlices(*components)

    @classmethod
    def from_value(cls, value: IndexedSlices) -> IndexedSlicesSpec:
        """The spec of ``value``: its dense shape as far as it is known while building."""
        shape = tensor_shape.TensorShape([None]).concatenate(value.values.shape[1:])
        dense_shape_dtype = None
        if value.dense_shape is not None:
            dense_shape_dtype = value.dense_shape.dtype.base_dtype
            known = shape_value(value.dense_shape)
            if known.is_compatible_with(shape):
                shape = shape.merge_with(known)
        return cls(shape, value.dtype, value.indices.dtype.base_dtype, dense_shape_dtype,
                   value.indices.shape)  # fmt: skip


class NoneTensor:
    """The value a ``NoneTensorSpec`` describes: ``None`` inside a composite value."""

    @property
    def _type_spec(self) -> NoneTensorSpec:
        return NoneTensorSpec()


class NoneTensorSpec(TypeSpec):
    """The type of ``None`` where a value could be: no tensors at all.

    >>> import scopeflow as tf
    >>> tf.type_spec_from_value(None)
    NoneTensorSpec()
    """

    __slots__ = ()

    value_type = property(lambda self: NoneTensor)

    def _serialize(self) -> tuple:
        return ()

    @property
    def _component_specs(self) -> list:
        return []

    def _to_components(self, value) -> list:
        return []

    def _from_components(self, components) -> NoneTensor:
        return NoneTensor()

    @classmethod
    def from_value(cls, value) -> NoneTensorSpec:
        return cls()


_FROM_VALUE = (
    (SparseTensor, SparseTensorSpec.from_value),
    (SparseTensorValue, SparseTensorSpec.from_value),
    (RaggedTensor, RaggedTensorSpec.from_value),
    (IndexedSlices, IndexedSlicesSpec.from_value),
    (TensorArray, TensorArraySpec.from_value),
    (Dataset, DatasetSpec.from_value),
    (Optional, OptionalSpec.from_value),
    (NoneTensor, NoneTensorSpec.from_value),
)


def type_spec_from_value(value) -> TypeSpec:
    """The ``tf.TypeSpec`` of ``value``: a ``TensorSpec`` (no name) for a tensor, variable or
    anything ``tf.convert_to_tensor`` takes, the matching spec for a composite value.

    >>> import scopeflow as tf
    >>> tf.type_spec_from_value([1.0, 2.0])
    TensorSpec(shape=(2,), dtype=tf.float32, name=None)

    Raises:
        TypeError: no spec describes ``value``.
    """
    if value is None:
        return NoneTensorSpec()
    if isinstance(value, (Tensor, Variable)):
        return TensorSpec(value.shape, value.dtype.base_dtype)
    for kind, from_value in _FROM_VALUE:
        if isinstance(value, kind):
            return from_value(value)
    try:
        with Graph().as_default():
            tensor = convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}."
        ) from None
    return TensorSpec(tensor.shape, tensor.dtype)
