"""Philox words and TF's normal distributions as loops compiled with numba: the same bits as
the NumPy code in ``philox.py``, ``distributions.py`` and ``libm32.py``, several times faster.

NumPy computes Philox's ten rounds as about a hundred passes over 64-bit arrays, and the
float32 Box-Muller transform as dozens more; a compiled loop keeps a counter's words in
registers. Used from :data:`MIN_SIZE` outputs on (a small program never imports numba); the
first use in a process compiles the loops (or loads them from numba's cache). Without numba,
or with ``SCOPEFLOW_NUMBA=0``, :func:`loops` is None and the NumPy code runs.
"""

from __future__ import annotations

import functools
import math
import os
import types

import numpy as np

from scopeflow.ops.random import libm32

MIN_SIZE = 1 << 12
_LOG_TABLE = libm32._LOG_TABLE
_LOG_POLY = np.array(libm32._LOG_POLY)
_COS_POLY = np.array(libm32._COS_POLY)
_SIN_POLY = np.array(libm32._SIN_POLY)
_LN2 = libm32._LN2
_HALF_PI_INV = libm32._HALF_PI_INV
_HALF_PI = libm32._HALF_PI
_MASK = np.uint64(0xFFFFFFFF)
_TWO_PI = 2.0 * math.pi


def round_keys(key: int) -> np.ndarray:
    """The two key words of each of Philox's ten rounds, ``(10, 2)`` uint64."""
    steps = np.arange(10, dtype=np.uint64)
    return np.stack(
        [
            (np.uint64(key & 0xFFFFFFFF) + steps * np.uint64(0x9E3779B9)) & _MASK,
            (np.uint64(key >> 32) + steps * np.uint64(0xBB67AE85)) & _MASK,
        ],
        axis=1,
    )


def _block(keys, lo, hi):
    """Philox4x32-10 of the counter ``lo + hi * 2**64`` under ``round_keys``."""
    c0, c1, c2, c3 = lo & _MASK, lo >> np.uint64(32), hi & _MASK, hi >> np.uint64(32)
    for r in range(10):
        p0 = np.uint64(0xD2511F53) * c0
        p1 = np.uint64(0xCD9E8D57) * c2
        c0, c1, c2, c3 = (
            (p1 >> np.uint64(32)) ^ c1 ^ keys[r, 0],
            p1 & _MASK,
            (p0 >> np.uint64(32)) ^ c3 ^ keys[r, 1],
            p0 & _MASK,
        )
    return c0, c1, c2, c3


def words(keys, low, high, blocks, out):
    """The words of counters ``low + high * 2**64 + b`` for ``b < blocks``. The rounds are
    written here, not called, and have no branch: LLVM then runs several counters at once."""
    for b in range(blocks):
        lo = low + np.uint64(b)
        hi = high + np.uint64(1 if lo < low else 0)
        c0, c1, c2, c3 = lo & _MASK, lo >> np.uint64(32), hi & _MASK, hi >> np.uint64(32)
        for r in range(10):
            p0 = np.uint64(0xD2511F53) * c0
            p1 = np.uint64(0xCD9E8D57) * c2
            c0, c1, c2, c3 = (
                (p1 >> np.uint64(32)) ^ c1 ^ keys[r, 0],
                p1 & _MASK,
                (p0 >> np.uint64(32)) ^ c3 ^ keys[r, 1],
                p0 & _MASK,
            )
        out[4 * b], out[4 * b + 1], out[4 * b + 2], out[4 * b + 3] = c0, c1, c2, c3


def _unit32(word):
    return np.float32(word & np.uint32(0x7FFFFF)) * np.float32(1.0 / (1 << 23))


def _logf(x, fbuf, ubuf):
    """glibc's ``logf`` (as ``libm32.logf``), for one positive normal float32."""
    fbuf[0] = x
    ix = ubuf[0]
    if ix == np.uint32(0x3F800000):
        return np.float32(0.0)
    shifted = ix - np.uint32(0x3F330000)
    row = (shifted >> np.uint32(19)) & np.uint32(15)
    exponent = np.int32(shifted) >> np.int32(23)
    ubuf[0] = ix - (shifted & np.uint32(0x1FF << 23))
    r = np.float64(fbuf[0]) * _LOG_TABLE[row, 0] - 1.0
    base = _LOG_TABLE[row, 1] + exponent * _LN2
    r2 = r * r
    y = _LOG_POLY[1] * r + _LOG_POLY[2]
    y = _LOG_POLY[0] * r2 + y
    return np.float32(y * r2 + (base + r))


