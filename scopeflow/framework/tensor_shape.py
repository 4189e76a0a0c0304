"""TF1's static shapes: ``Dimension`` (a size or unknown) and ``TensorShape`` (v1 behaviour).

An unknown dimension is ``None`` (printed ``?``); an unknown rank is ``TensorShape(None)``.
As in TF1, iterating or indexing a shape gives ``Dimension`` objects, and comparing an
unknown ``Dimension`` gives ``None`` rather than a bool.

>>> shape = TensorShape([2, None])
>>> shape, str(shape), shape.as_list()
(TensorShape([Dimension(2), Dimension(None)]), '(2, ?)', [2, None])
>>> shape.merge_with([None, 3])
TensorShape([Dimension(2), Dimension(3)])
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class Dimension:
    """The size of one axis of a tensor, or ``None`` when unknown."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        if isinstance(value, Dimension):
            value = value._value
        if value is None:
            self._value = None
            return
        try:
            size = int(operator.index(value))
        except TypeError:
            raise TypeError(
                "Dimension value must be integer or None or have an __index__ method, "
                f"got value {value!r} with type {type(value).__name__!r}"
            ) from None
        if size < 0:
            raise ValueError(f"Dimension {size} must be >= 0")
        self._value: int | None = size

    @property
    def value(self) -> int | None:
        """The size as an int, or None when unknown."""
        return self._value

    def _known_value(self) -> int:
        if self._value is None:
            raise TypeError("Cannot convert an unknown Dimension to an int.")
        return self._value

    def __int__(self) -> int:
        return self._known_value()

    def __index__(self) -> int:
        return self._known_value()

    def __float__(self) -> float:
        return float(self._known_value())

    def __bool__(self) -> bool:
        return bool(self._value)

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return f"Dimension({self._value!r})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __reduce__(self) -> tuple[type, tuple[int | None]]:
        return Dimension, (self._value,)

    def is_compatible_with(self, other: Any) -> bool:
        """Whether the sizes are equal or either is unknown."""
        other = as_dimension(other)
        return self._value is None or other._value is None or self._value == other._value

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ValueError if ``other`` is not compatible with this dimension."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other: Any) -> Dimension:
        """The known one of two compatible dimensions (unknown if both are).

        >>> Dimension(None).merge_with(5)
        Dimension(5)

        Raises:
            ValueError: if the dimensions are known and differ.
        """
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other._value)

    # Comparisons: None when either side is unknown, as in TF1.

    def _compare(self, other: Any, compare: Callable[[int, int], bool]) -> Any:
        other = _coerce(other)
        if other is None:
            return NotImplemented
        if self._value is None or other._value is None:
            return None
        return compare(self._value, other._value)

    def __eq__(self, other: object) -> Any:
        return self._compare(other, operator.eq)

    def __ne__(self, other: object) -> Any:
        return self._compare(other, operator.ne)

    def __lt__(self, other: Any) -> Any:
        return self._compare(other, operator.lt)

    def __le__(self, other: Any) -> Any:
        return self._compare(other, operator.le)

    def __gt__(self, other: Any) -> Any:
        return self._compare(other, operator.gt)

    def __ge__(self, other: Any) -> Any:
        return self._compare(other, operator.ge)

    # Arithmetic: unknown in, unknown out.

    def _combine(self, other: Any, combine: Callable[[int, int], int], reverse: bool) -> Any:
        other = _coerce(other)
        if other is None:
            return NotImplemented
        if self._value is None or other._value is None:
            return Dimension(None)
        left, right = (other._value, self._value) if reverse else (self._value, other._value)
        return Dimension(combine(left, right))

    def __add__(self, other: Any) -> Dimension:
        return self._combine(other, operator.add, False)

    def __radd__(self, other: Any) -> Dimension:
        return self._combine(other, operator.add, True)

    def __sub__(self, other: Any) -> Dimension:
        return self._combine(other, operator.sub, False)

    def __rsub__(self, other: Any) -> Dimension:
        return self._combine(other, operator.sub, True)

    def __mul__(self, other: Any) -> Dimension:
        return self._combine(other, operator.mul, False)

    def __rmul__(self, other: Any) -> Dimension:
        return self._combine(other, operator.mul, True)

    def __floordiv__(self, other: Any) -> Dimension:
        return self._combine(other, operator.floordiv, False)

    def __rfloordiv__(self, other: Any) -> Dimension:
        return self._combine(other, operator.floordiv, True)

    def __mod__(self, other: Any) -> Dimension:
        return self._combine(other, operator.mod, False)

    def __rmod__(self, other: Any) -> Dimension:
        return self._combine(other, operator.mod, True)

    def __truediv__(self, other: Any) -> Dimension:
        raise TypeError(
            f"unsupported operand type(s) for /: 'Dimension' and {type(other).__name__!r}, "
            "please use // instead"
        )

    def __rtruediv__(self, other: Any) -> Dimension:
        raise TypeError(
            f"unsupported operand type(s) for /: {type(other).__name__!r} and 'Dimension', "
            "please use // instead"
        )


