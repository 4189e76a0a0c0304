"""Partitioned variables: ``get_variable(partitioner=...)`` makes ``<name>/part_0``, ...

A partitioner maps a variable's full shape and dtype to how many parts each axis is cut into
(one axis at most). The parts are ordinary variables, each knowing its place in the whole
(``SaveSliceInfo``): the Saver writes them as one checkpoint entry under the full name, and
optimizers give their slots the same slicing. ``PartitionedVariable`` holds the parts; used
as a tensor it is their concatenation (``<name>/ConcatPartitions/concat`` then ``<name>``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import register_tensor_conversion_function
from scopeflow.framework.defaults import get_default_graph
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat, split

# -- partitioners ------------------------------------------------------------------------------


def fixed_size_partitioner(num_shards: int, axis: int = 0):
    """A partitioner cutting ``axis`` into ``num_shards`` parts (fewer if the axis is shorter).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(3))
    >>> [v.name for v in w], [v.shape.as_list() for v in w]
    (['w/part_0:0', 'w/part_1:0', 'w/part_2:0'], [[4, 4], [3, 4], [3, 4]])
    """

    def _partitioner(shape, **unused_args):
        partitions = [1] * len(shape)
        partitions[axis] = min(num_shards, shape.dims[axis].value)
        return partitions

    return _partitioner


def variable_axis_size_partitioner(
    max_shard_bytes, axis=0, bytes_per_string_element=16, max_shards=None
):
    """A partitioner cutting ``axis`` so that each part holds at most ``max_shard_bytes``
    (every index its own part if even that is too big), at most ``max_shards`` parts.

    >>> import scopeflow as tf
    >>> p = tf.variable_axis_size_partitioner(64)
    >>> p(tf.TensorShape([10, 4]), tf.float32)
    [3, 1]
    """
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError(
            "Both max_shard_bytes and bytes_per_string_element must be positive. Currently, "
            f"max_shard_bytes is {max_shard_bytes} andbytes_per_string_element is "
            f"{bytes_per_string_element}"
        )
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape, dtype):
        if not isinstance(shape, tensor_shape.TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        element_size = _element_size(dtype, bytes_per_string_element)
        partitions = [1] * shape.ndims
        bytes_per_slice = 1.0 * (shape.num_elements() / shape.dims[axis].value) * element_size
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = int(math.ceil(1.0 * shape.dims[axis].value / slices_per_shard))
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions

    return _partitioner


def min_max_variable_partitioner(
    max_partitions=1, axis=0, min_slice_size=256 << 10, bytes_per_string_element=16
):
    """A partitioner giving each part at least ``min_slice_size`` bytes, in at most
    ``max_partitions`` parts along ``axis``.

    >>> import scopeflow as tf
    >>> p = tf.min_max_variable_partitioner(max_partitions=4, min_slice_size=64)
    >>> p(tf.TensorShape([10, 4]), tf.float32)
    [3, 1]
    """

    def _partitioner(shape, dtype):
        if axis >= len(shape):
            raise ValueError(
                f"Cannot partition variable along axis {axis} when shape is only {shape}"
            )
        bytes_per_element = _element_size(dtype, bytes_per_string_element)
        partitions = shape.num_elements() * bytes_per_element / min_slice_size
        partitions_list = [1] * len(shape)
        partitions_list[axis] = max(
            1, min(shape.dims[axis].value, max_partitions, int(math.ceil(partitions)))
        )
        return partitions_list

    return _partitioner


def _element_size(dtype, bytes_per_string_element: int) -> int:
    dtype = dtypes.as_dtype(dtype)
    return bytes_per_string_element if dtype.base_dtype == dtypes.string else dtype.size


# -- where a part lies in the whole ------------------------------------------------------------


class PartitionInfo:
    """What an initializer's ``partition_info`` tells it: the whole variable's shape and this
    part's offset in it (variance-scaling initializers compute fans from the whole)."""

    __slots__ = ("_full_shape", "_var_offset")

    def __init__(self, full_shape, var_offset):
        if not isinstance(full_shape, (list, tuple)):
            raise TypeError(
                "`full_shape` must be a sequence (like tuple or list) instead of "
                + type(full_shape).__name__
            )
        if not isinstance(var_offset, (list, tuple)):
            raise TypeError(
                "`var_offset` must be a sequence (like tuple or list) instead of "
                + type(var_offset).__name__
            )
        if len(var_offset) != len(full_shape):
            raise ValueError(
                f"Expected equal length, but `var_offset` is of length {len(var_offset)} while "
                f"full_shape is of length {len(full_shape)}."
            )
        for offset, size in zip(var_offset, full_shape, strict=True):
            if offset < 0 or offset >= size:
                raise ValueError(
                    f"Expected 0 <= offset < shape but found offset={offset}, shape={size} for "
                    f"var_offset={var_offset}, full_shape={full_shape}"
                )
        self._full_shape = full_shape
        self._var_offset = var_offset

    full_shape = property(lambda self: self._full_shape)
    var_offset = property(lambda self: self._var_offset)


