"""``tf.linalg.LinearOperator``: the base class of the operator family.

A subclass says what its matrix is (``_shape``, ``_shape_tensor``, ``_matmul``) and may give
faster ways to the rest (``_solve``, ``_determinant``, ``_diag_part``...); the public methods
check arguments and hints, open the operator's name scope (``<name>/<method>``, as TF) and
call them. What is not given falls back on the dense matrix, as in TF.

Operators built from operators (the adjoint, the inverse, a product, a Cholesky factor) come
from the ``_adjoint_operator``... hooks; their default classes are in ``DERIVED``, which the
modules defining them fill in (``LinearOperatorAdjoint`` in ``adjoint.py``...).
"""

from __future__ import annotations

import contextlib

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import Dimension, TensorShape, dimension_value
from scopeflow.linalg_ops.util import (
    assert_no_entries_with_modulus_zero,
    convert_arg,
    matrix_solve_with_broadcast,
)
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import expand_dims, size, squeeze
from scopeflow.ops.control.assertions import assert_equal, assert_less, assert_positive
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import exp, log, maximum
from scopeflow.ops.math.linalg import eye, matrix_diag_part
from scopeflow.ops.math.linalg_eig import self_adjoint_eigvals
from scopeflow.ops.math.linalg_solve import (
    adjoint as adjoint_,
)
from scopeflow.ops.math.linalg_solve import (
    cholesky,
    cholesky_solve,
    matrix_determinant,
    slogdet,
)
from scopeflow.ops.math.reduction import reduce_max, reduce_min, reduce_sum
from scopeflow.ops.math.svd import svd

# The classes of derived operators: "adjoint", "inverse", "composition", "lower_triangular".
DERIVED: dict[str, type] = {}


