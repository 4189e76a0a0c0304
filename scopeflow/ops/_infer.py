"""Shape and dtype inference helpers shared by the op families."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.defaults import get_default_graph

TensorShape = tensor_shape.TensorShape


def apply_op(op_type: str, inputs, attrs=None, name=None):
    """Adds an op to the default graph and returns its single output (or all outputs)."""
    op = get_default_graph().create_op(op_type, list(inputs), attrs, name)
    outputs = op._outputs
    return outputs[0] if len(outputs) == 1 else outputs


def constant_value(t):
    """The NumPy value of ``t`` when it is a ``Const``, else ``None``."""
    if t.op.type == "Const":
        return t.op._attrs["value"]
    return None


def check_same_dtype(op_type: str, names: tuple[str, ...], inputs) -> dtypes.DType:
    """TF1's check that inputs sharing a type attribute agree; returns that dtype."""
    first = inputs[0].dtype.base_dtype
    for arg, t in zip(names[1:], inputs[1:], strict=False):
        if t.dtype.base_dtype != first:
            raise TypeError(
                f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does "
                f"not match type {first.name} of argument '{names[0]}'."
            )
    return first


def check_dtype_in(op_type: str, arg: str, t, allowed) -> None:
    if t.dtype.base_dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(
            f"Value passed to parameter '{arg}' has DataType {t.dtype.base_dtype.name} not in "
            f"list of allowed values: {names}"
        )


def same_as_first(inputs, attrs):
    t = inputs[0]
    return [(t.dtype.base_dtype, t.shape)]


def shape_from_tensor(t) -> tensor_shape.TensorShape:
    """The static shape described by a 1-D int tensor ``t`` (known where ``t`` is constant)."""
    value = constant_value(t)
    if value is not None:
        if value.ndim != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {value.ndim}")
        return TensorShape([int(v) if v >= 0 else None for v in value])
    n = t.shape[0].value if t.shape.ndims == 1 else None
    return tensor_shape.unknown_shape(n)
