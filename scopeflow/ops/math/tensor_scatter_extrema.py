"""``TensorScatterMax`` and ``TensorScatterMin`` (``tf.tensor_scatter_nd_max``/``_min``): a copy
of ``tensor`` whose slices at the multi-indices in the last dimension of ``indices`` become
their element-wise maximum (minimum) with the slices of ``updates``, with TF's gradient
(``array_grad.py``: shared evenly among the inputs equal to the result).

Updates apply in the order of ``indices`` as TF's ``cwiseMax``/``cwiseMin`` do
(``ref < update ? update : ref``): a ``nan`` of ``tensor`` stays, a ``nan`` of ``updates`` is
skipped, and a zero never replaces a zero of the other sign.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather_nd, scatter_nd
from scopeflow.ops.array.tensor_scatter import check_scatter_nd_shapes, scatter_nd_positions
from scopeflow.ops.core.infer import INDEX, REALS, apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.math.elementwise import equal


def _infer(op_type: str):
    def infer(inputs, attrs):
        tensor, indices, updates = inputs
        dtype = check_same_dtype(op_type, ("tensor", "updates"), [tensor, updates])
        check_dtype_in(op_type, "tensor", tensor, REALS)
        check_dtype_in(op_type, "indices", indices, INDEX)
        check_scatter_nd_shapes(tensor.shape, indices.shape, updates.shape)
        return [(dtype, tensor.shape)]

    return infer


def takes_max(update, current):
    return update > current


def takes_min(update, current):
    return update < current


def extremum_at(block, at: tuple, values, wins) -> None:
    """``block[at[0][i], at[1][i]...] = values[i]`` where ``wins(values[i], that slice)``, for
    each ``i`` in order (repeated positions one round after another)."""
    depth = len(at)
    key = np.ravel_multi_index(at, block.shape[:depth]) if depth > 1 else np.asarray(at[0])
    n = len(key)
    values = np.broadcast_to(values, (n, *block.shape[depth:]))
    order = np.argsort(key, kind="stable")
    ranked = key[order]
    first = np.concatenate([[True], ranked[1:] != ranked[:-1]]) if n else np.zeros(0, bool)
    starts = np.maximum.accumulate(np.where(first, np.arange(n), 0)) if n else first
    rank = np.empty(n, np.intp)
    rank[order] = np.arange(n) - starts
    for r in range(int(rank.max()) + 1 if n else 0):
        chosen = rank == r
        where = tuple(np.asarray(a)[chosen] for a in at)
        current, new = block[where], values[chosen]
        block[where] = np.where(wins(new, current), new, current)


def _kernel(wins):
    def kernel(ctx, op, tensor, indices, updates):
        where, rows = scatter_nd_positions(op, indices, updates, tensor.shape)
        out = np.array(tensor, copy=True)
        if not where:  # every update covers the whole tensor
            for row in rows:
                out = np.where(wins(row, out), row, out)
            return out.astype(tensor.dtype, copy=False)
        extremum_at(out, where, rows, wins)
        return out

    return kernel


def _min_or_max_grad(op, grad):
    x, indices, y = op.inputs
    output = op.outputs[0]
    x_indicators = cast(equal(x, output), grad.dtype)
    y_output = gather_nd(output, indices)
    y_indicators = cast(equal(y, y_output), grad.dtype)
    ys_indicators = scatter_nd(indices, y_indicators, shape(x, out_type=indices.dtype))
    indicators = x_indicators + ys_indicators  # all >= 1
    x_grad = grad * x_indicators / indicators
    y_grad = gather_nd(grad / indicators, indices) * y_indicators
    return [x_grad, None, y_grad]


for _type, _wins in (("TensorScatterMax", takes_max), ("TensorScatterMin", takes_min)):
    register_op(_type, _infer(_type), kernel=_kernel(_wins), grad=_min_or_max_grad)


def _tensor_scatter(op_type: str, tensor, indices, updates, name):
    with name_scope(name, op_type, [tensor, indices, updates]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        indices = convert_to_tensor(indices, name="indices")
        updates = convert_to_tensor(updates, dtype_hint=tensor.dtype.base_dtype, name="updates")
        return apply_op(op_type, [tensor, indices, updates], name=scope)


@undo.atomic
def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """A copy of ``tensor`` whose slices at the multi-indices in the last dimension of
    ``indices`` take their element-wise maximum with the slices of ``updates``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     out = tf.tensor_scatter_nd_max([1, 5, 3], [[0], [1], [0]], [4, 4, 2])
    ...     print(tf.Session().run(out))
    [4 5 3]
    """
    return _tensor_scatter("TensorScatterMax", tensor, indices, updates, name)


@undo.atomic
def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """A copy of ``tensor`` whose slices at the multi-indices in the last dimension of
    ``indices`` take their element-wise minimum with the slices of ``updates``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     out = tf.tensor_scatter_nd_min([1, 5, 3], [[0], [1], [0]], [4, 4, 2])
    ...     print(tf.Session().run(out))
    [1 4 3]
    """
    return _tensor_scatter("TensorScatterMin", tensor, indices, updates, name)


__all__ = ["tensor_scatter_nd_max", "tensor_scatter_nd_min"]
