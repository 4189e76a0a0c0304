"""Operators held as tensors: ``LinearOperatorFullMatrix``, ``LinearOperatorDiag``,
``LinearOperatorLowerTriangular``."""

from __future__ import annotations

from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.linalg_ops.base import DERIVED, LinearOperator
from scopeflow.linalg_ops.util import (
    assert_no_entries_with_modulus_zero,
    assert_zero_imag_part,
    check_dtype,
    constructor_parameters,
    convert_arg,
    square_shape,
    square_shape_tensor,
)
from scopeflow.ops.array.basic import shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.control.assertions import assert_positive
from scopeflow.ops.math.complex import real
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import conj, log, sqrt
from scopeflow.ops.math.linalg import (
    matrix_band_part,
    matrix_diag,
    matrix_diag_part,
    matrix_set_diag,
    matrix_triangular_solve,
)
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_max, reduce_min, reduce_prod, reduce_sum


def hints(op: LinearOperator) -> dict:
    return {
        "is_non_singular": op.is_non_singular,
        "is_self_adjoint": op.is_self_adjoint,
        "is_positive_definite": op.is_positive_definite,
        "is_square": op.is_square,
    }


def _at_least(value, rank: int, arg: str) -> None:
    if value.shape.ndims is not None and value.shape.ndims < rank:
        if arg == "matrix":
            raise ValueError(
                f"Argument `matrix` must have at least 2 dimensions. Received: {value}."
            )
        plural = "dimension" if rank == 1 else "dimensions"
        raise ValueError(f"Argument {arg} must have at least {rank} {plural}.  Found: {value}")


class LinearOperatorFullMatrix(LinearOperator):
    """An operator holding its ``[..., M, N]`` matrix."""

    def __init__(
        self,
        matrix,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorFullMatrix",
    ):
        parameters = constructor_parameters(locals())
        with name_scope(name):
            self._matrix = convert_arg(matrix, "matrix")
            check_dtype(self._matrix, "matrix")
            _at_least(self._matrix, 2, "matrix")
        super().__init__(
            dtype=self._matrix.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
            parameters=parameters,
        )

    def _shape(self):
        return self._matrix.shape

    def _shape_tensor(self):
        return shape(self._matrix)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._matrix, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _to_dense(self):
        return self._matrix


