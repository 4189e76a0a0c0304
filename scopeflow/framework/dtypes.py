"""TF1's element types: ``DType`` objects, their module constants and ``as_dtype``.

Each DType is identified by TensorFlow's ``DataType`` enum number (``float32`` is 1); the
reference type of a dtype (``float32_ref``, what a TF1 ``Variable`` holds) adds 100.

>>> as_dtype("float32") is float32
True
>>> float32 == np.float32, float32._as_ref
(True, tf.float32_ref)
"""

from __future__ import annotations

import builtins
from typing import Any, NamedTuple

import numpy as np


class _Spec(NamedTuple):
    name: str
    # "f" float, "i" int, "u" unsigned, "c" complex, "b" bool, "s" string, "h" handle,
    # "q" quantized
    kind: str
    # None: bfloat16 (lazy, from ml_dtypes) or no NumPy type; quantized types: TF's structured
    # NumPy dtypes, one named field
    numpy_type: type | np.dtype | None
    size: int


_REF_OFFSET = 100

# Keyed by TensorFlow's DataType enum numbers.
_SPECS: dict[int, _Spec] = {
    1: _Spec("float32", "f", np.float32, 4),
    2: _Spec("float64", "f", np.float64, 8),
    3: _Spec("int32", "i", np.int32, 4),
    4: _Spec("uint8", "u", np.uint8, 1),
    5: _Spec("int16", "i", np.int16, 2),
    6: _Spec("int8", "i", np.int8, 1),
    7: _Spec("string", "s", object, 0),
    8: _Spec("complex64", "c", np.complex64, 8),
    9: _Spec("int64", "i", np.int64, 8),
    10: _Spec("bool", "b", np.bool_, 1),
    11: _Spec("qint8", "q", np.dtype([("qint8", np.int8)]), 1),
    12: _Spec("quint8", "q", np.dtype([("quint8", np.uint8)]), 1),
    13: _Spec("qint32", "q", np.dtype([("qint32", np.int32)]), 4),
    14: _Spec("bfloat16", "f", None, 2),
    15: _Spec("qint16", "q", np.dtype([("qint16", np.int16)]), 2),
    16: _Spec("quint16", "q", np.dtype([("quint16", np.uint16)]), 2),
    17: _Spec("uint16", "u", np.uint16, 2),
    18: _Spec("complex128", "c", np.complex128, 16),
    19: _Spec("float16", "f", np.float16, 2),
    20: _Spec("resource", "h", None, 0),
    21: _Spec("variant", "h", None, 0),
    22: _Spec("uint32", "u", np.uint32, 4),
    23: _Spec("uint64", "u", np.uint64, 8),
}

_COMPLEX_TO_REAL = {8: 1, 18: 2}


def _is_enum_number(value: Any) -> builtins.bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, builtins.bool)


def _strip_ref(type_enum: int) -> int:
    return type_enum - _REF_OFFSET if type_enum > _REF_OFFSET else type_enum


def _bfloat16_type() -> type:
    try:
        import ml_dtypes
    except ImportError:
        raise TypeError(
            "DType bfloat16 has no NumPy type without the 'ml_dtypes' package. "
            "Install it (pip install ml_dtypes) or use float16 or float32."
        ) from None
    return ml_dtypes.bfloat16


