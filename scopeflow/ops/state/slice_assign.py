"""``StridedSliceAssign``: TF1's sliced assignment to a variable, ``v[1:3].assign(x)`` (the
slice of ``tf.Variable.__getitem__`` carries ``assign``, as TF1's does). The slice is
``StridedSlice``'s (begin, end, strides and the five masks); the value must have the slice's
shape exactly (TF broadcasts nothing here either). Its output is a reference to the whole
variable; it has no gradient, as in TF."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.slicing import _numpy_index
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, check_same_dtype, no_gradient

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _slice_assign_infer(inputs, attrs):
    ref, begin, end, strides, value = inputs
    dtype = check_same_dtype("StridedSliceAssign", ("ref", "value"), [ref, value])
    for arg, t in (("begin", begin), ("end", end), ("strides", strides)):
        check_dtype_in("StridedSliceAssign", arg, t, INDEX)
    return [(dtype._as_ref, ref.shape)]


def _slice_assign_kernel(ctx, op, var_op, begin, end, strides, value):
    old = ctx.read_variable(var_op, op)
    index = _numpy_index(old.ndim, old.shape, begin, end, strides, op._attrs)
    target = old[index]
    if np.shape(value) != np.shape(target):
        raise errors.InvalidArgumentError(
            None,
            op,
            f"sliced l-value shape {list(np.shape(target))} does not match r-value shape "
            f"{list(np.shape(value))}. Automatic broadcasting not yet implemented.",
        )
    new = np.array(old, copy=True)
    new[index] = value
    ctx.write_variable(var_op, new)
    return new


register_op(
    "StridedSliceAssign",
    _slice_assign_infer,
    kernel=_slice_assign_kernel,
    grad=no_gradient,
    stateful=True,
    ref_inputs=(0,),
    ref_output=True,
)


def sliced_assign(ref, sliced, value, name=None):
    """``StridedSliceAssign`` of ``value`` to ``ref``'s slice ``sliced`` (the ``StridedSlice``
    of ``ref``'s value that ``tf.Variable.__getitem__`` made), named ``<slice>/_assign`` by
    default as in TF1.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1.0, 2.0, 3.0, 4.0], name="v")
    ...     update = v[1:3].assign([7.0, 8.0])
    ...     with tf.Session() as sess:
    ...         sess.run(v.initializer)
    ...         print(update.name, sess.run(update))
    strided_slice/_assign:0 [1. 7. 8. 4.]
    """
    op = sliced.op
    if name is None:
        name = op.name + "/_assign"
    with name_scope(name) as scope:
        value = convert_to_tensor(value, dtype=ref.dtype.base_dtype, name="value")
        attrs = {m: op._attrs[m] for m in _MASKS}
        attrs["Index"] = op._attrs["Index"]
        return apply_op("StridedSliceAssign", [ref, *op.inputs[1:4], value], attrs, name=scope)


__all__: list[str] = []
