"""``tf.strings.join`` (``StringJoin``: strings joined element by element, scalars broadcast)
and ``tf.reduce_join`` (``ReduceJoin``: strings joined along axes)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.strings.common import as_bytes, strings_array

TensorShape = tensor_shape.TensorShape

# -- StringJoin ------------------------------------------------------------------------------


def _string_join_infer(inputs, attrs):
    shape = TensorShape([])
    for t in inputs:
        if t.shape.ndims != 0:
            shape = t.shape if shape.ndims == 0 else merge_shapes(shape, t.shape)
    return [(dtypes.string, shape)]


def _dims(shape) -> str:
    return f"[{','.join(map(str, shape))}]"


def _string_join_kernel(ctx, op, *inputs):
    arrays = [np.asarray(x, dtype=object) for x in inputs]
    shaped = [a.shape for a in arrays if a.ndim]
    for shape in shaped[1:]:
        if shape != shaped[0]:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Input shapes do not match: {_dims(shaped[0])} vs. {_dims(shape)}",
            )
    shape = shaped[0] if shaped else ()
    columns = [np.broadcast_to(a, shape).reshape(-1) for a in arrays]
    separator = as_bytes(op._attrs["separator"])  # str when imported from a GraphDef
    joined = [separator.join(map(as_bytes, row)) for row in zip(*columns, strict=True)]
    return strings_array(joined, shape)


register_op(
    "StringJoin",
    _string_join_infer,
    kernel=_string_join_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def string_join(inputs, separator="", name=None):
    """The strings of ``inputs`` (tensors of one shape, or scalars) joined element by element
    with ``separator`` between them.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.join([["a", "b"], "!"], separator="-")))
    [b'a-!' b'b-!']
    """
    with name_scope(name, "StringJoin", inputs) as scope:
        tensors = [
            convert_to_tensor(x, dtype=dtypes.string, name=f"inputs_{i}")
            for i, x in enumerate(inputs)
        ]
        attrs = {"N": len(tensors), "separator": as_bytes(separator)}
        return apply_op("StringJoin", tensors, attrs, name=scope)


# -- ReduceJoin ------------------------------------------------------------------------------


def _reduction_axes(axes, rank: int) -> list[int]:
    out = []
    for axis in np.reshape(axes, -1).tolist():
        if not -rank <= axis < rank:
            raise ValueError(
                f"Invalid reduction dimension {axis} for input with {rank} dimensions."
            )
        out.append(axis % rank)
    return out


def _reduce_join_infer(inputs, attrs):
    x, axes = inputs
    keep = attrs["keep_dims"]
    rank = x.shape.ndims
    value = constant_value(axes)
    if rank is None:
        return [(dtypes.string, TensorShape(None))]
    if value is None:
        return [(dtypes.string, TensorShape([None] * rank) if keep else TensorShape(None))]
    reduced = set(_reduction_axes(value, rank))
    dims = [
        1 if i in reduced else d
        for i, d in enumerate(x.shape.as_list())
        if keep or i not in reduced
    ]
    return [(dtypes.string, TensorShape(dims))]


def _reduce_join_kernel(ctx, op, x, axes):
    x = np.asarray(x, dtype=object)
    try:
        axes = _reduction_axes(axes, x.ndim)
    except ValueError as e:
        raise errors.InvalidArgumentError(None, op, str(e)) from None
    for i, axis in enumerate(axes):
        if axis in axes[:i]:
            raise errors.InvalidArgumentError(None, op, f"Duplicate reduction dimension {axis}")
    kept = [i for i in range(x.ndim) if i not in axes]
    # The first axis listed varies fastest in each joined string, as in TF.
    moved = np.transpose(x, kept + axes[::-1])
    count = int(np.prod([x.shape[i] for i in kept], dtype=np.int64))  # not -1: may be empty
    rows = moved.reshape(count, int(np.prod([x.shape[a] for a in axes], dtype=np.int64)))
    separator = as_bytes(op._attrs["separator"])  # str when imported from a GraphDef
    joined = strings_array([separator.join(map(as_bytes, row)) for row in rows])
    if op._attrs["keep_dims"]:
        return joined.reshape([1 if i in axes else d for i, d in enumerate(x.shape)])
    return joined.reshape([x.shape[i] for i in kept])


register_op(
    "ReduceJoin",
    _reduce_join_infer,
    kernel=_reduce_join_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _one_of(new, new_name: str, old, old_name: str):
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'.")
    return old if new is None else new


@undo.atomic
def reduce_join(
    inputs,
    axis=None,
    keep_dims=None,
    separator="",
    name=None,
    reduction_indices=None,
    keepdims=None,
):
    """The strings of ``inputs`` joined along ``axis`` (all axes when None) with
    ``separator``; with several axes, the first listed varies fastest.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.reduce_join([["a", "b"], ["c", "d"]], 1, separator=",")))
    [b'a,b' b'c,d']
    """
    keepdims = bool(_one_of(keepdims, "keepdims", keep_dims, "keep_dims"))
    axis = _one_of(axis, "axis", reduction_indices, "reduction_indices")
    with name_scope(None, "ReduceJoin", [inputs, axis]):
        x = convert_to_tensor(inputs)
        if axis is None:
            if x.shape.ndims is None:
                raise NotImplementedError(
                    "reduce_join over all axes of a tensor of unknown rank: give the axes "
                    "(axis=...) or a static rank."
                )
            axis = constant(np.arange(x.shape.ndims - 1, -1, -1), dtype=dtypes.int32)
        with name_scope(name or "ReduceJoin") as scope:
            if not isinstance(axis, Tensor):
                axis = convert_to_tensor(axis, dtype=dtypes.int32, name="reduction_indices")
            attrs = {"keep_dims": keepdims, "separator": as_bytes(separator)}
            return apply_op("ReduceJoin", [x, axis], attrs, name=scope)


__all__ = ["reduce_join", "string_join"]
