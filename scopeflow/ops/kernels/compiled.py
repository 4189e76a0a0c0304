"""Memory-bound kernels compiled with numba, one pass over memory where NumPy makes several:
Adam's and Momentum's updates, batch normalization's statistics, output and gradient, max
pooling and its gradient.

These ops are bound by memory traffic. NumPy computes Adam's update as twelve array
operations, each reading and writing whole arrays; one compiled loop reads the variable, its
two slots and the gradient once and writes the three new values once. Measured on the 2-core
VM (float32, in cache): Adam over 784 x 512, 0.89 ms in NumPy against 0.18 ms compiled, the
same bits (the loops keep NumPy's order of operations and use no fast-math); batch norm over
32x32x32x16, forward 1.30 against 0.37 ms, gradient 1.75 against 0.42 ms (sums in float64:
the last bits differ from NumPy's float32 sums). Max pooling makes one pass per window where
NumPy makes a pass over the batch per window tap (the gradient: five per tap); measured on the
2-core Xeon VM (float32, load ~3, min of 15 runs), the CNN benchmark's [64, 28, 28, 32] 2x2
pooling forward 0.93 against 0.56 ms, forward and gradient 7.6 against 3.3 ms; a ResNet
stem's [32, 56, 56, 64] 3x3 stride 2, 32 against 7.9 ms and 137 against 38 ms; the same bits.

numba is a dependency of scopeflow, imported on the first large update or batch norm (not by
``import scopeflow``); the first call of a process compiles each loop (about 0.5 s) or loads it
from numba's cache, and LLVM adds about 120 MB to the process. Where numba is not installed,
cannot be imported, or ``SCOPEFLOW_NUMBA=0`` is set, :func:`loops` is None and the kernels
compute with NumPy.
"""

from __future__ import annotations

import functools
import os
import types

import numpy as np

# Elements from which a compiled pass beats NumPy (float32, one thread, in cache; a call
# costs ~15 us): Adam 16k (36 us in NumPy against 26), Momentum, only 3 NumPy passes, 256k
# (142 us against 82; at 37k, a ResNet filter's size, 27 against 29). Smaller updates stay in
# NumPy, so a model without large variables never imports numba.
ADAM_MIN_SIZE = 1 << 14
MOMENTUM_MIN_SIZE = 1 << 18
BATCH_NORM_MIN_SIZE = 1 << 15  # 3.5x NumPy's speed at 2 MB, 2.7x at 0.5 MB
MAX_POOL_MIN_SIZE = 1 << 15  # input elements of a max pooling (or its gradient)
DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_called = [False]  # whether loops() has run (see loaded)


@functools.cache
def loops() -> types.SimpleNamespace | None:
    """The loops below compiled by numba (each compiles for its argument types on its first
    call, or loads from numba's cache), as attributes of their own names; or None."""
    _called[0] = True
    if os.environ.get("SCOPEFLOW_NUMBA", "1") == "0":
        return None
    try:
        import numba
    except ImportError:  # not installed, or built for another NumPy
        return None
    # No fast-math: each element's arithmetic is NumPy's, in NumPy's order, no fused
    # multiply-adds. error_model="numpy": a division by zero gives inf or NaN without a Python
    # check in the loop, which LLVM then vectorizes.
    options = {"nogil": True, "error_model": "numpy"}
    try:
        jitted = {fn.__name__: numba.njit(cache=True, **options)(fn) for fn in _LOOPS}
    except RuntimeError:  # no writable cache directory: compiled again by each process
        jitted = {fn.__name__: numba.njit(**options)(fn) for fn in _LOOPS}
    return types.SimpleNamespace(**jitted)


def loaded() -> bool:
    """Whether :func:`loops` has been called in this process (numba imported, or found
    missing): a kernel whose compiled loop gives NumPy's bits may then use it for small
    arrays too, where NumPy's dozen calls cost more than one compiled call."""
    return _called[0]


def for_arrays(least: int, *arrays: np.ndarray):
    """:func:`loops` when all ``arrays`` are float32 (or all float64) arrays of one shape and
    at least ``least`` elements, else None."""
    first = arrays[0]
    if first.size < least or first.dtype not in DTYPES:
        return None
    for a in arrays:
        if type(a) is not np.ndarray or a.dtype != first.dtype or a.shape != first.shape:
            return None
    return loops()


def run(threads, loop, inputs, scalars, outputs) -> None:
    """``loop(*inputs, *scalars, *outputs)`` over the flattened arrays, in spans on the
    kernel threads from a megabyte on (every element's bits are those of one call)."""
    flat_in = [a.reshape(-1) for a in inputs]
    flat_out = [a.reshape(-1) for a in outputs]
    n = flat_in[0].size
    if threads.count == 1 or flat_in[0].nbytes < threads.split_bytes:
        loop(*flat_in, *scalars, *flat_out)  # one span: called directly (~10 us less)
        return
    spans = threads.batch_spans(n, flat_in[0].nbytes)

    def span(a, b):
        loop(*(x[a:b] for x in flat_in), *scalars, *(x[a:b] for x in flat_out))

    threads.run_spans(span, spans)


# -- the loops (plain Python here; numba compiles them) ---------------------------------------
# Each computes, element by element, what the NumPy kernel it stands in for computes, in the
# same order: the arrays are contiguous and 1-D (flattened by :func:`run`), the scalars of
# the arrays' dtype, the outputs last.


def adam(var, m, v, grad, alpha, c1, c2, eps, new_var, new_m, new_v):
    for i in range(var.size):
        g = grad[i]
        nm = (g - m[i]) * c1 + m[i]
        nv = (g * g - v[i]) * c2 + v[i]
        new_m[i] = nm
        new_v[i] = nv
        new_var[i] = var[i] - nm * alpha / (np.sqrt(nv) + eps)


