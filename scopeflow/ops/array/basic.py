"""Placeholders, identity, reshapes, fills and stacking. Slicing is in ``slicing.py``."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import (
    constant,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_list_dtype,
    constant_value,
    int_operand,
    merge_all,
    same_as_first,
    shape_value,
)

TensorShape = tensor_shape.TensorShape


# -- placeholders and identity ------------------------------------------------------------


def _identity_kernel(ctx, op, x):
    return x


def _placeholder_infer(inputs, attrs):
    return [(attrs["dtype"], attrs["shape"])]


def _placeholder_kernel(ctx, op):
    # Sessions report unfed placeholders before running anything; this is a safety net.
    raise errors.InvalidArgumentError(
        None, op, f"You must feed a value for placeholder tensor '{op.name}'"
    )


register_op(
    "Placeholder",
    _placeholder_infer,
    kernel=_placeholder_kernel,
    grad=NOT_DIFFERENTIABLE,
    is_placeholder=True,
)


@undo.atomic
def placeholder(dtype, shape=None, name=None):
    """A tensor whose value is fed to ``Session.run``; ``None`` dimensions are unknown.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 32, 32, 3))
    >>> x.name, x.shape.as_list()
    ('Placeholder:0', [None, 32, 32, 3])
    """
    dtype = _as_dtype_arg(dtype)
    shape = tensor_shape.unknown_shape() if shape is None else _as_shape_arg(shape)
    return apply_op("Placeholder", [], {"dtype": dtype, "shape": shape}, name or "Placeholder")


def _placeholder_with_default_infer(inputs, attrs):
    default = inputs[0]
    merge_shapes(default.shape, attrs["shape"])
    return [(default.dtype.base_dtype, attrs["shape"])]


register_op(
    "PlaceholderWithDefault",
    _placeholder_with_default_infer,
    kernel=_identity_kernel,
    grad=lambda op, grad: grad,
)


@undo.atomic
def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF1's argument name
    """A placeholder that evaluates to ``input`` when not fed."""
    with name_scope(name, "PlaceholderWithDefault", [input]) as scope:
        value = convert_to_tensor(input, name="input")
        attrs = {"dtype": value.dtype.base_dtype, "shape": _as_shape_arg(shape)}
        return apply_op("PlaceholderWithDefault", [value], attrs, name=scope)


def _as_dtype_arg(dtype) -> dtypes.DType:
    try:
        return dtypes.as_dtype(dtype)
    except TypeError:
        raise TypeError(
            f"Expected DataType for argument 'dtype' not {dtype!r}: pass a tf.DType such as "
            "tf.float32, or its name as a string."
        ) from None


def _as_shape_arg(shape) -> tensor_shape.TensorShape:
    try:
        return tensor_shape.as_shape(shape)
    except TypeError as e:
        raise TypeError(f"Error converting shape to a TensorShape: {e}") from None


# The gradient passes on what it gets, IndexedSlices included (the rows a gather read).
register_op(
    "Identity",
    same_as_first,
    kernel=_identity_kernel,
    grad=lambda op, grad: grad,
    grad_takes_indexed_slices=True,
    forwards_input=True,
)
register_op("StopGradient", same_as_first, kernel=_identity_kernel, grad=NOT_DIFFERENTIABLE)


def _prevent_gradient_grad(op, grad):
    reason = op._attrs["message"]  # TF1 writes the attribute's bytes
    raise LookupError(f"Gradient explicitly disabled. Reason: {reason.encode()!r}")


# Its input unchanged; differentiating through it fails, naming the reason (TF1's
# array_ops.prevent_gradient, built by fused ops' gradients such as CTCLoss's).
register_op("PreventGradient", same_as_first, kernel=_identity_kernel, grad=_prevent_gradient_grad)


@undo.atomic
def identity(input, name=None):  # noqa: A002
    """A new tensor with the same value as ``input``."""
    with name_scope(name, "Identity", [input]) as scope:
        return apply_op("Identity", [convert_to_tensor(input, name="input")], name=scope)


@undo.atomic
def stop_gradient(input, name=None):  # noqa: A002
    """``input`` unchanged, but gradients do not flow through it."""
    with name_scope(name, "StopGradient", [input]) as scope:
        return apply_op("StopGradient", [convert_to_tensor(input, name="input")], name=scope)


# -- shapes -------------------------------------------------------------------------------


def _shape_infer(inputs, attrs):
    return [(attrs["out_type"], TensorShape([inputs[0].shape.ndims]))]


def _shape_kernel(ctx, op, x):
    return ctx.xp.asarray(ctx.xp.shape(x), dtype=op._attrs["out_type"].as_numpy_dtype)


register_op("Shape", _shape_infer, kernel=_shape_kernel, grad=NOT_DIFFERENTIABLE)


def _shape_n_infer(inputs, attrs):
    return [(attrs["out_type"], TensorShape([t.shape.ndims])) for t in inputs]


def _shape_n_kernel(ctx, op, *xs):
    dtype = op._attrs["out_type"].as_numpy_dtype
    return tuple(ctx.xp.asarray(ctx.xp.shape(x), dtype=dtype) for x in xs)


register_op("ShapeN", _shape_n_infer, kernel=_shape_n_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The shape of ``input`` as a 1-D int tensor: a ``Const`` when the static shape is fully
    known (as TF1 folds it), else a ``Shape`` op."""
    out_type = dtypes.as_dtype(out_type).base_dtype
    if out_type not in INDEX:
        raise TypeError(
            f"Value passed to parameter 'out_type' has DataType {out_type.name} not in list of "
            "allowed values: int32, int64"
        )
    with name_scope(name, "Shape", [input]) as scope:
        value = convert_to_tensor(input)
        if value.shape.is_fully_defined():
            dims = np.asarray(value.shape.as_list(), out_type.as_numpy_dtype)
            return constant(dims, name=scope)
        return apply_op("Shape", [value], {"out_type": out_type}, name=scope)


