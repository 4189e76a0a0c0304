"""``tf.conv`` (TF 2.21's ``Conv`` op): one convolution for 2 or 3 spatial dimensions, any
number of leading batch dimensions (``batch_dims``), channels last or first, SAME, VALID or
EXPLICIT padding, dilations and grouped filters (``groups``: the input's channels are
``groups`` times the filter's input depth).

The kernel sums the filter's taps over strided views of the padded input, in the input's
dtype (float16 and bfloat16 in float32). TF registers no gradient for ``Conv``
(``tf.gradients`` raises ``LookupError``, as in TF); its CPU kernel refuses ``groups > 1``
and channels-first data, which scopeflow computes.
"""

from __future__ import annotations

import itertools

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import FLOATS, apply_op, check_dtype_in, check_same_dtype, no_gradient
from scopeflow.ops.kernels import windows

_OP = "Conv"


def _layout(attrs, rank: int) -> tuple[int, list[int], int]:
    """(batch dimensions, spatial axes, channel axis) of an input of ``rank``."""
    batch = attrs["batch_dims"]
    spatial = rank - batch - 1
    if attrs["data_format"] == "CHANNELS_LAST":
        return batch, list(range(batch, batch + spatial)), rank - 1
    return batch, list(range(batch + 1, rank)), batch