class LinearOperatorDiag(LinearOperator):
    """A (batch of) square diagonal matrices, given by their diagonals ``[..., N]``."""

    def __init__(
        self,
        diag,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name="LinearOperatorDiag",
    ):
        parameters = constructor_parameters(locals())
        with name_scope(name):
            self._diag = convert_arg(diag, "diag")
            check_dtype(self._diag, "diag")
            _at_least(self._diag, 1, "diag")
            if not self._diag.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real diagonal operator is always self adjoint.")
                is_self_adjoint = True
            if is_square is False:
                raise ValueError("Only square diagonal operators currently supported.")
        super().__init__(
            dtype=self._diag.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def diag(self):
        return self._diag

    def _shape(self):
        return square_shape(self._diag)

    def _shape_tensor(self):
        return square_shape_tensor(self._diag)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        d = conj(self._diag) if adjoint else self._diag
        x = adjoint_(x) if adjoint_arg else x
        return expand_dims(d, -1) * x

    def _matvec(self, x, adjoint=False):
        d = conj(self._diag) if adjoint else self._diag
        return d * x

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        d = conj(self._diag) if adjoint else self._diag
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        return rhs * expand_dims(1.0 / d, -1)

    def _determinant(self):
        return reduce_prod(self._diag, axis=[-1])

    def _log_abs_determinant(self):
        value = reduce_sum(log(abs_(self._diag)), axis=[-1])
        return cast(value, self.dtype) if self.dtype.is_complex else value

    def _to_dense(self):
        return matrix_diag(self._diag)

    def _diag_part(self):
        return self._diag

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + self._diag)

    def _eigvals(self):
        return self._diag

    def _cond(self):
        modulus = abs_(self._diag)
        return reduce_max(modulus, axis=-1) / reduce_min(modulus, axis=-1)

    def _assert_non_singular(self):
        return assert_no_entries_with_modulus_zero(
            self._diag, message="Singular operator:  Diagonal contained zero values."
        )

    def _assert_positive_definite(self):
        if self.dtype.is_complex:
            message = (
                "Diagonal operator had diagonal entries with non-positive real part, "
                "thus was not positive definite."
            )
        else:
            message = (
                "Real diagonal operator had non-positive diagonal entries, "
                "thus was not positive definite."
            )
        return assert_positive(real(self._diag), message=message)

    def _assert_self_adjoint(self):
        return assert_zero_imag_part(
            self._diag,
            message=(
                "This diagonal operator contained non-zero imaginary values.  "
                "Thus it was not self-adjoint."
            ),
        )

    def _adjoint_operator(self):
        return LinearOperatorDiag(conj(self._diag), **hints(self))

    def _inverse_operator(self):
        return LinearOperatorDiag(1.0 / self._diag, **hints(self))

    def _cholesky_operator(self):
        return LinearOperatorDiag(
            sqrt(self._diag),
            is_non_singular=True,
            is_self_adjoint=True,
            is_positive_definite=True,
            is_square=True,
        )

    def _solve_rule(self, right):
        if isinstance(right, (LinearOperatorDiag, LinearOperatorLowerTriangular)) or hasattr(
            right, "multiplier"
        ):
            return self.inverse()._matmul_operator(right)
        return None

    def _matmul_operator(self, other):
        hints = dict(
            is_non_singular=_both(self.is_non_singular, other.is_non_singular),
            is_self_adjoint=_both(self.is_self_adjoint, other.is_self_adjoint),
            is_positive_definite=_both(self.is_positive_definite, other.is_positive_definite),
            is_square=True,
        )
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorDiag(self._diag * other.diag, **hints)
        if hasattr(other, "multiplier"):  # a scaled identity
            return LinearOperatorDiag(self._diag * other.multiplier[..., None], **hints)
        if isinstance(other, LinearOperatorLowerTriangular):
            return LinearOperatorLowerTriangular(
                self._diag[..., None] * other.to_dense(),
                is_non_singular=hints["is_non_singular"],
                is_square=True,
            )
        return super()._matmul_operator(other)


def _both(a, b):
    """A hint of a product of commuting operators: True when both are, else unknown."""
    return True if a and b else None


class LinearOperatorLowerTriangular(LinearOperator):
    """A (batch of) square lower triangular matrices; entries above the diagonal of
    ``tril`` are ignored."""

    def __init__(
        self,
        tril,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowerTriangular",
    ):
        parameters = constructor_parameters(locals())
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        with name_scope(name):
            self._tril = convert_arg(tril, "tril")
            check_dtype(self._tril, "tril")
            _at_least(self._tril, 2, "tril")
        super().__init__(
            dtype=self._tril.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def tril(self):
        return self._tril

    def _get_tril(self):
        return matrix_band_part(self._tril, -1, 0)

    def _shape(self):
        return TensorShape(self._tril.shape)

    def _shape_tensor(self):
        return shape(self._tril)

    def _diag(self):
        return matrix_diag_part(self._tril)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._get_tril(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _determinant(self):
        return reduce_prod(self._diag(), axis=[-1])

    def _log_abs_determinant(self):
        return reduce_sum(log(abs_(self._diag())), axis=[-1])

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        return matrix_triangular_solve(self._get_tril(), rhs, lower=True, adjoint=adjoint)

    def _to_dense(self):
        return self._get_tril()

    def _diag_part(self):
        return self._diag()

    def _eigvals(self):
        return self._diag()

    def _assert_non_singular(self):
        return assert_no_entries_with_modulus_zero(
            self._diag(), message="Singular operator:  Diagonal contained zero values."
        )

    def _matmul_operator(self, other):
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorLowerTriangular(
                self.to_dense() * other.diag[..., None, :],
                is_non_singular=_both(self.is_non_singular, other.is_non_singular),
                is_square=True,
            )
        return super()._matmul_operator(other)


DERIVED["lower_triangular"] = LinearOperatorLowerTriangular
