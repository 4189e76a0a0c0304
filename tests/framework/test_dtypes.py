"""Tests for scopeflow/framework/dtypes.py; expected values come from TensorFlow 2.21 (v1 mode)."""

from __future__ import annotations

import builtins
import copy
import pickle

import numpy as np
import pytest

from scopeflow.framework import dtypes
from scopeflow.framework.dtypes import as_dtype, dtype_of_python_value

ENUMS = {
    "float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6, "string": 7,
    "complex64": 8, "int64": 9, "bool": 10, "bfloat16": 14, "uint16": 17, "complex128": 18,
    "float16": 19, "resource": 20, "variant": 21, "uint32": 22, "uint64": 23,
}  # fmt: skip


@pytest.mark.parametrize(("name", "enum"), ENUMS.items())
def test_constants_have_tf_enum_names_and_refs(name, enum):
    dtype = getattr(dtypes, name)
    ref = getattr(dtypes, name + "_ref")
    assert (dtype.name, dtype.as_datatype_enum) == (name, enum)
    assert (ref.name, ref.as_datatype_enum) == (name + "_ref", enum + 100)
    assert dtype._as_ref is ref and ref._as_ref is ref
    assert ref.base_dtype is dtype and dtype.base_dtype is dtype
    assert (dtype._is_ref_dtype, ref._is_ref_dtype) == (False, True)
    assert as_dtype(name) is dtype and as_dtype(enum) is dtype and as_dtype(enum + 100) is ref


def test_aliases():
    assert dtypes.half is dtypes.float16 and dtypes.double is dtypes.float64


def test_repr_and_str():
    assert repr(dtypes.float32) == "tf.float32"
    assert str(dtypes.float32) == "<dtype: 'float32'>"
    assert repr(dtypes.int8_ref) == "tf.int8_ref"


@pytest.mark.parametrize(
    ("dtype", "numpy_type"),
    [
        (dtypes.float32, np.float32),
        (dtypes.float16, np.float16),
        (dtypes.int64, np.int64),
        (dtypes.uint32, np.uint32),
        (dtypes.bool, np.bool_),
        (dtypes.complex128, np.complex128),
        (dtypes.string, object),
        (dtypes.float32_ref, np.float32),
    ],
)
def test_as_numpy_dtype(dtype, numpy_type):
    assert dtype.as_numpy_dtype is numpy_type


@pytest.mark.parametrize("dtype", [dtypes.resource, dtypes.variant])
def test_handles_have_no_numpy_type(dtype):
    assert dtype.is_numpy_compatible is False
    with pytest.raises(TypeError, match="no NumPy equivalent"):
        dtype.as_numpy_dtype  # noqa: B018


def test_bfloat16_numpy_type_needs_ml_dtypes():
    try:
        import ml_dtypes
    except ImportError:
        with pytest.raises(TypeError, match="ml_dtypes"):
            dtypes.bfloat16.as_numpy_dtype  # noqa: B018
    else:
        assert dtypes.bfloat16.as_numpy_dtype is ml_dtypes.bfloat16
        assert as_dtype(ml_dtypes.bfloat16) is dtypes.bfloat16


@pytest.mark.parametrize(
    ("dtype", "real"),
    [
        (dtypes.complex64, dtypes.float32),
        (dtypes.complex128, dtypes.float64),
        (dtypes.complex128_ref, dtypes.float64),
        (dtypes.float32_ref, dtypes.float32_ref),
        (dtypes.int32, dtypes.int32),
    ],
)
def test_real_dtype(dtype, real):
    assert dtype.real_dtype is real


PREDICATES = ("is_floating", "is_integer", "is_unsigned", "is_complex", "is_bool", "is_quantized")


@pytest.mark.parametrize(
    ("dtype", "true_predicates"),
    [
        (dtypes.float32, {"is_floating"}),
        (dtypes.bfloat16, {"is_floating"}),
        (dtypes.float16_ref, {"is_floating"}),
        (dtypes.int8, {"is_integer"}),
        (dtypes.uint64, {"is_integer", "is_unsigned"}),
        (dtypes.complex64, {"is_complex"}),
        (dtypes.bool, {"is_bool"}),
        (dtypes.string, set()),
        (dtypes.resource, set()),
    ],
)
def test_predicates(dtype, true_predicates):
    assert {p for p in PREDICATES if getattr(dtype, p)} == true_predicates


@pytest.mark.parametrize(
    ("dtype", "lo", "hi"),
    [
        (dtypes.int8, -128, 127),
        (dtypes.uint8, 0, 255),
        (dtypes.int32, -(2**31), 2**31 - 1),
        (dtypes.uint64, 0, 2**64 - 1),
        (dtypes.float16, np.float16(-65504), np.float16(65504)),
        (dtypes.float32_ref, np.finfo(np.float32).min, np.finfo(np.float32).max),
    ],
)
def test_min_max(dtype, lo, hi):
    assert (dtype.min, dtype.max) == (lo, hi)
    assert type(dtype.max) is type(hi)


@pytest.mark.parametrize("dtype", [dtypes.bool, dtypes.string, dtypes.complex64, dtypes.variant])
def test_min_max_undefined(dtype):
    with pytest.raises(TypeError, match="Cannot find minimum value of"):
        dtype.min  # noqa: B018
    with pytest.raises(TypeError, match="Cannot find maximum value of"):
        dtype.max  # noqa: B018


