"""Stacks (``StackV2``, ``StackPushV2``, ``StackPopV2``): how a loop's gradient gets the
values the forward loop computed, iteration by iteration, last first.

``tf.gradients`` of a ``tf.while_loop`` pushes each forward value that a gradient needs on a
stack made outside the loop (once per run), and the gradient loop pops them. A push also
takes a dead value (a ``tf.cond`` branch not taken in that iteration), so that pushes and
pops pair up whichever branches ran.
"""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.sentinels import DEAD
from scopeflow.ops.core.infer import check_dtype_in


class RuntimeStack:
    """The list one ``StackV2`` op makes in one run."""

    __slots__ = ("name", "items")

    def __init__(self, name: str):
        self.name = name
        self.items: list = []


def _stack_infer(inputs, attrs):
    check_dtype_in("StackV2", "max_size", inputs[0], (dtypes.int32,))
    return [(dtypes.resource, tensor_shape.TensorShape([2]))]


def _stack_kernel(ctx, op, max_size):
    return RuntimeStack(op._attrs["stack_name"] or op.name)


def _push_infer(inputs, attrs):
    t = inputs[1]
    return [(t.dtype.base_dtype, t.shape)]


def _push_kernel(ctx, op, stack, value):
    if stack is DEAD:
        return DEAD
    stack.items.append(value)
    return value


def _pop_infer(inputs, attrs):
    return [(attrs["elem_type"], tensor_shape.unknown_shape())]


def _pop_kernel(ctx, op, stack):
    if not stack.items:
        raise ValueError(f"Stack {stack.name} is empty: popped more often than pushed.")
    return stack.items.pop()


_FACTS = {"grad": NOT_DIFFERENTIABLE, "stateful": True}
register_op("StackV2", _stack_infer, kernel=_stack_kernel, **_FACTS)
register_op("StackPushV2", _push_infer, kernel=_push_kernel, merges_dead=True, **_FACTS)
register_op("StackPopV2", _pop_infer, kernel=_pop_kernel, **_FACTS)
