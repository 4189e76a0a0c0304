"""Float operations of one graph op, by the rules TF's profiler registers for each op type.

A rule reads the static shapes of the op's inputs and outputs; when a shape it needs is not
fully known the op has no count (``None``), and the profiler reports how many such ops it met.
Op types without a rule count zero, as in TF (``Relu``, ``Exp``, ``FusedBatchNorm``...).
"""

from __future__ import annotations

import math
from collections.abc import Callable

FlopsRule = Callable[[object], "int | None"]


class _Unknown(Exception):
    """A shape a rule needs is not fully defined."""


def _dims(tensor) -> list[int]:
    shape = tensor.shape
    if shape.ndims is None or not shape.is_fully_defined():
        raise _Unknown
    return [int(d) for d in shape.as_list()]


def _size(tensor) -> int:
    return math.prod(_dims(tensor))


def _per_input(per_element: int) -> FlopsRule:
    return lambda op: _size(op.inputs[0]) * per_element


def _per_output(per_element: int) -> FlopsRule:
    return lambda op: _size(op.outputs[0]) * per_element


def _reduction(finalize: int) -> FlopsRule:
    # one op per input element, then ``finalize`` ops per output element, less the first
    # element of each output that needs no add
    return lambda op: _size(op.inputs[0]) + _size(op.outputs[0]) * (finalize - 1)


def _l2_loss(op) -> int:
    return _size(op.inputs[0]) * 3 - 1


def _add_n(op) -> int:
    return (len(op.inputs) - 1) * _size(op.outputs[0])


def _window_area(op) -> int:
    if op._attrs.get("data_format", "NHWC") not in ("NHWC", b"NHWC"):
        raise _Unknown  # TF's rule reads the window as NHWC and gives no count for NCHW
    ksize = op._attrs["ksize"]
    return int(ksize[1]) * int(ksize[2])


def _pool(op) -> int:
    return _window_area(op) * _size(op.outputs[0])


def _avg_pool_grad(op) -> int:
    return _window_area(op) * _size(op.inputs[1]) * 2


def _max_pool_grad(op) -> int:
    return _window_area(op) * _size(op.inputs[1]) + _size(op.inputs[2])


def _conv(op) -> int:
    kernel = _dims(op.inputs[1])  # [*window, in_channels, out_channels]
    return 2 * _size(op.outputs[0]) * math.prod(kernel[:-1])


def _depthwise(op) -> int:
    kernel = _dims(op.inputs[1])
    return 2 * _size(op.outputs[0]) * kernel[0] * kernel[1]


def _dilation(op) -> int:
    kernel = _dims(op.inputs[1])
    return 2 * _size(op.outputs[0]) * kernel[0] * kernel[1]


def _stride_area(op) -> int:
    strides = op._attrs["strides"]
    return int(strides[1]) * int(strides[2])


def _conv_backprop_input(op) -> int:
    kernel = _dims(op.inputs[1])
    return 2 * _size(op.outputs[0]) * kernel[0] * kernel[1] * kernel[3] // _stride_area(op)


def _conv_backprop_filter(op) -> int:
    kernel = _dims(op.outputs[0])
    return 2 * _size(op.inputs[0]) * kernel[0] * kernel[1] * kernel[3] // _stride_area(op)


def _matmul(op) -> int:
    a = _dims(op.inputs[0])
    inner = a[0] if op._attrs.get("transpose_a") else a[1]
    return 2 * inner * _size(op.outputs[0])


def _batch_matmul(op) -> int:
    # TF's rule takes the inner size from x's last dimension even under adj_x
    return 2 * _dims(op.inputs[0])[-1] * _size(op.outputs[0])


RULES: dict[str, FlopsRule] = {
    **dict.fromkeys(
        ("Reciprocal", "Square", "Log", "Neg", "AssignSub", "AssignAdd"), _per_input(1)
    ),
    "Rsqrt": _per_input(2),
    "Softmax": _per_input(5),
    "L2Loss": _l2_loss,
    **dict.fromkeys(
        (
            "Add",
            "AddV2",
            "Sub",
            "Mul",
            "RealDiv",
            "Maximum",
            "Minimum",
            "Pow",
            "GreaterEqual",
            "Greater",
            "LessEqual",
            "Less",
            "Equal",
            "NotEqual",
        ),
        _per_output(1),
    ),
    "SquaredDifference": _per_output(2),
    "RsqrtGrad": _per_output(4),
    "BiasAdd": _per_output(1),
    "Mean": _reduction(1),
    **dict.fromkeys(("Sum", "ArgMax", "ArgMin", "BiasAddGrad"), _reduction(0)),
    "AddN": _add_n,
    "AvgPool": _pool,
    "MaxPool": _pool,
    "AvgPoolGrad": _avg_pool_grad,
    "MaxPoolGrad": _max_pool_grad,
    "Conv2D": _conv,
    "Conv3D": _conv,
    "DepthwiseConv2dNative": _depthwise,
    "Dilation2D": _dilation,
    "Conv2DBackpropInput": _conv_backprop_input,
    "Conv2DBackpropFilter": _conv_backprop_filter,
    "MatMul": _matmul,
    **dict.fromkeys(("BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"), _batch_matmul),
}


def float_ops(op) -> int | None:
    """The float operations TF's profiler counts for ``op``: 0 for op types it has no rule
    for, None where a shape the rule needs is not fully known."""
    rule = RULES.get(op.type)
    if rule is None:
        return 0
    try:
        return int(rule(op))
    except _Unknown:
        return None
