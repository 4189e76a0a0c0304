"""``tf.TensorArraySpec``: the type of a ``TensorArray`` (its elements' shape and dtype,
whether it grows, whether it infers its elements' shape). In a TF1 graph the array travels
as its flow tensor."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.framework.type_spec import TypeSpec
from scopeflow.ops.control.tensor_array import TensorArray

__all__ = ["TensorArraySpec"]


class TensorArraySpec(TypeSpec):
    """Describes a ``TensorArray``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     tf.TensorArraySpec.from_value(tf.TensorArray(tf.int32, size=2, element_shape=[3]))
    TensorArraySpec(TensorShape([Dimension(3)]), tf.int32, False, True)
    """

    __slots__ = ("_element_shape", "_dtype", "_dynamic_size", "_infer_shape")

    def __init__(self, element_shape=None, dtype=dtypes.float32, dynamic_size=False,
                 infer_shape=True):  # fmt: skip
        self._element_shape = tensor_shape.as_shape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    value_type = property(lambda self: TensorArray)

    def _serialize(self) -> tuple:
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)

    @property
    def _component_specs(self) -> list:
        return [TensorSpec([], dtypes.float32)]

    def _to_components(self, value: TensorArray) -> list:
        return [value.flow]

    def _from_components(self, components):
        raise NotImplementedError(
            "TensorArraySpec._from_components: a TF1 TensorArray is rebuilt from its handle "
            "and flow; use TensorArray(dtype, handle=..., flow=...)"
        )

    @classmethod
    def from_value(cls, value: TensorArray) -> TensorArraySpec:
        """The spec of the ``TensorArray`` ``value``."""
        if not isinstance(value, TensorArray):
            raise ValueError(f"Expected value to be a TensorArray, but saw: {type(value)}")
        return cls(value.element_shape, value.dtype, value.dynamic_size,
                   value._shared.infer_shape)  # fmt: skip
