"""The optimizers' update ops on resource variables: ``ResourceApplyAdam``,
``ResourceSparseApplyMomentum``... one twin per reference op of ``training.py``,
``training_proximal.py`` and ``training_keras.py`` (``"Resource" + op type``, TF's names),
with the same inputs in the same order except that the variable and its slots are
``resource`` handles, and no output.

A twin's kernel is its reference op's (the handles are reference inputs: the kernel gets the
``VarHandleOp`` ops, whose values the session keeps as it keeps a ``VariableV2``'s), so the
numbers are those of the reference ops, which agree with TF's kernels. The resource-only
ops of ``training_keras.RESOURCE_ONLY`` (``ResourceApplyKerasMomentum``...) get the same checks.
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def, register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.core.infer import FLOATS, INDEX, check_dtype_in, check_same_dtype
from scopeflow.ops.state import training_keras, training_proximal  # noqa: F401  (SIGNATURES)
from scopeflow.ops.state.resource import handle_shape
from scopeflow.ops.state.training import SIGNATURES

# TF's shape functions of the other resource ops look the gradient up as a handle and find
# no shape, so a gradient of another shape builds and fails when run ('var and grad do not
# have the same shape[2,3] [3]'); these two merge it with the variable's shape at build.
_GRAD_CHECKED_AT_BUILD = frozenset({"ResourceApplyGradientDescent", "ResourceApplyProximalAdagrad"})


def _twin_infer(op_type: str, names: tuple[str, ...], n_handles: int, scalars: frozenset):
    def infer(inputs, attrs):
        if len(inputs) != len(names):
            raise ValueError(f"{op_type} takes {len(names)} inputs ({', '.join(names)})")
        for name, t in zip(names[:n_handles], inputs[:n_handles], strict=True):
            if t.dtype.base_dtype != dtypes.resource:
                raise TypeError(
                    f"Input '{name}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that "
                    "does not match expected type of resource."
                )
        untyped = ("indices", "global_step")
        typed = [
            (n, t)
            for n, t in zip(names[n_handles:], inputs[n_handles:], strict=True)
            if n not in untyped
        ]
        check_same_dtype(op_type, tuple(n for n, _ in typed), [t for _, t in typed])
        check_dtype_in(op_type, typed[0][0], typed[0][1], FLOATS)
        for name, t in typed:
            if name in scalars and t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
        shape = handle_shape(inputs[0])
        for t in inputs[1:n_handles]:  # the slots' handles, as TF's shape functions
            shape = merge_shapes(shape, handle_shape(t))
        if "indices" in names:
            indices = inputs[names.index("indices")]
            check_dtype_in(op_type, "indices", indices, INDEX)
            if indices.shape.ndims not in (None, 1):
                raise ValueError(f"Shape must be rank 1 but is rank {indices.shape.ndims}")
        elif op_type in _GRAD_CHECKED_AT_BUILD:
            grad = inputs[names.index("grad" if "grad" in names else "delta")]
            merge_shapes(shape, grad.shape)
        return []

    return infer


def _twin_kernel(base: str):
    kernel = get_op_def(base).kernel

    def resource_kernel(ctx, op, *args):
        kernel(ctx, op, *args)
        return ()

    return resource_kernel


TWINS = {"Resource" + base: base for base in sorted(SIGNATURES) if not base.startswith("Resource")}
SIGNATURES.update({twin: SIGNATURES[base] for twin, base in TWINS.items()})

for _twin, _base in TWINS.items():
    _names, _n_handles, _scalars = SIGNATURES[_base]
    register_op(
        _twin,
        _twin_infer(_twin, _names, _n_handles, _scalars),
        kernel=_twin_kernel(_base),
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=tuple(range(_n_handles)),
    )

# TF's Keras-only update ops, which exist for resource variables alone (no reference twin).
for _type, _kernel in training_keras.RESOURCE_ONLY.items():
    _names, _n_handles, _scalars = SIGNATURES[_type]
    register_op(
        _type,
        _twin_infer(_type, _names, _n_handles, _scalars),
        kernel=_kernel,
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=tuple(range(_n_handles)),
    )
