"""Cross-entropy losses: ``softmax_cross_entropy_with_logits`` (v1 and v2), the sparse one,
and ``sigmoid_cross_entropy_with_logits``; all numerically stable (log-sum-exp, and
``max(x, 0) - x * z + log1p(exp(-|x|))`` for the sigmoid).

The fused ops take 2-D ``[batch, classes]`` logits, as in TF; the Python functions reshape
other ranks to that and back, and move a non-last ``axis`` to the end with a transpose.
Deliberate difference: for 2-D logits the result is the fused op's output itself, without
TF1's no-op ``Reshape`` plumbing (same values, fewer ops).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.core.infer import FLOATS, INDEX, apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.kernels.windows import compute_dtype
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.nn import basic as nn_ops
from scopeflow.ops.nn.basic import log_softmax_array

TensorShape = tensor_shape.TensorShape


def _matrix_dims(arg: str, t) -> list:
    if t.shape.ndims is None:
        return [None, None]
    if t.shape.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {t.shape.ndims} for '{arg}'")
    return t.shape.as_list()


def _merge_dim(a, b):
    if a is not None and b is not None and a != b and 1 not in (a, b):
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    if a is None or a == 1:
        return b if b is not None else a
    return a


# -- SoftmaxCrossEntropyWithLogits --------------------------------------------------------


def _softmax_xent_infer(inputs, attrs):
    features, labels = inputs
    dtype = check_same_dtype("SoftmaxCrossEntropyWithLogits", ("features", "labels"), inputs)
    check_dtype_in("SoftmaxCrossEntropyWithLogits", "features", features, FLOATS)
    (b1, c1), (b2, c2) = _matrix_dims("features", features), _matrix_dims("labels", labels)
    batch, classes = _merge_dim(b1, b2), _merge_dim(c1, c2)
    return [(dtype, TensorShape([batch])), (dtype, TensorShape([batch, classes]))]


def _softmax_xent_kernel(ctx, op, features, labels):
    if features.ndim != 2 or labels.ndim != 2:
        raise ValueError(
            f"logits and labels must be 2-D, got shapes {list(features.shape)} and "
            f"{list(labels.shape)}"
        )
    work = compute_dtype(features.dtype)
    logits, labels_w = np.broadcast_arrays(features.astype(work), labels.astype(work))
    log_p = log_softmax_array(logits)
    loss = -np.sum(labels_w * log_p, axis=-1)
    backprop = np.exp(log_p) - labels_w
    return loss.astype(features.dtype), backprop.astype(features.dtype)


def _is_zeros(t, of) -> bool:
    """Whether ``t`` is the zeros ``tf.gradients`` feeds for an unused output ``of``."""
    return t.op.type == "ZerosLike" and t.op.inputs[0] is of


def _broadcast_mul(vector, matrix):
    """``vector`` (one value per row) times each row of ``matrix``."""
    return shape_ops.expand_dims(vector, -1) * matrix


def _xent_logits_grad(op, grad_loss, grad_grad):
    """The logits' gradient: ``backprop`` (the op's second output) scaled by the loss's
    gradient, plus - when ``backprop`` itself is differentiated (second derivatives) - the
    softmax Jacobian applied to that gradient."""
    logits, backprop = op.inputs[0], op.outputs[1]
    grad = _broadcast_mul(grad_loss, backprop)
    if not _is_zeros(grad_grad, backprop):
        softmax = nn_ops.softmax(logits)
        inner = reduction_ops.reduce_sum(grad_grad * softmax, -1, keepdims=True)
        grad += (grad_grad - inner) * softmax
    return grad


def _softmax_xent_grad(op, grad_loss, grad_grad):
    logits_grad = _xent_logits_grad(op, grad_loss, grad_grad)
    return [logits_grad, _broadcast_mul(grad_loss, -nn_ops.log_softmax(op.inputs[0]))]


register_op(
    "SoftmaxCrossEntropyWithLogits",
    _softmax_xent_infer,
    kernel=_softmax_xent_kernel,
    grad=_softmax_xent_grad,
)


def _sparse_xent_infer(inputs, attrs):
    features, labels = inputs
    dtype = check_dtype_in("SparseSoftmaxCrossEntropyWithLogits", "features", features, FLOATS)
    check_dtype_in("SparseSoftmaxCrossEntropyWithLogits", "labels", labels, INDEX)
    batch, classes = _matrix_dims("features", features)
    if labels.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {labels.shape.ndims} for 'labels'")
    other = labels.shape[0].value if labels.shape.ndims else None
    if batch is not None and other is not None and batch != other:
        raise ValueError(f"Dimensions must be equal, but are {batch} and {other}")
    batch = batch if batch is not None else other
    return [(dtype, TensorShape([batch])), (dtype, TensorShape([batch, classes]))]


def _sparse_xent_kernel(ctx, op, features, labels):
    if features.ndim != 2 or labels.shape != features.shape[:1]:
        raise ValueError(
            f"logits must be 2-D and labels 1-D of the same batch size, got shapes "
            f"{list(features.shape)} and {list(labels.shape)}"
        )
    classes = features.shape[1]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise ValueError(
            f"Received a label value of {labels[bad][0]} which is outside the valid range of "
            f"[0, {classes}).  Label values: {' '.join(str(v) for v in labels)}"
        )
    log_p = log_softmax_array(features.astype(compute_dtype(features.dtype)))
    rows = np.arange(len(labels))
    loss = -log_p[rows, labels]
    backprop = np.exp(log_p)
    backprop[rows, labels] -= 1
    return loss.astype(features.dtype), backprop.astype(features.dtype)


register_op(
    "SparseSoftmaxCrossEntropyWithLogits",
    _sparse_xent_infer,
    kernel=_sparse_xent_kernel,
    grad=lambda op, grad_loss, grad_grad: [_xent_logits_grad(op, grad_loss, grad_grad), None],
)


# -- the Python functions -----------------------------------------------------------------


def _move_axis_last(x, axis: int):
    rank = x.shape.ndims
    if axis in (-1, None) or (rank is not None and axis == rank - 1):
        return x
    if rank is None:
        raise NotImplementedError(
            f"a class axis other than the last ({axis}) needs the rank of logits known while "
            "building the graph"
        )
    axis %= rank
    return transpose_ops.transpose(x, [*range(axis), *range(axis + 1, rank), axis])


def _flat_2d(x):
    """``x`` as [-1, classes] (a ``Reshape``), or ``x`` itself when it is 2-D already."""
    if x.shape.ndims == 2:
        return x
    classes = x.shape[-1].value if x.shape.ndims else None
    if classes is None:
        classes = array_ops.shape(x)[-1]
    return array_ops.reshape(x, array_ops.stack([-1, classes]))


def _unflatten(loss, like):
    """The per-row ``loss`` reshaped to ``like``'s shape without its last dimension."""
    if like.shape.ndims == 2:
        return loss
    if like.shape.ndims is not None and like.shape[:-1].is_fully_defined():
        shape = like.shape[:-1].as_list()
    else:
        shape = array_ops.shape(like)[:-1]
    result = array_ops.reshape(loss, shape)
    if like.shape.ndims is not None:
        result.set_shape(like.shape[:-1])
    return result


