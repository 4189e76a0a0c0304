"""Neural-network ops (``tf.nn``): activations, bias, softmax, ``l2_loss``, ``top_k``.

Convolutions are in ``conv_ops.py``, pooling in ``pooling_ops.py``, the cross-entropy losses
in ``loss_ops.py`` and the functions TF1 builds from other ops (dropout, moments...) in
``nn_impl.py``. Kernels of float16/bfloat16 compute in float32 and round once at the end.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops import array_ops
from scopeflow.ops._infer import (
    FLOATS,
    INDEX,
    INTEGERS,
    REALS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    constant_value,
    elementwise,
    name_public_functions,
)
from scopeflow.ops.conv_algorithms import compute_dtype
from scopeflow.ops.conv_ops import check_nhwc
from scopeflow.ops.math_ops import cast, sigmoid, tanh

TensorShape = tensor_shape.TensorShape

# -- element-wise activations -------------------------------------------------------------

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float_kernel(fn):
    """A kernel computing ``fn(x)`` in float32/float64 and returning ``x``'s dtype."""

    def kernel(ctx, op, x):
        with np.errstate(over="ignore", under="ignore"):
            return np.asarray(fn(x.astype(compute_dtype(x.dtype), copy=False)), x.dtype)

    return kernel


def _relu(x):
    return np.maximum(x, np.zeros((), x.dtype))


def _relu6(x):
    return np.minimum(np.maximum(x, np.zeros((), x.dtype)), np.asarray(6, x.dtype))


def _elu(x):
    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))


def _selu(x):
    return _SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0)))


def _softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _softsign(x):
    return x / (1 + np.abs(x))


def _unary(op_type: str, fn, allowed=FLOATS):
    floats = _float_kernel(fn)

    def kernel(ctx, op, x):
        if x.dtype.kind in "iu":  # Relu and Relu6 of integers keep their dtype
            return np.asarray(fn(x), x.dtype)
        return floats(ctx, op, x)

    register_op(op_type, elementwise(op_type, allowed, arg="features"), kernel=kernel)

    @undo.atomic
    def activation(features, name=None):
        with name_scope(name, op_type, [features]) as scope:
            x = convert_to_tensor(features, name="features")
            return apply_op(op_type, [x], name=scope)

    activation.__doc__ = f"Element-wise ``{op_type}``."
    return activation


relu = _unary("Relu", _relu, FLOATS + INTEGERS)
relu6 = _unary("Relu6", _relu6, FLOATS + INTEGERS)
elu = _unary("Elu", _elu)
selu = _unary("Selu", _selu)
softplus = _unary("Softplus", _softplus)
softsign = _unary("Softsign", _softsign)


def _leaky_relu_kernel(ctx, op, x):
    alpha = op._attrs["alpha"]
    work = x.astype(compute_dtype(x.dtype), copy=False)
    return np.asarray(np.where(work > 0, work, work * work.dtype.type(alpha)), x.dtype)


register_op(
    "LeakyRelu", elementwise("LeakyRelu", FLOATS, arg="features"), kernel=_leaky_relu_kernel
)


@undo.atomic
def leaky_relu(features, alpha=0.2, name=None):
    """``features`` where positive, else ``alpha * features``; integers become float32 first,
    as in TF1 (``LeakyRelu/Cast``)."""
    with name_scope(name, "LeakyRelu", [features, alpha]) as scope:
        x = convert_to_tensor(features, name="features")
        if x.dtype.base_dtype.is_integer:
            x = cast(x, dtypes.float32)
        return apply_op("LeakyRelu", [x], {"alpha": float(np.float32(alpha))}, name=scope)


# -- bias_add and l2_loss -----------------------------------------------------------------


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


def _bias_add_kernel(ctx, op, value, bias):
    if value.ndim < 2 or bias.ndim != 1 or value.shape[-1] != bias.shape[0]:
        raise ValueError(
            f"Must provide as many biases as the last dimension of the input tensor: "
            f"{list(bias.shape)} vs. {list(value.shape)}"
        )
    return np.add(value, bias, dtype=value.dtype)


register_op("BiasAdd", _bias_add_infer, kernel=_bias_add_kernel)


@undo.atomic
def bias_add(value, bias, data_format=None, name=None):
    """Adds a 1-D ``bias`` along the last dimension of ``value``."""
    check_nhwc(data_format)
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": "NHWC"}, name=scope)


def _l2_loss_infer(inputs, attrs):
    t = inputs[0]
    return [(check_dtype_in("L2Loss", "t", t, FLOATS), TensorShape([]))]


