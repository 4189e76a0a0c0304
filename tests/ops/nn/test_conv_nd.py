"""Tests for scopeflow/ops/nn/conv3d.py and conv_nd.py: ``Conv3D`` and its gradient ops
against a direct NumPy sum over windows, their gradients against finite differences, and
``tf.nn.conv1d`` / ``tf.nn.separable_conv2d`` (compositions of Conv2D and
DepthwiseConv2dNative, as TF1 builds them) against NumPy."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

RNG = np.random.default_rng(7)


def naive_conv3d(x, w, strides, padding):
    """Direct sum over each output voxel's window (TF's SAME: the extra pad after)."""
    pads = []
    for size, k, s in zip(x.shape[1:4], w.shape[:3], strides, strict=True):
        total = max((-(-size // s) - 1) * s + k - size, 0) if padding == "SAME" else 0
        pads.append((total // 2, total - total // 2))
    xp = np.pad(x.astype(np.float64), [(0, 0), *pads, (0, 0)])
    out = [(xp.shape[1 + i] - w.shape[i]) // strides[i] + 1 for i in range(3)]
    y = np.zeros((x.shape[0], *out, w.shape[4]))
    for d, h, v in itertools.product(*map(range, out)):
        patch = xp[
            :,
            d * strides[0] : d * strides[0] + w.shape[0],
            h * strides[1] : h * strides[1] + w.shape[1],
            v * strides[2] : v * strides[2] + w.shape[2],
        ]
        y[:, d, h, v] = np.tensordot(patch, w, axes=4)
    return y


X = RNG.standard_normal((2, 4, 5, 6, 3)).astype(np.float32)
W = RNG.standard_normal((2, 3, 2, 3, 4)).astype(np.float32)
STRIDES = [1, 1, 2, 2, 1]
DY = RNG.standard_normal((2, 4, 3, 3, 4)).astype(np.float32)


def _dx_reference(w, dy):
    """Conv3DBackpropInputV2's value: d sum(dy * conv3d(x, w)) / dx, one basis x at a time."""
    dx = np.zeros(X.shape)
    for idx in itertools.product(*map(range, X.shape[1:])):
        e = np.zeros((1, *X.shape[1:]))
        e[(0, *idx)] = 1.0
        dx[(slice(None), *idx)] = np.tensordot(dy, naive_conv3d(e, w, (1, 2, 2), "SAME")[0], 4)
    return dx


def _dw_reference(x, dy):
    """Conv3DBackpropFilterV2's value: d sum(dy * conv3d(x, w)) / dw."""
    dw = np.zeros(W.shape)
    for idx in itertools.product(*map(range, W.shape)):
        e = np.zeros(W.shape)
        e[idx] = 1.0
        dw[idx] = (dy * naive_conv3d(x, e, (1, 2, 2), "SAME")).sum()
    return dw


