"""``tf.edit_distance``: the Levenshtein distance between the sequences of two
``SparseTensor``\\ s (the ``EditDistance`` op), as label error rates of decoded CTC outputs
are measured. Each sequence is the values of one index prefix (all dimensions but the last),
in row-major order; the result holds one distance per prefix."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op, check_same_dtype, constant_value
from scopeflow.ops.sparse.tensor import SparseTensor, SparseTensorValue


def _check_int64(arg: str, t) -> None:
    if t.dtype.base_dtype != dtypes.int64:
        raise TypeError(
            f"Input '{arg}' of 'EditDistance' Op has type {t.dtype.base_dtype.name} that does "
            "not match expected type of int64."
        )


def _edit_distance_infer(inputs, attrs):
    h_indices, h_values, h_shape, t_indices, t_values, t_shape = inputs
    for arg, t in (("hypothesis_indices", h_indices), ("hypothesis_shape", h_shape)):
        _check_int64(arg, t)
    for arg, t in (("truth_indices", t_indices), ("truth_shape", t_shape)):
        _check_int64(arg, t)
    check_same_dtype("EditDistance", ("hypothesis_values", "truth_values"), [h_values, t_values])
    hypothesis, truth = constant_value(h_shape), constant_value(t_shape)
    if hypothesis is None or truth is None:
        return [(dtypes.float32, TensorShape(None))]
    if len(hypothesis) != len(truth):
        raise ValueError(
            "Num elements of hypothesis_shape does not match truth_shape: "
            f"{len(hypothesis)} vs. {len(truth)}"
        )
    if len(hypothesis) < 2:
        raise ValueError(
            "Input Hypothesis SparseTensors must have rank at least 2, but hypothesis_shape "
            f"rank is: {len(hypothesis)}"
        )
    return [(dtypes.float32, TensorShape(np.maximum(hypothesis, truth)[:-1].tolist()))]


def _levenshtein(a: list, b: list) -> int:
    """The fewest insertions, deletions and substitutions turning ``a`` into ``b``."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _sequences(indices: np.ndarray, values: np.ndarray) -> dict:
    """The values of each index prefix, in order."""
    out: dict = {}
    for row, value in zip(map(tuple, indices[:, :-1].tolist()), values.tolist(), strict=True):
        out.setdefault(row, []).append(value)
    return out


def _edit_distance_kernel(ctx, op, h_indices, h_values, h_shape, t_indices, t_values, t_shape):
    if len(t_shape) < 2:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Input SparseTensors must have rank at least 2, but truth_shape rank is: "
            f"{len(t_shape)}",
        )
    if len(t_shape) != len(h_shape):
        raise errors.InvalidArgumentError(
            None,
            op,
            "Expected truth and hypothesis to have matching ranks, but their shapes are: "
            f"[{len(t_shape)}] and [{len(h_shape)}]",
        )
    shape = np.maximum(h_shape, t_shape)[:-1]
    out = np.zeros(shape, np.float32)
    normalize = op._attrs["normalize"]
    hypotheses, truths = _sequences(h_indices, h_values), _sequences(t_indices, t_values)
    strides = np.cumprod([1, *shape[:0:-1]])[::-1]
    for group in sorted({*hypotheses, *truths}):
        if any(g < 0 or g >= n for g, n in zip(group, shape, strict=True)):
            flat = int(np.dot(group, strides))
            raise errors.InternalError(
                None,
                op,
                f"Got an inner product {flat} which would require writing to outside of the "
                f"buffer for the output tensor (max elements {out.size})",
            )
        hypothesis, truth = hypotheses.get(group, []), truths.get(group, [])
        distance = np.float32(_levenshtein(truth, hypothesis))
        if normalize:
            with np.errstate(divide="ignore"):
                distance = distance / np.float32(len(truth))
        out[group] = distance
    return out


register_op(
    "EditDistance", _edit_distance_infer, kernel=_edit_distance_kernel, grad=NOT_DIFFERENTIABLE
)


_ARGS = [
    f"{which}_{part}"
    for which in ("hypothesis", "truth")
    for part in ("indices", "values", "shape")
]


@undo.atomic
def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """The Levenshtein distance between the sequences of ``hypothesis`` and ``truth``
    (``SparseTensor``\\ s of one rank, each sequence along the last dimension), divided by the
    truth's length with ``normalize``: one float32 per sequence.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     h = tf.SparseTensor([[0, 0], [0, 1]], ["a", "b"], [1, 2])
    ...     t = tf.SparseTensor([[0, 0], [0, 1], [0, 2]], ["a", "c", "b"], [1, 3])
    ...     print(tf.Session().run(tf.edit_distance(h, t)))
    [0.33333334]
    """
    if not isinstance(hypothesis, (SparseTensor, SparseTensorValue)):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, (SparseTensor, SparseTensorValue)):
        raise TypeError("Truth must be a SparseTensor.")
    parts = [hypothesis.indices, hypothesis.values, hypothesis.dense_shape]
    parts += [truth.indices, truth.values, truth.dense_shape]
    with name_scope(name, "EditDistance") as scope:
        inputs = [convert_to_tensor(v, name=arg) for arg, v in zip(_ARGS, parts, strict=True)]
        return apply_op("EditDistance", inputs, {"normalize": bool(normalize)}, scope)


__all__ = ["edit_distance"]
