"""Row updates of a variable: ``ScatterSub``, ``ScatterAdd``, ``ScatterMul``, ``ScatterDiv``,
``ScatterMax``, ``ScatterMin`` and ``ScatterUpdate`` (``tf.scatter_sub``...):
``ref[indices[i, ...]] -= updates[i, ...]``, in the order of ``indices`` (repeated indices
apply one after another, as TF's kernel does; integer division truncates; max and min replace
an element only where the update is greater or less, as TF's ``cwiseMax``: ``nan`` in the
variable stays, ``nan`` in the updates is skipped); and their
multi-index forms ``ScatterNdSub``, ``ScatterNdAdd``, ``ScatterNdUpdate``
(``tf.scatter_nd_sub``...), which update the slices at the multi-indices in the last dimension
of ``indices``.

The kernels read and write only the rows ``indices`` names (``ctx.update_rows``: in place when
nothing else holds the variable's array), so a step costs what the batch touches, not the
table's size. ``GradientDescentOptimizer`` applies an ``IndexedSlices`` gradient with
``ScatterSub``, ``AdamOptimizer`` with ``ScatterAdd``, as TF1 does.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import graph_of
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.array.tensor_scatter import check_scatter_nd_shapes, scatter_nd_positions
from scopeflow.ops.core.infer import (
    FLOATS,
    INDEX,
    apply_op,
    check_dtype_in,
    check_same_dtype,
)
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.ops.math.tensor_scatter_extrema import extremum_at, takes_max, takes_min
from scopeflow.ops.math.ufunc_kernels import truncate_div

# TF's order of the types ScatterMax and ScatterMin take, as its errors list them.
_EXTREMA_TYPES = (*FLOATS[1::-1], *FLOATS[2:], *INDEX)


def _scatter_infer(op_type: str, allowed=None):
    def infer(inputs, attrs):
        ref, indices, updates = inputs
        dtype = check_same_dtype(op_type, ("ref", "updates"), [ref, updates])
        if allowed is not None:
            check_dtype_in(op_type, "ref", ref, allowed)
        check_dtype_in(op_type, "indices", indices, INDEX)
        var_shape = ref.shape
        if var_shape.ndims and updates.shape.ndims != 0:
            merge_shapes(updates.shape, indices.shape.concatenate(var_shape[1:]))
        return [(dtype._as_ref, var_shape)]

    return infer


def _position(flat: int, shape: tuple[int, ...]) -> str:
    """Where the ``flat``-th index sits in indices of ``shape``, as TF writes it: ``[0,1]``."""
    if not shape:
        return ""
    return "[" + ",".join(str(int(i)) for i in np.unravel_index(flat, shape)) + "]"


def _at(ufunc):
    return lambda block, position, values: ufunc.at(block, position, values)


def _divide_at(block, position, values):
    """``block[position[i]] /= values[i]`` in order: C's truncating division for integers."""
    if block.dtype.kind not in "iu":
        with quiet():
            np.true_divide.at(block, position, values)
        return
    values = np.broadcast_to(values, (len(position), *block.shape[1:]))
    for row, value in zip(position, values, strict=True):
        block[row] = truncate_div(block[row], value)


def _extremum_at(wins):
    return lambda block, position, values: extremum_at(block, (position,), values, wins)


def _scatter_kernel(apply):
    """The kernel calling ``apply(block, position, values)`` (``np.subtract.at``...;
    ``None``: assign) on the rows ``indices`` names."""

    def kernel(ctx, op, var_op, indices, updates):
        shape = ctx.variable_shape(var_op, op)
        if not shape:
            raise errors.InvalidArgumentError(
                None, op, f"params must be at least 1-D, got shape {_dims_text(shape)}"
            )
        if np.ndim(updates) and np.shape(updates) != np.shape(indices) + shape[1:]:
            raise errors.InvalidArgumentError(
                None,
                op,
                "Must have updates.shape = indices.shape + params.shape[1:] or updates.shape "
                f"= [], got updates.shape {_dims_text(np.shape(updates))}, indices.shape "
                f"{_dims_text(np.shape(indices))}, params.shape {_dims_text(shape)}",
            )
        flat = np.reshape(indices, -1)
        bad = (flat < 0) | (flat >= shape[0])
        if bad.any():
            i = int(np.argmax(bad))
            raise errors.InvalidArgumentError(
                None,
                op,
                f"indices{_position(i, np.shape(indices))} = {int(flat[i])} is not in "
                f"[0, {shape[0]}) (op '{op.name}', variable '{var_op.name}')",
            )
        rows, position = np.unique(flat, return_inverse=True)
        values = np.reshape(updates, (-1, *shape[1:])) if np.ndim(updates) else updates
        if apply is None:
            block = np.empty((len(rows), *shape[1:]), updates.dtype)
            block[position] = values  # the last of repeated indices wins
        else:
            block = ctx.variable_rows(var_op, rows, op)
            apply(block, position, values)
        return ctx.update_rows(var_op, rows, block, op)

    return kernel


