"""``GuaranteeConst`` (``tf.guarantee_const``): its input, unchanged, with the promise that
the value does not change between runs (TF's optimizers may fold it into a constant; here it
is an identity). TF registers no gradient for it: ``tf.gradients`` through one raises
``LookupError``."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import apply_op, no_gradient, same_as_first

__all__ = ["guarantee_const"]


def _guarantee_const_kernel(ctx, op, x):
    return x


register_op(
    "GuaranteeConst",
    same_as_first,
    kernel=_guarantee_const_kernel,
    grad=no_gradient,
    forwards_input=True,
)


@undo.atomic
def guarantee_const(input, name=None):  # noqa: A002 - TF's argument name
    """``input``, promised constant for the session's life (one ``GuaranteeConst`` op).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.guarantee_const(tf.constant([1.0, 2.0]))
    ...     print(c.op.type, tf.Session().run(c))
    GuaranteeConst [1. 2.]
    """
    with name_scope(name, "GuaranteeConst", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        return apply_op("GuaranteeConst", [x], name=scope)
