"""Shape and dtype inference helpers shared by the op families."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.op_callbacks import outputs_of
from scopeflow.framework.tensor import Tensor, merge_shapes

TensorShape = tensor_shape.TensorShape

# The dtype sets TF's op definitions allow, in the order TF's error messages list them.
FLOATS = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)
COMPLEX = (dtypes.complex64, dtypes.complex128)
SIGNED = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
UNSIGNED = (dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)
INTEGERS = SIGNED + UNSIGNED
REALS = FLOATS + INTEGERS
NUMBERS = REALS + COMPLEX
INDEX = (dtypes.int32, dtypes.int64)


def apply_op(op_type: str, inputs, attrs=None, name=None):
    """Adds an op to its inputs' graph and returns its single output (or all outputs)."""
    inputs = list(inputs)
    op = graph_for(inputs).create_op(op_type, inputs, attrs, name)
    outputs = outputs_of(op)  # after this thread's op callbacks (framework/op_callbacks.py)
    return outputs[0] if len(outputs) == 1 else outputs


def graph_for(inputs):
    """The graph a new op goes to, as TF1 picks it: its first input's graph, even when another
    graph is the default (``tf.nn.softmax(t)`` after leaving ``t``'s ``as_default()`` block adds
    to ``t``'s graph, under that graph's scopes); the default graph when it builds a function,
    which captures outer tensors, or when the op has no inputs."""
    default = get_default_graph()
    if inputs and getattr(default, "_capture", None) is None:
        first = inputs[0]
        if isinstance(first, Tensor) and first.graph is not default:
            return first.graph
    return default


def int_operand(value, name: str):
    """A shape-like argument (``shape``, ``dims``, ``perm``) as a tensor: Python values become
    int32 (int64 when too large), NumPy arrays keep their dtype, as in TF1."""
    hint = None if isinstance(value, (np.ndarray, np.generic)) else dtypes.int32
    return convert_to_tensor(value, dtype_hint=hint, name=name)


_FOLDED = {"AddV2": np.add, "Add": np.add, "Sub": np.subtract, "Mul": np.multiply}


def constant_value(t):
    """The NumPy value of ``t`` when it is known while building (a ``Const``, or ``Identity``,
    ``Pack``, integer ``Cast``, integer sum, difference or product, small ``Fill``,
    ``scalar[tf.newaxis]``, integer ``ConcatV2`` or ``Range`` of known values, the last two as
    TF's ``constant_value`` folds them), else ``None``."""
    op = t.op
    if op.type == "Const":
        return op._attrs["value"]
    if op.type == "Identity":
        return constant_value(op.inputs[0])
    if op.type == "Pack":
        values = [constant_value(x) for x in op.inputs]
        if any(v is None for v in values):
            return None
        return np.stack(values, axis=op._attrs["axis"])
    if op.type == "Cast" and op._attrs["DstT"].is_integer:  # a size cast to int64, as TF folds
        value = constant_value(op.inputs[0])
        return None if value is None else value.astype(op._attrs["DstT"].as_numpy_dtype)
    if op.type in _FOLDED and op.outputs[0].dtype.is_integer:  # TF evaluates these too
        values = [constant_value(x) for x in op.inputs]
        return None if any(v is None for v in values) else _FOLDED[op.type](*values)
    if op.type == "Fill":
        dims, value = (constant_value(x) for x in op.inputs)
        small = dims is not None and value is not None and np.prod(dims) <= 16
        return np.full(dims, value) if small else None
    if op.type == "StridedSlice" and _is_new_axis_of_scalar(op):  # ``n[tf.newaxis]``
        value = constant_value(op.inputs[0])
        return None if value is None else np.reshape(value, [1])
    if op.type == "InvertPermutation":  # a transpose's gradient: TF folds it too
        perm = constant_value(op.inputs[0])
        return None if perm is None else np.argsort(perm).astype(perm.dtype)
    if op.type in ("ConcatV2", "Range") and op.outputs[0].dtype.is_integer:  # as TF's
        values = [constant_value(x) for x in op.inputs]
        if any(v is None for v in values):
            return None
        if op.type == "ConcatV2":
            return _small(np.concatenate(values[:-1], axis=int(values[-1])))
        start, limit, delta = (v.item() for v in values)
        if delta == 0 or (limit - start) / delta > _FOLDED_SIZE:
            return None
        return np.arange(start, limit, delta, dtype=op.outputs[0].dtype.as_numpy_dtype)
    return None


_FOLDED_SIZE = 1 << 16  # the largest shape-like value folded while building


def _small(value):
    return value if value.size <= _FOLDED_SIZE else None


def _is_new_axis_of_scalar(op) -> bool:
    attrs = op._attrs
    masks = ("begin_mask", "end_mask", "ellipsis_mask", "shrink_axis_mask")
    return (
        op.inputs[0].shape.ndims == 0
        and attrs["new_axis_mask"] == 1
        and not any(attrs[m] for m in masks)
    )


