"""Gradients of the reductions ``Sum``, ``Mean``, ``Prod``, ``Max`` and ``Min``, built with
the ops (names, types, inputs) TF 2.21's ``tf.compat.v1.gradients`` builds.

The output's gradient goes back to the input's shape in one of three ways, as in TF:

* every axis reduced and the rank known: ``Reshape`` to ones, then ``Tile`` by the input's
  shape (``Const`` when known, else ``Shape``);
* the input's shape and the axes known: ``Reshape`` to the kept shape and ``Tile`` by the
  number of times each axis repeats, both constants (TF's ``Maximum`` and ``floordiv`` ops
  computing them are left in the graph, once per graph, shape and axes);
* otherwise: the kept shape computed when run (``DynamicStitch`` of the input's shape and
  ones at the reduced axes) and ``BroadcastTo`` the input's shape.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None, 3])
...     g = tf.gradients(tf.reduce_mean(x), x)[0]
>>> g.op.name, g.op.inputs[1].op.inputs[0].op.type
('gradients/Mean_grad/truediv', 'Prod')
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import rank, size
from scopeflow.ops.array.stitch import dynamic_stitch
from scopeflow.ops.array.unique import setdiff1d
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.math.broadcasting import broadcast_to
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import conj, equal, floordiv, maximum


def _static_axes(axes_t: Tensor) -> np.ndarray | None:
    """The reduction axes when known while building: a constant, or the ``range`` of
    constants a full reduction of a rank-0 input makes."""
    value = constant_value(axes_t)
    if value is None and axes_t.op.type == "Range":
        bounds = [constant_value(t) for t in axes_t.op.inputs]
        if all(b is not None for b in bounds):
            value = np.arange(*(int(b) for b in bounds), dtype=axes_t.dtype.as_numpy_dtype)
    return None if value is None else np.asarray(value)


def kept_shape(shape_t: Tensor, axes_t: Tensor):
    """The input's shape (the 1-D tensor ``shape_t``) with the reduced axes as 1: a NumPy
    array when ``shape_t`` and the axes are known while building, else the ops TF makes
    (``Size``, ``add``, ``mod``, ``range``, ``ones``, ``DynamicStitch``)."""
    dims, axes = constant_value(shape_t), _static_axes(axes_t)
    if dims is not None and axes is not None:
        kept = np.array(dims, dtype=np.int32)
        kept[axes.astype(np.int32)] = 1
        return kept
    count = size(shape_t, out_type=axes_t.dtype.base_dtype)
    axes_t = (axes_t + count) % count
    axes_shape = array_ops.shape(axes_t)
    positions = build.range_of(0, count, 1)
    ones = array_ops.ones(axes_shape, dtype=shape_t.dtype.base_dtype)
    return dynamic_stitch([positions, axes_t], [shape_t, ones])


def _reshape_to_scalar(t: Tensor) -> Tensor:
    """``tf.reshape(t, [])`` as TF builds it: the empty list is first made a float32
    constant (``Reshape/shape``, left unused), then int32 (``Reshape/shape_1``)."""
    with name_scope(None, "Reshape", [t]) as scope:
        constant(np.zeros(0, np.float32), name="shape")
        dims = constant(np.zeros(0, np.int32), name="shape")
        return apply_op("Reshape", [t, dims], name=scope)


def _tile_scaling(graph, dims: tuple, axes: np.ndarray):
    """The kept shape and the repeats per axis of reducing a known shape ``dims`` over known
    ``axes``. The first time per graph, TF leaves its ``Maximum`` and ``floordiv`` ops
    computing the repeats; the values are folded here."""
    cache = graph.__dict__.setdefault("_reduced_shape_cache", {})
    key = (dims, tuple(int(a) for a in axes.reshape(-1)))
    if key not in cache:
        kept = np.array(dims, dtype=np.int32)
        kept[axes.astype(np.int32)] = 1
        floordiv(np.array(dims, np.int32), maximum(kept, 1))
        cache[key] = (kept, np.array(dims, np.int32) // np.maximum(kept, 1))
    return cache[key]


def _sum_grad(op, grad):
    """The output's gradient repeated over the reduced axes."""
    x, axes_t = op.inputs
    dims = None if x.shape.ndims is None else tuple(x.shape.as_list())
    axes = None if dims is None else _static_axes(axes_t)
    if axes is not None:
        if np.array_equal(axes, np.arange(len(dims))):  # every axis
            if dims:
                grad = array_ops.reshape(grad, [1] * len(dims))
            else:
                grad = _reshape_to_scalar(grad)
            if None not in dims:
                reps = constant(np.array(dims, dtype=np.int32), name="Const")
            else:
                reps = array_ops.shape(x)
            return tile(grad, reps), None
        if None not in dims:
            kept, reps = _tile_scaling(op.graph, dims, axes)
            return tile(array_ops.reshape(grad, kept), reps), None
    shape_t = array_ops.shape(x)
    if not op._attrs["keep_dims"]:
        with op.graph.colocate_with(shape_t):  # as TF's: the shape's ops placed with it
            kept = kept_shape(shape_t, axes_t)
        grad = array_ops.reshape(grad, kept)
    return broadcast_to(grad, shape_t), None


