"""``tf.io.serialize_tensor`` (``SerializeTensor``) and ``tf.io.parse_tensor``
(``ParseTensor``): a tensor as the bytes of a ``TensorProto`` and back, written and read by
hand as TensorFlow writes them (dtype, shape, raw little-endian ``tensor_content``; strings
as ``string_val``). Reading also accepts the typed value fields (``float_val``...), the last
value repeated to fill the shape, as TensorFlow does."""

from __future__ import annotations

import base64
import math

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.parsing.example_wire import (
    WireError,
    fields,
    int64,
    len_field,
    packed_varints,
    varint_field,
)

# TensorProto's typed value fields: field number -> how its values are packed.
_VALUE_FIELDS = {
    5: "<f4",  # float_val
    6: "<f8",  # double_val
    7: "varint",  # int_val (int32, int16, int8, uint8, uint16)
    9: "<f4",  # scomplex_val (pairs)
    10: "varint",  # int64_val
    11: "varint",  # bool_val
    12: "<f8",  # dcomplex_val (pairs)
    13: "varint",  # half_val (bit patterns)
    16: "varint",  # uint32_val
    17: "varint",  # uint64_val
}
# TF's names of dtypes in its messages (DataTypeString).
_TF_NAMES = {dtypes.float32: "float", dtypes.float64: "double", dtypes.float16: "half"}


def _tf_name(dtype) -> str:
    return _TF_NAMES.get(dtype, dtype.name)


def _as_bytes(x) -> bytes:
    if isinstance(x, np.ndarray):
        x = x.item()
    return x.encode() if isinstance(x, str) else bytes(x)


def tensor_proto_bytes(value: np.ndarray, dtype) -> bytes:
    """The serialized ``TensorProto`` of ``value`` (of scopeflow dtype ``dtype``)."""
    shape = b"".join(len_field(2, varint_field(1, d)) for d in value.shape)
    out = varint_field(1, dtype.as_datatype_enum) + len_field(2, shape)
    if dtype == dtypes.string:
        return out + b"".join(len_field(8, _as_bytes(s)) for s in value.reshape(-1))
    content = np.ascontiguousarray(value, dtype=np.dtype(dtype.as_numpy_dtype).newbyteorder("<"))
    return out + (len_field(4, content.tobytes()) if content.size else b"")


def _serialize_tensor_kernel(ctx, op, x):
    data = tensor_proto_bytes(np.asarray(x), op._attrs["T"])
    out = np.empty((), dtype=object)
    out[()] = data
    return out


register_op(
    "SerializeTensor",
    lambda inputs, attrs: [(dtypes.string, tensor_shape.TensorShape([]))],
    kernel=_serialize_tensor_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _shape_dims(data: bytes, start: int, stop: int) -> list[int]:
    dims = []
    for number, _, value in fields(data, start, stop):
        if number == 2:
            size = [v for n, _, v in fields(data, *value) if n == 1]
            dims.append(size[-1] if size else 0)
    return dims


def _typed_values(number: int, parts: list) -> np.ndarray:
    kind = _VALUE_FIELDS[number]
    if kind != "varint":
        return np.frombuffer(b"".join(parts), dtype=kind)
    values = [
        v for part in parts for v in (packed_varints(part) if isinstance(part, bytes) else [part])
    ]
    return np.array(values if number == 17 else [int64(v) for v in values], dtype=object)


def parse_tensor_proto(data: bytes) -> tuple:
    """``(dtype enum, shape, array or None)`` of a serialized ``TensorProto``; the array is
    None when the proto holds no values (zeros, as TF fills them)."""
    enum, dims, content, strings = 0, [], None, []
    typed: dict[int, list] = {}
    for number, wire_type, value in fields(data, 0, len(data)):
        if number == 1:
            enum = value
        elif number == 2:
            dims = _shape_dims(data, *value)
        elif number == 4:
            content = data[value[0] : value[1]]
        elif number == 8:
            strings.append(data[value[0] : value[1]])
        elif number in _VALUE_FIELDS:  # packed (bytes) or one unpacked value
            typed.setdefault(number, []).append(
                data[value[0] : value[1]] if wire_type == 2 else value
            )
    dtype = dtypes.as_dtype(enum)
    if dtype == dtypes.string:
        return enum, dims, np.array(strings, dtype=object) if strings else None
    numpy_dtype = np.dtype(dtype.as_numpy_dtype)
    if content is not None:
        return enum, dims, np.frombuffer(content, dtype=numpy_dtype.newbyteorder("<"))
    for number, parts in typed.items():
        values = _typed_values(number, parts)
        if dtype == dtypes.float16:
            return enum, dims, np.array(values, np.uint16).view(np.float16)
        if dtype.is_complex:
            values = values[0::2] + 1j * values[1::2]
        return enum, dims, values.astype(numpy_dtype)
    return enum, dims, None


def _parse_tensor_kernel(ctx, op, serialized):
    data = _as_bytes(serialized)
    out_type = op._attrs["out_type"]
    try:
        enum, dims, values = parse_tensor_proto(data)
        dtype = dtypes.as_dtype(enum)
    except (WireError, TypeError, ValueError):
        raise errors.InvalidArgumentError(
            None,
            op,
            "Could not parse `serialized` as TensorProto, base64: "
            + base64.b64encode(data).decode(),
        ) from None
    if dtype != out_type:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Type mismatch between parsed tensor ({_tf_name(dtype)}) and dtype "
            f"({_tf_name(out_type)})",
        )
    size = math.prod(dims)
    numpy_dtype = out_type.as_numpy_dtype
    if values is None or not values.size:
        out = np.full(size, b"" if out_type == dtypes.string else 0, dtype=numpy_dtype)
    elif values.size >= size:
        out = np.array(values[:size], dtype=numpy_dtype)
    else:  # the last value fills the rest, as TF reads a short proto
        out = np.concatenate([values, np.repeat(values[-1:], size - values.size)])
    return out.astype(numpy_dtype).reshape(dims)


register_op(
    "ParseTensor",
    lambda inputs, attrs: [(attrs["out_type"], tensor_shape.TensorShape(None))],
    kernel=_parse_tensor_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


@undo.atomic
def serialize_tensor(tensor, name=None):
    """``tensor`` as the bytes of a ``TensorProto`` (a scalar string).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     data = tf.io.serialize_tensor(tf.constant([1, 2]))
    ...     print(tf.Session().run(tf.io.parse_tensor(data, tf.int32)))
    [1 2]
    """
    with name_scope(name, "SerializeTensor", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        return apply_op("SerializeTensor", [x], {"T": x.dtype.base_dtype}, name=scope)


@undo.atomic
def parse_tensor(serialized, out_type, name=None):
    """The tensor of ``out_type`` whose ``TensorProto`` bytes are ``serialized``."""
    out_type = dtypes.as_dtype(out_type).base_dtype
    with name_scope(name, "ParseTensor", [serialized]) as scope:
        data = convert_to_tensor(serialized, dtype=dtypes.string, name="serialized")
        return apply_op("ParseTensor", [data], {"out_type": out_type}, name=scope)


__all__ = ["parse_tensor", "serialize_tensor"]
