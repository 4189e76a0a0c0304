"""Placeholders, identity, reshapes, fills, stacking and slicing (``t[...]``)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import (
    constant,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops._infer import (
    apply_op,
    check_same_dtype,
    constant_value,
    same_as_first,
    shape_from_tensor,
)

TensorShape = tensor_shape.TensorShape


# -- placeholders and identity ------------------------------------------------------------


def _placeholder_infer(inputs, attrs):
    return [(attrs["dtype"], attrs["shape"])]


register_op("Placeholder", _placeholder_infer, grad=NOT_DIFFERENTIABLE)


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
    if not attrs["shape"].is_compatible_with(default.shape):
        raise ValueError(f"Shapes {attrs['shape']} and {default.shape} are incompatible")
    return [(default.dtype.base_dtype, attrs["shape"])]


register_op("PlaceholderWithDefault", _placeholder_with_default_infer)


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


register_op("Identity", same_as_first)
register_op("StopGradient", same_as_first, grad=NOT_DIFFERENTIABLE)


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


register_op("Shape", _shape_infer, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002
    """The dynamic shape of ``input`` as a 1-D int tensor."""
    with name_scope(name, "Shape", [input]) as scope:
        value = convert_to_tensor(input, name="input")
        return apply_op("Shape", [value], {"out_type": dtypes.as_dtype(out_type)}, name=scope)


def _reshape_infer(inputs, attrs):
    tensor, shape_t = inputs
    dtype = tensor.dtype.base_dtype
    target = constant_value(shape_t)
    if target is None:
        return [(dtype, shape_from_tensor(shape_t))]
    target = [int(v) for v in target]
    if sum(1 for v in target if v == -1) > 1:
        raise ValueError("Cannot infer multiple unknown dimensions in shape")
    if any(v < -1 for v in target):
        raise ValueError(f"Size {min(target)} must be non-negative, not {min(target)}")
    known = int(np.prod([v for v in target if v != -1], dtype=np.int64))
    total = tensor.shape.num_elements()
    if -1 in target:
        if total is None:
            return [(dtype, TensorShape([None if v == -1 else v for v in target]))]
        if known == 0 or total % known:
            raise ValueError(
                f"Cannot reshape a tensor with {total} elements to shape {target} "
                f"({known} elements)"
            )
        target = [total // known if v == -1 else v for v in target]
    elif total is not None and total != known:
        raise ValueError(
            f"Cannot reshape a tensor with {total} elements to shape {target} ({known} elements)"
        )
    return [(dtype, TensorShape(target))]


register_op("Reshape", _reshape_infer)


@undo.atomic
def reshape(tensor, shape, name=None):
    """``tensor`` with a new shape; one dimension may be ``-1`` and is inferred."""
    with name_scope(name, "Reshape", [tensor, shape]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        shape = convert_to_tensor(shape, dtype_hint=dtypes.int32, name="shape")
        return apply_op("Reshape", [tensor, shape], name=scope)


def _transpose_infer(inputs, attrs):
    x, perm_t = inputs
    perm = constant_value(perm_t)
    if x.shape.ndims is None or perm is None:
        n = x.shape.ndims if x.shape.ndims is not None else perm_t.shape[0].value
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(n))]
    if sorted(int(p) for p in perm) != list(range(x.shape.ndims)):
        raise ValueError(f"perm {list(perm)} is not a permutation of [0..{x.shape.ndims})")
    dims = x.shape.as_list()
    return [(x.dtype.base_dtype, TensorShape([dims[int(p)] for p in perm]))]


register_op("Transpose", _transpose_infer)


@undo.atomic
def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permutes dimensions (reverses them when ``perm`` is ``None``)."""
    with name_scope(name, "transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        if perm is None:
            if a.shape.ndims is None:
                raise NotImplementedError(
                    "transpose without perm needs a known rank; pass perm explicitly"
                )
            perm = list(range(a.shape.ndims - 1, -1, -1))
        perm = convert_to_tensor(perm, dtype_hint=dtypes.int32, name="perm")
        return apply_op("Transpose", [a, perm], name=scope)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two dimensions."""
    with name_scope(name, "matrix_transpose", [a]) as scope:
        a = convert_to_tensor(a, name="a")
        if a.shape.ndims is None:
            raise NotImplementedError("matrix_transpose needs a known rank")
        perm = list(range(a.shape.ndims - 2)) + [a.shape.ndims - 1, a.shape.ndims - 2]
        return transpose(a, perm, name=scope)


def _diag_part_infer(inputs, attrs):
    x = inputs[0]
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    if len(dims) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(dims)}")
    rows, cols = dims[-2:]
    n = None if rows is None or cols is None else min(rows, cols)
    return [(x.dtype.base_dtype, TensorShape(dims[:-2] + [n]))]


register_op("MatrixDiagPart", _diag_part_infer)


@undo.atomic
def matrix_diag_part(input, name="diag_part"):  # noqa: A002
    """The main diagonal of the innermost matrices."""
    with name_scope(name, "diag_part", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("MatrixDiagPart", [x], name=scope)


# -- fills --------------------------------------------------------------------------------


def _fill_infer(inputs, attrs):
    dims, value = inputs
    if value.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {value.shape.ndims}")
    return [(value.dtype.base_dtype, shape_from_tensor(dims))]


register_op("Fill", _fill_infer)


@undo.atomic
def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with the scalar ``value``."""
    with name_scope(name, "Fill", [dims, value]) as scope:
        dims = convert_to_tensor(dims, dtype_hint=dtypes.int32, name="dims")
        value = convert_to_tensor(value, name="value")
        return apply_op("Fill", [dims, value], name=scope)


_SMALL_CONSTANT = 1000  # TF1 writes smaller fills as constants, larger ones as Fill ops.


def _filled(default_name: str, one: int, shape, dtype, name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    value = bool(one) if dtype == dtypes.bool else b"" if dtype == dtypes.string else one
    with name_scope(name, default_name, [shape]) as scope:
        if isinstance(shape, Tensor):
            return fill(shape, constant(value, dtype=dtype), name=scope)
        static = _as_shape_arg(shape)
        if not static.is_fully_defined():
            raise ValueError(f"{default_name}: shape must be fully defined, got {static}")
        if static.num_elements() < _SMALL_CONSTANT:
            return constant(value, dtype=dtype, shape=static, name=scope)
        dims = constant(np.asarray(static.as_list(), np.int32), name="shape_as_tensor")
        return fill(dims, constant(value, dtype=dtype), name=scope)


@undo.atomic
def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros."""
    return _filled("zeros", 0, shape, dtype, name)


@undo.atomic
def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of ones."""
    return _filled("ones", 1, shape, dtype, name)


# -- stacking -----------------------------------------------------------------------------


def _pack_infer(inputs, attrs):
    dtype = check_same_dtype("Pack", tuple(f"values_{i}" for i in range(len(inputs))), inputs)
    shape = inputs[0].shape
    for t in inputs[1:]:
        shape = shape.merge_with(t.shape)
    if shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    axis = attrs["axis"]
    rank = shape.ndims + 1
    if not -rank <= axis < rank:
        raise ValueError(f"axis = {axis} not in [{-rank}, {rank})")
    dims = shape.as_list()
    dims.insert(axis % rank, len(inputs))
    return [(dtype, TensorShape(dims))]


register_op("Pack", _pack_infer)


@undo.atomic
def stack(values, axis=0, name="stack"):
    """Stacks tensors of one shape along a new ``axis``."""
    with name_scope(name, "stack", values) as scope:
        values = [convert_to_tensor(v) for v in values]
        return apply_op("Pack", values, {"axis": axis, "N": len(values)}, name=scope)


def _contains_tensor(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return hasattr(value, "dtype") and hasattr(value, "graph") and hasattr(value, "op")


def _autopack(value, dtype=None, name=None, as_ref=False):
    """Lists mixing Python numbers and tensors become a ``Pack`` op, as in TF1."""
    if not _contains_tensor(value):
        return NotImplemented
    with name_scope(name, "packed", [v for v in value if isinstance(v, Tensor)]) as scope:
        parts = [_autopack(v, dtype, None) if isinstance(v, (list, tuple)) else v for v in value]
        tensors = [p for p in parts if isinstance(p, Tensor)]
        dtype = dtype or tensors[0].dtype.base_dtype
        parts = [convert_to_tensor(p, dtype=dtype) for p in parts]
        return apply_op("Pack", parts, {"axis": 0, "N": len(parts)}, name=scope)


register_tensor_conversion_function((list, tuple), _autopack)


# -- slicing ------------------------------------------------------------------------------


def _strided_slice_infer(inputs, attrs):
    x, begin_t, end_t, strides_t = inputs
    dtype = x.dtype.base_dtype
    begin, end, strides = (constant_value(t) for t in (begin_t, end_t, strides_t))
    if x.shape.ndims is None or begin is None or end is None or strides is None:
        return [(dtype, tensor_shape.unknown_shape())]
    return [(dtype, TensorShape(_sliced_dims(x.shape.as_list(), begin, end, strides, attrs)))]


def _sliced_dims(dims, begin, end, strides, attrs) -> list:
    """The output dims of a strided slice given TF's sparse spec and masks."""

    def bit(mask: str, i: int) -> bool:
        return bool(attrs[mask] >> i & 1)

    n_spec = len(begin)
    consumed = sum(1 for i in range(n_spec) if not bit("new_axis_mask", i))
    has_ellipsis = any(bit("ellipsis_mask", i) for i in range(n_spec))
    if consumed - has_ellipsis > len(dims):
        raise ValueError(
            f"Index out of range using input dim {len(dims)}; input has only {len(dims)} dims"
        )
    out: list = []
    d = 0
    for i in range(n_spec):
        if bit("ellipsis_mask", i):
            span = len(dims) - (consumed - 1)
            out.extend(dims[d : d + span])
            d += span
        elif bit("new_axis_mask", i):
            out.append(1)
        elif bit("shrink_axis_mask", i):
            size, index = dims[d], int(begin[i])
            if size is not None and not -size <= index < size:
                raise ValueError(f"slice index {index} of dimension {d} out of bounds.")
            d += 1
        else:
            size, stride = dims[d], int(strides[i])
            if stride == 0:
                raise ValueError("strides must be non-zero")
            if size is None:
                out.append(None)
            else:
                start = None if bit("begin_mask", i) else int(begin[i])
                stop = None if bit("end_mask", i) else int(end[i])
                out.append(len(range(*slice(start, stop, stride).indices(size))))
            d += 1
    out.extend(dims[d:])
    return out


register_op("StridedSlice", _strided_slice_infer)


def _slice_spec(index) -> tuple[list, list, list, dict]:
    items = index if isinstance(index, tuple) else (index,)
    begin, end, strides = [], [], []
    masks = dict.fromkeys(
        ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"), 0
    )
    for i, item in enumerate(items):
        if isinstance(item, slice):
            for part in (item.start, item.stop, item.step):
                if part is not None and not isinstance(part, (int, np.integer)):
                    raise NotImplementedError(
                        "slicing with tensor bounds is not supported yet; use tf.slice or tf.gather"
                    )
            begin.append(0 if item.start is None else int(item.start))
            end.append(0 if item.stop is None else int(item.stop))
            strides.append(1 if item.step is None else int(item.step))
            masks["begin_mask"] |= (item.start is None) << i
            masks["end_mask"] |= (item.stop is None) << i
        elif item is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= 1 << i
        elif item is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= 1 << i
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            begin.append(int(item)), end.append(int(item) + 1), strides.append(1)
            masks["shrink_axis_mask"] |= 1 << i
        elif isinstance(item, Tensor):
            raise NotImplementedError(
                "indexing with a tensor is not supported yet; use tf.gather or tf.slice"
            )
        else:
            raise TypeError(
                "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                f"tf.int32/tf.int64 tensors are valid indices, got {item!r}"
            )
    return begin, end, strides, masks


@undo.atomic
def _getitem(tensor, index):
    begin, end, strides, masks = _slice_spec(index)
    with name_scope(None, "strided_slice", [tensor]) as scope:
        x = convert_to_tensor(tensor)
        parts = [
            constant(np.asarray(v, np.int32), name=n)
            for v, n in ((begin, "stack"), (end, "stack_1"), (strides, "stack_2"))
        ]
        attrs = {**masks, "Index": dtypes.int32}
        return apply_op("StridedSlice", [x, *parts], attrs, name=scope)


Tensor._override_operator("__getitem__", _getitem)
