"""Simulated quantization for quantization-aware training: ``FakeQuantWithMinMaxArgs``,
``FakeQuantWithMinMaxVars`` and ``FakeQuantWithMinMaxVarsPerChannel`` (values rounded to the
``2**num_bits`` levels of a nudged ``[min, max]`` range, in float32 as TF's kernels compute
them), each with its ``...Gradient`` op (TF's straight-through estimator: the gradient passes
where the input lies in the nudged range; the ``Vars`` ops also give ``min`` the gradients
below it and ``max`` those above it, summed)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import apply_op, no_gradient

_ARGS = ("inputs", "min", "max")


def _check_float32(op_type: str, arg: str, t) -> None:
    if t.dtype.base_dtype != dtypes.float32:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            "match expected type of float32."
        )


def _levels(attrs) -> tuple[np.float32, np.float32]:
    """The quantized range ``[quant_min, quant_max]`` as float32, after TF's checks."""
    num_bits = attrs["num_bits"]
    if not 2 <= num_bits <= 16:
        raise ValueError("num_bits must be between 2 and 16, inclusive")
    return np.float32(1 if attrs["narrow_range"] else 0), np.float32((1 << num_bits) - 1)


def _nudge(low, high, attrs):
    """TF's ``Nudge``: ``[low, high]`` moved so that 0 is exactly representable; returns
    ``(nudged_min, nudged_max, scale, inv_scale, zero_point)`` as float32 (arrays for
    per-channel ranges)."""
    quant_min, quant_max = _levels(attrs)
    low, high = np.float32(low), np.float32(high)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = (high - low) / (quant_max - quant_min)
        inv_scale = (quant_max - quant_min) / (high - low)
        zero_point_from_min = quant_min - low / scale
        rounded = np.sign(zero_point_from_min) * np.floor(np.abs(zero_point_from_min) + 0.5)
        zero_point = np.where(
            zero_point_from_min < quant_min,
            quant_min,
            np.where(zero_point_from_min > quant_max, quant_max, np.nan_to_num(rounded)),
        ).astype(np.float32)
        nudged_min = ((quant_min - zero_point) * scale).astype(np.float32)
        nudged_max = ((quant_max - zero_point) * scale).astype(np.float32)
    return nudged_min, nudged_max, np.float32(scale), np.float32(inv_scale), zero_point


def _quantize(x, low, high, attrs):
    """TF's values, bit for bit: the level index is rounded from the shifted input with one
    rounding of the multiply-add, and the result is ``(level - zero_point) * scale``, one
    float32 product (what TF's compiled kernels give; ``level * scale + nudged_min`` rounded
    twice differs in the last bit)."""
    nudged_min, nudged_max, scale, inv_scale, zero_point = _nudge(low, high, attrs)
    quant_min, _ = _levels(attrs)
    with np.errstate(invalid="ignore", over="ignore"):
        clamped = np.maximum(np.minimum(x, nudged_max), nudged_min)
        shifted = (clamped - nudged_min).astype(np.float64)
        steps = np.floor((shifted * inv_scale + 0.5).astype(np.float32))
        return ((steps + (quant_min - zero_point)) * scale).astype(np.float32)


def _in_range(x, low, high, attrs):
    nudged_min, nudged_max, _, _, _ = _nudge(low, high, attrs)
    return (x >= nudged_min) & (x <= nudged_max), x < nudged_min, x > nudged_max


def with_rank(shape, rank: int, at_least: bool = False):
    """``shape`` checked as TF's shape functions check a rank, with their words."""
    if shape.ndims is not None and (shape.ndims < rank if at_least else shape.ndims != rank):
        kind = "at least rank" if at_least else "rank"
        raise ValueError(f"Shape must be {kind} {rank} but is rank {shape.ndims}")
    return shape if at_least or shape.ndims is not None else tensor_shape.unknown_shape(rank)


def merge_dim(shape, other):
    """Two shapes of the same rank merged, TF's words when sizes clash."""
    for a, b in zip(shape.as_list(), other.as_list(), strict=True):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return shape.merge_with(other)


def _attrs(num_bits, narrow_range, **more) -> dict:
    return {"num_bits": int(num_bits), "narrow_range": bool(narrow_range), **more}


# -- FakeQuantWithMinMaxArgs: the range as attributes ------------------------------------------


def _args_infer(op_type: str, names: tuple[str, ...]):
    def infer(inputs, attrs):
        shape = tensor_shape.TensorShape(None)
        for arg, t in zip(names, inputs, strict=True):
            _check_float32(op_type, arg, t)
            shape = shape.merge_with(t.shape)
        return [(dtypes.float32, shape)]

    return infer


def _check_args_range(attrs):
    low, high = attrs["min"], attrs["max"]
    if not low < high:
        raise ValueError(f"min has to be smaller than max, was: {low:g} >= {high:g}")
    return low, high


