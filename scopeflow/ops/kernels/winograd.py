"""Winograd's minimal filtering F(2x2, 3x3) for stride-1, undilated 3x3 convolutions (NHWC
images, HWIO filters), the common case of ResNet-style CNNs.

The padded image is cut into 4x4 tiles at a stride of 2, each making a 2x2 block of the
output. With ``B``, ``G`` and ``A`` the transforms of Lavin and Gray (2015), a tile ``d`` and a
filter ``g`` (one channel pair) give ``Y = A' [(G g G') * (B' d B)] A``: the 9 multiplies per
output pixel and channel pair of a direct convolution become 4, as 16 matrix products (one
per position of the 4x4 transformed tile) of (tiles, C) with (C, O). The transforms are
additions on strided views of the whole chunk of tiles, channels innermost.

The filter gradient is the adjoint of the same formula: ``G' [sum over tiles and images of
(B' d B)' (A dY A')] G``, again 16 matrix products, of (C, tiles) with (tiles, O). The input
gradient at stride 1 is a forward convolution of ``dy`` with the flipped filter
(:func:`scopeflow.ops.kernels.conv.conv2d_backprop_input`), so it uses :func:`conv2d`.

The transform constants are 0, 1 and 1/2: float32 results stay within a few ulps of
im2col's per multiply-add, as the tests check against float64 references.
"""

from __future__ import annotations

import numpy as np

from scopeflow.ops.kernels import workspace
from scopeflow.ops.kernels.parallel import Threads
from scopeflow.ops.kernels.windows import Pads, in_chunks, pad_spatial

_G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])
_FILTER_CHUNK_BYTES = 1 << 23


def usable(k, strides, dilations) -> bool:
    """Whether F(2x2, 3x3) computes a conv2d of these filter sizes, strides and dilations."""
    return tuple(k) == (3, 3) and tuple(strides) == (1, 1) and tuple(dilations) == (1, 1)


def _tiles(x: np.ndarray, pads: Pads):
    """``x`` padded and extended with zeros to whole tiles: (padded image, tile rows, tile
    columns, output height, output width)."""
    x = pad_spatial(x, pads)
    oh, ow = x.shape[1] - 2, x.shape[2] - 2
    th, tw = -(-oh // 2), -(-ow // 2)
    extra_h, extra_w = 2 * th + 2 - x.shape[1], 2 * tw + 2 - x.shape[2]
    if extra_h or extra_w:
        x = pad_spatial(x, (0, extra_h, 0, extra_w))
    return x, th, tw, oh, ow


def _input_transform(d: np.ndarray, th: int, tw: int) -> np.ndarray:
    """``B' d B`` for every tile of padded ``d`` (n, 2 * th + 2, 2 * tw + 2, C): (16, n * th *
    tw, C), position ``4 * a + b`` of the transformed tile first."""
    n, c = d.shape[0], d.shape[3]

    def rows(i):  # row i of every tile: (n, th, 2 * tw + 2, C)
        return d[:, i : i + 2 * th : 2]

    # B' = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], on the tiles' rows ...
    r0, r1, r2, r3 = rows(0), rows(1), rows(2), rows(3)
    stage = (r0 - r2, r1 + r2, r2 - r1, r1 - r3)
    v = np.empty((4, 4, n, th, tw, c), d.dtype)
    for a, r in enumerate(stage):
        c0, c1, c2, c3 = (r[:, :, j : j + 2 * tw : 2] for j in range(4))
        # ... then on their columns.
        np.subtract(c0, c2, out=v[a, 0])
        np.add(c1, c2, out=v[a, 1])
        np.subtract(c2, c1, out=v[a, 2])
        np.subtract(c1, c3, out=v[a, 3])
    return v.reshape(16, n * th * tw, c)


def _filter_transform(w: np.ndarray) -> np.ndarray:
    """``G g G'`` for a (3, 3, C, O) filter: (16, C, O)."""
    g = _G.astype(w.dtype)
    u = np.einsum("ai,ijco,bj->abco", g, w, g, optimize=True)
    return np.ascontiguousarray(u.reshape(16, *w.shape[2:]))


def conv2d(x: np.ndarray, w: np.ndarray, pads: Pads, *, threads: Threads) -> np.ndarray:
    """Stride-1 conv2d of ``x`` (N, H, W, C) with a 3x3 ``w`` (3, 3, C, O), explicit pads."""
    n, c, o = x.shape[0], x.shape[3], w.shape[3]
    padded, th, tw, oh, ow = _tiles(x, pads)
    out = workspace.empty((n, oh, ow, o), x.dtype)
    if out.size == 0 or c == 0:
        out[...] = 0
        return out
    u = _filter_transform(w)

    def chunk(a, b):
        v = _input_transform(padded[a:b], th, tw)
        m = np.matmul(v, u).reshape(4, 4, b - a, th, tw, o)
        # A' = [[1, 1, 1, 0], [0, 1, -1, -1]] on the rows, then on the columns.
        s0 = m[0] + m[1] + m[2]
        s1 = m[1] - m[2] - m[3]
        y = np.empty((b - a, th, 2, tw, 2, o), x.dtype)
        for i, s in enumerate((s0, s1)):
            np.add(s[0] + s[1], s[2], out=y[:, :, i, :, 0])
            np.subtract(s[1] - s[2], s[3], out=y[:, :, i, :, 1])
        out[a:b] = y.reshape(b - a, 2 * th, 2 * tw, o)[:, :oh, :ow]

    per_image = 16 * th * tw * (c + o) * x.itemsize
    in_chunks(chunk, n, per_image, threads, fixed=True)
    return out


def backprop_filter(x: np.ndarray, dy: np.ndarray, pads: Pads, *, threads: Threads):
    """The (3, 3, C, O) filter gradient of a stride-1 conv2d of ``x`` given ``dy``."""
    n, c, o = x.shape[0], x.shape[3], dy.shape[3]
    padded, th, tw, oh, ow = _tiles(x, pads)
    # dy extended with zeros to whole 2x2 blocks: the extra outputs contribute nothing.
    grads = pad_spatial(dy, (0, 2 * th - oh, 0, 2 * tw - ow))
    partial: dict[int, np.ndarray] = {}

    def chunk(a, b):
        v = _input_transform(padded[a:b], th, tw)
        # A dY A' for A = [[1, 0], [1, 1], [1, -1], [0, -1]]: rows, then columns.
        g = grads[a:b]
        y0, y1 = g[:, 0::2], g[:, 1::2]  # (n, th, 2 * tw, O)
        rows = (y0, y0 + y1, y0 - y1, -y1)
        dm = np.empty((4, 4, b - a, th, tw, o), x.dtype)
        for i, r in enumerate(rows):
            z0, z1 = r[:, :, 0::2], r[:, :, 1::2]
            dm[i, 0] = z0
            np.add(z0, z1, out=dm[i, 1])
            np.subtract(z0, z1, out=dm[i, 2])
            np.negative(z1, out=dm[i, 3])
        # (16, C, tiles) @ (16, tiles, O): the transposed view BLAS takes as it is.
        partial[a] = np.matmul(v.transpose(0, 2, 1), dm.reshape(16, -1, o))

    per_image = 16 * th * tw * (c + o) * x.itemsize
    in_chunks(chunk, n, per_image, threads, _FILTER_CHUNK_BYTES, fixed=True)
    # Summed in batch order, so that the result does not depend on the threads' timing.
    du = sum(partial[a] for a in sorted(partial)).reshape(4, 4, c, o)
    g = _G.astype(x.dtype)
    return np.einsum("ai,abco,bj->ijco", g, du, g, optimize=True)
