"""Slicing: ``t[...]`` (strided slices with ints, slices, ``...``, ``tf.newaxis`` and scalar
tensors) and ``tf.slice``."""

from __future__ import annotations

import builtins

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import (
    constant,
    convert_to_tensor,
)
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.gather import boolean_mask
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.pad import pad
from scopeflow.ops.array.shape import ones_like, rank
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    constant_value,
    shape_value,
)

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


def _is_new_axis(attrs, i: int) -> bool:
    """Whether spec entry ``i`` adds an axis (an ellipsis bit wins over a new-axis bit)."""
    return bool(attrs["new_axis_mask"] >> i & 1) and not attrs["ellipsis_mask"] >> i & 1


def _sliced_dims(dims, begin, end, strides, attrs) -> list:
    """The output dims of a strided slice given TF's sparse spec and masks; with ``begin`` and
    ``end`` unknown (``None``) a sliced dimension is known only where both masks take all of it
    (``x[:, t, :]`` keeps the first and last sizes, as TF's shape function)."""

    def bit(mask: str, i: int) -> bool:
        return bool(attrs[mask] >> i & 1)

    n_spec = len(strides)
    consumed = sum(1 for i in range(n_spec) if not _is_new_axis(attrs, i))
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
            whole = bit("begin_mask", i) and bit("end_mask", i)
            if size is None or (begin is None and not whole):
                out.append(None)
            else:
                start = None if bit("begin_mask", i) else int(begin[i])
                stop = None if bit("end_mask", i) else int(end[i])
                out.append(len(range(*builtins.slice(start, stop, stride).indices(size))))
            d += 1
    out.extend(dims[d:])
    return out


def _strided_slice_kernel(ctx, op, x, begin, end, strides):
    index = _numpy_index(ctx.xp.ndim(x), ctx.xp.shape(x), begin, end, strides, op._attrs)
    out = x[index]
    return out if isinstance(out, ctx.xp.ndarray) else ctx.xp.asarray(out, dtype=x.dtype)


def _numpy_index(rank: int, dims, begin, end, strides, attrs) -> tuple:
    """The NumPy index equivalent to TF's sparse slice spec, with TF's run-time errors."""

    def bit(mask: str, i: int) -> bool:
        return bool(attrs[mask] >> i & 1)

    begin, end, strides = begin.tolist(), end.tolist(), strides.tolist()
    n_spec = len(strides)
    consumed = sum(1 for i in range(n_spec) if not _is_new_axis(attrs, i))
    has_ellipsis = any(bit("ellipsis_mask", i) for i in range(n_spec))
    if consumed - has_ellipsis > rank:
        raise ValueError(f"Index out of range using input dim {rank}; input has only {rank} dims")
    index: list = []
    d = 0
    for i in range(n_spec):
        if bit("ellipsis_mask", i):
            index.append(Ellipsis)
            d += rank - (consumed - 1)
        elif bit("new_axis_mask", i):
            index.append(None)
        elif strides[i] == 0:
            raise ValueError(f"strides[{i}] must be non-zero")
        elif bit("shrink_axis_mask", i):
            if not -dims[d] <= begin[i] < dims[d]:
                raise ValueError(f"slice index {begin[i]} of dimension {d} out of bounds.")
            index.append(begin[i])
            d += 1
        else:
            start = None if bit("begin_mask", i) else begin[i]
            stop = None if bit("end_mask", i) else end[i]
            index.append(builtins.slice(start, stop, strides[i]))
            d += 1
    return tuple(index)


def _slice_attrs(op, index_type) -> dict:
    return {**{m: op._attrs[m] for m in _MASKS}, "Index": index_type}


_BOUNDS = ("shape", "begin", "end", "strides")


