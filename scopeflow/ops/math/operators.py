"""Python operators on tensors (``x + y``, ``x < y``, ``-x``, ``~x``, ``x & y``...) as the
TF1 ops they build. ``@`` is installed by matmul.py, ``x[...]`` by array/slicing.py."""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.math.division import truediv
from scopeflow.ops.math.elementwise import (
    abs,  # noqa: A004 - TF1's public name
    add,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    invert,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    multiply,
    negative,
    pow,  # noqa: A004 - TF1's public name
    subtract,
)

_BOOL = dtypes.bool


def install_binary_operator(op_name: str, fn) -> None:
    """Installs ``x <op> y`` and ``y <op> x`` (``Tensor.__<op_name>__`` and
    ``__r<op_name>__``) for a ``tf.*`` function: the op is named ``op_name`` (``add``,
    ``truediv``...); a Python left operand becomes ``<op_name>/x`` of the tensor's dtype, a
    Python right operand is converted by ``fn`` itself."""

    def binary(x, y):
        with name_scope(None, op_name, [x, y]) as scope:
            return fn(x, y, name=scope)

    def reflected(y, x):
        with name_scope(None, op_name, [x, y]) as scope:
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
            return fn(x, y, name=scope)

    Tensor._override_operator(f"__{op_name}__", undo.atomic(binary))
    Tensor._override_operator(f"__r{op_name}__", undo.atomic(reflected))


def _by_dtype(logical, bitwise):
    """``&``, ``|``, ``^``: the logical op for bool tensors, the bitwise op (default-named
    inside the operator's scope) for integers."""

    def apply(x, y, name=None):
        if x.dtype.base_dtype == _BOOL:
            return logical(x, y, name=name)
        return bitwise(x, y)

    return apply


@undo.atomic
def _invert(x):
    """``~x``: ``LogicalNot`` for bool tensors, ``Invert`` for integers."""
    return logical_not(x) if x.dtype.base_dtype == _BOOL else invert(x)


def _install_operators() -> None:
    table = {
        "add": add,
        "sub": subtract,
        "mul": multiply,
        "truediv": truediv,
        "floordiv": floordiv,
        "mod": floormod,
        "pow": pow,
        "and": _by_dtype(logical_and, bitwise_and),
        "or": _by_dtype(logical_or, bitwise_or),
        "xor": _by_dtype(logical_xor, bitwise_xor),
    }
    for op_name, fn in table.items():
        install_binary_operator(op_name, fn)
    Tensor._override_operator("__lt__", less)
    Tensor._override_operator("__le__", less_equal)
    Tensor._override_operator("__gt__", greater)
    Tensor._override_operator("__ge__", greater_equal)
    Tensor._override_operator("__neg__", negative)
    Tensor._override_operator("__abs__", abs)
    Tensor._override_operator("__invert__", _invert)


_install_operators()
