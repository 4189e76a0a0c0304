"""Cross-entropy losses: ``softmax_cross_entropy_with_logits`` (v1 and v2), the sparse one,
and ``sigmoid_cross_entropy_with_logits``; all numerically stable (log-sum-exp, and
``max(x, 0) - x * z + log1p(exp(-|x|))`` for the sigmoid).

The fused ops take 2-D ``[batch, classes]`` logits, as in TF; the Python functions reshape
other ranks to that and back, and move a non-last ``axis`` to the end with a transpose, with
TF 2.21's ops and names (``Rank``, ``Slice``, ``ConcatV2``, ``Reshape``...; float16 computed in
float32). Deliberate difference: for 2-D logits with the last axis the softmax result is the
fused op's output itself, without TF's no-op ``Reshape`` plumbing (same values, fewer ops).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array import join as join_ops
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array import slicing as slicing_ops
from scopeflow.ops.array import transpose as transpose_ops
from scopeflow.ops.control import assertions
from scopeflow.ops.core.infer import FLOATS, INDEX, apply_op, check_dtype_in, check_same_dtype
from scopeflow.ops.kernels.windows import compute_dtype
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction as reduction_ops
from scopeflow.ops.math import selection as selection_ops
from scopeflow.ops.math import sequence as sequence_ops
from scopeflow.ops.nn import basic as nn_ops
from scopeflow.ops.nn.basic import log_softmax_array

TensorShape = tensor_shape.TensorShape


def _matrix_dims(t, broadcast: bool = False) -> list:
    """``t``'s [batch, classes], with TF's words for another rank (``broadcast``: the dense
    op's, which broadcasts its two inputs)."""
    if t.shape.ndims is None:
        return [None, None]
    if t.shape.ndims != 2:
        how = "broadcasted with rank 2," if broadcast else "rank 2"
        raise ValueError(f"Shape must be {how} but is rank {t.shape.ndims}")
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
    (b1, c1), (b2, c2) = _matrix_dims(features, True), _matrix_dims(labels, True)
    batch, classes = _merge_dim(b1, b2), _merge_dim(c1, c2)
    return [(dtype, TensorShape([batch])), (dtype, TensorShape([batch, classes]))]


def _softmax_xent_kernel(ctx, op, features, labels):
    if features.ndim != 2 or labels.ndim != 2:
        raise ValueError(
            f"logits and labels must be 2-D, got shapes {list(features.shape)} and "
            f"{list(labels.shape)}"
        )
    if any(f != g and 1 not in (f, g) for f, g in zip(features.shape, labels.shape, strict=True)):
        raise ValueError(
            "logits and labels must be broadcastable: logits_size="
            f"{shape_str(features.shape)} labels_size={shape_str(labels.shape)}"
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
    batch, classes = _matrix_dims(features)
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


def _move_dim_to_end(x, dim: int, rank):
    """``x`` with dimension ``dim`` moved last: a ``Transpose`` by the permutation TF builds
    (``concat([range(dim), range(dim + 1, rank), [dim]])``)."""
    perm = join_ops.concat(
        [sequence_ops.range(dim), sequence_ops.range(dim + 1, rank), [dim]], 0
    )
    moved = transpose_ops.transpose(x, perm)
    if x.shape.ndims is not None and 0 <= dim < x.shape.ndims:  # TF infers it from perm
        dims = x.shape.as_list()
        moved.set_shape(dims[:dim] + dims[dim + 1 :] + [dims[dim]])
    return moved


def _flatten_outer_dims(x):
    """``x`` as ``[-1, classes]``: a ``Reshape`` to ``concat([[-1], shape(x)[rank - 1:rank]])``
    as TF builds it, with the static shape TF sets when the outer dimensions are known."""
    rank = shape_ops.rank(x)
    last = slicing_ops.slice(array_ops.shape(x), [math_ops.subtract(rank, 1)], [1])
    flat = array_ops.reshape(x, join_ops.concat([[-1], last], 0))
    dims = x.shape.as_list() if x.shape.ndims is not None else None
    if dims and all(d is not None for d in dims[:-1]):
        flat.set_shape([int(np.prod(dims[:-1], dtype=np.int64)), dims[-1]])
    return flat


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
    axis = -1 if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype_hint=logits.dtype.base_dtype, name="labels")
        if logits.shape.ndims == 2 and axis in (-1, 1):
            # deliberate: the fused op's output itself, without TF's no-op Reshape plumbing
            labels = math_ops.cast(labels, logits.dtype.base_dtype)
            return apply_op("SoftmaxCrossEntropyWithLogits", [logits, labels], name=scope)[0]
        # As TF: float16/bfloat16 computed in float32; the class axis moved last; both
        # flattened to [-1, classes]; the loss reshaped to the input's shape less that axis.
        half = logits.dtype.base_dtype in (dtypes.float16, dtypes.bfloat16)
        precise = math_ops.cast(logits, dtypes.float32) if half else logits
        labels = math_ops.cast(labels, precise.dtype.base_dtype)
        input_rank = shape_ops.rank(precise)
        static = logits.shape
        if axis != -1:
            precise = _move_dim_to_end(precise, axis, input_rank)
            labels = _move_dim_to_end(labels, axis, input_rank)
        input_shape = array_ops.shape(precise)
        inputs = [_flatten_outer_dims(precise), _flatten_outer_dims(labels)]
        cost = apply_op("SoftmaxCrossEntropyWithLogits", inputs, name=scope)[0]
        size = [math_ops.subtract(input_rank, 1)]
        cost = array_ops.reshape(cost, slicing_ops.slice(input_shape, [0], size))
        if static.ndims is not None:
            dims = static.as_list()
            del dims[axis]  # an IndexError for scalar logits, as TF's
            cost.set_shape(dims)
        return math_ops.cast(cost, logits.dtype.base_dtype) if half else cost


@undo.atomic
def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's softmax cross-entropy: like the ``_v2`` function, with no gradient flowing into
    ``labels`` (a ``labels_stop_gradient`` op)."""
    axis = dim if axis is None else axis
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels, logits, axis=axis, name=scope)


def _check_sparse_shapes(labels, logits) -> bool:
    """TF's build-time checks; whether both shapes (but the classes) are known."""
    known = labels.shape.is_fully_defined() and logits.shape[:-1].is_fully_defined()
    if logits.shape.ndims == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if logits.shape.ndims is not None and labels.shape.ndims not in (None, logits.shape.ndims - 1):
        raise ValueError(
            "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
            f"labels.shape={labels.shape} of rank {labels.shape.ndims} and "
            f"logits.shape={logits.shape} of rank {logits.shape.ndims}"
        )
    if known and labels.shape != logits.shape[:-1]:
        raise ValueError(
            "`labels.shape` must equal `logits.shape` except for the last dimension. "
            f"Received: labels.shape={labels.shape} and logits.shape={logits.shape}"
        )
    return known


@undo.atomic
def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Cross-entropy of ``softmax(logits)`` against integer class ``labels`` (one fewer
    dimension than ``logits``); an out-of-range label fails at run time. Other ranks than 2
    are flattened and the loss reshaped back as TF does (checking the shapes agree at run
    time when they are not all known)."""
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels, dtype_hint=dtypes.int32)
        logits = convert_to_tensor(logits)
        half = logits.dtype.base_dtype == dtypes.float16
        precise = math_ops.cast(logits, dtypes.float32) if half else logits
        labels_static = labels.shape
        labels_shape = array_ops.shape(labels)  # unused for 2-D logits, as in TF
        known = _check_sparse_shapes(labels, logits)
        if logits.shape.ndims == 2:
            cost = apply_op("SparseSoftmaxCrossEntropyWithLogits", [precise, labels], name=name)
            return math_ops.cast(cost[0], dtypes.float16) if half else cost[0]
        checks = []
        if not known:
            labels_now = array_ops.shape(labels)
            checks.append(assertions.assert_equal(labels_now, array_ops.shape(logits)[:-1]))
        with control_dependencies(checks):
            classes = array_ops.shape(logits)[shape_ops.rank(logits) - 1]
            precise = array_ops.reshape(precise, [-1, classes])
            labels = array_ops.reshape(labels, [-1])
            cost = apply_op("SparseSoftmaxCrossEntropyWithLogits", [precise, labels], name=name)
            cost = array_ops.reshape(cost[0], labels_shape)
            cost.set_shape(labels_static)
            return math_ops.cast(cost, dtypes.float16) if half else cost


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