def _mean_grad(op, grad):
    """The sum's gradient divided by the number of elements each output averages: a constant
    when the input's and the output's shapes are known, else the product of the input's
    dimensions at the reduced axes, computed when run."""
    summed = _sum_grad(op, grad)[0]
    dtype = summed.dtype.base_dtype
    x, axes_t = op.inputs
    dims, out_dims = x.shape, op.outputs[0].shape
    if dims.is_fully_defined() and out_dims.is_fully_defined():
        count = int(np.prod(dims.as_list(), dtype=np.int64))
        out_count = int(np.prod(out_dims.as_list(), dtype=np.int64))
        factor = constant(count // max(out_count, 1), dtype=dtype, name="Const")
    else:
        shape_t = array_ops.shape(x)
        count = size(shape_t)
        factor = build.reduce_prod(gather(shape_t, (axes_t + count) % count))
    return truediv(summed, cast(factor, dtype)), None


def _extreme_grad(op, grad):
    """``Max``/``Min``: the gradient goes to the elements equal to the result, split evenly
    between ties, as in TF."""
    x, axes_t = op.inputs
    shape_t = array_ops.shape(x)
    y = op.outputs[0]
    if not op._attrs["keep_dims"]:
        kept = kept_shape(shape_t, axes_t)
        y = array_ops.reshape(y, kept)
        grad = array_ops.reshape(grad, kept)
    else:
        kept = array_ops.shape(y)
    chosen = cast(equal(y, x), grad.dtype.base_dtype)
    ties = array_ops.reshape(build.reduce_sum(chosen, axes_t), kept)
    return truediv(chosen, ties) * grad, None


def _permuted_dims(x: Tensor, axes_t: Tensor):
    """The static shape of ``x`` with the reduced axes moved to the front, when the rank and
    the axes are known (TF's shape inference evaluates the permutation's constant ops)."""
    axes = _static_axes(axes_t)
    if x.shape.ndims is None or axes is None:
        return None
    dims = x.shape.as_list()
    reduced = [int(a) % len(dims) for a in axes.reshape(-1)] if dims else []
    if len(set(reduced)) != len(reduced):
        return None
    return [dims[i] for i in reduced] + [d for i, d in enumerate(dims) if i not in reduced]


def _prod_grad(op, grad):
    """The output's gradient times the product of the other reduced elements: the reduced
    axes are moved to the front and flattened into one, along which exclusive cumulative
    products from both ends multiply (exact where elements are zero, as in TF)."""
    x, axes_t = op.inputs
    shape_t = array_ops.shape(x)
    axes = array_ops.reshape(axes_t, [-1])
    if not op._attrs["keep_dims"]:
        grad = array_ops.reshape(grad, kept_shape(shape_t, axes_t))
    grad = broadcast_to(grad, shape_t)
    count = rank(x)
    reduced = cast((axes + count) % count, dtypes.int32)
    others = setdiff1d(build.range_of(0, count, 1), reduced)[0]
    perm = concat([reduced, others], 0)
    rows = build.reduce_prod(gather(shape_t, reduced))
    cols = build.reduce_prod(gather(shape_t, others))
    permuted = transpose_ops.transpose(x, perm)
    permuted_dims = _permuted_dims(x, axes_t)
    permuted.set_shape(permuted_dims)
    permuted_shape = array_ops.shape(permuted)
    flat = array_ops.reshape(permuted, (rows, cols))
    if permuted_dims is not None and x.shape.is_fully_defined():  # TF folds rows and cols
        n = len(_static_axes(axes_t).reshape(-1))
        flat.set_shape([int(np.prod(permuted_dims[:n])), int(np.prod(permuted_dims[n:]))])
    left = build.scan("Cumprod", flat, 0, exclusive=True, reverse=False)
    right = build.scan("Cumprod", flat, 0, exclusive=True, reverse=True)
    others_product = array_ops.reshape(conj(left) * conj(right), permuted_shape)
    unpermuted = transpose_ops.transpose(others_product, transpose_ops.invert_permutation(perm))
    if permuted_dims is not None:  # TF folds the permutation
        unpermuted.set_shape(x.shape)
    return array_ops.reshape(grad * unpermuted, shape_t), None
