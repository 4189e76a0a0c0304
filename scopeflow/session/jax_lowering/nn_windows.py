"""JAX lowerings of the window ops whose winners the NumPy kernels pick tap by tap: local
response normalization (a window over channels), max pooling with its argmax and their
gradients, and morphological dilation (``Dilation2D``) with its backprops.

The taps are visited in the kernels' order with their rule (a later tap wins only when
strictly greater), so ties go where TF sends them."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from scopeflow.ops.kernels import windows


def _window_sum(v, radius: int):
    """``out[..., d] = sum(v[..., d - radius : d + radius + 1])`` (clipped at the ends)."""
    depth = v.shape[-1]
    total = jnp.cumsum(v, axis=-1)
    pad = [(0, 0)] * (v.ndim - 1)
    padded = jnp.pad(total, [*pad, (radius + 1, 0)])
    padded = jnp.pad(padded, [*pad, (0, radius)], mode="edge")
    return padded[..., 2 * radius + 1 :] - padded[..., :depth]


def _lrn_scale(op, x):
    wide = x.astype(jnp.promote_types(x.dtype, jnp.float32))
    attrs = op._attrs
    return attrs["bias"] + attrs["alpha"] * _window_sum(wide * wide, attrs["depth_radius"])


def _lrn(ctx, op, x):
    x = jnp.asarray(x)
    return (x * _lrn_scale(op, x) ** -op._attrs["beta"]).astype(x.dtype)


def _lrn_grad(ctx, op, dy, x, y):
    x = jnp.asarray(x)
    attrs = op._attrs
    scale = _lrn_scale(op, x)
    beta = attrs["beta"]
    inner = _window_sum(dy * y / scale, attrs["depth_radius"])
    return (dy * scale**-beta - 2.0 * attrs["alpha"] * beta * x * inner).astype(x.dtype)


def _pad_hw(x, pads, value=0):
    top, bottom, left, right = pads
    return jnp.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def _lowest(dtype):
    dtype = np.dtype(dtype)
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


# -- max pooling with argmax -------------------------------------------------------------------


def _pool_geometry(attrs, h: int, w: int):
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    if attrs["padding"] == "SAME":
        pads = windows.same_pads(h, kh, sh, 1) + windows.same_pads(w, kw, sw, 1)
    else:
        pads = (0, 0, 0, 0)
    top, bottom, left, right = pads
    out_hw = (
        windows.output_size(h, kh, sh, 1, top, bottom),
        windows.output_size(w, kw, sw, 1, left, right),
    )
    return (kh, kw), (sh, sw), pads, out_hw


def _max_pool_with_argmax(ctx, op, x):
    x = jnp.asarray(x)
    attrs = op._attrs
    n, h, w, c = x.shape
    (kh, kw), (sh, sw), (top, _, left, _), (oh, ow) = _pool_geometry(attrs, h, w)
    best = jnp.zeros((n, oh, ow, c), x.dtype)
    where = jnp.full((n, oh, ow, c), -1, jnp.int64)
    channels = np.arange(c)
    for i in range(kh):
        rows = np.arange(oh) * sh + i - top
        for j in range(kw):
            cols = np.arange(ow) * sw + j - left
            valid = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
            r, q = np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1)
            tap = x[:, r][:, :, q]
            take = valid[None, :, :, None] & ((tap > best) | (where < 0))
            best = jnp.where(take, tap, best)
            flat = (r[:, None, None] * w + q[None, :, None]) * c + channels
            where = jnp.where(take, flat, where)
    if attrs["include_batch_in_index"]:
        where = where + (np.arange(n) * (h * w * c))[:, None, None, None]
    return best, where.astype(attrs["Targmax"].as_numpy_dtype)


def _flat_targets(op, argmax, input_shape):
    n = input_shape[0]
    per_image = int(np.prod(input_shape[1:]))
    targets = jnp.asarray(argmax).astype(jnp.int64).reshape(n, -1)
    if not op._attrs["include_batch_in_index"]:
        targets = targets + (np.arange(n) * per_image)[:, None]
    return targets.reshape(-1)


def _max_pool_grad_with_argmax(ctx, op, x, grad, argmax):
    x = jnp.asarray(x)
    work = jnp.float64 if jnp.issubdtype(x.dtype, jnp.floating) else x.dtype
    out = (
        jnp.zeros(x.size, work)
        .at[_flat_targets(op, argmax, x.shape)]
        .add(jnp.ravel(grad).astype(work))
    )
    return out.reshape(x.shape).astype(x.dtype)


def _max_pool_grad_grad_with_argmax(ctx, op, x, grad, argmax):
    picked = jnp.ravel(grad)[_flat_targets(op, argmax, jnp.shape(x))]
    return picked.reshape(jnp.shape(argmax))


# -- Dilation2D ------------------------------------------------------------------------------


def _dilation_geometry(attrs, x_shape, f_shape):
    strides, rates = tuple(attrs["strides"][1:3]), tuple(attrs["rates"][1:3])
    pads, out = [], []
    for size, k, stride, rate in zip(x_shape[1:3], f_shape[:2], strides, rates, strict=True):
        if attrs["padding"] == "SAME":
            before, after = windows.same_pads(size, k, stride, rate)
        else:
            before = after = 0
        pads += [before, after]
        out.append(max(windows.output_size(size, k, stride, rate, before, after), 0))
    return strides, rates, tuple(pads), tuple(out)


def _winners(attrs, x, w):
    """The dilation's values and, per output, the index of the winning tap (-1: none won)."""
    x, w = jnp.asarray(x), jnp.asarray(w)
    strides, rates, pads, out_hw = _dilation_geometry(attrs, x.shape, w.shape)
    padded = _pad_hw(x, pads)
    inside = np.pad(np.ones((1, *x.shape[1:3], 1), bool), ((0, 0), pads[:2], pads[2:], (0, 0)))
    values = jnp.full((x.shape[0], *out_hw, x.shape[3]), _lowest(x.dtype), x.dtype)
    winner = jnp.full(values.shape, -1, jnp.int64)
    kh, kw = w.shape[:2]
    for t in range(kh * kw):
        i, j = divmod(t, kw)
        candidate = windows.tap_view(padded, i, j, out_hw, strides, rates) + w[i, j]
        wins = windows.tap_view(inside, i, j, out_hw, strides, rates) & (candidate > values)
        values = jnp.where(wins, candidate, values)
        winner = jnp.where(wins, t, winner)
    return values, winner, (strides, rates, pads, out_hw)


