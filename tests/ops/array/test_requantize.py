"""Tests for scopeflow/ops/array/requantize.py (``tf.raw_ops.RequantizationRange``,
``Requantize``, ``QuantizeDownAndShrinkRange``, ``QuantizedRelu``/``Relu6``,
``QuantizedReshape``): TF 2.21's values (reference kernels), errors and missing gradients."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

Q32 = np.int32([-(2**31), 2**31 - 1, 0, 1, -1, 1048576, 725906352, -1317027583]).view(
    tf.qint32.as_numpy_dtype
)
Q8 = np.uint8([157, 144, 170, 246, 174, 68, 238, 102]).view(tf.quint8.as_numpy_dtype)
F = np.float32
LOW, HIGH = F(-10), F(30)


def _q(dtype, values):
    base = dtype.as_numpy_dtype.fields[dtype.name][0]
    return np.array(values, base).view(dtype.as_numpy_dtype)


_ARGS = ("input", "input_min", "input_max", "requested_output_min", "requested_output_max")


def _raw(op, **fixed):
    """The raw op's outputs, its inputs given in TF's order."""

    def build(*args):
        inputs = dict(zip(_ARGS[: len(args)], args, strict=True))
        return list(getattr(tf.raw_ops, op)(**inputs, **fixed))

    return build


def _relu(op, out_type):
    return lambda x, lo, hi: list(getattr(tf.raw_ops, op)(
        features=x, min_features=lo, max_features=hi, out_type=out_type))  # fmt: skip


CASES = [
    Case("range", "RequantizationRange", _raw("RequantizationRange"), (Q32, LOW, HIGH),
         [F(-10), F(30)], exact_static=False),
    Case("shrink", "QuantizeDownAndShrinkRange",
         _raw("QuantizeDownAndShrinkRange", out_type=tf.quint8), (Q32, LOW, HIGH),
         [_q(tf.quint8, [0, 255, 128, 128, 127, 128, 171, 49]), F(-10), F(30)]),
    Case("requantize-quint8", "Requantize", _raw("Requantize", out_type=tf.quint8),
         (Q32, LOW, HIGH, F(-20), F(20)),
         [_q(tf.quint8, [64, 255, 191, 191, 191, 191, 234, 113]), F(-20), F(20)]),
    Case("requantize-qint8", "Requantize", _raw("Requantize", out_type=tf.qint8),
         (_q(tf.qint32, [0, 5]), F(-1), F(1), F(-1), F(1)), [_q(tf.qint8, [0, 0]), F(-1), F(1)]),
    Case("requantize-min-above-zero", "Requantize", _raw("Requantize", out_type=tf.quint8),
         (Q32, LOW, HIGH, F(0.01), F(1)),
         Raises(tf.errors.InvalidArgumentError, "requested_output_min must be <= 0, but got 0.01")),
    Case("requantize-max-below-min", "Requantize", _raw("Requantize", out_type=tf.quint8),
         (Q32, LOW, HIGH, F(-10), F(-11)),
         Raises(tf.errors.InvalidArgumentError,
                "requested_output_max must be >= requested_output_min, but got -11 and -10")),
    Case("relu-quint8", "QuantizedRelu", _relu("QuantizedRelu", tf.quint8), (Q8, F(-10), F(2)),
         [_q(tf.quint8, [213, 213, 213, 246, 213, 213, 238, 213]), F(-10), F(2)]),
    Case("relu6-quint8", "QuantizedRelu6", _relu("QuantizedRelu6", tf.quint8),
         (Q8, F(0), F(6)), [Q8, F(0), F(6)]),
    Case("relu-qint32", "QuantizedRelu", _relu("QuantizedRelu", tf.qint32), (Q32, F(-1), F(3)),
         [_q(tf.qint32, [-1073741824, 2147483647, 0, 1, -1, 1048576, 725906352, -1073741824]),
          F(-1), F(3)]),
    Case("reshape", "QuantizedReshape",
         lambda x, lo, hi: list(tf.raw_ops.QuantizedReshape(tensor=x, shape=[2, 4], input_min=lo,
                                                            input_max=hi)),
         (Q8, F(-1), F(1)), [Q8.reshape(2, 4), F(-1), F(1)], modes=("full", "dims")),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_shapes_and_no_gradients_as_in_tf(graph):
    low = tf.constant(-1.0)
    out = tf.raw_ops.QuantizedRelu6(features=tf.constant(Q8), min_features=low,
                                    max_features=tf.constant(6.0))  # fmt: skip
    assert (out.activations.name, out.activations.dtype, out.activations.shape.as_list()) == (
        "QuantizedRelu6:0", tf.quint8, [8],
    )  # fmt: skip
    shrunk = tf.raw_ops.QuantizeDownAndShrinkRange(
        input=tf.constant(Q32), input_min=low, input_max=tf.constant(1.0), out_type=tf.quint8)
    for t in (out.min_activations, shrunk.output_min):
        with pytest.raises(LookupError, match=f"No gradient defined for operation '{t.op.name}'"):
            tf.gradients(t, low)
