"""``tf.make_tensor_proto`` and ``tf.make_ndarray``: NumPy arrays to and from ``TensorProto``.

Both follow TF1's encoding: numeric arrays of more than one element travel as raw
little-endian bytes (``tensor_content``); scalars, strings, booleans and complex numbers as
typed value lists (``float_val``...), where fewer values than the shape holds mean "repeat
the last one". Reading checks every field against the shape before allocating anything.

>>> proto = make_tensor_proto([[1.0, 2.0]])
>>> make_ndarray(proto)
array([[1., 2.]], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import _fit_to_shape, _numpy_value
from scopeflow.graph_io.protos import messages

# Values repeated from fewer stored ones may fill at most this many bytes: a corrupted shape
# must not allocate gigabytes.
MAX_FILLED_BYTES = 1 << 28

# Numeric types stored as raw bytes when they hold more than one element (TF1's rule).
_CONTENT_TYPES = frozenset(
    ["float32", "float64", "int32", "uint8", "int16", "int8", "int64", "uint32",
     "uint64", "float16", "bfloat16"]
)  # fmt: skip
# dtype name -> the TensorProto field holding its values one by one.
_VALUE_FIELDS = {
    "float32": "float_val", "float64": "double_val", "int32": "int_val", "uint8": "int_val",
    "int16": "int_val", "int8": "int_val", "uint16": "int_val", "int64": "int64_val",
    "uint32": "uint32_val", "uint64": "uint64_val", "bool": "bool_val",
    "string": "string_val", "complex64": "scomplex_val", "complex128": "dcomplex_val",
    "float16": "half_val", "bfloat16": "half_val",
}  # fmt: skip


def shape_proto(shape, proto=None):
    """A ``TensorShapeProto`` for ``shape`` (unknown dimensions are -1)."""
    proto = messages().TensorShapeProto() if proto is None else proto
    shape = tensor_shape.as_shape(shape)
    if shape.ndims is None:
        proto.unknown_rank = True
        return proto
    for d in shape.as_list():
        proto.dim.add(size=-1 if d is None else d)
    return proto


tensor_shape.register_shape_proto_maker(shape_proto)


def shape_from_proto(proto) -> tensor_shape.TensorShape:
    """The ``TensorShape`` a ``TensorShapeProto`` describes.

    Raises:
        ValueError: a dimension is below -1.
    """
    if proto.unknown_rank:
        return tensor_shape.unknown_shape()
    dims = []
    for d in proto.dim:
        if d.size < -1:
            raise ValueError(f"Shape has a negative dimension {d.size}")
        dims.append(None if d.size == -1 else d.size)
    return tensor_shape.TensorShape(dims)


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False, allow_broadcast=False):
    """A ``TensorProto`` holding ``values`` (as TF1's ``tf.make_tensor_proto``).

    >>> make_tensor_proto(3.0).float_val
    [3.0]
    """
    if isinstance(values, messages().TensorProto):
        return values
    proto = messages().TensorProto()
    fill_tensor_proto(proto, values, dtype, shape, verify_shape, allow_broadcast)
    return proto


def fill_tensor_proto(proto, values, dtype=None, shape=None, verify_shape=False,
                      allow_broadcast=False) -> None:  # fmt: skip
    """Fills the ``TensorProto`` ``proto`` as :func:`make_tensor_proto` would."""
    dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    if isinstance(values, np.ndarray) and values.dtype.kind in "biufc" and dtype is None:
        array = values  # an op's recorded value: already checked
    else:
        array = _numpy_value(values, dtype)
    if dtype is None:
        dtype = dtypes.string if array.dtype == object else dtypes.as_dtype(array.dtype)
    given = array.shape
    if shape is not None:
        if allow_broadcast:
            array = np.broadcast_to(array, tuple(tensor_shape.as_shape(shape).as_list()))
        else:
            array = _fit_to_shape(array, shape, verify_shape)
    proto.dtype = dtype.as_datatype_enum
    proto.tensor_shape.SetInParent()
    dims = proto.tensor_shape.dim
    for d in array.shape:
        dims.add(size=d)
    if array.nbytes >= 1 << 31:
        raise ValueError("Cannot create a tensor proto whose content is larger than 2GB.")
    name = dtype.name
    if name in _CONTENT_TYPES and array.size > 1 and given == array.shape:
        proto.tensor_content = np.ascontiguousarray(array, array.dtype.newbyteorder("<")).tobytes()
        return
    source = array if given == array.shape else np.asarray(_numpy_value(values, dtype))
    _set_values(proto, name, source.reshape(-1))


def _set_values(proto, name: str, flat: np.ndarray) -> None:
    field = _VALUE_FIELDS.get(name)
    if field is None:
        raise TypeError(f"Cannot put values of dtype {name} in a TensorProto")
    target = getattr(proto, field)
    if name in ("complex64", "complex128"):
        target.extend(np.stack([flat.real, flat.imag], axis=-1).reshape(-1).tolist())
    elif field == "half_val":
        target.extend(flat.view(np.uint16).astype(np.int32).tolist())
    else:
        target.extend(flat.tolist())


def make_ndarray(tensor) -> np.ndarray:
    """The NumPy array a ``TensorProto`` holds (as TF1's ``tf.make_ndarray``).

    Raises:
        TypeError: the dtype is not one NumPy can hold.
        ValueError: the stored values do not fit the shape.
    """
    if isinstance(tensor, np.ndarray):  # scopeflow's ``op.get_attr("value")``
        return tensor.copy()
    try:
        dtype = dtypes.as_dtype(tensor.dtype).base_dtype
    except TypeError:
        raise TypeError(f"Unsupported tensor type: {tensor.dtype}") from None
    if dtype.name not in _VALUE_FIELDS:
        raise TypeError(f"Unsupported tensor type: {dtype.name}")
    shape = shape_from_proto(tensor.tensor_shape)
    if not shape.is_fully_defined():
        raise ValueError(f"A TensorProto's shape must be fully defined, got {shape}")
    dims = tuple(shape.as_list())
    size = 1
    for d in dims:
        size *= d
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if tensor.tensor_content:
        content = tensor.tensor_content
        if len(content) != size * np_dtype.itemsize:
            raise ValueError(
                f"Tensor content of {len(content)} bytes does not fit shape {list(dims)} of "
                f"{dtype.name} ({size * np_dtype.itemsize} bytes)"
            )
        array = np.frombuffer(content, np_dtype.newbyteorder("<")).astype(np_dtype)
        return array.reshape(dims)
    flat = _stored_values(tensor, dtype.name, np_dtype)
    if flat.size > max(size, 1) or (flat.size == 0 and size and dtype.name == "string"):
        if flat.size:
            raise ValueError(f"{flat.size} values stored for a tensor of shape {list(dims)}")
    if flat.size == size:
        return flat.reshape(dims)
    if size * max(np_dtype.itemsize, 8) > MAX_FILLED_BYTES:
        raise ValueError(
            f"A tensor of shape {list(dims)} stores {flat.size} values; expanding them would "
            f"allocate {size * np_dtype.itemsize} bytes"
        )
    if size == 0:
        return np.zeros(dims, np_dtype)
    fill = flat[-1] if flat.size else (b"" if dtype.name == "string" else 0)
    out = np.full(size, fill, dtype=np_dtype)
    out[: flat.size] = flat
    return out.reshape(dims)


def _stored_values(tensor, name: str, np_dtype: np.dtype) -> np.ndarray:
    values = getattr(tensor, _VALUE_FIELDS[name])
    if name == "string":
        return np.array(list(values) or [], dtype=object)
    if name in ("complex64", "complex128"):
        pairs = np.asarray(values, np_dtype.type(0).real.dtype)
        if pairs.size % 2:
            raise ValueError("Complex values are stored as (real, imaginary) pairs")
        return (pairs[0::2] + 1j * pairs[1::2]).astype(np_dtype)
    if name in ("float16", "bfloat16"):
        return np.asarray(values, np.int64).astype(np.uint16).view(np_dtype)
    return np.asarray(values).astype(np_dtype)
