"""Resource variable ops, as TF builds them for ``use_resource=True``: ``VarHandleOp`` (the
variable; its output is a ``resource`` handle), ``ReadVariableOp``, ``AssignVariableOp``,
``AssignAddVariableOp``, ``AssignSubVariableOp``, ``VarIsInitializedOp``, ``VariableShape``,
``ResourceGather``, the ``ResourceScatter*`` row updates and ``ResourceScatterNd*`` slice
updates, ``ResourceCountUpTo`` and ``ResourceStridedSliceAssign`` (``v[1:3].assign(x)``).

A handle input is a reference input (``ref_inputs``): the kernel gets the ``VarHandleOp``,
whose value lives in the session as a ``VariableV2``'s does (``ctx.read_variable``,
``ctx.write_variable``), so a run's writes are all-or-nothing and concurrent runs see each
other's writes as for reference variables. A ``ReadVariableOp`` reads when it runs (after
what it waits on) and its value is a snapshot: later writes give the variable a new array or,
for row updates, change rows in place only when nothing else holds the array.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.constant import constant
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def, register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, size
from scopeflow.ops.array.tensor_scatter import check_scatter_nd_shapes
from scopeflow.ops.core.infer import INDEX, check_dtype_in
from scopeflow.ops.state import scatter, slice_assign  # noqa: F401  (kernels reused here)

_SCALAR = tensor_shape.TensorShape([])


def handle_shape(handle) -> tensor_shape.TensorShape:
    """The variable's static shape behind a ``resource`` handle (unknown if not a
    ``VarHandleOp``'s)."""
    op = handle.op
    if op.type == "VarHandleOp":
        return op._attrs["shape"]
    return tensor_shape.unknown_shape()


def _check_handle(op_type: str, arg: str, t) -> None:
    if t.dtype.base_dtype != dtypes.resource:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            "match expected type of resource."
        )


def _check_value_dtype(op_type: str, handle, value, dtype) -> None:
    if value.dtype.base_dtype != dtype:
        raise TypeError(
            f"Input 'value' of '{op_type}' Op has type {value.dtype.base_dtype.name} that does "
            f"not match type {dtype.name} of the variable."
        )


def _handle_kernel(ctx, op):
    handle = np.empty((), dtype=object)
    handle[()] = op
    return handle


register_op(
    "VarHandleOp",
    lambda inputs, attrs: [(dtypes.resource, _SCALAR)],
    kernel=_handle_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    is_variable=True,
)


def _read_infer(inputs, attrs):
    _check_handle("ReadVariableOp", "resource", inputs[0])
    return [(attrs["dtype"], handle_shape(inputs[0]))]


def _read_kernel(ctx, op, var_op):
    value = ctx.read_variable(var_op, op)
    if value.dtype != op._attrs["dtype"].as_numpy_dtype:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Trying to read variable with wrong dtype. Expected {op._attrs['dtype'].name} got "
            f"{var_op._attrs['dtype'].name} (variable '{var_op.name}')",
        )
    return value


def _read_grad(op, grad):
    return [grad]  # TF's: the gradient with respect to the handle is the read's


register_op(
    "ReadVariableOp",
    _read_infer,
    kernel=_read_kernel,
    grad=_read_grad,
    stateful=True,
    ref_inputs=(0,),
    grad_takes_indexed_slices=True,
)


def _assign_infer(op_type: str):
    def infer(inputs, attrs):
        handle, value = inputs
        _check_handle(op_type, "resource", handle)
        _check_value_dtype(op_type, handle, value, attrs["dtype"])
        if op_type != "AssignVariableOp" or attrs.get("validate_shape", False):
            shape = handle_shape(handle)
            if not shape.is_compatible_with(value.shape):
                raise ValueError(
                    f"Shapes must be equal rank, but are {shape.ndims} and {value.shape.ndims}"
                    if shape.ndims != value.shape.ndims
                    else f"Shapes {shape} and {value.shape} are incompatible"
                )
        return []

    return infer


