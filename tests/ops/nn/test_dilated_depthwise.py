"""Dilated depthwise and separable convolutions and the dilated convolution layers, as TF1
builds them: ``DepthwiseConv2dNative`` (``Conv2D``) run VALID between ``SpaceToBatchND`` and
``BatchToSpaceND``, after the filter's ``Shape`` and the ``dilation_rate`` constants (TF 2.21's
records, ``tests/data/tf_reference/dilated_depthwise.json``, static and unknown spatial
sizes); values against a direct computation in NumPy and TF's numbers, gradients against
finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference

REFERENCE = tf_reference("dilated_depthwise")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}


@pytest.mark.filterwarnings("ignore:When dilation rate is greater than 1")  # TF's too
@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _dilated_depthwise(x, w, rate, padding):
    """out[b, i, j, c * m + k] = sum over (di, dj) of
    x[b, i + rate0 * di - pad, j + rate1 * dj - pad, c] * w[di, dj, c, k]."""
    kh, kw, c, m = w.shape
    eh, ew = (kh - 1) * rate[0] + 1, (kw - 1) * rate[1] + 1
    if padding == "SAME":
        ph, pw = eh - 1, ew - 1
        x = np.pad(x, [(0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)])
    oh, ow = x.shape[1] - eh + 1, x.shape[2] - ew + 1
    out = np.zeros((x.shape[0], oh, ow, c, m))
    for di in range(kh):
        for dj in range(kw):
            patch = x[:, di * rate[0] : di * rate[0] + oh, dj * rate[1] : dj * rate[1] + ow]
            out += patch[..., None] * w[di, dj]
    return out.reshape(x.shape[0], oh, ow, c * m)


# small integer inputs: TF 2.21's outputs are exact integers
X = (np.arange(40) % 7 - 3).astype(np.float32).reshape(1, 4, 5, 2)
DW = (np.arange(16) % 5 - 2).astype(np.float32).reshape(2, 2, 2, 2)
PW = (np.arange(12) % 3 - 1).astype(np.float32).reshape(1, 1, 4, 3)

TF_SAME_RATE_2_2 = [
    0, 2, 6, -6, 0, -3, -6, 3, 2, 3, -6, -3, -3, -5, 8, -2, -1, -2, 0, 0, -2, 0, -2, 2, 11, 7, 6,
    -1, 6, -7, 11, -5, -6, 0, -5, 5, -4, 1, -6, -6, 4, -3, 1, -4, -7, 7, -4, 7, -5, 0, -6, 3, 11,
    7, 6, -1, 0, -3, 2, 1, -4, 4, 1, 0, -6, -3, -1, -3, 8, -2, -3, -1, -6, 6, 2, 1, -4, -2, 0, 3,
]  # fmt: skip
TF_VALID_RATE_2_1 = [
    7, 9, 4, 3, 2, -5, 2, -1, 4, -5, 7, -5, -8, 2, -9, -2, 3, -5, 1, -3, -9, 9, -8, 7, 7, 9, 4,
    3, 2, -5, 2, -1,
]  # fmt: skip
TF_SEPARABLE = [
    -2, 0, 2, 6, 0, -6, 4, 0, -4, 2, 0, -2, 3, 0, -3, 2, 0, -2, -23, 0, 23, -5, 0, 5, 6, 0, -6,
    15, 0, -15, 2, 0, -2, -3, 0, 3, 8, 0, -8, -23, 0, 23, 0, 0, 0, -1, 0, 1, 13, 0, -13, -2, 0, 2,
    -3, 0, 3, 3, 0, -3,
]  # fmt: skip
# d sum(y * y) / d (x, depthwise filter, pointwise filter) of the separable convolution
TF_SEPARABLE_GRADS = [
    [
        -276, 92, -60, 28, 72, -116, 180, -80, 0, 24, -108, 84, 56, 24, -324, 104, -52, 68, -8,
        -92, 432, -328, 28, -56, -16, 136, -124, 160, -24, -12, 36, -36, -104, 96, 288, -276, -32,
        0, 92, 0,
    ],
    [-1036, -1036, -196, -196, 252, 252, 228, 228, 352, 352, -896, -896, 316, 316, 336, 336],
    [-1464, 0, 1464, -776, 0, 776, -1118, 0, 1118, -14, 0, 14],
]  # fmt: skip


def test_depthwise_rate_values_match_tf_and_numpy_over_unknown_sizes(graph):
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    same = tf.nn.depthwise_conv2d(x, tf.constant(DW), [1, 1, 1, 1], "SAME", rate=[2, 2])
    valid = tf.nn.depthwise_conv2d(x, tf.constant(DW), [1, 1, 1, 1], "VALID", rate=[2, 1])
    got_same, got_valid = tf.Session().run([same, valid], {x: X})
    assert got_same.ravel().tolist() == TF_SAME_RATE_2_2
    assert got_valid.shape == (1, 2, 4, 4)
    assert got_valid.ravel().tolist() == TF_VALID_RATE_2_1
    np.testing.assert_array_equal(got_same, _dilated_depthwise(X, DW, [2, 2], "SAME"))
    np.testing.assert_array_equal(got_valid, _dilated_depthwise(X, DW, [2, 1], "VALID"))


def test_separable_rate_values_and_gradients_match_tf(graph):
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    dw, pw = tf.constant(DW), tf.constant(PW)
    y = tf.nn.separable_conv2d(x, dw, pw, [1, 1, 1, 1], "SAME", rate=[2, 2])
    grads = tf.gradients(tf.reduce_sum(y * y), [x, dw, pw])
    got, *got_grads = tf.Session().run([y, *grads], {x: X})
    assert got.ravel().tolist() == TF_SEPARABLE
    want = np.einsum("bhwc,co->bhwo", _dilated_depthwise(X, DW, [2, 2], "SAME"), PW[0, 0])
    np.testing.assert_array_equal(got, want)
    assert [g.ravel().tolist() for g in got_grads] == TF_SEPARABLE_GRADS


def test_dilated_layer_values_equal_tf_nn_convolution(graph):
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    layer = tf.layers.Conv2D(3, 2, padding="same", dilation_rate=(2, 3), use_bias=False)
    y = layer(x)
    direct = tf.nn.conv2d(x, layer.kernel, [1, 1, 1, 1], "SAME", dilations=[1, 2, 3, 1])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, direct], {x: X})
    assert (y.op.name, y.op.type) == ("conv2d/Conv2D/BatchToSpaceND", "BatchToSpaceND")
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_depthwise_rate_with_an_unshaped_filter_and_same_padding_raises_not_implemented(graph):
    with pytest.raises(NotImplementedError, match="static shape"):
        tf.nn.depthwise_conv2d(
            tf.constant(X), tf.placeholder(tf.float32), [1, 1, 1, 1], "SAME", rate=[2, 2]
        )


RNG = np.random.default_rng(5)
XG = RNG.standard_normal((1, 5, 4, 2))
DWG = RNG.standard_normal((2, 2, 2, 2))

GRADIENTS = [
    GradCase(
        "depthwise_same_rate",
        lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME", rate=[2, 2]),
        (XG, DWG),
    ),
    GradCase(
        "depthwise_valid_unknown_sizes",
        lambda x, w: tf.nn.depthwise_conv2d(
            tf.placeholder_with_default(x, [None, None, None, 2]),
            w,
            [1, 1, 1, 1],
            "VALID",
            rate=[2, 1],
        ),
        (XG, DWG),
    ),
    GradCase(
        "separable_same_rate",
        lambda x, w, p: tf.nn.separable_conv2d(x, w, p, [1, 1, 1, 1], "SAME", rate=[1, 2]),
        (XG, DWG, RNG.standard_normal((1, 1, 4, 3))),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


# tf.layers.conv1d(padding="causal", dilation_rate=2) of SEQ with KERNEL and BIAS: TF 2.21's
# first 12 outputs (rounded to 5 places)
SEQ = np.sin(np.arange(54)).reshape(2, 9, 3).astype(np.float32)
KERNEL = np.cos(np.arange(36)).reshape(3, 3, 4).astype(np.float32)
BIAS = np.cos(np.arange(4)).astype(np.float32)
TF_CAUSAL_RATE_2 = [
    0.94855, -0.10124, -1.05795, -1.04199, 0.98841, 1.25904, 0.37212, -0.85693, 0.63963,
    -0.97085, -1.68873, -0.854,
]  # fmt: skip


def test_causal_dilated_conv1d_values_match_tf_and_numpy(graph):
    s = tf.placeholder(tf.float32, [None, None, 3])
    layer = tf.layers.Conv1D(4, 3, padding="causal", dilation_rate=2, name="c")
    y = layer(s)
    with tf.Session() as sess:
        sess.run([layer.kernel.assign(KERNEL), layer.bias.assign(BIAS)])
        got = sess.run(y, {s: SEQ})
    assert got.shape == (2, 9, 4)
    np.testing.assert_allclose(got.ravel()[:12], TF_CAUSAL_RATE_2, atol=1e-5)
    padded = np.pad(SEQ.astype(np.float64), [(0, 0), (4, 0), (0, 0)])
    want = sum(padded[:, 2 * k : 2 * k + 9] @ KERNEL[k] for k in range(3)) + BIAS
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert layer.padding == "causal"


# tf.nn.depthwise_conv2d(strides=[1, 2, 2, 1], rate=[2, 2]) of IMAGE with a filter of ones:
# TF 2.21 warns and strides inside the SpaceToBatchND blocks; its first 8 outputs (4 places)
IMAGE = np.sin(np.arange(2 * 7 * 7 * 3)).reshape(2, 7, 7, 3).astype(np.float32)
TF_STRIDED_RATE_SAME = [-1.9642, -0.2871, 1.654, 2.0744, 0.5876, -1.4394, -3.1988, -1.6926]


def test_depthwise_strides_with_rate_warn_and_compute_tfs_values(graph):
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    with pytest.warns(UserWarning, match="all values of strides must be 1"):
        y = tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 3, 1]), [1, 2, 2, 1], "SAME", rate=[2, 2])
    got = tf.Session().run(y, {x: IMAGE})
    assert got.shape == (2, 3, 3, 3)
    np.testing.assert_allclose(got.ravel()[:8], TF_STRIDED_RATE_SAME, atol=1e-4)


def test_explicit_pads_with_a_rate_are_the_base_paddings(graph):
    # TF 2.21: an explicit padding list with rate > 1 pads before SpaceToBatchND (the list's
    # spatial pairs as with_space_to_batch's base paddings), the depthwise op runs VALID
    x = tf.constant(np.arange(2 * 5 * 5 * 2, dtype=np.float32).reshape(2, 5, 5, 2))
    w = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 2, 2, 1))
    pads = [[0, 0], [1, 0], [0, 2], [0, 0]]
    y = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], pads, rate=[1, 2])
    assert y.shape.as_list() == [2, 5, 5, 2]
    assert graph.get_operation_by_name("depthwise").get_attr("padding") in ("VALID", b"VALID")
    with tf.Session() as sess:
        got = sess.run(y)
    first = [24, 40, 44, 64, 64, 88, 24, 35, 32, 45, 132, 176]  # TF's
    np.testing.assert_array_equal(got.ravel()[:12], first)
