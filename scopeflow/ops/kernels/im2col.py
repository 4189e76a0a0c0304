"""GEMM convolutions over im2col patches, block by block on the kernel's threads.

The patches of a convolution (one row of KH * KW * C values per output pixel) are built in
blocks of about ``_CHUNK_BYTES`` - whole images per block, or rows of one image for large
images - so that each block is still in cache when BLAS multiplies it. Blocks do not depend
on each other: each pads the input rows it reads, copies its patches and ends in one matrix
product, and the blocks go one at a time to whichever of ``threads`` is free (NumPy and
BLAS release the GIL). How
the work is cut does not depend on the thread count, and the filter gradient adds the
blocks' products in block order, so the values are the same bit for bit on any number of
threads.

One input channel (a first layer on grey images) takes the patches tap by tap instead: each
tap's pixels are whole output rows, where a patch row would be runs of KW single pixels.
"""

from __future__ import annotations

import numpy as np

from scopeflow.ops.kernels import workspace
from scopeflow.ops.kernels.parallel import Threads, run_claimed
from scopeflow.ops.kernels.windows import (
    _CHUNK_BYTES,
    Pads,
    Pair,
    output_size,
    pad_spatial,
    patches,
    tap_view,
)

# The filter gradient's chunks are larger: each ends in a matrix product over its images.
_FILTER_CHUNK_BYTES = 1 << 23
# Inputs up to this size are padded once, whole, before their blocks are cut (one copy);
# larger ones are padded block by block, so that no second copy of the whole input exists.
# Padding each block of a ResNet's [32, 32, 32, 16] input on its own cost more than its GEMM's
# patches (np.pad's bookkeeping, 11 blocks: 1.0 ms against 0.25 ms for one pad).
_WHOLE_PAD_BYTES = 1 << 26