def _assign_kernel(ctx, op, var_op, value):
    new = np.array(value, dtype=var_op._attrs["dtype"].as_numpy_dtype, copy=True)
    # TF's kernel: with validate_shape, the value keeps the variable's current shape
    if op._attrs.get("validate_shape", False) and ctx.is_initialized(var_op):
        old = ctx.read_variable(var_op, op)
        if old.shape != new.shape:
            raise errors.InvalidArgumentError(
                None,
                op,
                "Trying to assign to variable with tensor with wrong shape. Expected "
                f"{list(old.shape)} got {list(new.shape)} (variable '{var_op.name}')",
            )
    ctx.write_variable(var_op, new)
    return ()


def _update_kernel(ufunc):
    def kernel(ctx, op, var_op, delta):
        old = ctx.read_variable(var_op, op)
        if np.shape(delta) != old.shape:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Cannot update variable with shape {list(old.shape)} using a Tensor with shape "
                f"{list(np.shape(delta))}, shapes must be equal. (op '{op.name}')",
            )
        ctx.write_variable(var_op, np.asarray(ufunc(old, delta), dtype=old.dtype))
        return ()

    return kernel


for _type, _kernel in (
    ("AssignVariableOp", _assign_kernel),
    ("AssignAddVariableOp", _update_kernel(np.add)),
    ("AssignSubVariableOp", _update_kernel(np.subtract)),
):
    register_op(
        _type,
        _assign_infer(_type),
        kernel=_kernel,
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=(0,),
    )


def _is_initialized_infer(inputs, attrs):
    _check_handle("VarIsInitializedOp", "resource", inputs[0])
    return [(dtypes.bool, _SCALAR)]


register_op(
    "VarIsInitializedOp",
    _is_initialized_infer,
    kernel=lambda ctx, op, var_op: np.bool_(ctx.is_initialized(var_op)),
    grad=NOT_DIFFERENTIABLE,
    ref_inputs=(0,),
)


def _shape_infer(inputs, attrs):
    _check_handle("VariableShape", "input", inputs[0])
    rank = handle_shape(inputs[0]).ndims
    return [(attrs.get("out_type", dtypes.int32), tensor_shape.TensorShape([rank]))]


def _shape_kernel(ctx, op, var_op):
    out = op._attrs.get("out_type", dtypes.int32).as_numpy_dtype
    return np.array(ctx.variable_shape(var_op, op), dtype=out)


register_op(
    "VariableShape",
    _shape_infer,
    kernel=_shape_kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    ref_inputs=(0,),
)


# -- rows: ResourceGather and the ResourceScatter* updates -----------------------------------


def _gather_infer(inputs, attrs):
    handle, indices = inputs
    _check_handle("ResourceGather", "resource", handle)
    check_dtype_in("ResourceGather", "indices", indices, INDEX)
    if attrs.get("batch_dims", 0):
        raise NotImplementedError(
            "ResourceGather with batch_dims: read the variable (v.value()) and use tf.gather"
        )
    shape = handle_shape(handle)
    if shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    rows = shape[1:] if shape.ndims is not None else tensor_shape.unknown_shape()
    return [(attrs["dtype"], indices.shape.concatenate(rows))]


def _gather_kernel(ctx, op, var_op, indices):
    shape = ctx.variable_shape(var_op, op)
    flat = np.reshape(indices, -1)
    bad = (flat < 0) | (flat >= shape[0])
    if bad.any():
        i = int(np.argmax(bad))
        raise errors.InvalidArgumentError(
            None,
            op,
            f"indices[{i}] = {int(flat[i])} is not in [0, {shape[0]}) (op '{op.name}', "
            f"variable '{var_op.name}')",
        )
    rows = ctx.variable_rows(var_op, flat, op)
    return np.reshape(rows, (*np.shape(indices), *shape[1:]))


def _gather_grad(op, grad):
    """TF's: the rows of ``grad`` at the indices, an ``IndexedSlices`` shaped like the
    variable (its static shape as a constant when known, else ``VariableShape``)."""
    handle, indices = op.inputs
    shape = handle_shape(handle)
    if shape.is_fully_defined():
        params_shape = constant(shape.as_list(), dtype=dtypes.int32)
    else:
        params_shape = op.graph.create_op("VariableShape", [handle], {"out_type": dtypes.int32})
        params_shape = params_shape.outputs[0]
    n = expand_dims(size(indices), 0)
    values = reshape(grad, concat([n, params_shape[1:]], 0))
    return [IndexedSlices(values, reshape(indices, n), params_shape), None]


