"""The NumPy algorithms behind the convolution kernels (NHWC images, HWIO filters).

Each entry point picks its algorithm by shape, as fast libraries do:

- a 1x1 filter is one matrix product over all pixels;
- small filters, strided convolutions and integer inputs use GEMM over im2col patches, built
  by chunks of images (or of output rows, for large images): one strided copy of the patches
  (tap by tap for a single input channel), then one BLAS call;
- larger filters at stride 1 on small images (frames up to ``spectral.MAX_FRAME``
  pixels a side) work in the frequency domain with the DFTs as matrix products
  (:mod:`scopeflow.ops.kernels.spectral`), sharing spectra between the forward kernel and both
  gradients within a run;
- larger filters at stride 1 on larger images use the FFT (``scipy.fft``, single precision
  for float32): the filter's transform is multiplied with the image's, frequency by
  frequency, as a batched complex matrix product over channels; the frequency-domain filter
  is cached while the filter array is the same read-only array (a variable's value between
  updates).

The gradients follow the same rules. The input gradient (``conv2d_transpose``) at stride 1 is
the forward convolution of ``dy`` with the flipped filter; strided, it is col2im. The filter
gradient is a correlation of the input with ``dy``: GEMM of the im2col patches with ``dy``,
or the FFT of both multiplied and summed over the images (again one batched complex matrix
product), the inverse transform evaluated only at the filter's taps.

Chunks of images are spread over the caller's ``threads``
(:class:`scopeflow.ops.kernels.parallel.Threads`; NumPy, BLAS and pocketfft release the GIL);
chunks keep intermediates small and in cache (fresh pages are costly). Nothing here loops over
pixels in Python: loops run over chunks, groups and filter taps.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from scopeflow.ops.kernels import autotune, im2col, spectral, winograd, workspace
from scopeflow.ops.kernels.im2col import _FILTER_CHUNK_BYTES
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

# -- conv2d -------------------------------------------------------------------------------


def conv2d(
    x: np.ndarray,
    w: np.ndarray,
    strides: Pair,
    dilations: Pair,
    pads: Pads,
    cache=None,
    memo=None,
    *,
    threads: Threads,
) -> np.ndarray:
    """``Conv2D``: ``x`` (N, H, W, C) with ``w`` (KH, KW, C / groups, O), explicit pads.

    ``cache`` (a dict kept per op, optional) holds the spectrum of a read-only filter between
    runs; ``memo`` (a dict kept for one run, optional) shares spectra with the gradients;
    ``threads`` bounds the threads used.
    """
    out_dtype = x.dtype
    dtype = compute_dtype(out_dtype)
    x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
    groups = x.shape[3] // w.shape[2]
    if groups == 1:
        out = _conv2d_group(x, w, strides, dilations, pads, cache, memo, threads)
    else:
        step, out_step = w.shape[2], w.shape[3] // groups
        out = np.concatenate(
            [
                _conv2d_group(
                    x[..., g * step : (g + 1) * step],
                    w[..., g * out_step : (g + 1) * out_step],
                    strides,
                    dilations,
                    pads,
                    None,
                    None,
                    threads,
                )
                for g in range(groups)
            ],
            axis=3,
        )
    return out.astype(out_dtype, copy=False)


def conv2d_algorithm(x_shape, w_shape, strides: Pair, dilations: Pair, pads: Pads, dtype) -> str:
    """Which algorithm :func:`conv2d` (and its gradients) use for these shapes:
    ``"matmul"`` (1x1 filters), ``"spectral"`` (DFTs as matrix products, small images),
    ``"fft"`` or ``"gemm"``."""
    n, h, w, c = x_shape
    kh, kw, _, o = w_shape
    if kh == 1 and kw == 1:
        return "matmul"
    if strides != (1, 1) or np.dtype(dtype).kind != "f":
        return "gemm"
    (dh, dw), (top, bottom, left, right) = dilations, pads
    eh, ew = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    oh, ow = output_size(h, kh, 1, dh, top, bottom), output_size(w, kw, 1, dw, left, right)
    # Rough per-image costs. The constants were fitted on a 2-core machine with OpenBLAS:
    # the frequency domain wins for 5x5 and larger filters over up to ~128 channels, GEMM
    # for 3x3 filters, for many channels on small images and for few output pixels.
    gemm = oh * ow * kh * kw * c * (o + 6)
    frame = spectral_frame((h, w), (kh, kw), dilations, pads)
    if spectral.usable(frame) and _SPECTRAL_WEIGHT * frame.multiply_adds(c, o) < gemm:
        return "spectral"
    lh, lw = _fft_lengths(h, w, eh, ew, oh, ow, top, left)
    freqs = lh * (lw // 2 + 1)
    fft = 12 * freqs * c * o + 14 * (c + o) * lh * lw * math.log2(lh * lw) + 120 * freqs * (c + o)
    return "fft" if fft < gemm else "gemm"


# Frequency-domain multiply-adds run slower than GEMM's (small matrices, memory-bound
# transforms): measured on 12 shapes, the spectral method wins when its count is 2.5 times
# lower.
_SPECTRAL_WEIGHT = 2.5


def spectral_frame(in_hw: Pair, k: Pair, dilations: Pair, pads: Pads) -> spectral.Frame:
    """The frequency-domain frame of a stride-1 conv2d of an ``in_hw`` image."""
    out_hw = tuple(
        output_size(size, kk, 1, d, before, after)
        for size, kk, d, before, after in zip(
            in_hw, k, dilations, pads[::2], pads[1::2], strict=True
        )
    )
    return spectral.Frame(tuple(in_hw), out_hw, tuple(k), tuple(dilations), pads)


def candidates(x_shape, w_shape, strides: Pair, dilations: Pair, pads: Pads, dtype) -> list:
    """The algorithms that compute a conv2d (or its filter gradient) of these shapes: the
    ones :func:`conv2d_algorithm` may choose, and ``"winograd"`` for 3x3 filters at stride
    and dilation 1."""
    first = conv2d_algorithm(x_shape, w_shape, strides, dilations, pads, dtype)
    if first == "matmul" or strides != (1, 1) or np.dtype(dtype).kind != "f":
        return [first]
    names = ["gemm", "fft"]
    if spectral.usable(spectral_frame(x_shape[1:3], w_shape[:2], dilations, pads)):
        names.append("spectral")
    if winograd.usable(w_shape[:2], strides, dilations):
        names.append("winograd")
    return names


def _problem(op: str, x_shape, w_shape, strides, dilations, pads, dtype) -> tuple:
    """The autotuner's key of a convolution problem and its multiply-adds."""
    n, h, wd, _ = x_shape
    kh, kw, c, o = w_shape
    oh = output_size(h, kh, strides[0], dilations[0], pads[0], pads[1])
    ow = output_size(wd, kw, strides[1], dilations[1], pads[2], pads[3])
    # Not keyed by the thread count: one algorithm per problem in a process, whose results
    # do not depend on the threads (chunks that are summed are cut the same way for any).
    key = (op, tuple(x_shape), tuple(w_shape), strides, dilations, pads, np.dtype(dtype).str)
    return key, n * max(oh, 0) * max(ow, 0) * kh * kw * c * o


