"""``tf.TensorSpec``: the shape, dtype and name a tensor is expected to have.

>>> import scopeflow as tf
>>> spec = tf.TensorSpec([2, None], tf.float32, "x")
>>> spec
TensorSpec(shape=(2, ?), dtype=tf.float32, name='x')
>>> with tf.Graph().as_default():
...     spec.is_compatible_with(tf.placeholder(tf.float32, [2, 3]))
True
"""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.type_spec import TypeSpec


class TensorSpec(TypeSpec):
    """Describes a tensor: ``shape`` (a ``TensorShape``, maybe partial), ``dtype``, ``name``."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = tensor_shape.TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @property
    def shape(self) -> tensor_shape.TensorShape:
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    value_type = property(lambda self: Tensor)

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype, self._name)

    @property
    def _component_specs(self):
        return self

    def _to_components(self, value):
        return value

    def _from_components(self, components):
        return components

    @classmethod
    def from_spec(cls, spec, name=None):
        """A spec with ``spec``'s shape and dtype, and ``name`` (else ``spec``'s name)."""
        return cls(spec.shape, spec.dtype, name or spec.name)

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of ``tensor``: its static shape, dtype and op name (or ``name``)."""
        if not isinstance(tensor, Tensor):
            raise ValueError(f"`tensor` should be a tf.Tensor, but got {tensor!r}.")
        return cls(tensor.shape, tensor.dtype, name or tensor.op.name)

    def is_compatible_with(self, spec_or_tensor) -> bool:
        """Whether a tensor or spec has this dtype and a shape compatible with this one."""
        if not isinstance(spec_or_tensor, (TensorSpec, Tensor)):
            return False
        return self._dtype.is_compatible_with(
            spec_or_tensor.dtype
        ) and self._shape.is_compatible_with(spec_or_tensor.shape)

    def most_specific_compatible_type(self, other):
        """The spec both this one and ``other`` satisfy (dimensions that differ unknown)."""
        if type(other) is not type(self) or self._dtype != other.dtype:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        shape = self._shape.most_specific_compatible_shape(other.shape)
        return TensorSpec(shape, self._dtype, self._name if self._name == other.name else None)

    def _key(self):
        dims = None if self._shape.dims is None else tuple(self._shape.as_list())
        return (dims, self._dtype, self._name)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"
