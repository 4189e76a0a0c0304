"""Neural-network ops (``tf.nn``): convolutions, activations, bias, losses."""

from __future__ import annotations

import math

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops._infer import (
    FLOATS,
    INTEGERS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    elementwise,
)
from scopeflow.ops.math_ops import sigmoid, tanh

TensorShape = tensor_shape.TensorShape


def _unary(op_type: str, allowed=FLOATS):
    register_op(op_type, elementwise(op_type, allowed, arg="features"))

    @undo.atomic
    def activation(features, name=None):
        with name_scope(name, op_type, [features]) as scope:
            x = convert_to_tensor(features, name="features")
            return apply_op(op_type, [x], name=scope)

    activation.__doc__ = f"Element-wise ``{op_type}``."
    return activation


relu = _unary("Relu", FLOATS + INTEGERS)
relu6 = _unary("Relu6", FLOATS + INTEGERS)
elu = _unary("Elu")
selu = _unary("Selu")
softplus = _unary("Softplus")
softsign = _unary("Softsign")
__all__ = ["relu", "relu6", "elu", "selu", "softplus", "softsign", "sigmoid", "tanh"]


# -- conv2d -------------------------------------------------------------------------------


def _four(values, what: str) -> list[int]:
    if isinstance(values, int):
        return [1, values, values, 1]
    values = list(values)
    if len(values) == 1:
        return [1, values[0], values[0], 1]
    if len(values) == 2:
        return [1, values[0], values[1], 1]
    if len(values) == 4:
        return [int(v) for v in values]
    raise ValueError(f"{what} should be of length 1, 2 or 4, got {len(values)}: {values}")


def conv_output_size(size, k: int, stride: int, dilation: int, padding, pads=(0, 0)):
    """One spatial output size of a convolution (``None`` if ``size`` is unknown)."""
    if size is None:
        return None
    effective = (k - 1) * dilation + 1
    if padding == "SAME":
        return math.ceil(size / stride)
    padded = size + pads[0] + pads[1]
    if padded < effective:
        raise ValueError(f"Negative dimension size caused by subtracting {effective} from {padded}")
    return (padded - effective) // stride + 1


_CONV_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int32)


def _conv2d_infer(inputs, attrs):
    x, w = inputs
    dtype = check_same_dtype("Conv2D", ("input", "filter"), inputs)
    check_dtype_in("Conv2D", "input", x, _CONV_TYPES)
    for arg, t in (("input", x), ("filter", w)):
        if t.shape.ndims is not None and t.shape.ndims != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {t.shape.ndims} for '{arg}'")
    if w.shape.ndims is None or x.shape.ndims is None:
        batch = x.shape[0].value if x.shape.ndims else None
        out_c = w.shape[3].value if w.shape.ndims else None
        return [(dtype, TensorShape([batch, None, None, out_c]))]
    n, h, wd, c = x.shape.as_list()
    kh, kw, kc, out_c = w.shape.as_list()
    if c is not None and kc is not None and c % kc:
        raise ValueError(f"Depth of input ({c}) is not a multiple of input depth of filter ({kc})")
    if kh is None or kw is None:
        return [(dtype, TensorShape([n, None, None, out_c]))]
    _, sh, sw, _ = attrs["strides"]
    _, dh, dw, _ = attrs["dilations"]
    padding = attrs["padding"]
    pads = attrs.get("explicit_paddings") or [0] * 8
    out_h = conv_output_size(h, kh, sh, dh, padding, pads[2:4])
    out_w = conv_output_size(wd, kw, sw, dw, padding, pads[4:6])
    return [(dtype, TensorShape([n, out_h, out_w, out_c]))]


register_op("Conv2D", _conv2d_infer)


def _padding_attrs(padding) -> tuple[str, list[int]]:
    if isinstance(padding, str):
        if padding.upper() not in ("SAME", "VALID"):
            raise ValueError(f"padding must be 'SAME', 'VALID' or a list of pairs, got {padding!r}")
        return padding.upper(), []
    pairs = [list(p) for p in padding]
    if len(pairs) != 4 or any(len(p) != 2 for p in pairs):
        raise ValueError(f"explicit padding must be 4 [before, after] pairs (NHWC), got {padding}")
    if pairs[0] != [0, 0] or pairs[3] != [0, 0]:
        raise ValueError("explicit padding of the batch and channel dimensions must be [0, 0]")
    return "EXPLICIT", [int(v) for p in pairs for v in p]


def _check_nhwc(data_format: str) -> None:
    if data_format != "NHWC":
        raise NotImplementedError(
            f"data_format={data_format!r} is not supported; scopeflow computes in NHWC. "
            "Transpose the input with tf.transpose(x, [0, 2, 3, 1]) and use NHWC."
        )


@undo.atomic
def conv2d(
    input,
    filter=None,
    strides=None,
    padding=None,
    use_cudnn_on_gpu=True,  # noqa: A002
    data_format="NHWC",
    dilations=(1, 1, 1, 1),
    name=None,
    filters=None,
):
    """2-D convolution of an NHWC ``input`` with an HWIO ``filter``.

    ``padding`` is ``"SAME"``, ``"VALID"`` or explicit ``[[0, 0], [t, b], [l, r], [0, 0]]``.
    """
    if filter is None:
        filter = filters  # noqa: A001
    if filter is None or strides is None or padding is None:
        raise TypeError("conv2d() requires input, filter, strides and padding")
    _check_nhwc(data_format)
    padding, explicit = _padding_attrs(padding)
    attrs = {
        "strides": _four(strides, "strides"),
        "dilations": _four(dilations, "dilations"),
        "padding": padding,
        "explicit_paddings": explicit,
        "data_format": data_format,
        "use_cudnn_on_gpu": use_cudnn_on_gpu,
    }
    if attrs["strides"][0] != 1 or attrs["strides"][3] != 1:
        raise ValueError("strides in the batch and depth dimensions must be 1")
    with name_scope(name, "Conv2D", [input, filter]) as scope:
        x = convert_to_tensor(input, name="input")
        w = convert_to_tensor(filter, dtype_hint=x.dtype.base_dtype, name="filter")
        return apply_op("Conv2D", [x, w], attrs, name=scope)


# -- bias and losses ----------------------------------------------------------------------


def _bias_add_infer(inputs, attrs):
    value, bias = inputs
    dtype = check_same_dtype("BiasAdd", ("value", "bias"), inputs)
    if bias.shape.ndims is not None and bias.shape.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.shape.ndims} for 'bias'")
    shape = value.shape
    if shape.ndims is not None:
        if shape.ndims < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {shape.ndims}")
        channels, size = shape[-1].value, bias.shape[0].value if bias.shape.ndims else None
        if channels is not None and size is not None and channels != size:
            raise ValueError(f"Dimensions must be equal, but are {channels} and {size}")
        shape = shape[:-1].concatenate([channels if channels is not None else size])
    return [(dtype, shape)]


register_op("BiasAdd", _bias_add_infer)


@undo.atomic
def bias_add(value, bias, data_format=None, name=None):
    """Adds a 1-D ``bias`` along the last dimension of ``value``."""
    _check_nhwc(data_format or "NHWC")
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": "NHWC"}, name=scope)


def _l2_loss_infer(inputs, attrs):
    t = inputs[0]
    return [(check_dtype_in("L2Loss", "t", t, FLOATS), TensorShape([]))]


register_op("L2Loss", _l2_loss_infer)


@undo.atomic
def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``."""
    with name_scope(name, "L2Loss", [t]) as scope:
        return apply_op("L2Loss", [convert_to_tensor(t, name="t")], name=scope)