class SaveSliceInfo:
    """A part's place in its partitioned variable, as checkpoints record it
    (``tf.Variable.SaveSliceInfo``): ``spec`` is TF's ``"<full shape> <offset>,<size>:..."``.

    >>> SaveSliceInfo("w", [10, 4], [4, 0], [3, 4]).spec
    '10 4 4,3:0,4'
    """

    def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None):
        self.full_name = full_name
        self.full_shape = full_shape
        self.var_offset = var_offset
        self.var_shape = var_shape

    @property
    def spec(self) -> str:
        full = " ".join(f"{d}" for d in self.full_shape) + " "
        return full + ":".join(
            f"{o},{s}" for o, s in zip(self.var_offset, self.var_shape, strict=True)
        )

    def __repr__(self) -> str:
        return f"SaveSliceInfo({self.full_name!r}, {self.spec!r})"


def slice_slot_like(primary, slot) -> None:
    """Gives ``slot`` (an optimizer slot or a moving average of ``primary``, named
    ``<primary>/<suffix>``) the slicing of ``primary`` when that is a part of a partitioned
    variable: ``w/part_0/Adam`` is saved as a slice of ``w/Adam``, as TF1's slot_creator does
    (on the leading dimensions the slot has)."""
    info = primary._get_save_slice_info()
    n = slot.shape.ndims
    if info is None or n == 0:
        return
    suffix = slot.op.name[len(primary.op.name) + 1 :]
    slot._set_save_slice_info(
        SaveSliceInfo(
            f"{info.full_name}/{suffix}",
            info.full_shape[:n],
            info.var_offset[:n],
            info.var_shape[:n],
        )
    )


def call_partitioner(partitioner, shape: tensor_shape.TensorShape, dtype) -> list:
    """``partitioner``'s answer for ``shape``, checked as TF1 checks it."""
    if not shape.is_fully_defined():
        raise ValueError(
            f"Shape of a new partitioned variable must be fully defined, but instead was {shape}."
        )
    if shape.ndims < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, Sequence):
        raise ValueError(f"Partitioner must return a sequence, but saw: {slicing}")
    if len(slicing) != shape.ndims:
        raise ValueError(
            "Partitioner returned a partition list that does not match the Variable's rank: "
            f"{slicing} vs. {shape}"
        )
    if any(p < 1 for p in slicing):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {slicing}")
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError(
            f"Can only slice a variable along one dimension: shape: {shape}, partitioning: "
            f"{slicing}"
        )
    return slicing


def slice_dim_and_count(partitions) -> tuple[int, int]:
    """The axis cut and into how many parts (axis 0 and one part when none is cut)."""
    for dim, count in enumerate(partitions):
        if count > 1:
            return dim, count
    return 0, 1


def iter_slices(full_shape: list, count: int, dim: int):
    """``(offset, shape)`` of each part: the first ``size % count`` parts one longer."""
    excess = full_shape[dim] % count
    offset = [0] * len(full_shape)
    smallest = full_shape[dim] // count
    for i in range(count):
        shape = list(full_shape)
        shape[dim] = smallest + (i < excess)
        yield offset[:], shape
        offset[dim] += shape[dim]


# -- the container -----------------------------------------------------------------------------


