"""Stride-1 convolutions in the frequency domain, with every transform a matrix product.

For the small images of typical CNN layers (a few dozen pixels a side) the discrete Fourier
transform along one axis is cheapest as a product with its (small) DFT matrix: BLAS runs it
at full speed over all images and channels at once, where an FFT library spends its time
on per-transform overhead. The three convolution kernels share one frame and one spectrum
convention, so a spectrum made by one kernel serves the others in the same run:

- positions: input pixel ``h`` sits at frame position ``h``; output pixel ``y`` reads the
  input at ``y + i * d - top`` for filter tap ``i`` (dilation ``d``, top pad ``top``);
- ``spectrum(a)``: the 2-D DFT (full along H, half along W: the input is real) of an
  (N, S1, S2, K) array at positions ``0..S1-1`` x ``0..S2-1``, laid out as
  (LH, LW // 2 + 1, part, N, K) with ``part`` 0 the real and 1 the imaginary part;
- the filter's spectrum ``T`` puts tap ``(i, j)`` at ``(i * dh - top, j * dw - left)``.

Then, frequency by frequency, ``conv2d`` is ``X * conj(T)`` summed over the input channels,
its input gradient ``DY * T`` summed over the output channels, and its filter gradient
``X * conj(DY)`` summed over the images; each is one batched real matrix product over the
frequencies. The inverse transforms are evaluated only where the result is read. The frame
is long enough that circular correlation never wraps a read pixel onto another one.
"""

from __future__ import annotations

import contextlib
import functools
import threading

import numpy as np

from scopeflow.ops.kernels import gemm, workspace
from scopeflow.ops.kernels.parallel import Threads, even_spans, run_claimed

# Above this frame length the O(L) per-element cost of a DFT matrix loses to an FFT.
MAX_FRAME = 64
_CHUNK_BYTES = 1 << 20  # the products of one chunk of frequencies