def _dims_text(dims) -> str:
    """A run-time shape as TF's kernels write it: ``[2,3]``."""
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


for _type, _apply, _allowed in (
    ("ScatterSub", _at(np.subtract), None),
    ("ScatterAdd", _at(np.add), None),
    ("ScatterMul", _at(np.multiply), None),
    ("ScatterDiv", _divide_at, None),
    ("ScatterMax", _extremum_at(takes_max), _EXTREMA_TYPES),
    ("ScatterMin", _extremum_at(takes_min), _EXTREMA_TYPES),
    ("ScatterUpdate", None, None),
):
    register_op(
        _type,
        _scatter_infer(_type, _allowed),
        kernel=_scatter_kernel(_apply),
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=(0,),
        ref_output=True,
    )


def _scatter_nd_infer(op_type: str):
    def infer(inputs, attrs):
        ref, indices, updates = inputs
        dtype = check_same_dtype(op_type, ("ref", "updates"), [ref, updates])
        check_dtype_in(op_type, "indices", indices, INDEX)
        check_scatter_nd_shapes(ref.shape, indices.shape, updates.shape)
        return [(dtype._as_ref, ref.shape)]

    return infer


def _scatter_nd_kernel(ufunc):
    """The kernel applying ``ufunc`` (``np.subtract``...; ``None``: assign) to the slices at
    the multi-indices, touching only the rows (first indices) they name."""

    def kernel(ctx, op, var_op, indices, updates):
        shape = ctx.variable_shape(var_op, op)
        if not shape:
            raise errors.InvalidArgumentError(
                None, op, f"params must be at least 1-D, got shape {_dims_text(shape)}"
            )
        where, values = scatter_nd_positions(op, indices, updates, shape, variable=True)
        if not where:  # every update covers the whole variable
            rows = np.arange(shape[0])
            block = ctx.variable_rows(var_op, rows, op)
            for value in values:
                block = value.copy() if ufunc is None else ufunc(block, value)
            return ctx.update_rows(var_op, rows, block.astype(updates.dtype, copy=False), op)
        rows, position = np.unique(where[0], return_inverse=True)
        block = ctx.variable_rows(var_op, rows, op)
        at = (position, *where[1:])
        if ufunc is None:
            block[at] = values
        else:
            ufunc.at(block, at, values)
        return ctx.update_rows(var_op, rows, block, op)

    return kernel


for _type, _ufunc in (
    ("ScatterNdSub", np.subtract),
    ("ScatterNdAdd", np.add),
    ("ScatterNdUpdate", None),
):
    register_op(
        _type,
        _scatter_nd_infer(_type),
        kernel=_scatter_nd_kernel(_ufunc),
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=(0,),
        ref_output=True,
    )


def _scatter(op_type: str, ref, indices, updates, use_locking: bool, name):
    if getattr(ref, "_is_resource", False):  # TF's ResourceScatter* (read after it)
        return ref._resource_scatter("Resource" + op_type, indices, updates, name)
    target = ref._ref() if hasattr(ref, "_ref") else ref
    if not isinstance(target, Tensor) or not target.dtype._is_ref_dtype:
        raise TypeError(
            f"tf.{_PUBLIC[op_type]} needs a variable (or a variable's reference tensor) as "
            f"'ref', got {ref!r}"
        )
    with graph_of([target]).as_default(), name_scope(name, op_type, [target]) as scope:
        indices = convert_to_tensor(indices, name="indices")
        updates = convert_to_tensor(updates, dtype_hint=target.dtype.base_dtype, name="updates")
        attrs = {"use_locking": bool(use_locking)}
        return apply_op(op_type, [target, indices, updates], attrs, name=scope)