DimensionLike = int | Dimension | None


def _coerce(value: Any) -> Dimension | None:
    """``value`` as a Dimension, or None when it is not one (for operator fallbacks)."""
    try:
        return as_dimension(value)
    except (TypeError, ValueError):
        return None


def as_dimension(value: DimensionLike) -> Dimension:
    """``value`` if it is a Dimension, else ``Dimension(value)``."""
    return value if isinstance(value, Dimension) else Dimension(value)


def dimension_value(dimension: Any) -> Any:
    """The plain value of a Dimension (int or None); any other value is returned as is."""
    return dimension._value if isinstance(dimension, Dimension) else dimension


def dimension_at_index(shape: ShapeLike, index: int) -> Dimension:
    """``shape[index]`` as a Dimension; unknown when the rank is unknown."""
    return as_shape(shape)[index]


def _dims_tuple(dims: Any) -> tuple[int | None, ...]:
    if type(dims) in (list, tuple) and all(d is None or (type(d) is int and d >= 0) for d in dims):
        return tuple(dims)  # the common case, without a Dimension per entry
    try:
        items = iter(dims)
    except TypeError:
        return (as_dimension(dims)._value,)
    try:
        return tuple(as_dimension(item)._value for item in items)
    except TypeError as error:
        raise TypeError(
            f"Failed to convert {dims!r} to a shape: {error}. A shape should be a single "
            "dimension (e.g. 10) or an iterable of dimensions (e.g. [1, 10, None])."
        ) from None


# The TensorShapeProto maker (scopeflow.graph_io, a layer above) registered at import.
_SHAPE_PROTO: list = []


def register_shape_proto_maker(fn) -> None:
    """Called once by ``scopeflow.graph_io``: ``fn(shape)`` is ``shape``'s TensorShapeProto."""
    _SHAPE_PROTO[:] = [fn]


