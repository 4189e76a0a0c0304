"""``CheckPinned`` (``tf.check_pinned``): its input, if it lies in host memory pinned for a
GPU. scopeflow's arrays are ordinary host memory, never pinned, so a run fails as TF's does
for a tensor in ordinary CPU memory (``InvalidArgumentError``: not pinned). TF registers no
gradient for it."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import apply_op, no_gradient, same_as_first

__all__ = ["check_pinned"]


def _check_pinned_kernel(ctx, op, x):
    raise ValueError("not pinned")


register_op("CheckPinned", same_as_first, kernel=_check_pinned_kernel, grad=no_gradient)


@undo.atomic
def check_pinned(tensor, name=None):
    """``tensor``, checked at run time to be in pinned host memory (it never is here: the run
    fails with TF's ``InvalidArgumentError``, as for TF's CPU tensors)."""
    with name_scope(name, "CheckPinned", [tensor]) as scope:
        x = convert_to_tensor(tensor, name="tensor")
        return apply_op("CheckPinned", [x], name=scope)
