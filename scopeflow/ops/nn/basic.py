"""Neural-network ops (``tf.nn``): bias, softmax, ``l2_loss``, ``top_k``, ``in_top_k``.

Activations are in ``activation.py``, convolutions in ``conv.py`` and
``depthwise.py``, pooling in ``pooling.py``, the cross-entropy losses
in ``cross_entropy.py`` and the functions TF1 builds from other ops (dropout, moments...) in
``composite.py``. Kernels of float16/bfloat16 compute in float32 and round once at the end.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import gather as gather_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import (
    FLOATS,
    INDEX,
    REALS,
    apply_op,
    check_dtype_in,
    check_same_dtype,
    constant_value,
    name_public_functions,
)
from scopeflow.ops.kernels.windows import compute_dtype
from scopeflow.ops.math import sequence as sequence_ops
from scopeflow.ops.math.elementwise import exp
from scopeflow.ops.math.reduction import reduce_prod, reduce_sum
from scopeflow.ops.nn.conv import check_nhwc

TensorShape = tensor_shape.TensorShape

# -- bias_add and l2_loss -----------------------------------------------------------------


def _bias_add_infer(inputs, attrs):
    value, bias = inputs
    dtype = check_same_dtype("BiasAdd", ("value", "bias"), inputs)
    if bias.shape.ndims is not None and bias.shape.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.shape.ndims}")
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
            f"{shape_str(bias.shape)} vs. {shape_str(value.shape)}"
        )
    return np.add(value, bias, dtype=value.dtype)


def _bias_add_grad(op, grad):
    """``grad`` passed on (an IndexedSlices as it is) and, made dense as its argument
    (``BiasAddGrad/out_backprop``), summed for the bias, as TF."""
    with name_scope("BiasAddGrad") as scope:
        dense = convert_to_tensor(grad, name="out_backprop")
        return [grad, apply_op("BiasAddGrad", [dense], {"data_format": "NHWC"}, name=scope)]


register_op(
    "BiasAdd",
    _bias_add_infer,
    kernel=_bias_add_kernel,
    grad=_bias_add_grad,
    grad_takes_indexed_slices=True,
)


def _bias_add_grad_infer(inputs, attrs):
    dy = inputs[0]
    if dy.shape.ndims is not None and dy.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {dy.shape.ndims}")
    channels = dy.shape[-1].value if dy.shape.ndims else None
    return [(dy.dtype.base_dtype, TensorShape([channels]))]


def _bias_add_grad_kernel(ctx, op, dy):
    if dy.ndim < 2:
        raise ValueError(f"out_backprop must be at least 2-D, got shape {list(dy.shape)}")
    work = compute_dtype(dy.dtype)
    rows = dy.reshape(-1, dy.shape[-1]).astype(work, copy=False)
    # A product with ones: BLAS sums the rows several times faster than np.sum does.
    return np.asarray(np.ones(rows.shape[0], work) @ rows, dy.dtype)


def _bias_add_grad_grad(op, grad):
    # The bias gradient of each channel is the sum of that channel: its own gradient is
    # ``grad`` broadcast over every pixel.
    return apply_op("BiasAdd", [zeros_like(op.inputs[0]), grad], {"data_format": "NHWC"})


register_op(
    "BiasAddGrad", _bias_add_grad_infer, kernel=_bias_add_grad_kernel, grad=_bias_add_grad_grad
)


@undo.atomic
def bias_add(value, bias, data_format=None, name=None):
    """Adds a 1-D ``bias`` along the last dimension of ``value``."""
    check_nhwc(data_format)
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": "NHWC"}, name=scope)


# L2Loss's allowed dtypes, in its op definition's order (as TF's TypeError lists them).
_L2_LOSS_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _l2_loss_infer(inputs, attrs):
    t = inputs[0]
    return [(check_dtype_in("L2Loss", "t", t, _L2_LOSS_TYPES), TensorShape([]))]


def _l2_loss_kernel(ctx, op, t):
    work = t.astype(compute_dtype(t.dtype), copy=False).ravel()
    return np.asarray(np.dot(work, work) / 2, t.dtype)


register_op(
    "L2Loss", _l2_loss_infer, kernel=_l2_loss_kernel, grad=lambda op, grad: op.inputs[0] * grad
)


@undo.atomic
def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``."""
    return build.l2_loss(t, name)


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


