"""Strided slicing: ``t[...]`` with ints, slices, ``...``, ``tf.newaxis`` and scalar tensors."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import (
    constant,
    convert_to_tensor,
)
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops._infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    constant_value,
)
from scopeflow.ops.array_ops import stack

TensorShape = tensor_shape.TensorShape

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_slice_infer(inputs, attrs):
    x, begin_t, end_t, strides_t = inputs
    for arg, t in (("begin", begin_t), ("end", end_t), ("strides", strides_t)):
        check_dtype_in("StridedSlice", arg, t, (dtypes.int16, *INDEX))
    dtype = x.dtype.base_dtype
    strides = constant_value(strides_t)
    if x.shape.ndims is None or strides is None:
        return [(dtype, tensor_shape.unknown_shape())]
    begin, end = constant_value(begin_t), constant_value(end_t)
    if begin is None or end is None:
        begin = end = None
    dims = _sliced_dims(x.shape.as_list(), begin, end, strides, attrs)
    return [(dtype, TensorShape(dims))]


def _sliced_dims(dims, begin, end, strides, attrs) -> list:
    """The output dims of a strided slice given TF's sparse spec and masks; with ``begin`` and
    ``end`` unknown (``None``) every sliced dimension is unknown."""

    def bit(mask: str, i: int) -> bool:
        return bool(attrs[mask] >> i & 1)

    n_spec = len(strides)
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
            size = dims[d]
            if size is not None and begin is not None and not -size <= int(begin[i]) < size:
                raise ValueError(f"slice index {int(begin[i])} of dimension {d} out of bounds.")
            d += 1
        else:
            size, stride = dims[d], int(strides[i])
            if stride == 0:
                raise ValueError(f"strides[{i}] must be non-zero")
            if size is None or begin is None:
                out.append(None)
            else:
                start = None if bit("begin_mask", i) else int(begin[i])
                stop = None if bit("end_mask", i) else int(end[i])
                out.append(len(range(*slice(start, stop, stride).indices(size))))
            d += 1
    out.extend(dims[d:])
    return out


register_op("StridedSlice", _strided_slice_infer)

_INDEX_ERROR = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
    "tf.int32/tf.int64 tensors are valid indices"
)


def _index_value(item):
    """A Python int or scalar int tensor usable as a slice bound, else ``TypeError``."""
    if isinstance(item, (bool, np.bool_)):
        raise TypeError(f"{_INDEX_ERROR}, got {item!r}")
    if isinstance(item, (int, np.integer, tensor_shape.Dimension)):
        return int(item)
    if isinstance(item, Tensor):
        dtype = item.dtype.base_dtype
        if dtype in (dtypes.int16, *INDEX) and item.shape.ndims in (None, 0):
            return item
    raise TypeError(f"{_INDEX_ERROR}, got {item!r}")


def _tensor_dtype(parts) -> dtypes.DType | None:
    """The widest int dtype among the tensor bounds of one slice (TF1's rule)."""
    kinds = {p.dtype.base_dtype for p in parts if isinstance(p, Tensor)}
    for dtype in (dtypes.int64, dtypes.int32, dtypes.int16):
        if dtype in kinds:
            return dtype
    return None


def _slice_spec(index) -> tuple[list, list, list, dict]:
    """TF's sparse slice spec for ``index``: begin, end and strides entries (ints or scalar
    tensors) and the five masks. Tensor bounds make the implied ``0``/``1`` constants."""
    items = index if isinstance(index, (tuple, list)) else (index,)
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    if sum(1 for item in items if item is Ellipsis) > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    for i, item in enumerate(items):
        if isinstance(item, slice):
            bounds = [None if p is None else _index_value(p) for p in (item.start, item.stop)]
            step = None if item.step is None else _index_value(item.step)
            dtype = _tensor_dtype([*bounds, step])

            def implied(value: int, dtype=dtype):
                return value if dtype is None else constant(value, dtype=dtype)

            for entries, bound, mask in (
                (begin, bounds[0], "begin_mask"),
                (end, bounds[1], "end_mask"),
            ):
                entries.append(implied(0) if bound is None else bound)
                masks[mask] |= (bound is None) << i
            strides.append(implied(1) if step is None else step)
        elif item is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= 1 << i
        elif item is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= 1 << i
        else:
            value = _index_value(item)
            begin.append(value)
            end.append(value + 1)
            wide = isinstance(value, Tensor) and value.dtype.base_dtype != dtypes.int32
            strides.append(constant(1, dtype=value.dtype) if wide else 1)
            masks["shrink_axis_mask"] |= 1 << i
    return begin, end, strides, masks


@undo.atomic
def _getitem(tensor, index):
    begin, end, strides, masks = _slice_spec(index)
    parts = [tensor, *(p for p in begin + end + strides if isinstance(p, Tensor))]
    with name_scope(None, "strided_slice", parts) as scope:
        x = convert_to_tensor(tensor)
        if begin:
            packed = [stack(begin), stack(end), stack(strides)]
        else:
            packed = [constant(np.zeros(0, np.int32))] * 3
        if any(p.dtype == dtypes.int64 for p in packed):
            packed = [_cast_to_int64(p) for p in packed]
        attrs = {**masks, "Index": packed[0].dtype.base_dtype}
        return apply_op("StridedSlice", [x, *packed], attrs, name=scope)


def _cast_to_int64(t: Tensor) -> Tensor:
    if t.dtype == dtypes.int64:
        return t
    return apply_op("Cast", [t], {"SrcT": t.dtype.base_dtype, "DstT": dtypes.int64}, name="Cast")


Tensor._override_operator("__getitem__", _getitem)
