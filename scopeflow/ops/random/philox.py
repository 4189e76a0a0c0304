"""Philox4x32-10, the counter-based generator behind TF's CPU random kernels, in NumPy.

A generator is a 64-bit key and a 128-bit counter; each counter value gives four 32-bit
words through ten rounds of multiply-and-xor, and the counter then steps by one. TF seeds a
random op's generator with its ``(seed, seed2)`` attrs (key = ``seed``, the counter's high
64 bits = ``seed2``) and, on every run, hands the kernel a copy and skips the op's own
generator ahead by ``256`` counters per output element, so the next run draws fresh words.
"""

from __future__ import annotations

import secrets
import threading

import numpy as np

from scopeflow.ops.random import compiled

_MASK32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
_MASK128 = (1 << 128) - 1
_MUL_A = np.uint64(0xD2511F53)  # multiplies word 0
_MUL_B = np.uint64(0xCD9E8D57)  # multiplies word 2
_KEY_STEP = (0x9E3779B9, 0xBB67AE85)  # added to the two key words after each round
_ROUNDS = 10
_LOW = np.uint64(_MASK32)
_32 = np.uint64(32)
RESERVED_PER_OUTPUT = 256  # counters a stateful kernel skips per output element


def philox_words(key: int, counter: int, blocks: int) -> np.ndarray:
    """The ``(blocks, 4)`` uint32 words of counters ``counter .. counter + blocks - 1``.

    >>> philox_words(0, 0, 1)  # Random123's known answer for key 0, counter 0
    array([[1713891541, 3781805453, 3159862348, 2600524760]], dtype=uint32)
    """
    loops = compiled.loops() if 4 * blocks >= compiled.MIN_SIZE else None
    if loops is None:
        return philox_at(key, counter, np.arange(blocks, dtype=np.uint64))
    out = np.empty((blocks, 4), np.uint32)
    low, high = np.uint64(counter & _MASK64), np.uint64((counter >> 64) & _MASK64)
    loops.words(compiled.round_keys(key & _MASK64), low, high, blocks, out.reshape(-1))
    return out


def philox_at(key: int, counter: int, offsets: np.ndarray) -> np.ndarray:
    """The ``(len(offsets), 4)`` uint32 words of counters ``counter + offsets`` (mod 2**128)."""
    counter &= _MASK128
    base = np.uint64(counter & _MASK64)
    low = base + offsets  # wraps past 2**64 into a carry
    high = np.uint64((counter >> 64) & _MASK64) + (low < base).astype(np.uint64)
    c0, c1, c2, c3 = low & _LOW, low >> _32, high & _LOW, high >> _32
    k0, k1 = key & _MASK32, (key >> 32) & _MASK32
    for _ in range(_ROUNDS):
        p0 = c0 * _MUL_A
        p1 = c2 * _MUL_B
        c0, c1, c2, c3 = (
            (p1 >> _32) ^ c1 ^ np.uint64(k0),
            p1 & _LOW,
            (p0 >> _32) ^ c3 ^ np.uint64(k1),
            p0 & _LOW,
        )
        k0, k1 = (k0 + _KEY_STEP[0]) & _MASK32, (k1 + _KEY_STEP[1]) & _MASK32
    return np.stack([c0, c1, c2, c3], axis=1).astype(np.uint32)


class PhiloxState:
    """One random op's generator in one session: its key and next counter.

    ``reserve(n)`` returns the counter a kernel filling ``n`` outputs starts from and moves
    the stream past what TF reserves for them (``256 * n`` counters).
    """

    def __init__(self, seed: int, seed2: int):
        if seed == 0 and seed2 == 0:  # TF: fresh 64-bit entropy for both
            seed, seed2 = secrets.randbits(64), secrets.randbits(64)
        self.key = seed & _MASK64
        self.counter = (seed2 & _MASK64) << 64
        self._lock = threading.Lock()

    def reserve(self, outputs: int) -> int:
        """The start of ``outputs`` outputs' counters (a distribution kernel's reservation)."""
        return self.skip(RESERVED_PER_OUTPUT * outputs)

    def skip(self, counters: int) -> int:
        """The start of the next ``counters`` counters, which the stream then moves past."""
        with self._lock:
            start = self.counter
            self.counter = (start + counters) & _MASK128
        return start


def op_stream(ctx, op) -> PhiloxState:
    """The session's generator of a seeded random ``op`` (made from its seed attrs)."""
    attrs = op._attrs
    return ctx.op_state(op, lambda: PhiloxState(int(attrs["seed"]), int(attrs["seed2"])))
