"""``Fact`` (``tf.user_ops.my_fact``): TF's example of a user op, a string stating ``0! == 1``
(its kernel's only answer)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op

__all__ = ["my_fact"]


def _fact_kernel(ctx, op):
    return np.array(b"0! == 1", dtype=object)


register_op(
    "Fact",
    lambda inputs, attrs: [(dtypes.string, tensor_shape.unknown_shape())],
    kernel=_fact_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def my_fact():
    """TF's example user op: one ``Fact`` op, whose value is ``b"0! == 1"``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.user_ops.my_fact()))
    b'0! == 1'
    """
    return apply_op("Fact", [], name="Fact")