def _conv2d_group(x, w, strides, dilations, pads, cache, memo, threads):
    names = candidates(x.shape, w.shape, strides, dilations, pads, x.dtype)
    default = conv2d_algorithm(x.shape, w.shape, strides, dilations, pads, x.dtype)
    key, work = _problem("conv2d", x.shape, w.shape, strides, dilations, pads, x.dtype)
    args = (x, w, strides, dilations, pads, cache, memo, threads)
    jobs = {name: functools.partial(_conv2d_by, name, *args) for name in names}
    alone = (x, w, strides, dilations, pads, None, None, threads)
    timed = {name: functools.partial(_conv2d_by, name, *alone) for name in names}
    return autotune.run(key, jobs, default if default in jobs else names[0], work, timed)


def conv2d_by(algorithm: str, x, w, strides: Pair, dilations: Pair, pads: Pads, threads):
    """Conv2D of one group by the named algorithm (one of :func:`candidates`), without the
    run's caches: what ``benchmarks/conv_algorithms.py`` times."""
    return _conv2d_by(algorithm, x, w, strides, dilations, pads, None, None, threads)


def filter_grad_by(algorithm: str, x, dy, k: Pair, strides, dilations, pads, threads):
    """As :func:`conv2d_by`, for the filter gradient."""
    return _filter_grad_by(algorithm, x, dy, k, strides, dilations, pads, None, threads)


