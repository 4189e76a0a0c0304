"""glibc's single-precision ``logf`` and ``sincosf``, evaluated in NumPy float64.

TF's Box-Muller transform calls the C library's ``logf`` and ``sincosf`` on float32
values. These are not correctly rounded, and NumPy's own float32 ``log``/``sin``/``cos``
(SIMD code) differ from them on about one input in ten, so the float32 normals would
differ from TF's in the last bit. glibc (2.28 and later, all x86-64 Linux TF wheels run on)
computes both in double precision from a small table and short polynomials; these functions
repeat those steps with glibc's constants. Checked equal to glibc 2.36's results for every
input Box-Muller gives them (all 2**23 uniform floats, and ``2 pi`` times each of them).
"""

from __future__ import annotations

import numpy as np

_hex = float.fromhex

# log(x) = log1p(z/c - 1) + log(c) + k log(2), with z in [0x1.66p-1, 0x1.66p0] and c near
# the centre of the 16th of that range holding z: (1/c, log c) per sixteenth.
_LOG_TABLE = np.array(
    [
        [_hex(a), _hex(b)]
        for a, b in (
            ("0x1.661ec79f8f3bep+0", "-0x1.57bf7808caadep-2"),
            ("0x1.571ed4aaf883dp+0", "-0x1.2bef0a7c06ddbp-2"),
            ("0x1.49539f0f010bp+0", "-0x1.01eae7f513a67p-2"),
            ("0x1.3c995b0b80385p+0", "-0x1.b31d8a68224e9p-3"),
            ("0x1.30d190c8864a5p+0", "-0x1.6574f0ac07758p-3"),
            ("0x1.25e227b0b8eap+0", "-0x1.1aa2bc79c81p-3"),
            ("0x1.1bb4a4a1a343fp+0", "-0x1.a4e76ce8c0e5ep-4"),
            ("0x1.12358f08ae5bap+0", "-0x1.1973c5a611cccp-4"),
            ("0x1.0953f419900a7p+0", "-0x1.252f438e10c1ep-5"),
            ("0x1p+0", "0x0p+0"),
            ("0x1.e608cfd9a47acp-1", "0x1.aa5aa5df25984p-5"),
            ("0x1.ca4b31f026aap-1", "0x1.c5e53aa362eb4p-4"),
            ("0x1.b2036576afce6p-1", "0x1.526e57720db08p-3"),
            ("0x1.9c2d163a1aa2dp-1", "0x1.bc2860d22477p-3"),
            ("0x1.886e6037841edp-1", "0x1.1058bc8a07ee1p-2"),
            ("0x1.767dcf5534862p-1", "0x1.4043057b6ee09p-2"),
        )
    ]
)
_LN2 = _hex("0x1.62e42fefa39efp-1")
_LOG_POLY = [
    _hex(c) for c in ("-0x1.00ea348b88334p-2", "0x1.5575b0be00b6ap-2", "-0x1.ffffef20a4123p-2")
]
_LOG_OFFSET = np.uint32(0x3F330000)


def logf(x: np.ndarray) -> np.ndarray:
    """glibc's ``logf`` of positive normal float32 values.

    >>> logf(np.array([1.0, 0.5], np.float32)).tolist()
    [0.0, -0.6931471824645996]
    """
    bits = np.ascontiguousarray(x, np.float32).view(np.uint32)
    shifted = bits - _LOG_OFFSET
    row = (shifted >> np.uint32(19)) & np.uint32(15)
    exponent = shifted.view(np.int32) >> 23
    z = (bits - (shifted & np.uint32(0x1FF << 23))).view(np.float32).astype(np.float64)
    r = z * _LOG_TABLE[row, 0] - 1.0
    base = _LOG_TABLE[row, 1] + exponent * _LN2
    r2 = r * r
    y = _LOG_POLY[1] * r + _LOG_POLY[2]
    y = _LOG_POLY[0] * r2 + y
    out = (y * r2 + (base + r)).astype(np.float32)
    out[bits == np.uint32(0x3F800000)] = 0.0
    return out


_HALF_PI_INV = _hex("0x1.45F306DC9C883p+23")  # 2/pi scaled by 2**24: the quadrant in bits 24+
_HALF_PI = _hex("0x1.921FB54442D18p0")
_COS_POLY = [1.0] + [
    _hex(c)
    for c in ("-0x1.ffffffd0c621cp-2", "0x1.55553e1068f19p-5", "-0x1.6c087e89a359dp-10",
              "0x1.99343027bf8c3p-16")
]  # fmt: skip
_SIN_POLY = [
    _hex(c) for c in ("-0x1.555545995a603p-3", "0x1.1107605230bc4p-7", "-0x1.994eb3774cf24p-13")
]


def sincosf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """glibc's ``sincosf`` of float32 values in ``[0, 120)``.

    >>> [v.tolist() for v in sincosf(np.array([0.0, 1.0], np.float32))]
    [[0.0, 0.8414709568023682], [1.0, 0.5403022766113281]]
    """
    x = np.ascontiguousarray(x, np.float32)
    top = (x.view(np.uint32) >> np.uint32(20)) & np.uint32(0x7FF)
    wide = x.astype(np.float64)
    # Below 0.75 (top 0x3f4) no reduction; else the nearest multiple n of pi/2 is taken off.
    quadrant = np.where(top < 0x3F4, 0, ((wide * _HALF_PI_INV).astype(np.int32) + 0x800000) >> 24)
    wide = wide - quadrant * _HALF_PI
    flip = np.where((quadrant & 2) != 0, -1.0, 1.0)  # quadrants 2, 3: cos polynomial negated
    xs = wide * np.where(((quadrant + 1) & 2) != 0, -1.0, 1.0)  # sin's sign per quadrant
    x2 = wide * wide
    x3, x4 = x2 * xs, x2 * x2
    c2 = flip * _COS_POLY[3] + x2 * (flip * _COS_POLY[4])
    s1 = _SIN_POLY[1] + x2 * _SIN_POLY[2]
    c1 = flip * _COS_POLY[0] + x2 * (flip * _COS_POLY[1])
    sin_part = ((xs + x3 * _SIN_POLY[0]) + (x3 * x2) * s1).astype(np.float32)
    cos_part = ((c1 + x4 * (flip * _COS_POLY[2])) + (x4 * x2) * c2).astype(np.float32)
    odd = (quadrant & 1) != 0  # odd quadrants swap the two polynomials
    sin, cos = np.where(odd, cos_part, sin_part), np.where(odd, sin_part, cos_part)
    tiny = top < 0x398  # below 2**-12: sin x = x, cos x = 1
    return np.where(tiny, x, sin), np.where(tiny, np.float32(1.0), cos)
