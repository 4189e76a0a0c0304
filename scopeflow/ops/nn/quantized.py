"""``tf.nn.quantized_avg_pool``, ``quantized_max_pool`` and ``quantized_conv2d``
(``QuantizedAvgPool``, ``QuantizedMaxPool``, ``QuantizedConv2D``): pooling and convolution of
``quint8`` images (NHWC) whose values stand for ``[min, max]``, as TF's reference CPU kernels
compute them: integer averages (truncated) and maxima over the real pixels of each window,
the range passed through; the convolution sums ``(x - x_zero) * (w - w_zero)`` in 32 bits
(wrapping) where the zeros are the quantized values of 0.0, pixels outside the image
counting as 0.0, into ``qint32`` over the product of the two ranges. ``QuantizedMatMul``
(``tf.raw_ops``) is the same sum over a matrix product; ``QuantizedBiasAdd`` adds a bias
vector in a symmetric ``qint32`` range with 17 bits of headroom. TF registers no gradient for
them."""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.quantize import _float_to_quantized, _quantized_to_float
from scopeflow.ops.array.requantize import _float_to_value
from scopeflow.ops.core.infer import apply_op, check_dtype_in, no_gradient
from scopeflow.ops.kernels import windows
from scopeflow.ops.nn.conv import conv_output_size, four

__all__ = ["quantized_avg_pool", "quantized_conv2d", "quantized_max_pool"]

QuantizedAvgPool = namedtuple("QuantizedAvgPool", ["output", "min_output", "max_output"])
QuantizedMaxPool = namedtuple("QuantizedMaxPool", ["output", "min_output", "max_output"])
QuantizedConv2D = namedtuple("QuantizedConv2D", ["output", "min_output", "max_output"])
_QUANTIZED = (dtypes.qint8, dtypes.quint8, dtypes.qint32, dtypes.qint16, dtypes.quint16)
_SCALAR = tensor_shape.TensorShape([])


def _values(q) -> np.ndarray:
    q = np.asarray(q)
    return q.view(q.dtype[0]) if q.dtype.names else q


def _as_quantized(values: np.ndarray, dtype) -> np.ndarray:
    base = dtype.as_numpy_dtype.fields[dtype.name][0]
    return values.astype(base).view(dtype.as_numpy_dtype)


def _first(x) -> np.float32:
    return np.float32(np.reshape(x, -1)[0])


def _limits(dtype) -> tuple[int, int]:
    info = np.iinfo(dtype.as_numpy_dtype.fields[dtype.name][0])
    return int(info.min), int(info.max)


def _zero_point(dtype, low, high) -> int:
    """TF's ``FloatToQuantizedUnclamped(0.0, low, high)``: the quantized value of 0.0."""
    lowest, _ = _limits(dtype)
    if low == high:
        return lowest
    steps = 2 ** (8 * dtype.size)
    scale = steps / (float(np.float32(high - low)) * (steps / (steps - 1.0)))
    return -int(math.copysign(math.floor(abs(float(low) * scale) + 0.5), float(low))) + lowest


def _window_out(attrs, h, w):
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    pad = attrs["padding"]
    return conv_output_size(h, kh, sh, 1, pad), conv_output_size(w, kw, sw, 1, pad)


def _pool_infer(op_type: str):
    def infer(inputs, attrs):
        x, low, high = inputs
        dtype = check_dtype_in(op_type, "input", x, _QUANTIZED)
        for r in (low, high):
            if r.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")
        if x.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")
        dims = x.shape.as_list() if x.shape.ndims else [None] * 4
        out = [dims[0], *_window_out(attrs, dims[1], dims[2]), dims[3]]
        return [(dtype, tensor_shape.TensorShape(out)), (dtypes.float32, _SCALAR),
                (dtypes.float32, _SCALAR)]  # fmt: skip

    return infer


def _pool_kernel(reduce_fn):
    def kernel(ctx, op, q, low, high):
        dtype = op.inputs[0].dtype.base_dtype
        if dtype != dtypes.quint8:
            raise ValueError(
                f"No OpKernel was registered to support Op '{op.type}' with T={dtype.name}: "
                "TF's CPU kernel takes quint8"
            )
        x = _values(q).astype(np.int64)
        _, kh, kw, _ = op._attrs["ksize"]
        _, sh, sw, _ = op._attrs["strides"]
        h, w = x.shape[1], x.shape[2]
        oh, ow = _window_out(op._attrs, h, w)
        if op._attrs["padding"] == "SAME":
            pads = windows.same_pads(h, kh, sh, 1) + windows.same_pads(w, kw, sw, 1)
        else:
            pads = (0, 0, 0, 0)
        padded = windows.pad_spatial(x, pads, value=-1)  # -1 marks a pixel outside the image
        patches = windows.patches(padded, (kh, kw), (oh, ow), (sh, sw), (1, 1))
        out = reduce_fn(patches)
        return _as_quantized(out, dtype), _first(low), _first(high)

    return kernel


