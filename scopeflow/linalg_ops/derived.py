"""Operators made of operators: ``LinearOperatorAdjoint``, ``LinearOperatorInversion``,
``LinearOperatorComposition`` (what ``adjoint()``, ``inverse()`` and ``matmul`` of two
operators give by default)."""

from __future__ import annotations

import functools

from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape, dimension_value
from scopeflow.linalg_ops.base import DERIVED, LinearOperator
from scopeflow.linalg_ops.util import constructor_parameters
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape
from scopeflow.ops.math.elementwise import conj
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_

_WORDS = {
    "is_non_singular": "non-singular",
    "is_self_adjoint": "self-adjoint",
    "is_positive_definite": "positive-definite",
    "is_square": "square",
}


def _shared_hint(operator, key: str, given, relation: str):
    """``operator``'s hint ``key`` (else ``given``), a property its ``relation`` (adjoint,
    inverse) has if and only if it has it: ValueError when the two hints contradict."""
    own = getattr(operator, key)
    if own is not None and given is not None and own != given:
        words = _WORDS[key]
        raise ValueError(f"An operator is {words} if and only if its {relation} is {words}.")
    return own if own is not None else given


def _conj(x):
    return conj(x) if x.dtype.is_complex else x


class _OfOneOperator:
    """What the adjoint and the inverse of an operator take from it unchanged: its
    condition number and its checks."""

    @property
    def operator(self):
        return self._operator

    def _cond(self):
        return self._operator.cond()

    def _assert_non_singular(self):
        return self._operator.assert_non_singular()

    def _assert_positive_definite(self):
        return self._operator.assert_positive_definite()

    def _assert_self_adjoint(self):
        return self._operator.assert_self_adjoint()