def _conv2d_by(algorithm, x, w, strides, dilations, pads, cache, memo, threads):
    if algorithm == "matmul":
        return _conv_1x1(x, w, strides, pads)
    if algorithm == "spectral":
        frame = spectral_frame(x.shape[1:3], w.shape[:2], dilations, pads)
        return spectral.conv2d(x, w, frame, cache, memo, threads=threads)
    if algorithm == "fft":
        return _conv_fft(x, w, dilations, pads, cache, threads)
    if algorithm == "winograd":
        return winograd.conv2d(x, w, pads, threads=threads)
    return im2col.conv2d(x, w, strides, dilations, pads, threads)


def _conv_1x1(x, w, strides, pads):
    x = pad_spatial(x, pads)
    sh, sw = strides
    if sh != 1 or sw != 1:
        x = x[:, ::sh, ::sw]
    n, h, wd, c = x.shape
    return np.matmul(x.reshape(n * h * wd, c), w.reshape(c, -1)).reshape(n, h, wd, -1)


def _fft_lengths(h, w, eh, ew, oh, ow, top, left) -> Pair:
    """FFT sizes for which circular correlation equals the linear one on every output pixel:
    at least ``size + pad_before`` (no wrap-around onto read pixels) and ``out + k - 1 - pad``
    (every read index in range); rounded up to sizes pocketfft is fast at."""
    from scipy import fft

    lh = max(h + top, oh + eh - 1 - top)
    lw = max(w + left, ow + ew - 1 - left)
    return fft.next_fast_len(lh, real=True), fft.next_fast_len(lw, real=True)