def _l2_loss_kernel(ctx, op, t):
    work = t.astype(compute_dtype(t.dtype), copy=False).ravel()
    return np.asarray(np.dot(work, work) / 2, t.dtype)


register_op("L2Loss", _l2_loss_infer, kernel=_l2_loss_kernel)


@undo.atomic
def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``."""
    with name_scope(name, "L2Loss", [t]) as scope:
        return apply_op("L2Loss", [convert_to_tensor(t, name="t")], name=scope)


# -- softmax and log_softmax --------------------------------------------------------------


def _softmax_infer(op_type: str):
    def infer(inputs, attrs):
        x = inputs[0]
        dtype = check_dtype_in(op_type, "logits", x, FLOATS)
        if x.shape.ndims == 0:
            raise ValueError("Shape must be at least rank 1 but is rank 0")
        return [(dtype, x.shape)]

    return infer


def log_softmax_array(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable ``log(softmax(x))`` (shifted by the maximum: log-sum-exp)."""
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax_array(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_kernel(fn):
    def kernel(ctx, op, x):
        if x.ndim == 0:
            raise ValueError("logits must have at least one dimension")
        if x.size == 0:
            return x.copy()
        return fn(x.astype(compute_dtype(x.dtype), copy=False)).astype(x.dtype, copy=False)

    return kernel


register_op("Softmax", _softmax_infer("Softmax"), kernel=_softmax_kernel(softmax_array))
register_op("LogSoftmax", _softmax_infer("LogSoftmax"), kernel=_softmax_kernel(log_softmax_array))


def _along_axis(op_type: str, logits, axis, name):
    """``op_type`` over ``axis``: the op itself for the last axis, else the op between two
    transposes that swap ``axis`` and the last one (TF1's structure, with static perms)."""
    x = convert_to_tensor(logits)
    rank = x.shape.ndims
    if axis is None or axis == -1 or (rank is not None and axis == rank - 1):
        return apply_op(op_type, [x], name=name or op_type)
    if rank is None:
        raise NotImplementedError(
            f"{op_type} over axis {axis} needs the rank of logits known while building the "
            "graph; set its shape (tensor.set_shape) or use axis=-1"
        )
    if not -rank <= axis < rank:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number of "
            f"dimensions in the input. Received: dim={axis}",
        )
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    swapped = array_ops.transpose(x, perm)
    return array_ops.transpose(apply_op(op_type, [swapped], name=name or op_type), perm)


def _axis_arg(axis, dim):
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        return dim
    return axis


@undo.atomic
def softmax(logits, axis=None, name=None, dim=None):
    """``exp(logits) / sum(exp(logits), axis)``, computed stably.

    >>> import numpy as np, scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.nn.softmax([[1.0, 1.0], [0.0, np.log(3.0)]])
    ...     print(tf.Session().run(p).round(2).tolist())
    [[0.5, 0.5], [0.25, 0.75]]
    """
    return _along_axis("Softmax", logits, _axis_arg(axis, dim), name)


@undo.atomic
def log_softmax(logits, axis=None, name=None, dim=None):
    """``logits - log(sum(exp(logits), axis))``, computed stably (log-sum-exp)."""
    return _along_axis("LogSoftmax", logits, _axis_arg(axis, dim), name)


# -- top_k and in_top_k -------------------------------------------------------------------

TopKV2 = namedtuple("TopKV2", ["values", "indices"])


def _k_value(k_t) -> int | None:
    value = constant_value(k_t)
    return None if value is None else int(value)


def _top_k_infer(inputs, attrs):
    x, k_t = inputs
    dtype = check_dtype_in("TopKV2", "input", x, REALS)
    if k_t.shape.ndims not in (None, 0):
        raise ValueError(f"Shape must be rank 0 but is rank {k_t.shape.ndims} for 'k'")
    if x.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    k = _k_value(k_t)
    if k is not None and k < 0:
        raise ValueError(
            f"Dimension size, given by scalar input 1, must be non-negative but is {k}"
        )
    if x.shape.ndims is None:
        shape = tensor_shape.unknown_shape()
    else:
        last = x.shape[-1].value
        if k is not None and last is not None and last < k:
            raise ValueError(f"input must have last dimension >= k = {k} but is {last}")
        shape = x.shape[:-1].concatenate([k])
    return [(dtype, shape), (attrs["index_type"], shape)]


