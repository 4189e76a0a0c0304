"""``DynamicStitch`` (``tf.dynamic_stitch``): the slices of several data tensors put at the
rows their index tensors name, later inputs winning a row named twice. TF1's
``reduced_shape`` builds it (the shape of a reduction with ``keepdims``, when the shape is not
known while building), and ``tf.metrics``' top-k metrics through it."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.array.gather import gather
from scopeflow.ops.core.infer import apply_op, check_list_dtype, constant_value

TensorShape = tensor_shape.TensorShape


def _text(shape) -> str:
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


def _known_indices(t):
    """``t``'s value when known while building: TF's shape inference also folds a
    ``tf.range`` of constants (``reduced_shape``'s ``tf.range(rank)``)."""
    if t.op.type == "Range":
        bounds = [constant_value(x) for x in t.op.inputs]
        return None if any(b is None for b in bounds) else np.arange(*bounds, dtype=np.int32)
    return constant_value(t)


def _stitch_infer(inputs, attrs):
    n = len(inputs) // 2
    indices, data = inputs[:n], inputs[n:]
    dtype = check_list_dtype("DynamicStitch", "data", data)
    extra = TensorShape(None)
    largest = -1
    known = True
    for index, values in zip(indices, data, strict=True):
        value = _known_indices(index)
        known = known and value is not None
        if value is not None and np.size(value):
            largest = max(largest, int(np.max(value)))
        if index.shape.ndims is None:
            continue
        rank = index.shape.ndims
        if values.shape.ndims is not None:
            if values.shape.ndims < rank:
                raise ValueError(
                    f"Shape must be at least rank {rank} but is rank {values.shape.ndims}"
                )
            for a, b in zip(values.shape.as_list()[:rank], index.shape.as_list(), strict=True):
                if a is not None and b is not None and a != b:
                    raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
            extra = merge_shapes(extra, values.shape[rank:])
    first = TensorShape([largest + 1 if known else None])
    return [(dtype, first.concatenate(extra))]


def _stitch_kernel(ctx, op, *inputs):
    n = len(inputs) // 2
    indices = [np.asarray(i) for i in inputs[:n]]
    data = [np.asarray(d) for d in inputs[n:]]
    for i, (index, values) in enumerate(zip(indices, data, strict=True)):
        if values.shape[: index.ndim] != index.shape:
            raise ValueError(
                f"data[{i}].shape = {_text(values.shape)} does not start with "
                f"indices[{i}].shape = {_text(index.shape)}"
            )
    rows = max((int(i.max()) for i in indices if i.size), default=-1) + 1
    trailing = data[0].shape[indices[0].ndim :]
    for i, (index, values) in enumerate(zip(indices, data, strict=True)):
        if values.shape[index.ndim :] != trailing:
            raise ValueError(
                f"Need data[0].shape[{indices[0].ndim}:] = {_text(trailing)}, got "
                f"data[{i}].shape = {_text(values.shape)}"
            )
    out = np.zeros((rows, *trailing), op.outputs[0].dtype.as_numpy_dtype)
    for index, values in zip(indices, data, strict=True):
        flat = index.reshape(-1)
        if flat.size and int(flat.min()) < 0:  # (rows is past the largest index)
            raise ValueError(f"indices[{int(np.argmax(flat < 0))}] is out of range")
        out[flat] = values.reshape((len(flat), *trailing))
    return out


def _stitch_grad(op, grad):
    """TF1's: each data input's gradient gathers the rows of ``grad`` its indices name (a row
    named twice gives both inputs its gradient, as TF1's)."""
    n = len(op.inputs) // 2
    return [None] * n + [gather(grad, op.inputs[i]) for i in range(n)]


register_op("DynamicStitch", _stitch_infer, kernel=_stitch_kernel, grad=_stitch_grad)
# TF's embedding lookups over shards stitch with this one (it may fill rows in parallel, so a
# row named twice takes either value; here, as DynamicStitch, the last): graphs TF wrote run.
register_op("ParallelDynamicStitch", _stitch_infer, kernel=_stitch_kernel, grad=_stitch_grad)
_SNAKE = {"DynamicStitch": "dynamic_stitch", "ParallelDynamicStitch": "parallel_dynamic_stitch"}


@undo.atomic
def dynamic_stitch(indices, data, name=None):
    """One tensor of the rows of ``data``: ``out[indices[m][i, ...], ...] = data[m][i, ...]``,
    the last write winning where indices repeat; int32 ``indices``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     out = tf.dynamic_stitch([[0, 2], [1, 2]], [[10.0, 20.0], [30.0, 40.0]])
    ...     print(tf.Session().run(out))
    [10. 30. 40.]
    """
    return _stitch("DynamicStitch", indices, data, name)


@undo.atomic
def parallel_dynamic_stitch(indices, data, name=None):
    """``dynamic_stitch`` as the ``ParallelDynamicStitch`` op (TF's ``DynamicPartition``
    gradient and sharded embedding lookups build it): the same values here."""
    return _stitch("ParallelDynamicStitch", indices, data, name)


def _stitch(op_type: str, indices, data, name):
    if not isinstance(indices, (list, tuple)) or not isinstance(data, (list, tuple)):
        raise TypeError(f"Expected list for 'indices' and 'data' arguments to '{op_type}'")
    if len(indices) != len(data):
        raise ValueError(
            f"List argument 'data' to '{_SNAKE[op_type]}' Op with length {len(data)} must match "
            f"length {len(indices)} of argument 'indices'."
        )
    with name_scope(name, op_type, [*indices, *data]) as scope:
        indices = [convert_to_tensor(t, name=f"indices_{i}") for i, t in enumerate(indices)]
        wrong = [t.dtype.base_dtype.name for t in indices if t.dtype.base_dtype != dtypes.int32]
        if wrong:
            raise TypeError(
                f"Tensors in list passed to 'indices' of '{op_type}' Op have types "
                f"[{', '.join(wrong)}] that do not match expected type int32."
            )
        data = [convert_to_tensor(t, name=f"data_{i}") for i, t in enumerate(data)]
        return apply_op(op_type, [*indices, *data], {"N": len(indices)}, name=scope)


__all__ = ["dynamic_stitch"]
