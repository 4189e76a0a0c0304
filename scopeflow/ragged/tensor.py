"""``tf.RaggedTensor``: ``values`` (a tensor, or another ragged tensor) cut into rows of
varying length by ``row_splits`` (int64 by default): row ``i`` is
``values[row_splits[i]:row_splits[i + 1]]``.

A ragged tensor is not an op's output: it groups its component tensors, and every method
builds ordinary ops on them as TF does. ``Session.run`` fetches its ``flat_values`` and
``nested_row_splits`` and returns a ``tf.ragged.RaggedTensorValue``; a ragged placeholder is
fed one (``_session_fetches``/``_session_feeds`` below, the protocol ``session/fetch.py``
reads).
"""

from __future__ import annotations

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import convert_to_tensor, register_tensor_conversion_function
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.assertions import assert_equal
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ragged import (
    conversions,
    indexing,
    kernels,  # noqa: F401 - registers the ragged op types
    partition,
)
from scopeflow.ragged.value import RaggedTensorValue

TensorShape = tensor_shape.TensorShape


def _nested_list(arg: str, value) -> list:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Argument `{arg}` must be a list of Tensors. Received {value}.")
    return list(value)


class RaggedTensor:
    """A tensor with rows of varying length.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     rt = tf.RaggedTensor.from_row_splits([3, 1, 4, 1, 5], row_splits=[0, 2, 2, 5])
    ...     print(tf.Session().run(rt).to_list())
    [[3, 1], [], [4, 1, 5]]
    """

    def __init__(self, values, row_splits, internal=False, uniform_row_length=None):
        if not internal:
            raise ValueError(
                "RaggedTensor constructor is private; please use one of the factory methods "
                "instead (e.g., RaggedTensor.from_row_lengths())"
            )
        if isinstance(values, RaggedTensor) and values.row_splits.dtype != row_splits.dtype:
            raise ValueError(
                "dtype mismatch: row_splits are "
                f"{row_splits.dtype.name} but the values' are {values.row_splits.dtype.name}; "
                "use RaggedTensor.with_row_splits_dtype"
            )
        self._values = values
        self._row_splits = row_splits
        self._uniform_row_length = uniform_row_length  # static: every row this long

    # -- factories -------------------------------------------------------------------------

    @classmethod
    def _from_partition(cls, values, splits: Tensor, validate: bool) -> RaggedTensor:
        """Pairs ``values`` (converted here, as ``values``) with checked ``splits``."""
        if not isinstance(values, RaggedTensor):
            values = convert_to_tensor(values, name="values")
            if values.shape.ndims == 0:
                raise ValueError("values must have rank at least 1 (got a scalar)")
        elif values.row_splits.dtype != splits.dtype:
            splits = cast(splits, values.row_splits.dtype)
        if validate:
            nvals = _nrows_of_values(values, splits.dtype)
            message = "Arguments to _from_row_partition do not form a valid RaggedTensor"
            check = assert_equal(splits[-1], nvals, message=message)
            with control_dependencies([check]):
                splits = identity(splits, name="control_dependency")
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True) -> RaggedTensor:
        """Row ``i`` is ``values[row_splits[i]:row_splits[i + 1]]``."""
        with name_scope(name, "RaggedFromRowSplits", _tensors([values, row_splits])):
            splits = partition.from_row_splits(row_splits, validate)
            return cls._from_partition(values, splits, validate)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True) -> RaggedTensor:
        """Row ``i`` holds the next ``row_lengths[i]`` values."""
        with name_scope(name, "RaggedFromRowLengths", _tensors([values, row_lengths])):
            splits = partition.from_row_lengths(row_lengths, validate)
            return cls._from_partition(values, splits, validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Value ``j`` goes to row ``value_rowids[j]`` (sorted); ``nrows`` rows in all."""
        with name_scope(name, "RaggedFromValueRowIds", _tensors([values, value_rowids, nrows])):
            if not isinstance(values, RaggedTensor):
                values = convert_to_tensor(values, name="values")
            rowids, splits = partition.from_value_rowids(value_rowids, nrows, validate)
            if values.shape.ndims is not None:
                values.shape[:1].assert_is_compatible_with(rowids.shape)
            return cls._from_partition(values, splits, validate)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True) -> RaggedTensor:
        """Row ``i`` starts at ``values[row_starts[i]]`` and ends where the next starts."""
        with name_scope(name, "RaggedFromRowStarts", _tensors([values, row_starts])):
            if not isinstance(values, RaggedTensor):
                values = convert_to_tensor(values, name="values")
            starts = partition.partition_tensor(row_starts, "row_starts")
            nvals = _nrows_of_values(values, starts.dtype)
            splits = partition.from_row_starts(starts, nvals, validate)
            return cls._from_partition(values, splits, validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True) -> RaggedTensor:
        """Row ``i`` ends at ``values[row_limits[i]]`` and starts where the previous ends."""
        with name_scope(name, "RaggedFromRowLimits", _tensors([values, row_limits])):
            splits = partition.from_row_limits(row_limits, validate)
            return cls._from_partition(values, splits, validate)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        """Splits for each ragged level, outermost first, over ``flat_values``."""
        nested = _nested_list("nested_row_splits", nested_row_splits)
        with name_scope(name, "RaggedFromNestedRowSplits", _tensors([flat_values, *nested])):
            result = flat_values
            for splits in reversed(nested):
                result = cls.from_row_splits(result, splits, validate=validate)
            return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        """Row lengths for each ragged level, outermost first, over ``flat_values``."""
        nested = _nested_list("nested_row_lengths", nested_row_lengths)
        with name_scope(name, "RaggedFromNestedRowlengths", _tensors([flat_values, *nested])):
            result = flat_values
            for lengths in reversed(nested):
                result = cls.from_row_lengths(result, lengths, validate=validate)
            return result

    @classmethod
    def from_nested_value_rowids(cls, flat_values, nested_value_rowids, nested_nrows=None,
                                 name=None, validate=True):  # fmt: skip
        """Value row ids (and row counts) for each ragged level, outermost first."""
        nested = _nested_list("nested_value_rowids", nested_value_rowids)
        if nested_nrows is None:
            nested_nrows = [None] * len(nested)
        elif len(_nested_list("nested_nrows", nested_nrows)) != len(nested):
            raise ValueError("Argument `nested_nrows` must have the same length as "
                             "argument `nested_value_rowids`.")  # fmt: skip
        with name_scope(name, "RaggedFromNestedValueRowIds", _tensors([flat_values, *nested])):
            result = flat_values
            for rowids, nrows in reversed(list(zip(nested, nested_nrows, strict=True))):
                result = cls.from_value_rowids(result, rowids, nrows, validate=validate)
            return result

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None,
                    row_splits_dtype=dtypes.int64):  # fmt: skip
        """The rows of a dense ``tensor``, cut at ``lengths`` or where only ``padding`` is left.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     rt = tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0]], padding=0)
        ...     print(tf.Session().run(rt).to_list())
        [[1, 2], [3]]
        """
        return conversions.from_tensor(
            cls, tensor, lengths, padding, ragged_rank, name, row_splits_dtype
        )

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=dtypes.int64) -> RaggedTensor:
        """The rows of a 2-D ``SparseTensor`` whose rows are packed to the left."""
        return conversions.from_sparse(cls, st_input, name, row_splits_dtype)

    # -- components ----------------------------------------------------------------------

    @property
    def values(self):
        """The concatenated rows: a tensor, or a ragged tensor one ragged level down."""
        return self._values

    @property
    def row_splits(self) -> Tensor:
        """Where each row starts in ``values`` (``nrows + 1`` entries, first 0)."""
        return self._row_splits

    @property
    def flat_values(self) -> Tensor:
        """The innermost values, a tensor."""
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values.values
        return values

    @property
    def nested_row_splits(self) -> tuple:
        """The row splits of each ragged level, outermost first."""
        found, rt = [], self
        while isinstance(rt, RaggedTensor):
            found.append(rt.row_splits)
            rt = rt.values
        return tuple(found)

    @property
    def ragged_rank(self) -> int:
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    @property
    def dtype(self) -> dtypes.DType:
        return self.flat_values.dtype

    @property
    def graph(self):
        return self._row_splits.graph

    @property
    def shape(self) -> TensorShape:
        """``[nrows, None, ..., the flat values' inner dims]`` as far as known."""
        n = self._row_splits.shape[0].value
        values_shape = self._values.shape
        if values_shape.ndims is None:
            return TensorShape(None)
        rows = [None if n is None else n - 1, self._uniform_row_length]
        return TensorShape(rows).concatenate(values_shape[1:])

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def row_splits_dtype(self) -> dtypes.DType:
        return self._row_splits.dtype

    def nrows(self, out_type=None, name=None) -> Tensor:
        """The number of rows (a scalar of the splits' dtype, or ``out_type``)."""
        with name_scope(name, "RaggedNRows", [self._row_splits]):
            return partition.nrows_of(self._row_splits, out_type)

    def row_starts(self, name=None) -> Tensor:
        with name_scope(name, "RaggedRowStarts", [self._row_splits]):
            return self._row_splits[:-1]

    def row_limits(self, name=None) -> Tensor:
        with name_scope(name, "RaggedRowLimits", [self._row_splits]):
            return self._row_splits[1:]

    def row_lengths(self, axis=1, name=None):
        """The length of each row at ``axis`` (1: a tensor; deeper: a ragged tensor)."""
        if axis == 0:
            raise ValueError("axis=0 is not a ragged dimension: use nrows()")
        if axis < 0 or axis > self.ragged_rank:
            if axis < 0 and axis + self.ragged_rank + 1 > 0:
                axis += self.ragged_rank + 1
            else:
                raise ValueError(f"axis={axis} out of bounds for ragged_rank {self.ragged_rank}")
        if axis == 1:
            splits = self._row_splits
            return splits[1:] - splits[:-1]
        with name_scope(name, "RaggedRowLengths", [self._row_splits]):
            return self.with_values(self._values.row_lengths(axis - 1))

    def nested_row_lengths(self, name=None) -> tuple:
        with name_scope(name, "RaggedNestedRowLengths"):
            found, rt = [], self
            while isinstance(rt, RaggedTensor):
                found.append(rt.row_lengths())
                rt = rt.values
            return tuple(found)

    def value_rowids(self, name=None) -> Tensor:
        """The row of each of ``values``' rows."""
        with name_scope(name, "RaggedValueRowIds", [self._row_splits]):
            return partition.splits_to_rowids(self._row_splits)

    def nested_value_rowids(self, name=None) -> tuple:
        with name_scope(name, "RaggedNestedValueRowIds"):
            found, rt = [], self
            while isinstance(rt, RaggedTensor):
                found.append(rt.value_rowids())
                rt = rt.values
            return tuple(found)

    def bounding_shape(self, axis=None, name=None, out_type=None) -> Tensor:
        """The smallest dense shape holding every row (int64 by default)."""
        out_type = self._row_splits.dtype if out_type is None else dtypes.as_dtype(out_type)
        with name_scope(name, "RaggedBoundingBox", [self]):
            return conversions.bounding_shape(self, axis, out_type)

    def consumers(self) -> list:
        """The ops reading any of this tensor's components, in the order they were made."""
        found = {op for t in self._session_fetches() for op in t.consumers()}
        return sorted(found, key=lambda op: op._id)

    # -- new tensors with the same rows ------------------------------------------------------

    def with_values(self, new_values) -> RaggedTensor:
        """The same row partition over ``new_values`` (same number of rows)."""
        if not isinstance(new_values, RaggedTensor):
            new_values = convert_to_tensor(new_values)
            new_values.shape.with_rank_at_least(1)
        elif new_values.row_splits.dtype != self._row_splits.dtype:
            raise ValueError("self.row_splits.dtype and new_values.row_splits.dtype differ")
        return RaggedTensor(
            new_values, self._row_splits, internal=True, uniform_row_length=self._uniform_row_length
        )

    def with_flat_values(self, new_values) -> RaggedTensor:
        """The same nested row partitions over new innermost values."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype) -> RaggedTensor:
        """A copy whose row splits are of ``dtype`` (int32 or int64)."""
        dtype = dtypes.as_dtype(dtype)
        if dtype not in (dtypes.int32, dtypes.int64):
            raise ValueError(f"dtype must be int32 or int64, got {dtype.name}")
        if dtype == self._row_splits.dtype:
            return self
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values.with_row_splits_dtype(dtype)
        return RaggedTensor(values, cast(self._row_splits, dtype), True, self._uniform_row_length)

    def _with_uniform_row_length(self, length: int | None) -> RaggedTensor:
        """The same tensor, known while building to have rows of ``length`` each (TF's
        uniform row length: its static shape shows it)."""
        return RaggedTensor(self._values, self._row_splits, True, length)

    def merge_dims(self, outer_axis, inner_axis) -> RaggedTensor | Tensor:
        """Dimensions ``outer_axis..inner_axis`` merged into one."""
        return conversions.merge_dims(self, outer_axis, inner_axis)

    # -- conversions -----------------------------------------------------------------------

    def to_tensor(self, default_value=None, name=None, shape=None) -> Tensor:
        """A dense tensor: rows padded with ``default_value`` (zero) to the longest, or cut
        or padded to ``shape`` (``None``/-1 entries: the longest). One
        ``RaggedTensorToTensor`` op."""
        with name_scope(name, "RaggedToTensor", [self, default_value]):
            if default_value is None:
                default = convert_to_tensor(_zero(self.dtype), dtype=self.dtype, name="zeros")
            else:
                default = convert_to_tensor(default_value, dtype=self.dtype, name="default_value")
            if shape is None:
                shape = self._uniform_shape()
            if shape is None:
                shape_t = convert_to_tensor(-1, dtype=dtypes.int64)
            else:
                dims = [-1 if tensor_shape.dimension_value(d) is None else d for d in shape]
                shape_t = convert_to_tensor(dims, dtype=dtypes.int64)
            splits = list(self.nested_row_splits)
            attrs = {
                "num_row_partition_tensors": len(splits),
                "row_partition_types": ["ROW_SPLITS"] * len(splits),
            }
            return apply_op(
                "RaggedTensorToTensor",
                [shape_t, self.flat_values, default, *splits],
                attrs,
                "RaggedTensorToTensor",
            )

    def _uniform_shape(self) -> list | None:
        """The dense shape ``to_tensor`` pads to when some ragged levels have a uniform row
        length known while building (-1 elsewhere), else None."""
        lengths, rt = [], self
        while isinstance(rt, RaggedTensor):
            lengths.append(rt._uniform_row_length)
            rt = rt.values
        inner = rt.shape.ndims
        if all(n is None for n in lengths) or inner is None:
            return None
        return [None] + lengths + rt.shape.as_list()[1:]

    def to_sparse(self, name=None) -> SparseTensor:
        """The same values as a ``SparseTensor`` (one ``RaggedTensorToSparse`` op)."""
        with name_scope(name, "RaggedToSparse", [self]):
            splits = list(self.nested_row_splits)
            outputs = apply_op(
                "RaggedTensorToSparse",
                [*splits, self.flat_values],
                {"RAGGED_RANK": len(splits)},
                "RaggedTensorToSparse",
            )
            return SparseTensor(*outputs)

    def to_list(self):
        raise ValueError(
            "to_list can only be used in eager mode. In a graph, run the ragged tensor "
            "(Session.run returns a tf.ragged.RaggedTensorValue) and call its to_list()."
        )

    def __getitem__(self, key):
        return indexing.getitem(self, key)

    def __repr__(self) -> str:
        return f"tf.RaggedTensor(values={self._values}, row_splits={self._row_splits})"

    __str__ = __repr__

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    # -- Session.run's protocol for composite tensors -------------------------------------

    def _session_fetches(self) -> list[Tensor]:
        return [self.flat_values, *self.nested_row_splits]

    @staticmethod
    def _session_value(values) -> RaggedTensorValue:
        result = values[0]
        for splits in reversed(values[1:]):
            result = RaggedTensorValue(result, splits)
        return result

    def _session_feeds(self, value) -> list[tuple[Tensor, object]]:
        """``(component, value)`` pairs for a fed ``RaggedTensorValue``."""
        if not isinstance(value, RaggedTensorValue):
            raise TypeError(
                f"Cannot feed value {value!r} to a RaggedTensor: expected a "
                "tf.ragged.RaggedTensorValue (tf.ragged.constant_value makes one from a list)."
            )
        if value.ragged_rank != self.ragged_rank:
            raise ValueError(
                f"Cannot feed a RaggedTensorValue of ragged_rank {value.ragged_rank} to a "
                f"RaggedTensor of ragged_rank {self.ragged_rank}"
            )
        parts = [value.flat_values, *value.nested_row_splits]
        return list(zip(self._session_fetches(), parts, strict=True))


def _zero(dtype: dtypes.DType):
    if dtype == dtypes.string:
        return b""
    if dtype == dtypes.bool:
        return False
    return 0


def _nrows_of_values(values, dtype) -> Tensor:
    if isinstance(values, RaggedTensor):
        return values.nrows(out_type=dtype)
    return shape(values, out_type=dtype)[0]


def _tensors(values) -> list:
    return [v for v in values if isinstance(v, Tensor)]


def _refuse_dense_conversion(value, dtype=None, name=None, as_ref=False):
    raise TypeError(
        f"Failed to convert elements of {value!r} to Tensor: a RaggedTensor is not a dense "
        "Tensor. Use rt.to_tensor() for a padded dense value, rt.flat_values for its values, "
        "or tf.ragged.map_flat_values(op, rt) to apply an op to each value."
    )


register_tensor_conversion_function(RaggedTensor, _refuse_dense_conversion)
