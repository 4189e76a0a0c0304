"""Tests for scopeflow/ops/array/fake_quant.py and quantize_dequantize.py (``tf.quantization``):
what they build (names, static shapes, gradient graphs), what they refuse, their kernels'
values and their gradients' values.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/quantization.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/quantization.py``. The values below are TF 2.21's for the same
inputs; the three fake quantization kernels were also compared with TF's bit for bit on 23,040
random values (40 random ranges, bit widths and narrow ranges). Fake quantization is a
staircase, so its gradients (TF's straight-through estimators) are checked against TF's
values, not finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.graph_checks import record_tests, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("quantization")
SETUP = setup_of(REFERENCE)
GROUPS = {**REFERENCE["groups"], "BUILD_ERRORS": REFERENCE["groups"]["ERRORS"]}
DIFFERENCES: dict = {}

test_builds, test_gradient_graphs, test_errors, test_every_difference_is_recorded = record_tests(
    GROUPS, DIFFERENCES
)

tq = tf.quantization
NAN = float("nan")
X = np.float32([-7, -6, -1.3, -0.02, 0, 0.0235, 0.5, 1.26, 3.3, 5.99, 6, 6.5, NAN])
G = np.arange(13, dtype=np.float32)
XC, GC = X[:12].reshape(4, 3), G[:12].reshape(4, 3)
LOW_C, HIGH_C = np.float32([-1, 0, 0.3]), np.float32([1, 5, 0.3])
Q = np.float32([-1.7, -1, -0.3, -0.02, 0, 0.0235, 0.5, 0.75, 1.26, 3.3])
S0, S1 = np.float32(-0.1), np.float32(1.3)

CASES = [
    Case("args", "FakeQuantWithMinMaxArgs", tq.fake_quant_with_min_max_args, (X,),
         np.float32([-6.0235295, -5.9764705, -1.3176471, 0, 0, 0, 0.5176471, 1.2705883,
                     3.2941177, 5.9764705, 5.9764705, 5.9764705, NAN]), 0),
    Case("args-narrow", "FakeQuantWithMinMaxArgs",
         lambda x: tq.fake_quant_with_min_max_args(x, -0.1, 1.3, 4, narrow_range=True), (X,),
         np.float32([-0.1] * 3 + [0] * 3 + [0.5] + [1.3000001] * 5 + [NAN]), 0, ("full",)),
    Case("args-positive-range", "FakeQuantWithMinMaxArgs",
         lambda x: tq.fake_quant_with_min_max_args(x, 0.5, 1.3, 4), (X,),
         np.float32([0] * 6 + [0.48] + [0.79999995] * 5 + [NAN]), 0, ("full",)),
    Case("args-gradient", "FakeQuantWithMinMaxArgsGradient",
         lambda g, x: tq.fake_quant_with_min_max_args_gradient(g, x, -0.1, 1.3, 4), (G, X),
         np.float32([0, 0, 0, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0]), 0),
    Case("args-empty-range", "FakeQuantWithMinMaxArgs",
         lambda x: tq.fake_quant_with_min_max_args(x, 1.0, 1.0), (X,),
         Raises(tf.errors.InvalidArgumentError, "min has to be smaller than max, was: 1 >= 1"),
         0, ("full",)),
    Case("args-num-bits", "FakeQuantWithMinMaxArgs",
         lambda x: tq.fake_quant_with_min_max_args(x, num_bits=1), (X,),
         Raises(tf.errors.InvalidArgumentError, "num_bits must be between 2 and 16, inclusive"),
         0, ("full",)),
    Case("vars", "FakeQuantWithMinMaxVars",
         lambda x, lo, hi: tq.fake_quant_with_min_max_vars(x, lo, hi, num_bits=4), (X, S0, S1),
         np.float32([-0.093333334] * 3 + [0] * 3 + [0.46666667] + [1.3066666] * 5 + [NAN]), 0),
    Case("vars-reversed-range", "FakeQuantWithMinMaxVars", tq.fake_quant_with_min_max_vars,
         (np.float32([-7, -6, 0.5]), np.float32(1.5), np.float32(0.5)), np.float32([1, 1, 1]), 0,
         ("full",)),
    Case("vars-empty-range", "FakeQuantWithMinMaxVars", tq.fake_quant_with_min_max_vars,
         (np.float32([-7, 0.5]), np.float32(0.5), np.float32(0.5)), np.float32([NAN, NAN]), 0,
         ("full",)),
    Case("vars-gradient", "FakeQuantWithMinMaxVarsGradient",
         lambda g, x, lo, hi: tq.fake_quant_with_min_max_vars_gradient(g, x, lo, hi, 4),
         (G, X, S0, S1),
         [np.float32([0, 0, 0, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0]), np.float32(3), np.float32(38)], 0),
    Case("per-channel", "FakeQuantWithMinMaxVarsPerChannel",
         lambda x, lo, hi: tq.fake_quant_with_min_max_vars_per_channel(x, lo, hi, num_bits=3),
         (XC, LOW_C, HIGH_C),
         np.float32([[-0.8571429, 0, NAN], [0, 0, NAN], [0.5714286, 1.4285715, NAN],
                     [1.1428572, 5, NAN]]), 0),
    Case("per-channel-gradient", "FakeQuantWithMinMaxVarsPerChannelGradient",
         lambda g, x, lo, hi: tq.fake_quant_with_min_max_vars_per_channel_gradient(
             g, x, lo, hi, num_bits=3), (GC, XC, LOW_C, HIGH_C),
         [np.float32([[0, 0, 0], [3, 4, 0], [6, 7, 0], [0, 0, 0]]), np.float32([0, 1, 2]),
          np.float32([9, 10, 24])], 0),
    Case("qdq-range-given", "QuantizeAndDequantizeV2",
         lambda x: tq.quantize_and_dequantize(x, -1.0, 1.0, range_given=True), (Q,),
         np.float32([-1.007874, -1, -0.2992126, -0.023622047, 0, 0.023622047, 0.503937,
                     0.7480315, 1, 1]), 0),
    Case("qdq-own-range", "QuantizeAndDequantizeV2",
         lambda x: tq.quantize_and_dequantize(x, -1.0, 1.0), (Q,),
         np.float32([-1.6889764, -0.98740155, -0.31181103, -0.025984252, 0, 0.025984252,
                     0.49370077, 0.7535433, 1.2472441, 3.3]), 0, ("full",)),
    Case("qdq-v2-half-up", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, -1.0, 1.0, range_given=True, num_bits=3,
                                                 round_mode="HALF_UP"), (Q,),
         np.float32([-1.3333334, -1, -0.33333334, 0, 0, 0, 0.6666667, 0.6666667, 1, 1]), 0),
    Case("qdq-v2-unsigned", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, -1.0, 1.0, signed_input=False, num_bits=3,
                                                 range_given=True, narrow_range=True), (Q,),
         np.float32([0] * 6 + [0.5714286, 0.71428573, 1, 1]), 0, ("full",)),
    Case("qdq-v2-narrow", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, -0.3, 2.0, range_given=True, num_bits=3,
                                                 narrow_range=True), (Q,),
         np.float32([-2, -1.3333334, -0.0, -0.0, 0, 0, 0.6666667, 0.6666667, 1.3333334, 2]), 0,
         ("full",)),
    Case("qdq-v2-axis", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, [-1.0, -2], [1.0, 0.5], num_bits=3, axis=1),
         (Q.reshape(5, 2),),
         np.float32([[-1.7, -1.1], [-0.425, -0.0], [0, 0], [0.425, 1.1], [1.2750001, 3.3000002]]),
         0, ("full", "dims")),
    Case("qdq-v2-axis-0", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, [0.0] * 5, [1.0] * 5, num_bits=3, axis=0),
         (Q.reshape(5, 2),),
         np.float32([[-1.7, -0.85], [-0.3, -0.0], [0, 0.0235], [0.5, 0.75], [1.1, 3.3000002]]),
         0, ("full",)),
    Case("qdq-v2-invalid-range", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, 1.0, -1.0, range_given=True), (Q,),
         Raises(tf.errors.InvalidArgumentError, "Invalid range: input_min 1 > input_max -1"),
         0, ("full",)),
    Case("qdq-v2-num-bits", "QuantizeAndDequantizeV4",
         lambda x: tq.quantize_and_dequantize_v2(x, -1.0, 1.0, num_bits=62), (Q,),
         Raises(tf.errors.InvalidArgumentError, "num_bits is out of range: 62 with signed_input_"),
         0, ("full",)),
    Case("qdq-v4-grad", "QuantizeAndDequantizeV4Grad",
         lambda g, x: tf.raw_ops.QuantizeAndDequantizeV4Grad(
             gradients=g, input=x, input_min=[-0.5, 0.0], input_max=[0.5, 1.0], axis=1),
         (np.ones((5, 2), np.float32), Q.reshape(5, 2)),
         [np.float32([[0, 0], [1, 0], [1, 1], [1, 1], [0, 0]]), np.float32([0, 0]),
          np.float32([0, 0])], 0, ("full",)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_fake_quant_gradients_are_tfs(run):
    x = tf.constant(X)
    low, high = tf.constant(S0), tf.constant(S1)
    w = tf.constant(G)
    args = tq.fake_quant_with_min_max_args(x, -0.1, 1.3, 4)
    var = tq.fake_quant_with_min_max_vars(x, low, high, 4)
    grads = tf.gradients(args, x, grad_ys=w) + tf.gradients(var, [x, low, high], grad_ys=w)
    xc, lc, hc = tf.constant(XC), tf.constant(LOW_C), tf.constant(HIGH_C)
    channel = tq.fake_quant_with_min_max_vars_per_channel(xc, lc, hc, num_bits=3)
    grads += tf.gradients(channel, [xc, lc, hc], grad_ys=tf.constant(GC))
    got = run(grads)
    inside = [0, 0, 0, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0]
    assert [g.tolist() for g in got[:4]] == [inside, inside, 3, 38]
    assert got[4].tolist() == [[0, 0, 0], [3, 4, 0], [6, 7, 0], [0, 0, 0]]
    assert [got[5].tolist(), got[6].tolist()] == [[0, 1, 2], [9, 10, 24]]


def test_quantize_and_dequantize_gradients_are_tfs(run):
    x = tf.constant(Q.reshape(5, 2))
    ones = tf.ones([5, 2])
    v1 = tq.quantize_and_dequantize(x, -0.5, 0.5, range_given=True)
    v2 = tq.quantize_and_dequantize_v2(x, [-0.5, 0.0], [0.5, 1.0], range_given=True, axis=-1)
    (straight,) = tf.gradients(v1, x, grad_ys=ones)
    masked = tf.gradients(v2, [x, *v2.op.inputs[1:]], grad_ys=ones)
    assert straight.op.type == "Identity" and masked[0].op.type == "QuantizeAndDequantizeV4Grad"
    got = run([straight, *masked])
    assert got[0].tolist() == np.ones((5, 2)).tolist()
    assert got[1].tolist() == [[0, 0], [1, 0], [1, 1], [1, 1], [0, 0]]
    assert [got[2].tolist(), got[3].tolist()] == [[0, 0], [0, 0]]


def test_the_gradient_ops_have_no_gradient_as_in_tf():
    x = tf.constant(XC)
    for y in (
        tq.fake_quant_with_min_max_args_gradient(x, x),
        tq.fake_quant_with_min_max_vars_gradient(x, x, 0.0, 1.0)[0],
        tq.fake_quant_with_min_max_vars_per_channel_gradient(x, x, [0.0] * 3, [1.0] * 3)[0],
        tf.gradients(tq.quantize_and_dequantize_v2(x, 0.0, 1.0), x)[0],
    ):
        with pytest.raises(LookupError, match="No gradient defined for operation"):
            tf.gradients(y, x)
