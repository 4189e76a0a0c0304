"""What the summary kernels compute, in NumPy: TensorFlow's histogram (its default bucket
limits, empty runs collapsed), float images scaled into uint8 as its ``ImageSummary`` does,
PNG files as its libpng writes them (``zlib``), and 16-bit WAV files as its
``AudioSummaryV2`` writes them.

>>> limits = default_bucket_limits()
>>> len(limits), float(limits[len(limits) // 2])
(1551, 0.0)
"""

from __future__ import annotations

import functools
import struct
import sys
import zlib

import numpy as np

_DBL_MAX = sys.float_info.max


@functools.cache
def default_bucket_limits() -> np.ndarray:
    """TF's ``kDefaultBucketLimits``: ±1e-12 growing by 1.1 while under 1e20, ±DBL_MAX and 0."""
    positive = []
    v = 1e-12
    while v < 1e20:
        positive.append(v)
        v *= 1.1
    positive.append(_DBL_MAX)
    limits = np.array([-p for p in reversed(positive)] + [0.0] + positive)
    limits.flags.writeable = False
    return limits


def histogram(values: np.ndarray) -> tuple[tuple, np.ndarray, np.ndarray]:
    """``((min, max, num, sum, sum_squares), bucket_limits, bucket_counts)`` of finite
    ``values`` as TF's ``Histogram::EncodeToProto`` writes them: each run of empty buckets
    becomes one (ending at the run's last limit); sums are accumulated in order, in double."""
    limits = default_bucket_limits()
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size == 0:
        return (_DBL_MAX, -_DBL_MAX, 0.0, 0.0, 0.0), limits[-1:], np.zeros(1)
    # Bucket b holds limits[b-1] <= v < limits[b] (TF's upper_bound); counted from the sorted
    # values, which is much faster than searching each value among the limits.
    below = np.searchsorted(np.sort(x), limits, side="left")  # values under each limit
    counts = np.diff(below, prepend=0)
    counts[-1] += x.size - below[-1]  # DBL_MAX itself: TF would index past its buckets
    filled = counts > 0
    run_end = ~filled & np.append(filled[1:], True)  # the last bucket of each empty run
    keep = filled | run_end
    total = float(np.cumsum(x)[-1])
    squares = float(np.cumsum(x * x)[-1])
    stats = (float(x.min()), float(x.max()), float(x.size), total, squares)
    return stats, limits[keep], counts[keep].astype(np.float64)