@undo.atomic
def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of the tensors in the list ``input``, one ``ShapeN`` op (never folded).

    >>> import scopeflow as tf
    >>> a, b = tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])
    >>> tf.Session().run([a, b])
    [array([2, 3], dtype=int32), array([4], dtype=int32)]
    """
    out_type = dtypes.as_dtype(out_type).base_dtype
    if out_type not in INDEX:
        raise TypeError(
            f"Value passed to parameter 'out_type' has DataType {out_type.name} not in list of "
            "allowed values: int32, int64"
        )
    with name_scope(name, "ShapeN", input) as scope:
        values = [convert_to_tensor(x) for x in input]
        if not values:
            raise ValueError(
                "List argument 'input' to 'ShapeN' Op with length 0 shorter than minimum length 1."
            )
        outputs = apply_op("ShapeN", values, {"out_type": out_type}, name=scope)
        return list(outputs) if len(values) > 1 else [outputs]


def _reshape_infer(inputs, attrs):
    tensor, shape_t = inputs
    check_dtype_in("Reshape", "shape", shape_t, INDEX)
    dtype = tensor.dtype.base_dtype
    partial = shape_value(shape_t)
    target = constant_value(shape_t)
    if target is None:
        return [(dtype, _fill_one_unknown(tensor.shape, partial))]
    return [(dtype, TensorShape(_reshaped_dims(tensor.shape, [int(v) for v in target])))]


def _fill_one_unknown(in_shape, partial):
    """A reshape's output shape from a partly known target: one unknown entry is what the
    input's known element count leaves for it (as TF's shape function infers it)."""
    total = in_shape.num_elements() if in_shape.ndims is not None else None
    dims = partial.as_list() if partial.ndims is not None else None
    if total is None or dims is None or dims.count(None) != 1:
        return partial
    known = int(np.prod([d for d in dims if d is not None], dtype=np.int64))
    if known == 0 or total % known:
        return partial
    return TensorShape([total // known if d is None else d for d in dims])


def _reshaped_dims(in_shape, dims: list[int]) -> list:
    """The static dims of reshaping a tensor of ``in_shape`` to the constant ``dims``."""
    text = "[" + ",".join(str(v) for v in dims) + "]"
    if any(v < -1 for v in dims):
        raise ValueError(f"Invalid value in tensor used for shape: {min(dims)}")
    if dims.count(-1) > 1:  # TF infers the unknown entries and fails when the graph runs
        return [None if v == -1 else v for v in dims]
    known = int(np.prod([v for v in dims if v != -1], dtype=np.int64))
    out = [None if v == -1 else v for v in dims]
    total = in_shape.num_elements()
    if total is None:
        # Only the known part of the input can be checked: it must divide the target size.
        known_in = [d for d in in_shape.as_list() if d is not None] if in_shape.ndims else []
        part = int(np.prod(known_in, dtype=np.int64))
        if -1 not in dims and part == 0 and known != 0:
            raise ValueError(
                f"Cannot reshape a tensor with 0 elements to shape {text} ({known} elements)"
            )
        if -1 not in dims and part and known % part:
            raise ValueError(f"Dimension size must be evenly divisible by {part} but is {known}")
        return out
    if -1 not in dims or known == 0:
        if total != known:
            raise ValueError(
                f"Cannot reshape a tensor with {total} elements to shape {text} ({known} elements)"
            )
        return out
    if total % known:
        raise ValueError(f"Dimension size must be evenly divisible by {known} but is {total}")
    return [total // known if v == -1 else v for v in dims]


def _reshape_kernel(ctx, op, tensor, shape):
    dims = _runtime_reshape_dims(ctx.xp.size(tensor), shape.tolist(), ctx.xp.shape(tensor))
    return ctx.xp.reshape(tensor, dims)


def _runtime_reshape_dims(size: int, dims: list[int], in_shape=()) -> list[int]:
    """``dims`` with its ``-1`` resolved for a tensor of ``size`` elements (of shape
    ``in_shape``), with TF's errors."""
    wild = [i for i, d in enumerate(dims) if d == -1]
    for i, d in enumerate(dims):
        if d < -1:
            raise ValueError(f"Size {i} must be non-negative, not {d}")
    if len(wild) > 1:
        raise ValueError(f"Only one input size may be -1, not both {wild[0]} and {wild[1]}")
    known = math.prod(d for d in dims if d != -1)  # Python ints: np.prod took 6 µs a run
    if not wild:
        if known != size:
            raise ValueError(
                f"Input to reshape is a tensor with {size} values, but the requested shape has "
                f"{known}"
            )
        return dims
    if known == 0 and size == 0 and 0 in in_shape:
        # TF's rule for an empty input and zero sizes: the -1 takes the product of the
        # input's nonzero dimensions over that of the nonzero sizes ([0, 3] -> [-1, 0]: [3, 0])
        missing = math.prod(d for d in in_shape if d) // math.prod(d for d in dims if d > 0)
        return [missing if d == -1 else d for d in dims]
    if known == 0:
        raise ValueError(
            "Reshape cannot infer the missing input size for an empty tensor unless all "
            "specified input sizes are non-zero"
        )
    if size % known:
        raise ValueError(
            f"Input to reshape is a tensor with {size} values, but the requested shape requires "
            f"a multiple of {known}"
        )
    return [size // known if d == -1 else d for d in dims]


def _reshape_grad(op, grad):
    """``grad`` in the input's shape: as TF 2.21, the static shape with -1 where one
    dimension is unknown (and none is 0), else the input's ``Shape``."""
    dims = op.inputs[0].shape
    if dims.ndims is not None and not dims.is_fully_defined():
        listed = dims.as_list()
        if listed.count(None) == 1 and 0 not in listed:
            return [reshape(grad, [-1 if d is None else d for d in listed]), None]
    return [reshape(grad, shape(op.inputs[0])), None]


register_op("Reshape", _reshape_infer, kernel=_reshape_kernel, grad=_reshape_grad)


@undo.atomic
def reshape(tensor, shape, name=None):
    """``tensor`` with a new shape; one dimension may be ``-1`` and is inferred."""
    with name_scope(name, "Reshape", [tensor, shape]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        shape = int_operand(shape, "shape")
        return apply_op("Reshape", [tensor, shape], name=scope)


# -- fills --------------------------------------------------------------------------------


def _fill_infer(inputs, attrs):
    dims, value = inputs
    check_dtype_in("Fill", "dims", dims, INDEX)
    if value.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {value.shape.ndims}")
    known = constant_value(dims)
    if known is not None and (np.asarray(known) < 0).any():
        bad = [int(d) for d in np.ravel(known) if d < -1]  # TF reads -1 as unknown first
        if bad:
            raise ValueError(f"Invalid value in tensor used for shape: {bad[0]}")
        raise ValueError("Fill dimensions must be >= 0")
    return [(value.dtype.base_dtype, shape_value(dims))]


def _fill_kernel(ctx, op, dims, value):
    if ctx.xp.ndim(dims) != 1:
        raise ValueError(f"dims must represent a vector, got shape {shape_str(ctx.xp.shape(dims))}")
    dims = dims.tolist()
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    if ctx.xp.ndim(value) != 0:
        raise ValueError(f"value must be a scalar, got shape {shape_str(ctx.xp.shape(value))}")
    return ctx.xp.full(dims, value, dtype=value.dtype)


def _fill_grad(op, grad):
    return [None, build.reduce_sum(grad)]


register_op("Fill", _fill_infer, kernel=_fill_kernel, grad=_fill_grad)


@undo.atomic
def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with the scalar ``value``."""
    with name_scope(name, "Fill", [dims, value]) as scope:
        dims = int_operand(dims, "dims")
        value = convert_to_tensor(value, name="value")
        return apply_op("Fill", [dims, value], name=scope)


_SMALL_CONSTANT = 1000  # TF1 writes smaller fills as constants, larger ones as Fill ops.


def _filled(default_name: str, one: int, shape, dtype, name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    value = bool(one) if dtype == dtypes.bool else b"" if dtype == dtypes.string else one
    with name_scope(name, default_name, [shape]) as scope:
        if _contains_tensor(shape):  # a shape tensor, or a list packing some
            dims = shape if isinstance(shape, Tensor) else convert_to_tensor(shape, dtypes.int32)
            if dims.shape.ndims in (0, None):  # made a vector, as TF does (a scalar size)
                dims = reshape(dims, [-1])
            return fill(dims, constant(value, dtype=dtype), name=scope)
        if isinstance(shape, (list, tuple)) and any(
            isinstance(d, (int, np.integer)) and d < 0 for d in shape
        ):  # as TF: a Fill op, whose shape function refuses it
            return fill(
                convert_to_tensor(shape, dtypes.int32), constant(value, dtype=dtype), name=scope
            )
        static = _as_shape_arg(shape)
        if isinstance(shape, tensor_shape.TensorShape) and not static.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {static} to a Tensor.")
        if not static.is_fully_defined():
            raise TypeError(
                f"Expected int32, but got None of type 'NoneType': the shape {static} of "
                f"tf.{default_name} must be fully defined, or a tensor."
            )
        if static.num_elements() < _SMALL_CONSTANT:
            return constant(value, dtype=dtype, shape=static, name=scope)
        return fill(convert_to_tensor(static), constant(value, dtype=dtype), name=scope)


@undo.atomic
def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros: a ``Const`` below 1000 elements, else a ``Fill`` op."""
    return _filled("zeros", 0, shape, dtype, name)


@undo.atomic
def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of ones: a ``Const`` below 1000 elements, else a ``Fill`` op."""
    return _filled("ones", 1, shape, dtype, name)


# -- stacking -----------------------------------------------------------------------------


def _pack_infer(inputs, attrs):
    dtype = check_list_dtype("Pack", "values", inputs)
    shape = merge_all(t.shape for t in inputs)
    if shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    axis = attrs["axis"]
    rank = shape.ndims + 1
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    dims = shape.as_list()
    dims.insert(axis % rank, len(inputs))
    return [(dtype, TensorShape(dims))]


def _pack_kernel(ctx, op, *values):
    first = ctx.xp.shape(values[0])
    for i, v in enumerate(values[1:], 1):
        if ctx.xp.shape(v) != first:
            raise ValueError(
                f"Shapes of all inputs must match: values[0].shape = {shape_str(first)} != "
                f"values[{i}].shape = {shape_str(ctx.xp.shape(v))}"
            )
    return ctx.xp.stack(values, axis=op._attrs["axis"])


def _pack_grad(op, grad):
    return build.unstack(grad, num=op._attrs["N"], axis=op._attrs["axis"])


register_op(
    "Pack",
    _pack_infer,
    kernel=_pack_kernel,
    grad=_pack_grad,
    grad_takes_indexed_slices=True,  # made dense as the unstack's value, as TF
)


@undo.atomic
def stack(values, axis=0, name="stack"):
    """Stacks tensors of one shape along a new ``axis``.

    As in TF1, Python values alone make one ``Const`` named ``name``; along axis 0 a list
    mixing tensors and Python values is packed with its constants named by position.
    """
    values = list(values)
    if axis == 0 and _stacks_as_conversion(values):
        return convert_to_tensor(values, name=name)
    first = values[0]
    rank = first.shape.ndims if isinstance(first, Tensor) else np.ndim(first)
    if rank is not None and not -rank - 1 <= axis < rank + 1:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank - 1}, {rank + 1})")
    with name_scope(name) as scope:
        tensors = [convert_to_tensor(v, name=f"values_{i}") for i, v in enumerate(values)]
        return apply_op("Pack", tensors, {"axis": axis, "N": len(tensors)}, name=scope)


def _stacks_as_conversion(values: list) -> bool:
    """Whether TF1 stacks ``values`` along axis 0 by converting the list as a whole: a
    ``Const`` for Python values, a ``packed`` list for a mix of tensors and values."""
    tensors = [_is_tensor_like(v) for v in values]
    if any(tensors):
        return not all(tensors)
    return not any(isinstance(v, np.ndarray) and v.ndim for v in values)


def _is_tensor_like(value) -> bool:
    return isinstance(value, Tensor) or (
        hasattr(value, "dtype") and hasattr(value, "graph") and hasattr(value, "op")
    )


def _contains_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return _is_tensor_like(value)


def _first_tensor_dtype(value) -> dtypes.DType | None:
    for v in value:
        if isinstance(v, (list, tuple)):
            found = _first_tensor_dtype(v)
            if found is not None:
                return found
        elif _is_tensor_like(v):
            return v.dtype.base_dtype
    return None


def _cast_tensors(value, dtype: dtypes.DType):
    """``value`` with every tensor of another dtype cast to ``dtype`` (TF1's ``Cast`` ops)."""
    if isinstance(value, (list, tuple)):
        return [_cast_tensors(v, dtype) for v in value]
    if _is_tensor_like(value):
        t = convert_to_tensor(value)
        if t.dtype.base_dtype != dtype:
            attrs = {"SrcT": t.dtype.base_dtype, "DstT": dtype}
            return apply_op("Cast", [t], attrs, name="Cast")
        return t
    return value


def _autopack(value, dtype=None, name=None, as_ref=False):
    """Lists mixing Python values and tensors become ``Pack`` ops, as in TF1.

    ``tf.convert_to_tensor([t, 1.0])`` is a ``Pack`` named ``packed`` of ``t`` and a constant
    ``packed/1``; nested lists open nested scopes named by position.
    """
    if not _contains_tensor(value):
        return NotImplemented
    inferred = _first_tensor_dtype(value)
    if dtype is None:
        dtype = inferred
    elif dtype != inferred:
        value = _cast_tensors(value, dtype)
    return _pack_nested(value, dtype, name or "packed")


def _pack_nested(values, dtype: dtypes.DType, name: str):
    with get_default_graph().name_scope(name) as scope:
        parts = []
        for i, v in enumerate(values):
            if isinstance(v, (list, tuple)):
                v = _pack_nested(v, dtype, str(i))
            elif _is_tensor_like(v):
                v = convert_to_tensor(v)
                if v.dtype.base_dtype != dtype:
                    raise TypeError(
                        f"Cannot convert a list containing a tensor of dtype {v.dtype} to "
                        f"{dtype} (Tensor is: {v!r})"
                    )
            parts.append(v)
        if not any(isinstance(p, Tensor) for p in parts):
            return parts
        tensors = [
            p if isinstance(p, Tensor) else constant(p, dtype=dtype, name=str(i))
            for i, p in enumerate(parts)
        ]
        return apply_op("Pack", tensors, {"axis": 0, "N": len(tensors)}, name=scope)


register_tensor_conversion_function((list, tuple), _autopack)

# The names ``import scopeflow as tf`` exports from this module.
__all__ = [
    "fill",
    "identity",
    "ones",
    "placeholder",
    "placeholder_with_default",
    "reshape",
    "shape",
    "shape_n",
    "stack",
    "stop_gradient",
    "zeros",
]
