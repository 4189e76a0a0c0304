"""``tf.ragged.RaggedTensorValue`` (a ragged tensor's NumPy value, as ``Session.run`` returns
it) and the parsing of nested Python lists shared by ``tf.ragged.constant`` and
``tf.ragged.constant_value``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes


class RaggedTensorValue:
    """The value of a ``RaggedTensor``: NumPy ``values`` (an array, or another
    ``RaggedTensorValue``) partitioned into rows by the NumPy ``row_splits``.

    >>> import numpy as np
    >>> v = RaggedTensorValue(np.array([1, 2, 3]), np.array([0, 2, 3, 3]))
    >>> v.to_list()
    [[1, 2], [3], []]
    """

    def __init__(self, values, row_splits):
        if not isinstance(row_splits, (np.ndarray, np.generic)) or row_splits.dtype not in (
            np.int32,
            np.int64,
        ):
            raise TypeError(
                f"row_splits must be a 1D int32 or int64 numpy array, got {row_splits!r}"
            )
        if not isinstance(values, (np.ndarray, np.generic, RaggedTensorValue)):
            raise TypeError(f"values must be a numpy array or a RaggedTensorValue, got {values!r}")
        if isinstance(values, RaggedTensorValue) and values.row_splits.dtype != row_splits.dtype:
            raise ValueError("row_splits and values.row_splits must have the same dtype")
        self._values = values
        self._row_splits = row_splits

    row_splits = property(lambda self: self._row_splits, doc="The row splits (NumPy).")
    values = property(lambda self: self._values, doc="The values: an array or a ragged value.")

    @property
    def flat_values(self) -> np.ndarray:
        """The innermost values, a NumPy array."""
        values = self._values
        while isinstance(values, RaggedTensorValue):
            values = values.values
        return values

    @property
    def nested_row_splits(self) -> tuple:
        """The row splits of each ragged level, outermost first."""
        found, rt = [], self
        while isinstance(rt, RaggedTensorValue):
            found.append(rt.row_splits)
            rt = rt.values
        return tuple(found)

    @property
    def ragged_rank(self) -> int:
        inner = self._values
        return 1 + (inner.ragged_rank if isinstance(inner, RaggedTensorValue) else 0)

    @property
    def dtype(self) -> np.dtype:
        return self.flat_values.dtype

    @property
    def shape(self) -> tuple:
        """``(nrows, None, ..., inner dims of the values)``."""
        return (
            (self._row_splits.shape[0] - 1,)
            + (None,) * self.ragged_rank
            + tuple(self.flat_values.shape[1:])
        )

    def to_list(self) -> list:
        """The value as nested Python lists (strings stay bytes)."""
        values = self._values
        inner = values.to_list() if isinstance(values, RaggedTensorValue) else values.tolist()
        splits = self._row_splits.tolist()
        return [inner[start:limit] for start, limit in zip(splits[:-1], splits[1:], strict=True)]

    def __str__(self) -> str:
        return f"<tf.RaggedTensorValue {self.to_list()}>"

    def __repr__(self) -> str:
        return f"tf.RaggedTensorValue(values={self._values!r}, row_splits={self._row_splits!r})"


def _scalar_depths(value, depth: int, found: set) -> None:
    if isinstance(value, (list, tuple)):
        for item in value:
            _scalar_depths(item, depth + 1, found)
    else:
        found.add(depth)


def _max_depth(value) -> int:
    if isinstance(value, (list, tuple)):
        return 1 + max((_max_depth(v) for v in value), default=0)
    return 0


def parse_nested(pylist, ragged_rank, inner_shape):
    """``(ragged_rank, splits outermost first (lists of ints), flat values (a list), the
    values' inner shape)`` for a nested Python list, as ``tf.ragged.constant`` reads it; a
    ragged rank of 0 means a dense value (``pylist`` itself is returned as the values).

    Raises:
        ValueError: scalars at different depths, or a bad ``ragged_rank``/``inner_shape``.
    """
    depths: set = set()
    _scalar_depths(pylist, 0, depths)
    if len(depths) > 1:
        raise ValueError("all scalar values must have the same nesting depth")
    depth = depths.pop() if depths else _max_depth(pylist)
    if inner_shape is not None:
        inner_shape = tuple(int(d) for d in inner_shape)
    if ragged_rank is None:
        inner_rank = 0 if inner_shape is None else len(inner_shape)
        ragged_rank = max(0, depth - 1 - inner_rank)
    elif ragged_rank < 0:
        raise ValueError(f"Invalid ragged_rank={ragged_rank}: must be nonnegative")
    elif depths and ragged_rank >= depth:  # an empty list may have any depth
        raise ValueError(f"Invalid pylist={pylist!r}: incompatible with ragged_rank={ragged_rank}")
    if not isinstance(pylist, (list, tuple)) or ragged_rank == 0:
        return 0, [], pylist, inner_shape
    levels = [list(pylist)]
    splits = []
    for _ in range(ragged_rank):
        rows = levels[-1]
        for row in rows:
            if not isinstance(row, (list, tuple)):
                raise ValueError("all scalar values must have the same nesting depth")
        counts = [len(r) for r in rows]
        splits.append([0, *np.cumsum(counts, dtype=np.int64).tolist()])
        levels.append([item for row in rows for item in row])
    values = levels[-1]
    if inner_shape is None:
        inner_shape = _uniform_shape(values, depth - ragged_rank - 1 if depths else None)
    return ragged_rank, splits, values, inner_shape


def _uniform_shape(values: list, inner_rank: int | None) -> tuple:
    """The shape shared by every item of ``values`` (each ``inner_rank`` deep)."""
    if not values:
        return () if inner_rank is None else (0,) * inner_rank
    shapes = {np.shape(np.array(v, dtype=object)) for v in values}
    if len(shapes) != 1:
        raise ValueError("inner values have inconsistent shape")
    return shapes.pop()


def constant_value(pylist, dtype=None, ragged_rank=None, inner_shape=None,
                   row_splits_dtype="int64"):  # fmt: skip
    """A ``RaggedTensorValue`` (or, for ``ragged_rank=0``, a NumPy array) of a nested list.

    >>> constant_value([[1, 2], [3]]).to_list()
    [[1, 2], [3]]
    """
    splits_dtype = dtypes.as_dtype(row_splits_dtype).as_numpy_dtype
    if isinstance(dtype, dtypes.DType):
        dtype = dtype.as_numpy_dtype
    rank, splits, values, inner = parse_nested(pylist, ragged_rank, inner_shape)
    if rank == 0:
        return np.array(values, dtype=dtype)
    array = np.array(values, dtype=dtype)
    if not values:
        array = np.zeros((0, *inner), dtype or np.float64)
    result = array.reshape((len(values), *inner))
    for s in reversed(splits):
        result = RaggedTensorValue(result, np.array(s, splits_dtype))
    return result
