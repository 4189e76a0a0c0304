"""Tests for scopeflow/dtypes.py (``tf.dtypes``) and the quantized dtypes: the names TF 2.21's
``tf.compat.v1.dtypes`` has (read from it: every public name but its ``experimental``
submodule), and what its quantized dtypes answer (names, enum numbers, sizes, NumPy types,
predicates, the error for their limits), as TF 2.21 answered."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

TF_DTYPES_NAMES = """DType QUANTIZED_DTYPES as_dtype as_string bfloat16 bool cast complex complex128
complex64 double float16 float32 float64 half int16 int32 int64 int8 qint16 qint32 qint8
quint16 quint8 resource saturate_cast string uint16 uint32 uint64 uint8 variant""".split()


def test_the_namespace_has_tf1s_names():
    public = {n for n in vars(tf.dtypes) if not n.startswith("_") and n != "annotations"}
    assert public == set(TF_DTYPES_NAMES)
    assert tf.dtypes.float32 is tf.float32 and tf.dtypes.cast is tf.cast
    assert tf.dtypes.complex is tf.complex and tf.dtypes.as_string is tf.as_string


def test_the_functions_build_tf1s_ops():
    with tf.Graph().as_default():
        x = tf.constant([1.5, -300.0])
        ops = [tf.dtypes.cast(x, tf.int32), tf.dtypes.saturate_cast(x, tf.int8),
               tf.dtypes.complex(x, x), tf.dtypes.as_string(x)]  # fmt: skip
        assert [t.op.type for t in ops] == ["Cast", "Cast", "Complex", "AsString"]
        assert tf.Session().run(ops[1]).tolist() == [1, -128]


@pytest.mark.parametrize(
    ("dtype", "enum", "size", "field"),
    [
        (tf.qint8, 11, 1, "i1"),
        (tf.quint8, 12, 1, "u1"),
        (tf.qint32, 13, 4, "<i4"),
        (tf.qint16, 15, 2, "<i2"),
        (tf.quint16, 16, 2, "<u2"),
    ],
)
def test_quantized_dtypes(dtype, enum, size, field):
    assert (dtype.as_datatype_enum, dtype.size, dtype.is_quantized) == (enum, size, True)
    assert not (dtype.is_integer or dtype.is_floating or dtype.is_unsigned)
    assert dtype.is_numpy_compatible
    assert dtype.as_numpy_dtype == np.dtype([(dtype.name, field)])
    assert tf.as_dtype(dtype.as_numpy_dtype) is dtype and tf.as_dtype(dtype.name) is dtype
    assert dtype._as_ref.name == dtype.name + "_ref" and dtype._as_ref in tf.QUANTIZED_DTYPES
    assert (str(dtype), repr(dtype)) == (f"<dtype: '{dtype.name}'>", f"tf.{dtype.name}")
    with pytest.raises(TypeError, match=f"Cannot find minimum value of <dtype: '{dtype.name}'>"):
        _ = dtype.min
    assert dtype != tf.as_dtype(np.dtype(field))


def test_quantized_dtypes_set():
    assert len(tf.QUANTIZED_DTYPES) == 10 and tf.dtypes.QUANTIZED_DTYPES is tf.QUANTIZED_DTYPES
    assert not tf.float32.is_quantized
    with pytest.raises(TypeError, match="Cannot convert value"):
        tf.as_dtype(np.dtype([("qint8", np.int16)]))
