"""``tf.get_static_value``: a tensor's value when the graph fixes it while building, followed
through the op types TF's ``constant_value`` follows (constants, static shapes, sizes and
ranks, ranges, casts, concats, stacks and unstacks, splits, fills, comparisons, identities).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None, 2])
...     print(tf.get_static_value(tf.rank(x)), tf.get_static_value(tf.shape(x)))
2 None
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.tensor import Tensor


def _shape_facts(t, op_type: str):
    shape = t.op.inputs[0].shape
    if op_type == "Rank":
        return None if shape.ndims is None else np.array(shape.ndims, dtype=np.int32)
    if not shape.is_fully_defined():
        return None
    if op_type == "Shape":
        return np.array(shape.as_list(), dtype=t.dtype.as_numpy_dtype)
    return np.prod(shape.as_list(), dtype=np.int32)


def _all(tensors) -> list | None:
    values = [get_static_value(x) for x in tensors]
    return None if any(v is None for v in values) else values


def _joined(op, inputs, axis_input):
    axis = get_static_value(axis_input)
    values = _all(inputs)
    return None if axis is None or values is None else np.concatenate(values, axis=int(axis))


def _packed(op, partial: bool):
    if not op.inputs or op._attrs["axis"] != 0:
        return None
    values = [get_static_value(x, partial) for x in op.inputs]
    if any(v is None for v in values) and not partial:
        return None
    try:
        return np.array(values)
    except ValueError:
        return np.array(values, dtype=object)


def _value(t, partial: bool):
    op = t.op
    kind = op.type
    if kind == "Const":
        return np.asarray(op._attrs["value"])
    if kind in ("Shape", "Size", "Rank"):
        return _shape_facts(t, kind)
    if kind == "Range":
        bounds = _all(op.inputs)
        return None if bounds is None else np.arange(*bounds, dtype=t.dtype.as_numpy_dtype)
    if kind == "Cast":
        value = get_static_value(op.inputs[0])
        return None if value is None else value.astype(op._attrs["DstT"].as_numpy_dtype)
    if kind == "ConcatV2":
        return _joined(op, op.inputs[:-1], op.inputs[-1])
    if kind == "Pack":
        return _packed(op, partial)
    if kind in ("Unpack", "Split"):
        if kind == "Unpack" and op._attrs["axis"] != 0:
            return None
        value = get_static_value(op.inputs[-1], partial)
        if kind == "Unpack":
            return None if value is None else value[t.value_index]
        axis = get_static_value(op.inputs[0])
        if value is None or axis is None:
            return None
        return np.split(value, op._attrs["num_split"], int(axis))[t.value_index]
    if kind == "Fill":
        fill = get_static_value(op.inputs[1])
        if not t.shape.is_fully_defined() or fill is None:
            return None
        return np.full(t.shape.as_list(), fill, dtype=fill.dtype)
    if kind in ("Equal", "NotEqual"):
        values = _all(op.inputs)
        compare = np.equal if kind == "Equal" else np.not_equal
        return None if values is None else compare(*values)
    if kind in ("StopGradient", "Identity", "CheckNumericsV2"):
        return get_static_value(op.inputs[0], partial)
    return None


def get_static_value(tensor, partial=False):
    """The NumPy value of ``tensor`` if the graph fixes it while building, else ``None``;
    values that are not tensors come back as they are (a variable gives ``None``).

    With ``partial``, a stack of known and unknown values gives an object array holding
    ``None`` for the unknown ones.
    """
    if not isinstance(tensor, Tensor):
        return None if hasattr(tensor, "op") else tensor
    return _value(tensor, partial)
