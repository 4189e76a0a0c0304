"""``tf.debugging.assert_shapes``: checks that tensors have the shapes a specification gives,
with dimensions named by symbols that must agree across tensors, as TF builds it: what is
known while building is checked then (``ValueError``), the rest by ``Assert`` ops."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.array.shape import rank as rank_of
from scopeflow.ops.control.assertions import Assert, message_prefix
from scopeflow.ops.control.checks import assert_rank, assert_rank_at_least, assert_rank_in
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.elementwise import equal
from scopeflow.ops.sparse.tensor import SparseTensor


def _dimension_sizes(x):
    """Each size of ``x``: an int when known while building, else a tensor (a scalar counts
    as rank 1 of size 1)."""
    dynamic_shape = shape_of(x)
    rank = x.shape.ndims
    if rank == 0:
        return (1,)
    if rank is not None:
        return [
            size if size is not None else dynamic_shape[i]
            for i, size in enumerate(x.shape.as_list())
        ]
    has_rank_zero = equal(rank_of(x), 0)
    return cond(has_rank_zero, lambda: constant([1]), lambda: dynamic_shape)


def _has_known_value(size) -> bool:
    try:
        int(size)
    except (ValueError, TypeError):
        return False
    return size is not None


def _tensor_name(x) -> str:
    if isinstance(x, SparseTensor):
        return f"(shape={x.shape}, dtype={x.dtype.name})"
    return x.name


def _specification(tensor, symbolic_shape, prefix: str):
    """``(innermost only, the symbols of the dimensions given)`` of one entry."""
    if not (hasattr(symbolic_shape, "__iter__") or hasattr(symbolic_shape, "__getitem__")):
        raise ValueError(
            f"{prefix}Tensor {_tensor_name(tensor)}.  Specified shape must be an iterable.  An "
            "iterable has the attribute `__iter__` or `__getitem__`.  Received specified shape: "
            f"{symbolic_shape}"
        )
    symbols = tuple(symbolic_shape)
    innermost = False
    for i, symbol in enumerate(symbols):
        if symbol is Ellipsis or (isinstance(symbol, str) and symbol == "*"):
            if i != 0:
                raise ValueError(
                    f"{prefix}Tensor {_tensor_name(tensor)} specified shape index {i}.  Symbol "
                    "`...` or `*` for a variable number of unspecified dimensions is only "
                    "allowed as the first entry"
                )
            innermost = True
    symbols = symbols[1:] if innermost else symbols
    return innermost, symbols or (1,)


def _rank_assertion(x, innermost: bool, rank: int, data, summarize, message, name):
    if innermost:
        if rank in (0, 1):
            return None  # any rank will do
        return assert_rank_at_least(
            x=x, rank=rank, data=data, summarize=summarize, message=message, name=name
        )
    if rank in (0, 1):  # a scalar counts as rank 1 of size 1
        return assert_rank_in(
            x=x, ranks=[0, 1], data=data, summarize=summarize, message=message, name=name
        )
    return assert_rank(x=x, rank=rank, data=data, summarize=summarize, message=message, name=name)


@undo.atomic
def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Checks the shapes of tensors against ``shapes`` (``[(tensor, shape), ...]`` or a dict):
    each shape lists a size per dimension, an int, a symbol (a string: every dimension with the
    same symbol must have the same size), or ``None``/``'.'`` for any size; a first entry
    ``...`` or ``'*'`` leaves the outer dimensions free. Returns the op to run for the checks
    that wait for run time.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x, y = tf.zeros([2, 3]), tf.zeros([3])
    ...     check = tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("Q",))])
    ...     try:
    ...         tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N",))])
    ...     except ValueError as e:
    ...         print(str(e)[:60])
    Specified by tensor zeros:0 dimension 0.  Tensor zeros_1:0 d
    """
    if isinstance(shapes, dict):
        shapes = shapes.items()
    prefix = message_prefix(message)
    with name_scope(name, "assert_shapes", [shapes, data]):
        constraints = [
            (x if isinstance(x, SparseTensor) else convert_to_tensor(x), s)
            for x, s in shapes
            if s is not None
        ]
        specs = []
        for tensor, symbolic_shape in constraints:
            innermost, symbols = _specification(tensor, symbolic_shape, prefix)
            specs.append((tensor, innermost, _dimension_sizes(tensor), symbols))
        rank_assertions = []
        for x, innermost, _, symbols in specs:
            check = _rank_assertion(x, innermost, len(symbols), data, summarize, message, name)
            if check is not None:
                rank_assertions.append(check)
        size_assertions = []
        specified: dict = {}
        for x, innermost, actual_sizes, symbols in specs:
            for i, symbol in enumerate(symbols):
                if symbol is None or (isinstance(symbol, str) and symbol == "."):
                    continue
                dim = i - len(symbols) if innermost else i
                if symbol not in specified and not _has_known_value(symbol):
                    with control_dependencies(rank_assertions):  # sliced once rank is known
                        specified[symbol] = (actual_sizes[dim], x, dim)
                    continue
                if _has_known_value(symbol):
                    wanted, how = int(symbol), "Specified explicitly"
                else:
                    wanted, by, at = specified[symbol]
                    how = f"Specified by tensor {_tensor_name(by)} dimension {at}"
                with control_dependencies(rank_assertions):
                    actual = actual_sizes[dim]
                if _has_known_value(actual) and _has_known_value(wanted):
                    if int(actual) != int(wanted):
                        raise ValueError(
                            f"{prefix}{how}.  Tensor {_tensor_name(x)} dimension {dim} must have "
                            f"size {int(wanted)}.  Received size {int(actual)}, shape {x.shape}"
                        )
                    continue
                condition = equal(convert_to_tensor(actual), convert_to_tensor(wanted))
                data_ = data
                if data is None:
                    data_ = [
                        prefix, how, f"Tensor {_tensor_name(x)} dimension", dim,
                        "must have size", wanted, "Received shape: ", shape_of(x),
                    ]  # fmt: skip
                size_assertions.append(Assert(condition, data_, summarize=summarize))
    with control_dependencies(rank_assertions):
        return group(size_assertions)


__all__ = ["assert_shapes"]