def top_k_indices(x: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest entries along the last axis, largest first, ties broken
    by the lower index (a stable sort of the reversed row, read backwards)."""
    n = x.shape[-1]
    order = np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    return (n - 1 - order)[..., :k]


def _top_k_kernel(ctx, op, x, k):
    k = int(k)
    if x.ndim == 0 or k < 0 or x.shape[-1] < k:
        raise ValueError(
            f"input must have at least k={k} columns, got shape {list(x.shape)} (and k >= 0)"
        )
    indices = top_k_indices(x, k)
    values = np.take_along_axis(x, indices, axis=-1)
    return values, indices.astype(op._attrs["index_type"].as_numpy_dtype)


register_op("TopKV2", _top_k_infer, kernel=_top_k_kernel)


@undo.atomic
def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The ``k`` largest entries of the last dimension and their indices, largest first.

    Deliberate difference: ``sorted=False`` is recorded on the op, but the values still come
    sorted (TF leaves their order unspecified).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     values, indices = tf.nn.top_k([1, 9, 3, 9], k=2)
    ...     print(tf.Session().run([values, indices]))
    [array([9, 9], dtype=int32), array([1, 3], dtype=int32)]
    """
    with name_scope(name, "TopKV2", [input, k]) as scope:
        x = convert_to_tensor(input, name="input")
        k = convert_to_tensor(k, dtype_hint=dtypes.int32, name="k")
        check_dtype_in("TopKV2", "k", k, (dtypes.int16, dtypes.int32, dtypes.int64))
        index_type = dtypes.as_dtype(index_type).base_dtype
        attrs = {"sorted": bool(sorted), "index_type": index_type, "Tk": k.dtype.base_dtype}
        return TopKV2(*apply_op("TopKV2", [x, k], attrs, name=scope))


def _in_top_k_infer(inputs, attrs):
    predictions, targets, k = inputs
    if predictions.dtype.base_dtype != dtypes.float32:
        raise TypeError(
            f"Input 'predictions' of 'InTopKV2' Op has type {predictions.dtype.base_dtype.name} "
            "that does not match expected type of float32."
        )
    check_dtype_in("InTopKV2", "targets", targets, INDEX)
    check_same_dtype("InTopKV2", ("targets", "k"), [targets, k])
    for arg, t, rank in (("predictions", predictions, 2), ("targets", targets, 1), ("k", k, 0)):
        if t.shape.ndims is not None and t.shape.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims} for '{arg}'")
    batch = predictions.shape[0] if predictions.shape.ndims else tensor_shape.Dimension(None)
    other = targets.shape[0] if targets.shape.ndims else tensor_shape.Dimension(None)
    if batch.value is not None and other.value is not None and batch.value != other.value:
        raise ValueError(f"Dimensions must be equal, but are {batch.value} and {other.value}")
    return [(dtypes.bool, TensorShape([batch.value if batch.value is not None else other.value]))]


def _in_top_k_kernel(ctx, op, predictions, targets, k):
    if predictions.ndim != 2 or targets.shape != predictions.shape[:1]:
        raise ValueError(
            f"predictions must be [batch, classes] and targets [batch], got "
            f"{list(predictions.shape)} and {list(targets.shape)}"
        )
    classes = predictions.shape[1]
    known = (targets >= 0) & (targets < classes)
    target_score = predictions[np.arange(len(targets)), np.where(known, targets, 0)]
    better = np.sum(predictions > target_score[:, None], axis=1)
    # As TF: a row with a non-finite prediction (or an unknown target) is never "in".
    return known & np.isfinite(predictions).all(axis=1) & (better < k)


register_op("InTopKV2", _in_top_k_infer, kernel=_in_top_k_kernel)


@undo.atomic
def in_top_k(predictions, targets, k, name=None):
    """Whether each target's prediction is among the ``k`` highest of its row (ties count
    as in; a row with a non-finite prediction or an out-of-range target is ``False``)."""
    with name_scope(name, "in_top_k", [predictions, targets, k]):
        with name_scope(None, "InTopKV2", [predictions, targets, k]) as scope:
            p = convert_to_tensor(predictions, name="predictions")
            t = convert_to_tensor(targets, dtype_hint=dtypes.int32, name="targets")
            k = convert_to_tensor(k, dtype=t.dtype.base_dtype, name="k")
            return apply_op("InTopKV2", [p, t, k], name=scope)


__all__ = [
    "bias_add",
    "elu",
    "in_top_k",
    "l2_loss",
    "leaky_relu",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "softmax",
    "softplus",
    "softsign",
    "tanh",
    "top_k",
]

name_public_functions(globals(), __all__)
