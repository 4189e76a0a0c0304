"""Constants, placeholders and ``convert_to_tensor``: how Python values enter a graph."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.defaults import get_default_graph
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


def _const_kernel(xp, attrs):
    return attrs["value"]


register_op("Const", _const_infer, kernel=_const_kernel, grad=NOT_DIFFERENTIABLE)


def _numpy_value(value, dtype: dtypes.DType | None) -> np.ndarray:
    """``value`` as a NumPy array of ``dtype`` (or of TF1's inferred dtype), checked as TF1
    checks it: no silent float-to-int truncation of Python values."""
    if isinstance(value, (Tensor, Operation)):
        raise TypeError(
            f"Expected any non-tensor type, but got a tensor instead: {value!r}. Use tf.identity "
            "to copy a tensor."
        )
    is_numpy = isinstance(value, (np.ndarray, np.generic))
    if dtype is None:
        dtype = dtypes.dtype_of_python_value(value)
    np_dtype = np.dtype(object) if dtype.base_dtype == dtypes.string else dtype.as_numpy_dtype
    if dtype.base_dtype == dtypes.string:
        array = np.asarray(value, dtype=object)
        return np.vectorize(_as_bytes, otypes=[object])(array) if array.size else array
    if is_numpy:
        return np.asarray(value).astype(np_dtype, copy=False)
    try:
        inferred = np.asarray(value)
    except ValueError as e:
        raise ValueError(f"Cannot convert {value!r} to a tensor: {e}") from None
    if inferred.dtype == object or inferred.dtype.kind in "US":
        raise TypeError(
            f"Expected {dtype.name}, but got {value!r} of type '{type(value).__name__}'."
        )
    kind = inferred.dtype.kind
    lossy = (
        (dtype.is_integer and kind in "fc")
        or (dtype.is_floating and kind == "c")
        or (dtype.is_bool and kind != "b")
    )
    if lossy:
        raise TypeError(
            f"Expected {dtype.name}, but got {value!r} of type '{type(value).__name__}'."
        )
    if dtype.is_integer and kind in "iu" and inferred.size:
        info = np.iinfo(np_dtype)
        if inferred.min() < info.min or inferred.max() > info.max:
            raise TypeError(f"Value {value!r} is out of range for dtype {dtype.name}.")
    return inferred.astype(np_dtype)


def _as_bytes(x):
    return x.encode() if isinstance(x, str) else bytes(x)


def _fit_to_shape(array: np.ndarray, shape, verify_shape: bool) -> np.ndarray:
    shape = tensor_shape.as_shape(shape)
    if not shape.is_fully_defined():
        raise ValueError(f"A constant's shape must be fully defined, got {shape}.")
    dims = tuple(shape.as_list())
    if array.shape == dims:
        return array
    if verify_shape:
        raise TypeError(f"Expected Tensor's shape: {dims}, but got {array.shape}.")
    needed = int(np.prod(dims, dtype=np.int64))
    if array.size == needed:
        return array.reshape(dims)
    if array.size > needed:
        raise ValueError(
            f"Too many elements provided. Takes at most {needed}, but got {array.size}."
        )
    if array.size == 0:
        raise ValueError(f"Cannot fill a constant of shape {dims} from an empty value.")
    # TF1 repeats the last element to fill a larger shape.
    flat = array.reshape(-1)
    return np.concatenate([flat, np.repeat(flat[-1:], needed - flat.size)]).reshape(dims)


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
    return op.outputs[0]


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
