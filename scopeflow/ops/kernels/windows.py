"""Window arithmetic shared by convolutions and pooling (NHWC images): TF's SAME padding and
output sizes, padding, the view of the pixels one filter tap meets, im2col patches, the
dtype kernels compute in, and batch chunks over a kernel's threads."""

from __future__ import annotations

import numpy as np

from scopeflow.ops.kernels.parallel import Threads

# Pads are (top, bottom, left, right); strides and dilations are (height, width) pairs.
Pads = tuple[int, int, int, int]
Pair = tuple[int, int]

_CHUNK_BYTES = 1 << 21  # target size of one chunk's largest intermediate
_FIXED_PIECES = 8  # the fewest chunks of a batch cut the same way for every thread count


def compute_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype a kernel computes in: float64 and integers keep theirs, other floats
    (float16, bfloat16) widen to float32."""
    dtype = np.dtype(dtype)
    if dtype == np.float64 or dtype.kind in "iu":
        return dtype
    return np.dtype(np.float32)


def same_pads(size: int, k: int, stride: int, dilation: int) -> tuple[int, int]:
    """TF's SAME padding of one spatial dimension: (before, after), the extra one after."""
    effective = (k - 1) * dilation + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def output_size(size: int, k: int, stride: int, dilation: int, before: int, after: int) -> int:
    return (size + before + after - (k - 1) * dilation - 1) // stride + 1


def in_chunks(
    fn,
    n: int,
    per_item_bytes: int,
    threads: Threads,
    chunk_bytes: int | None = None,
    *,
    fixed: bool = False,
):
    """Calls ``fn(start, stop)`` over batch chunks of about ``chunk_bytes`` (default
    ``_CHUNK_BYTES``), on ``threads``. With ``fixed``, the chunks do not depend on the
    thread count (at least ``_FIXED_PIECES`` of them, for the threads to share): for kernels
    that sum over chunks, whose results then do not depend on it either."""
    budget = _CHUNK_BYTES if chunk_bytes is None else chunk_bytes
    chunk = max(1, min(n, budget // max(per_item_bytes, 1)))
    if fixed:
        chunk = max(1, min(chunk, -(-n // _FIXED_PIECES)))
    elif threads.count > 1 and n > 1:
        # Equal chunks, as many as a multiple of the threads: no thread idles at the end.
        count = -(-n // chunk)
        chunk = -(-n // (-(-count // threads.count) * threads.count))
    threads.run_spans(fn, [(a, min(a + chunk, n)) for a in range(0, n, chunk)])


def pad_spatial(x: np.ndarray, pads: Pads, value=0) -> np.ndarray:
    """``x`` (NHWC) padded - or cropped, for negative pads - along H and W."""
    top, bottom, left, right = pads
    if top < 0 or bottom < 0 or left < 0 or right < 0:
        h, w = x.shape[1], x.shape[2]
        x = x[:, max(-top, 0) : h - max(-bottom, 0), max(-left, 0) : w - max(-right, 0)]
        top, bottom, left, right = (max(p, 0) for p in pads)
    if not (top or bottom or left or right):
        return x
    widths = ((0, 0), (top, bottom), (left, right), (0, 0))
    return np.pad(x, widths, constant_values=value)


def tap_view(x: np.ndarray, i: int, j: int, out_hw: Pair, strides: Pair, dilations: Pair):
    """The pixels of padded ``x`` that filter tap ``(i, j)`` meets, one per output pixel."""
    (oh, ow), (sh, sw), (dh, dw) = out_hw, strides, dilations
    return x[:, i * dh : i * dh + sh * (oh - 1) + 1 : sh, j * dw : j * dw + sw * (ow - 1) + 1 : sw]


def patches(x: np.ndarray, k: Pair, out_hw: Pair, strides: Pair, dilations: Pair):
    """A read-only (N, OH, OW, KH, KW, C) view of padded ``x``: the patch each output pixel
    sees (copying it is im2col; for stride and dilation 1, runs of KW * C are contiguous)."""
    (kh, kw), (oh, ow), (sh, sw), (dh, dw) = k, out_hw, strides, dilations
    windows = np.lib.stride_tricks.sliding_window_view(
        x, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(1, 2)
    )
    windows = windows[:, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw, :, ::dh, ::dw]
    return windows.transpose(0, 1, 2, 4, 5, 3)
