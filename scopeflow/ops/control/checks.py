"""Rank, type and order checks of ``tf.debugging``: ``assert_rank`` (and ``_at_least``,
``_in``), ``assert_type``, ``assert_integer``, ``assert_scalar``, ``assert_proper_iterable``,
``assert_same_float_dtype``, ``is_numeric_tensor``, ``is_non_decreasing``,
``is_strictly_increasing``.

As in TF1, what is known while building is checked then (a ``ValueError`` or ``TypeError`` at
the line that made the check, or a ``NoOp`` such as ``statically_determined_correct_type``
when it holds); the rest becomes an ``Assert`` op checked when run.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.shape import ones_like, rank, size
from scopeflow.ops.control.assertions import Assert, message_prefix
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import no_op, with_dependencies
from scopeflow.ops.core.infer import apply_op, constant_value
from scopeflow.ops.math.elementwise import equal, greater, greater_equal, less, logical_or
from scopeflow.ops.math.reduction import reduce_all

# -- types ------------------------------------------------------------------------------------


@undo.atomic
def assert_type(tensor, tf_type, message=None, name=None):
    """Checks now that ``tensor`` has dtype ``tf_type`` (``TypeError`` if not); returns a
    ``NoOp``."""
    tf_type = dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        tensor = convert_to_tensor(tensor, name="tensor")
        if tensor.dtype != tf_type:
            raise TypeError(
                f"{message_prefix(message)}{tensor.name} must be of type {tf_type!r}; got "
                f"{tensor.dtype!r}"
            )
        return no_op("statically_determined_correct_type")


@undo.atomic
def assert_integer(x, message=None, name=None):
    """Checks now that ``x`` has an integer dtype (``TypeError`` if not); returns a ``NoOp``."""
    with name_scope(name, "assert_integer", [x]):
        x = convert_to_tensor(x, name="x")
        if not x.dtype.is_integer:
            raise TypeError(
                f'{message_prefix(message)}Expected "x" to be integer type.  Found: {x.name} of '
                f"dtype {x.dtype}"
            )
        return no_op("statically_determined_was_integer")


@undo.atomic
def assert_scalar(tensor, name=None, message=None):
    """Checks now that ``tensor`` is a scalar (``ValueError`` if not, or if its rank is
    unknown); returns it."""
    with name_scope(name, "assert_scalar", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name=scope)
        if tensor.shape.ndims != 0:
            raise ValueError(
                f"{message_prefix(message)}Expected scalar shape for {tensor.name}, saw shape: "
                f"{tensor.shape}."
            )
        return tensor


def assert_proper_iterable(values) -> None:
    """Checks that ``values`` is an iterable of values, not one tensor, array or string."""
    if isinstance(values, (Tensor, np.ndarray, bytes, str)):
        raise TypeError(
            f'Expected argument "values" to be a "proper" iterable.  Found: {type(values)}'
        )
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def _same_base_type(items, expected):
    """The base dtype all ``items`` (None skipped) share with ``expected`` (if given)."""
    original, first_name = expected, None
    for item in items:
        if item is None:
            continue
        kind = item.dtype.base_dtype
        if expected is None:
            expected = kind
            if original is None:
                first_name = getattr(item, "name", str(item))
        elif expected != kind:
            also = f" as {first_name}" if first_name else ""
            raise ValueError(
                f"{getattr(item, 'name', str(item))}, type={kind}, must be of the same type "
                f"({expected}){also}."
            )
    return expected


def assert_same_float_dtype(tensors=None, dtype=None):
    """The floating dtype shared by ``tensors`` and ``dtype`` (float32 when neither says).

    Raises:
        ValueError: they differ, or the shared dtype is not floating.
    """
    if tensors:
        dtype = _same_base_type(tensors, dtype)
    if not dtype:
        return dtypes.float32
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype}.")
    return dtype


_NUMERIC = frozenset(
    [
        dtypes.float16,
        dtypes.bfloat16,
        dtypes.float32,
        dtypes.float64,
        dtypes.complex64,
        dtypes.complex128,
        *(dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64),
        *(dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64),
    ]
)


def is_numeric_tensor(tensor) -> bool:
    """Whether ``tensor`` is a Tensor of a number dtype (not bool, not string)."""
    return isinstance(tensor, Tensor) and tensor.dtype in _NUMERIC


# -- ranks ------------------------------------------------------------------------------------


class _StaticRankFailure(Exception):
    """A rank condition known to fail while building: the rank ``x`` has."""

    def __init__(self, actual: int):
        super().__init__(actual)
        self.actual = actual


def _rank_assert(x, ranks, holds, dynamic, data, summarize):
    """Checks ``holds(rank of x, ranks)`` now when both are known (raising
    ``_StaticRankFailure``), else returns an ``Assert`` of ``dynamic(rank(x), ranks)``."""
    for r in ranks:
        assert_type(r, dtypes.int32)
    statics = [constant_value(r) for r in ranks]
    if all(s is not None for s in statics):
        if any(np.ndim(s) != 0 for s in statics):
            raise ValueError("Rank must be a scalar.")
        x_rank = x.shape.ndims
        if x_rank is not None:
            if not holds(x_rank, [int(s) for s in statics]):
                raise _StaticRankFailure(x_rank)
            return no_op(name="static_checks_determined_all_ok")
    condition = dynamic(rank(x), ranks)
    for r, static in zip(ranks, statics, strict=True):
        if static is None:
            check = assert_rank(r, 0, data=["Rank must be a scalar. Received rank: ", r])
            condition = with_dependencies([check], condition)
    return Assert(condition, data, summarize=summarize)


@undo.atomic
def assert_rank(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that ``x`` has rank ``rank``: now when both are known (``ValueError``), else
    when run (an ``Assert`` op).

    >>> import scopeflow as tf
    >>> tf.assert_rank(tf.placeholder(tf.float32, [2, 3]), 2).name
    'assert_rank/static_checks_determined_all_ok'
    >>> try:
    ...     tf.assert_rank(tf.placeholder(tf.float32, [2], name="v"), 2)
    ... except ValueError as e:
    ...     print(e)
    Tensor v:0 must have rank 2.  Received rank 1, shape (2,)
    """
    with name_scope(name, "assert_rank", [x, rank, *(data or [])]):
        x = convert_to_tensor(x, name="x")
        rank = convert_to_tensor(rank, name="rank")
        message = message_prefix(message)
        if data is None:
            data = [message, f"Tensor {x.name} must have rank", rank, "Received shape: ", shape(x)]
        try:
            return _rank_assert(x, [rank], _is_rank, _equal_rank, data, summarize)
        except _StaticRankFailure as e:
            raise ValueError(
                f"{message}Tensor {x.name} must have rank {int(constant_value(rank))}.  Received "
                f"rank {e.actual}, shape {x.shape}"
            ) from None


