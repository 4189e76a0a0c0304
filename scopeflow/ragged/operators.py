"""Python operators of ``RaggedTensor`` (``+``, ``-``, ``*``, ``/``, ``//``, ``%``, ``**``,
comparisons, ``&``, ``|``, ``^``, ``~``, unary ``-`` and ``abs``): the op on the flat values,
as TF's ragged dispatch builds it. The other operand is a ragged tensor with the same row
partition (checked at run time unless the splits are the same tensors) or a dense value that
broadcasts against the flat values (a scalar, or a value over the inner uniform dimensions)."""

from __future__ import annotations

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.ops.math import elementwise as ew
from scopeflow.ops.math.division import truediv
from scopeflow.ragged.functions import map_flat_values
from scopeflow.ragged.tensor import RaggedTensor


def dense_operand(rt: RaggedTensor, other):
    other = convert_to_tensor(other, dtype_hint=rt.dtype)
    flat_rank = rt.flat_values.shape.ndims
    if other.shape.ndims is not None and flat_rank is not None and other.shape.ndims >= flat_rank:
        raise NotImplementedError(
            f"a RaggedTensor combined with a dense tensor of rank {other.shape.ndims}: scopeflow "
            "broadcasts only scalars and values over the inner uniform dimensions; convert the "
            "dense tensor with tf.RaggedTensor.from_tensor first"
        )
    return other


def _binary(fn, reflected: bool = False):
    def method(self, other):
        if not isinstance(other, RaggedTensor):
            other = dense_operand(self, other)
        x, y = (other, self) if reflected else (self, other)
        return map_flat_values(fn, x, y)

    return method


def _unary(fn):
    return lambda self: map_flat_values(fn, self)


_BINARY = {
    "add": ew.add,
    "sub": ew.subtract,
    "mul": ew.multiply,
    "truediv": truediv,
    "floordiv": ew.floordiv,
    "mod": ew.floormod,
    "pow": ew.pow,
    "and": ew.logical_and,
    "or": ew.logical_or,
    "xor": ew.logical_xor,
}
for _name, _fn in _BINARY.items():
    setattr(RaggedTensor, f"__{_name}__", _binary(_fn))
    setattr(RaggedTensor, f"__r{_name}__", _binary(_fn, reflected=True))
for _name, _fn in {
    "lt": ew.less,
    "le": ew.less_equal,
    "gt": ew.greater,
    "ge": ew.greater_equal,
}.items():
    setattr(RaggedTensor, f"__{_name}__", _binary(_fn))
RaggedTensor.__neg__ = _unary(ew.negative)
RaggedTensor.__abs__ = _unary(ew.abs)
RaggedTensor.__invert__ = _unary(ew.logical_not)