def to_uint8_image(pixels: np.ndarray, bad_color: np.ndarray) -> np.ndarray:
    """A float image ``[h, w, depth]`` in uint8 as TF's ``NormalizeFloatImage``: scaled by
    255/max when no value is negative, else by 127/max|v| around 128 (min and max over the
    pixels whose channels are all finite); other pixels get ``bad_color``."""
    dtype = pixels.dtype.type
    finite = np.isfinite(pixels).all(axis=-1)
    good = pixels[finite].astype(np.float32)
    low = float(good.min()) if good.size else np.inf
    high = float(good.max()) if good.size else -np.inf
    zero = np.float32(1e-6)
    if low < 0:
        top = np.float32(max(abs(low), abs(high)))
        scale = np.float32(0.0) if top < zero else np.float32(127.0) / top
        offset = np.float32(128.0)
    else:
        scale = np.float32(0.0) if high < zero else np.float32(255.0) / np.float32(high)
        offset = np.float32(0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = pixels * dtype(scale) + dtype(offset)
        out = np.where(finite[..., None], scaled, 0).astype(np.uint8)
    out[~finite] = bad_color[: pixels.shape[-1]]
    return out


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _filtered_rows(rows: np.ndarray, bpp: int) -> np.ndarray:
    """Each row prefixed by its filter type and filtered as libpng's adaptive choice: of the
    filters allowed (Up, Average and Paeth need a row above, Sub and the rest a pixel to the
    left), the one whose bytes, read as signed, have the least absolute sum; ties to the
    lower type."""
    raw = rows.astype(np.int16)
    height, width = raw.shape
    prior = np.zeros_like(raw)
    prior[1:] = raw[:-1]
    left = np.zeros_like(raw)
    left[:, bpp:] = raw[:, :-bpp]
    upleft = np.zeros_like(raw)
    upleft[:, bpp:] = prior[:, :-bpp]
    p = left + prior - upleft
    pa, pb, pc = np.abs(p - left), np.abs(p - prior), np.abs(p - upleft)
    paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prior, upleft))
    candidates = np.stack(
        [raw, raw - left, raw - prior, raw - (left + prior) // 2, raw - paeth]
    ).astype(np.uint8)  # modulo 256
    allowed = [True] * 5
    if height == 1:
        allowed[2] = allowed[3] = allowed[4] = False
    if width // bpp == 1:
        allowed[1] = allowed[3] = allowed[4] = False
    signed = candidates.astype(np.int64)
    sums = np.where(signed < 128, signed, 256 - signed).sum(axis=2)
    sums[~np.array(allowed)] = np.iinfo(np.int64).max
    choice = np.argmin(sums, axis=0)
    out = np.empty((height, width + 1), np.uint8)
    out[:, 0] = choice
    out[:, 1:] = candidates[choice, np.arange(height)]
    return out


def _zlib_stream(data: bytes, filtered: bool) -> bytes:
    """``data`` compressed as libpng asks zlib to (level 6, memLevel 9, Z_FILTERED when rows
    are filtered), with its window shrunk for small images and the header's window size
    then lowered to the smallest that covers the data (libpng's ``optimize_cmf``)."""
    size = len(data)
    window_bits = 15
    if size <= 16384:
        half = 1 << (window_bits - 1)
        while size + 262 <= half:
            half >>= 1
            window_bits -= 1
    strategy = zlib.Z_FILTERED if filtered else zlib.Z_DEFAULT_STRATEGY
    compressor = zlib.compressobj(6, zlib.DEFLATED, max(window_bits, 9), 9, strategy)
    stream = bytearray(compressor.compress(data) + compressor.flush())
    cmf = stream[0]
    if size <= 16384 and cmf & 0x0F == 8 and cmf & 0xF0 <= 0x70:
        cinfo = cmf >> 4
        half = 1 << (cinfo + 7)
        if size <= half:
            while True:
                half >>= 1
                cinfo -= 1
                if not (cinfo > 0 and size <= half):
                    break
            stream[0] = cmf = (cmf & 0x0F) | (cinfo << 4)
            flags = stream[1] & 0xE0
            stream[1] = flags + 0x1F - ((cmf << 8) + flags) % 0x1F
    return bytes(stream)


def png(image: np.ndarray) -> bytes:
    """An 8-bit PNG of a uint8 image ``[h, w, channels]`` (1 gray, 2 gray+alpha, 3 RGB,
    4 RGBA), byte for byte as TensorFlow's ``png::WriteImageToBuffer`` (libpng's defaults:
    adaptive row filters, zlib level 6, IDAT chunks of 8 KiB)."""
    height, width, channels = image.shape
    color_type = {1: 0, 2: 4, 3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    rows = _filtered_rows(image.reshape(height, width * channels), channels)
    filtered = height > 1 or width > 1
    stream = _zlib_stream(rows.tobytes(), filtered)
    chunks = [_png_chunk(b"IDAT", stream[i : i + 8192]) for i in range(0, len(stream), 8192)]
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header), *chunks, _png_chunk(b"IEND", b"")]
    )


def wav(frames: np.ndarray, sample_rate: int) -> bytes:
    """A 16-bit PCM WAV of float samples ``[frames, channels]`` as TF's
    ``EncodeAudioAsS16LEWav``: each sample times 32768, rounded half away from zero and
    clipped to int16."""
    length, channels = frames.shape
    y = np.asarray(frames, np.float32) * np.float32(32768.0)
    rounded = np.trunc(y)
    rounded += np.where(np.abs(y - rounded) >= 0.5, np.sign(y), 0)
    samples = np.clip(rounded, -32768, 32767).astype("<i2").tobytes()
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(samples),
        b"WAVE",
        b"fmt ",
        16,
        1,
        channels,
        sample_rate,
        sample_rate * channels * 2,
        channels * 2,
        16,
        b"data",
        len(samples),
    )
    return header + samples