def _softmax_grad(op, grad):
    y = op.outputs[0]
    return (grad - reduce_sum(grad * y, -1, keepdims=True)) * y


def _log_softmax_grad(op, grad):
    softmax = exp(op.outputs[0])
    return grad - reduce_sum(grad, -1, keepdims=True) * softmax


register_op(
    "Softmax",
    _softmax_infer("Softmax"),
    kernel=_softmax_kernel(softmax_array),
    grad=_softmax_grad,
    grad_takes_indexed_slices=True,  # made dense where each op uses it (mul/x, sub/x), as TF
)
register_op(
    "LogSoftmax",
    _softmax_infer("LogSoftmax"),
    kernel=_softmax_kernel(log_softmax_array),
    grad=_log_softmax_grad,
    grad_takes_indexed_slices=True,
)


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
    swapped = transpose_ops.transpose(x, perm)
    return transpose_ops.transpose(apply_op(op_type, [swapped], name=name or op_type), perm)


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


def check_top_k(x, k: int) -> None:
    """TF's run-time checks of a top-k's input and ``k``, in its words."""
    if k < 0:
        raise ValueError(f"Need k >= 0, got {k}")
    if x.ndim == 0:
        raise ValueError(f"input must be >= 1-D, got shape {shape_str(x.shape)}")
    if x.shape[-1] < k:
        raise ValueError(f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")


def _top_k_kernel(ctx, op, x, k):
    k = int(k)
    check_top_k(x, k)
    indices = top_k_indices(x, k)
    values = np.take_along_axis(x, indices, axis=-1)
    return values, indices.astype(op._attrs["index_type"].as_numpy_dtype)


def _top_k_grad(op, grad, _):
    """The values' gradient scattered to the positions they came from (a ``ScatterNd`` into
    the flattened input, as TF does)."""
    x, indices = op.inputs[0], op.outputs[1]
    in_shape = array_ops.shape(x)
    k = array_ops.shape(indices)[-1]
    rows = array_ops.reshape(indices, array_ops.stack([-1, k]))
    last = cast(in_shape[-1], indices.dtype.base_dtype)
    count = cast(array_ops.shape(rows)[0], indices.dtype.base_dtype)
    starts = expand_dims(sequence_ops.range(0, count * last, last), -1)
    positions = array_ops.reshape(rows + starts, [-1, 1])
    size = array_ops.reshape(reduce_prod(in_shape), [1])
    flat = gather_ops.scatter_nd(positions, array_ops.reshape(grad, [-1]), size)
    return [array_ops.reshape(flat, in_shape), None]


register_op("TopKV2", _top_k_infer, kernel=_top_k_kernel, grad=_top_k_grad)


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
    for t, rank in ((predictions, 2), (targets, 1), (k, 0)):
        if t.shape.ndims is not None and t.shape.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {t.shape.ndims}")
    batch = predictions.shape[0] if predictions.shape.ndims else tensor_shape.Dimension(None)
    other = targets.shape[0] if targets.shape.ndims else tensor_shape.Dimension(None)
    if batch.value is not None and other.value is not None and batch.value != other.value:
        raise ValueError(f"Dimensions must be equal, but are {batch.value} and {other.value}")
    return [(dtypes.bool, TensorShape([batch.value if batch.value is not None else other.value]))]


def _in_top_k_kernel(ctx, op, predictions, targets, k):
    if predictions.ndim != 2:
        raise ValueError("predictions must be 2-dimensional")
    if targets.ndim != 1:
        raise ValueError("targets must be 1-dimensional")
    if targets.shape[0] != predictions.shape[0]:
        raise ValueError(
            f"First dimension of predictions {predictions.shape[0]} must match length of targets "
            f"{targets.shape[0]}"
        )
    classes = predictions.shape[1]
    known = (targets >= 0) & (targets < classes)
    target_score = predictions[np.arange(len(targets)), np.where(known, targets, 0)]
    better = np.sum(predictions > target_score[:, None], axis=1)
    # As TF: a row with a non-finite prediction (or an unknown target) is never "in".
    return known & np.isfinite(predictions).all(axis=1) & (better < k)


register_op("InTopKV2", _in_top_k_infer, kernel=_in_top_k_kernel, grad=NOT_DIFFERENTIABLE)


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
    "in_top_k",
    "l2_loss",
    "log_softmax",
    "softmax",
    "top_k",
]

name_public_functions(globals(), __all__)