def _strided_slice_grad(op, grad):
    """A ``StridedSliceGrad`` op; its shape and bounds become constants of its own when
    known while building, as TF 2's graph mode makes them."""
    x, begin, end, strides = op.inputs
    index_type = begin.dtype.base_dtype
    dims = shape(x, out_type=dtypes.int64 if index_type == dtypes.int64 else dtypes.int32)
    with name_scope("StridedSliceGrad") as scope:
        args = [
            t if constant_value(t) is None else constant(constant_value(t), name=arg)
            for arg, t in zip(_BOUNDS, (dims, begin, end, strides), strict=True)
        ]
        grad = convert_to_tensor(grad, name="dy")  # an IndexedSlices made dense here, as TF
        dx = apply_op("StridedSliceGrad", [*args, grad], _slice_attrs(op, index_type), scope)
    return [dx, None, None, None]


register_op(
    "StridedSlice",
    _strided_slice_infer,
    kernel=_strided_slice_kernel,
    grad=_strided_slice_grad,
    grad_takes_indexed_slices=True,
)


def _strided_slice_grad_infer(inputs, attrs):
    dims_t, *bounds, dy = inputs
    for arg, t in zip(("shape", "begin", "end", "strides"), [dims_t, *bounds], strict=True):
        check_dtype_in("StridedSliceGrad", arg, t, (dtypes.int16, *INDEX))
    return [(dy.dtype.base_dtype, shape_value(dims_t))]


def _strided_slice_grad_kernel(ctx, op, dims, begin, end, strides, dy):
    """``dy`` scattered into zeros of shape ``dims`` at the slice (the slice's gradient)."""
    dims = tuple(dims.tolist())
    out = ctx.xp.zeros(dims, dtype=dy.dtype)
    index = _numpy_index(len(dims), dims, begin, end, strides, op._attrs)
    if out[index].shape != ctx.xp.shape(dy):
        raise ValueError(
            f"shape of dy was {list(ctx.xp.shape(dy))} instead of {list(out[index].shape)}"
        )
    out[index] = dy
    return out


def _strided_slice_grad_grad(op, grad):
    _, begin, end, strides, _ = op.inputs
    attrs = _slice_attrs(op, begin.dtype.base_dtype)
    return [None] * 4 + [apply_op("StridedSlice", [grad, begin, end, strides], attrs)]


register_op(
    "StridedSliceGrad",
    _strided_slice_grad_infer,
    kernel=_strided_slice_grad_kernel,
    grad=_strided_slice_grad_grad,
)

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
    if not isinstance(item, Tensor) and isinstance(getattr(item, "dtype", None), dtypes.DType):
        item = convert_to_tensor(item)  # a variable (TF takes int32_ref/int64_ref bounds)
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
        if isinstance(item, builtins.slice):
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


def _is_bool_mask(index) -> bool:
    """TF 2's rule: a Python bool, a bool tensor or a NumPy bool array index is a mask."""
    if isinstance(index, (bool, np.bool_)):
        return True
    if isinstance(index, Tensor):
        return index.dtype.base_dtype == dtypes.bool
    return isinstance(index, np.ndarray) and index.dtype == np.bool_


@undo.atomic
def _getitem(tensor, index):
    if _is_bool_mask(index):  # x[mask] is tf.boolean_mask(x, mask), as in TF 2.21
        return boolean_mask(tensor=tensor, mask=index)
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


@undo.atomic
def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
):
    """``input_[begin:end:strides]`` with TF's bit masks (``tf.strided_slice``); ``strides``
    defaults to ones.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     sess.run(tf.strided_slice([[1, 2, 3], [4, 5, 6]], [0, 1], [2, 3])).tolist()
    [[2, 3], [5, 6]]
    """
    if var is not None:
        raise NotImplementedError("strided_slice(var=...): use tf.strided_slice on the value")
    if strides is None:
        strides = ones_like(begin)  # built first, outside the op's scope, as in TF
    with name_scope(name, "StridedSlice", [input_, begin, end, strides]) as scope:
        x = convert_to_tensor(input_, name="input")
        begin = convert_to_tensor(begin, name="begin")
        end = convert_to_tensor(end, name="end")
        strides = convert_to_tensor(strides, dtype=begin.dtype.base_dtype, name="strides")
        attrs = {
            "begin_mask": int(begin_mask),
            "end_mask": int(end_mask),
            "ellipsis_mask": int(ellipsis_mask),
            "new_axis_mask": int(new_axis_mask),
            "shrink_axis_mask": int(shrink_axis_mask),
            "Index": begin.dtype.base_dtype,
        }
        return apply_op("StridedSlice", [x, begin, end, strides], attrs, name=scope)


