"""Depthwise convolutions (NHWC images, HWCM filters): each input channel convolved with
its own ``M`` filters, one multiply-add over all pixels per filter tap."""

from __future__ import annotations

import numpy as np

from scopeflow.ops.kernels.parallel import Threads
from scopeflow.ops.kernels.windows import (
    Pads,
    Pair,
    compute_dtype,
    in_chunks,
    output_size,
    pad_spatial,
    tap_view,
)


def depthwise_conv2d(
    x: np.ndarray, w: np.ndarray, strides: Pair, dilations: Pair, pads: Pads, *, threads: Threads
) -> np.ndarray:
    """``DepthwiseConv2dNative``: channel ``c`` of ``x`` with ``w[:, :, c, m]`` gives output
    channel ``c * M + m``; one multiply-add over all pixels per filter tap, in chunks of
    images over ``threads``."""
    out_dtype = x.dtype
    dtype = compute_dtype(out_dtype)
    x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
    n, h, wd, c = x.shape
    kh, kw, _, m = w.shape
    top, bottom, left, right = pads
    oh = output_size(h, kh, strides[0], dilations[0], top, bottom)
    ow = output_size(wd, kw, strides[1], dilations[1], left, right)
    out = np.empty((n, oh, ow, c, m), dtype)

    def chunk(a, b):
        xb = pad_spatial(x[a:b], pads)
        acc = out[a:b]
        acc[...] = 0
        for i in range(kh):
            for j in range(kw):
                acc += tap_view(xb, i, j, (oh, ow), strides, dilations)[..., None] * w[i, j]

    if out.size:
        in_chunks(chunk, n, oh * ow * c * m * dtype.itemsize, threads)
    return out.reshape(n, oh, ow, c * m).astype(out_dtype, copy=False)


def depthwise_backprop_input(
    dy: np.ndarray,
    w: np.ndarray,
    input_hw: Pair,
    strides: Pair,
    dilations: Pair,
    pads: Pads,
    *,
    threads: Threads,
) -> np.ndarray:
    """``DepthwiseConv2dNativeBackpropInput``: each filter tap's share of ``dy``
    (N, OH, OW, C * M) summed over the multiplier, added into the image in one strided add."""
    out_dtype = dy.dtype
    dtype = compute_dtype(out_dtype)
    dy, w = dy.astype(dtype, copy=False), w.astype(dtype, copy=False)
    n, oh, ow, _ = dy.shape
    kh, kw, c, m = w.shape
    (h, wd), (top, _, left, _) = input_hw, pads
    (sh, sw), (dh, dw) = strides, dilations
    ph = max(h + top, (oh - 1) * sh + (kh - 1) * dh + 1)
    pw = max(wd + left, (ow - 1) * sw + (kw - 1) * dw + 1)
    out = np.empty((n, h, wd, c), dtype)

    def chunk(a, b):
        grads = dy[a:b].reshape(b - a, oh, ow, c, m)
        image = np.zeros((b - a, ph, pw, c), dtype)
        for i in range(kh):
            for j in range(kw):
                tap = tap_view(image, i, j, (oh, ow), strides, dilations)
                if m == 1:
                    tap += grads[..., 0] * w[i, j, :, 0]
                else:
                    tap += np.einsum("...cm,cm->...c", grads, w[i, j])
        out[a:b] = image[:, top : top + h, left : left + wd]

    if out.size:
        in_chunks(chunk, n, max(ph * pw * c, oh * ow * c * m) * dtype.itemsize, threads)
    return out.astype(out_dtype, copy=False)


def depthwise_backprop_filter(
    x: np.ndarray, w_shape, dy: np.ndarray, strides: Pair, dilations: Pair, pads: Pads
) -> np.ndarray:
    """``DepthwiseConv2dNativeBackpropFilter``: tap ``(i, j)`` of the filter gradient is the
    per-channel dot product of the pixels that tap meets with ``dy``, over batch and pixels."""
    out_dtype = x.dtype
    dtype = compute_dtype(out_dtype)
    x, dy = x.astype(dtype, copy=False), dy.astype(dtype, copy=False)
    n, oh, ow, _ = dy.shape
    kh, kw, c, m = w_shape
    out = np.zeros((kh, kw, c, m), dtype)
    if x.size == 0 or dy.size == 0:
        return out.astype(out_dtype, copy=False)
    padded = pad_spatial(x, pads)
    # (C, pixels, M) per channel: one batched matrix product per tap.
    grads = np.ascontiguousarray(dy.reshape(-1, c, m).transpose(1, 0, 2))
    for i in range(kh):
        for j in range(kw):
            tap = tap_view(padded, i, j, (oh, ow), strides, dilations).reshape(-1, c)
            out[i, j] = np.matmul(tap.T[:, None, :], grads)[:, 0]
    return out.astype(out_dtype, copy=False)
