"""Kernels of the gradient op types of scopeflow/ops/conv_ops.py, depthwise_ops.py,
pooling_ops.py, activation_ops.py and nn_ops.py against loop references written here: the
filter gradient of conv2d by every algorithm (1x1 matmul, im2col GEMM, FFT) over strides,
paddings, dilations and groups; depthwise gradients; max pooling's gradient routed to the
first maximum of each window (TF's tie rule); average pooling's shares; the element-wise
activation gradients and the bias gradient; run-time shape errors.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import conv as algo
from scopeflow.ops.kernels import im2col
from scopeflow.ops.kernels.parallel import Threads
from tests.ops.kernel_table import Case, cases_by_mode, check_case
from tests.ops.nn.test_conv import (
    ALGORITHMS,
    force_algorithm,
    naive_conv_transpose,
    pads_of,
)

RNG = np.random.default_rng(5)
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def raw(op_type: str, *inputs, **attrs):
    """The first output of an op of ``op_type`` added as it is (no public function)."""
    inputs = [tf.convert_to_tensor(t) for t in inputs]
    return tf.get_default_graph().create_op(op_type, inputs, attrs).outputs[0]


# -- loop references --------------------------------------------------------------------------


def out_size(size, k, stride, dilation, before, after):
    return (size + before + after - (k - 1) * dilation - 1) // stride + 1


def tap_pixels(xp, i, j, out_hw, strides, dilations):
    (oh, ow), (sh, sw), (dh, dw) = out_hw, strides, dilations
    return xp[:, i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]


def naive_filter_grad(x, k, dy, strides, dilations, padding, groups=1):
    n, h, w, c = x.shape
    o = dy.shape[3]
    pt, pb, pl, pr = pads_of(padding, h, w, *k, strides, dilations)
    xp = np.pad(x.astype(np.float64), ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    kc, og = c // groups, o // groups
    out = np.zeros((*k, kc, o))
    for i, j, g in itertools.product(range(k[0]), range(k[1]), range(groups)):
        pixels = tap_pixels(xp, i, j, dy.shape[1:3], strides, dilations)[..., g * kc : (g + 1) * kc]
        out[i, j, :, g * og : (g + 1) * og] = np.einsum(
            "nyxc,nyxo->co", pixels, dy[..., g * og : (g + 1) * og]
        )
    return out


def naive_depthwise_grads(x, w, dy, strides, dilations, padding):
    """(input gradient, filter gradient) of a depthwise convolution, tap by tap."""
    n, h, wd, c = x.shape
    kh, kw, _, m = w.shape
    pt, pb, pl, pr = pads_of(padding, h, wd, kh, kw, strides, dilations)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    grads = dy.reshape(*dy.shape[:3], c, m)
    for i, j in itertools.product(range(kh), range(kw)):
        dw[i, j] = np.einsum("nyxc,nyxcm->cm", tap_pixels(xp, i, j, dy.shape[1:3], strides,
                                                          dilations), grads)  # fmt: skip
        tap_pixels(dxp, i, j, dy.shape[1:3], strides, dilations)[...] += np.einsum(
            "nyxcm,cm->nyxc", grads, w[i, j]
        )
    return dxp[:, pt : pt + h, pl : pl + wd], dw


def naive_max_pool_grads(x, g, ksize, strides, padding, gg=None):
    """MaxPoolGrad (each window's gradient to its first maximum in scan order) and, given the
    input-shaped ``gg``, MaxPoolGradGrad (each window's ``gg`` at that maximum)."""
    n, h, w, c = x.shape
    pt, pb, pl, pr = pads_of(padding, h, w, *ksize, strides, (1, 1))
    oh = out_size(h, ksize[0], strides[0], 1, pt, pb)
    ow = out_size(w, ksize[1], strides[1], 1, pl, pr)
    dx = np.zeros(x.shape)
    ggy = np.zeros((n, oh, ow, c))
    for b, y, z, ch in itertools.product(range(n), range(oh), range(ow), range(c)):
        best = None
        for i, j in itertools.product(range(ksize[0]), range(ksize[1])):
            r, q = y * strides[0] + i - pt, z * strides[1] + j - pl
            inside = 0 <= r < h and 0 <= q < w
            if inside and (best is None or x[b, r, q, ch] > x[b, best[0], best[1], ch]):
                best = (r, q)
        dx[b, best[0], best[1], ch] += g[b, y, z, ch]
        if gg is not None:
            ggy[b, y, z, ch] = gg[b, best[0], best[1], ch]
    return dx, ggy


def naive_avg_pool_grad(x_shape, g, ksize, strides, padding):
    n, h, w, c = x_shape
    pt, pb, pl, pr = pads_of(padding, h, w, *ksize, strides, (1, 1))
    dx = np.zeros(x_shape)
    for y, z in itertools.product(range(g.shape[1]), range(g.shape[2])):
        r0, c0 = y * strides[0] - pt, z * strides[1] - pl
        rows = slice(max(r0, 0), min(r0 + ksize[0], h))
        cols = slice(max(c0, 0), min(c0 + ksize[1], w))
        count = (rows.stop - rows.start) * (cols.stop - cols.start)
        dx[:, rows, cols] += g[:, y : y + 1, z : z + 1] / count
    return dx


# -- Conv2DBackpropFilter: every algorithm ---------------------------------------------------

PADDINGS = ["SAME", "VALID", [[0, 0], [2, 0], [1, 3], [0, 0]]]
FILTER_GRID = [
    # (filter hw, strides, dilations): 1x1 -> matmul; strided/small -> GEMM; larger -> FFT
    ((1, 1), (1, 1), (1, 1)),
    ((1, 1), (2, 3), (1, 1)),
    ((3, 3), (1, 1), (1, 1)),
    ((3, 3), (2, 2), (1, 1)),
    ((3, 2), (1, 1), (2, 3)),
    ((5, 5), (1, 1), (1, 1)),
    ((7, 4), (1, 1), (1, 1)),
    ((4, 4), (2, 1), (2, 2)),
]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize(("k", "strides", "dilations"), FILTER_GRID)
@pytest.mark.parametrize("padding", PADDINGS, ids=["SAME", "VALID", "EXPLICIT"])
def test_conv2d_backprop_filter_matches_naive_reference(
    run, monkeypatch, algorithm, k, strides, dilations, padding
):
    if algorithm != "chosen":
        force_algorithm(monkeypatch, algorithm)
    x = RNG.standard_normal((2, 11, 10, 3))
    pads = pads_of(padding, 11, 10, *k, strides, dilations)
    out_hw = [out_size(s, k[i], strides[i], dilations[i], *pads[2 * i : 2 * i + 2])
              for i, s in enumerate((11, 10))]  # fmt: skip
    dy = RNG.standard_normal((2, *out_hw, 4))
    xs = tf.placeholder(tf.float64, [None, None, None, 3])
    dw = tf.nn.conv2d_backprop_filter(xs, [*k, 3, 4], dy, [1, *strides, 1], padding,
                                      dilations=[1, *dilations, 1])  # fmt: skip
    assert dw.shape.as_list() == [*k, 3, 4]
    expected = naive_filter_grad(x, k, dy, strides, dilations, padding)
    np.testing.assert_allclose(run(dw, {xs: x}), expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("algorithm", ["gemm", "fft", "spectral", "winograd"])
def test_conv2d_backprop_filter_groups(run, monkeypatch, algorithm):
    force_algorithm(monkeypatch, algorithm)
    x = RNG.standard_normal((2, 7, 7, 6))
    dy = RNG.standard_normal((2, 7, 7, 9))  # 3 groups of 2 input and 3 output channels
    dw = tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 9], dy, 1, "SAME")
    expected = naive_filter_grad(x, (3, 3), dy, (1, 1), (1, 1), "SAME", groups=3)
    np.testing.assert_allclose(run(dw), expected, atol=1e-9)


def test_conv2d_backprop_input_groups(run):
    dy = RNG.standard_normal((2, 4, 4, 6))
    w = RNG.standard_normal((3, 3, 2, 6))  # 2 groups of 2 input and 3 output channels
    dx = tf.nn.conv2d_backprop_input([2, 7, 7, 4], w, dy, 2, "SAME")
    expected = np.concatenate(
        [naive_conv_transpose(dy[..., 3 * g : 3 * g + 3], w[..., 3 * g : 3 * g + 3], (7, 7),
                              (2, 2), (1, 1), "SAME") for g in range(2)], axis=3)  # fmt: skip
    np.testing.assert_allclose(run(dx), expected, atol=1e-9)


def test_conv2d_backprop_filter_one_input_channel_by_taps(run, monkeypatch):
    monkeypatch.setattr(im2col, "_FILTER_CHUNK_BYTES", 3000)  # several blocks of images
    force_algorithm(monkeypatch, "gemm")
    x = RNG.standard_normal((5, 9, 8, 1))
    for k, strides, dilations in (((5, 5), (1, 1), (1, 1)), ((3, 2), (2, 1), (1, 2))):
        for padding in PADDINGS:
            pads = pads_of(padding, 9, 8, *k, strides, dilations)
            out_hw = [out_size(s, k[i], strides[i], dilations[i], *pads[2 * i : 2 * i + 2])
                      for i, s in enumerate((9, 8))]  # fmt: skip
            dy = RNG.standard_normal((5, *out_hw, 3))
            dw = tf.nn.conv2d_backprop_filter(x, [*k, 1, 3], dy, [1, *strides, 1], padding,
                                              dilations=[1, *dilations, 1])  # fmt: skip
            expected = naive_filter_grad(x, k, dy, strides, dilations, padding)
            np.testing.assert_allclose(run(dw), expected, atol=1e-9)


def test_conv2d_backprop_filter_chunks_large_images_by_rows(run, monkeypatch):
    monkeypatch.setattr(im2col, "_CHUNK_BYTES", 2000)  # forces row blocks and batch chunks
    force_algorithm(monkeypatch, "gemm")
    x = RNG.standard_normal((3, 9, 10, 4))
    for k, strides in (((3, 3), (2, 1)), ((6, 6), (1, 1))):
        dy = RNG.standard_normal((3, -(-9 // strides[0]), -(-10 // strides[1]), 5))
        dw = tf.nn.conv2d_backprop_filter(x, [*k, 4, 5], dy, [1, *strides, 1], "SAME")
        expected = naive_filter_grad(x, k, dy, strides, (1, 1), "SAME")
        np.testing.assert_allclose(run(dw), expected, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float16, np.float32])
@pytest.mark.parametrize("k", [1, 3, 5])
def test_conv2d_backprop_filter_float_dtypes(run, dtype, k):
    # 5x5 over 16 channels takes the FFT in float32 (complex64).
    x = RNG.standard_normal((4, 12, 12, 16)).astype(dtype)
    dy = RNG.standard_normal((4, 12, 12, 8)).astype(dtype)
    value = run(tf.nn.conv2d_backprop_filter(x, [k, k, 16, 8], dy, 1, "SAME"))
    assert value.dtype == dtype
    expected = naive_filter_grad(x.astype(np.float64), (k, k), dy.astype(np.float64), (1, 1),
                                 (1, 1), "SAME")  # fmt: skip
    tolerance = {np.float16: 5e-2, np.float32: 1e-3}[dtype]
    scale = np.abs(expected).max()
    np.testing.assert_allclose(value / scale, expected / scale, atol=tolerance)


def test_backprop_filter_of_the_train_cnn_shapes_picks_the_forward_algorithm():
    # The filter gradient costs what the forward convolution of the same shapes costs.
    pads = (2, 2, 2, 2)
    assert algo.conv2d_algorithm((64, 28, 28, 1), (5, 5, 1, 32), (1, 1), (1, 1), pads,
                                 np.float32) == "gemm"  # fmt: skip
    x = RNG.standard_normal((3, 8, 8, 2)).astype(np.float32)
    dy = RNG.standard_normal((3, 8, 8, 4)).astype(np.float32)
    got = algo.conv2d_backprop_filter(x, (5, 5, 2, 4), dy, (1, 1), (1, 1), pads, threads=Threads(1))
    want = naive_filter_grad(x, (5, 5), dy, (1, 1), (1, 1), "SAME")
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_conv2d_backprop_filter_static_shapes(graph):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    dy = tf.placeholder(tf.float32, [None, 8, 8, 4])
    sizes = tf.placeholder(tf.int32, [4])
    assert tf.nn.conv2d_backprop_filter(x, sizes, dy, 1, "SAME").shape.ndims == 4
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 5], dy, 1, "SAME")
    with pytest.raises(ValueError, match="4 values"):
        tf.nn.conv2d_backprop_filter(x, [3, 3, 3], dy, 1, "SAME")
    with pytest.raises(TypeError, match="int32"):
        tf.nn.conv2d_backprop_filter(tf.cast(x, tf.int32), [3, 3, 3, 4], tf.cast(dy, tf.int32),
                                     1, "SAME")  # fmt: skip


def test_conv2d_backprop_filter_run_time_errors(run):
    x = tf.placeholder(tf.float32, [None, None, None, None])
    dy = tf.placeholder(tf.float32, [None, None, None, None])
    dw = tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 4], dy, 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="doesn't match"):
        run(dw, {x: np.ones((1, 6, 6, 3)), dy: np.ones((1, 6, 6, 4))})
    with pytest.raises(tf.errors.InvalidArgumentError, match="disagree"):
        run(dw, {x: np.ones((1, 6, 6, 2)), dy: np.ones((1, 4, 4, 4))})


