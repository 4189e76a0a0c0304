"""Variable storage ops: ``VariableV2`` and the assignments to it.

Values live in the session (``ctx.read_variable``/``ctx.write_variable``); a run's writes are
staged and committed only when the run succeeds. Assignments take their ``ref`` input as the
variable's op (``ref_inputs``), so an uninitialized variable can be assigned.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph import graph_of
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor, merge_shapes
from scopeflow.ops.core.infer import apply_op, check_same_dtype


def _variable_infer(inputs, attrs):
    return [(attrs["dtype"]._as_ref, attrs["shape"])]


def _variable_kernel(ctx, op):
    return ctx.read_variable(op)


register_op(
    "VariableV2",
    _variable_infer,
    kernel=_variable_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    is_variable=True,
)


def _assign_infer(inputs, attrs):
    ref, value = inputs
    dtype = check_same_dtype("Assign", ("ref", "value"), inputs)
    if attrs.get("validate_shape", True):
        try:
            shape = merge_shapes(ref.shape, value.shape)  # TF's words first, then ours
        except ValueError as e:
            stop = "" if str(e).endswith(".") else "."
            raise ValueError(
                f"{e}{stop} The variable's shape and the assigned value's shape must match "
                "(pass validate_shape=False to allow a new shape)"
            ) from None
    else:
        shape = value.shape
    return [(dtype._as_ref, shape)]


def _assign_update_infer(op_type: str):
    def infer(inputs, attrs):
        ref, value = inputs
        dtype = check_same_dtype(op_type, ("ref", "value"), inputs)
        merge_shapes(ref.shape, value.shape)  # TF's "Dimension 0 in both shapes must be equal"
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
            f"{shape_str(declared)} rhs shape= {shape_str(new.shape)} (variable '{var_op.name}', "
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
                f"Parameters and update must be the same size ({op.type}: lhs shape= "
                f"{shape_str(old.shape)} rhs shape= {shape_str(np.shape(delta))}, op '{op.name}')",
            )
        new = np.asarray(ufunc(old, delta), dtype=old.dtype)
        ctx.write_variable(var_op, new)
        return new

    return kernel


for _type, _infer, _kernel in (
    ("Assign", _assign_infer, _assign_kernel),
    ("AssignAdd", _assign_update_infer("AssignAdd"), _update_kernel(np.add)),
    ("AssignSub", _assign_update_infer("AssignSub"), _update_kernel(np.subtract)),
):
    register_op(
        _type,
        _infer,
        kernel=_kernel,
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=(0,),
        ref_output=True,
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


def _count_up_to_infer(inputs, attrs):
    ref = inputs[0]
    if ref.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"CountUpTo needs an int32 or int64 variable, got {ref.dtype.name}")
    ref.shape.assert_is_compatible_with(tensor_shape.TensorShape([]))
    return [(ref.dtype.base_dtype, tensor_shape.TensorShape([]))]


def _count_up_to_kernel(ctx, op, var_op):
    old = ctx.read_variable(var_op, op)
    limit = op._attrs["limit"]
    if old >= limit:
        raise errors.OutOfRangeError(
            None, op, f"Reached limit of {limit} (variable '{var_op.name}', op '{op.name}')"
        )
    ctx.write_variable(var_op, np.array(old + 1, dtype=old.dtype))
    return old


register_op(
    "CountUpTo",
    _count_up_to_infer,
    kernel=_count_up_to_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    ref_inputs=(0,),
)


# -- tf.assign and friends ----------------------------------------------------------------


def _assign_to(op_type: str, ref, value, name, attrs: dict):
    if getattr(ref, "_is_resource", False):  # TF's: the variable's own method (only
        if op_type == "Assign":  # tf.assign passes the name on)
            return ref.assign(value, name=name)
        return getattr(ref, _PUBLIC[op_type])(value)
    target = ref._ref() if hasattr(ref, "_ref") else ref
    if not isinstance(target, Tensor) or not target.dtype._is_ref_dtype:
        raise TypeError(
            f"tf.{_PUBLIC[op_type]} needs a variable (or a variable's reference tensor) as "
            f"'ref', got {ref!r}"
        )
    with graph_of([target]).as_default(), name_scope(name, op_type, [target]) as scope:
        value = convert_to_tensor(value, dtype=target.dtype.base_dtype, name="value")
        return apply_op(op_type, [target, value], attrs, name=scope)


_PUBLIC = {"Assign": "assign", "AssignAdd": "assign_add", "AssignSub": "assign_sub"}


@undo.atomic
def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op setting variable ``ref`` to ``value``; evaluates to the new value."""
    attrs = {
        "validate_shape": True if validate_shape is None else bool(validate_shape),
        "use_locking": True if use_locking is None else bool(use_locking),
    }
    return _assign_to("Assign", ref, value, name, attrs)


@undo.atomic
def assign_add(ref, value, use_locking=None, name=None):
    """An op adding ``value`` to variable ``ref``; evaluates to the new value."""
    return _assign_to("AssignAdd", ref, value, name, {"use_locking": bool(use_locking)})


@undo.atomic
def assign_sub(ref, value, use_locking=None, name=None):
    """An op subtracting ``value`` from variable ``ref``; evaluates to the new value."""
    return _assign_to("AssignSub", ref, value, name, {"use_locking": bool(use_locking)})


@undo.atomic
def is_variable_initialized(variable, name=None):
    """A bool scalar: whether ``variable`` has a value in the running session."""
    if getattr(variable, "_is_resource", False):  # VarIsInitializedOp, as TF's
        return variable.is_initialized(name)
    ref = variable._ref() if hasattr(variable, "_ref") else variable
    with variable.graph.as_default(), name_scope(name, "IsVariableInitialized") as scope:
        return apply_op("IsVariableInitialized", [ref], {"dtype": ref.dtype.base_dtype}, scope)


@undo.atomic
def count_up_to(ref, limit, name=None):
    """An op adding 1 to int variable ``ref`` until ``limit``; evaluates to the value before
    (``OutOfRangeError`` once the variable reached ``limit``)."""
    if getattr(ref, "_is_resource", False):  # TF's ResourceCountUpTo
        return ref._count_up_to(limit, name)
    target = ref._ref() if hasattr(ref, "_ref") else ref
    with graph_of([target]).as_default(), name_scope(name, "CountUpTo", [target]) as scope:
        return apply_op("CountUpTo", [target], {"limit": int(limit)}, name=scope)


__all__ = ["assign", "assign_add", "assign_sub", "count_up_to", "is_variable_initialized"]
