"""The op registry: one entry per op type, holding everything known about it.

Each op family module (``scopeflow/ops/*.py``) registers its op types here once, with TF's own
type name (``"Conv2D"``), a function that infers output dtypes and static shapes while the graph
is built, a kernel, a gradient, and the facts that the plan compiler, the executors and
``tf.gradients`` read instead of op type names (``control_flow``, ``ref_output``...).

Gradients have a second registry, keyed by name as TF1's is: an op type's own gradient is its
entry's ``grad``; ``tf.RegisterGradient("Name")`` adds gradients under new names, which
``Graph.gradient_override_map`` maps op types to.
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
    # Reads or changes state beyond its inputs: variables, random generators, files, streams.
    stateful: bool = False
    # Inputs that are variable references (``Assign``'s ``ref``): the kernel receives the
    # variable's ``VariableV2`` op instead of its value, so an uninitialized one can be set.
    ref_inputs: tuple[int, ...] = ()
    # Its outputs are references to the variable behind input 0 (``Assign``, ``RefSwitch``):
    # an op taking one as a reference input is given that variable.
    ref_output: bool = False
    # Holds a variable (``VariableV2``): its value lives in the session, read when used.
    is_variable: bool = False
    # Has a value only when fed (``Placeholder``): a run that needs it unfed fails.
    is_placeholder: bool = False
    # Its one output is its first input, unchanged (``Identity``, a loop's ``Enter``): an
    # executor may pass the value on without running the kernel.
    forwards_input: bool = False
    # May output ``framework.sentinels.DEAD`` (``Switch``, ``Merge``): a plan with such an op
    # tracks dead values, skipping every op that receives one.
    control_flow: bool = False
    # Runs although some inputs are dead: ``Merge`` passes on its live one; a loop gradient's
    # ``StackPushV2`` pushes the dead value too, so pushes and pops stay paired.
    merges_dead: bool = False
    # Its kernel must run on the host, outside compiled code: printing, strings, files.
    host_only: bool = False
    # Its gradient function takes ``IndexedSlices`` output gradients as they are (``Identity``
    # passes them on, ``Cast`` casts their values); other gradient functions get them made
    # dense first, as TF1's ``_IndexedSlicesToTensorNoWarning`` does.
    grad_takes_indexed_slices: bool = False


_REGISTRY: dict[str, OpDef] = {}
# Gradients added by name with ``tf.RegisterGradient``/``tf.NotDifferentiable``; names never
# repeat an op type that has a gradient of its own.
_GRADIENTS: dict[str, GradFn | _NotDifferentiable] = {}


def register_op(op_type: str, infer: InferFn, **facts: Any) -> OpDef:
    """Registers ``op_type``; ``facts`` are :class:`OpDef` fields (``kernel``, ``grad``,
    ``stateful``...). Registering the same type twice is a programming error."""
    if op_type in _REGISTRY:
        raise ValueError(f"op type '{op_type}' is already registered")
    op_def = OpDef(op_type, infer, **facts)
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


def register_gradient(name: str, grad: GradFn | _NotDifferentiable) -> None:
    """Adds ``grad`` as the gradient named ``name`` (an op type without one, or a new name).

    Raises:
        KeyError: ``name`` already has a gradient (TF1's error and wording).
    """
    previous = gradient_function(name)
    if previous is not None:
        raise KeyError(
            f"Registering two gradient with name '{name}'! (Previous registration was in "
            f"{_site(previous)}) Register the new gradient under another name and select it "
            "with Graph.gradient_override_map."
        )
    _GRADIENTS[name] = grad


def _site(grad) -> str:
    code = getattr(grad, "__code__", None)
    if code is None:
        return repr(grad)
    return f"{grad.__qualname__} {code.co_filename}:{code.co_firstlineno}"


def gradient_takes_indexed_slices(name: str) -> bool:
    """Whether the gradient named ``name`` is an op type's own that takes ``IndexedSlices``
    (see ``OpDef.grad_takes_indexed_slices``); gradients added by name get dense ones."""
    op_def = _REGISTRY.get(name)
    return op_def is not None and op_def.grad is not None and op_def.grad_takes_indexed_slices


def gradient_function(name: str) -> GradFn | _NotDifferentiable | None:
    """The gradient registered as ``name``: an op type's own, else one added by name."""
    op_def = _REGISTRY.get(name)
    if op_def is not None and op_def.grad is not None:
        return op_def.grad
    return _GRADIENTS.get(name)