# -- depthwise gradients ----------------------------------------------------------------------

DEPTHWISE_GRID = [
    # (filter hw, strides, dilations, padding)
    ((3, 3), (1, 1), (1, 1), "SAME"),
    ((3, 3), (2, 2), (1, 1), "SAME"),
    ((2, 3), (1, 2), (1, 1), "VALID"),
    ((3, 2), (1, 1), (2, 2), "VALID"),
    ((3, 3), (2, 1), (1, 1), [[0, 0], [1, 2], [0, 1], [0, 0]]),
]


@pytest.mark.parametrize("multiplier", [1, 2])
@pytest.mark.parametrize(("k", "strides", "dilations", "padding"), DEPTHWISE_GRID)
def test_depthwise_gradients_match_naive_reference(run, multiplier, k, strides, dilations,
                                                   padding):  # fmt: skip
    x = RNG.standard_normal((2, 7, 8, 3))
    w = RNG.standard_normal((*k, 3, multiplier))
    pads = pads_of(padding, 7, 8, *k, strides, dilations)
    out_hw = [out_size(s, k[i], strides[i], dilations[i], *pads[2 * i : 2 * i + 2])
              for i, s in enumerate((7, 8))]  # fmt: skip
    dy = RNG.standard_normal((2, *out_hw, 3 * multiplier))
    kwargs = {"strides": [1, *strides, 1], "padding": padding, "dilations": [1, *dilations, 1]}
    dx = tf.nn.depthwise_conv2d_native_backprop_input([2, 7, 8, 3], w, dy, **kwargs)
    dw = tf.nn.depthwise_conv2d_native_backprop_filter(x, list(w.shape), dy, **kwargs)
    assert dx.shape.as_list() == [2, 7, 8, 3] and dw.shape.as_list() == list(w.shape)
    want_dx, want_dw = naive_depthwise_grads(x, w, dy, strides, dilations, padding)
    got_dx, got_dw = run([dx, dw])
    np.testing.assert_allclose(got_dx, want_dx, atol=1e-9)
    np.testing.assert_allclose(got_dw, want_dw, atol=1e-9)


