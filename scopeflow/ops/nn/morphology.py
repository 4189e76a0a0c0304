"""Grayscale morphology (``tf.nn.dilation2d``, ``tf.nn.erosion2d``): the ``Dilation2D`` op
and its two gradient ops, as TF's CPU kernels compute them.

``Dilation2D`` takes, for each output pixel and channel, the largest ``input + filter`` over
the window's taps (``rates`` apart; taps off the image skipped, so an output none of whose
taps lands on the image holds the dtype's lowest value). The gradients send each output's
gradient to the tap that won - the first one in scan order on ties - or, where none did, to
the window's first in-image pixel (input) and the filter's first tap (filter), as TF's
kernels do. TF registers no gradient for the two gradient ops. ``erosion2d`` is TF1's
composite: ``-dilation2d(-value, reverse(kernel))``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import check_attr_in
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.join import reverse_v2
from scopeflow.ops.core.infer import (
    REALS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    no_gradient,
)
from scopeflow.ops.kernels import windows
from scopeflow.ops.math.elementwise import negative

TensorShape = tensor_shape.TensorShape


def _geometry(attrs, x_shape, f_shape):
    """Strides, rates, pads (top, bottom, left, right) and output (height, width)."""
    if len(x_shape) != 4 or len(f_shape) != 3:
        raise ValueError(
            f"input must be 4-dimensional and filter 3-dimensional, got shapes "
            f"{list(x_shape)} and {list(f_shape)}"
        )
    if x_shape[3] != f_shape[2]:
        raise ValueError(f"input and filter must have the same depth: {x_shape[3]} vs {f_shape[2]}")
    strides, rates = tuple(attrs["strides"][1:3]), tuple(attrs["rates"][1:3])
    pads, out = [], []
    for size, k, stride, rate in zip(x_shape[1:3], f_shape[:2], strides, rates, strict=True):
        if attrs["padding"] == "SAME":
            before, after = windows.same_pads(size, k, stride, rate)
        else:
            before = after = 0
        pads += [before, after]
        out.append(
            _valid_size(size, k, stride, rate)
            if not before + after
            else windows.output_size(size, k, stride, rate, before, after)
        )
    return strides, rates, tuple(pads), tuple(out)


def _valid_size(size: int, k: int, stride: int, rate: int) -> int:
    """TF's VALID output size, ``(size - effective + stride) // stride``: 0 for a window just
    larger than the input, an error past that."""
    effective = (k - 1) * rate + 1
    if size - effective + stride < 0:
        raise ValueError(f"Negative dimension size caused by subtracting {effective} from {size}")
    return (size - effective + stride) // stride


def _lowest(dtype: np.dtype):
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _winners(attrs, x, w):
    """The dilation's values and, per output, the index of the winning tap (-1: none won)."""
    strides, rates, pads, out_hw = _geometry(attrs, x.shape, w.shape)
    padded = windows.pad_spatial(x, pads)
    inside = windows.pad_spatial(np.ones((1, *x.shape[1:3], 1), bool), pads, False)
    values = np.full((x.shape[0], *out_hw, x.shape[3]), _lowest(x.dtype), x.dtype)
    winner = np.full(values.shape, -1, np.int64)
    kh, kw = w.shape[:2]
    with np.errstate(over="ignore"):
        for t in range(kh * kw):
            i, j = divmod(t, kw)
            candidate = windows.tap_view(padded, i, j, out_hw, strides, rates) + w[i, j]
            wins = windows.tap_view(inside, i, j, out_hw, strides, rates) & (candidate > values)
            np.copyto(values, candidate, where=wins)
            winner[wins] = t
    return values, winner, (strides, rates, pads, out_hw)


