"""``tf.TypeSpec``: the base of the classes that describe a kind of value (``TensorSpec``,
``SparseTensorSpec``, ``RaggedTensorSpec``...). A spec is defined by its ``_serialize()``
tuple: specs are equal when their types and tuples are, compatible when each shape in the
tuples is compatible and everything else equal, and print as ``Name(<the tuple>)``.

A spec also says how its value splits into tensors: ``_component_specs`` (a ``TensorSpec``
per component), ``_to_components(value)`` and ``_from_components(components)``.

>>> import scopeflow as tf
>>> spec = tf.SparseTensorSpec([2, None], tf.int32)
>>> spec.is_compatible_with(tf.SparseTensorSpec([2, 5], tf.int32))
True
>>> spec.most_specific_compatible_type(tf.SparseTensorSpec([3, 5], tf.int32))
SparseTensorSpec(TensorShape([Dimension(None), Dimension(None)]), tf.int32)
"""

from __future__ import annotations

import abc

from scopeflow.framework import dtypes, tensor_shape

_NO_VALUE = object()


class TypeSpec(abc.ABC):
    """Describes a kind of value: subclasses give ``value_type``, ``_serialize`` and the
    component methods."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def value_type(self) -> type:
        """The Python type of the values this spec describes."""

    @abc.abstractmethod
    def _serialize(self) -> tuple:
        """The spec's defining fields, as its constructor takes them."""

    @property
    @abc.abstractmethod
    def _component_specs(self):
        """A ``TensorSpec`` (or nested spec) per tensor the value is made of."""

    @abc.abstractmethod
    def _to_components(self, value):
        """The tensors ``value`` is made of."""

    @abc.abstractmethod
    def _from_components(self, components):
        """The value made of ``components``."""

    # -- comparisons -----------------------------------------------------------------------

    def is_compatible_with(self, spec_or_value) -> bool:
        """Whether ``spec_or_value`` (a spec, or a value this kind of spec describes) has the
        same type and compatible fields: shapes compatible, everything else equal."""
        other = spec_or_value
        if not isinstance(other, TypeSpec):
            from_value = getattr(type(self), "from_value", None)
            if from_value is None or not isinstance(other, self.value_type):
                return False
            other = from_value(other)
        return type(other) is type(self) and _compatible(self._serialize(), other._serialize())

    def most_specific_compatible_type(self, other: TypeSpec) -> TypeSpec:
        """The most specific spec both this one and ``other`` fit: dimensions that differ
        become unknown.

        Raises:
            ValueError: the specs differ in type, dtype or another field.
        """
        merged = _NO_VALUE
        if type(other) is type(self):
            merged = _merge(self._serialize(), other._serialize())
        if merged is _NO_VALUE:
            raise ValueError(f"No TypeSpec is compatible with both {self!r} and {other!r}")
        return type(self)(*merged)

    def most_specific_common_supertype(self, others) -> TypeSpec | None:
        """The most specific spec all of ``others`` and this one are subtypes of, or
        ``None``."""
        result = self
        for other in others:
            try:
                result = result.most_specific_compatible_type(other)
            except ValueError:
                return None
        return result

    def is_subtype_of(self, other: TypeSpec) -> bool:
        """Whether every value of this spec is one of ``other``'s (its shapes are at least as
        specific, everything else equal)."""
        return type(other) is type(self) and _subtype(self._serialize(), other._serialize())

    def _key(self):
        return _hashable(self._serialize())

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._key() == other._key()

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}{self._serialize()!r}"


def _hashable(value):
    if isinstance(value, tensor_shape.TensorShape):
        return ("shape", None if value.ndims is None else tuple(value.as_list()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def _compatible(a, b) -> bool:
    if isinstance(a, tensor_shape.TensorShape) and isinstance(b, tensor_shape.TensorShape):
        return a.is_compatible_with(b)
    if isinstance(a, TypeSpec):
        return a.is_compatible_with(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_compatible(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dtypes.DType) or isinstance(b, dtypes.DType):
        return isinstance(a, dtypes.DType) and isinstance(b, dtypes.DType) and a == b
    return type(a) is type(b) and a == b


def _subtype(a, b) -> bool:
    if isinstance(a, tensor_shape.TensorShape) and isinstance(b, tensor_shape.TensorShape):
        if b.ndims is None:
            return True
        return a.ndims == b.ndims and all(
            y is None or x == y for x, y in zip(a.as_list(), b.as_list(), strict=True)
        )
    if isinstance(a, TypeSpec):
        return a.is_subtype_of(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_subtype(x, y) for x, y in zip(a, b, strict=True))
    return _compatible(a, b)


def _merge(a, b):
    """The most specific value both fields fit (shapes: the dimensions that differ unknown),
    or ``_NO_VALUE`` when other fields differ."""
    if isinstance(a, tensor_shape.TensorShape) and isinstance(b, tensor_shape.TensorShape):
        return a.most_specific_compatible_shape(b)
    if isinstance(a, TypeSpec):
        try:
            return a.most_specific_compatible_type(b)
        except ValueError:
            return _NO_VALUE
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        merged = [_merge(x, y) for x, y in zip(a, b, strict=True)]
        return _NO_VALUE if any(m is _NO_VALUE for m in merged) else type(a)(merged)
    return a if _compatible(a, b) else _NO_VALUE
