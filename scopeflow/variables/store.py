"""The per-graph variable store: where ``get_variable`` finds or creates variables.

Each graph has one store mapping full variable names to variables. A ``get_variable`` call is
resolved against its scope into a :class:`VariableSpec`, passed through any custom getters, and
ends in :meth:`_VariableStore.true_getter`, which checks reuse rules and creates the variable.
"""

from __future__ import annotations

import enum
import inspect
import threading
from dataclasses import dataclass, fields, replace
from typing import Any

from scopeflow.framework import behavior, dtypes, source, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph, GraphKeys, closest_names
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import slicing as array_ops
from scopeflow.variables import initializers
from scopeflow.variables.partitioned import (
    PartitionedVariable,
    PartitionInfo,
    SaveSliceInfo,
    call_partitioner,
    iter_slices,
    slice_dim_and_count,
)
from scopeflow.variables.synchronization import validate
from scopeflow.variables.variables import Variable


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


@dataclass(slots=True)
class VariableSpec:
    """One ``get_variable`` request. Its fields are the keyword arguments TF1 hands to custom
    getters; its constructor, with TF1's order and defaults, is the getter at the bottom of
    their chain. Built by the public function, completed by the scope, then read only."""

    name: str
    shape: Any = None
    dtype: Any = dtypes.float32
    initializer: Any = None
    regularizer: Any = None
    reuse: Any = None
    trainable: bool | None = None
    collections: Any = None
    caching_device: Any = None
    partitioner: Any = None
    validate_shape: bool = True
    use_resource: Any = None
    constraint: Any = None
    synchronization: Any = None
    aggregation: Any = None


_SPEC_FIELDS = tuple(f.name for f in fields(VariableSpec))