def _is_rank(actual, ranks):
    return actual == ranks[0]


def _equal_rank(actual, ranks):
    return equal(actual, ranks[0])


@undo.atomic
def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    """Checks that ``x`` has rank ``rank`` or more: now when both are known (``ValueError``),
    else when run."""
    with name_scope(name, "assert_rank_at_least", [x, rank, *(data or [])]):
        x = convert_to_tensor(x, name="x")
        rank = convert_to_tensor(rank, name="rank")
        message = message_prefix(message)
        if data is None:
            text = f"Tensor {x.name} must have rank at least"
            data = [message, text, rank, "Received shape: ", shape(x)]
        try:
            return _rank_assert(x, [rank], _is_rank_at_least, _rank_at_least, data, summarize)
        except _StaticRankFailure as e:
            raise ValueError(
                f"{message}Tensor {x.name} must have rank at least {int(constant_value(rank))}.  "
                f"Received rank {e.actual}, shape {x.shape}"
            ) from None


def _is_rank_at_least(actual, ranks):
    return actual >= ranks[0]


def _rank_at_least(actual, ranks):
    return greater_equal(actual, ranks[0])


@undo.atomic
def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    """Checks that the rank of ``x`` is one of ``ranks``: now when known (``ValueError``),
    else when run."""
    with name_scope(name, "assert_rank_in", [x, *ranks, *(data or [])]):
        x = convert_to_tensor(x, name="x")
        ranks = [convert_to_tensor(r, name="rank") for r in ranks]
        message = message_prefix(message)
        if data is None:
            text = f"Tensor {x.name} must have rank in"
            data = [message, text, *ranks, "Received shape: ", shape(x)]
        try:
            return _rank_assert(x, ranks, _is_rank_in, _rank_in, data, summarize)
        except _StaticRankFailure as e:
            wanted = tuple(int(constant_value(r)) for r in ranks)
            raise ValueError(
                f"{message}Tensor {x.name} must have rank in {wanted}.  Received rank "
                f"{e.actual}, shape {x.shape}"
            ) from None


def _is_rank_in(actual, ranks):
    return actual in ranks


def _rank_in(actual, ranks):
    if not ranks:
        return convert_to_tensor(False)
    result = equal(ranks[0], actual)
    for r in ranks[1:]:
        result = logical_or(result, equal(r, actual))
    return result


# -- order ------------------------------------------------------------------------------------


def _strided_slice(x, begin: list, end, length):
    """TF's ``strided_slice(x, begin, end)`` of a vector, with its default strides
    (``ones_like(begin)``) and names (``StridedSlice``, ``StridedSlice/begin``); ``length`` is
    its static length (TF's shape inference evaluates the constant parts of ``end``)."""
    strides = ones_like(begin)
    with name_scope(None, "StridedSlice") as scope:
        begin = constant(np.int32(begin), name="begin")
        masks = dict.fromkeys(
            ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"), 0
        )
        attrs = {**masks, "Index": dtypes.int32}
        sliced = apply_op("StridedSlice", [x, begin, end, strides], attrs, name=scope)
    sliced.set_shape([length])
    return sliced


def _consecutive(x, compare):
    """``compare(x[1:], x[:-1])`` over the flattened ``x`` (empty when it has under two
    elements), built as TF1 builds it."""
    x = reshape(x, [-1])
    if not is_numeric_tensor(x):
        raise TypeError(f"Expected x to be numeric, instead found: {x}")
    n = x.shape.as_list()[0]
    length = None if n is None else max(n - 1, 0)
    too_short = less(size(x), 2)
    last = shape(x) - 1
    return cond(
        too_short,
        lambda: convert_to_tensor([], dtype=dtypes.bool),
        lambda: compare(
            _strided_slice(x, [1], [1] + last, length), _strided_slice(x, [0], last, length)
        ),
    )


@undo.atomic
def is_non_decreasing(x, name=None):
    """A bool scalar: whether each element of ``x`` (flattened) is >= the one before it."""
    with name_scope(name, "is_non_decreasing", [x]):
        return reduce_all(_consecutive(x, greater_equal))


@undo.atomic
def is_strictly_increasing(x, name=None):
    """A bool scalar: whether each element of ``x`` (flattened) is > the one before it.

    >>> import scopeflow as tf
    >>> print(tf.Session().run(tf.is_strictly_increasing([1, 2, 2])))
    False
    """
    with name_scope(name, "is_strictly_increasing", [x]):
        return reduce_all(_consecutive(x, greater))


__all__ = [
    "assert_integer",
    "assert_proper_iterable",
    "assert_rank",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "assert_type",
    "is_non_decreasing",
    "is_numeric_tensor",
    "is_strictly_increasing",
]
