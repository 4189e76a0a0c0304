"""``Bitcast`` (``tf.bitcast``): a tensor's bytes read as another numeric dtype, without a
copy. A wider target dtype takes the last dimension (of ``wide / narrow`` elements) as one
element; a narrower one adds a last dimension of that many."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import COMPLEX, FLOATS, INTEGERS, apply_op, check_dtype_in

_TYPES = (*FLOATS, dtypes.int64, dtypes.int32, *INTEGERS[4:], dtypes.int8, dtypes.int16, *COMPLEX)


def _bitcast_infer(inputs, attrs):
    x = inputs[0]
    source = check_dtype_in("Bitcast", "input", x, _TYPES)
    target = attrs["type"]
    if x.shape.ndims is None or source.size == target.size:
        return [(target, x.shape if source.size == target.size else tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    if source.size > target.size:
        return [(target, tensor_shape.TensorShape([*dims, source.size // target.size]))]
    ratio = target.size // source.size
    if not dims or (dims[-1] is not None and dims[-1] != ratio):
        last = dims[-1] if dims else "rank 0"
        raise ValueError(
            f"Cannot bitcast from {source.as_datatype_enum} to {target.as_datatype_enum} due to "
            f"shape. {last} does not match {ratio}"
        )
    return [(target, tensor_shape.TensorShape(dims[:-1]))]


def _bitcast_kernel(ctx, op, x):
    target = op._attrs["type"]
    ratio = target.size // x.dtype.itemsize
    if ratio > 1 and (x.ndim == 0 or x.shape[-1] != ratio):
        source = dtypes.as_dtype(x.dtype).as_datatype_enum  # TF names the DataType numbers
        raise ValueError(f"Cannot bitcast from {source} to {target.as_datatype_enum}")
    out = np.ascontiguousarray(x).view(target.as_numpy_dtype)
    if ratio > 1:
        return out.reshape(x.shape[:-1])
    if ratio == 1:
        return out
    return out.reshape(*x.shape, x.dtype.itemsize // target.size)


register_op("Bitcast", _bitcast_infer, kernel=_bitcast_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def bitcast(input, type, name=None):  # noqa: A002 - TF1's argument names
    """``input``'s bytes as ``type`` (a numeric dtype), shaped as the module says.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.bitcast(tf.constant([1.0]), tf.uint8)).tolist())
    [[0, 0, 128, 63]]
    """
    with name_scope(name, "Bitcast", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        target = dtypes.as_dtype(type).base_dtype
        if target not in _TYPES:
            names = ", ".join(d.name for d in _TYPES)
            raise TypeError(
                f"Value passed to parameter 'type' has DataType {target.name} not in list of "
                f"allowed values: {names}"
            )
        return apply_op("Bitcast", [x], {"type": target}, name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["bitcast"]