_PUBLIC = {
    "ScatterSub": "scatter_sub",
    "ScatterAdd": "scatter_add",
    "ScatterMul": "scatter_mul",
    "ScatterDiv": "scatter_div",
    "ScatterMax": "scatter_max",
    "ScatterMin": "scatter_min",
    "ScatterUpdate": "scatter_update",
    "ScatterNdSub": "scatter_nd_sub",
    "ScatterNdAdd": "scatter_nd_add",
    "ScatterNdUpdate": "scatter_nd_update",
}


@undo.atomic
def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    """An op subtracting ``updates[i, ...]`` from row ``indices[i, ...]`` of variable ``ref``
    (repeated indices all apply); evaluates to the variable's new value.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    ...     update = tf.scatter_sub(v, [2, 0, 2], [[1.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(sess.run(update))
    [[0. 1.]
     [2. 2.]
     [1. 1.]]
    """
    return _scatter("ScatterSub", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_add(ref, indices, updates, use_locking=False, name=None):
    """An op adding ``updates[i, ...]`` to row ``indices[i, ...]`` of variable ``ref``
    (repeated indices all apply); evaluates to the variable's new value."""
    return _scatter("ScatterAdd", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_mul(ref, indices, updates, use_locking=False, name=None):
    """An op multiplying row ``indices[i, ...]`` of variable ``ref`` by ``updates[i, ...]``
    (repeated indices all apply); evaluates to the variable's new value.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1.0, 2.0, 3.0])
    ...     update = tf.scatter_mul(v, [2, 0, 2], [2.0, 5.0, 10.0])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(sess.run(update))
    [ 5.  2. 60.]
    """
    return _scatter("ScatterMul", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_div(ref, indices, updates, use_locking=False, name=None):
    """An op dividing row ``indices[i, ...]`` of variable ``ref`` by ``updates[i, ...]``
    (repeated indices all apply; integers truncate toward zero)."""
    return _scatter("ScatterDiv", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_max(ref, indices, updates, use_locking=False, name=None):
    """An op setting row ``indices[i, ...]`` of variable ``ref`` to its element-wise maximum
    with ``updates[i, ...]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1, 5, 3])
    ...     update = tf.scatter_max(v, [0, 1, 2], [4, 4, 9])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(sess.run(update))
    [4 5 9]
    """
    return _scatter("ScatterMax", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_min(ref, indices, updates, use_locking=False, name=None):
    """An op setting row ``indices[i, ...]`` of variable ``ref`` to its element-wise minimum
    with ``updates[i, ...]``."""
    return _scatter("ScatterMin", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_update(ref, indices, updates, use_locking=True, name=None):
    """An op setting row ``indices[i, ...]`` of variable ``ref`` to ``updates[i, ...]`` (the
    last of repeated indices wins); evaluates to the variable's new value."""
    return _scatter("ScatterUpdate", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_nd_sub(ref, indices, updates, use_locking=False, name=None):
    """An op subtracting the slices of ``updates`` from variable ``ref`` at the multi-indices
    in the last dimension of ``indices`` (repeated indices all apply); evaluates to the
    variable's new value.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([[1.0, 1.0], [2.0, 2.0]])
    ...     update = tf.scatter_nd_sub(v, [[1, 0], [0, 1]], [5.0, 7.0])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(sess.run(update))
    [[ 1. -6.]
     [-3.  2.]]
    """
    return _scatter("ScatterNdSub", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_nd_add(ref, indices, updates, use_locking=False, name=None):
    """An op adding the slices of ``updates`` to variable ``ref`` at the multi-indices in the
    last dimension of ``indices`` (repeated indices all apply)."""
    return _scatter("ScatterNdAdd", ref, indices, updates, use_locking, name)


@undo.atomic
def scatter_nd_update(ref, indices, updates, use_locking=True, name=None):
    """An op setting the slices of variable ``ref`` at the multi-indices in the last dimension
    of ``indices`` to the slices of ``updates``."""
    return _scatter("ScatterNdUpdate", ref, indices, updates, use_locking, name)


__all__ = [
    "scatter_add",
    "scatter_div",
    "scatter_max",
    "scatter_min",
    "scatter_mul",
    "scatter_nd_add",
    "scatter_nd_sub",
    "scatter_nd_update",
    "scatter_sub",
    "scatter_update",
]