def _average(patches):
    real = patches >= 0
    total = np.where(real, patches, 0).sum(axis=(3, 4))
    return total // real.sum(axis=(3, 4))


def _maximum(patches):
    return patches.max(axis=(3, 4))


register_op("QuantizedAvgPool", _pool_infer("QuantizedAvgPool"),
            kernel=_pool_kernel(_average), grad=no_gradient)  # fmt: skip
register_op("QuantizedMaxPool", _pool_infer("QuantizedMaxPool"),
            kernel=_pool_kernel(_maximum), grad=no_gradient)  # fmt: skip


def _conv_infer(inputs, attrs):
    x, w, *ranges = inputs
    check_dtype_in("QuantizedConv2D", "input", x, _QUANTIZED)
    check_dtype_in("QuantizedConv2D", "filter", w, _QUANTIZED)
    for r in ranges:
        if r.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")
    for t in (x, w):
        if t.shape.ndims not in (None, 4):
            raise ValueError(f"Shape must be rank 4 but is rank {t.shape.ndims}")
    xd = x.shape.as_list() if x.shape.ndims else [None] * 4
    wd = w.shape.as_list() if w.shape.ndims else [None] * 4
    if None not in (xd[3], wd[2]) and xd[3] != wd[2]:
        raise ValueError(f"Dimensions must be equal, but are {xd[3]} and {wd[2]}")
    _, sh, sw, _ = attrs["strides"]
    out_h = None if wd[0] is None else conv_output_size(xd[1], wd[0], sh, 1, attrs["padding"])
    out_w = None if wd[1] is None else conv_output_size(xd[2], wd[1], sw, 1, attrs["padding"])
    out = tensor_shape.TensorShape([xd[0], out_h, out_w, wd[3]])
    return [(attrs["out_type"], out), (dtypes.float32, _SCALAR), (dtypes.float32, _SCALAR)]


def _conv_kernel(ctx, op, q, f, min_x, max_x, min_w, max_w):
    attrs = op._attrs
    tx, tw, tout = op.inputs[0].dtype.base_dtype, op.inputs[1].dtype.base_dtype, attrs["out_type"]
    if (tx, tw, tout) != (dtypes.quint8, dtypes.quint8, dtypes.qint32):
        raise ValueError(
            "No OpKernel was registered to support Op 'QuantizedConv2D' with Tinput="
            f"{tx.name}, Tfilter={tw.name}, out_type={tout.name}: TF's CPU kernel takes "
            "quint8 inputs and gives qint32"
        )
    min_x, max_x, min_w, max_w = (_first(v) for v in (min_x, max_x, min_w, max_w))
    x = _values(q).astype(np.int64) - _zero_point(tx, min_x, max_x)
    w = _values(f).astype(np.int64) - _zero_point(tw, min_w, max_w)
    if x.shape[3] != w.shape[2]:
        raise ValueError(
            f"input depth {x.shape[3]} and filter depth {w.shape[2]} must be equal"
        )
    stride = attrs["strides"][1]
    n, h, width, _ = x.shape
    kh, kw, _, count = w.shape
    oh, ow = (conv_output_size(h, kh, stride, 1, attrs["padding"]),
              conv_output_size(width, kw, stride, 1, attrs["padding"]))  # fmt: skip
    extra = 1 if attrs["padding"] == "VALID" else 0
    # TF's filter origin: C's truncating division of the overhang by two.
    top = int(((oh - 1) * stride + kh - h + extra) / 2)
    left = int(((ow - 1) * stride + kw - width + extra) / 2)
    total = np.zeros((n, oh, ow, count), np.int64)
    for fy in range(kh):
        ys = np.arange(oh) * stride - top + fy
        for fx in range(kw):
            xs = np.arange(ow) * stride - left + fx
            inside = ((ys >= 0) & (ys < h))[:, None] & ((xs >= 0) & (xs < width))[None, :]
            taps = x[:, np.clip(ys, 0, h - 1)][:, :, np.clip(xs, 0, width - 1)]
            total += (taps * inside[None, :, :, None]) @ w[fy, fx]
    out = _as_quantized(total.astype(np.int32), tout)
    return out, *_product_range(min_x, max_x, min_w, max_w)


