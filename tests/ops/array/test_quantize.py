"""Tests for scopeflow/ops/array/quantize.py (``tf.quantization.quantize``/``dequantize``/
``quantized_concat``, ``tf.quantize_v2``): TF 2.21's values (its reference CPU kernels, with
``TF_ENABLE_ONEDNN_OPTS=0``), bit for bit, its names, build errors and missing gradients."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

X = np.float32([-1.5, -1.0, -0.3, 0.0, 0.26, 0.5, 1.0, 2.0, 3.7, 6.0])
LOW, HIGH = np.float32(-1.5), np.float32(6.0)
Q8 = np.uint8([0, 1, 127, 128, 200, 255]).view(tf.quint8.as_numpy_dtype)
QI8 = np.int8([-128, -127, -1, 0, 1, 127]).view(tf.qint8.as_numpy_dtype)
QI32 = np.int32([-(2**31), -5, 0, 7, 2147483520, 2**31 - 1]).view(tf.qint32.as_numpy_dtype)


def _q(dtype, values):
    return np.array(values, dtype.as_numpy_dtype.fields[dtype.name][0]).view(dtype.as_numpy_dtype)


def _quantize(dtype, **kw):
    return lambda x, lo, hi: list(tf.quantization.quantize(x, lo, hi, dtype, **kw))


def _dequantize(**kw):
    return lambda q, lo, hi: tf.quantization.dequantize(q, lo, hi, **kw)


F = np.float32
# TF 2.21's results for X over [-1.5, 6]: (values, output_min, output_max).
CASES = [
    Case("quint8-min-combined", "QuantizeV2", _quantize(tf.quint8), (X, LOW, HIGH),
         [_q(tf.quint8, [0, 17, 41, 51, 60, 68, 85, 119, 177, 255]), F(-1.5), F(6)]),
    Case("qint8-scaled", "QuantizeV2", _quantize(tf.qint8, mode="SCALED"), (X, LOW, HIGH),
         [_q(tf.qint8, [-32, -21, -6, 0, 6, 11, 21, 42, 78, 127]), F(-6.047244071960449),
          F(6)]),
    Case("quint16-scaled-even-narrow", "QuantizeV2",
         _quantize(tf.quint16, mode="SCALED", round_mode="HALF_TO_EVEN", narrow_range=True),
         (X, LOW, HIGH),
         [_q(tf.quint16, [1, 1, 1, 1, 2840, 5461, 10922, 21845, 40413, 65535]),
          F(9.155413135886192e-05), F(6)]),
    # The top value rounds to 2**31 in float32 and wraps to the lowest, as TF's cast does.
    Case("qint32-min-combined-wraps", "QuantizeV2", _quantize(tf.qint32), (X, LOW, HIGH),
         [_q(tf.qint32, [-2147483648, -1861152512, -1460288768, -1288490112, -1139597952,
                         -1002158976, -715827840, -143165440, 830360320, -2147483648]),
          F(-1.5), F(6)]),
    Case("qint32-min-first", "QuantizeV2", _quantize(tf.qint32, mode="MIN_FIRST"),
         (X, LOW, HIGH),
         [_q(tf.qint32, [-2147483648, -1861152512, -1460288768, -1288490112, -1139597952,
                         -1002158976, -715827776, -143165440, 830360576, 2147483520]),
          F(-1.5), F(6)]),
    Case("qint16-min-first", "QuantizeV2", _quantize(tf.qint16, mode="MIN_FIRST"),
         (X, LOW, HIGH),
         [_q(tf.qint16, [-32768, -28399, -22282, -19661, -17389, -15292, -10923, -2185, 12670,
                         32767]), F(-1.5), F(6)]),
    Case("max-below-min", "QuantizeV2", _quantize(tf.quint8), (X, HIGH, LOW),
         Raises(tf.errors.InvalidArgumentError,
                "input_max_range must be larger than input_min_range")),
    Case("dequantize-quint8-min-combined", "Dequantize", _dequantize(), (Q8, LOW, HIGH),
         F([-1.5, -1.470588207244873, 2.2352941036224365, 2.2647058963775635,
            4.382352828979492, 6.0])),
    Case("dequantize-qint8-min-first", "Dequantize", _dequantize(mode="MIN_FIRST"),
         (QI8, LOW, HIGH),
         F([-1.5, -1.470588207244873, 2.2352941036224365, 2.2647058963775635,
            2.2941176891326904, 6.0])),
    Case("dequantize-qint8-scaled", "Dequantize", _dequantize(mode="SCALED"), (QI8, LOW, HIGH),
         F([-6.047244071960449, -6.0, -0.04724409431219101, 0.0, 0.04724409431219101, 6.0])),
    # TF reads a qint32 through float and int: 2**31 - 1 becomes the lowest.
    Case("dequantize-qint32-scaled", "Dequantize", _dequantize(mode="SCALED"),
         (QI32, LOW, HIGH),
         F([-6.0, -1.3969838619232178e-08, 0.0, 1.955777406692505e-08, 5.999999523162842,
            -6.0])),
    Case("dequantize-qint32-min-combined", "Dequantize", _dequantize(), (QI32, LOW, HIGH),
         F([-1.5, 2.25, 2.25, 2.25, 6.0, 6.0])),
    Case("concat-quint8", "QuantizedConcat",
         lambda a, b: list(tf.quantized_concat(0, [a, b], [-1.0, 0.0], [2.0, 6.0])),
         (Q8[:3], Q8[3:]), [_q(tf.quint8, [0, 0, 54, 146, 207, 255]), F(-1), F(6)]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_per_slice_ranges_along_an_axis(run):
    q = tf.quantization.quantize(X.reshape(2, 5), [-1.0, 0.5], [2.0, 4.0], tf.qint8, axis=0)
    assert [q.output_min.shape.as_list(), q.output.op.get_attr("axis")] == [[2], 0]
    out, low, high = run(q)
    want = [[-128, -128, -69, -43, -21], [-96, -64, -1, 108, 127]]
    assert (out.view(np.int8).tolist(), low.tolist(), high.tolist()) == (want, [-1, 0], [2, 4])
    back = tf.quantization.dequantize(
        tf.placeholder(tf.qint8, [2, 3]), [-1.0, 0.5], [2.0, 4.0], mode="SCALED", axis=-2
    )  # fmt: skip
    got = run(back, {back.op.inputs[0]: QI8.reshape(2, 3)})
    np.testing.assert_array_equal(got, F([[-2.0157480239868164, -2.0, -0.015748031437397003],
                                          [0.0, 0.031496062874794006, 4.0]]))  # fmt: skip


def test_bfloat16_dequantize(run):
    out = tf.quantization.dequantize(QI8, LOW, HIGH, dtype=tf.bfloat16)
    assert out.dtype == tf.bfloat16
    got = run(tf.cast(out, tf.float32))
    assert got.tolist() == [-1.5, -1.46875, 2.234375, 2.265625, 2.296875, 6.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Mode string must be 'MIN_COMBINED'"):
        run(tf.quantization.dequantize(QI8, LOW, HIGH, mode="SCALED", dtype=tf.bfloat16))


def test_quantized_concat_requantizes_into_the_union_range(run):
    a, b = tf.placeholder(tf.quint8), tf.placeholder(tf.quint8)
    c = tf.quantized_concat(0, [a, b], [-1.0, 0.0], [2.0, 6.0])
    out, low, high = run(c, {a: Q8[:3], b: Q8[3:]})
    assert (out.view(np.uint8).tolist(), low, high) == ([0, 0, 54, 146, 207, 255], -1, 6)
    # Signed: a range symmetric about zero.
    a, b = tf.placeholder(tf.qint32), tf.placeholder(tf.qint32)
    c = tf.quantization.quantized_concat(0, [a, b], [-1.0, 0.0], [2.0, 6.0])
    out, low, high = run(c, {a: QI32[:3], b: QI32[3:]})
    want = [-357913952, 178956976, 178956976, 1073741824, 2147483520, 2147483520]
    assert (out.view(np.int32).tolist(), low, high) == (want, -6, 6)


def test_names_and_no_gradients_as_in_tf(graph):
    x = tf.constant(X)
    q = tf.quantize(x, 0.0, 6.0, tf.quint8, name="qq")
    assert (q.output.name, q.output_min.name, q.output_max.name) == ("qq:0", "qq:1", "qq:2")
    assert [op.name for op in graph.get_operations()][-3:] == ["qq/min_range", "qq/max_range", "qq"]
    attrs = {k: q.output.op.get_attr(k) for k in ("mode", "round_mode", "axis", "narrow_range")}
    assert attrs == {"mode": b"MIN_COMBINED", "round_mode": b"HALF_AWAY_FROM_ZERO", "axis": -1,
                     "narrow_range": False}  # fmt: skip
    assert q.output_min.shape.as_list() == [] and q.output.dtype == tf.quint8
    d = tf.dequantize(q.output, q.output_min, q.output_max, name="dq")
    c = tf.quantized_concat(0, [q.output, q.output], [q.output_min, 0.0], [q.output_max, 2.0])
    assert (d.name, d.shape.as_list(), c.output.shape.as_list()) == ("dq:0", [10], [20])
    assert c.output.op.name == "QuantizedConcat" and tf.quantize_v2 is not None
    for t in (q.output_min, d, c.output_max):
        with pytest.raises(LookupError, match=f"No gradient defined for operation '{t.op.name}'"):
            tf.gradients(t, x)


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda x: tf.quantize(x, [0.0, 1.0], [1.0, 2.0], tf.quint8), ValueError,
         "Shape must be rank 0 but is rank 1"),
        (lambda x: tf.quantize(x, [0.0, 1.0], [1.0, 2.0], tf.quint8, axis=1), ValueError,
         "Dimensions must be equal, but are 2 and 3"),
        (lambda x: tf.quantize(x, 0.0, 1.0, tf.quint8, axis=5), ValueError,
         "Shape must be at least rank 6 but is rank 2"),
        (lambda x: tf.quantize(x, 0.0, 1.0, tf.float32), TypeError,
         "has DataType float32 not in list of allowed values: qint8, quint8, qint32"),
        (lambda x: tf.quantize(tf.cast(x, tf.float64), 0.0, 1.0, tf.quint8), TypeError,
         "Input 'input' of 'QuantizeV2' Op has type float64 that does not match expected type "
         "of float32"),
        (lambda x: tf.quantize(x, 0.0, 1.0, tf.quint8, mode="FOO"), ValueError,
         "Attr 'mode' of 'QuantizeV2' Op passed string 'FOO' not in"),
        (lambda x: tf.quantize(tf.placeholder(tf.float32), 0.0, 1.0, tf.quint8, axis=-2),
         ValueError, "input should have known rank to use negative axis"),
        (lambda x: tf.dequantize(x, 0.0, 1.0), TypeError,
         "not in list of allowed values: qint8, quint8, qint32, qint16, quint16"),
        (lambda x: tf.dequantize(tf.quantize(x, 0.0, 1.0, tf.quint8).output, 0.0, 1.0,
                                 dtype=tf.float16), TypeError,
         "has DataType float16 not in list of allowed values: bfloat16, float32"),
        (lambda x: tf.dequantize(tf.placeholder(tf.qint8), [0.0], [1.0], axis=0), ValueError,
         r"Axis must be less than input dimension\(-1\), got 0"),
        (lambda x: tf.quantized_concat(0, [tf.quantize(x, 0.0, 1.0, tf.quint8).output,
                                           tf.quantize(x, 0.0, 1.0, tf.qint8).output],
                                       [0.0, 0.0], [1.0, 2.0]), TypeError,
         r"have types \[quint8, qint8\] that don't all match"),
        (lambda x: tf.quantized_concat(0, [tf.quantize(x, 0.0, 1.0, tf.quint8).output] * 2,
                                       [0.0], [1.0, 2.0]), ValueError,
         "List argument 'input_mins' to 'quantized_concat' Op with length 1 must match"),
        (lambda x: tf.quantized_concat(2, [tf.quantize(x, 0.0, 1.0, tf.quint8).output] * 2,
                                       [0.0, 0.0], [1.0, 2.0]), ValueError,
         "Shape must be at least rank 3 but is rank 2"),
    ],
)  # fmt: skip
def test_build_errors_are_tfs(graph, build, error, match):
    with pytest.raises(error, match=match):
        build(tf.constant(np.ones([2, 3], np.float32)))


def test_run_errors_are_tfs(run):
    q = tf.quantize(np.ones([2, 3], np.float32), 0.0, 1.0, tf.quint8)
    with pytest.raises(tf.errors.InvalidArgumentError, match="only supported for mode 'SCALED'"):
        run(tf.quantize(X, 0.0, 1.0, tf.quint8, round_mode="HALF_TO_EVEN"))
    with pytest.raises(tf.errors.UnimplementedError, match="MIN_FIRST mode is not implemented"):
        run(tf.quantize(X.reshape(2, 5), [0.0, 1.0], [1.0, 2.0], tf.quint8, axis=0,
                        mode="MIN_FIRST"))  # fmt: skip
    wrong_axis = r"Expected concatenating dimensions in the range \[0, 2\), but got -1"
    with pytest.raises(tf.errors.InvalidArgumentError, match=wrong_axis):
        run(tf.quantized_concat(-1, [q.output, q.output], [0.0, 0.0], [1.0, 2.0]))