class PartitionedVariable:
    """The parts of a partitioned variable, in order of their offsets.

    Iterating gives the parts (``tf.Variable``s, in ``GLOBAL_VARIABLES``); as a tensor
    (``tf.convert_to_tensor``, ``tf.matmul(x, w)``) it is their concatenation, rebuilt at
    each conversion as TF1 does.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", [5, 2], partitioner=tf.fixed_size_partitioner(2))
    ...     t = tf.convert_to_tensor(w)
    >>> len(w), w.get_shape().as_list(), t.name, t.op.inputs[0].name
    (2, [5, 2], 'w:0', 'w/ConcatPartitions/concat:0')
    """

    def __init__(self, name, shape, dtype, variable_list, partitions):
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError(f"variable_list is not a list or tuple: {variable_list}")
        if not isinstance(partitions, (list, tuple)):
            raise TypeError(f"partitions is not a list or tuple: {partitions}")
        if not all(p >= 1 for p in partitions):
            raise ValueError(f"partition values must be positive: {partitions}")
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        shape = tensor_shape.as_shape(shape)
        if any(v._get_save_slice_info() is None for v in variable_list):
            raise ValueError(
                "All variables must have a save_slice_info available: "
                f"{[v.name for v in variable_list]}"
            )
        if len(shape) != len(partitions):
            raise ValueError(f"len(shape) != len(partitions): {shape} vs. {partitions}")
        for v in variable_list:
            if v._get_save_slice_info().full_shape != shape.as_list():
                raise ValueError(
                    f"All variables' full shapes must match shape: {shape}; but full shapes "
                    f"were: {[v._get_save_slice_info().full_shape]}"
                )
        self._variable_list = sorted(
            variable_list, key=lambda v: v._get_save_slice_info().var_offset
        )
        self._name = name
        self._shape = shape
        self._dtype = dtypes.as_dtype(dtype)
        self._partitions = list(partitions)

    def __iter__(self):
        return iter(self._variable_list)

    def __len__(self) -> int:
        axes = self._partition_axes()
        if len(axes) > 1:
            raise ValueError(f"Cannot get a length for {len(axes)} > 1 partition axes")
        return len(self._variable_list)

    def __repr__(self) -> str:
        return (
            f"<PartitionedVariable '{self._name}' shape={self._shape} dtype={self._dtype.name} "
            f"partitions={self._partitions}>"
        )

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)
    graph = property(lambda self: self._variable_list[0].graph)

    def get_shape(self) -> tensor_shape.TensorShape:
        return self._shape

    def _partition_axes(self) -> list[int]:
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _get_variable_list(self) -> list:
        return self._variable_list

    get_variable_list = _get_variable_list

    def _get_partitions(self) -> list[int]:
        return self._partitions

    def _concat(self):
        """The parts concatenated (keeping the current control dependencies):
        ``<name>/ConcatPartitions/concat``, then an ``Identity`` named ``<name>``."""
        graph = get_default_graph()
        if len(self._variable_list) == 1:
            with graph.name_scope(None):
                return array_ops.identity(self._variable_list[0], name=self._name)
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(
                f"Cannot concatenate along more than one dimension: {axes}.  Multi-axis "
                "partition concat is not supported"
            )
        with graph.name_scope(self._name + "/ConcatPartitions/"):
            joined = concat(self._variable_list, axes[0])
        with graph.name_scope(None):
            return array_ops.identity(joined, name=self._name)

    def as_tensor(self):
        """The parts concatenated, outside any control dependencies (like a variable's read)."""
        with get_default_graph().control_dependencies(None):
            return self._concat()

    def _apply_assign_fn(self, assign_fn, value) -> list:
        axes = self._partition_axes()
        if len(axes) > 1:
            raise NotImplementedError(
                f"Cannot do assign action along more than one dimension: {axes}.  Multi-axis "
                "partition assign action is not supported "
            )
        if isinstance(value, list):
            if len(value) != len(self._variable_list):
                raise ValueError(
                    f"Assigning {len(value)} values to the {len(self._variable_list)} parts of "
                    f"{self._name}: give one value per part"
                )
            values = value
        elif isinstance(value, PartitionedVariable):
            values = list(value)
        else:
            sizes = [v.shape.dims[axes[0]].value for v in self._variable_list]
            values = split(value, sizes, axis=axes[0])
        return [assign_fn(v, values[i]) for i, v in enumerate(self._variable_list)]

    def assign(self, value, use_locking=False, name=None, read_value=True) -> list:
        """Assigns ``value`` (the whole, a list of parts' values or another partitioned
        variable) part by part: one assign op per part."""
        return self._apply_assign_fn(
            lambda v, x: v.assign(x, use_locking=use_locking, name=name, read_value=read_value),
            value,
        )

    def assign_add(self, value, use_locking=False, name=None, read_value=True) -> list:
        return self._apply_assign_fn(
            lambda v, x: v.assign_add(x, use_locking=use_locking, name=name, read_value=read_value),
            value,
        )

    def assign_sub(self, value, use_locking=False, name=None, read_value=True) -> list:
        return self._apply_assign_fn(
            lambda v, x: v.assign_sub(x, use_locking=use_locking, name=name, read_value=read_value),
            value,
        )


def _to_tensor(v: PartitionedVariable, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtype.is_compatible_with(v.dtype):
        raise ValueError(
            f"Incompatible type conversion requested to type '{dtype.name}' for variable of type "
            f"'{v.dtype.name}'"
        )
    if as_ref:
        raise NotImplementedError("PartitionedVariable doesn't support being used as a reference.")
    return v.as_tensor()


register_tensor_conversion_function(PartitionedVariable, _to_tensor)