class _VariableStore:
    """All variables made by ``get_variable`` in one graph, by full name."""

    def __init__(self):
        self.vars: dict[str, Variable] = {}
        self.partitioned: dict[str, PartitionedVariable] = {}
        self.lock = threading.RLock()

    def get(self, spec: VariableSpec, custom_getter=None):
        """``spec``'s variable, found or made, through ``custom_getter`` if there is one:
        TF1's ``custom_getter(getter=..., name=..., shape=..., ...)``, all by keyword."""
        if custom_getter is None:
            with self.lock:
                return self._resolve(spec)
        if not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter!r}")
        kwargs = {key: getattr(spec, key) for key in _SPEC_FIELDS}
        if not _accepts(custom_getter, "constraint"):
            del kwargs["constraint"]  # getters written before TF1 added it
        return custom_getter(getter=self.true_getter, **kwargs)

    def true_getter(self, *args, **kwargs):
        """The getter at the bottom of any custom-getter chain: takes :class:`VariableSpec`'s
        arguments (``name`` by position or keyword) and finds or makes the variable."""
        spec = VariableSpec(*args, **kwargs)
        with self.lock:
            return self._resolve(spec)

    def _resolve(self, spec: VariableSpec):
        """TF1's ``_true_getter``: a partitioned variable when there is a partitioner (and the
        shape is not ``[]``) or when reusing one, else a single variable."""
        name = spec.name
        found = self.vars.get(name)
        if found is not None and _is_plain_reuse(found, spec):
            return found  # the hot path of shared models: nothing to convert or check
        partitioner = spec.partitioner
        shape = spec.shape
        if partitioner is not None and not (isinstance(shape, (list, tuple)) and not shape):
            if not callable(partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
            with get_default_graph().name_scope(None):
                return self._partitioned_variable(spec)
        if spec.reuse is True and partitioner is None and name in self.partitioned:
            return self._partitioned_variable(spec)
        if f"{name}/part_0" in self.vars:
            raise ValueError(
                "No partitioner was provided, but a partitioned version of the variable was "
                f"found: {name}/part_0. Perhaps a variable of the same name was already created "
                "with partitioning?"
            )
        return self._single_variable(spec)

    def _partitioned_variable(self, spec: VariableSpec) -> PartitionedVariable:
        """TF1's ``_get_partitioned_variable``: finds the parts, or makes ``<name>/part_<i>``
        with the initializer's value sliced (a tensor or value) or called per part."""
        name, initializer, reuse = spec.name, spec.initializer, spec.reuse
        if name in self.vars:
            raise ValueError(
                "A partitioner was provided, but an unpartitioned version of the variable was "
                f"found: {name}.  Perhaps a variable of the same name was already created "
                "without partitioning?"
            )
        shape = tensor_shape.as_shape(spec.shape)
        dtype = dtypes.as_dtype(spec.dtype)
        from_tensor = isinstance(initializer, Tensor)
        if from_tensor:
            shape = shape.merge_with(initializer.get_shape())
        partitions = None
        if not reuse or spec.partitioner:
            partitions = call_partitioner(spec.partitioner, shape, dtype)
        found = self.partitioned.get(name)
        if found is not None:
            return _check_partitioned_reuse(found, reuse, shape, dtype, partitions)
        if reuse is True:
            raise ValueError(
                f"PartitionedVariable {name} does not exist, or was not created with "
                "tf.get_variable(). Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in "
                "VarScope?" + closest_names(name, self.partitioned)
            )
        dim, count = slice_dim_and_count(partitions)
        self._check_existing_parts(name, count)
        graph = get_default_graph()
        full = shape.as_list()
        parts = []
        for i, (offset, part_shape) in enumerate(iter_slices(full, count, dim)):
            part_name = f"{name}/part_{i}"
            init, init_shape = initializer, part_shape
            if initializer is not None and not callable(initializer):
                with graph.name_scope(part_name + "/PartitionedInitializer"):
                    value = initializer
                    if not from_tensor:  # converted again for each part, as TF1 does
                        value = convert_to_tensor(initializer, dtype=dtype)
                    init = array_ops.slice(value, offset, part_shape)
                dtype, init_shape = init.dtype.base_dtype, None
            part_spec = replace(
                spec, name=part_name, shape=init_shape, dtype=dtype, initializer=init
            )
            with graph.name_scope(None):
                part = self._single_variable(part_spec, PartitionInfo(full, offset))
            part._set_save_slice_info(SaveSliceInfo(name, full, offset, part_shape))
            parts.append(part)
        result = PartitionedVariable(name, shape, dtype, parts, partitions)
        self.partitioned[name] = result
        undo.record(lambda: self.partitioned.pop(name, None))
        return result

    def _check_existing_parts(self, name: str, count: int) -> None:
        if f"{name}/part_0" not in self.vars:
            return
        if f"{name}/part_{count - 1}" not in self.vars:
            raise ValueError(
                "Partitioner returned a different partitioning than what was already found.  "
                f"Partitioner returned {count} shards, and shard {name}/part_0 was found, but "
                f"{name}/part_{count - 1} was not."
            )
        if f"{name}/part_{count}" in self.vars:
            raise ValueError(
                "Partitioner returned a different partitioning than what was already found.  "
                f"Partitioner returned {count} shards, and shard {name}/part_0 was found, but "
                f"so was the extra shard {name}/part_{count}."
            )

    def _single_variable(self, spec: VariableSpec, partition_info=None) -> Variable:
        name = spec.name
        shape = None if spec.shape is None else tensor_shape.as_shape(spec.shape)
        dtype = dtypes.as_dtype(spec.dtype)
        from_value = spec.initializer is not None and not callable(spec.initializer)
        if from_value and shape is not None:
            raise ValueError(
                f"Variable {name}: If initializer is a constant, do not specify shape "
                f"(the initializer's shape is used; got shape={shape})."
            )
        found = self.vars.get(name)
        if found is not None:
            return _check_reuse(found, spec, shape, dtype)
        if spec.reuse is True:
            raise ValueError(
                f"Variable {name} does not exist, or was not created with tf.get_variable(). "
                "Did you mean to set reuse=tf.AUTO_REUSE in VarScope? (reuse=True only "
                "returns existing variables.)" + closest_names(name, self.vars)
            )
        if from_value:
            init_val, var_dtype = spec.initializer, None
        else:
            init_val, var_dtype = _initial_value_fn(
                name, shape, dtype, spec.initializer, partition_info
            )
        synchronization, aggregation, trainable = validate(
            spec.synchronization, spec.aggregation, spec.trainable, name
        )
        with get_default_graph().name_scope(None):  # a variable's name ignores name scopes
            v = Variable(
                initial_value=init_val,
                trainable=trainable,
                synchronization=synchronization,
                aggregation=aggregation,
                collections=spec.collections,
                caching_device=spec.caching_device,
                name=name,
                dtype=var_dtype,
                validate_shape=spec.validate_shape,
                constraint=spec.constraint,
                use_resource=_use_resource(spec.use_resource),  # as TF1 resolves it
                shape=None if from_value else shape,
            )
        self.vars[name] = v
        undo.record(lambda: self.vars.pop(name, None))
        if spec.regularizer is not None:
            graph = v.graph
            with graph.name_scope(name + "/Regularizer/"):
                loss = spec.regularizer(v)
            if loss is not None:
                graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v


_SIGNATURES: dict[type, inspect.Signature | None] = {}


def _signature(fn) -> inspect.Signature | None:
    """``fn``'s signature (``None`` if unknown), cached per class for callable instances such
    as initializers, which get_variable inspects on every creation."""
    cacheable = not (
        inspect.isfunction(fn)
        or inspect.ismethod(fn)
        or inspect.isbuiltin(fn)
        or inspect.isclass(fn)
        or type(fn).__module__ == "functools"
    )
    key = type(fn)
    if cacheable and key in _SIGNATURES:
        return _SIGNATURES[key]
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        sig = None
    if cacheable:
        _SIGNATURES[key] = sig
    return sig


def _accepts(fn, arg: str) -> bool:
    sig = _signature(fn)
    if sig is None:
        return True
    params = sig.parameters
    return arg in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _is_plain_reuse(found: Variable, spec: VariableSpec) -> bool:
    """A reuse request whose shape (a list/tuple of ints, or None) and dtype (a DType) match
    ``found`` exactly, with nothing else to check."""
    if spec.reuse is not True and spec.reuse is not AUTO_REUSE:
        return False
    if spec.partitioner is not None or spec.dtype is not found.dtype.base_dtype:
        return False
    if spec.initializer is not None and not callable(spec.initializer):
        return False
    shape = spec.shape
    return shape is None or (type(shape) in (list, tuple) and tuple(shape) == found.shape._dims)


def _check_reuse(found: Variable, spec: VariableSpec, shape, dtype) -> Variable:
    name = spec.name
    if spec.reuse is not True and spec.reuse is not AUTO_REUSE:
        raise ValueError(
            f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
            f"reuse=tf.AUTO_REUSE in VarScope? Originally defined at {found.op.location}:\n\n"
            + source.format_frames(found.op._frames)
        )
    if shape is not None and not shape.is_compatible_with(found.get_shape()):
        raise ValueError(
            f"Trying to share variable {name}, but specified shape {shape} and found shape "
            f"{found.get_shape()}."
        )
    if not dtype.is_compatible_with(found.dtype):
        raise ValueError(
            f"Trying to share variable {name}, but specified dtype {dtype.name} and found "
            f"dtype {found.dtype.name}."
        )
    return found


def _check_partitioned_reuse(found, reuse, shape, dtype, partitions) -> PartitionedVariable:
    name = found.name
    if reuse is False:
        raise ValueError(
            f"Partitioned variable with name {name} already exists. Did you mean to set "
            "reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
        )
    if not shape.is_compatible_with(found.get_shape()):
        raise ValueError(
            f"Trying to reuse partitioned variable {name}, but specified shape {shape} and "
            f"found shape {found.get_shape()}."
        )
    if not dtype.is_compatible_with(found.dtype):
        raise ValueError(
            f"Trying to reuse partitioned variable {name}, but specified dtype {dtype.name} and "
            f"found dtype {found.dtype.name}."
        )
    if partitions is not None and list(found._get_partitions()) != list(partitions):
        raise ValueError(
            f"Trying to reuse partitioned variable {name}, but specified partitions "
            f"{list(partitions)} and found partitions {found._get_partitions()}."
        )
    return found


def _initial_value_fn(name: str, shape, dtype: dtypes.DType, initializer, partition_info=None):
    """``(fn, dtype)``: a no-argument function making the initial value, and the variable's
    dtype (``None``: the value's own, for initializers that take no arguments)."""
    if initializer is None:
        if shape is None:
            raise ValueError(
                f"Variable {name} did not get an initializer, so its `shape` argument must be "
                "specified."
            )
        base = dtype.base_dtype
        if base.is_floating:
            initializer = initializers.GlorotUniform()
        elif base.is_integer or base.is_unsigned or base.is_bool or base == dtypes.string:
            initializer = initializers.Zeros()
        else:
            raise ValueError(f"An initializer for variable {name} of {base.name} is required")
    elif inspect.isclass(initializer):
        initializer = initializer(dtype=dtype)
    if _count_params(initializer) == 0:
        return initializer, None  # e.g. ``lambda: tf.zeros([3])``: the value decides
    if shape is not None and shape.is_fully_defined():
        dims = shape.as_list()
        kwargs = {}
        if _accepts(initializer, "dtype"):
            kwargs["dtype"] = dtype.base_dtype
        if _accepts(initializer, "partition_info"):
            kwargs["partition_info"] = partition_info
        return (lambda: initializer(dims, **kwargs)), dtype.base_dtype
    if _count_params(initializer, required_only=True) == 0:
        return initializer, None
    got = "no shape" if shape is None else f"shape {shape}"
    raise ValueError(
        f"Shape of a new variable ({name}) must be fully defined to call its initializer "
        f"{type(initializer).__name__}, but got {got}. Pass a fully defined shape, or an "
        "initializer that takes no arguments (e.g. lambda: tf.zeros([3]))."
    )


def _count_params(fn, required_only: bool = False) -> int:
    """How many parameters ``fn`` takes (only those without defaults if ``required_only``);
    ``-1`` if its signature is unknown."""
    sig = _signature(fn)
    if sig is None:
        return -1
    params = sig.parameters.values()
    if required_only:
        variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        params = [p for p in params if p.default is p.empty and p.kind not in variadic]
    return len(params)


def _use_resource(use_resource) -> bool:
    """TF1's ``_get_single_variable``: ``None`` is the process default
    (``tf.enable_resource_variables()``)."""
    return behavior.resource_variables_enabled() if use_resource is None else bool(use_resource)


def _variable_store(graph: Graph) -> _VariableStore:
    return graph._store("variable_store", _VariableStore)