def _args_kernel(ctx, op, x):
    low, high = _check_args_range(op._attrs)
    return _quantize(x, low, high, op._attrs)


def _args_gradient_kernel(ctx, op, gradients, x):
    low, high = _check_args_range(op._attrs)
    inside, _, _ = _in_range(x, low, high, op._attrs)
    return np.where(inside, gradients, np.float32(0)).astype(np.float32)


def _args_grad(op, grad):
    attrs = op._attrs
    return [
        fake_quant_with_min_max_args_gradient(
            grad, op.inputs[0], attrs["min"], attrs["max"], attrs["num_bits"], attrs["narrow_range"]
        )
    ]


register_op(
    "FakeQuantWithMinMaxArgs",
    _args_infer("FakeQuantWithMinMaxArgs", ("inputs",)),
    kernel=_args_kernel,
    grad=_args_grad,
)
register_op(
    "FakeQuantWithMinMaxArgsGradient",
    _args_infer("FakeQuantWithMinMaxArgsGradient", ("gradients", "inputs")),
    kernel=_args_gradient_kernel,
    grad=no_gradient,
)


@undo.atomic
def fake_quant_with_min_max_args(
    inputs, min=-6.0, max=6.0, num_bits=8, narrow_range=False, name=None
):
    """``inputs`` (float32) rounded to the ``2**num_bits`` levels of ``[min, max]`` (nudged so
    that 0 is a level; ``narrow_range`` drops the lowest level), clamped to that range.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.quantization.fake_quant_with_min_max_args([-7.0, 0.5, 1.26], -6.0, 6.0)
    ...     print(tf.Session().run(y))
    [-6.0235295  0.5176471  1.2705883]
    """
    with name_scope(name, "FakeQuantWithMinMaxArgs", [inputs]) as scope:
        inputs = convert_to_tensor(inputs, dtype_hint=dtypes.float32, name="inputs")
        attrs = _attrs(num_bits, narrow_range, min=float(min), max=float(max))
        return apply_op("FakeQuantWithMinMaxArgs", [inputs], attrs, name=scope)


@undo.atomic
def fake_quant_with_min_max_args_gradient(
    gradients, inputs, min=-6.0, max=6.0, num_bits=8, narrow_range=False, name=None
):
    """The gradient of :func:`fake_quant_with_min_max_args`: ``gradients`` where ``inputs``
    lies in the nudged ``[min, max]``, else 0."""
    with name_scope(name, "FakeQuantWithMinMaxArgsGradient", [gradients, inputs]) as scope:
        gradients = convert_to_tensor(gradients, dtype_hint=dtypes.float32, name="gradients")
        inputs = convert_to_tensor(inputs, dtype_hint=dtypes.float32, name="inputs")
        attrs = _attrs(num_bits, narrow_range, min=float(min), max=float(max))
        return apply_op("FakeQuantWithMinMaxArgsGradient", [gradients, inputs], attrs, name=scope)


# -- FakeQuantWithMinMaxVars(PerChannel): the range as tensors ---------------------------------


def _vars_infer(op_type: str, per_channel: bool, gradient: bool):
    names = (("gradients",) if gradient else ()) + _ARGS

    def infer(inputs, attrs):
        for arg, t in zip(names, inputs, strict=True):
            _check_float32(op_type, arg, t)
        x_shape = inputs[0].shape
        if gradient:
            x_shape = x_shape.merge_with(inputs[1].shape)
        low, high = inputs[-2:]
        if per_channel:
            x_shape = with_rank(x_shape, 1, at_least=True)
            depth = tensor_shape.TensorShape(x_shape[-1:] if x_shape.ndims else [None])
            range_shape = merge_dim(with_rank(low.shape, 1), with_rank(high.shape, 1))
            range_shape = merge_dim(depth, range_shape)
            if x_shape.ndims is not None:
                x_shape = x_shape[:-1].concatenate(range_shape)
        else:
            range_shape = with_rank(low.shape, 0).merge_with(with_rank(high.shape, 0))
        outputs = [(dtypes.float32, x_shape)]
        return outputs + [(dtypes.float32, range_shape)] * 2 if gradient else outputs

    return infer


def _depth_check(x, low, high):
    depth = x.shape[-1] if x.ndim else None
    for arg, v in (("min", low), ("max", high)):
        if v.shape != (depth,):
            raise ValueError(f"{arg} must be a vector of size {depth}, got shape {list(v.shape)}")


def _vars_kernel(ctx, op, x, low, high):
    return _quantize(x, low, high, op._attrs)


def _per_channel_kernel(ctx, op, x, low, high):
    _depth_check(x, low, high)
    return _quantize(x, low, high, op._attrs)