class LinearOperatorAdjoint(_OfOneOperator, LinearOperator):
    """``A^H`` of an operator ``A``, computed through ``A``'s own methods."""

    def __init__(
        self,
        operator,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        parameters = constructor_parameters(locals())
        self._operator = operator
        given = dict(
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
        )
        combined = {
            key: _shared_hint(operator, key, value, "adjoint") for key, value in given.items()
        }
        name = name or operator.name + "_adjoint"
        with name_scope(name):
            super().__init__(dtype=operator.dtype, name=name, parameters=parameters, **combined)

    def _shape(self):
        s = self._operator.shape
        if s.ndims is None:
            return s
        return s[:-2].concatenate([s[-1], s[-2]])

    def _shape_tensor(self):
        s = self._operator.shape_tensor()
        return concat([s[:-2], s[-1:], s[-2:-1]], axis=0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _matvec(self, x, adjoint=False):
        return self._operator.matvec(x, adjoint=not adjoint)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solvevec(self, rhs, adjoint=False):
        return self._operator.solvevec(rhs, adjoint=not adjoint)

    def _determinant(self):
        return _conj(self._operator.determinant())

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()

    def _trace(self):
        return _conj(self._operator.trace())

    def _to_dense(self):
        return adjoint_(self._operator.to_dense())

    def _eigvals(self):
        return _conj(self._operator.eigvals())

    def _adjoint_operator(self):
        return self._operator


class LinearOperatorInversion(_OfOneOperator, LinearOperator):
    """``A^{-1}`` of a square non-singular operator ``A``: its ``matmul`` is ``A``'s
    ``solve`` and its ``solve`` ``A``'s ``matmul``."""

    def __init__(
        self,
        operator,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        parameters = constructor_parameters(locals())
        self._operator = operator
        for key, given in (("is_non_singular", is_non_singular), ("is_square", is_square)):
            own = getattr(operator, key)
            if own is False or given is False:
                raise ValueError(
                    f"Argument `{key}` or argument `operator` must have supplied hint `{key}` "
                    f"equal to `True` or `None`. Found `operator.{key}`: {own}, `{key}`: {given}."
                )
        is_self_adjoint = _shared_hint(operator, "is_self_adjoint", is_self_adjoint, "inverse")
        is_positive_definite = _shared_hint(
            operator, "is_positive_definite", is_positive_definite, "inverse"
        )
        is_non_singular = operator.is_non_singular if is_non_singular is None else is_non_singular
        is_square = operator.is_square if is_square is None else is_square
        name = name or operator.name + "_inv"
        with name_scope(name):
            super().__init__(
                dtype=operator.dtype,
                is_non_singular=is_non_singular,
                is_self_adjoint=is_self_adjoint,
                is_positive_definite=is_positive_definite,
                is_square=is_square,
                name=name,
                parameters=parameters,
            )

    def _shape(self):
        return self._operator.shape

    def _shape_tensor(self):
        return self._operator.shape_tensor()

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return 1.0 / self._operator.determinant()

    def _log_abs_determinant(self):
        return -1.0 * self._operator.log_abs_determinant()

    def _eigvals(self):
        return 1.0 / self._operator.eigvals()

    def _inverse_operator(self):
        return self._operator

    def _solve_operator(self, right):
        return self._operator.matmul(right)


def broadcast_batch_shapes(operators) -> TensorShape:
    """The broadcast of the operators' static batch shapes (unknown where one is)."""
    shapes = [op.batch_shape for op in operators]
    if any(s.ndims is None for s in shapes):
        return TensorShape(None)
    rank = max(s.ndims for s in shapes)
    dims = []
    for i in range(rank):
        column = [s[i - rank + s.ndims].value for s in shapes if i - rank + s.ndims >= 0]
        known = [d for d in column if d is not None and d != 1]
        if len(set(known)) > 1:
            raise ValueError(f"Incompatible shapes for broadcasting: {shapes}")
        if None in column and not known:
            dims.append(None)
        else:
            dims.append(known[0] if known else 1)
    return TensorShape(dims)


def broadcast_batch_tensors(operators):
    return functools.reduce(broadcast_dynamic_shape, [op.batch_shape_tensor() for op in operators])


def check_operator_list(operators: list, argument_words: bool = False) -> None:
    """ValueError for no ``operators``, in the words of TF's operator: "Expected a non-empty
    list..." (block diagonal, composition) or, with ``argument_words``, "Argument
    `operators` must be..." (block lower triangular, Kronecker)."""
    if operators:
        return
    if argument_words:
        raise ValueError(
            f"Argument `operators` must be a list of >=1 operators. Received: {operators}."
        )
    raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")


def check_same_dtype(operators: list, argument_words: bool = False) -> None:
    """TypeError unless the ``operators`` share one dtype, in the words of TF's operator (as
    ``check_operator_list``)."""
    dtype = operators[0].dtype
    if not any(op.dtype != dtype for op in operators):
        return
    found = [(op.name, f"tf.{op.dtype.name}") for op in operators]
    if argument_words:
        raise TypeError(
            "Expected every operation in argument `operators` to have the same dtype. "
            f"Received {[str(f) for f in found]}."
        )
    raise TypeError(
        "Expected all operators to have the same dtype.  Found "
        + "   ".join(f"({n!r}, {d})" for n, d in found)
    )


def product_of(operators, method: str):
    """``operators[0].method() * operators[1].method() * ...``, made left to right."""
    result = getattr(operators[0], method)()
    for op in operators[1:]:
        result = result * getattr(op, method)()
    return result


def sum_of(operators, method: str):
    """``operators[0].method() + operators[1].method() + ...``, made left to right."""
    result = getattr(operators[0], method)()
    for op in operators[1:]:
        result = result + getattr(op, method)()
    return result


def group_of(operators, method: str):
    """One op running every operator's ``method()`` (their ``assert_...`` checks)."""
    return group(*[getattr(op, method)() for op in operators])


class SideBySide:
    """What an operator made of ``self._operators`` applied side by side (block diagonal,
    Kronecker) does with them: checks each one, and rebuilds itself from new parts with its
    own hints (``_hints``)."""

    def _assert_non_singular(self):
        return group_of(self._operators, "assert_non_singular")

    def _assert_positive_definite(self):
        return group_of(self._operators, "assert_positive_definite")

    def _assert_self_adjoint(self):
        return group_of(self._operators, "assert_self_adjoint")

    def _hints(self, **overrides) -> dict:
        hints = dict(
            is_non_singular=self.is_non_singular,
            is_self_adjoint=self.is_self_adjoint,
            is_positive_definite=self.is_positive_definite,
            is_square=True,
        )
        hints.update(overrides)
        return hints


def _square_product(a: LinearOperator, b: LinearOperator):
    """Whether ``a @ b`` is square, as TF's registrations decide it."""
    if a.is_square and b.is_square:
        return True
    if a.is_square is False and b.is_square is False:
        m, n = dimension_value(a.range_dimension), dimension_value(b.domain_dimension)
        if m is not None and n is not None:
            return m == n
    if a.is_square is not None and b.is_square is not None and a.is_square != b.is_square:
        return False
    return None


class LinearOperatorComposition(LinearOperator):
    """``A1 A2 ... An``: the product of operators, applied right to left."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        parameters = constructor_parameters(locals())
        operators = list(operators)
        check_operator_list(operators)
        self._operators = operators
        check_same_dtype(operators)
        if all(op.is_non_singular for op in operators):
            if is_non_singular is False:
                raise ValueError(
                    "The composition of non-singular operators is always non-singular."
                )
            is_non_singular = True
        name = name or "_o_".join(op.name for op in operators)
        with name_scope(name):
            super().__init__(
                dtype=operators[0].dtype,
                is_non_singular=is_non_singular,
                is_self_adjoint=is_self_adjoint,
                is_positive_definite=is_positive_definite,
                is_square=is_square,
                name=name,
                parameters=parameters,
            )

    @classmethod
    def compose(
        cls, left: LinearOperator, right: LinearOperator, rules: bool = True
    ) -> LinearOperator:
        """``left @ right`` as TF's default registration builds it (``rules``: first the
        products an identity or zero operator on the right decides)."""
        if rules and right._right_product_rule == "identity":
            return left
        if rules and right._right_product_rule == "zeros":
            return right
        square = _square_product(left, right)
        non_singular = self_adjoint = positive = None
        if square:
            if left.is_non_singular is False or right.is_non_singular is False:
                non_singular = False
            elif left.is_non_singular and right.is_non_singular:
                non_singular = True
            if left is right and left.is_self_adjoint:  # A A with A self-adjoint
                self_adjoint = True
                positive = True if left.is_non_singular else None
        elif square is False:
            non_singular = self_adjoint = positive = False
        return cls(
            [left, right],
            is_non_singular=non_singular,
            is_self_adjoint=self_adjoint,
            is_positive_definite=positive,
            is_square=square,
        )

    @property
    def operators(self) -> list:
        return list(self._operators)

    def _shape(self):
        domain = self._operators[0].domain_dimension
        for op in self._operators[1:]:
            domain.assert_is_compatible_with(op.range_dimension)
            domain = op.domain_dimension
        matrix = TensorShape([self._operators[0].range_dimension, domain])
        return broadcast_batch_shapes(self._operators).concatenate(matrix)

    def _shape_tensor(self):
        matrix = [
            self._operators[0].range_dimension_tensor(),
            self._operators[-1].domain_dimension_tensor(),
        ]
        return concat([broadcast_batch_tensors(self._operators), matrix], axis=0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        order = self._operators if adjoint else self._operators[::-1]
        result = order[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in order[1:]:
            result = op.matmul(result, adjoint=adjoint)
        return result

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        order = self._operators[::-1] if adjoint else self._operators
        result = order[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in order[1:]:
            result = op.solve(result, adjoint=adjoint)
        return result

    def _determinant(self):
        return product_of(self._operators, "determinant")

    def _log_abs_determinant(self):
        return sum_of(self._operators, "log_abs_determinant")

    def _assert_non_singular(self):
        return group_of(self._operators, "assert_non_singular")


DERIVED["adjoint"] = LinearOperatorAdjoint
DERIVED["inverse"] = LinearOperatorInversion
DERIVED["composition"] = LinearOperatorComposition