@pytest.mark.parametrize(
    ("dtype", "size"),
    [(dtypes.float32, 4), (dtypes.bfloat16, 2), (dtypes.complex128, 16), (dtypes.bool, 1),
     (dtypes.string, 0), (dtypes.resource, 0), (dtypes.int64_ref, 8)],
)  # fmt: skip
def test_size(dtype, size):
    assert dtype.size == size


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("float", dtypes.float32),
        ("double", dtypes.float64),
        ("half", dtypes.float16),
        ("half_ref", dtypes.float16_ref),
        (float, dtypes.float32),  # TF1 maps Python float to float32
        (builtins.bool, dtypes.bool),
        (object, dtypes.string),
        (np.float32, dtypes.float32),
        (np.dtype(">f4"), dtypes.float32),
        (np.intc, dtypes.int32),
        (np.longlong, dtypes.int64),
        (np.str_, dtypes.string),
        (np.bytes_, dtypes.string),
        (np.dtype("U5"), dtypes.string),
        (np.dtype("O"), dtypes.string),
        (np.int64(9), dtypes.int64),  # an enum number, as in TF
        (dtypes.DType(1), dtypes.float32),
    ],
)
def test_as_dtype(value, expected):
    assert as_dtype(value) is expected


@pytest.mark.parametrize(
    "value",
    [int, str, bytes, complex, "int", "long", "f4", "foo", 99, 0, 124, None, [1], 1.5, True,
     np.longdouble, np.dtype("datetime64"), np.dtype([("a", np.int8)]), np.floating],
)  # fmt: skip
def test_as_dtype_rejects(value):
    with pytest.raises(TypeError, match="to a TensorFlow DType"):
        as_dtype(value)


@pytest.mark.parametrize(
    ("other", "equal"),
    [
        (dtypes.float32, True),
        (dtypes.DType(1), True),
        ("float32", True),
        (np.float32, True),
        (np.dtype("float32"), True),
        (float, True),
        (1, True),
        (dtypes.float32_ref, False),
        (dtypes.float64, False),
        ("foo", False),
        (None, False),
        ([1], False),
        (object(), False),
    ],
)
def test_eq_never_raises(other, equal):
    assert (dtypes.float32 == other) is equal
    assert (other == dtypes.float32) is equal
    assert (dtypes.float32 != other) is not equal


def test_hash_is_the_enum():
    assert hash(dtypes.float32) == 1 and hash(dtypes.float32_ref) == 101
    assert {dtypes.float32: "x"}[dtypes.DType(1)] == "x"


@pytest.mark.parametrize(
    ("dtype", "other", "compatible"),
    [
        (dtypes.float32, dtypes.float32, True),
        (dtypes.float32, dtypes.float32_ref, True),
        (dtypes.float32_ref, dtypes.float32, False),
        (dtypes.float32_ref, "float32_ref", True),
        (dtypes.float32, np.float32, True),
        (dtypes.float32, dtypes.float64, False),
    ],
)
def test_is_compatible_with(dtype, other, compatible):
    assert dtype.is_compatible_with(other) is compatible


def test_is_compatible_with_rejects_non_dtypes():
    with pytest.raises(TypeError, match="to a TensorFlow DType"):
        dtypes.float32.is_compatible_with("foo")


@pytest.mark.parametrize("bad", [99, 0, 201, "float32", True])
def test_dtype_constructor_validates_enum(bad):
    with pytest.raises(TypeError, match="does not correspond to a valid tensorflow::DataType"):
        dtypes.DType(bad)


@pytest.mark.parametrize("dtype", [dtypes.float32, dtypes.int8_ref, dtypes.string])
def test_pickle_and_copy_keep_singletons(dtype):
    assert pickle.loads(pickle.dumps(dtype)) is dtype
    assert copy.deepcopy(dtype) is dtype


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, dtypes.int32),
        (2**31 - 1, dtypes.int32),
        (-(2**31), dtypes.int32),
        (2**31, dtypes.int64),
        (-(2**31) - 1, dtypes.int64),
        (2**63, dtypes.uint64),
        (1.5, dtypes.float32),
        (True, dtypes.bool),
        ("a", dtypes.string),
        (b"a", dtypes.string),
        (1j, dtypes.complex128),
        ([1, 2.5], dtypes.float32),
        ([True, 1], dtypes.int32),
        ([1, 2**40], dtypes.int64),
        ((1, 2), dtypes.int32),
        ([[1, 2], [3, 4]], dtypes.int32),
        ([1.0, 1j], dtypes.complex128),
        (["a", b"b"], dtypes.string),
        ([], dtypes.float32),
        ([[]], dtypes.float32),
        (np.float64(1.0), dtypes.float64),
        (np.array([1, 2]), dtypes.int64),
        ([np.float64(1.0), 2.0], dtypes.float32),
        ([np.int64(1)], dtypes.int32),
        ([np.float16(1)], dtypes.float16),
        ([np.int8(1), np.int8(2)], dtypes.int8),
    ],
)
def test_dtype_of_python_value(value, expected):
    assert dtype_of_python_value(value) is expected


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (None, ValueError, "None values not supported"),
        ([[1], [2, 3]], ValueError, "non-rectangular"),
        ([1, "a"], TypeError, "Failed to convert elements of"),
        ([None], TypeError, "Failed to convert elements of"),
        (2**64, TypeError, "Failed to convert elements of"),
        ({"a": 1}, TypeError, "Failed to convert elements of"),
    ],
)
def test_dtype_of_python_value_rejects(value, error, match):
    with pytest.raises(error, match=match):
        dtype_of_python_value(value)
