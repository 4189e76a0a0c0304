"""CRC-32C and LevelDB's masked CRC, as TensorFlow's file formats store them: checkpoint
tables and bundles (``train/``) and the records of events files (``summary/``).

>>> hex(mask_crc(crc32c(b"scopeflow")))
'0x5cadcdcd'
"""

from __future__ import annotations

_MASK_DELTA = 0xA282EAD8


def crc32c(data, crc: int = 0) -> int:
    """CRC-32C of ``data`` (bytes or a read-only uint8 array), extending ``crc``."""
    import google_crc32c

    return google_crc32c.extend(crc, data)


def mask_crc(crc: int) -> int:
    """LevelDB's masked CRC, stored so that a CRC of data holding CRCs is not degenerate."""
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF
