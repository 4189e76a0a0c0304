"""What Saver, ``save_npz`` and ``save_safetensors`` share: which variables go under which
names, reading their values from a session, and restoring values checked against them.

Variables are saved under their op names (``"scope/w"`` for ``scope/w:0``), as TF1 saves them,
unless a ``{name: variable}`` dict says otherwise. The parts of a partitioned variable are
saved together under its full name (``"scope/w"`` for ``scope/w/part_0``...), each as a slice.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.error_text import kernel_type_name, shape_str
from scopeflow.framework.graph import GraphKeys, closest_names
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.train.slices import SlicedValue
from scopeflow.variables.partitioned import PartitionedVariable
from scopeflow.variables.variables import Variable


class Parts:
    """The parts of one partitioned variable, saved as one tensor under ``name``."""

    def __init__(self, name: str, parts: list):
        self.name = name
        self.parts = sorted(parts, key=lambda v: v._get_save_slice_info().var_offset)
        info = self.parts[0]._get_save_slice_info()
        self.full_shape = tuple(info.full_shape)
        self.shape = TensorShape(list(self.full_shape))
        self.dtype = self.parts[0].dtype
        self.graph = self.parts[0].graph

    def offsets(self):
        return [tuple(v._get_save_slice_info().var_offset) for v in self.parts]


def _entries(var_list) -> list:
    """``(name, variable or Parts)`` for the items of a list given to a Saver: the parts of a
    partitioned variable (or the variable itself) go under its full name."""
    pairs, groups = [], {}
    for var in var_list:
        info = var._get_save_slice_info() if isinstance(var, Variable) else None
        if isinstance(var, PartitionedVariable):
            pairs.append((var.name, list(var)))
        elif info is None:
            pairs.append((getattr(var, "op", None) and var.op.name, var))
        elif info.full_name in groups:
            groups[info.full_name].append(var)
        else:
            groups[info.full_name] = [var]
            pairs.append((info.full_name, groups[info.full_name]))
    return [(name, Parts(name, v) if isinstance(v, list) else v) for name, v in pairs]


def var_list_to_dict(var_list=None) -> dict[str, Variable]:
    """``{name: variable}`` for a Saver's ``var_list``: ``None`` (the default graph's global
    variables), a list of variables, or a dict from names to variables.

    Raises:
        TypeError: an entry is not a Variable.
        ValueError: two variables have the same name, or one variable two names.
    """
    if var_list is None:
        var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
    if isinstance(var_list, dict):
        pairs = [
            (name, Parts(name, list(var)) if isinstance(var, (PartitionedVariable, list)) else var)
            for name, var in var_list.items()
        ]
    else:
        if isinstance(var_list, (Variable, PartitionedVariable)):
            var_list = [var_list]
        pairs = _entries(var_list)
    names: dict[str, Variable] = {}
    seen: dict[int, str] = {}
    for name, var in pairs:
        if isinstance(var, Parts):
            if name in names:
                raise ValueError(f"At least two variables have the same name: {name}")
            names[name] = var
            continue
        if not isinstance(var, Variable):
            raise TypeError(
                f"Variable to save is not a Variable: {var!r}. Pass variables (a list, or a "
                "dict from checkpoint names to variables)."
            )
        if not isinstance(name, str) or not name:
            raise TypeError(f"Checkpoint names must be non-empty strings, got {name!r}")
        if name in names:
            raise ValueError(f"At least two variables have the same name: {name}")
        if id(var) in seen:
            raise ValueError(
                f"The same saveable will be restored with two names: {seen[id(var)]} and {name}"
            )
        names[name] = var
        seen[id(var)] = name
    return names


def check_plain_dtype(name: str, value: np.ndarray, fmt: str) -> np.ndarray:
    """``value``, unless its dtype is one ``fmt`` cannot hold without pickle (strings) or at
    all (bfloat16), which raises ``TypeError``."""
    if value.dtype.kind in "OSUV" or value.dtype.name == "bfloat16":
        raise TypeError(
            f"Variable '{name}' of dtype {value.dtype} cannot be saved as {fmt}; save "
            "string and bfloat16 variables with tf.train.Saver"
        )
    return value


def _check_session(sess, names_to_vars: dict) -> None:
    if not hasattr(sess, "_read_values"):
        raise TypeError(f"'sess' must be a Session; {sess}")
    for name, var in names_to_vars.items():
        if var.graph is not sess.graph:
            raise ValueError(
                f"Variable '{var.name}' (saved as '{name}') is not in the session's graph"
            )


def read_values(sess, names_to_vars: dict, sliced: bool = False) -> dict:
    """``{name: value}`` of the variables in ``sess``, all read at one moment; a partitioned
    variable's value is put together, or with ``sliced`` is a ``SlicedValue`` of its parts.

    Raises:
        tf.errors.FailedPreconditionError: a variable is not initialized.
    """
    _check_session(sess, names_to_vars)
    ops = []
    for var in names_to_vars.values():
        if isinstance(var, Parts):
            ops.extend(p.op for p in var.parts)
        else:
            ops.append(var.op)
    values = sess._read_values(ops)
    result = {}
    for name, var in names_to_vars.items():
        if not isinstance(var, Parts):
            result[name] = values[var.op]
            continue
        pieces = tuple(zip(var.offsets(), (values[p.op] for p in var.parts), strict=True))
        if sliced:
            result[name] = SlicedValue(var.full_shape, pieces)
            continue
        full = np.zeros(var.full_shape, dtype=pieces[0][1].dtype)
        for offset, value in pieces:
            full[tuple(slice(o, o + n) for o, n in zip(offset, value.shape, strict=True))] = value
        result[name] = full
    return result


def restore_values(sess, names_to_vars: dict, source, reshape: bool = False) -> None:
    """Assigns every variable its tensor from ``source``, all or nothing.

    ``source`` describes its tensors without reading them (``describe(name)`` returns the
    ``(DType, shape)`` or ``None`` when missing; ``names()`` lists them; ``where`` names the
    file), and reads one with ``read(name)``. Everything is checked before anything is read.

    Raises:
        tf.errors.NotFoundError: a name is missing (with the closest names present).
        tf.errors.InvalidArgumentError: a dtype or shape differs (both are named).
    """
    _check_session(sess, names_to_vars)
    for name, var in names_to_vars.items():
        found = source.describe(name)
        if found is None:
            raise errors.NotFoundError(
                None,
                None,
                "Restoring from checkpoint failed. This is most likely due to a "
                "Variable name or other graph key that is missing from the checkpoint. Key "
                f"{name} not found in checkpoint {source.where} (needed by variable "
                f"'{var.name}')." + closest_names(name, source.names()),
            )
        dtype, shape = found
        _check_match(name, var, dtype, shape, source.where, reshape and not isinstance(var, Parts))
    values = {}
    for name, var in names_to_vars.items():
        value = source.read(name)
        if isinstance(var, Parts):  # each part takes its slice of the whole
            for part, offset in zip(var.parts, var.offsets(), strict=True):
                shape = part.shape.as_list()
                values[part.op] = value[
                    tuple(slice(o, o + n) for o, n in zip(offset, shape, strict=True))
                ]
            continue
        if reshape and var.shape.is_fully_defined():
            value = value.reshape(var.shape.as_list())
        values[var.op] = value
    sess._assign_values(values)


def _check_match(name, var, dtype, shape, where, reshape: bool) -> None:
    mismatch = "Restoring from checkpoint failed. This is most likely due to a mismatch "
    mismatch += "between the current graph and the graph from the checkpoint. Please ensure "
    mismatch += "that you have not altered the graph expected based on the checkpoint. "
    mismatch += "Original error:\n\n"
    want = var.dtype.base_dtype
    if dtype != want:
        raise errors.InvalidArgumentError(
            None,
            None,
            f"{mismatch}tensor_name = {name}; expected dtype {kernel_type_name(want)} does not "
            f"equal original dtype {kernel_type_name(dtype)} (variable '{var.name}', checkpoint "
            f"{where})",
        )
    declared = var.shape
    if declared.is_compatible_with(shape):
        return
    if reshape and declared.is_fully_defined() and declared.num_elements() == _count(shape):
        return
    raise errors.InvalidArgumentError(
        None,
        None,
        f"{mismatch}Assign requires shapes of both tensors to match. lhs shape= "
        f"{shape_str(declared) if declared.ndims is not None else '<unknown>'} rhs shape= "
        f"{shape_str(shape)} (variable '{var.name}', tensor '{name}' in checkpoint {where})",
    )


def _count(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n