register_op(
    "ResourceGather",
    _gather_infer,
    kernel=_gather_kernel,
    grad=_gather_grad,
    stateful=True,
    ref_inputs=(0,),
)


def _scatter_infer(op_type: str):
    def infer(inputs, attrs):
        handle, indices, updates = inputs
        _check_handle(op_type, "resource", handle)
        check_dtype_in(op_type, "indices", indices, INDEX)
        if updates.dtype.base_dtype != attrs["dtype"]:
            raise TypeError(
                f"Input 'updates' of '{op_type}' Op has type {updates.dtype.base_dtype.name} "
                f"that does not match type {attrs['dtype'].name} of the variable."
            )
        shape = handle_shape(handle)
        if shape.ndims and updates.shape.ndims != 0:
            merge_shapes(updates.shape, indices.shape.concatenate(shape[1:]))
        return []

    return infer


def _resource_twin(base: str):
    """The kernel of ``base`` (a reference op's: ``ScatterAdd``...) with no output, as the
    resource op has none."""
    kernel = get_op_def(base).kernel

    def resource_kernel(ctx, op, *args):
        kernel(ctx, op, *args)
        return ()

    return resource_kernel


SCATTERS = {
    "ResourceScatterAdd": "ScatterAdd",
    "ResourceScatterSub": "ScatterSub",
    "ResourceScatterMul": "ScatterMul",
    "ResourceScatterDiv": "ScatterDiv",
    "ResourceScatterMax": "ScatterMax",
    "ResourceScatterMin": "ScatterMin",
    "ResourceScatterUpdate": "ScatterUpdate",
}

for _type, _base in SCATTERS.items():
    register_op(
        _type,
        _scatter_infer(_type),
        kernel=_resource_twin(_base),
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=(0,),
    )


def _scatter_nd_infer(op_type: str):
    def infer(inputs, attrs):
        handle, indices, updates = inputs
        _check_handle(op_type, "ref", handle)
        check_dtype_in(op_type, "indices", indices, INDEX)
        check_scatter_nd_shapes(handle_shape(handle), indices.shape, updates.shape)
        return []

    return infer


SCATTERS_ND = {
    "ResourceScatterNdAdd": "ScatterNdAdd",
    "ResourceScatterNdSub": "ScatterNdSub",
    "ResourceScatterNdUpdate": "ScatterNdUpdate",
}

for _type, _base in SCATTERS_ND.items():
    register_op(
        _type,
        _scatter_nd_infer(_type),
        kernel=_resource_twin(_base),
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
        ref_inputs=(0,),
    )


def _count_up_to_infer(inputs, attrs):
    handle = inputs[0]
    _check_handle("ResourceCountUpTo", "resource", handle)
    if attrs["T"] not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"ResourceCountUpTo needs an int32 or int64 variable, got {attrs['T'].name}"
        )
    handle_shape(handle).assert_is_compatible_with(_SCALAR)
    return [(attrs["T"], _SCALAR)]


register_op(
    "ResourceCountUpTo",
    _count_up_to_infer,
    kernel=get_op_def("CountUpTo").kernel,
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    ref_inputs=(0,),
)


def _slice_assign_infer(inputs, attrs):
    handle, begin, end, strides, value = inputs
    _check_handle("ResourceStridedSliceAssign", "ref", handle)
    for arg, t in (("begin", begin), ("end", end), ("strides", strides)):
        check_dtype_in("ResourceStridedSliceAssign", arg, t, INDEX)
    _check_value_dtype("ResourceStridedSliceAssign", handle, value, attrs["T"])
    return []


register_op(
    "ResourceStridedSliceAssign",
    _slice_assign_infer,
    kernel=_resource_twin("StridedSliceAssign"),
    grad=NOT_DIFFERENTIABLE,
    stateful=True,
    ref_inputs=(0,),
)