def adam_nesterov(var, m, v, grad, alpha, c1, b1, c2, eps, new_var, new_m, new_v):
    for i in range(var.size):
        g = grad[i]
        nm = (g - m[i]) * c1 + m[i]
        nv = (g * g - v[i]) * c2 + v[i]
        new_m[i] = nm
        new_v[i] = nv
        new_var[i] = var[i] - (g * c1 + b1 * nm) * alpha / (np.sqrt(nv) + eps)


def momentum(var, accum, grad, lr, mu, new_var, new_accum):
    for i in range(var.size):
        a = accum[i] * mu + grad[i]
        new_accum[i] = a
        new_var[i] = var[i] - lr * a


def momentum_nesterov(var, accum, grad, lr, mu, new_var, new_accum):
    for i in range(var.size):
        g = grad[i]
        a = accum[i] * mu + g
        new_accum[i] = a
        new_var[i] = var[i] - (g * lr + a * mu * lr)


# Batch normalization over ``rows`` ([pixels, channels]), channel sums in float64 whatever the
# rows' dtype (more accurate than the float32 sums of the NumPy kernel, so the two differ in
# the last bits). Not split over threads: the same bits on any number.


def batch_norm_statistics(rows, mean, variance):
    """The per-channel mean and biased variance (two passes: the mean, then the squared
    distances from it) written into ``mean`` and ``variance``."""
    pixels, channels = rows.shape
    sums = np.zeros(channels, np.float64)
    for i in range(pixels):
        for j in range(channels):
            sums[j] += rows[i, j]
    for j in range(channels):
        mean[j] = sums[j] / pixels
    squares = np.zeros(channels, np.float64)
    for i in range(pixels):
        for j in range(channels):
            d = np.float64(rows[i, j] - mean[j])
            squares[j] += d * d
    for j in range(channels):
        variance[j] = squares[j] / pixels


def batch_norm_apply(rows, mean, factor, offset, y):
    """``y = (rows - mean) * factor + offset``, per channel."""
    pixels, channels = rows.shape
    for i in range(pixels):
        for j in range(channels):
            y[i, j] = (rows[i, j] - mean[j]) * factor[j] + offset[j]


def batch_norm_grad_sums(rows, grads, mean, grad_sums, products):
    """Per channel, the sum of ``grads`` and of ``grads * (rows - mean)``, in float64."""
    pixels, channels = rows.shape
    for j in range(channels):
        grad_sums[j] = 0.0
        products[j] = 0.0
    for i in range(pixels):
        for j in range(channels):
            g = grads[i, j]
            grad_sums[j] += g
            products[j] += np.float64(g * (rows[i, j] - mean[j]))


def batch_norm_grad_apply(rows, grads, mean, a, b, c, dx):
    """``dx = grads * a + (rows - mean) * b + c``, per channel."""
    pixels, channels = rows.shape
    for i in range(pixels):
        for j in range(channels):
            dx[i, j] = grads[i, j] * a[j] + (rows[i, j] - mean[j]) * b[j] + c[j]


# Max pooling of NHWC images (padding ``top``/``left`` before each spatial dimension, padded
# pixels the dtype's lowest value): one pass over each window where NumPy makes several passes
# per tap over the whole batch.


def max_pool(x, kh, kw, sh, sw, top, left, out):
    """Each output pixel the maximum of its window, NaN if any is NaN (as ``np.maximum``)."""
    n, h, w, c = x.shape
    for b in range(n):
        for oh in range(out.shape[1]):
            for ow in range(out.shape[2]):
                for ch in range(c):
                    out[b, oh, ow, ch] = -np.inf
                for i in range(kh):
                    hh = oh * sh - top + i
                    if hh < 0 or hh >= h:
                        continue
                    for j in range(kw):
                        ww = ow * sw - left + j
                        if ww < 0 or ww >= w:
                            continue
                        for ch in range(c):
                            v = x[b, hh, ww, ch]
                            if v > out[b, oh, ow, ch] or v != v:
                                out[b, oh, ow, ch] = v


def max_pool_grad(x, y, grad, kh, kw, sh, sw, top, left, out):
    """Adds each output pixel's gradient to the first pixel of its window (in scan order)
    equal to its maximum (``out``: zeros of ``x``'s shape); dropped when that is a padded
    one. Windows are taken last to first, so that a pixel in several windows sums their
    gradients in the order of their taps, as the NumPy kernel does (the same values)."""
    n, h, w, c = x.shape
    done = np.empty(c, np.bool_)  # per channel: the window's maximum was found
    for b in range(n):
        for oh in range(y.shape[1] - 1, -1, -1):
            for ow in range(y.shape[2] - 1, -1, -1):
                done[:] = False
                for i in range(kh):
                    hh = oh * sh - top + i
                    for j in range(kw):
                        ww = ow * sw - left + j
                        if 0 <= hh < h and 0 <= ww < w:
                            for ch in range(c):
                                hit = (x[b, hh, ww, ch] == y[b, oh, ow, ch]) & ~done[ch]
                                out[b, hh, ww, ch] += grad[b, oh, ow, ch] if hit else 0
                                done[ch] |= hit
                        else:  # a padded pixel (the lowest value): a hit there is dropped
                            for ch in range(c):
                                done[ch] |= y[b, oh, ow, ch] == -np.inf


_LOOPS = (
    adam,
    adam_nesterov,
    momentum,
    momentum_nesterov,
    batch_norm_statistics,
    batch_norm_apply,
    batch_norm_grad_sums,
    batch_norm_grad_apply,
    max_pool,
    max_pool_grad,
)
