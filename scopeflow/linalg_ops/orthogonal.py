"""Orthogonal operators: ``LinearOperatorHouseholder`` (the reflection ``I - 2 v v^H`` about
a hyperplane) and ``LinearOperatorPermutation``."""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.errors import InvalidArgumentError
from scopeflow.framework.graph_api import name_scope
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.util import (
    constructor_parameters,
    convert_arg,
    square_shape,
    square_shape_tensor,
)
from scopeflow.ops.array.basic import ones, shape, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, one_hot
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.transpose import invert_permutation
from scopeflow.ops.control.grouping import no_op
from scopeflow.ops.math.elementwise import conj, equal
from scopeflow.ops.math.linalg import matrix_diag_part, matrix_set_diag
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_
from scopeflow.ops.math.linalg_solve import matrix_determinant
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_sum
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.nn.composite import l2_normalize


class LinearOperatorHouseholder(LinearOperator):
    """The reflection ``I - 2 v v^H / (v^H v)`` about the hyperplane orthogonal to
    ``reflection_axis`` ``v``."""

    def __init__(
        self,
        reflection_axis,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorHouseholder",
    ):
        parameters = constructor_parameters(locals())
        with name_scope(name):
            self._axis = convert_arg(reflection_axis, "reflection_axis")
            if self._axis.shape.ndims is not None and self._axis.shape.ndims < 1:
                raise ValueError(
                    f"Argument reflection_axis must have at least 1 dimension.  Found: {self._axis}"
                )
            if is_self_adjoint is False:
                raise ValueError("A Householder operator is always self adjoint.")
            if is_positive_definite is True:
                raise ValueError("A Householder operator is always non-positive definite.")
            if is_square is False:
                raise ValueError("A Householder operator is always square.")
        super().__init__(
            dtype=self._axis.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=True,
            is_positive_definite=False,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def reflection_axis(self):
        return self._axis

    def _shape(self):
        return square_shape(self._axis)

    def _shape_tensor(self):
        return square_shape_tensor(self._axis)

    def _unit_column(self):
        return l2_normalize(self._axis, axis=-1)[..., None]

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        v = self._unit_column()
        return x - 2 * v * matmul(v, x, adjoint_a=True)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint, adjoint_arg)

    def _batch_ones(self):
        return ones(self.batch_shape_tensor(), dtype=self.dtype)

    def _determinant(self):
        return -self._batch_ones()

    def _log_abs_determinant(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _trace(self):
        n = cast(self.domain_dimension_tensor() - 2, self.dtype)
        return n * self._batch_ones()

    def _diag_part(self):
        unit = l2_normalize(self._axis, axis=-1)
        return 1 - 2 * unit * conj(unit)

    def _to_dense(self):
        v = self._unit_column()
        matrix = -2 * matmul(v, v, adjoint_b=True)
        return matrix_set_diag(matrix, 1.0 + matrix_diag_part(matrix))

    def _eigvals(self):
        batch = self.batch_shape_tensor()
        n = self.domain_dimension_tensor()
        rest = ones(concat([batch, [n - 1]], axis=0), dtype=self.dtype)
        first = -ones(concat([batch, [1]], axis=0), dtype=self.dtype)
        return concat([first, rest], axis=-1)

    def _cond(self):
        return self._batch_ones()

    def _assert_non_singular(self):
        return no_op("assert_non_singular")

    def _assert_positive_definite(self):
        raise InvalidArgumentError(
            None, None, "Householder operators are always non-positive definite."
        )

    def _assert_self_adjoint(self):
        return no_op("assert_self_adjoint")

    def _inverse_operator(self):
        return self


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix ``P[..., i, j] = 1 if perm[..., i] == j``: ``(P x)_i =
    x_{perm[i]}``."""

    def __init__(
        self,
        perm,
        dtype=dtypes.float32,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorPermutation",
    ):
        parameters = constructor_parameters(locals())
        with name_scope(name):
            self._perm = convert_arg(perm, "perm", dtype_hint=dtypes.int32)
            if not self._perm.dtype.is_integer:
                raise TypeError(f"Argument `perm` must be integer dtype. Received: {self._perm}.")
            if self._perm.shape.ndims is not None and self._perm.shape.ndims < 1:
                raise ValueError(
                    f"Argument `perm` must have at least 1 dimension. Received: {self._perm}."
                )
            for key, value, words in (
                ("is_non_singular", is_non_singular, "non-singular"),
                ("is_square", is_square, "square"),
            ):
                if value is False:
                    raise ValueError(
                        f"A Permutation operator is always {words}. Expected argument `{key}` "
                        "to be True. Received: False."
                    )
        super().__init__(
            dtype=dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def perm(self):
        return self._perm

    def _shape(self):
        return square_shape(self._perm)

    def _shape_tensor(self):
        return square_shape_tensor(self._perm)

    def _n(self):
        n = self._perm.shape[-1].value
        return n if n is not None else shape(self._perm)[-1]

    def _matrix(self):
        return one_hot(self._perm, self._n(), dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        if self._perm.shape.ndims == 1:
            index = invert_permutation(self._perm) if adjoint else self._perm
            return gather(x, index, axis=-2)
        return matmul(self._matrix(), x, adjoint_a=adjoint)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _to_dense(self):
        return self._matrix()

    def _diag_part(self):
        fixed = equal(self._perm, cast(range_(self._n()), self._perm.dtype))
        return cast(fixed, self.dtype)

    def _determinant(self):
        return matrix_determinant(self._matrix())

    def _log_abs_determinant(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _cond(self):
        return ones(self.batch_shape_tensor(), dtype=self.dtype)

    def _assert_non_singular(self):
        return no_op("assert_non_singular")

    def _trace(self):
        return reduce_sum(self._diag_part(), axis=-1)
