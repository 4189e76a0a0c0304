"""``tf.sort`` and ``tf.argsort``: built from ``TopKV2`` over the whole axis, as TF1 builds
them (an ascending sort negates first; a sort along another axis than the last transposes the
axis to the end and back)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.shape import rank
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.core.infer import constant_value
from scopeflow.ops.nn.basic import top_k


def _descending(values, axis: int, return_argsort: bool):
    k = array_ops.shape(values)[axis]
    rank(values)
    static_rank = values.shape.ndims
    transposition = None
    if axis != -1 and axis + 1 != static_rank:
        if static_rank is None:
            raise NotImplementedError(
                "tf.sort/tf.argsort along an axis other than the last needs a known rank; "
                "set the shape (tensor.set_shape) or sort along axis=-1."
            )
        if axis < 0:
            axis += static_rank
        perm = np.r_[np.arange(axis), [static_rank - 1], np.arange(axis + 1, static_rank - 1)]
        transposition = constant(np.r_[perm, [axis]].astype(np.int32), name="transposition")
        values = transpose(values, transposition)
    sorted_values, indices = top_k(values, k)
    # TF folds k = shape[axis] while building; the sorted axis keeps its size.
    sorted_values.set_shape(values.shape)
    indices.set_shape(values.shape)
    result = indices if return_argsort else sorted_values
    return result if transposition is None else transpose(result, transposition)


def _ascending(values, axis: int, return_argsort: bool):
    dtype = values.dtype.base_dtype
    if dtype.is_unsigned:
        out = _descending(dtype.max - values, axis, return_argsort)
        return out if return_argsort else dtype.max - out
    if dtype.is_integer:
        out = _descending(-values - 1, axis, return_argsort)
        return out if return_argsort else -out - 1
    out = _descending(-values, axis, return_argsort)
    return out if return_argsort else -out


_DIRECTIONS = {"ASCENDING": _ascending, "DESCENDING": _descending}


def _sort_or_argsort(values, axis, direction: str, return_argsort: bool):
    if direction not in _DIRECTIONS:
        raise ValueError(
            "Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
            f"direction={direction}"
        )
    axis = convert_to_tensor(axis, name="axis")
    axis_static = constant_value(axis)
    if axis.shape.ndims not in (None, 0) or axis_static is None:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis}.")
    values = convert_to_tensor(values, name="values")
    return _DIRECTIONS[direction](values, int(axis_static), return_argsort)


@undo.atomic
def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``values`` sorted along ``axis``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.sort([3, 1, 2], direction="DESCENDING")))
    [3 2 1]
    """
    with name_scope(name, "sort"):
        return _sort_or_argsort(values, axis, direction, return_argsort=False)


@undo.atomic
def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort ``values`` along ``axis`` (equal values keep their order).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.argsort([30, 10, 20])))
    [1 2 0]
    """
    del stable  # the order is always stable, as in TF
    with name_scope(name, "argsort"):
        return _sort_or_argsort(values, axis, direction, return_argsort=True)


__all__ = ["argsort", "sort"]