def _filter_spectrum(w, dilations, lengths, cache):
    """The 2-D FFT of the flipped (and dilated) filter, as (frequency, C, O) matrices, kept
    in the op's ``cache`` while ``w`` is unchanged (:func:`spectral.per_filter`)."""

    def compute():
        kh, kw, c, o = w.shape
        (dh, dw), (lh, lw) = dilations, lengths
        # Tap (i, j) sits at ((kh - 1 - i) * dh, (kw - 1 - j) * dw) of the flipped, dilated
        # filter: a few taps and many frequencies, so one product with the DFT's columns at
        # the taps is several times faster than FFTs of the mostly-zero padded filter.
        u = np.arange(lh)[:, None, None, None]
        v = np.arange(lw // 2 + 1)[None, :, None, None]
        rows = ((kh - 1 - np.arange(kh)) * dh)[None, None, :, None]
        cols = ((kw - 1 - np.arange(kw)) * dw)[None, None, None, :]
        angle = (-2 * np.pi * (u * rows / lh + v * cols / lw)).reshape(-1, kh * kw)
        taps = w.reshape(kh * kw, c * o)
        spectrum = np.empty((len(angle), c * o), np.result_type(w.dtype, np.complex64))
        spectrum.real = np.cos(angle).astype(w.dtype) @ taps  # two real products: no complex w
        spectrum.imag = np.sin(angle).astype(w.dtype) @ taps
        return spectrum.reshape(-1, c, o)

    return spectral.per_filter(cache, w, ("fft", lengths, dilations), compute)


def _conv_fft(x, w, dilations, pads, cache, threads):
    from scipy import fft

    n, h, wd, c = x.shape
    kh, kw, _, o = w.shape
    top, bottom, left, right = pads
    eh, ew = (kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1
    if top > eh - 1 or left > ew - 1:  # explicit pads wider than the filter: pad the excess
        extra_top, extra_left = max(top - (eh - 1), 0), max(left - (ew - 1), 0)
        x = pad_spatial(x, (extra_top, 0, extra_left, 0))
        n, h, wd, c = x.shape
        top, left = top - extra_top, left - extra_left
    oh, ow = (
        output_size(h, kh, 1, dilations[0], top, bottom),
        output_size(wd, kw, 1, dilations[1], left, right),
    )
    lh, lw = _fft_lengths(h, wd, eh, ew, oh, ow, top, left)
    spectrum = _filter_spectrum(w, dilations, (lh, lw), cache)
    freqs = spectrum.shape[0]
    # Correlation is convolution with the flipped filter; its output pixel (y, x) sits at
    # (y + eh - 1 - top, x + ew - 1 - left) of the circular convolution.
    row, col = eh - 1 - top, ew - 1 - left
    out = workspace.empty((n, oh, ow, o), x.dtype)
    if out.size == 0:
        return out

    def chunk(a, b):
        # The 2-D FFTs one axis at a time, to skip work: the inverse along W only for the
        # rows the output keeps.
        rows = fft.rfft(x[a:b], n=lw, axis=2, workers=1)
        images = fft.fft(rows, n=lh, axis=1, workers=1, overwrite_x=True)
        product = np.empty((b - a, lh, lw // 2 + 1, o), images.dtype)
        # (frequency, image, C) @ (frequency, C, O): strided views BLAS takes as they are.
        np.matmul(
            images.reshape(b - a, freqs, c).transpose(1, 0, 2),
            spectrum,
            out=product.reshape(b - a, freqs, o).transpose(1, 0, 2),
        )
        kept = fft.ifft(product, axis=1, workers=1, overwrite_x=True)[:, row : row + oh]
        out[a:b] = fft.irfft(kept, n=lw, axis=2, workers=1)[:, :, col : col + ow]

    in_chunks(chunk, n, lh * (lw // 2 + 1) * c * 2 * x.itemsize, threads, fixed=True)
    return out


# -- the gradients of conv2d: for its input (conv2d_transpose) and for its filter ---------


def _by_group(fn, groups: int, a: np.ndarray, b: np.ndarray, *args) -> np.ndarray:
    """``fn(a, b, *args)`` for each of ``groups`` channel groups of ``a`` and ``b`` (their
    last axes split evenly), the results concatenated along their last axis."""
    if groups == 1:
        return fn(a, b, *args)
    sa, sb = a.shape[-1] // groups, b.shape[-1] // groups
    return np.concatenate(
        [
            fn(a[..., g * sa : (g + 1) * sa], b[..., g * sb : (g + 1) * sb], *args)
            for g in range(groups)
        ],
        axis=-1,
    )


def conv2d_backprop_input(
    dy: np.ndarray,
    w: np.ndarray,
    input_hw: Pair,
    strides: Pair,
    dilations: Pair,
    pads: Pads,
    groups: int = 1,
    cache=None,
    memo=None,
    *,
    threads: Threads,
) -> np.ndarray:
    """``Conv2DBackpropInput``: the input gradient of a conv2d whose input was ``input_hw``
    high and wide, given the output gradient ``dy`` (N, OH, OW, O). ``cache``, ``memo`` and
    ``threads`` are as for :func:`conv2d`."""
    out_dtype = dy.dtype
    dtype = compute_dtype(out_dtype)
    dy, w = dy.astype(dtype, copy=False), w.astype(dtype, copy=False)
    # Group g of the output channels (and of the filter's) makes group g of the input's.
    # (Per-group slices are new arrays: caches and memos simply miss for them.)
    args = (input_hw, strides, dilations, pads, cache, memo, threads)
    result = _by_group(_backprop_input_group, groups, dy, w, *args)
    return result.astype(out_dtype, copy=False)


def _backprop_input_group(dy, w, input_hw, strides, dilations, pads, cache, memo, threads):
    if strides != (1, 1):
        return _col2im(dy, w, input_hw, strides, dilations, pads, threads)
    x_shape = (dy.shape[0], *input_hw, w.shape[2])
    # Stride 1: the spectral method's own kernel, or a forward convolution of dy with the
    # flipped, transposed filter by any forward algorithm ("flip-<algorithm>").
    (h, wd), (top, _, left, _) = input_hw, pads
    eh, ew = (w.shape[0] - 1) * dilations[0] + 1, (w.shape[1] - 1) * dilations[1] + 1
    new_pads = (eh - 1 - top, h - dy.shape[1] + top, ew - 1 - left, wd - dy.shape[2] + left)
    cropped = pad_spatial(dy, tuple(min(p, 0) for p in new_pads))
    new_pads = tuple(max(p, 0) for p in new_pads)
    flipped_shape = (w.shape[0], w.shape[1], w.shape[3], w.shape[2])
    flip_args = (cropped.shape, flipped_shape, (1, 1), dilations, new_pads, dy.dtype)
    flipped: list = []

    def flip(algorithm):
        if not flipped:
            flipped.append(np.ascontiguousarray(w[::-1, ::-1].transpose(0, 1, 3, 2)))
        args = (cropped, flipped[0], (1, 1), dilations, new_pads, None, None, threads)
        return _conv2d_by(algorithm, *args)

    jobs = {"flip-" + name: functools.partial(flip, name) for name in candidates(*flip_args)}
    default = "flip-" + conv2d_algorithm(*flip_args)
    frame = spectral_frame(input_hw, w.shape[:2], dilations, pads)
    if spectral.usable(frame) and dy.dtype.kind == "f" and w.shape[0] * w.shape[1] > 1:
        jobs["spectral"] = functools.partial(
            spectral.backprop_input, dy, w, frame, cache, memo, threads=threads
        )
    timed = dict(jobs)
    if "spectral" in jobs:
        timed["spectral"] = functools.partial(
            spectral.backprop_input, dy, w, frame, threads=threads
        )
    if conv2d_algorithm(x_shape, w.shape, strides, dilations, pads, dy.dtype) == "spectral":
        default = "spectral"
    key, work = _problem("input", x_shape, w.shape, strides, dilations, pads, dy.dtype)
    default = default if default in jobs else next(iter(jobs))
    return autotune.run(key, jobs, default, work, timed)


def _col2im(dy, w, input_hw, strides, dilations, pads, threads):
    """Strided transposed convolution: each output-gradient pixel times the filter is one
    patch; the patches of each filter tap are added into the image in one strided add."""
    n, oh, ow, o = dy.shape
    kh, kw, c, _ = w.shape
    (h, wd), (top, _, left, _) = input_hw, pads
    (sh, sw), (dh, dw) = strides, dilations
    ph = max(h + top, (oh - 1) * sh + (kh - 1) * dh + 1)
    pw = max(wd + left, (ow - 1) * sw + (kw - 1) * dw + 1)
    out = workspace.empty((n, h, wd, c), dy.dtype)
    matrix = w.reshape(kh * kw * c, o).T

    def chunk(a, b):
        patches = np.matmul(dy[a:b].reshape(-1, o), matrix).reshape(b - a, oh, ow, kh, kw, c)
        image = np.zeros((b - a, ph, pw, c), dy.dtype)
        for i in range(kh):
            for j in range(kw):
                tap_view(image, i, j, (oh, ow), strides, dilations)[...] += patches[:, :, :, i, j]
        out[a:b] = image[:, top : top + h, left : left + wd]

    in_chunks(chunk, n, oh * ow * kh * kw * c * dy.itemsize, threads)
    return out


def conv2d_backprop_filter(
    x: np.ndarray,
    w_shape,
    dy: np.ndarray,
    strides: Pair,
    dilations: Pair,
    pads: Pads,
    memo=None,
    *,
    threads: Threads,
) -> np.ndarray:
    """``Conv2DBackpropFilter``: the gradient for a ``w_shape`` (KH, KW, C / groups, O) filter
    of a conv2d of ``x`` (N, H, W, C) whose output gradient is ``dy`` (N, OH, OW, O).

    It is a correlation of ``x`` with ``dy`` summed over the batch, computed as the forward
    convolution of the same shapes would be: one matrix product for 1x1 filters, im2col
    patches times ``dy`` (GEMM), or for larger filters at stride 1 the FFT, where it is one
    batched complex matrix product over the images, frequency by frequency.
    """
    out_dtype = x.dtype
    dtype = compute_dtype(out_dtype)
    x, dy = x.astype(dtype, copy=False), dy.astype(dtype, copy=False)
    kh, kw, kc, _ = w_shape
    groups = x.shape[3] // kc
    result = _by_group(
        _filter_grad_group, groups, x, dy, (kh, kw), strides, dilations, pads, memo, threads
    )
    return result.astype(out_dtype, copy=False)


def _filter_grad_group(x, dy, k, strides, dilations, pads, memo, threads):
    (kh, kw), c, o = k, x.shape[3], dy.shape[3]
    if x.shape[0] == 0 or dy.size == 0:
        return np.zeros((kh, kw, c, o), x.dtype)
    shapes = (x.shape, (kh, kw, c, o), strides, dilations, pads, x.dtype)
    names, default = candidates(*shapes), conv2d_algorithm(*shapes)
    key, work = _problem("filter", *shapes)
    args = (x, dy, k, strides, dilations, pads, memo, threads)
    jobs = {name: functools.partial(_filter_grad_by, name, *args) for name in names}
    alone = (x, dy, k, strides, dilations, pads, None, threads)
    timed = {name: functools.partial(_filter_grad_by, name, *alone) for name in names}
    return autotune.run(key, jobs, default if default in jobs else names[0], work, timed)


def _filter_grad_by(algorithm, x, dy, k, strides, dilations, pads, memo, threads):
    c, o = x.shape[3], dy.shape[3]
    if algorithm == "matmul":
        x = pad_spatial(x, pads)[:, :: strides[0], :: strides[1]]
        return np.matmul(x.reshape(-1, c).T, dy.reshape(-1, o)).reshape(1, 1, c, o)
    if algorithm == "spectral":
        frame = spectral_frame(x.shape[1:3], k, dilations, pads)
        return spectral.backprop_filter(x, dy, frame, memo, threads=threads)
    if algorithm == "fft":
        return _filter_grad_fft(x, dy, k, dilations, pads, threads)
    if algorithm == "winograd":
        return winograd.backprop_filter(x, dy, pads, threads=threads)
    return im2col.filter_grad(x, dy, k, strides, dilations, pads, threads)


def _filter_grad_fft(x, dy, k, dilations, pads, threads):
    """Tap ``(i, j)`` of the filter gradient is ``sum(x[y + i * dh - top] * dy[y])``: the
    circular cross-correlation of ``x`` and ``dy`` - the inverse FFT of ``X * conj(DY)``
    summed over the images - read at the (wrapped) offsets of the taps."""
    from scipy import fft

    n, h, wd, c = x.shape
    _, oh, ow, o = dy.shape
    (kh, kw), (dh, dw), (top, _, left, _) = k, dilations, pads
    lh, lw = _fft_lengths(h, wd, (kh - 1) * dh + 1, (kw - 1) * dw + 1, oh, ow, top, left)
    freqs = lh * (lw // 2 + 1)
    partial: dict[int, np.ndarray] = {}

    def spectra(t, a, b):
        rows = fft.rfft(t[a:b], n=lw, axis=2, workers=1)
        return fft.fft(rows, n=lh, axis=1, workers=1, overwrite_x=True).reshape(b - a, freqs, -1)

    def chunk(a, b):
        xs, ds = spectra(x, a, b), spectra(dy, a, b)
        # (frequency, C, image) @ (frequency, image, O): strided views BLAS takes as they are.
        partial[a] = np.matmul(xs.transpose(1, 2, 0), np.conjugate(ds, out=ds).transpose(1, 0, 2))

    per_image = freqs * (c + o) * 2 * x.itemsize
    in_chunks(chunk, n, per_image, threads, _FILTER_CHUNK_BYTES, fixed=True)
    # Summed in batch order, so that the result does not depend on the threads' timing.
    spectrum = sum(partial[a] for a in sorted(partial))
    # The inverse transform only at the taps: one complex product with the DFT's rows there.
    rows = (np.arange(kh) * dh - top) % lh
    cols = (np.arange(kw) * dw - left) % lw
    return _inverse_rfft2_at(spectrum, (lh, lw), rows, cols).reshape(kh, kw, c, o)


def _inverse_rfft2_at(spectrum, lengths: Pair, rows, cols) -> np.ndarray:
    """``irfft2`` of ``spectrum`` (``lh * (lw // 2 + 1)`` frequencies, then any axes) read at
    pixels ``rows x cols`` only: ``Re(E @ spectrum)`` for the rows ``E`` of the inverse DFT
    matrix at those pixels, half-plane frequencies counted twice as ``irfft`` does."""
    lh, lw = lengths
    u = np.arange(lh)[:, None]
    v = np.arange(lw // 2 + 1)[None, :]
    twice = np.where((v == 0) | (2 * v == lw), 1.0, 2.0) / (lh * lw)
    phase = (rows[:, None, None, None] * u / lh + cols[None, :, None, None] * v / lw) * 2 * np.pi
    dft = (twice * np.exp(1j * phase)).reshape(len(rows) * len(cols), -1)
    flat = spectrum.reshape(len(u) * v.shape[1], -1)
    return np.matmul(dft.astype(flat.dtype), flat).real
