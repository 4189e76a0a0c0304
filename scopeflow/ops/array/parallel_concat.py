"""``ParallelConcat`` (``tf.parallel_stack``): the inputs, each of shape ``[1, ...]``,
concatenated along axis 0 into an output whose shape is known when the graph is built (TF
copies each input in as it becomes ready; here the kernel concatenates them). TF registers no
gradient for it."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.core.infer import apply_op, check_list_dtype, no_gradient


def _parallel_concat_infer(inputs, attrs):
    dtype = check_list_dtype("ParallelConcat", "values", inputs)
    out = tensor_shape.as_shape(attrs["shape"])
    if not out.is_fully_defined():
        raise ValueError("shape attr must be fully defined.")
    piece = tensor_shape.TensorShape([1]).concatenate(out[1:])
    for t in inputs:
        if not t.shape.is_compatible_with(piece):
            raise ValueError(
                f"All input shapes must be compatible with {piece.as_list()}, got "
                f"{t.shape.as_list() if t.shape.ndims is not None else None}"
            )
    if out[0].value != len(inputs):
        raise ValueError(f"First dimension of shape must be {len(inputs)}, got {out[0].value}")
    return [(dtype, out)]


def _parallel_concat_kernel(ctx, op, *values):
    return np.concatenate(values, axis=0)


register_op(
    "ParallelConcat",
    _parallel_concat_infer,
    kernel=_parallel_concat_kernel,
    grad=no_gradient,
)


@undo.atomic
def parallel_stack(values, name="parallel_stack"):
    """``values`` (tensors of one fully known shape) stacked along a new first axis, like
    ``tf.stack``, by a ``ParallelConcat`` op; unlike ``tf.stack`` it has no gradient.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.parallel_stack([[1, 2], [3, 4], [5, 6]])))
    [[1 2]
     [3 4]
     [5 6]]
    """
    with name_scope(name):
        value_t = convert_to_tensor(values[0])
        output_shape = tensor_shape.TensorShape([len(values)]).concatenate(value_t.shape)
        pieces = [expand_dims(value, 0) for value in values]
        attrs = {"shape": output_shape, "N": len(pieces)}
        return apply_op("ParallelConcat", pieces, attrs)


__all__ = ["parallel_stack"]
