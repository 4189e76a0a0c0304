"""JAX lowerings of the resource variable ops (``ops/state/resource.py``,
``ops/state/resource_training.py``): a handle input arrives as its ``VarHandleOp`` (a
reference input, as a ``VariableV2`` for the reference ops), reads and writes go through the
segment's variables, and the ``Resource*`` updates are their reference twins' lowerings with
no output."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.session.jax_lowering import array, legacy, optimizers, state


def _no_output(lower):
    def resource_lower(ctx, op, *args):
        lower(ctx, op, *args)
        return ()

    return resource_lower


def _assign(ctx, op, var_op, value):
    ctx.write_variable(var_op, jnp.asarray(value).astype(var_op._attrs["dtype"].as_numpy_dtype))
    return ()


def _update(fn):
    def lower(ctx, op, var_op, delta):
        old = ctx.read_variable(var_op, op)
        ctx.write_variable(var_op, fn(old, delta).astype(old.dtype))
        return ()

    return lower


def _shape(ctx, op, var_op):
    out = op._attrs.get("out_type")
    dtype = np.int32 if out is None else out.as_numpy_dtype
    return np.array(ctx.read_variable(var_op, op).shape, dtype=dtype)


_REFERENCE = {**state.LOWERINGS, **optimizers.LOWERINGS, **legacy.LOWERINGS}
_SCATTERS = ("ScatterAdd", "ScatterSub", "ScatterMul", "ScatterDiv", "ScatterMax", "ScatterMin")
# The reference ops whose Resource* twins are registered (ops/state/resource*.py).
_TWINNED = [t for t in _REFERENCE if t.startswith(("Apply", "SparseApply"))]
_TWINNED += [*_SCATTERS, "ScatterUpdate", "ScatterNdAdd", "ScatterNdSub", "ScatterNdUpdate"]
_TWINNED += ["StridedSliceAssign"]

def _read(ctx, op, var_op):
    value = ctx.read_variable(var_op, op)
    if var_op._attrs["dtype"] != op._attrs["dtype"]:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"Trying to read variable with wrong dtype. Expected {op._attrs['dtype'].name} got "
            f"{var_op._attrs['dtype'].name} (variable '{var_op.name}')",
        )
    return value


# The ops that take a handle only to read: a segment of them does not write (nor donate) it.
READ_ONLY = frozenset({"ReadVariableOp", "ResourceGather", "VariableShape"})

LOWERINGS = {
    "VarHandleOp": lambda ctx, op: ctx.read_variable(op),
    "ReadVariableOp": _read,
    "AssignVariableOp": _assign,
    "AssignAddVariableOp": _update(jnp.add),
    "AssignSubVariableOp": _update(jnp.subtract),
    "VarIsInitializedOp": lambda ctx, op, var_op: jnp.bool_(ctx.is_initialized(var_op)),
    "VariableShape": _shape,
    "ResourceGather": lambda ctx, op, var_op, indices: array.LOWERINGS["GatherV2"](
        ctx, op, ctx.read_variable(var_op, op), indices, 0
    ),
    **{"Resource" + base: _no_output(_REFERENCE[base]) for base in _TWINNED},
    **{op_type: _no_output(lower) for op_type, lower in optimizers.RESOURCE_ONLY.items()},
}