def test_depthwise_gradient_run_time_errors(run):
    sizes = tf.placeholder(tf.int32, [4])
    dx = tf.nn.depthwise_conv2d_native_backprop_input(sizes, np.ones((3, 3, 2, 1)),
                                                      np.ones((1, 4, 4, 2)), 1, "SAME")  # fmt: skip
    assert run(dx, {sizes: [1, 4, 4, 2]}).shape == (1, 4, 4, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="doesn't match"):
        run(dx, {sizes: [1, 5, 4, 2]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="disagree"):
        run(dx, {sizes: [1, 4, 4, 3]})


# -- pooling gradients ------------------------------------------------------------------------

POOL_GRID = [
    # (window, strides, padding)
    ((2, 2), (2, 2), "SAME"),
    ((2, 2), (2, 2), "VALID"),
    ((3, 3), (2, 2), "SAME"),  # overlapping windows
    ((3, 2), (1, 1), "VALID"),
    ((2, 3), (3, 2), "SAME"),  # gaps between windows
    ((2, 3), (1, 2), [[0, 0], [1, 0], [0, 2], [0, 0]]),
]


@pytest.mark.parametrize(("ksize", "strides", "padding"), POOL_GRID)
def test_max_pool_gradients_match_naive_reference(run, ksize, strides, padding):
    # Small integers: many ties, resolved to the first maximum of each window.
    x = RNG.integers(0, 4, (2, 7, 6, 3)).astype(np.float64)
    xs = tf.placeholder(tf.float64, [None, None, None, 3])
    y = tf.nn.max_pool(xs, [1, *ksize, 1], [1, *strides, 1], padding)
    g = RNG.standard_normal(run(y, {xs: x}).shape)
    gg = RNG.standard_normal(x.shape)
    dx = tf.gradients(y, xs, g)[0]
    grad_of_grad = raw("MaxPoolGradGrad", xs, y, gg, **y.op._attrs)
    assert dx.op.type == "MaxPoolGrad"
    want_dx, want_ggy = naive_max_pool_grads(x, g, ksize, strides, padding, gg)
    got_dx, got_ggy = run([dx, grad_of_grad], {xs: x})
    np.testing.assert_allclose(got_dx, want_dx, atol=1e-12)
    np.testing.assert_allclose(got_ggy, want_ggy, atol=1e-12)


@pytest.mark.parametrize(("ksize", "strides", "padding"), [c for c in POOL_GRID
                                                           if isinstance(c[2], str)])  # fmt: skip
def test_avg_pool_gradient_matches_naive_reference(run, ksize, strides, padding):
    x = RNG.standard_normal((2, 7, 6, 3))
    y = tf.nn.avg_pool(x, [1, *ksize, 1], [1, *strides, 1], padding)
    g = RNG.standard_normal(y.shape.as_list())
    dx = raw("AvgPoolGrad", np.int32(x.shape), g, **y.op._attrs)
    assert dx.shape.as_list() == list(x.shape)
    np.testing.assert_allclose(run(dx), naive_avg_pool_grad(x.shape, g, ksize, strides, padding),
                               atol=1e-12)  # fmt: skip


def test_pooling_gradients_keep_float16(run):
    x = RNG.permutation(32).reshape(1, 4, 4, 2).astype(np.float16)
    g = np.ones((1, 2, 2, 2), np.float16)
    xt = tf.constant(x)
    dmax = tf.gradients(tf.nn.max_pool(xt, 2, 2, "VALID"), xt, g)[0]
    davg = tf.gradients(tf.nn.avg_pool(xt, 2, 2, "VALID"), xt, g)[0]
    got_max, got_avg = run([dmax, davg])
    assert got_max.dtype == got_avg.dtype == np.float16
    assert got_max.sum() == 8 and np.all(got_avg == np.float16(0.25))


def test_pooling_gradient_run_time_errors(run):
    x = tf.placeholder(tf.float32, [None, None, None, 1])
    g = tf.placeholder(tf.float32, [None, None, None, 1])
    y = tf.nn.max_pool(x, 2, 2, "VALID")
    dx = raw("MaxPoolGrad", x, y, g, **y.op._attrs)
    with pytest.raises(tf.errors.InvalidArgumentError, match="grad of shape"):
        run(dx, {x: np.ones((1, 4, 4, 1)), g: np.ones((1, 3, 3, 1))})
    avg = raw("AvgPoolGrad", [1, 4, 4, 1], g, **tf.nn.avg_pool(x, 2, 2, "VALID").op._attrs)
    with pytest.raises(tf.errors.InvalidArgumentError, match="grad of shape"):
        run(avg, {g: np.ones((1, 3, 3, 1))})


# -- element-wise gradient ops and BiasAddGrad (the shared kernel table) ----------------------

G = RNG.standard_normal((3, 5)).astype(np.float32)
F = np.float32([[-3, -0.5, 0, 0.5, 3]] * 3) * np.float32([[1], [2], [4]])  # 0 and 6 included
Y_ELU = np.where(F > 0, F, np.expm1(np.minimum(F, 0))).astype(np.float32)
Y_SELU = (SELU_SCALE * np.where(F > 0, F, SELU_ALPHA * np.expm1(np.minimum(F, 0)))).astype(
    np.float32
)
BIG = RNG.standard_normal((4, 3, 2, 5)).astype(np.float32)

# fmt: off
CASES = [
    Case("relu-grad", "ReluGrad", lambda g, x: raw("ReluGrad", g, x), (G, F),
         lambda g, x: g * (x > 0)),
    Case("relu-grad-int", "ReluGrad", lambda g, x: raw("ReluGrad", g, x),
         (np.int32([1, 2, 3]), np.int32([-1, 0, 2])), lambda g, x: np.int32([0, 0, 3])),
    Case("relu6-grad", "Relu6Grad", lambda g, x: raw("Relu6Grad", g, x), (G, F),
         lambda g, x: g * ((x > 0) & (x < 6))),
    Case("elu-grad", "EluGrad", lambda g, y: raw("EluGrad", g, y), (G, Y_ELU),
         lambda g, y: np.where(y > 0, g, g * (y + 1)), tolerance=1e-6),
    Case("selu-grad", "SeluGrad", lambda g, y: raw("SeluGrad", g, y), (G, Y_SELU),
         lambda g, y: np.where(y < 0, g * (y + SELU_SCALE * SELU_ALPHA), g * SELU_SCALE),
         tolerance=1e-6),
    Case("softsign-grad", "SoftsignGrad", lambda g, x: raw("SoftsignGrad", g, x), (G, F),
         lambda g, x: g / (1 + np.abs(x)) ** 2, tolerance=1e-6),
    Case("leaky-relu-grad", "LeakyReluGrad", lambda g, x: raw("LeakyReluGrad", g, x, alpha=0.25),
         (G, F), lambda g, x: np.where(x > 0, g, 0.25 * g)),
    Case("relu-grad-f16", "ReluGrad", lambda g, x: raw("ReluGrad", g, x),
         (G.astype(np.float16), F.astype(np.float16)),
         lambda g, x: (g * (x > 0)).astype(np.float16)),
    Case("bias-add-grad", "BiasAddGrad", lambda g: raw("BiasAddGrad", g, data_format="NHWC"),
         (BIG,), lambda g: g.astype(np.float64).sum(axis=(0, 1, 2)).astype(np.float32),
         tolerance=1e-5),
    Case("bias-add-grad-2d", "BiasAddGrad", lambda g: raw("BiasAddGrad", g, data_format="NHWC"),
         (RNG.standard_normal((6, 3)),), lambda g: g.sum(axis=0), tolerance=1e-12),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_activation_gradient_shape_errors(run):
    with pytest.raises(ValueError, match="Dimension 1 in both shapes must be equal"):
        raw("ReluGrad", np.ones((2, 3), np.float32), np.ones((2, 4), np.float32))
    with pytest.raises(TypeError, match="does not match type"):
        raw("ReluGrad", np.ones(2, np.float32), np.ones(2))
    g, x = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    with pytest.raises(  # TF 2.21's words, as for ReluGrad
        tf.errors.InvalidArgumentError,
        match=re.escape("must have the same size and shape.  Input 0: [3] != input 1: [2]"),
    ):
        run(raw("EluGrad", g, x), {g: np.ones(3), x: np.ones(2)})