class TensorShape:
    """The static shape of a tensor: a list of Dimensions, or unknown rank (``dims is None``).

    >>> TensorShape([2, 3]).concatenate([None]), TensorShape(None).with_rank(2)
    (TensorShape([Dimension(2), Dimension(3), Dimension(None)]), \
TensorShape([Dimension(None), Dimension(None)]))
    """

    __slots__ = ("_dims",)

    def __init__(self, dims: ShapeLike) -> None:
        if dims is None:
            self._dims: tuple[int | None, ...] | None = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif hasattr(dims, "unknown_rank") and hasattr(dims, "dim"):  # a TensorShapeProto
            sizes = [None if d.size == -1 else d.size for d in dims.dim]
            self._dims = None if dims.unknown_rank else _dims_tuple(sizes)
        else:
            self._dims = _dims_tuple(dims)

    @property
    def dims(self) -> list[Dimension] | None:
        """The dimensions as a list of Dimension objects, or None for an unknown rank."""
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self) -> int | None:
        """The rank, or None when unknown."""
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __iter__(self) -> Iterator[Dimension]:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter([Dimension(d) for d in self._dims])

    def __getitem__(self, key: int | slice) -> Any:
        """A Dimension for an int key, a TensorShape for a slice (unknown if the rank is)."""
        if self._dims is not None:
            if isinstance(key, slice):
                return TensorShape(self._dims[key])
            return Dimension(self._dims[key])
        if not isinstance(key, slice):
            operator.index(key)
            return Dimension(None)
        if key.step is not None:
            raise ValueError("Steps are not yet handled")
        start = 0 if key.start is None else operator.index(key.start)
        if key.stop is None or start < 0 or key.stop < 0:
            return unknown_shape()
        return unknown_shape(rank=max(operator.index(key.stop) - start, 0))

    def as_proto(self):
        """This shape as TensorFlow's ``TensorShapeProto`` (-1 for an unknown dimension).

        >>> print(TensorShape([2, None]).as_proto())
        dim {
          size: 2
        }
        dim {
          size: -1
        }
        <BLANKLINE>
        """
        return _SHAPE_PROTO[0](self)

    def as_list(self) -> list[int | None]:
        """The dimensions as a list of ints and Nones.

        Raises:
            ValueError: if the rank is unknown.
        """
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self) -> bool:
        """Whether the rank and every dimension are known."""
        return self._dims is not None and None not in self._dims

    def assert_is_fully_defined(self) -> None:
        """Raises ValueError if the shape is not fully defined."""
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def num_elements(self) -> int | None:
        """The number of elements (1 for a scalar), or None if not fully defined."""
        return math.prod(self._dims) if self.is_fully_defined() else None

    def is_compatible_with(self, other: ShapeLike) -> bool:
        """Whether the shapes could describe the same tensor (unknowns match anything)."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        return len(self._dims) == len(other._dims) and all(
            a is None or b is None or a == b for a, b in zip(self._dims, other._dims, strict=True)
        )

    def assert_is_compatible_with(self, other: ShapeLike) -> None:
        """Raises ValueError if ``other`` is not compatible with this shape."""
        other = as_shape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are incompatible")

    def merge_with(self, other: ShapeLike) -> TensorShape:
        """The shape combining what both shapes know.

        >>> TensorShape([2, None]).merge_with([None, 4])
        TensorShape([Dimension(2), Dimension(4)])

        Raises:
            ValueError: if the shapes are not compatible.
        """
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        pairs = zip(self._dims, other._dims, strict=True)
        return TensorShape([a if a is not None else b for a, b in pairs])

    def most_specific_compatible_shape(self, other: ShapeLike) -> TensorShape:
        """The most specific shape compatible with both: dims that differ become unknown."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return unknown_shape()
        pairs = zip(self._dims, other._dims, strict=True)
        return TensorShape([a if a == b else None for a, b in pairs])

    def concatenate(self, other: ShapeLike) -> TensorShape:
        """The dimensions of ``self`` followed by those of ``other``; unknown if either is."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return unknown_shape()
        return TensorShape(self._dims + other._dims)

    __concat__ = concatenate
    __add__ = concatenate

    def __radd__(self, other: ShapeLike) -> TensorShape:
        return as_shape(other).concatenate(self)

    def with_rank(self, rank: int) -> TensorShape:
        """This shape merged with an unknown shape of rank ``rank``.

        Raises:
            ValueError: if the rank is known and differs.
        """
        try:
            return self.merge_with(unknown_shape(rank=rank))
        except ValueError:
            raise ValueError(f"Shape {self} must have rank {rank}") from None

    def with_rank_at_least(self, rank: int) -> TensorShape:
        """This shape, checked to have rank ``rank`` or more (or unknown rank)."""
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        """This shape, checked to have rank ``rank`` or less (or unknown rank)."""
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        """Raises ValueError if the rank is known and is not ``rank``."""
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other: ShapeLike) -> None:
        """Raises ValueError if both ranks are known and differ."""
        other = as_shape(other)
        if self._dims is not None and other._dims is not None:
            if len(self._dims) != len(other._dims):
                raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def __eq__(self, other: object) -> bool:
        """Equal when the dims match exactly, unknowns included (``[None] == [None]``)."""
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._dims)

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape([{', '.join(repr(Dimension(d)) for d in self._dims)}])"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        text = ", ".join("?" if d is None else str(d) for d in self._dims)
        return f"({text},)" if len(self._dims) == 1 else f"({text})"

    def __reduce__(self) -> tuple[type, tuple[list[int | None] | None]]:
        return TensorShape, (None if self._dims is None else list(self._dims),)


ShapeLike = TensorShape | Iterable[DimensionLike] | int | Dimension | None


def as_shape(shape: ShapeLike) -> TensorShape:
    """``shape`` if it is a TensorShape, else ``TensorShape(shape)``."""
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank: int | None = None) -> TensorShape:
    """A shape of unknown rank, or of rank ``rank`` with every dimension unknown."""
    return TensorShape(None if rank is None else [None] * rank)


def _broadcast_dim(a: int | None, b: int | None, x: TensorShape, y: TensorShape) -> int | None:
    if a == 1:
        return b
    if b == 1 or b is None or a == b:
        return a
    if a is None:
        return b
    raise ValueError(f"Dimensions must be equal, but are {a} and {b} for input shapes {x} and {y}.")


def broadcast_shapes(shape_x: ShapeLike, shape_y: ShapeLike) -> TensorShape:
    """The static shape of broadcasting ``shape_x`` against ``shape_y`` (NumPy's rules).

    An unknown dimension paired with 1 stays unknown; paired with another known size it takes
    that size (the only size that could broadcast). An unknown rank gives an unknown shape.

    >>> broadcast_shapes([None, 1, 3], [4, 1])
    TensorShape([Dimension(None), Dimension(4), Dimension(3)])

    Raises:
        ValueError: "Dimensions must be equal, but are 3 and 4 ..." when sizes clash.
    """
    x, y = as_shape(shape_x), as_shape(shape_y)
    if x._dims is None or y._dims is None:
        return unknown_shape()
    rank = max(len(x._dims), len(y._dims))
    xs = (1,) * (rank - len(x._dims)) + x._dims
    ys = (1,) * (rank - len(y._dims)) + y._dims
    return TensorShape([_broadcast_dim(a, b, x, y) for a, b in zip(xs, ys, strict=True)])