def _vars_gradient_kernel(ctx, op, gradients, x, low, high):
    inside, below, above = _in_range(x, low, high, op._attrs)
    zero = np.float32(0)
    axes = tuple(range(x.ndim - 1)) if op.type.endswith("PerChannelGradient") else None
    if axes is not None:
        _depth_check(x, low, high)
    return (
        np.where(inside, gradients, zero).astype(np.float32),
        np.where(below, gradients, zero).sum(axis=axes, dtype=np.float32),
        np.where(above, gradients, zero).sum(axis=axes, dtype=np.float32),
    )


def _vars_grad(gradient_fn):
    def grad(op, dy):
        x, low, high = op.inputs
        attrs = op._attrs
        return list(gradient_fn(dy, x, low, high, attrs["num_bits"], attrs["narrow_range"]))

    return grad


def _vars_builder(op_type: str, gradient: bool):
    def build(*tensors, num_bits=8, narrow_range=False, name=None):
        names = (("gradients",) if gradient else ()) + _ARGS
        with name_scope(name, op_type, list(tensors)) as scope:
            tensors = [
                convert_to_tensor(t, dtype_hint=dtypes.float32, name=arg)
                for arg, t in zip(names, tensors, strict=True)
            ]
            return apply_op(op_type, tensors, _attrs(num_bits, narrow_range), name=scope)

    return build


_vars = _vars_builder("FakeQuantWithMinMaxVars", False)
_vars_gradient = _vars_builder("FakeQuantWithMinMaxVarsGradient", True)
_per_channel = _vars_builder("FakeQuantWithMinMaxVarsPerChannel", False)
_per_channel_gradient = _vars_builder("FakeQuantWithMinMaxVarsPerChannelGradient", True)


@undo.atomic
def fake_quant_with_min_max_vars(inputs, min, max, num_bits=8, narrow_range=False, name=None):
    """:func:`fake_quant_with_min_max_args` with the range as scalar float32 tensors (usually
    variables trained with the model: their gradients are the input's gradients that fall
    below ``min`` and above ``max``, summed).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.quantization.fake_quant_with_min_max_vars([-1.0, 0.5], -0.1, 1.3, num_bits=4)
    ...     print(tf.Session().run(y))
    [-0.09333333  0.46666667]
    """
    return _vars(inputs, min, max, num_bits=num_bits, narrow_range=narrow_range, name=name)


@undo.atomic
def fake_quant_with_min_max_vars_gradient(
    gradients, inputs, min, max, num_bits=8, narrow_range=False, name=None
):
    """The gradients of :func:`fake_quant_with_min_max_vars`: ``(backprops_wrt_input,
    backprop_wrt_min, backprop_wrt_max)``."""
    return _vars_gradient(
        gradients, inputs, min, max, num_bits=num_bits, narrow_range=narrow_range, name=name
    )


@undo.atomic
def fake_quant_with_min_max_vars_per_channel(
    inputs, min, max, num_bits=8, narrow_range=False, name=None
):
    """:func:`fake_quant_with_min_max_vars` with one range per channel (the last dimension):
    ``min`` and ``max`` are vectors of that size.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.quantization.fake_quant_with_min_max_vars_per_channel(
    ...         [[0.3, 0.3]], [-1.0, 0.0], [1.0, 5.0], num_bits=3)
    ...     print(tf.Session().run(y))
    [[0.2857143 0.       ]]
    """
    return _per_channel(inputs, min, max, num_bits=num_bits, narrow_range=narrow_range, name=name)


@undo.atomic
def fake_quant_with_min_max_vars_per_channel_gradient(
    gradients, inputs, min, max, num_bits=8, narrow_range=False, name=None
):
    """The gradients of :func:`fake_quant_with_min_max_vars_per_channel`: the input's, and
    per channel those of ``min`` and ``max``."""
    return _per_channel_gradient(
        gradients, inputs, min, max, num_bits=num_bits, narrow_range=narrow_range, name=name
    )


for _type, _kernel, _grad_op, _grad_kernel, _gradient_fn in (
    ("FakeQuantWithMinMaxVars", _vars_kernel, "FakeQuantWithMinMaxVarsGradient",
     _vars_gradient_kernel, fake_quant_with_min_max_vars_gradient),
    ("FakeQuantWithMinMaxVarsPerChannel", _per_channel_kernel,
     "FakeQuantWithMinMaxVarsPerChannelGradient", _vars_gradient_kernel,
     fake_quant_with_min_max_vars_per_channel_gradient),
):  # fmt: skip
    _per = _type.endswith("PerChannel")
    register_op(
        _type, _vars_infer(_type, _per, False), kernel=_kernel, grad=_vars_grad(_gradient_fn)
    )
    register_op(_grad_op, _vars_infer(_grad_op, _per, True), kernel=_grad_kernel, grad=no_gradient)


# The names ``tf.quantization`` exports from this module.
__all__ = [
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
]
