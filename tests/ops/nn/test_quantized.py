"""Tests for scopeflow/ops/nn/quantized.py (``tf.nn.quantized_avg_pool``,
``quantized_max_pool``, ``quantized_conv2d``): TF 2.21's values (its reference CPU kernels,
``TF_ENABLE_ONEDNN_OPTS=0``), names, shapes and missing gradients."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, cases_by_mode, check_case

_RNG = np.random.RandomState(0)
X = _RNG.randint(0, 256, size=(1, 4, 5, 2)).astype(np.uint8).view(tf.quint8.as_numpy_dtype)
W = _RNG.randint(0, 256, size=(2, 2, 2, 3)).astype(np.uint8).view(tf.quint8.as_numpy_dtype)
W1 = np.uint8([[[[137, 106], [41, 233]]]]).view(tf.quint8.as_numpy_dtype)
F = np.float32


def _q(dtype, values):
    base = dtype.as_numpy_dtype.fields[dtype.name][0]
    return np.array(values, base).view(dtype.as_numpy_dtype)


CASES = [
    Case("avg-valid-2x2", "QuantizedAvgPool",
         lambda x: list(tf.nn.quantized_avg_pool(x, 0.0, 255.0, [1, 2, 2, 1], [1, 2, 2, 1],
                                                 "VALID")), (X,),
         [_q(tf.quint8, [[[[86, 142], [105, 177]], [[110, 142], [187, 95]]]]), F(0), F(255)]),
    # SAME windows average their real pixels only, truncating.
    Case("avg-same-3x3-stride-2", "QuantizedAvgPool",
         lambda x: list(tf.nn.quantized_avg_pool(x, 0.0, 255.0, [1, 3, 3, 1], [1, 2, 2, 1],
                                                 "SAME")), (X,),
         [_q(tf.quint8, [[[[110, 130], [101, 141], [98, 124]],
                          [[110, 142], [158, 127], [167, 92]]]]), F(0), F(255)]),
    Case("max-valid-3x2-stride-2x1", "QuantizedMaxPool",
         lambda x: list(tf.nn.quantized_max_pool(x, -1.0, 3.0, [1, 3, 2, 1], [1, 2, 1, 1],
                                                 "VALID")), (X,),
         [_q(tf.quint8, [[[[230, 242], [117, 251], [195, 251], [195, 211]]]]), F(-1), F(3)]),
    Case("conv-valid", "QuantizedConv2D",
         lambda x, w: list(tf.nn.quantized_conv2d(x, w, 0.0, 255.0, -1.0, 1.0, [1, 1, 1, 1],
                                                  "VALID"))[0], (X, W),
         _q(tf.qint32, [[[[-6491, -30716, 42530], [37788, 7287, 14369], [15721, 16301, 7506],
                          [11611, -6650, 30404]],
                         [[15871, 43931, -12686], [5718, -14265, 24310], [18538, 13871, 6439],
                          [7410, 10273, 10613]],
                         [[24039, -12834, 40963], [28712, 18126, 17951], [-4380, 14007, 25779],
                          [4588, 17881, 26832]]]]), modes=("full", "dims")),
    # The input's zero point is negative (0.0 is below its range): TF's reference kernel.
    Case("conv-same-stride-3-negative-zero-point", "QuantizedConv2D",
         lambda x, w: list(tf.nn.quantized_conv2d(x, w, 0.5, 2.0, -1.0, 1.0, [1, 3, 3, 1],
                                                  "SAME")), (X, W1),
         [_q(tf.qint32, [[[[-9171, 8206], [-13836, 13580]], [[-19425, 22397], [-11217, 9762]]]]),
          F(-99076.53125), F(99076.53125)], modes=("full", "dims")),
    Case("conv-same-stride-4", "QuantizedConv2D",
         lambda x, w: list(tf.nn.quantized_conv2d(x, w, -2.0, 2.0, -1.0, 1.0, [1, 4, 4, 1],
                                                  "SAME")), (X, W1),
         [_q(tf.qint32, [[[[-10881, 14324], [-6285, 8365]]]]), F(-264204.09375),
          F(264204.09375)], modes=("full", "dims")),
    # tf.raw_ops.QuantizedMatMul, a transposed, zero points 102 (a) and 0 (b, range [0.5, 4]).
    Case("matmul-transpose-a", "QuantizedMatMul",
         lambda a, b: list(tf.raw_ops.QuantizedMatMul(a=a, b=b, min_a=-2.0, max_a=3.0,
                                                      min_b=0.5, max_b=4.0, transpose_a=True)),
         (_q(tf.quint8, [[165, 158, 48], [189, 33, 52], [241, 252, 242], [2, 156, 36]]),
          _q(tf.quint8, [[90, 232], [172, 176], [59, 202], [182, 240]])),
         [_q(tf.qint32, [[17439, 40810], [18726, 50984], [-18292, -9968]]), F(-577946.4375),
          F(577946.4375)], modes=("full", "dims")),
    # tf.raw_ops.QuantizedBiasAdd: both into [-4 * 2**17, 4 * 2**17], then added.
    Case("bias-add", "QuantizedBiasAdd",
         lambda x, b: list(tf.raw_ops.QuantizedBiasAdd(input=x, bias=b, min_input=-2.0,
                                                       max_input=3.0, min_bias=0.5, max_bias=4.0,
                                                       out_type=tf.qint32)),
         (_q(tf.quint8, [[175, 30, 212, 86], [125, 146, 254, 121], [137, 106, 41, 233]]),
          _q(tf.quint8, [164, 105, 179, 27])),
         [_q(tf.qint32, [[17107, 2144, 20922, 2257], [13091, 11461, 24295, 5068],
                         [14055, 8248, 7188, 14063]]), F(-524288), F(524288)]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_names_shapes_and_no_gradients_as_in_tf(graph):
    x = tf.quantize(tf.ones([1, 4, 5, 2]), 0.0, 1.0, tf.quint8).output
    pooled = tf.nn.quantized_max_pool(x, 0.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
    avg = tf.nn.quantized_avg_pool(x, 0.0, 1.0, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="ap")
    conv = tf.nn.quantized_conv2d(x, tf.constant(W), 0.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME")
    assert (pooled.output.name, avg.max_output.name, conv.output.name) == (
        "QuantizedMaxPool:0", "ap:2", "QuantizedConv2D:0",
    )  # fmt: skip
    assert [t.shape.as_list() for t in (pooled.output, avg.output, conv.output)] == [
        [1, 4, 5, 2], [1, 2, 2, 2], [1, 4, 5, 3],
    ]  # fmt: skip
    assert conv.output.dtype == tf.qint32 and conv.min_output.shape.as_list() == []
    product = tf.raw_ops.QuantizedMatMul(
        a=tf.zeros([2, 3], tf.quint8), b=tf.zeros([3, 4], tf.quint8), min_a=tf.constant(0.0),
        max_a=1.0, min_b=0.0, max_b=1.0)  # fmt: skip
    assert product.out.shape.as_list() == [2, 4] and product.out.dtype == tf.qint32
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.raw_ops.QuantizedMatMul(a=tf.zeros([2, 3], tf.quint8), b=tf.zeros([2, 3], tf.quint8),
                                   min_a=0.0, max_a=1.0, min_b=0.0, max_b=1.0)  # fmt: skip
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.raw_ops.QuantizedBiasAdd(
            input=tf.zeros([2, 3], tf.quint8), bias=tf.zeros([2], tf.quint8), min_input=0.0,
            max_input=1.0, min_bias=0.0, max_bias=1.0, out_type=tf.qint32)  # fmt: skip
    for out in (conv, avg, pooled, product):
        low = out[1].op.inputs[-4 if out in (conv, product) else 1]
        match = f"No gradient defined for operation '{out[0].op.name}'"
        with pytest.raises(LookupError, match=match):
            tf.gradients(out[1], low)
