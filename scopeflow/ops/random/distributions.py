"""TF's CPU distributions over Philox words: what ``RandomUniform``, ``RandomStandardNormal``,
``TruncatedNormal`` and ``RandomUniformInt`` put in each output element.

Fixed-size distributions use counters one after another: the ``i``-th counter's four words
give four float32/float16 values (a word's low 23 or 10 bits as the mantissa of a number in
``[1, 2)``, minus one), two float64 (52 bits from a word pair), two Box-Muller pairs, or
one float64 pair. The truncated normal fills groups of four (float64: two) outputs, group
``g`` reading words from counter ``start + 256 g`` (``128 g`` for float64) and keeping the
Box-Muller values of magnitude under two in order.
"""

from __future__ import annotations

import math

import numpy as np

from scopeflow.ops.random import compiled
from scopeflow.ops.random.libm32 import logf, sincosf
from scopeflow.ops.random.philox import RESERVED_PER_OUTPUT, philox_at, philox_words

_EPSILON32 = np.float32(1.0e-7)  # Box-Muller's floor for the uniform it takes the log of
_TWO_PI = 2.0 * np.pi


def _blocks(count: int, per_block: int) -> int:
    return -(-count // per_block)


def unit_float32(words: np.ndarray) -> np.ndarray:
    """Uniform float32 in ``[0, 1)`` from the low 23 bits of each word."""
    mantissa = (words & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000)
    return mantissa.view(np.float32) - np.float32(1.0)


def unit_float64(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """Uniform float64 in ``[0, 1)``: 20 bits of ``high`` above the 32 of ``low``."""
    bits = ((high & np.uint32(0xFFFFF)).astype(np.uint64) << np.uint64(32)) | low
    return (bits | np.uint64(0x3FF0000000000000)).view(np.float64) - 1.0


def _unit_float16(words: np.ndarray) -> np.ndarray:
    bits = ((words & np.uint32(0x3FF)) | np.uint32(0x3C00)).astype(np.uint16)
    return bits.view(np.float16) - np.float16(1.0)


def _unit_bfloat16(words: np.ndarray, dtype: np.dtype) -> np.ndarray:
    bits = ((words & np.uint32(0x7F)) | np.uint32(0x3F80)).astype(np.uint16)
    return (bits.view(dtype) - dtype.type(1.0)).astype(dtype)


def uniform(key: int, counter: int, size: int, dtype: np.dtype) -> np.ndarray:
    """``RandomUniform``: ``size`` values in ``[0, 1)`` of ``dtype``."""
    if dtype == np.float64:
        words = philox_words(key, counter, _blocks(size, 2)).reshape(-1, 2)[:size]
        return unit_float64(words[:, 0], words[:, 1])
    words = philox_words(key, counter, _blocks(size, 4)).reshape(-1)[:size]
    if dtype == np.float32:
        return unit_float32(words)
    if dtype == np.float16:
        return _unit_float16(words)
    return _unit_bfloat16(words, dtype)


def box_muller32(w0: np.ndarray, w1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TF's float32 Box-Muller pair from two words, as its C++ computes it."""
    u1 = np.maximum(unit_float32(w0), _EPSILON32)
    angle = (_TWO_PI * unit_float32(w1).astype(np.float64)).astype(np.float32)
    radius = np.sqrt(np.float32(-2.0) * logf(u1))
    sin, cos = sincosf(angle)
    return sin * radius, cos * radius


def box_muller64(words: np.ndarray) -> np.ndarray:
    """TF's float64 Box-Muller pairs, one per row of four words: ``(rows, 2)``."""
    u1 = np.maximum(unit_float64(words[:, 0], words[:, 1]), 1.0e-7)
    angle = _TWO_PI * unit_float64(words[:, 2], words[:, 3])
    radius = np.sqrt(-2.0 * _c_log(u1).astype(np.float64))
    return np.stack([np.sin(angle) * radius, np.cos(angle) * radius], axis=1)


# The C library's double ``log``, which TF's Box-Muller calls. NumPy 2.4's SIMD float64 log
# differs from it in the last bit on about one input in 700 (its sin and cos agree), so the
# float64 normals would not be TF's; ``math.log`` calls the C library (~0.1 us a value; from
# compiled.MIN_SIZE values on, the compiled loops call it directly).
_c_log = np.frompyfunc(math.log, 1, 1)


def normal(key: int, counter: int, size: int, dtype: np.dtype) -> np.ndarray:
    """``RandomStandardNormal``: ``size`` standard normal values of ``dtype``."""
    wide = dtype == np.float64
    words = philox_words(key, counter, _blocks(size, 2 if wide else 4))
    loops = compiled.loops() if size >= compiled.MIN_SIZE else None
    if loops is not None:
        values = np.empty(size, np.float64 if wide else np.float32)
        (loops.normal64 if wide else loops.normal32)(words.reshape(-1), values)
        return values.astype(dtype, copy=False)
    if wide:
        return box_muller64(words).reshape(-1)[:size]
    pairs = np.empty(words.shape, np.float32)
    pairs[:, 0::2], pairs[:, 1::2] = box_muller32(words[:, 0::2], words[:, 1::2])
    return pairs.reshape(-1)[:size].astype(dtype, copy=False)


def _candidates(key: int, counter: int, starts: np.ndarray, blocks: int, wide: bool):
    """Box-Muller values of ``blocks`` counters from each ``counter + start``, in order."""
    offsets = (starts[:, None] + np.arange(blocks, dtype=np.uint64)[None, :]).reshape(-1)
    words = philox_at(key, counter, offsets)
    if wide:
        return box_muller64(words).reshape(len(starts), -1)
    out = np.empty(words.shape, np.float32)
    out[:, 0::2], out[:, 1::2] = box_muller32(words[:, 0::2], words[:, 1::2])
    return out.reshape(len(starts), -1)


def truncated_normal(key: int, counter: int, size: int, dtype: np.dtype) -> np.ndarray:
    """``TruncatedNormal``: standard normal values under two in magnitude, as TF picks them."""
    wide = dtype == np.float64
    loops = compiled.loops() if size >= compiled.MIN_SIZE else None
    if loops is not None:
        values = np.empty(size, np.float64 if wide else np.float32)
        low, high = np.uint64(counter & (2**64 - 1)), np.uint64(counter >> 64)
        loops.truncated(compiled.round_keys(key), low, high, wide, values)
        return values.astype(dtype, copy=False)
    group = 2 if wide else 4
    skip = group * RESERVED_PER_OUTPUT // 4
    groups = _blocks(size, group)
    starts = np.arange(groups, dtype=np.uint64) * np.uint64(skip)
    out = np.empty((groups, group), np.float64 if wide else np.float32)
    todo, blocks = np.arange(groups), 2
    while len(todo):
        values = _candidates(key, counter, starts[todo], blocks, wide)
        kept = np.abs(values) < 2.0
        done = kept.sum(axis=1) >= group
        rows = todo[done]
        picked = np.argsort(~kept[done], axis=1, kind="stable")[:, :group]
        out[rows] = np.take_along_axis(values[done], picked, axis=1)
        todo, blocks = todo[~done], blocks * 2
    return out.reshape(-1)[:size].astype(dtype, copy=False)


def uniform_int(key: int, counter: int, size: int, low: int, high: int, dtype) -> np.ndarray:
    """``RandomUniformInt``: ``low + word % (high - low)``; int64 from pairs of words."""
    span = (high - low) % (1 << 64)
    if np.dtype(dtype) == np.int64:
        words = philox_words(key, counter, _blocks(size, 2)).reshape(-1, 2)[:size]
        bits = words[:, 0].astype(np.uint64) | (words[:, 1].astype(np.uint64) << np.uint64(32))
        offset = bits % np.uint64(span)
        return (offset + np.uint64(low % (1 << 64))).view(np.int64)
    words = philox_words(key, counter, _blocks(size, 4)).reshape(-1)[:size]
    offset = words % np.uint32(span)
    return (offset + np.uint32(low % (1 << 32))).view(np.int32)


def word_stream(key: int, counter: int, count: int) -> np.ndarray:
    """``count`` words one after another from ``counter`` (TF's ``SingleSampleAdapter``)."""
    return philox_words(key, counter, _blocks(count, 4)).reshape(-1)[:count]


def shuffle_order(key: int, counter: int, size: int) -> np.ndarray:
    """``RandomShuffle``'s permutation of ``size`` rows: TF's forward Fisher-Yates, swapping
    row ``i`` with row ``i + word_i % (size - i)``."""
    order = list(range(size))
    steps = np.arange(size - 1, dtype=np.uint32)
    picks = steps + word_stream(key, counter, size - 1) % (np.uint32(size) - steps)
    for i, j in enumerate(picks.tolist()):
        order[i], order[j] = order[j], order[i]
    return np.array(order, np.int64)


def multinomial(key: int, counter: int, logits: np.ndarray, samples: int, dtype) -> np.ndarray:
    """``Multinomial``: per row, TF's unnormalized float64 CDF of ``exp(logit - max)`` over
    the finite logits, searched (upper bound) for uniform float64 draws times its total.
    The rows draw one after another, as TF's kernel does when it runs in one piece."""
    logits = np.asarray(logits)
    finite = np.isfinite(logits)
    lowest = np.finfo(logits.dtype).min
    top = np.where(finite, logits, lowest).max(axis=1, keepdims=True).astype(np.float64)
    weights = np.where(finite, np.exp(logits.astype(np.float64) - top), 0.0)
    cdf = np.cumsum(weights, axis=1)
    words = word_stream(key, counter, 2 * logits.shape[0] * samples).reshape(-1, samples, 2)
    targets = unit_float64(words[..., 0], words[..., 1]) * cdf[:, -1:]
    out = np.empty((logits.shape[0], samples), dtype)
    for row in range(logits.shape[0]):
        out[row] = np.searchsorted(cdf[row], targets[row], side="right")
    return out