def shape_value(t) -> tensor_shape.TensorShape:
    """The static shape described by a 1-D int tensor ``t``, as far as it is known.

    Known entries come from constants, from ``Pack`` elements that are constants and from the
    static shape of ``x`` in ``tf.shape(x)``, also through ``concat`` of such pieces and 1-D
    slices of them (``tf.shape(x)[1:]``), as TF1 follows them; the rest (and negative
    entries) are ``None``.
    """
    if t.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {t.shape.ndims}")
    value = constant_value(t)
    if value is not None:
        return TensorShape([int(v) if v >= 0 else None for v in value])
    op = t.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "ShapeN":
        return op.inputs[t.value_index].shape
    if op.type == "ConcatV2" and constant_value(op.inputs[-1]) is not None:
        joined = TensorShape([])
        for part in op.inputs[:-1]:
            joined = joined.concatenate(shape_value(part))
        if joined.ndims is not None:
            return joined
    if op.type == "StridedSlice":
        sliced = _sliced_shape_value(op)
        if sliced is not None:
            return sliced
    if op.type == "Pack" and op._attrs["axis"] == 0:
        entries = [_dim_value(x) for x in op.inputs]
        return TensorShape([None if v is None or v < 0 else int(v) for v in entries])
    n = t.shape[0].value if t.shape.ndims == 1 else None
    return tensor_shape.unknown_shape(n)


def _dim_value(t):
    """A scalar entry of a shape tensor when it is known while building: a constant, or one
    element of a shape (``tf.shape(x)[i]`` for a known ``x.shape[i]``), as TF's shape
    inference evaluates it."""
    value = constant_value(t)
    if value is not None or t.op.type != "StridedSlice":
        return value
    if t.op._attrs["shrink_axis_mask"] != 1 or t.op._attrs["begin_mask"] & 1:
        return None
    dims = _slice_of_shape(t.op)
    if dims is None:
        return None
    index = dims[1][0]
    if not -len(dims[0]) <= index < len(dims[0]):
        return None
    return dims[0][index]


def _sliced_shape_value(op) -> tensor_shape.TensorShape | None:
    """``shape_value`` of a plain 1-D strided slice (``s[a:b:c]``) of a shape tensor ``s``."""
    attrs = op._attrs
    found = None if attrs["shrink_axis_mask"] else _slice_of_shape(op)
    if found is None:
        return None
    dims, (begin, end, stride) = found
    begin = None if attrs["begin_mask"] & 1 else begin
    end = None if attrs["end_mask"] & 1 else end
    return TensorShape(dims[begin:end:stride])


def _slice_of_shape(op):
    """``(dims, (begin, end, stride))`` of a strided slice of a 1-D shape tensor whose dims and
    scalar bounds are known while building (no ellipsis or new axes), else ``None``."""
    attrs = op._attrs
    if attrs["ellipsis_mask"] or attrs["new_axis_mask"] or op.inputs[0].shape.ndims != 1:
        return None
    bounds = [constant_value(x) for x in op.inputs[1:]]
    if any(b is None or np.size(b) != 1 for b in bounds):
        return None
    whole = shape_value(op.inputs[0])
    if whole.ndims is None:
        return None
    return whole.as_list(), tuple(int(np.reshape(b, ())) for b in bounds)


def no_gradient(op, *grads):
    """The gradient function of an op TF registers no gradient for: ``tf.gradients`` through
    one raises TF's ``LookupError``."""
    raise LookupError(
        f"No gradient defined for operation '{op.name}' (op type: {op.type}). In general every "
        "operation must have an associated `@tf.RegisterGradient` for correct autodiff, which "
        "this op is lacking. If you want to pretend this operation is a constant in your "
        "program, you may insert `tf.stop_gradient`."
    )


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


def check_list_dtype(op_type: str, arg: str, inputs) -> dtypes.DType:
    """TF1's check that the tensors of one list input (``AddN``'s, ``Pack``'s) agree."""
    kinds = [t.dtype.base_dtype for t in inputs]
    if any(k != kinds[0] for k in kinds):
        names = ", ".join(k.name for k in kinds)
        raise TypeError(
            f"Tensors in list passed to '{arg}' of '{op_type}' Op have types [{names}] that "
            "don't all match."
        )
    return kinds[0]


def check_dtype_in(op_type: str, arg: str, t, allowed) -> dtypes.DType:
    """TF1's check of a dtype against an op's allowed list; returns the (base) dtype."""
    dtype = t.dtype.base_dtype
    if dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(
            f"Value passed to parameter '{arg}' has DataType {dtype.name} not in list of "
            f"allowed values: {names}"
        )
    return dtype


def check_bool(op_type: str, arg: str, t) -> None:
    """TF1's check of an input that only takes ``bool``."""
    if t.dtype.base_dtype != dtypes.bool:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            "match expected type of bool."
        )


def merge_all(shapes) -> tensor_shape.TensorShape:
    """The shape every one of ``shapes`` is compatible with (``AddN``, ``Pack``), merged from
    the last one back as TF's shape functions merge them, with their errors."""
    shapes = list(shapes)
    merged = shapes[-1]
    for i in range(len(shapes) - 2, -1, -1):
        try:
            merged = merge_shapes(shapes[i], merged)
        except ValueError as e:
            raise ValueError(f"{e}\n\tFrom merging shape {i} with other shapes.") from None
    return merged


def same_as_first(inputs, attrs):
    t = inputs[0]
    return [(t.dtype.base_dtype, t.shape)]


def elementwise(op_type: str, allowed, arg: str = "x"):
    """A shape function for a unary element-wise op whose input dtype must be in ``allowed``."""

    def infer(inputs, attrs):
        t = inputs[0]
        return [(check_dtype_in(op_type, arg, t, allowed), t.shape)]

    return infer


def name_public_functions(namespace: dict, names) -> None:
    """Gives functions made by factories their public names (``tf.reduce_sum.__name__``)."""
    for name in names:
        fn = namespace.get(name)
        if callable(fn) and "<locals>" in getattr(fn, "__qualname__", ""):
            fn.__name__ = fn.__qualname__ = name