class LinearOperator:
    """A linear map ``x -> A x`` of ``[..., M, N]`` matrices, known through its methods.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     op = tf.linalg.LinearOperatorDiag([1.0, 2.0])
    ...     print(tf.Session().run(op.matvec([3.0, 4.0])))
    [3. 8.]
    """

    # What ``A @ self`` is for any A: "identity" (A itself), "zeros" (self), or None.
    _right_product_rule: str | None = None

    def __init__(
        self,
        dtype,
        graph_parents=None,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
        parameters=None,
    ):
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
        self._graph_parents = list(graph_parents or [])
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._name = name or type(self).__name__
        self._parameters = dict(parameters) if parameters is not None else {}

    # -- what the subclass gives ---------------------------------------------------------

    def _shape(self) -> TensorShape:
        raise NotImplementedError(f"{type(self).__name__} must implement _shape")

    def _shape_tensor(self):
        raise NotImplementedError(f"{type(self).__name__} must implement _shape_tensor")

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        raise NotImplementedError(f"{type(self).__name__} must implement _matmul")

    # -- properties ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _name_scope(self, name=None):
        full = self.name if name is None else f"{self.name}/{name}"
        with name_scope(full) as scope:
            yield scope

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def parameters(self) -> dict:
        return dict(self._parameters)

    @property
    def graph_parents(self) -> list:
        return list(self._graph_parents)

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        rows, cols = dimension_value(self.range_dimension), dimension_value(self.domain_dimension)
        auto = None if rows is None or cols is None else rows == cols
        if self._is_square_hint is False and auto:
            raise ValueError("User set is_square hint to False, but the operator was square.")
        return auto if self._is_square_hint is None else self._is_square_hint

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._shape())

    @property
    def batch_shape(self) -> TensorShape:
        return self.shape[:-2]

    @property
    def tensor_rank(self):
        return self.shape.ndims

    @property
    def domain_dimension(self):
        return self._dim(-1)

    @property
    def range_dimension(self):
        return self._dim(-2)

    def _dim(self, index: int):
        s = self.shape
        return s[index] if s.ndims is not None else Dimension(None)

    def shape_tensor(self, name="shape_tensor"):
        with self._name_scope(name):
            if self.shape.is_fully_defined():
                return convert_to_tensor(self.shape.as_list(), dtype=dtypes.int32)
            return self._shape_tensor()

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return convert_to_tensor(
                    self.batch_shape.as_list(), dtype=dtypes.int32, name="batch_shape"
                )
            return self.shape_tensor()[:-2]

    def tensor_rank_tensor(self, name="tensor_rank_tensor"):
        with self._name_scope(name):
            if self.tensor_rank is not None:
                return convert_to_tensor(self.tensor_rank, dtype=dtypes.int32)
            return size(self.shape_tensor())

    def domain_dimension_tensor(self, name="domain_dimension_tensor"):
        return self._dim_tensor(name, -1)

    def range_dimension_tensor(self, name="range_dimension_tensor"):
        return self._dim_tensor(name, -2)

    def _dim_tensor(self, name: str, index: int):
        with self._name_scope(name):
            value = dimension_value(self._dim(index))
            if value is not None:
                return convert_to_tensor(value, dtype=dtypes.int32)
            return self.shape_tensor()[index]

    def _static_or_tensor(self, index: int):
        value = dimension_value(self._dim(index))
        if value is not None:
            return value
        return self.domain_dimension_tensor() if index == -1 else self.range_dimension_tensor()

    def _batch_shape_value(self):
        return (
            self.batch_shape.as_list()
            if self.batch_shape.is_fully_defined()
            else (self.batch_shape_tensor())
        )

    # -- checks --------------------------------------------------------------------------

    def _check_input_dtype(self, arg) -> None:
        if arg.dtype.base_dtype != self.dtype:
            raise TypeError(
                f"Expected argument to have dtype <dtype: '{self.dtype.name}'>.  "
                f"Found: <dtype: '{arg.dtype.base_dtype.name}'> in tensor {arg}"
            )

    def _check_dims(self, self_index: int, x, arg_index: int) -> None:
        if x.shape.ndims is None:
            return
        if x.shape.ndims < 2 and arg_index == -2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
        self._dim(self_index).assert_is_compatible_with(x.shape[arg_index])

    def _can_use_cholesky(self) -> bool:
        return bool(self.is_self_adjoint and self.is_positive_definite)

    # -- products ------------------------------------------------------------------------

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """``A x`` (``A^H x`` with ``adjoint``; ``x^H`` with ``adjoint_arg``); an operator
        ``x`` gives an operator."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            _check_operators_fit(left, right, "x")
            with self._name_scope(name):
                return left._matmul_operator(right)
        with self._name_scope(name):
            x = convert_arg(x, "x")
            self._check_input_dtype(x)
            self._check_dims(-2 if adjoint else -1, x, -1 if adjoint_arg else -2)
            return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name="matvec"):
        """``A x`` for vectors ``x`` of shape ``[..., N]``."""
        with self._name_scope(name):
            x = convert_arg(x, "x")
            self._check_input_dtype(x)
            self._check_dims(-2 if adjoint else -1, x, -1)
            return self._matvec(x, adjoint=adjoint)

    def _matvec(self, x, adjoint=False):
        y = self.matmul(expand_dims(x, -1), adjoint=adjoint)
        return squeeze(y, axis=[-1])

    def _matmul_operator(self, other):
        return DERIVED["composition"].compose(self, other)

    # -- solves --------------------------------------------------------------------------

    def _check_solvable(self) -> None:
        if self.is_non_singular is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to be singular."
            )
        if self.is_square is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to not be square."
            )

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """``X`` with ``A X = rhs`` (``A^H X = rhs`` with ``adjoint``)."""
        self._check_solvable()
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            _check_operators_fit(left, right, "rhs")
            with self._name_scope(name):
                return left._solve_operator(right)
        with self._name_scope(name):
            rhs = convert_arg(rhs, "rhs")
            self._check_input_dtype(rhs)
            self._check_dims(-1 if adjoint else -2, rhs, -1 if adjoint_arg else -2)
            return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve_operator(self, right):
        """``self^{-1} right``: TF's default is the product with ``LinearOperatorInversion``;
        the operators with special rules pass ``right`` to ``_solve_rule``."""
        special = self._solve_rule(right)
        if special is not None:
            return special
        if right._right_product_rule == "identity":
            return self.inverse()
        return DERIVED["composition"].compose(DERIVED["inverse"](self), right, rules=False)

    def _solve_rule(self, right):
        """The operator a special rule gives for ``self^{-1} right``, or None."""
        return None

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if adjoint_arg:
            rhs = adjoint_(rhs)
        if self._can_use_cholesky():
            return cholesky_solve(cholesky(self.to_dense()), rhs)
        return matrix_solve_with_broadcast(self.to_dense(), rhs, adjoint=adjoint)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        """``x`` with ``A x = rhs`` for vectors ``rhs`` of shape ``[..., M]``."""
        self._check_solvable()
        with self._name_scope(name):
            rhs = convert_arg(rhs, "rhs")
            self._check_input_dtype(rhs)
            self._check_dims(-1 if adjoint else -2, rhs, -1)
            return self._solvevec(rhs, adjoint=adjoint)

    def _solvevec(self, rhs, adjoint=False):
        return squeeze(self.solve(expand_dims(rhs, -1), adjoint=adjoint), axis=[-1])

    # -- scalars and parts ---------------------------------------------------------------

    def _check_square_for(self, what: str) -> None:
        if self.is_square is False:
            raise NotImplementedError(
                f"{what} not implemented for an operator that is expected to not be square."
            )

    def determinant(self, name="det"):
        """``det(A)`` for each matrix of the batch."""
        self._check_square_for("Determinant")
        with self._name_scope(name):
            return self._determinant()

    def _determinant(self):
        if self._can_use_cholesky():
            return exp(self.log_abs_determinant())
        return matrix_determinant(self.to_dense())

    def log_abs_determinant(self, name="log_abs_det"):
        """``log|det(A)|`` for each matrix of the batch."""
        self._check_square_for("Determinant")
        with self._name_scope(name):
            return self._log_abs_determinant()

    def _log_abs_determinant(self):
        if self._can_use_cholesky():
            diag = matrix_diag_part(cholesky(self.to_dense()))
            return 2.0 * reduce_sum(log(diag), axis=[-1])
        return slogdet(self.to_dense())[1]

    def diag_part(self, name="diag_part"):
        """The main diagonal, shape ``batch_shape + [min(M, N)]``."""
        with self._name_scope(name):
            return self._diag_part()

    def _diag_part(self):
        return matrix_diag_part(self.to_dense())

    def trace(self, name="trace"):
        """The sum of the main diagonal."""
        with self._name_scope(name):
            return self._trace()

    def _trace(self):
        return reduce_sum(self.diag_part(), axis=-1)

    def to_dense(self, name="to_dense"):
        """The matrix as a dense tensor."""
        with self._name_scope(name):
            return self._to_dense()

    def _to_dense(self):
        n = self._static_or_tensor(-1)
        identity = eye(n, batch_shape=self._batch_shape_value(), dtype=self.dtype)
        return self.matmul(identity)

    def add_to_tensor(self, x, name="add_to_tensor"):
        """``A + x``."""
        with self._name_scope(name):
            x = convert_arg(x, "x")
            self._check_input_dtype(x)
            return self._add_to_tensor(x)

    def _add_to_tensor(self, x):
        return self.to_dense() + x

    def eigvals(self, name="eigvals"):
        """The eigenvalues of a self-adjoint operator."""
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        with self._name_scope(name):
            return self._eigvals()

    def _eigvals(self):
        return self_adjoint_eigvals(self.to_dense())

    def cond(self, name="cond"):
        """The condition number: the largest over the smallest singular value."""
        with self._name_scope(name):
            return self._cond()

    def _cond(self):
        if self.is_self_adjoint:
            values = abs_(self._eigvals())
        else:
            values = svd(self.to_dense(), compute_uv=False)
        return reduce_max(values, axis=-1) / reduce_min(values, axis=-1)

    # -- run-time checks -----------------------------------------------------------------

    def assert_non_singular(self, name="assert_non_singular"):
        """An op that fails the run when the operator is singular (to working precision)."""
        with self._name_scope(name):
            return self._assert_non_singular()

    def _assert_non_singular(self):
        if self._can_use_cholesky():
            return self.assert_positive_definite()
        values = svd(self.to_dense(), compute_uv=False)
        cond = reduce_max(values, axis=-1) / reduce_min(values, axis=-1)
        return assert_less(
            cond,
            self._largest_nonsingular_condition(cond.dtype),
            message="Singular matrix up to precision epsilon.",
        )

    def _largest_nonsingular_condition(self, dtype):
        eps = np.finfo(dtype.as_numpy_dtype).eps
        dims = [dimension_value(self.range_dimension), dimension_value(self.domain_dimension)]
        if None in dims:
            from_shape = reduce_max(self.shape_tensor()[-2:])
            return 1.0 / (_maximum_with(100.0, from_shape, dtype) * eps)
        return np.asarray(1.0 / (max(100.0, *dims) * eps), dtype.as_numpy_dtype)

    def assert_positive_definite(self, name="assert_positive_definite"):
        """An op that fails the run when the operator is not positive definite."""
        with self._name_scope(name):
            return self._assert_positive_definite()

    def _assert_positive_definite(self):
        if self.is_self_adjoint:
            return assert_positive(
                matrix_diag_part(cholesky(self.to_dense())),
                message="Matrix was not positive definite.",
            )
        raise NotImplementedError("assert_positive_definite is not implemented.")

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        """An op that fails the run when the operator differs from its adjoint."""
        with self._name_scope(name):
            return self._assert_self_adjoint()

    def _assert_self_adjoint(self):
        dense = self.to_dense()
        return assert_equal(dense, adjoint_(dense), message="Matrix was not equal to its adjoint.")

    def _assert_no_zero(self, values, message: str):
        return assert_no_entries_with_modulus_zero(values, message=message)

    # -- derived operators ---------------------------------------------------------------

    def adjoint(self, name="adjoint"):
        """The operator ``A^H`` (``self`` when the operator is self-adjoint)."""
        if self.is_self_adjoint is True:
            return self
        with self._name_scope(name):
            return self._adjoint_operator()

    H = property(adjoint, doc="The adjoint operator ``A^H``.")

    def _adjoint_operator(self):
        return DERIVED["adjoint"](self)

    def inverse(self, name="inverse"):
        """The operator ``A^{-1}``."""
        if self.is_square is False:
            raise ValueError(
                "Cannot take the Inverse: This operator represents a non square matrix."
            )
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        with self._name_scope(name):
            return self._inverse_operator()

    def _inverse_operator(self):
        return DERIVED["inverse"](self)

    def cholesky(self, name="cholesky"):
        """The lower triangular ``L`` with ``A = L L^H``, as an operator."""
        if not self._can_use_cholesky():
            raise ValueError(
                "Cannot take the Cholesky decomposition: Not a positive definite self adjoint "
                "matrix."
            )
        with self._name_scope(name):
            return self._cholesky_operator()

    def _cholesky_operator(self):
        return DERIVED["lower_triangular"](
            cholesky(self.to_dense()), is_non_singular=True, is_self_adjoint=False, is_square=True
        )


def _maximum_with(floor: float, dims, dtype):
    return maximum(cast(dims, dtype), floor)


def _check_operators_fit(left: LinearOperator, right: LinearOperator, arg: str) -> None:
    want, got = dimension_value(left.domain_dimension), dimension_value(right.range_dimension)
    if want is not None and got is not None and want != got:
        raise ValueError(
            f"Operators are incompatible. Expected `{arg}` to have dimension {want} but got {got}."
        )
