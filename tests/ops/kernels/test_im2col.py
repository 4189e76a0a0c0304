"""im2col's padding: inputs padded once, whole, give the bits of inputs padded block by block."""

from __future__ import annotations

import numpy as np
import pytest

from scopeflow.ops.kernels import im2col
from scopeflow.ops.kernels.parallel import Threads

CASES = [
    # x shape, filter (KH, KW, C, O), strides, dilations, pads (top, bottom, left, right)
    ((3, 9, 8, 4), (3, 3, 4, 5), (1, 1), (1, 1), (1, 1, 1, 1)),
    ((2, 7, 11, 3), (3, 2, 3, 2), (2, 1), (1, 1), (0, 2, 1, 0)),
    ((2, 10, 9, 2), (2, 3, 2, 3), (1, 2), (2, 1), (2, 1, 3, 2)),
    ((2, 8, 8, 3), (3, 3, 3, 2), (1, 1), (1, 1), (-1, 1, 1, -2)),  # cropped, then padded
]


def _outputs(x, w, strides, dilations, pads, chunk, monkeypatch, whole):
    monkeypatch.setattr(im2col, "_WHOLE_PAD_BYTES", 1 << 30 if whole else 0)
    monkeypatch.setattr(im2col, "_CHUNK_BYTES", chunk)  # several blocks, rows of one image
    out = im2col.conv2d(x, w, strides, dilations, pads, Threads(1))
    grad = im2col.filter_grad(x, out, w.shape[:2], strides, dilations, pads, Threads(1))
    return out, grad


@pytest.mark.parametrize("chunk", [1 << 21, 256])
@pytest.mark.parametrize("case", CASES)
def test_padding_whole_input_gives_the_bits_of_padding_each_block(case, chunk, monkeypatch):
    x_shape, w_shape, strides, dilations, pads = case
    rng = np.random.default_rng(7)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal(w_shape).astype(np.float32)
    whole = _outputs(x, w, strides, dilations, pads, chunk, monkeypatch, True)
    blocks = _outputs(x, w, strides, dilations, pads, chunk, monkeypatch, False)
    for a, b in zip(whole, blocks, strict=True):
        np.testing.assert_array_equal(a, b)
    # and both are the convolution: against a direct sum over taps in float64
    top, bottom, left, right = pads
    xc = x[
        :, max(-top, 0) : x_shape[1] - max(-bottom, 0), max(-left, 0) : x_shape[2] - max(-right, 0)
    ]
    xp = np.pad(xc, ((0, 0), (max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0)), (0, 0)))
    (kh, kw), (sh, sw), (dh, dw) = w_shape[:2], strides, dilations
    oh, ow = whole[0].shape[1:3]
    ref = sum(
        np.einsum(
            "nhwc,co->nhwo",
            xp[
                :,
                i * dh : i * dh + sh * (oh - 1) + 1 : sh,
                j * dw : j * dw + sw * (ow - 1) + 1 : sw,
            ],
            w[i, j].astype(np.float64),
        )
        for i in range(kh)
        for j in range(kw)
    )
    np.testing.assert_allclose(whole[0], ref, rtol=1e-5, atol=1e-5)