def _geometry(attrs, sizes, kernel) -> tuple[list, list]:
    """Per spatial dimension: (pad before, pad after) and the output size (None: unknown)."""
    n = len(kernel)
    strides = attrs["strides"][1 : n + 1]
    dilations = (attrs["dilations"] or [1] * (n + 2))[1 : n + 1]
    explicit = attrs["explicit_paddings"]
    pads, out = [], []
    for i, (size, k, s, d) in enumerate(zip(sizes, kernel, strides, dilations, strict=True)):
        if size is None or k is None:
            pads.append(None)
            out.append(None)
            continue
        if attrs["padding"] == "SAME":
            pad = windows.same_pads(size, k, s, d)
        elif attrs["padding"] == "EXPLICIT":
            pad = (explicit[2 * (i + 1)], explicit[2 * (i + 1) + 1])
        else:
            pad = (0, 0)
        effective = (k - 1) * d + 1
        if size + sum(pad) < effective:
            raise ValueError(
                f"Computed output size would be negative: {size + sum(pad) - effective} "
                f"[input_size: {size}, effective_filter_size: {effective}, stride: {s}]"
            )
        pads.append(pad)
        out.append((size + sum(pad) - effective) // s + 1)
    return pads, out


def _check_attrs(attrs, rank: int | None, filter_rank: int | None) -> None:
    spatial = None if filter_rank is None else filter_rank - 2
    if rank is not None and rank - attrs["batch_dims"] - 1 not in (2, 3):
        raise ValueError(
            "Input tensor must be rank 4 or 5, excluding extra batch dimensions, but got: "
            f"{rank - attrs['batch_dims'] + 1}"
        )
    if spatial is not None:
        for key in ("strides", "dilations"):
            values = attrs[key]
            if key == "dilations" and not values:
                continue
            if len(values) != spatial + 2:
                raise ValueError(
                    f"{key.capitalize()[:-1]} attribute should contain {spatial + 2} values, "
                    f"but got: {len(values)}"
                )
    if attrs["padding"] not in ("SAME", "VALID", "EXPLICIT"):
        raise ValueError(f"padding must be 'SAME', 'VALID' or 'EXPLICIT', got {attrs['padding']!r}")
    if attrs["data_format"] not in ("CHANNELS_LAST", "CHANNELS_FIRST"):
        raise ValueError("data_format must be CHANNELS_LAST or CHANNELS_FIRST")


def _conv_infer(inputs, attrs):
    x, w = inputs
    dtype = check_same_dtype(_OP, ("input", "filter"), inputs)
    check_dtype_in(_OP, "input", x, FLOATS + (dtypes.int32,))
    _check_attrs(attrs, x.shape.ndims, w.shape.ndims)
    if x.shape.ndims is None or w.shape.ndims is None:
        return [(dtype, TensorShape(None))]
    dims, kernel = x.shape.as_list(), w.shape.as_list()
    batch, spatial, channel = _layout(attrs, len(dims))
    depth, in_depth = dims[channel], kernel[-2]
    if None not in (depth, in_depth) and (in_depth == 0 or depth % in_depth):
        raise ValueError(
            f"Depth of input ({depth}) is not a multiple of input depth of filter ({in_depth})"
        )
    _, out = _geometry(attrs, [dims[a] for a in spatial], kernel[:-2])
    result = list(dims)
    for axis, size in zip(spatial, out, strict=True):
        result[axis] = size
    result[channel] = kernel[-1]
    return [(dtype, TensorShape(result))]


def _conv_kernel(ctx, op, x, w):
    attrs = op._attrs
    _check_attrs(attrs, x.ndim, w.ndim)
    batch, spatial, channel = _layout(attrs, x.ndim)
    lead = x.shape[:batch]
    x = np.moveaxis(x.reshape(-1, *x.shape[batch:]), channel - batch + 1, -1)
    groups, in_depth = attrs["groups"], w.shape[-2]
    if x.shape[-1] != groups * in_depth or w.shape[-1] % groups:
        raise ValueError(
            f"Conv: the input's {x.shape[-1]} channels must be groups ({groups}) times the "
            f"filter's input depth ({in_depth}), and its {w.shape[-1]} outputs a multiple of it"
        )
    n = w.ndim - 2
    pads, out = _geometry(attrs, list(x.shape[1 : n + 1]), list(w.shape[:n]))
    strides = attrs["strides"][1 : n + 1]
    dilations = (attrs["dilations"] or [1] * (n + 2))[1 : n + 1]
    work = windows.compute_dtype(x.dtype)
    padded = np.pad(x.astype(work, copy=False), [(0, 0), *pads, (0, 0)])
    y = np.zeros((x.shape[0], *out, w.shape[-1]), work)
    per_group = w.shape[-1] // groups
    for tap in itertools.product(*(range(k) for k in w.shape[:n])):
        view = padded[
            (slice(None),)
            + tuple(
                slice(t * d, t * d + (o - 1) * s + 1, s)
                for t, d, o, s in zip(tap, dilations, out, strides, strict=True)
            )
        ]
        taps = w[tap].astype(work, copy=False)
        for g in range(groups):
            ins, outs = (
                slice(g * in_depth, (g + 1) * in_depth),
                slice(g * per_group, (g + 1) * per_group),
            )
            y[..., outs] += view[..., ins] @ taps[:, outs]
    y = np.moveaxis(y, -1, channel - batch + 1)
    return y.reshape(*lead, *y.shape[1:]).astype(x.dtype, copy=False)


register_op(_OP, _conv_infer, kernel=_conv_kernel, grad=no_gradient)


@undo.atomic
def conv(
    input,  # noqa: A002 - TF's argument names
    filter,  # noqa: A002
    strides,
    padding,
    explicit_paddings=(),
    data_format="CHANNELS_LAST",
    dilations=(),
    batch_dims=1,
    groups=1,
    name=None,
):
    """An N-D convolution (2 or 3 spatial dimensions) of ``input`` (``batch_dims`` leading
    batch dimensions) with ``filter`` (``spatial + [in_depth, out_depth]``); ``strides``
    and ``dilations`` have ``N + 2`` entries, ``explicit_paddings`` 2 per input dimension.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.conv(tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "VALID")
    ...     print(tf.Session().run(y)[0, ..., 0])
    [[4. 4.]
     [4. 4.]]
    """
    attrs = {
        "strides": [int(v) for v in strides],
        "padding": padding,
        "explicit_paddings": [int(v) for v in explicit_paddings],
        "data_format": data_format,
        "dilations": [int(v) for v in dilations],
        "batch_dims": int(batch_dims),
        "groups": int(groups),
    }
    with name_scope(name, _OP, [input, filter]) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        filter = convert_to_tensor(filter, name="filter")  # noqa: A001
        return apply_op(_OP, [input, filter], attrs, name=scope)


__all__ = ["conv"]