# -- tf.slice -----------------------------------------------------------------------------


def _slice_infer(inputs, attrs):
    x, begin_t, size_t = inputs
    check_dtype_in("Slice", "begin", begin_t, INDEX)
    check_same_dtype("Slice", ("begin", "size"), [begin_t, size_t])
    dtype = x.dtype.base_dtype
    n = None
    for t in (begin_t, size_t):
        if t.shape.ndims not in (None, 1):
            raise ValueError(f"Shape must be rank 1 but is rank {t.shape.ndims}")
        if t.shape.ndims == 1 and t.shape[0].value is not None:
            n = t.shape[0].value
    rank = x.shape.ndims
    if rank is not None and n is not None and n != rank:
        raise ValueError(f"Shape must be rank {n} but is rank {rank}")
    rank = rank if rank is not None else n
    if rank is None:
        return [(dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * rank
    begin, size = constant_value(begin_t), constant_value(size_t)
    partial = shape_value(size_t) if size is None else None  # tf.shape(y) of a known y.shape
    out = []
    for i, dim in enumerate(dims):
        b = None if begin is None else int(begin[i])
        s = None if size is None else int(size[i])
        if partial is not None and partial.ndims == len(dims):  # not checked, as TF
            out.append(tensor_shape.dimension_value(partial[i]))
            continue
        # As TF's shape function: only a size of -1 is checked, against what the begin leaves;
        # begins and sizes out of bounds fail when the graph runs.
        if s is not None and s < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {s}")
        if s != -1:
            out.append(s)
        elif b is None or dim is None:
            out.append(None)
        elif dim < b:
            raise ValueError(f"Negative dimension size caused by subtracting {b} from {dim}")
        else:
            out.append(dim - b)
    return [(dtype, TensorShape(out))]


def _slice_kernel(ctx, op, x, begin, size):
    dims = ctx.xp.shape(x)
    begin, size = begin.tolist(), size.tolist()
    if len(begin) != len(dims) or len(size) != len(dims):
        raise ValueError(
            f"Expected begin and size arguments to be 1-D tensors of size {len(dims)}, but got "
            f"shapes [{len(begin)}] and [{len(size)}] instead."
        )
    index = []
    for i, (b, s, dim) in enumerate(zip(begin, size, dims, strict=True)):
        if not 0 <= b <= dim:
            raise ValueError(f"Expected begin[{i}] in [0, {dim}], but got {b}")
        s = dim - b if s == -1 else s
        if not 0 <= s <= dim - b:
            raise ValueError(f"Expected size[{i}] in [0, {dim - b}], but got {s}")
        index.append(builtins.slice(b, b + s))
    return x[tuple(index)] if index else x


def _slice_grad(op, grad):
    """Pads ``grad`` back to the input's shape with zeros before and after the slice."""
    x, begin = op.inputs[:2]
    index_type = begin.dtype.base_dtype
    x_rank, out_shape = rank(x), shape(op.outputs[0], out_type=index_type)
    column = stack([x_rank, 1])
    before = reshape(begin, column)
    after = reshape(shape(x, out_type=index_type) - out_shape - begin, column)
    dx = pad(grad, concat([before, after], 1))
    dx.set_shape(x.shape)  # TF's shape inference folds the paddings; the input's shape it is
    return [dx, None, None]


register_op("Slice", _slice_infer, kernel=_slice_kernel, grad=_slice_grad)


@undo.atomic
def slice(input_, begin, size, name=None):  # noqa: A001 - TF1's public name
    """The part of ``input_`` starting at ``begin`` with extent ``size`` (``-1``: to the end).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, (None, 3, 4))
    ...     y = tf.slice(x, [0, 1, 0], [-1, 2, 3])
    >>> y.op.type, y.shape.as_list()
    ('Slice', [None, 2, 3])
    """
    return build.slice(input_, begin, size, name)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["slice", "strided_slice"]
