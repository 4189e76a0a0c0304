"""``ReverseSequence`` (``tf.reverse_sequence``): each row's first ``seq_lengths[row]``
elements along ``seq_axis`` reversed, the rest left in place (``bidirectional_dynamic_rnn``
reverses its inputs with it)."""

from __future__ import annotations

import warnings

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in


def _reverse_sequence_infer(inputs, attrs):
    x, lengths = inputs
    check_dtype_in("ReverseSequence", "seq_lengths", lengths, INDEX)
    if lengths.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {lengths.shape.ndims}")
    seq_dim, batch_dim = attrs["seq_dim"], attrs["batch_dim"]
    if x.shape.ndims is not None:
        for what, dim in (("seq_dim", seq_dim), ("batch_dim", batch_dim)):
            if dim >= x.shape.ndims:
                raise ValueError(f"{what} must be < input rank: {dim} vs. {x.shape.ndims}")
        batch = tensor_shape.dimension_value(x.shape[batch_dim])
        count = tensor_shape.dimension_value(lengths.shape[0]) if lengths.shape.ndims else None
        if batch is not None and count is not None and batch != count:
            raise ValueError(f"Dimensions must be equal, but are {batch} and {count}")
    return [(x.dtype.base_dtype, x.shape)]


def _reverse_sequence_kernel(ctx, op, x, lengths):
    seq_dim, batch_dim = op._attrs["seq_dim"], op._attrs["batch_dim"]
    if seq_dim == batch_dim:
        raise ValueError(f"seq_dim == batch_dim == {seq_dim}")
    if lengths.shape != (x.shape[batch_dim],):
        raise ValueError(
            f"Length of seq_lengths != input.dims({batch_dim}), ({lengths.size} vs. "
            f"{x.shape[batch_dim]})"
        )
    out = np.array(x, copy=True)
    for row, length in enumerate(lengths.tolist()):
        if length < 0:
            raise ValueError(f"seq_lens({row}) < 0")
        if length > x.shape[seq_dim]:
            raise ValueError(f"seq_lens({row}) > input.dims({seq_dim})")
        index = [slice(None)] * x.ndim
        index[batch_dim] = row
        index[seq_dim] = slice(0, length)
        source = list(index)
        source[seq_dim] = slice(length - 1, None, -1) if length else slice(0, 0)
        out[tuple(index)] = x[tuple(source)]
    return out


def _reverse_sequence_grad(op, grad):
    attrs = op._attrs
    return [
        reverse_sequence(
            grad, op.inputs[1], seq_axis=attrs["seq_dim"], batch_axis=attrs["batch_dim"]
        ),
        None,
    ]


register_op(
    "ReverseSequence",
    _reverse_sequence_infer,
    kernel=_reverse_sequence_kernel,
    grad=_reverse_sequence_grad,
    grad_takes_indexed_slices=True,  # made dense as the reverse's input, as TF
)


@undo.atomic
def reverse_sequence(
    input,  # noqa: A002 - TF1's argument name
    seq_lengths,
    seq_axis=None,
    batch_axis=None,
    name=None,
    seq_dim=None,
    batch_dim=None,
):
    """``input`` with, for each row ``b`` along ``batch_axis``, its first ``seq_lengths[b]``
    elements along ``seq_axis`` reversed (``seq_dim``/``batch_dim``: TF1's older names).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     r = tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1)
    ...     print(tf.Session().run(r).tolist())
    [[2, 1, 3], [6, 5, 4]]
    """
    if seq_dim is not None:
        warnings.warn("seq_dim is deprecated, use seq_axis instead", stacklevel=2)
        seq_axis = seq_dim if seq_axis is None else seq_axis
    if batch_dim is not None:
        warnings.warn("batch_dim is deprecated, use batch_axis instead", stacklevel=2)
        batch_axis = batch_dim if batch_axis is None else batch_axis
    with name_scope(name, "ReverseSequence", [input, seq_lengths]) as scope:
        x = convert_to_tensor(input, name="input")
        lengths = convert_to_tensor(seq_lengths, name="seq_lengths")
        attrs = {"seq_dim": int(seq_axis), "batch_dim": int(batch_axis or 0)}
        return apply_op("ReverseSequence", [x, lengths], attrs, name=scope)


# The names ``import scopeflow as tf`` exports from this module.
__all__ = ["reverse_sequence"]