def _dilation(ctx, op, x, w):
    return _winners(op._attrs, x, w)[0]


def _dilation_backprop_input(ctx, op, x, w, dy):
    x, dy = jnp.asarray(x), jnp.asarray(dy)
    winner, (strides, rates, pads, (oh, ow)) = _winners(op._attrs, x, w)[1:]
    top, bottom, left, right = pads
    (sh, sw), (dh, dw) = strides, rates
    padded = jnp.zeros(
        (x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right, x.shape[3]), dy.dtype
    )
    kw = jnp.shape(w)[1]
    for t in range(jnp.shape(w)[0] * kw):
        i, j = divmod(t, kw)
        rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
        cols = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
        padded = padded.at[:, rows, cols].add(jnp.where(winner == t, dy, 0))
    grad = padded[:, top : top + x.shape[1], left : left + x.shape[2]]
    # no tap won: TF's kernel sends the gradient to the first in-image pixel
    rows = np.clip(np.arange(oh) * sh - top, 0, None)[:, None]
    cols = np.clip(np.arange(ow) * sw - left, 0, None)[None, :]
    return grad.at[:, rows, cols].add(jnp.where(winner < 0, dy, 0))


def _dilation_backprop_filter(ctx, op, x, w, dy):
    dy = jnp.asarray(dy)
    winner = _winners(op._attrs, x, w)[1]
    kh, kw = jnp.shape(w)[:2]
    sums = [
        jnp.where(winner == t, dy, 0).sum(axis=(0, 1, 2), dtype=dy.dtype) for t in range(kh * kw)
    ]
    lost = jnp.where(winner < 0, dy, 0).sum(axis=(0, 1, 2), dtype=dy.dtype)
    sums[0] = sums[0] + lost  # no tap won: TF's kernel sends it to the first tap
    return jnp.stack(sums).reshape(jnp.shape(w))


LOWERINGS = {
    "LRN": _lrn,
    "LRNGrad": _lrn_grad,
    "MaxPoolWithArgmax": _max_pool_with_argmax,
    "MaxPoolGradWithArgmax": _max_pool_grad_with_argmax,
    "MaxPoolGradGradWithArgmax": _max_pool_grad_grad_with_argmax,
    "Dilation2D": _dilation,
    "Dilation2DBackpropInput": _dilation_backprop_input,
    "Dilation2DBackpropFilter": _dilation_backprop_filter,
}
