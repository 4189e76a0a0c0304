"""Variable storage ops: ``VariableV2`` and the assignments to it.

Values live in the session (``ctx.read_variable``/``ctx.write_variable``); a run's writes are
staged and committed only when the run succeeds. Assignments take their ``ref`` input as the
variable's op (``ref_inputs``), so an uninitialized variable can be assigned.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops._infer import check_same_dtype


def _variable_infer(inputs, attrs):
    return [(attrs["dtype"]._as_ref, attrs["shape"])]


def _variable_kernel(ctx, op):
    return ctx.read_variable(op)


register_op(
    "VariableV2", _variable_infer, kernel=_variable_kernel, grad=NOT_DIFFERENTIABLE, stateful=True
)


def _assign_infer(inputs, attrs):
    ref, value = inputs
    dtype = check_same_dtype("Assign", ("ref", "value"), inputs)
    if attrs.get("validate_shape", True):
        if not ref.shape.is_compatible_with(value.shape):
            raise ValueError(
                f"Shapes {ref.shape} and {value.shape} are incompatible: the variable's shape "
                "and the assigned value's shape must match (pass validate_shape=False to allow "
                "a new shape)"
            )
        shape = value.shape.merge_with(ref.shape)
    else:
        shape = value.shape
    return [(dtype._as_ref, shape)]


def _assign_update_infer(op_type: str):
    def infer(inputs, attrs):
        ref, value = inputs
        dtype = check_same_dtype(op_type, ("ref", "value"), inputs)
        ref.shape.assert_is_compatible_with(value.shape)
        return [(dtype._as_ref, ref.shape)]

    return infer


def _as_variable_value(var_op, value) -> np.ndarray:
    return np.array(value, dtype=var_op._attrs["dtype"].as_numpy_dtype, copy=True)


def _assign_kernel(ctx, op, var_op, value):
    new = _as_variable_value(var_op, value)
    declared = var_op._attrs["shape"]
    if op._attrs.get("validate_shape", True) and not declared.is_compatible_with(new.shape):
        raise errors.InvalidArgumentError(
            None,
            op,
            "Assign requires shapes of both tensors to match. lhs shape= "
            f"{declared.as_list()} rhs shape= {list(new.shape)} (variable '{var_op.name}', "
            f"assignment created at {op.location})",
        )
    ctx.write_variable(var_op, new)
    return new


def _update_kernel(ufunc):
    def kernel(ctx, op, var_op, delta):
        old = ctx.read_variable(var_op, op)
        if np.shape(delta) != old.shape:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"{op.type} requires shapes of both tensors to match. lhs shape= "
                f"{list(old.shape)} rhs shape= {list(np.shape(delta))} (op '{op.name}')",
            )
        new = ufunc(old, delta).astype(old.dtype, copy=False)
        ctx.write_variable(var_op, new)
        return new

    return kernel


for _type, _infer, _kernel in (
    ("Assign", _assign_infer, _assign_kernel),
    ("AssignAdd", _assign_update_infer("AssignAdd"), _update_kernel(np.add)),
    ("AssignSub", _assign_update_infer("AssignSub"), _update_kernel(np.subtract)),
):
    register_op(
        _type, _infer, kernel=_kernel, grad=NOT_DIFFERENTIABLE, stateful=True, ref_inputs=(0,)
    )


def _is_initialized_infer(inputs, attrs):
    return [(dtypes.bool, tensor_shape.TensorShape([]))]


def _is_initialized_kernel(ctx, op, var_op):
    return np.bool_(ctx.is_initialized(var_op))


register_op(
    "IsVariableInitialized",
    _is_initialized_infer,
    kernel=_is_initialized_kernel,
    grad=NOT_DIFFERENTIABLE,
    ref_inputs=(0,),
)