def _sincosf(x, fbuf, ubuf):
    """glibc's ``sincosf`` (as ``libm32.sincosf``), for one float32 in ``[0, 120)``."""
    fbuf[0] = x
    top = (ubuf[0] >> np.uint32(20)) & np.uint32(0x7FF)
    if top < np.uint32(0x398):
        return x, np.float32(1.0)
    wide = np.float64(x)
    quadrant = 0
    if top >= np.uint32(0x3F4):
        quadrant = (np.int32(wide * _HALF_PI_INV) + 0x800000) >> 24
    wide = wide - quadrant * _HALF_PI
    flip = -1.0 if quadrant & 2 else 1.0
    xs = wide * (-1.0 if (quadrant + 1) & 2 else 1.0)
    x2 = wide * wide
    x3 = x2 * xs
    x4 = x2 * x2
    c2 = flip * _COS_POLY[3] + x2 * (flip * _COS_POLY[4])
    s1 = _SIN_POLY[1] + x2 * _SIN_POLY[2]
    c1 = flip * _COS_POLY[0] + x2 * (flip * _COS_POLY[1])
    sin_part = np.float32((xs + x3 * _SIN_POLY[0]) + (x3 * x2) * s1)
    cos_part = np.float32((c1 + x4 * (flip * _COS_POLY[2])) + (x4 * x2) * c2)
    if quadrant & 1:
        return cos_part, sin_part
    return sin_part, cos_part


def _box_muller32(w0, w1, fbuf, ubuf):
    u1 = max(_unit32(w0), np.float32(1.0e-7))
    angle = np.float32(_TWO_PI * np.float64(_unit32(w1)))
    radius = np.sqrt(np.float32(-2.0) * _logf(u1, fbuf, ubuf))
    sin, cos = _sincosf(angle, fbuf, ubuf)
    return sin * radius, cos * radius


def normal32(ws, out):
    """Float32 Box-Muller pairs of consecutive words ``ws`` (as ``distributions.normal``)."""
    fbuf = np.zeros(1, np.float32)
    ubuf = fbuf.view(np.uint32)
    for i in range(0, out.size - 1, 2):
        out[i], out[i + 1] = _box_muller32(ws[i], ws[i + 1], fbuf, ubuf)
    if out.size % 2:
        out[-1] = _box_muller32(ws[out.size - 1], ws[out.size], fbuf, ubuf)[0]


def _unit64(high, low):
    bits = (np.uint64(high & np.uint32(0xFFFFF)) << np.uint64(32)) | np.uint64(low)
    return np.float64(bits) * (1.0 / (1 << 52))


def _box_muller64(w0, w1, w2, w3):
    u1 = max(_unit64(w0, w1), 1.0e-7)
    angle = _TWO_PI * _unit64(w2, w3)
    radius = np.sqrt(-2.0 * np.log(u1))
    return np.sin(angle) * radius, np.cos(angle) * radius


def normal64(ws, out):
    """Float64 Box-Muller pairs, one per four consecutive words (``distributions.normal``)."""
    for i in range(0, out.size - 1, 2):
        out[i], out[i + 1] = _box_muller64(ws[2 * i], ws[2 * i + 1], ws[2 * i + 2], ws[2 * i + 3])
    if out.size % 2:
        i = out.size - 1
        out[i] = _box_muller64(ws[2 * i], ws[2 * i + 1], ws[2 * i + 2], ws[2 * i + 3])[0]


def truncated(keys, low, high, wide, out):
    """TF's truncated normal (as ``distributions.truncated_normal``): group ``g`` of four
    float32 (two float64) outputs reads counters from ``256 g`` (``128 g``) on."""
    group = 2 if wide else 4
    skip = group * 64
    fbuf = np.zeros(1, np.float32)
    ubuf = fbuf.view(np.uint32)
    for g in range((out.size + group - 1) // group):
        start = low + np.uint64(g * skip)
        carry = np.uint64(1 if start < low else 0)
        filled = 0
        step = 0
        while filled < group:
            lo = start + np.uint64(step)
            ws = _block(keys, lo, high + carry + np.uint64(1 if lo < start else 0))
            step += 1
            if wide:
                pair = _box_muller64(
                    np.uint32(ws[0]), np.uint32(ws[1]), np.uint32(ws[2]), np.uint32(ws[3])
                )
                candidates = (pair[0], pair[1], 9.0, 9.0)
            else:
                a = _box_muller32(np.uint32(ws[0]), np.uint32(ws[1]), fbuf, ubuf)
                b = _box_muller32(np.uint32(ws[2]), np.uint32(ws[3]), fbuf, ubuf)
                candidates = (
                    np.float64(a[0]),
                    np.float64(a[1]),
                    np.float64(b[0]),
                    np.float64(b[1]),
                )
            for value in candidates:
                if filled < group and abs(value) < 2.0:
                    at = g * group + filled
                    if at < out.size:
                        out[at] = value
                    filled += 1


@functools.cache
def loops() -> types.SimpleNamespace | None:
    """The loops above compiled by numba, as attributes of their own names; or None."""
    if os.environ.get("SCOPEFLOW_NUMBA", "1") == "0":
        return None
    try:
        import numba
    except ImportError:  # not installed, or built for another NumPy
        return None
    from numba import extending

    # The helpers become callable from compiled code; the loops compile on their first call.
    for fn in (_block, _unit32, _logf, _sincosf, _box_muller32, _unit64, _box_muller64):
        extending.register_jitable(fn)
    options = {"nogil": True, "error_model": "numpy"}  # no fast-math: the NumPy code's bits
    try:
        jitted = {fn.__name__: numba.njit(cache=True, **options)(fn) for fn in _LOOPS}
    except RuntimeError:  # no writable cache directory: compiled again by each process
        jitted = {fn.__name__: numba.njit(**options)(fn) for fn in _LOOPS}
    return types.SimpleNamespace(**jitted)


_LOOPS = (words, normal32, normal64, truncated)