register_op("QuantizedConv2D", _conv_infer, kernel=_conv_kernel, grad=no_gradient)


def _product_range(min_x, max_x, min_w, max_w) -> tuple[np.float32, np.float32]:
    """TF's ``QuantizationRangeForMultiplication`` of two ``quint8`` ranges into ``qint32``."""
    x_level = np.float32(max_x - min_x) / np.float32(255)
    w_level = np.float32(max_w - min_w) / np.float32(255)
    level = np.float32(x_level * w_level)
    return np.float32(level * np.float32(-(2**31))), np.float32(level * np.float32(2**31 - 1))


def _matmul_infer(inputs, attrs):
    a, b, *ranges = inputs
    check_dtype_in("QuantizedMatMul", "a", a, _QUANTIZED)
    check_dtype_in("QuantizedMatMul", "b", b, _QUANTIZED)
    for r in ranges:
        if r.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")
    dims = []
    for t, transposed in ((a, attrs["transpose_a"]), (b, attrs["transpose_b"])):
        if t.shape.ndims not in (None, 2):
            raise ValueError(f"Shape must be rank 2 but is rank {t.shape.ndims}")
        d = t.shape.as_list() if t.shape.ndims else [None, None]
        dims.append(d[::-1] if transposed else d)
    (rows, inner_a), (inner_b, cols) = dims
    if None not in (inner_a, inner_b) and inner_a != inner_b:
        raise ValueError(f"Dimensions must be equal, but are {inner_a} and {inner_b}")
    out = tensor_shape.TensorShape([rows, cols])
    return [(attrs["Toutput"], out), (dtypes.float32, _SCALAR), (dtypes.float32, _SCALAR)]


def _matmul_kernel(ctx, op, a, b, min_a, max_a, min_b, max_b):
    ta, tb = op.inputs[0].dtype.base_dtype, op.inputs[1].dtype.base_dtype
    tout = op._attrs["Toutput"]
    if (ta, tb, tout) != (dtypes.quint8, dtypes.quint8, dtypes.qint32):
        raise ValueError(
            f"No OpKernel was registered to support Op 'QuantizedMatMul' with T1={ta.name}, "
            f"T2={tb.name}, Toutput={tout.name}: TF's CPU kernel takes quint8 inputs, qint32 out"
        )
    min_a, max_a, min_b, max_b = (_first(v) for v in (min_a, max_a, min_b, max_b))
    x = _values(a).astype(np.int64) - _zero_point(ta, min_a, max_a)
    w = _values(b).astype(np.int64) - _zero_point(tb, min_b, max_b)
    x = x.T if op._attrs["transpose_a"] else x
    w = w.T if op._attrs["transpose_b"] else w
    if x.shape[1] != w.shape[0]:
        raise ValueError(
            f"Matrix size-incompatible: In[0]: {list(x.shape)}, In[1]: {list(w.shape)}"
        )
    return (_as_quantized((x @ w).astype(np.int32), tout),
            *_product_range(min_a, max_a, min_b, max_b))  # fmt: skip


register_op("QuantizedMatMul", _matmul_infer, kernel=_matmul_kernel, grad=no_gradient)


def _bias_add_infer(inputs, attrs):
    x, bias, *ranges = inputs
    check_dtype_in("QuantizedBiasAdd", "input", x, _QUANTIZED)
    check_dtype_in("QuantizedBiasAdd", "bias", bias, _QUANTIZED)
    for r in ranges:
        if r.shape.ndims not in (None, 0):
            raise ValueError(f"Shape must be rank 0 but is rank {r.shape.ndims}")
    if bias.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {bias.shape.ndims}")
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
    last = x.shape[-1].value if x.shape.ndims else None
    size = bias.shape[0].value if bias.shape.ndims else None
    if None not in (last, size) and last != size:
        raise ValueError(f"Dimensions must be equal, but are {last} and {size}")
    return [(attrs["out_type"], x.shape), (dtypes.float32, _SCALAR), (dtypes.float32, _SCALAR)]