def _conv1d_reference(x, w, stride):
    """SAME 1-D convolution, directly."""
    total = max((-(-x.shape[1] // stride) - 1) * stride + w.shape[0] - x.shape[1], 0)
    xp = np.pad(x.astype(np.float64), [(0, 0), (total // 2, total - total // 2), (0, 0)])
    out = (xp.shape[1] - w.shape[0]) // stride + 1
    return np.stack(
        [np.tensordot(xp[:, i * stride : i * stride + w.shape[0]], w, 2) for i in range(out)], 1
    )


def _separable_reference(x, dw, pw):
    """VALID depthwise (multiplier 2) then 1x1 convolution, directly."""
    k = dw.shape[0]
    oh, ow = x.shape[1] - k + 1, x.shape[2] - k + 1
    depth = np.zeros((x.shape[0], oh, ow, x.shape[3], dw.shape[3]))
    for i, j in itertools.product(range(oh), range(ow)):
        patch = x[:, i : i + k, j : j + k].astype(np.float64)
        depth[:, i, j] = np.einsum("nhwc,hwcm->ncm", patch, dw)
    return depth.reshape(*depth.shape[:3], -1) @ pw[0, 0]


SEQ = RNG.standard_normal((2, 9, 3)).astype(np.float32)
W1 = RNG.standard_normal((3, 3, 4)).astype(np.float32)
IMG = RNG.standard_normal((2, 6, 5, 3)).astype(np.float32)
DW = RNG.standard_normal((3, 3, 3, 2)).astype(np.float32)
PW = RNG.standard_normal((1, 1, 6, 4)).astype(np.float32)

# fmt: off
CASES = [
    Case("conv3d-same", "Conv3D", lambda x, w: tf.nn.conv3d(x, w, STRIDES, "SAME"), (X, W),
         lambda x, w: naive_conv3d(x, w, (1, 2, 2), "SAME"), tolerance=1e-4),
    Case("conv3d-valid", "Conv3D", lambda x, w: tf.nn.conv3d(x, w, [1] * 5, "VALID"), (X, W),
         lambda x, w: naive_conv3d(x, w, (1, 1, 1), "VALID"), tolerance=1e-4),
    Case("conv3d-transpose", "Conv3DBackpropInputV2",
         lambda w, dy: tf.nn.conv3d_transpose(dy, w, list(X.shape), STRIDES, "SAME"), (W, DY),
         _dx_reference, tolerance=1e-4),
    Case("conv3d-backprop-filter", "Conv3DBackpropFilterV2",
         lambda x, dy: tf.nn.conv3d_backprop_filter_v2(x, list(W.shape), dy, STRIDES, "SAME"),
         (X, DY), _dw_reference, tolerance=1e-3),
    Case("conv1d", "Squeeze", lambda x, w: tf.nn.conv1d(x, w, 2, "SAME"), (SEQ, W1),
         lambda x, w: _conv1d_reference(x, w, 2), tolerance=1e-4),
    Case("separable-conv2d", "Conv2D",
         lambda x, d, p: tf.nn.separable_conv2d(x, d, p, [1, 1, 1, 1], "VALID"), (IMG, DW, PW),
         _separable_reference, tolerance=1e-4),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def _small(*shape):
    return RNG.standard_normal(shape)


# fmt: off
GRAD_CASES = [
    GradCase("conv3d", lambda x, w: tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME"),
             (_small(1, 3, 4, 3, 2), _small(2, 2, 2, 2, 3))),
    GradCase("conv3d-transpose",
             lambda w, dy: tf.nn.conv3d_transpose(dy, w, [1, 3, 4, 3, 2], [1, 1, 2, 1, 1]),
             (_small(2, 2, 2, 2, 3), _small(1, 3, 2, 3, 3))),
    GradCase("conv3d-backprop-filter",
             lambda x, dy: tf.nn.conv3d_backprop_filter_v2(
                 x, [2, 2, 2, 2, 3], dy, [1, 1, 2, 1, 1], "SAME"),
             (_small(1, 3, 4, 3, 2), _small(1, 3, 2, 3, 3))),
    GradCase("conv1d", lambda x, w: tf.nn.conv1d(x, w, 1, "VALID"),
             (_small(2, 5, 2), _small(2, 2, 3))),
    GradCase("separable-conv2d",
             lambda x, d, p: tf.nn.separable_conv2d(x, d, p, [1, 1, 1, 1], "SAME"),
             (_small(1, 4, 4, 2), _small(2, 2, 2, 2), _small(1, 1, 4, 3))),
]
# fmt: on


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_match_finite_differences(case):
    check_gradient_case(case)


def test_conv1d_builds_tf1s_ops(graph):
    y = tf.nn.conv1d(tf.zeros([2, 9, 3]), tf.ones([3, 3, 4]), 1, "SAME")
    types = [(op.name, op.type) for op in graph.get_operations() if "conv1d" in op.name]
    assert types == [
        ("conv1d/ExpandDims/dim", "Const"),
        ("conv1d/ExpandDims", "ExpandDims"),
        ("conv1d/ExpandDims_1/dim", "Const"),
        ("conv1d/ExpandDims_1", "ExpandDims"),
        ("conv1d", "Conv2D"),
        ("conv1d/Squeeze", "Squeeze"),
    ]
    assert y.shape.as_list() == [2, 9, 4]


def test_conv3d_errors_name_the_shapes(graph):
    with pytest.raises(ValueError, match="Depth of input"):
        tf.nn.conv3d(tf.zeros([1, 4, 4, 4, 3]), tf.zeros([2, 2, 2, 2, 5]), [1] * 5, "SAME")
    with pytest.raises(NotImplementedError, match="NDHWC"):
        tf.nn.conv3d(tf.zeros([1, 3, 4, 4, 4]), tf.zeros([2, 2, 2, 3, 5]), [1] * 5, "SAME",
                     data_format="NCDHW")  # fmt: skip
