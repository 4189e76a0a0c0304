"""Variable storage ops: ``VariableV2`` and the assignments to it."""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops._infer import check_same_dtype


def _variable_infer(inputs, attrs):
    return [(attrs["dtype"]._as_ref, attrs["shape"])]


register_op("VariableV2", _variable_infer, grad=NOT_DIFFERENTIABLE, stateful=True)


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


register_op("Assign", _assign_infer, grad=NOT_DIFFERENTIABLE, stateful=True)
register_op("AssignAdd", _assign_update_infer("AssignAdd"), grad=NOT_DIFFERENTIABLE, stateful=True)
register_op("AssignSub", _assign_update_infer("AssignSub"), grad=NOT_DIFFERENTIABLE, stateful=True)


def _is_initialized_infer(inputs, attrs):
    return [(dtypes.bool, tensor_shape.TensorShape([]))]


register_op("IsVariableInitialized", _is_initialized_infer, grad=NOT_DIFFERENTIABLE)
