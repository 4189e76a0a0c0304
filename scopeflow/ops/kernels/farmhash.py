"""FarmHash's ``Fingerprint64`` (``farmhashna::Hash64``), the 64-bit fingerprint TensorFlow
hashes strings with (``tf.string_to_hash_bucket_fast``, ``tf.fingerprint``), in pure Python on
64-bit integers; checked against TensorFlow for every length up to 140 bytes and longer ones.

>>> fingerprint64(b"")  # k2, the value of the empty string
11160318154034397263
"""

from __future__ import annotations

M = 0xFFFFFFFFFFFFFFFF  # arithmetic is modulo 2**64, as in C
K0, K1, K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


def _fetch(s, i):
    return int.from_bytes(s[i : i + 8], "little")


def _fetch32(s, i):
    return int.from_bytes(s[i : i + 4], "little")


def _rot(v, shift):
    return v if shift == 0 else ((v >> shift) | (v << (64 - shift))) & M


def _shift_mix(v):
    return v ^ (v >> 47)


def _len16(u, v, mul):
    a = ((u ^ v) * mul) & M
    a ^= a >> 47
    b = ((v ^ a) * mul) & M
    b ^= b >> 47
    return (b * mul) & M


def _len0to16(s, n):
    if n >= 8:
        mul = K2 + n * 2
        a = (_fetch(s, 0) + K2) & M
        b = _fetch(s, n - 8)
        c = (_rot(b, 37) * mul + a) & M
        d = ((_rot(a, 25) + b) * mul) & M
        return _len16(c, d, mul)
    if n >= 4:
        mul = K2 + n * 2
        a = _fetch32(s, 0)
        return _len16((n + (a << 3)) & M, _fetch32(s, n - 4), mul)
    if n > 0:
        a, b, c = s[0], s[n >> 1], s[n - 1]
        y = (a + (b << 8)) & 0xFFFFFFFF
        z = (n + (c << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * K2) ^ (z * K0)) & M) * K2) & M
    return K2


def _len17to32(s, n):
    mul = K2 + n * 2
    a = (_fetch(s, 0) * K1) & M
    b = _fetch(s, 8)
    c = (_fetch(s, n - 8) * mul) & M
    d = (_fetch(s, n - 16) * K2) & M
    return _len16(
        (_rot((a + b) & M, 43) + _rot(c, 30) + d) & M, (a + _rot((b + K2) & M, 18) + c) & M, mul
    )


def _weak32(w, x, y, z, a, b):
    a = (a + w) & M
    b = _rot((b + a + z) & M, 21)
    c = a
    a = (a + x + y) & M
    b = (b + _rot(a, 44)) & M
    return (a + z) & M, (b + c) & M


def _weak32s(s, i, a, b):
    return _weak32(_fetch(s, i), _fetch(s, i + 8), _fetch(s, i + 16), _fetch(s, i + 24), a, b)


def _len33to64(s, n):
    mul = K2 + n * 2
    a = (_fetch(s, 0) * K2) & M
    b = _fetch(s, 8)
    c = (_fetch(s, n - 8) * mul) & M
    d = (_fetch(s, n - 16) * K2) & M
    y = (_rot((a + b) & M, 43) + _rot(c, 30) + d) & M
    z = _len16(y, (a + _rot((b + K2) & M, 18) + c) & M, mul)
    e = (_fetch(s, 16) * mul) & M
    f = _fetch(s, 24)
    g = ((y + _fetch(s, n - 32)) * mul) & M
    h = ((z + _fetch(s, n - 24)) * mul) & M
    return _len16(
        (_rot((e + f) & M, 43) + _rot(g, 30) + h) & M, (e + _rot((f + a) & M, 18) + g) & M, mul
    )


def fingerprint64(s: bytes) -> int:
    """The FarmHash ``Fingerprint64`` of ``s``, an unsigned 64-bit int."""
    n = len(s)
    if n <= 16:
        return _len0to16(s, n)
    if n <= 32:
        return _len17to32(s, n)
    if n <= 64:
        return _len33to64(s, n)
    seed = 81
    x = seed
    y = (seed * K1 + 113) & M
    z = (_shift_mix((y * K2 + 113) & M) * K2) & M
    v = (0, 0)
    w = (0, 0)
    x = (x * K2 + _fetch(s, 0)) & M
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rot((x + y + v[0] + _fetch(s, i + 8)) & M, 37) * K1) & M
        y = (_rot((y + v[1] + _fetch(s, i + 48)) & M, 42) * K1) & M
        x ^= w[1]
        y = (y + v[0] + _fetch(s, i + 40)) & M
        z = (_rot((z + w[0]) & M, 33) * K1) & M
        v = _weak32s(s, i, (v[1] * K1) & M, (x + w[0]) & M)
        w = _weak32s(s, i + 32, (z + w[1]) & M, (y + _fetch(s, i + 16)) & M)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = K1 + ((z & 0xFF) << 1)
    i = last64
    w = ((w[0] + ((n - 1) & 63)) & M, w[1])
    v = ((v[0] + w[0]) & M, v[1])
    w = ((w[0] + v[0]) & M, w[1])
    x = (_rot((x + y + v[0] + _fetch(s, i + 8)) & M, 37) * mul) & M
    y = (_rot((y + v[1] + _fetch(s, i + 48)) & M, 42) * mul) & M
    x ^= (w[1] * 9) & M
    y = (y + v[0] * 9 + _fetch(s, i + 40)) & M
    z = (_rot((z + w[0]) & M, 33) * mul) & M
    v = _weak32s(s, i, (v[1] * mul) & M, (x + w[0]) & M)
    w = _weak32s(s, i + 32, (z + w[1]) & M, (y + _fetch(s, i + 16)) & M)
    z, x = x, z
    return _len16(
        (_len16(v[0], w[0], mul) + _shift_mix(y) * K0 + z) & M,
        (_len16(v[1], w[1], mul) + x) & M,
        mul,
    )