def _dilation_infer(inputs, attrs):
    x, w = inputs
    dtype = check_same_dtype("Dilation2D", ("input", "filter"), inputs)
    check_dtype_in("Dilation2D", "input", x, REALS)
    for t, rank in ((x, 4), (w, 3)):
        if t.shape.ndims not in (None, rank):
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    xs, ws = x.shape, w.shape
    if xs.ndims is None or ws.ndims is None:
        return [(dtype, tensor_shape.unknown_shape(4))]
    n, h, wd, c = xs.as_list()
    fh, fw, fc = ws.as_list()
    if c is not None and fc is not None and c != fc:
        raise ValueError(f"Dimensions must be equal, but are {c} and {fc}")
    dims = []
    for size, k, stride, rate in zip(
        (h, wd), (fh, fw), attrs["strides"][1:3], attrs["rates"][1:3], strict=True
    ):
        if size is None or k is None:
            dims.append(None)
            continue
        if attrs["padding"] == "SAME":
            dims.append(-(-size // stride))
        else:
            dims.append(_valid_size(size, k, stride, rate))
    return [(dtype, TensorShape([n, *dims, c if c is not None else fc]))]


def _dilation_kernel(ctx, op, x, w):
    return _winners(op._attrs, x, w)[0]


def _dilation_grad(op, grad):
    x, w = op.inputs
    attrs = dict(op._attrs)
    return [
        apply_op("Dilation2DBackpropInput", [x, w, grad], attrs),
        apply_op("Dilation2DBackpropFilter", [x, w, grad], attrs),
    ]


register_op("Dilation2D", _dilation_infer, kernel=_dilation_kernel, grad=_dilation_grad)


def _backprop_infer(op_type: str, like: int):
    def infer(inputs, attrs):
        dtype = check_same_dtype(op_type, ("input", "filter", "out_backprop"), inputs)
        check_dtype_in(op_type, "input", inputs[0], REALS)
        inputs[0].shape.with_rank(4)
        inputs[1].shape.with_rank(3)
        inputs[2].shape.with_rank(4)
        return [(dtype, inputs[like].shape)]

    return infer


def _checked_winners(op, x, w, dy):
    _, winner, geometry = _winners(op._attrs, x, w)
    if dy.shape != winner.shape:
        raise ValueError(
            f"out_backprop has shape {list(dy.shape)}, but the dilation of input "
            f"{list(x.shape)} by filter {list(w.shape)} has shape {list(winner.shape)}"
        )
    return winner, geometry


def _backprop_input_kernel(ctx, op, x, w, dy):
    winner, (strides, rates, pads, out_hw) = _checked_winners(op, x, w, dy)
    top, bottom, left, right = pads
    padded = np.zeros(
        (x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right, x.shape[3]), dy.dtype
    )
    kw = w.shape[1]
    for t in range(w.shape[0] * kw):
        i, j = divmod(t, kw)
        windows.tap_view(padded, i, j, out_hw, strides, rates)[...] += np.where(winner == t, dy, 0)
    grad = padded[:, top : top + x.shape[1], left : left + x.shape[2]].copy()
    lost = np.nonzero(winner < 0)
    if lost[0].size:  # no tap won: TF's kernel sends the gradient to the first in-image pixel
        b, y, z, c = lost
        rows = np.clip(y * strides[0] - top, 0, None)
        cols = np.clip(z * strides[1] - left, 0, None)
        np.add.at(grad, (b, rows, cols, c), dy[lost])
    return grad


def _backprop_filter_kernel(ctx, op, x, w, dy):
    winner, _ = _checked_winners(op, x, w, dy)
    grad = np.zeros(w.shape, dy.dtype)
    kw = w.shape[1]
    for t in range(-1, w.shape[0] * kw):
        i, j = divmod(max(t, 0), kw)  # no tap won: TF's kernel sends it to the first tap
        grad[i, j] += np.where(winner == t, dy, 0).sum(axis=(0, 1, 2), dtype=dy.dtype)
    return grad


register_op(
    "Dilation2DBackpropInput",
    _backprop_infer("Dilation2DBackpropInput", 0),
    kernel=_backprop_input_kernel,
    grad=no_gradient,
)
register_op(
    "Dilation2DBackpropFilter",
    _backprop_infer("Dilation2DBackpropFilter", 1),
    kernel=_backprop_filter_kernel,
    grad=no_gradient,
)


def _attrs(strides, rates, padding) -> dict:
    def four(values, what):
        values = [int(v) for v in values]
        if len(values) != 4:
            raise ValueError(
                f"Attr '{what}' of 'Dilation2D' Op passed list of length {len(values)} less "
                "than minimum 4."
            )
        if values[0] != 1 or values[3] != 1:
            raise NotImplementedError(
                f"Dilation2D with {what}={values}: only {what} over height and width "
                f"([1, h, w, 1]) are supported, as on TF's CPU"
            )
        return values

    check_attr_in("Dilation2D", "padding", padding, ("SAME", "VALID"))
    return {"strides": four(strides, "strides"), "rates": four(rates, "rates"), "padding": padding}


@undo.atomic
def dilation2d(
    input,  # noqa: A002 - TF1's argument names
    filter=None,  # noqa: A002
    strides=None,
    rates=None,
    padding=None,
    name=None,
    filters=None,
    dilations=None,
):
    """Grayscale dilation: the largest ``input + filter`` over each window (``filter`` is
    ``[height, width, depth]``; ``strides`` and ``rates`` ``[1, h, w, 1]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    ...     y = tf.nn.dilation2d(x, tf.zeros([2, 2, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    ...     print(y.op.type, tf.Session().run(y)[0, :, :, 0].tolist())
    Dilation2D [[4.0, 5.0], [7.0, 8.0]]
    """
    if filters is not None:
        if filter is not None:
            raise ValueError("Cannot specify both 'filters' and 'filter'.")
        filter = filters  # noqa: A001
    if dilations is not None:
        if rates is not None:
            raise ValueError("Cannot specify both 'dilations' and 'rates'.")
        rates = dilations
    attrs = _attrs(strides, rates, padding)
    with name_scope(name, "Dilation2D", [input, filter]) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter")
        return apply_op("Dilation2D", [x, w], attrs, name=scope)


@undo.atomic
def erosion2d(value, kernel, strides, rates, padding, name=None):
    """Grayscale erosion: the smallest ``value - kernel`` over each window, built as TF1 builds
    it from ``Dilation2D`` (``-dilation2d(-value, reverse(kernel, [0, 1]))``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(1.0, 10.0), [1, 3, 3, 1])
    ...     y = tf.nn.erosion2d(x, tf.zeros([2, 2, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
    ...     print(y.op.name, tf.Session().run(y)[0, :, :, 0].tolist())
    erosion2d/Neg_1 [[1.0, 2.0], [4.0, 5.0]]
    """
    attrs = _attrs(strides, rates, padding)
    with name_scope(name, "erosion2d", [value, kernel]) as scope:
        x = negative(value)
        w = reverse_v2(kernel, [0, 1])
        return negative(apply_op("Dilation2D", [x, w], attrs, name=scope))


__all__ = ["dilation2d", "erosion2d"]
