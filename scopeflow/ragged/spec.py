"""``tf.RaggedTensorSpec``: the type of a ragged tensor (shape, dtype, ragged rank, row splits
dtype), as ``tf.data`` element specs and Keras inputs describe one."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.framework.type_spec import TypeSpec
from scopeflow.ragged.tensor import RaggedTensor


class RaggedTensorSpec(TypeSpec):
    """Describes a ``RaggedTensor``.

    >>> import scopeflow as tf
    >>> tf.RaggedTensorSpec([None, None], tf.int32)
    RaggedTensorSpec(TensorShape([Dimension(None), Dimension(None)]), tf.int32, 1, tf.int64)
    """

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None,
                 row_splits_dtype=dtypes.int64, flat_values_spec=None):  # fmt: skip
        if flat_values_spec is not None:
            raise NotImplementedError(
                "RaggedTensorSpec(flat_values_spec=...): give the flat values' dtype and the "
                "ragged tensor's full shape instead"
            )
        self._shape = tensor_shape.as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        rank = self._shape.ndims
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"Argument `ragged_rank` must be an int. Received {ragged_rank}.")
        if rank is not None and ragged_rank >= rank:
            raise ValueError(
                f"Argument `ragged_rank` ({ragged_rank}) must be less than rank ({rank})."
            )
        self._ragged_rank = ragged_rank

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    flat_values_spec = property(lambda self: None)
    value_type = property(lambda self: RaggedTensor)

    @classmethod
    def from_value(cls, value: RaggedTensor) -> RaggedTensorSpec:
        """The spec of the ragged tensor ``value``."""
        if not isinstance(value, RaggedTensor):
            raise TypeError(f"Expected a RaggedTensor, got {value!r}")
        return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits_dtype)

    def _key(self) -> tuple:
        dims = None if self._shape.ndims is None else tuple(self._shape.as_list())
        return (dims, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    @property
    def _component_specs(self) -> list:
        """The flat values' spec, then one per level of row splits."""
        inner = self._shape[self._ragged_rank + 1 :] if self._shape.ndims is not None else None
        flat = tensor_shape.TensorShape([None]).concatenate(
            inner if inner is not None else tensor_shape.unknown_shape()
        )
        splits = [TensorSpec([None], self._row_splits_dtype)] * self._ragged_rank
        return [TensorSpec(flat, self._dtype), *splits]

    def _to_components(self, value: RaggedTensor) -> list:
        return [value.flat_values, *value.nested_row_splits]

    def _from_components(self, components) -> RaggedTensor:
        flat, *splits = components
        return RaggedTensor.from_nested_row_splits(flat, splits, validate=False)

    def is_compatible_with(self, spec_or_value) -> bool:
        """Whether ``spec_or_value`` (a spec or a ragged tensor) could be described by this
        spec: same dtypes and ragged rank, compatible shapes."""
        other = spec_or_value
        if isinstance(other, RaggedTensor):
            other = RaggedTensorSpec.from_value(other)
        if not isinstance(other, RaggedTensorSpec):
            return False
        return (
            self._dtype == other.dtype
            and self._row_splits_dtype == other.row_splits_dtype
            and self._ragged_rank == other.ragged_rank
            and self._shape.is_compatible_with(other.shape)
        )

    def most_specific_compatible_type(self, other) -> RaggedTensorSpec:
        """The most specific spec both this one and ``other`` are compatible with."""
        if not self.is_compatible_with(other):
            raise ValueError(f"No TypeSpec is compatible with both {self!r} and {other!r}")
        shape = self._shape.most_specific_compatible_shape(other.shape)
        return RaggedTensorSpec(shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def __eq__(self, other) -> bool:
        return isinstance(other, RaggedTensorSpec) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"RaggedTensorSpec({self._shape!r}, {self._dtype!r}, {self._ragged_rank}, "
            f"{self._row_splits_dtype!r})"
        )