def _blocks(n: int, oh: int, row_bytes: int) -> list[tuple[int, int, int, int]]:
    """The blocks of an (N, OH) grid of output rows, as (first image, last image + 1, first
    row, last row + 1): whole images while an image's patches fit in ``_CHUNK_BYTES``, rows
    of one image otherwise."""
    rows = max(1, _CHUNK_BYTES // row_bytes)
    if rows >= oh:
        step = max(1, rows // oh)
        return [(a, min(a + step, n), 0, oh) for a in range(0, n, step)]
    return [(a, a + 1, r, min(r + rows, oh)) for a in range(n) for r in range(0, oh, rows)]


def _padded_rows(x: np.ndarray, images: slice, start: int, stop: int, pads: Pads) -> np.ndarray:
    """Rows ``start:stop`` (padded coordinates) of ``images`` of ``x`` padded by ``pads``:
    only those rows are padded and copied."""
    top, bottom, left, right = pads
    h = x.shape[1]
    lo, hi = max(start - top, 0), min(stop - top, h)  # the input rows they hold
    if top <= start and stop - top <= h:  # no padding rows: pad the columns only
        return pad_spatial(x[images, lo:hi], (0, 0, left, right))
    width = x.shape[2] + max(left, 0) + max(right, 0)
    part = np.zeros((images.stop - images.start, stop - start, width, x.shape[3]), x.dtype)
    if hi > lo:
        inner = pad_spatial(x[images, lo:hi], (0, 0, left, right))
        part[:, lo + top - start : hi + top - start] = inner
    return part


def _block_patches(x, block, k: Pair, ow: int, strides: Pair, dilations: Pair, pads: Pads):
    """One block's patches as a (block, rows, OW, KH, KW, C) scratch array (a
    (pixels, KH * KW * C) matrix reshaped)."""
    a, b, r0, r1 = block
    (kh, kw), (sh, _), (dh, _) = k, strides, dilations
    c = x.shape[3]
    part = _padded_rows(x, slice(a, b), r0 * sh, (r1 - 1) * sh + (kh - 1) * dh + 1, pads)
    cols = workspace.empty((b - a, r1 - r0, ow, kh, kw, c), x.dtype)
    np.copyto(cols, patches(part, k, (r1 - r0, ow), strides, dilations))
    return cols


def _cropped(x: np.ndarray, pads: Pads) -> tuple[np.ndarray, Pads]:
    """``x`` cropped where ``pads`` are negative, then (up to :data:`_WHOLE_PAD_BYTES`) padded
    whole into a scratch array with zero borders (the caller releases it); and the pads left
    for the blocks to add."""
    x = pad_spatial(x, tuple(min(p, 0) for p in pads))
    top, bottom, left, right = (max(p, 0) for p in pads)
    if not (top or bottom or left or right):
        return x, (0, 0, 0, 0)
    n, h, w, c = x.shape
    shape = (n, h + top + bottom, w + left + right, c)
    if np.prod(shape, dtype=np.int64) * x.itemsize > _WHOLE_PAD_BYTES:
        return x, (top, bottom, left, right)
    padded = workspace.empty(shape, x.dtype)
    padded[:, :top] = 0
    padded[:, top + h :] = 0
    padded[:, top : top + h, :left] = 0
    padded[:, top : top + h, left + w :] = 0
    padded[:, top : top + h, left : left + w] = x
    return padded, (0, 0, 0, 0)


def conv2d(x, w, strides: Pair, dilations: Pair, pads: Pads, threads: Threads) -> np.ndarray:
    """Conv2D of ``x`` (N, H, W, C) with ``w`` (KH, KW, C, O) as im2col GEMM."""
    n, h, wd, c = x.shape
    kh, kw, _, o = w.shape
    top, bottom, left, right = pads
    (sh, sw), (dh, dw) = strides, dilations
    oh = output_size(h, kh, sh, dh, top, bottom)
    ow = output_size(wd, kw, sw, dw, left, right)
    out = workspace.empty((n, oh, ow, o), x.dtype)
    if out.size == 0:
        return out
    matrix = w.reshape(kh * kw * c, o)
    if c == 1:
        for images, cols in _tap_blocks(x, (kh, kw), (oh, ow), strides, dilations, pads, threads):
            np.matmul(cols, matrix, out=out[images].reshape(-1, o))
        return out
    source, pads = _cropped(x, pads)
    blocks = _blocks(n, oh, ow * kh * kw * c * x.itemsize)

    def run(first, last):
        for block in blocks[first:last]:
            a, b, r0, r1 = block
            cols = _block_patches(source, block, (kh, kw), ow, strides, dilations, pads)
            np.matmul(cols.reshape(-1, kh * kw * c), matrix, out=out[a:b, r0:r1].reshape(-1, o))
            workspace.release(cols)

    _share_blocks(threads, run, len(blocks), out.nbytes)
    if source is not x:
        workspace.release(source)  # a view of x or _cropped's scratch array
    return out


def filter_grad(x, dy, k: Pair, strides: Pair, dilations: Pair, pads: Pads, threads: Threads):
    """The (KH, KW, C, O) filter gradient of a conv2d of ``x`` given ``dy``: the blocks'
    patches transposed times their ``dy``, added in block order."""
    (kh, kw), c, o = k, x.shape[3], dy.shape[3]
    if c == 1:
        return _filter_grad_one_channel(x, dy, k, strides, dilations, pads, threads)
    n, oh, ow = dy.shape[:3]
    source, pads = _cropped(x, pads)
    blocks = _blocks(n, oh, ow * kh * kw * c * x.itemsize)
    products: list = [None] * len(blocks)

    def run(first, last):
        for i in range(first, last):
            a, b, r0, r1 = blocks[i]
            cols = _block_patches(source, blocks[i], k, ow, strides, dilations, pads)
            matrix = cols.reshape(-1, kh * kw * c).T
            products[i] = np.matmul(matrix, dy[a:b, r0:r1].reshape(-1, o))
            del matrix
            workspace.release(cols)

    _share_blocks(threads, run, len(blocks), x.nbytes + dy.nbytes)
    if source is not x:
        workspace.release(source)  # a view of x or _cropped's scratch array
    total = np.zeros((kh * kw * c, o), x.dtype)
    for product in products:
        total += product
    return total.reshape(kh, kw, c, o)


def _share_blocks(threads: Threads, run, count: int, nbytes: int) -> None:
    """``run(first, last)`` over ``count`` blocks: one block at a time to whichever thread is
    free when the work is large (a late pool thread takes fewer blocks), else all at once."""
    if threads.count == 1 or count == 1 or nbytes < threads.split_bytes:
        run(0, count)
    else:
        run_claimed(threads, run, [(k, k + 1) for k in range(count)])


def _tap_blocks(x, k: Pair, out_hw: Pair, strides: Pair, dilations: Pair, pads: Pads, threads):
    """The patches of one input channel tap by tap (each tap's pixels copied as whole output
    rows), yielded by blocks of images as the transpose of a (KH * KW, pixels) block - a
    view BLAS takes as it is."""
    n = x.shape[0]
    (kh, kw), (oh, ow) = k, out_hw
    step = max(1, _CHUNK_BYTES // (oh * ow * kh * kw * x.itemsize))
    for a in range(0, n, step):
        images = slice(a, min(a + step, n))
        padded = pad_spatial(x[images], pads)
        taps = np.empty((kh, kw, padded.shape[0], oh, ow), x.dtype)
        fill_taps(taps, padded, k, out_hw, strides, dilations, True, threads)
        yield images, taps.reshape(kh * kw, -1).T


def fill_taps(taps, padded, k: Pair, out_hw: Pair, strides, dilations, tap_major, threads):
    """Copies the pixels each filter tap meets in ``padded`` (one channel) into ``taps``,
    (KH, KW, images, OH, OW) if ``tap_major`` else (images, KH, KW, OH, OW); in spans of
    images over ``threads`` when large."""

    def span(a, b):
        part = padded[a:b]
        for i in range(k[0]):
            for j in range(k[1]):
                target = taps[i, j, a:b] if tap_major else taps[a:b, i, j]
                np.copyto(target, tap_view(part, i, j, out_hw, strides, dilations)[..., 0])

    threads.run_spans(span, threads.batch_spans(padded.shape[0], taps.nbytes))


def _filter_grad_one_channel(x, dy, k, strides, dilations, pads, threads):
    """The filter gradient for one input channel: the taps of each image as a (taps, pixels)
    matrix (image-major blocks), one product with that image's ``dy`` per image, summed.
    Each product stays in cache; one product over all pixels would stream them all."""
    n = x.shape[0]
    (kh, kw), (oh, ow), o = k, dy.shape[1:3], dy.shape[3]
    total = np.zeros((kh * kw, o), x.dtype)
    step = max(1, _FILTER_CHUNK_BYTES // (oh * ow * kh * kw * x.itemsize))
    for a in range(0, n, step):
        b = min(a + step, n)
        padded = pad_spatial(x[a:b], pads)
        taps = np.empty((b - a, kh, kw, oh, ow), x.dtype)
        fill_taps(taps, padded, k, (oh, ow), strides, dilations, False, threads)
        grads = dy[a:b].reshape(b - a, oh * ow, o)
        total += np.matmul(taps.reshape(b - a, kh * kw, oh * ow), grads).sum(axis=0)
    return total.reshape(kh, kw, 1, o)