def _bias_add_kernel(ctx, op, x, bias, min_x, max_x, min_b, max_b):
    tx, tb = op.inputs[0].dtype.base_dtype, op.inputs[1].dtype.base_dtype
    tout = op._attrs["out_type"]
    if (tx, tb, tout) != (dtypes.quint8, dtypes.quint8, dtypes.qint32):
        raise ValueError(
            f"No OpKernel was registered to support Op 'QuantizedBiasAdd' with T1={tx.name}, "
            f"T2={tb.name}, out_type={tout.name}: TF's CPU kernel takes quint8 inputs, qint32 out"
        )
    min_x, max_x, min_b, max_b = (_first(v) for v in (min_x, max_x, min_b, max_b))
    # TF's sum range: symmetric, the largest input bound with 17 bits of headroom.
    top = np.float32(max(max_x, -min_x, max_b, -min_b) * np.float32(1 << 17))
    low = np.float32(-top)
    total = [
        _values(_float_to_quantized(_quantized_to_float(v, tx, lo, hi), tout, low, top))
        for v, lo, hi in ((x, min_x, max_x), (bias, min_b, max_b))
    ]
    zero = _float_to_value(0.0, tout, low, top)
    out = total[0].astype(np.int64) + (total[1].astype(np.int64) + zero)
    return _as_quantized(out.astype(np.int32), tout), low, top


register_op("QuantizedBiasAdd", _bias_add_infer, kernel=_bias_add_kernel, grad=no_gradient)


def _pool(op_type, input, min_input, max_input, ksize, strides, padding, name):  # noqa: A002
    attrs = {"ksize": four(ksize, "ksize"), "strides": four(strides, "strides"),
             "padding": padding}  # fmt: skip
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    with name_scope(name, op_type, [input, min_input, max_input]) as scope:
        x = convert_to_tensor(input, name="input")
        low = convert_to_tensor(min_input, dtype=dtypes.float32, name="min_input")
        high = convert_to_tensor(max_input, dtype=dtypes.float32, name="max_input")
        attrs["T"] = x.dtype.base_dtype
        return apply_op(op_type, [x, low, high], attrs, name=scope)


@undo.atomic
def quantized_avg_pool(input, min_input, max_input, ksize, strides, padding, name=None):  # noqa: A002
    """Average pooling of a ``quint8`` NHWC image (integer averages of the real pixels);
    ``(output, min_output, max_output)``, the range unchanged."""
    return QuantizedAvgPool(*_pool("QuantizedAvgPool", input, min_input, max_input, ksize,
                                   strides, padding, name))  # fmt: skip


@undo.atomic
def quantized_max_pool(input, min_input, max_input, ksize, strides, padding, name=None):  # noqa: A002
    """Max pooling of a ``quint8`` NHWC image; ``(output, min_output, max_output)``."""
    return QuantizedMaxPool(*_pool("QuantizedMaxPool", input, min_input, max_input, ksize,
                                   strides, padding, name))  # fmt: skip


@undo.atomic
def quantized_conv2d(
    input,  # noqa: A002 - TF's argument name
    filter,  # noqa: A002
    min_input,
    max_input,
    min_filter,
    max_filter,
    strides,
    padding,
    out_type=dtypes.qint32,
    dilations=(1, 1, 1, 1),
    name=None,
):
    """Convolution of a ``quint8`` NHWC image with a ``quint8`` HWIO filter into ``qint32``
    over the product of their ranges: ``(output, min_output, max_output)``."""
    strides, dilations = four(strides, "strides"), four(dilations, "dilations")
    if strides[1] != strides[2]:
        raise ValueError("QuantizedConv2D: strides in the row and column dimensions must be equal")
    if dilations != [1, 1, 1, 1]:
        raise NotImplementedError("QuantizedConv2D with dilations: TF's kernel takes none")
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    inputs = [input, filter, min_input, max_input, min_filter, max_filter]
    with name_scope(name, "QuantizedConv2D", inputs) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, name="filter")
        ranges = [convert_to_tensor(v, dtype=dtypes.float32, name=n) for v, n in zip(
            inputs[2:], ("min_input", "max_input", "min_filter", "max_filter"), strict=True)]
        attrs = {"Tinput": x.dtype.base_dtype, "Tfilter": w.dtype.base_dtype,
                 "out_type": dtypes.as_dtype(out_type), "strides": strides,
                 "padding": padding, "dilations": dilations}  # fmt: skip
        return QuantizedConv2D(*apply_op("QuantizedConv2D", [x, w, *ranges], attrs, name=scope))
