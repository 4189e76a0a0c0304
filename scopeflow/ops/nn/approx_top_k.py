"""``ApproxTopK`` (``tf.nn.approx_max_k``/``approx_min_k``, also ``tf.math``; the raw op as
``tf.approx_top_k``): the ``k`` largest or smallest values along one dimension and their
indices. TF's approximate algorithm runs on TPUs; its CPU kernel, like this one, gives the
exact answer (recall 1, ties to the lower index), which the approximate contract allows. TF's
gradient: the values' gradients scattered back to where they came from."""

from __future__ import annotations

import functools
import itertools
import operator
from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.gather import scatter_nd
from scopeflow.ops.array.join import concat
from scopeflow.ops.core.infer import apply_op, check_dtype_in
from scopeflow.ops.math.broadcasting import broadcast_to
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.nn.basic import top_k_indices

ApproxTopK = namedtuple("ApproxTopK", ["values", "indices"])
_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32)


def _approx_top_k_infer(inputs, attrs):
    (x,) = inputs
    dtype = check_dtype_in("ApproxTopK", "input", x, _TYPES)
    k, axis = attrs["k"], attrs["reduction_dimension"]
    if k < 0:
        raise ValueError(f"Value for attr 'k' of {k} must be at least minimum 0")
    if x.shape.ndims is None:
        return [(dtype, x.shape), (dtypes.int32, x.shape)]
    rank = x.shape.ndims
    if rank == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if not -rank <= axis < rank:
        raise ValueError(
            f"Invalid reduction dimension: {axis}. Must be within the range of "
            f"[{-rank}, {rank - 1}]"
        )
    dims = x.shape.as_list()
    size = dims[axis]
    if size is not None and size < k:
        raise ValueError(f"input must have last dimension >= k = {k} but was {size}")
    dims[axis] = k
    shape = tensor_shape.TensorShape(dims)
    return [(dtype, shape), (dtypes.int32, shape)]


def _approx_top_k_kernel(ctx, op, x):
    k, axis = op._attrs["k"], op._attrs["reduction_dimension"]
    moved = np.moveaxis(x, axis, -1)
    if op._attrs["is_max_k"]:
        indices = top_k_indices(moved, k)
    else:
        indices = np.argsort(moved, axis=-1, kind="stable")[..., :k]
    values = np.take_along_axis(moved, indices, axis=-1)
    return np.moveaxis(values, -1, axis), np.moveaxis(indices, -1, axis).astype(np.int32)


def _approx_top_k_grad(op, grad, _):
    """TF's: the lifted indices of every output position, one ``ScatterNd`` of ``grad``."""
    idx_shape = op.outputs[1].shape
    if not idx_shape.is_fully_defined():
        raise ValueError(
            f"The gradient of ApproxTopK '{op.name}' needs its output's static shape, got "
            f"{idx_shape}: set the input's shape (x.set_shape(...))."
        )
    lifted_idx_shape = idx_shape.as_list() + [1]
    flat_shape_len = functools.reduce(operator.mul, idx_shape.as_list(), 1)
    rank = idx_shape.ndims
    reduction_dim = op._attrs["reduction_dimension"] % rank

    def lifted_idx(d):
        if d == reduction_dim:
            return reshape(op.outputs[1], lifted_idx_shape)
        iota_len = idx_shape[d].value
        iota_shape = list(itertools.repeat(1, rank + 1))
        iota_shape[d] = iota_len
        iota = reshape(range_(iota_len), iota_shape)
        return broadcast_to(iota, lifted_idx_shape)

    lifted = concat([lifted_idx(d) for d in range(rank)], axis=rank)
    flat_idx = reshape(lifted, [flat_shape_len, rank])
    flat_grad = reshape(grad, [flat_shape_len])
    return [scatter_nd(flat_idx, flat_grad, op.inputs[0].shape.as_list())]


register_op("ApproxTopK", _approx_top_k_infer, kernel=_approx_top_k_kernel, grad=_approx_top_k_grad)


def _approx_top_k(is_max_k, operand, k, reduction_dimension, recall_target,
                  reduction_input_size_override, aggregate_to_topk, name):  # fmt: skip
    with name_scope(name, "ApproxTopK", [operand]) as scope:
        operand = convert_to_tensor(operand, name="input")
        attrs = {
            "k": int(k),
            "reduction_dimension": int(reduction_dimension),
            "recall_target": float(recall_target),
            "is_max_k": is_max_k,
            "reduction_input_size_override": int(reduction_input_size_override),
            "aggregate_to_topk": bool(aggregate_to_topk),
        }
        return ApproxTopK(*apply_op("ApproxTopK", [operand], attrs, name=scope))


@undo.atomic
def approx_max_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The ``k`` largest values along ``reduction_dimension`` and their indices (float16,
    bfloat16 or float32; exact here, as on TF's CPU).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     values, indices = tf.nn.approx_max_k([[3.0, 1.0, 4.0, 1.0, 5.0]], 2)
    ...     print(tf.Session().run([values, indices]))
    [array([[5., 4.]], dtype=float32), array([[4, 2]], dtype=int32)]
    """
    return _approx_top_k(True, operand, k, reduction_dimension, recall_target,
                         reduction_input_size_override, aggregate_to_topk, name)  # fmt: skip


@undo.atomic
def approx_min_k(
    operand,
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """The ``k`` smallest values along ``reduction_dimension`` and their indices (exact).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     values, indices = tf.nn.approx_min_k([[3.0, 1.0, 4.0, 1.0, 5.0]], 2)
    ...     print(tf.Session().run([values, indices]))
    [array([[1., 1.]], dtype=float32), array([[1, 3]], dtype=int32)]
    """
    return _approx_top_k(False, operand, k, reduction_dimension, recall_target,
                         reduction_input_size_override, aggregate_to_topk, name)  # fmt: skip


@undo.atomic
def approx_top_k(
    input,  # noqa: A002 - TF's argument name
    k,
    reduction_dimension=-1,
    recall_target=0.95,
    is_max_k=True,
    reduction_input_size_override=-1,
    aggregate_to_topk=True,
    name=None,
):
    """``tf.approx_top_k``, the raw op: ``approx_max_k`` or, with ``is_max_k=False``,
    ``approx_min_k`` (TF's CPU kernel runs only the largest ``k`` along the last dimension;
    this one runs both, along any dimension)."""
    return _approx_top_k(bool(is_max_k), input, k, reduction_dimension, recall_target,
                         reduction_input_size_override, aggregate_to_topk, name)  # fmt: skip


__all__ = ["approx_max_k", "approx_min_k", "approx_top_k"]
