"""The op registry: one entry per op type, holding everything known about it.

Each op family module (``scopeflow/ops/*.py``) registers its op types here once, with TF's own
type name (``"Conv2D"``), a function that infers output dtypes and static shapes while the graph
is built, and - filled in by the execution and training layers - a kernel and a gradient.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# (inputs, attrs) -> [(dtype, shape), ...] for each output.
InferFn = Callable[[Sequence[Any], dict], list]
# (ctx, op, *input_values) -> the output value, or a tuple of them for several outputs.
# ``ctx.xp`` is the array namespace (numpy); ``op`` is the Operation (``op._attrs`` holds its
# attributes). Kernels never modify their inputs. See scopeflow/session/context.py for the rest
# of ``ctx`` (variables, random generators) that stateful kernels use.
KernelFn = Callable[..., Any]
# (op, *output_grads) -> list of input gradients (tensors or None).
GradFn = Callable[..., Any]


class _NotDifferentiable:
    def __repr__(self) -> str:
        return "NOT_DIFFERENTIABLE"


NOT_DIFFERENTIABLE = _NotDifferentiable()


@dataclass
class OpDef:
    """What the registry knows about one op type."""

    type: str
    infer: InferFn
    kernel: KernelFn | None = None
    grad: GradFn | _NotDifferentiable | None = None
    stateful: bool = False
    # Inputs that are variable references (``Assign``'s ``ref``): the kernel receives the
    # variable's ``VariableV2`` op instead of its value, so an uninitialized one can be set.
    ref_inputs: tuple[int, ...] = ()


_REGISTRY: dict[str, OpDef] = {}


def register_op(
    op_type: str,
    infer: InferFn,
    *,
    kernel: KernelFn | None = None,
    grad: GradFn | _NotDifferentiable | None = None,
    stateful: bool = False,
    ref_inputs: tuple[int, ...] = (),
) -> OpDef:
    """Registers ``op_type``; registering the same type twice is a programming error."""
    if op_type in _REGISTRY:
        raise ValueError(f"op type '{op_type}' is already registered")
    op_def = OpDef(op_type, infer, kernel, grad, stateful, ref_inputs)
    _REGISTRY[op_type] = op_def
    return op_def


def get_op_def(op_type: str) -> OpDef:
    """Looks up a registered op type, raising ``LookupError`` naming it when missing."""
    try:
        return _REGISTRY[op_type]
    except KeyError:
        raise LookupError(f"no op registered for op type '{op_type}'") from None


def registered_op_types() -> list[str]:
    """All registered op type names, sorted."""
    return sorted(_REGISTRY)