@undo.atomic
def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Cross-entropy between ``labels`` (a distribution over classes) and
    ``softmax(logits)`` along ``axis`` (the last by default), one value per row.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     loss = tf.nn.softmax_cross_entropy_with_logits_v2(
    ...         labels=[[0.0, 1.0]], logits=[[0.0, 0.0]])
    ...     print(tf.Session().run(loss))
    [0.6931472]
    """
    axis = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype_hint=logits.dtype.base_dtype, name="labels")
        labels = math_ops.cast(labels, logits.dtype.base_dtype)
        labels.shape.assert_is_compatible_with(logits.shape)
        logits = _move_axis_last(logits, axis)
        labels = _move_axis_last(labels, axis)
        inputs = [_flat_2d(logits), _flat_2d(labels)]
        loss = apply_op("SoftmaxCrossEntropyWithLogits", inputs, name=scope)[0]
        return _unflatten(loss, logits)


@undo.atomic
def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's softmax cross-entropy: like the ``_v2`` function, with no gradient flowing into
    ``labels`` (a ``labels_stop_gradient`` op)."""
    axis = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels, logits, axis=axis, name=scope)


@undo.atomic
def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Cross-entropy of ``softmax(logits)`` against integer class ``labels`` (one fewer
    dimension than ``logits``); an out-of-range label fails at run time."""
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels, dtype_hint=dtypes.int32, name="labels")
        logits = convert_to_tensor(logits, name="logits")
        if labels.shape.ndims is not None and logits.shape.ndims is not None:
            if labels.shape.ndims != logits.shape.ndims - 1:
                raise ValueError(
                    "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                    f"labels.shape={labels.shape} of rank {labels.shape.ndims} and "
                    f"logits.shape={logits.shape} of rank {logits.shape.ndims}"
                )
            if not labels.shape.is_compatible_with(logits.shape[:-1]):
                raise ValueError(
                    f"Shape mismatch: The shape of labels (received {labels.shape}) should "
                    f"equal the shape of logits except for the last dimension (received "
                    f"{logits.shape})."
                )
        if logits.shape.ndims == 2:
            return apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels])[0]
        flat_labels = array_ops.reshape(labels, [-1])
        loss = apply_op("SparseSoftmaxCrossEntropyWithLogits", [_flat_2d(logits), flat_labels])
        return _unflatten(loss[0], logits)


@undo.atomic
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Element-wise logistic loss ``max(x, 0) - x * z + log(1 + exp(-|x|))`` of logits ``x``
    and labels ``z`` of the same shape (TF1's ops, in a ``logistic_loss`` scope)."""
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(
                "`logits` and `labels` must have the same shape, received "
                f"({logits.shape} vs {labels.shape})."
            )
        zeros = shape_ops.zeros_like(logits, dtype=logits.dtype)
        cond = math_ops.greater_equal(logits, zeros)
        relu_logits = selection_ops.where(cond, logits, zeros)
        neg_abs_logits = selection_ops.where(cond, -logits, logits)
        return math_ops.add(
            relu_logits - logits * labels,
            math_ops.log1p(math_ops.exp(neg_abs_logits)),
            name=scope,
        )


__all__ = [
    "sigmoid_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits",
]
