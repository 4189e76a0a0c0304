"""Constants, placeholders and ``convert_to_tensor``: how Python values enter a graph."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.op_callbacks import outputs_of
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor

# (type, fn(value, dtype, name, as_ref) -> Tensor or NotImplemented), tried in order.
_CONVERSIONS: list[tuple[type | tuple[type, ...], Callable]] = []


def register_tensor_conversion_function(base_type, conversion_func, priority: int = 100) -> None:
    """Teaches ``convert_to_tensor`` to convert instances of ``base_type``.

    ``conversion_func(value, dtype=None, name=None, as_ref=False)`` returns a Tensor, or
    ``NotImplemented`` to let the next function (finally ``constant``) try.
    """
    _CONVERSIONS.append((base_type, conversion_func))


def _const_infer(inputs, attrs):
    value = attrs["value"]
    return [(attrs["dtype"], tensor_shape.TensorShape(value.shape))]


def _const_kernel(ctx, op):
    return op._attrs["value"]


register_op("Const", _const_infer, kernel=_const_kernel, grad=NOT_DIFFERENTIABLE)


def _numpy_value(value, dtype: dtypes.DType | None) -> np.ndarray:
    """``value`` as a NumPy array of ``dtype`` (or of TF1's inferred dtype), checked as TF1
    checks Python values: no silent float-to-int truncation, no numbers as strings."""
    _reject_tensors(value)
    if dtype is None:
        dtype = dtypes.dtype_of_python_value(value)
    is_string = dtype.base_dtype == dtypes.string
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if (array.dtype.kind in "USO") != is_string:
            raise TypeError(f"Expected {dtype.name}, but got an array of dtype {array.dtype}.")
        if is_string:
            return _as_bytes_array(array)
        with np.errstate(invalid="ignore", over="ignore"):
            return array.astype(dtype.as_numpy_dtype, copy=False)
    try:
        inferred = np.asarray(value)
    except ValueError as e:
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {e}") from None
    if is_string or inferred.dtype.kind not in _SAFE_KINDS[_kind_of(dtype)]:
        # Some element may not convert: name the first one, as TF does.
        accepts = _accepted_python_types(dtype)
        objects = np.asarray(value, dtype=object)
        for x in objects.flat:
            if not isinstance(x, accepts):
                raise TypeError(f"Expected {dtype.name}, but got {x} of type '{type(x).__name__}'.")
        if is_string:
            return _as_bytes_array(objects)
        if inferred.dtype == object:  # integers with Dimensions among them
            inferred = np.array([int(x) for x in objects.flat]).reshape(objects.shape)
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if np_dtype.kind in "iu" and inferred.size:
        info = np.iinfo(np_dtype)
        if inferred.min() < info.min or inferred.max() > info.max:
            raise TypeError(f"Value {value!r} is out of range for dtype {dtype.name}.")
    with np.errstate(over="ignore"):  # 1e300 as float32 is inf, as in TF
        return inferred.astype(np_dtype)


def _reject_tensors(value) -> None:
    if isinstance(value, (Tensor, Operation)):
        raise TypeError(
            f"Expected any non-tensor type, but got a tensor instead: {value!r}. Use tf.identity "
            "to copy a tensor."
        )
    if isinstance(value, (list, tuple)):
        try:  # fast: NumPy finds plain numbers (a Tensor's __array__ refuses conversion)
            if np.asarray(value).dtype != object:
                return
        except (ValueError, NotImplementedError, OverflowError):
            pass
        for v in value:
            _reject_tensors(v)


_INTS = (bool, int, np.integer, np.bool_)
# NumPy kinds of a converted Python value that need no element-by-element check.
_SAFE_KINDS = {"bool": "b", "int": "biu", "float": "biuf", "complex": "biufc", "string": ""}


def _kind_of(dtype: dtypes.DType) -> str:
    if dtype.base_dtype == dtypes.string:
        return "string"
    if dtype.is_bool:
        return "bool"
    if dtype.is_integer:
        return "int"
    return "complex" if dtype.is_complex else "float"


def _accepted_python_types(dtype: dtypes.DType) -> tuple[type, ...]:
    """The element types TF1 converts to ``dtype`` without complaint."""
    if dtype.base_dtype == dtypes.string:
        return (str, bytes)
    if dtype.is_bool:
        return (bool, np.bool_)
    if dtype.is_integer:  # a known Dimension too: tf.reshape(x, [-1, x.shape[1]])
        return (*_INTS, tensor_shape.Dimension)
    if dtype.is_complex:
        return (*_INTS, float, complex, np.number)
    return (*_INTS, float, np.floating)


def _as_bytes_array(array: np.ndarray) -> np.ndarray:
    array = np.asarray(array, dtype=object)
    return np.vectorize(_as_bytes, otypes=[object])(array) if array.size else array


def _as_bytes(x):
    return x.encode() if isinstance(x, str) else bytes(x)


def _fit_to_shape(array: np.ndarray, shape, verify_shape: bool) -> np.ndarray:
    """``array`` reshaped to ``shape``, or filled up to it by repeating its last element (zeros
    for an empty value), as TF1 does."""
    shape = tensor_shape.as_shape(shape)
    if not shape.is_fully_defined():
        raise TypeError(f"A constant's shape must be fully defined, got {shape}.")
    dims = tuple(shape.as_list())
    if array.shape == dims:
        return array
    if verify_shape:
        raise TypeError(f"Expected Tensor's shape: {dims}, but got {array.shape}.")
    needed = int(np.prod(dims, dtype=np.int64))
    if array.size == needed:
        return array.reshape(dims)
    if array.size > max(needed, 1):
        raise ValueError(
            f"Too many elements provided. Takes at most {needed}, but got {array.size}."
        )
    flat = array.reshape(-1)
    if needed == 0:
        return flat[:0].reshape(dims)
    fill = flat[-1:] if flat.size else np.zeros(1, array.dtype)
    if array.dtype == object and not flat.size:
        fill = np.asarray([b""], dtype=object)
    return np.concatenate([flat, np.repeat(fill, needed - flat.size)]).reshape(dims)


@undo.atomic
def constant(value, dtype=None, shape=None, name: str = "Const", verify_shape: bool = False):
    """A tensor holding a fixed value.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.constant([[1, 2], [3, 4]], dtype=tf.float32)
    >>> c.name, c.shape.as_list(), c.dtype.name
    ('Const:0', [2, 2], 'float32')
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    array = _numpy_value(value, dtype)
    if shape is not None:
        array = _fit_to_shape(array, shape, verify_shape)
    if dtype is None:
        dtype = dtypes.as_dtype(array.dtype) if array.dtype != object else dtypes.string
    array.flags.writeable = False
    op = get_default_graph().create_op(
        "Const", [], {"value": array, "dtype": dtype}, name=name or "Const"
    )
    return outputs_of(op, own_scope=False)[0]


@undo.atomic
def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    """Returns ``value`` as a Tensor: tensors as they are, variables as their value,
    anything else as a new ``Const``.

    Raises:
        ValueError: a tensor's dtype differs from the requested ``dtype``.
        TypeError: a Python value cannot be represented in ``dtype``.
    """
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    preferred = preferred_dtype if preferred_dtype is not None else dtype_hint
    if isinstance(value, Tensor):
        return _checked(value, dtype)
    for base_type, fn in _CONVERSIONS:
        if isinstance(value, base_type):
            result = fn(value, dtype=dtype, name=name, as_ref=False)
            if result is not NotImplemented:
                return _checked(result, dtype)
    if isinstance(value, Operation):
        raise TypeError(
            f"Can't convert Operation '{value.name}' to Tensor (target dtype={dtype}, "
            f"name={name}). Use one of its outputs, e.g. op.outputs[0]."
        )
    if dtype is None and preferred is not None:
        try:
            return constant(value, dtypes.as_dtype(preferred), name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype, name=name or "Const")


def _checked(t: Tensor, dtype: dtypes.DType | None) -> Tensor:
    if dtype is not None and not dtype.is_compatible_with(t.dtype):
        raise ValueError(
            f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
            f"{t.dtype.name}: {t!r}"
        )
    return t


def _shape_to_tensor(shape, dtype=None, name=None, as_ref=False):
    """A fully known ``TensorShape`` becomes an int32 (int64 if needed) ``shape_as_tensor``."""
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor.")
    dims = shape.as_list()
    return _int_constant(dims, dtype, name, f"TensorShape {shape}")


def _dimension_to_tensor(dim, dtype=None, name=None, as_ref=False):
    if dim.value is None:
        raise ValueError(f"Cannot convert unknown Dimension {dim} to a Tensor.")
    return _int_constant(dim.value, dtype, name, f"Dimension {dim}")


def _int_constant(value, dtype, name, what: str) -> Tensor:
    if dtype is None:
        fits = all(abs(v) < 2**31 for v in np.ravel(value))
        dtype = dtypes.int32 if fits else dtypes.int64
    elif dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Cannot convert {what} to dtype {dtype}. Allowed dtypes are tf.int32 and tf.int64."
        )
    return constant(value, dtype=dtype, name=name or "shape_as_tensor")


register_tensor_conversion_function(tensor_shape.TensorShape, _shape_to_tensor)
register_tensor_conversion_function(tensor_shape.Dimension, _dimension_to_tensor)