class Frame:
    """The geometry shared by a stride-1 conv2d and its two gradients."""

    __slots__ = ("in_hw", "out_hw", "k", "dilations", "offsets", "lengths")

    def __init__(self, in_hw, out_hw, k, dilations, pads):
        self.in_hw, self.out_hw, self.k, self.dilations = in_hw, out_hw, k, dilations
        self.offsets = (pads[0], pads[2])  # top, left
        self.lengths = tuple(
            max(size + max(start, 0), out, out + (kk - 1) * d - start)
            for size, out, kk, d, start in zip(
                in_hw, out_hw, k, dilations, self.offsets, strict=True
            )
        )

    def key(self):
        return (self.in_hw, self.out_hw, self.k, self.dilations, self.offsets)

    def multiply_adds(self, channels: int, out_channels: int) -> float:
        """Rough count of one conv2d's multiply-adds per image on this frame."""
        (lh, lw), (h, w), (oh, ow) = self.lengths, self.in_hw, self.out_hw
        freqs = lh * (lw // 2 + 1)
        forward = channels * (2 * lh * h * w + 4 * freqs * w)
        inverse = out_channels * (8 * oh * freqs + 2 * oh * ow * (lw // 2 + 1))
        return forward + 4 * freqs * channels * out_channels + inverse


def usable(frame: Frame) -> bool:
    return max(frame.lengths) <= MAX_FRAME


# -- the DFT matrices (cached: a model has few frame shapes) ------------------------------


def _positions(start: int, step: int, count: int) -> np.ndarray:
    return start + step * np.arange(count)


@functools.lru_cache(maxsize=64)
def _forward_rows(length: int, start: int, step: int, count: int, dtype) -> np.ndarray:
    """(2L, count): rows (u, part) take a real axis, sampled at positions ``start + step * i``
    of the frame, to its DFT."""
    angle = 2 * np.pi * np.outer(np.arange(length), _positions(start, step, count)) / length
    return _readonly(np.stack([np.cos(angle), -np.sin(angle)], axis=1).reshape(-1, count), dtype)


@functools.lru_cache(maxsize=64)
def _forward_half(length: int, start: int, step: int, count: int, dtype) -> np.ndarray:
    """(2V, 2 * count): rows (v, part) take a complex axis (part, position) to the first
    ``V = L // 2 + 1`` frequencies of its DFT (the rest mirror them for real images)."""
    angle = 2 * np.pi * np.outer(np.arange(length // 2 + 1), _positions(start, step, count))
    cos, sin = np.cos(angle / length), np.sin(angle / length)
    matrix = np.stack([np.concatenate([cos, sin], 1), np.concatenate([-sin, cos], 1)], axis=1)
    return _readonly(matrix.reshape(-1, 2 * count), dtype)


@functools.lru_cache(maxsize=64)
def _inverse_rows(length: int, start: int, step: int, count: int, dtype) -> np.ndarray:
    """(2 * count, 2L): rows (y, part) of the inverse DFT (unscaled) of a complex axis
    (part, u), evaluated at positions ``start + step * i``."""
    angle = 2 * np.pi * np.outer(_positions(start, step, count), np.arange(length)) / length
    cos, sin = np.cos(angle), np.sin(angle)
    matrix = np.stack([np.concatenate([cos, -sin], 1), np.concatenate([sin, cos], 1)], axis=1)
    return _readonly(matrix.reshape(-1, 2 * length), dtype)


@functools.lru_cache(maxsize=64)
def _inverse_half(length: int, start: int, step: int, count: int, scale: float, dtype):
    """(count, 2V): the real inverse of a half spectrum (part, v) at positions
    ``start + step * i``, times ``scale``; frequencies other than 0 and L / 2 stand for their
    mirror too."""
    v = np.arange(length // 2 + 1)
    weight = np.where((v == 0) | (2 * v == length), 1.0, 2.0) * scale
    angle = 2 * np.pi * np.outer(_positions(start, step, count), v) / length
    return _readonly(np.concatenate([weight * np.cos(angle), -weight * np.sin(angle)], 1), dtype)


def _readonly(matrix: np.ndarray, dtype) -> np.ndarray:
    matrix = np.ascontiguousarray(matrix, dtype=dtype)
    matrix.flags.writeable = False
    return matrix


# -- transforms ----------------------------------------------------------------------------


def spectrum(a: np.ndarray, lengths, threads: Threads, starts=(0, 0), steps=(1, 1)):
    """The half 2-D DFT of ``a`` (N, S1, S2, K), its pixels at frame positions
    ``starts + steps * index``, as (LH, V, 2, N, K) real parts."""
    n, s1, s2, k = a.shape
    lh, lw = lengths
    columns = np.empty((s1, s2, n, k), a.dtype)
    threads.copyto(columns, a.transpose(1, 2, 0, 3))
    columns = columns.reshape(s1, s2 * n * k)
    first = _forward_rows(lh, starts[0], steps[0], s1, a.dtype)
    rows = gemm.matmul(threads, first, columns)  # (lh, part, s2, n * k)
    second = _forward_half(lw, starts[1], steps[1], s2, a.dtype)
    half = gemm.batch_matmul(threads, second, rows.reshape(lh, 2 * s2, n * k))
    return half.reshape(lh, lw // 2 + 1, 2, n, k)


def spatial(y: np.ndarray, lengths, starts, counts, threads: Threads, steps=(1, 1)):
    """The real inverse of a (2, LH, V, N, K) half spectrum at the frame positions
    ``starts + steps * index`` (``counts`` of them), as (N, rows, cols, K)."""
    _, lh, v, n, k = y.shape
    lw = lengths[1]
    first = _inverse_rows(lh, starts[0], steps[0], counts[0], y.dtype)
    rows = gemm.matmul(threads, first, y.reshape(2 * lh, v * n * k))
    second = _inverse_half(lw, starts[1], steps[1], counts[1], 1.0 / (lh * lw), y.dtype)
    image = gemm.batch_matmul(threads, second, rows.reshape(counts[0], 2 * v, n * k))
    out = workspace.empty((n, counts[0], counts[1], k), y.dtype)
    threads.copyto(out, image.reshape(counts[0], counts[1], n, k).transpose(2, 0, 1, 3))
    return out


class _Pending:
    """A memo entry being computed by another thread (two kernels of a run side by side)."""

    __slots__ = ("done", "value")

    def __init__(self):
        self.done = threading.Event()
        self.value = None

    def result(self):
        self.done.wait()
        if self.value is None:
            raise _Retry
        return self.value


class _Retry(Exception):
    """The thread computing a memo entry failed: compute it here."""


def _memoized(memo, array: np.ndarray, key, compute):
    """``compute()``, kept in ``memo`` (a dict living for one run, or None) under ``key``
    while ``array`` (what it was computed from) is the same object. The entry holds
    ``array``, so its id cannot be reused by another array during the run. Kernels of a run
    side by side compute an entry once: the second waits for the first's result."""
    if memo is None:
        return compute()
    key = (id(array), *key)
    pending = _Pending()
    entry = memo.setdefault(key, (array, pending))  # one call: atomic under the GIL
    if entry[0] is not array:  # a stale entry of an array that no longer exists
        memo[key] = entry = (array, pending)
    if entry[1] is not pending:
        if not isinstance(entry[1], _Pending):
            return entry[1]
        with contextlib.suppress(_Retry):
            return entry[1].result()
        return compute()
    try:
        result = compute()
        memo[key] = (array, result)
        pending.value = result
        return result
    finally:
        if pending.value is None:
            memo.pop(key, None)
        pending.done.set()


def memo_spectrum(a: np.ndarray, lengths, memo, threads: Threads) -> np.ndarray:
    """:func:`spectrum`, shared through ``memo``: the forward pass's input spectrum serves
    the filter gradient, and the output gradient's serves both gradients."""
    key = ("spectrum", lengths, a.shape, a.dtype.str)
    return _memoized(memo, a, key, lambda: spectrum(a, lengths, threads))


def per_filter(cache, w: np.ndarray, key, compute):
    """``compute()``, kept in an op's ``cache`` (a dict living as long as the session) while
    ``w`` is the same read-only array - a variable's value between updates - and ``key`` (the
    method and geometry) is the same. One entry, replaced whole: concurrent runs never see
    one filter's key with another's result."""
    entry = cache.get("filter_spectrum") if cache is not None else None
    if entry is not None and entry[0] is w and entry[1] == key:
        return entry[2]
    result = compute()
    # Only a read-only array that owns its data cannot change behind the cache's back.
    if cache is not None and not w.flags.writeable and w.base is None:
        cache["filter_spectrum"] = (w, key, result)
    return result


def filter_spectrum(w: np.ndarray, frame: Frame, cache, memo=None, *, threads: Threads):
    """``T`` of filter ``w`` (KH, KW, C, O) as (freqs, 2, C, O). Kept in the op's ``cache``
    across runs (:func:`per_filter`), and in the run's ``memo`` for the other kernels of the
    same convolution."""
    key = ("spectral", frame.key())

    def compute():
        # The taps as a (KH, KW) image of C * O channels at their frame positions.
        kh, kw, c, o = w.shape
        (top, left), (dh, dw) = frame.offsets, frame.dilations
        taps = w.reshape(1, kh, kw, c * o)
        taps = spectrum(taps, frame.lengths, threads, (-top, -left), (dh, dw))
        return taps.reshape(-1, 2, c, o)

    memo_key = ("filter", key, w.shape, w.dtype.str)
    return per_filter(cache, w, key, lambda: _memoized(memo, w, memo_key, compute))


def _contract(spec: np.ndarray, right: np.ndarray, n: int, k: int, threads) -> np.ndarray:
    """The complex products A @ B, frequency by frequency, from real parts: ``spec``
    (freqs, 2N, M) stacks [Ar; Ai] and ``right`` (freqs, M, 2K) holds [Br, Bi]. Returns
    (2, freqs, N, K): ArBr - AiBi and ArBi + AiBr. Frequencies go by chunks, so that the four
    real blocks of a chunk are still in cache when they are combined; large products' chunks
    are shared out to ``threads`` (each chunk computed alike on any thread)."""
    freqs, m = spec.shape[0], spec.shape[2]
    out = np.empty((2, freqs, n, k), spec.dtype)
    pieces = max(1, -(-freqs * 4 * n * k * spec.itemsize // _CHUNK_BYTES))

    def chunk(a, b):
        blocks = np.matmul(spec[a:b], right[a:b]).reshape(b - a, 2, n, 2, k)
        np.subtract(blocks[:, 0, :, 0], blocks[:, 1, :, 1], out=out[0, a:b])
        np.add(blocks[:, 0, :, 1], blocks[:, 1, :, 0], out=out[1, a:b])

    if 8 * freqs * n * m * k < 2 * gemm.SPAN_FLOPS:
        threads = Threads(1)
    else:
        pieces = max(pieces, threads.count)
    run_claimed(threads, chunk, even_spans(freqs, pieces))
    return out


# -- the three kernels ---------------------------------------------------------------------


def _times_filter(a: np.ndarray, right: np.ndarray, frame: Frame, memo, out_hw, threads):
    """``a`` (N, S1, S2, K) times a filter spectrum ``right`` (freqs, K, 2, K'), frequency by
    frequency, transformed back at the ``out_hw`` pixels of the frame from its origin."""
    n, k = a.shape[0], a.shape[3]
    k_out = right.shape[3]
    lh, lw = frame.lengths
    freqs = lh * (lw // 2 + 1)
    spec = memo_spectrum(a, frame.lengths, memo, threads).reshape(freqs, 2 * n, k)
    y = _contract(spec, right.reshape(freqs, k, 2 * k_out), n, k_out, threads)
    y = y.reshape(2, lh, lw // 2 + 1, n, k_out)
    return spatial(y, frame.lengths, (0, 0), out_hw, threads)


def conv2d(x, w, frame: Frame, cache=None, memo=None, *, threads: Threads) -> np.ndarray:
    """Stride-1 conv2d of ``x`` (N, H, W, C) with ``w`` (KH, KW, C, O)."""
    t = filter_spectrum(w, frame, cache, memo, threads=threads)
    right = np.empty((t.shape[0], t.shape[2], 2, t.shape[3]), x.dtype)
    np.copyto(right[:, :, 0], t[:, 0])  # [Tr, -Ti]: X times the conjugate of T
    np.negative(t[:, 1], out=right[:, :, 1])
    return _times_filter(x, right, frame, memo, frame.out_hw, threads)


def backprop_input(dy, w, frame: Frame, cache=None, memo=None, *, threads: Threads):
    """The input gradient of a stride-1 conv2d, from ``dy`` (N, OH, OW, O)."""
    t = filter_spectrum(w, frame, cache, memo, threads=threads)
    right = np.ascontiguousarray(t.transpose(0, 3, 1, 2))  # [Tr, Ti], channels swapped: DY T
    return _times_filter(dy, right, frame, memo, frame.in_hw, threads)


def backprop_filter(x, dy, frame: Frame, memo=None, *, threads: Threads) -> np.ndarray:
    """The filter gradient (KH, KW, C, O) of a stride-1 conv2d of ``x`` given ``dy``."""
    n, _, _, c = x.shape
    o = dy.shape[3]
    lh, lw = frame.lengths
    freqs = lh * (lw // 2 + 1)
    xs = memo_spectrum(x, frame.lengths, memo, threads).reshape(freqs, 2, n, c)
    ds = memo_spectrum(dy, frame.lengths, memo, threads).reshape(freqs, 2, n, o)
    # sum_n X conj(DY): real part Xr'DYr + Xi'DYi (one product over the stacked parts),
    # imaginary part Xi'DYr - Xr'DYi; all on views of the spectra, no copies.
    g = np.empty((2, freqs, c, o), x.dtype)

    def span(a, b):  # frequencies a:b
        xa, da = xs[a:b], ds[a:b]
        stacked_x = xa.reshape(b - a, 2 * n, c).transpose(0, 2, 1)
        np.matmul(stacked_x, da.reshape(b - a, 2 * n, o), out=g[0, a:b])
        np.matmul(xa[:, 1].transpose(0, 2, 1), da[:, 0], out=g[1, a:b])
        g[1, a:b] -= np.matmul(xa[:, 0].transpose(0, 2, 1), da[:, 1])

    big = 8 * freqs * n * c * o >= 2 * gemm.SPAN_FLOPS
    run_claimed(threads, span, even_spans(freqs, threads.count if big else 1))
    # The inverse transform read at the taps' frame positions only.
    (top, left), (dh, dw) = frame.offsets, frame.dilations
    y = g.reshape(2, lh, lw // 2 + 1, 1, c * o)
    kh, kw = frame.k
    taps = spatial(y, frame.lengths, (-top, -left), frame.k, threads, (dh, dw))
    return taps.reshape(kh, kw, c, o)
