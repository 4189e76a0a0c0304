"""PNG reading and writing with the standard library's ``zlib``: what ``DecodePng`` and
``EncodePng`` compute, as TF's libpng settings do.

Decoding reads every colour type (gray, RGB, palette, gray + alpha, RGBA), bit depths 1 to 16
and Adam7 interlacing, checks each chunk's CRC, undoes the five scanline filters, and converts
to the channels asked for: palette to RGB(A), gray to RGB, RGB to gray with libpng's
fixed-point ITU-R 601 weights, a ``tRNS`` colour key or TF's filler to alpha, alpha
stripped, 16-bit samples to 8 by their high byte.
Encoding writes 8- or 16-bit gray, gray + alpha, RGB or RGBA, each row filtered with the
filter (of the five) whose output has the smallest sum of absolute values, as libpng's
default heuristic does.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
# Adam7 passes: (first row, first column, row step, column step)
_ADAM7 = [(0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4), (2, 0, 4, 2), (0, 1, 2, 2)]
_ADAM7.append((1, 0, 2, 1))
# libpng's png_set_rgb_to_gray(..., 0.299, 0.587): 15-bit fixed-point weights
_GRAY_WEIGHTS = (9798, 19235, 32768 - 9798 - 19235)


class PngError(ValueError):
    """The bytes are not a PNG image scopeflow can read."""


def _chunks(data: bytes):
    if not data.startswith(SIGNATURE):
        raise PngError("not a PNG file (bad signature)")
    pos = len(SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length or pos + 12 + length > len(data):
            raise PngError(f"truncated {kind.decode('latin-1')} chunk")
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise PngError(f"CRC error in the {kind.decode('latin-1')} chunk")
        yield kind, body
        if kind == b"IEND":
            return
        pos += 12 + length
    raise PngError("truncated PNG file (no IEND chunk)")


def _unfilter(raw: bytes, height: int, row_bytes: int, bpp: int) -> np.ndarray:
    """The filtered scanlines ``raw`` (a filter byte, then ``row_bytes`` bytes each) as a
    ``(height, row_bytes)`` uint8 array; ``bpp`` bytes per complete pixel (at least 1)."""
    need = height * (row_bytes + 1)
    if len(raw) < need:
        raise PngError("image data is truncated")
    rows = np.frombuffer(raw[:need], np.uint8).reshape(height, row_bytes + 1)
    out = np.zeros((height, row_bytes), np.uint8)
    prior = np.zeros(row_bytes, np.uint8)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:]
        if kind == 0:
            row = line.copy()
        elif kind == 1:  # Sub: a running sum per byte of the pixel
            padded = np.zeros(-(-row_bytes // bpp) * bpp, np.uint8)
            padded[:row_bytes] = line
            row = np.cumsum(padded.reshape(-1, bpp), axis=0, dtype=np.uint8).reshape(-1)
            row = row[:row_bytes]
        elif kind == 2:  # Up
            row = line + prior
        elif kind in (3, 4):  # Average, Paeth: sequential along the row
            row = _sequential(kind, line.tolist(), prior.tolist(), bpp)
        else:
            raise PngError(f"bad filter type {kind}")
        out[y] = row
        prior = out[y]
    return out


def _sequential(kind: int, line: list, prior: list, bpp: int) -> np.ndarray:
    row = [0] * len(line)
    for i, value in enumerate(line):
        left = row[i - bpp] if i >= bpp else 0
        up = prior[i]
        if kind == 3:
            row[i] = (value + ((left + up) >> 1)) & 0xFF
            continue
        up_left = prior[i - bpp] if i >= bpp else 0
        estimate = left + up - up_left
        pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - up_left)
        predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
        row[i] = (value + predictor) & 0xFF
    return np.asarray(row, np.uint8)


def _samples(rows: np.ndarray, width: int, depth: int, samples: int) -> np.ndarray:
    """Unfiltered rows as ``(height, width, samples)`` integer samples."""
    height = rows.shape[0]
    if depth == 16:
        flat = rows.reshape(height, -1).view(">u2").astype(np.uint16)
        return flat.reshape(height, width, samples)
    if depth == 8:
        return rows.reshape(height, width, samples)
    bits = np.unpackbits(rows, axis=1).reshape(height, -1, depth)
    values = bits.dot(1 << np.arange(depth - 1, -1, -1)).astype(np.uint8)
    return values[:, : width * samples].reshape(height, width, samples)


def _pixels(data: bytes, header: dict) -> np.ndarray:
    width, height = header["width"], header["height"]
    depth, samples = header["depth"], _CHANNELS[header["color"]]
    bits = depth * samples
    bpp = max(bits // 8, 1)
    if not header["interlace"]:
        rows = _unfilter(data, height, -(-width * bits // 8), bpp)
        return _samples(rows, width, depth, samples)
    out = np.zeros((height, width, samples), np.uint16 if depth == 16 else np.uint8)
    pos = 0
    for row0, col0, row_step, col_step in _ADAM7:
        sub_h = -(-(height - row0) // row_step) if height > row0 else 0
        sub_w = -(-(width - col0) // col_step) if width > col0 else 0
        if sub_h == 0 or sub_w == 0:
            continue
        row_bytes = -(-sub_w * bits // 8)
        rows = _unfilter(data[pos:], sub_h, row_bytes, bpp)
        pos += sub_h * (row_bytes + 1)
        out[row0::row_step, col0::col_step] = _samples(rows, sub_w, depth, samples)
    return out


def _read(data: bytes):
    """(header, pixels as stored, palette, tRNS body)."""
    header, palette, transparency, parts = None, None, None, []
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            if len(body) != 13:
                raise PngError("bad IHDR chunk")
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if color not in _CHANNELS or depth not in (1, 2, 4, 8, 16):
                raise PngError(f"unsupported colour type {color} with bit depth {depth}")
            header = dict(width=width, height=height, depth=depth, color=color)
            header["interlace"] = interlace
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"tRNS":
            transparency = body
        elif kind == b"IDAT":
            parts.append(body)
    if header is None:
        raise PngError("no IHDR chunk")
    try:
        raw = zlib.decompress(b"".join(parts))
    except zlib.error as e:
        raise PngError(f"corrupt image data: {e}") from None
    return header, _pixels(raw, header), palette, transparency


def _to_gray(rgb: np.ndarray, depth: int) -> np.ndarray:
    """libpng's rgb_to_gray with the 601 weights: ``(rc r + gc g + bc b) >> 15`` (rounded
    for 16-bit samples), equal channels passed through. (For 16-bit samples libpng goes
    through its gamma tables, which move some values by a few units in 65535.)"""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    rc, gc, bc = _GRAY_WEIGHTS
    gray = (rc * r + gc * g + bc * b + (16384 if depth == 16 else 0)) >> 15
    gray = np.where((r == g) & (r == b), r, gray)
    return gray[..., None]


def decode(data: bytes, channels: int, sixteen: bool) -> np.ndarray:
    """The ``(height, width, channels)`` pixels of PNG ``data`` as TF's libpng settings give
    them (``channels`` 0: as stored, a palette image with a ``tRNS`` chunk as RGBA), uint16
    when ``sixteen``. An added alpha channel is TF's filler, ``2**bit_depth - 1`` of the
    stored bit depth."""
    if channels not in (0, 1, 3, 4):
        raise PngError(f"`channels` must be 0, 1, 3 or 4 but got {channels}")
    header, pixels, palette, transparency = _read(data)
    color, depth = header["color"], header["depth"]
    filler = (1 << depth) - 1
    alpha = None
    if color == 3:
        if palette is None:
            raise PngError("palette image without a PLTE chunk")
        if pixels.max(initial=0) >= len(palette):
            raise PngError("palette index out of range")
        index = pixels[..., 0]
        if transparency is not None:
            table = np.full(len(palette), 255, np.uint8)
            table[: len(transparency)] = np.frombuffer(transparency, np.uint8)[: len(palette)]
            alpha = table[index][..., None]
        color_part, depth = palette[index], 8
    else:
        if depth < 8:  # libpng's expand_gray_1_2_4_to_8
            pixels = pixels * np.uint8(255 // ((1 << depth) - 1))
            depth = 8
        samples = _CHANNELS[color]
        color_part = pixels[..., : samples - 1] if color in (4, 6) else pixels
        if color in (4, 6):
            alpha = pixels[..., samples - 1 :]
    stored = color_part.shape[-1] + (alpha is not None)
    want = channels or stored
    if want == 4 and alpha is None and transparency is not None and color != 3:
        key = np.frombuffer(transparency, ">u2").astype(np.int64)
        if header["depth"] < 8:
            key = key * (255 // ((1 << header["depth"]) - 1))
        opaque = (color_part.astype(np.int64) != key[: color_part.shape[-1]]).any(-1)
        alpha = np.where(opaque, (1 << depth) - 1, 0)[..., None]
    if want == 1 and color_part.shape[-1] == 3:
        color_part = _to_gray(color_part, depth)
    elif want in (3, 4) and color_part.shape[-1] == 1:
        color_part = np.repeat(color_part, 3, axis=-1)
    if want in (2, 4):  # 2: a gray + alpha image kept as stored
        if alpha is None:
            alpha = np.full(color_part.shape[:-1] + (1,), min(filler, (1 << depth) - 1))
        color_part = np.concatenate([color_part, alpha], axis=-1)
    out = color_part.astype(np.int64)
    if sixteen and depth == 8:
        out = out * 257
    elif not sixteen and depth == 16:
        out = out >> 8  # libpng's strip_16
    return out.astype(np.uint16 if sixteen else np.uint8)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _filtered(rows: np.ndarray, bpp: int) -> bytes:
    """Each row with the filter whose output has the smallest sum of absolute values (as
    signed bytes), its filter byte first."""
    out = []
    prior = np.zeros(rows.shape[1], np.int64)
    for row in rows.astype(np.int64):
        left = np.concatenate([np.zeros(bpp, np.int64), row[:-bpp]])
        up_left = np.concatenate([np.zeros(bpp, np.int64), prior[:-bpp]])
        estimate = left + prior - up_left
        pa, pb, pc = np.abs(estimate - left), np.abs(estimate - prior), np.abs(estimate - up_left)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prior, up_left))
        candidates = [row, row - left, row - prior, row - ((left + prior) >> 1), row - paeth]
        candidates = [(c & 0xFF).astype(np.uint8) for c in candidates]
        costs = [np.abs(c.view(np.int8).astype(np.int64)).sum() for c in candidates]
        best = int(np.argmin(costs))
        out.append(bytes([best]) + candidates[best].tobytes())
        prior = row
    return b"".join(out)


def encode(image: np.ndarray, level: int) -> bytes:
    """``image`` (``(height, width, channels)``, uint8 or uint16, 1 to 4 channels) as PNG
    bytes, compressed at zlib ``level`` (-1: the default)."""
    height, width, channels = image.shape
    sixteen = image.dtype == np.uint16
    color = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, 16 if sixteen else 8, color, 0, 0, 0)
    samples = image.astype(">u2") if sixteen else image.astype(np.uint8)
    rows = np.frombuffer(samples.tobytes(), np.uint8).reshape(height, -1)
    bpp = channels * (2 if sixteen else 1)
    body = zlib.compress(_filtered(rows, bpp), level)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")