class DType:
    """A tensor element type, such as ``float32`` or the reference type ``float32_ref``.

    Compares equal to anything ``as_dtype`` maps to it (``float32 == "float32"``,
    ``float32 == np.float32``), and hashes as its enum number.
    """

    __slots__ = ("_enum",)

    def __init__(self, type_enum: int) -> None:
        if not _is_enum_number(type_enum) or _strip_ref(type_enum) not in _SPECS:
            raise TypeError(f"{type_enum!r} does not correspond to a valid tensorflow::DataType")
        self._enum = int(type_enum)

    @property
    def _spec(self) -> _Spec:
        return _SPECS[self._base_enum]

    @property
    def _base_enum(self) -> int:
        return _strip_ref(self._enum)

    @property
    def name(self) -> str:
        """The name, e.g. ``"float32"`` or ``"float32_ref"``."""
        return self._spec.name + ("_ref" if self._is_ref_dtype else "")

    @property
    def as_datatype_enum(self) -> int:
        """TensorFlow's ``DataType`` enum number (``float32`` is 1, ``float32_ref`` 101)."""
        return self._enum

    @property
    def _is_ref_dtype(self) -> builtins.bool:
        return self._enum > _REF_OFFSET

    @property
    def _as_ref(self) -> DType:
        return _BY_ENUM[self._base_enum + _REF_OFFSET]

    @property
    def base_dtype(self) -> DType:
        """The non-reference dtype: ``float32`` for ``float32_ref``."""
        return _BY_ENUM[self._base_enum]

    @property
    def real_dtype(self) -> DType:
        """The dtype of the real part: ``float32`` for ``complex64``; else ``self``."""
        real = _COMPLEX_TO_REAL.get(self._base_enum)
        return self if real is None else _BY_ENUM[real]

    @property
    def as_numpy_dtype(self) -> type | np.dtype:
        """The NumPy scalar type (``np.float32``); ``object`` for ``string``.

        Raises:
            TypeError: for ``resource``/``variant``, and for ``bfloat16`` without ``ml_dtypes``.
        """
        spec = self._spec
        if spec.name == "bfloat16":
            return _bfloat16_type()
        if spec.numpy_type is None:
            raise TypeError(f"DType {spec.name} has no NumPy equivalent.")
        return spec.numpy_type

    @property
    def is_numpy_compatible(self) -> builtins.bool:
        """Whether the dtype has a NumPy equivalent (all but ``resource`` and ``variant``)."""
        return self._spec.kind != "h"

    @property
    def is_floating(self) -> builtins.bool:
        """Whether the dtype is a real floating-point type (including ``bfloat16``)."""
        return self._spec.kind == "f"

    @property
    def is_integer(self) -> builtins.bool:
        """Whether the dtype is a signed or unsigned integer type (not ``bool``)."""
        return self._spec.kind in "iu"

    @property
    def is_unsigned(self) -> builtins.bool:
        """Whether the dtype is an unsigned integer type."""
        return self._spec.kind == "u"

    @property
    def is_complex(self) -> builtins.bool:
        """Whether the dtype is ``complex64`` or ``complex128``."""
        return self._spec.kind == "c"

    @property
    def is_bool(self) -> builtins.bool:
        """Whether the dtype is ``bool``."""
        return self._spec.kind == "b"

    @property
    def is_quantized(self) -> builtins.bool:
        """Whether the dtype is a quantized type (``qint8``...: named only; no op computes
        with them here)."""
        return self._spec.kind == "q"

    @property
    def is_numeric(self) -> builtins.bool:
        """Whether the dtype is an integer, floating, complex or quantized type."""
        return self._spec.kind in "iufcq"

    @property
    def size(self) -> int:
        """Bytes per element; 0 for ``string``, ``resource`` and ``variant``."""
        return self._spec.size

    @property
    def min(self) -> Any:
        """The smallest value: a NumPy scalar for floats, a Python int for integers.

        Raises:
            TypeError: for non-numeric and complex dtypes.
        """
        return self._limit("minimum", 0)

    @property
    def max(self) -> Any:
        """The largest value: a NumPy scalar for floats, a Python int for integers.

        Raises:
            TypeError: for non-numeric and complex dtypes.
        """
        return self._limit("maximum", 1)

    def _limit(self, which: str, index: int) -> Any:
        kind = self._spec.kind
        if kind in "iu":
            info = np.iinfo(self.as_numpy_dtype)
            return int((info.min, info.max)[index])
        if kind == "f":
            numpy_type = self.as_numpy_dtype
            if self._spec.name == "bfloat16":
                import ml_dtypes

                info = ml_dtypes.finfo(numpy_type)
            else:
                info = np.finfo(numpy_type)
            return (info.min, info.max)[index]
        if kind == "q":
            raise TypeError(f"Cannot find {which} value of {self} with quantized type {self}.")
        raise TypeError(f"Cannot find {which} value of {self}.")

    def is_compatible_with(self, other: Any) -> builtins.bool:
        """Whether a value of dtype ``other`` can be used where ``self`` is expected.

        The base types must match, and a reference dtype accepts only reference dtypes
        (``float32.is_compatible_with(float32_ref)`` is True, the reverse is False).

        Raises:
            TypeError: if ``other`` cannot be converted by ``as_dtype``.
        """
        other = as_dtype(other)
        if self._base_enum != other._base_enum:
            return False
        return other._is_ref_dtype or not self._is_ref_dtype

    def __eq__(self, other: object) -> builtins.bool:
        if isinstance(other, DType):
            return self._enum == other._enum
        try:
            return self._enum == as_dtype(other)._enum
        except (TypeError, ValueError):
            return False

    def __ne__(self, other: object) -> builtins.bool:
        return not self == other

    def __hash__(self) -> int:
        return self._enum

    def __repr__(self) -> str:
        return f"tf.{self.name}"

    def __str__(self) -> str:
        return f"<dtype: {self.name!r}>"

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return as_dtype, (self.name,)


_BY_ENUM: dict[int, DType] = {}
for _enum in _SPECS:
    _BY_ENUM[_enum] = DType(_enum)
    _BY_ENUM[_enum + _REF_OFFSET] = DType(_enum + _REF_OFFSET)
del _enum

_BY_NAME: dict[str, DType] = {dtype.name: dtype for dtype in _BY_ENUM.values()}
for _alias, _target in (("float", "float32"), ("double", "float64"), ("half", "float16")):
    _BY_NAME[_alias] = _BY_NAME[_target]
    _BY_NAME[_alias + "_ref"] = _BY_NAME[_target + "_ref"]
del _alias, _target

float16 = half = _BY_NAME["float16"]
float32 = _BY_NAME["float32"]
float64 = double = _BY_NAME["float64"]
bfloat16 = _BY_NAME["bfloat16"]
int8 = _BY_NAME["int8"]
int16 = _BY_NAME["int16"]
int32 = _BY_NAME["int32"]
int64 = _BY_NAME["int64"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
uint32 = _BY_NAME["uint32"]
uint64 = _BY_NAME["uint64"]
bool = _BY_NAME["bool"]  # shadows the builtin, as in TF1; use builtins.bool here
string = _BY_NAME["string"]
complex64 = _BY_NAME["complex64"]
complex128 = _BY_NAME["complex128"]
resource = _BY_NAME["resource"]
variant = _BY_NAME["variant"]
qint8 = _BY_NAME["qint8"]
quint8 = _BY_NAME["quint8"]
qint16 = _BY_NAME["qint16"]
quint16 = _BY_NAME["quint16"]
qint32 = _BY_NAME["qint32"]

float16_ref = _BY_NAME["float16_ref"]
float32_ref = _BY_NAME["float32_ref"]
float64_ref = _BY_NAME["float64_ref"]
bfloat16_ref = _BY_NAME["bfloat16_ref"]
int8_ref = _BY_NAME["int8_ref"]
int16_ref = _BY_NAME["int16_ref"]
int32_ref = _BY_NAME["int32_ref"]
int64_ref = _BY_NAME["int64_ref"]
uint8_ref = _BY_NAME["uint8_ref"]
uint16_ref = _BY_NAME["uint16_ref"]
uint32_ref = _BY_NAME["uint32_ref"]
uint64_ref = _BY_NAME["uint64_ref"]
bool_ref = _BY_NAME["bool_ref"]
string_ref = _BY_NAME["string_ref"]
complex64_ref = _BY_NAME["complex64_ref"]
complex128_ref = _BY_NAME["complex128_ref"]
resource_ref = _BY_NAME["resource_ref"]
variant_ref = _BY_NAME["variant_ref"]
qint8_ref = _BY_NAME["qint8_ref"]
quint8_ref = _BY_NAME["quint8_ref"]
qint16_ref = _BY_NAME["qint16_ref"]
quint16_ref = _BY_NAME["quint16_ref"]
qint32_ref = _BY_NAME["qint32_ref"]

QUANTIZED_DTYPES = frozenset(
    [qint8, quint8, qint16, quint16, qint32, qint8_ref, quint8_ref, qint16_ref, quint16_ref,
     qint32_ref]
)  # fmt: skip


_PYTHON_TYPES: dict[type, DType] = {float: float32, builtins.bool: bool, object: string}
_NUMPY_NAMES = frozenset(spec.name for spec in _SPECS.values() if spec.kind in "fiucb")
_QUANTIZED_NAMES = frozenset(spec.name for spec in _SPECS.values() if spec.kind == "q")


def _from_numpy(value: Any) -> DType | None:
    if isinstance(value, type) and issubclass(value, np.generic):
        try:
            value = np.dtype(value)
        except TypeError:
            return None
    if not isinstance(value, np.dtype):
        return None
    if value.kind in "OSU":
        return string
    if value.names and len(value.names) == 1 and value.names[0] in _QUANTIZED_NAMES:
        dtype = _BY_NAME[value.names[0]]
        return dtype if value == dtype._spec.numpy_type else None
    return _BY_NAME[value.name] if value.name in _NUMPY_NAMES else None


def as_dtype(type_value: Any) -> DType:
    """Converts ``type_value`` to a DType, as TF1's ``tf.as_dtype`` does.

    Accepts a DType, a name (``"float32"``, ``"float"``, ``"double"``, ``"half"``,
    ``"float32_ref"``), a NumPy dtype or scalar type (strings and ``object`` give ``string``),
    a ``DataType`` enum number, and the Python types ``float`` (float32, as in TF1), ``bool``
    and ``object`` (string). Like TF1 it rejects ``int``, ``str``, ``bytes`` and ``complex``.

    >>> as_dtype("double"), as_dtype(np.int16), as_dtype(1)
    (tf.float64, tf.int16, tf.float32)

    Raises:
        TypeError: if ``type_value`` names no DType.
    """
    if isinstance(type_value, DType):
        return _BY_ENUM[type_value._enum]
    if isinstance(type_value, str):
        dtype = _BY_NAME.get(type_value)
    elif _is_enum_number(type_value):
        dtype = _BY_ENUM.get(int(type_value))
    elif isinstance(type_value, type) and type_value in _PYTHON_TYPES:
        dtype = _PYTHON_TYPES[type_value]
    else:
        dtype = _from_numpy(type_value)
    if dtype is None:
        raise TypeError(
            f"Cannot convert value {type_value!r} to a TensorFlow DType. Expected a DType, a "
            "dtype name such as 'float32', a NumPy dtype or a DataType enum number."
        )
    return dtype


_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def dtype_of_python_value(value: Any) -> DType:
    """The dtype TF1 gives a constant made from ``value`` (what ``tf.constant(value).dtype`` is).

    NumPy arrays and scalars keep their own dtype. Python scalars: ``float`` gives float32,
    ``int`` int32 (int64 outside int32's range, uint64 above int64's), ``bool`` bool,
    ``str``/``bytes`` string, ``complex`` complex128. Nested lists and tuples take NumPy's
    inferred dtype, then the same rules: ``[1, 2.5]`` gives float32, ``[True, 1]`` int32,
    ``[]`` float32, and NumPy scalars inside a list keep narrow types (``[np.int8(1)]`` int8).

    >>> dtype_of_python_value(1), dtype_of_python_value([1, 2.5]), dtype_of_python_value(2**40)
    (tf.int32, tf.float32, tf.int64)

    Raises:
        ValueError: for ``None`` and for non-rectangular nested sequences.
        TypeError: for values with no dtype, such as ``[1, "a"]``, ``[None]`` or ``2**64``.
    """
    if isinstance(value, (np.ndarray, np.generic)):
        return as_dtype(value.dtype)
    if value is None:
        raise ValueError("None values not supported.")
    try:
        array = np.asarray(value)
    except ValueError as error:
        raise ValueError(
            f"Can't convert non-rectangular Python sequence to Tensor: {value!r} ({error})"
        ) from None
    except OverflowError:
        array = np.asarray(None)
    kind = array.dtype.kind
    if kind == "i" and array.dtype == np.int64:
        fits = array.size == 0 or (array.min() >= _INT32_MIN and array.max() <= _INT32_MAX)
        return int32 if fits else int64
    if kind == "f" and array.dtype == np.float64:
        return float32
    if kind in "US" and all(isinstance(x, (str, bytes)) for x in np.asarray(value, object).flat):
        return string
    if kind in "biufc":
        return as_dtype(array.dtype)
    raise TypeError(
        f"Failed to convert elements of {value!r} to Tensor. Consider casting elements to a "
        "supported type: bool, int, float, complex, str or bytes, or a NumPy array."
    )
