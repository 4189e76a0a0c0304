"""Operators known by their size alone: ``LinearOperatorIdentity``,
``LinearOperatorScaledIdentity``, ``LinearOperatorZeros``."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.errors import InvalidArgumentError
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.dense import LinearOperatorDiag, hints
from scopeflow.linalg_ops.util import (
    constructor_parameters,
    convert_arg,
    static_value,
)
from scopeflow.ops.array.basic import ones, reshape, shape, stack, zeros
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, ones_like
from scopeflow.ops.control.assertions import assert_equal, assert_non_negative, assert_positive
from scopeflow.ops.control.grouping import no_op, with_dependencies
from scopeflow.ops.math.complex import real
from scopeflow.ops.math.elementwise import abs as abs_
from scopeflow.ops.math.elementwise import conj, equal, log, sqrt
from scopeflow.ops.math.linalg import eye, matrix_diag_part, matrix_set_diag
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_
from scopeflow.ops.math.selection import where_v2


def _convert_num(value, arg: str, check: bool = False):
    """``num_rows``/``num_columns`` as an int32 tensor, checked as TF checks it (with
    ``check``, a value known only at run time is checked then: ``assert_proper_shapes``)."""
    t = convert_arg(value, arg, dtype_hint=dtypes.int32)
    if t.shape.ndims is not None and t.shape.ndims != 0:
        raise ValueError(f"Argument {arg} must be a 0-D Tensor.  Found: {value}")
    if not t.dtype.is_integer:
        raise TypeError(f"Argument {arg} must be integer type.  Found: {t}")
    known = static_value(t)
    if known is not None and int(known) < 0:
        raise ValueError(f"Argument {arg} must be non-negative.  Found: {int(known)}")
    if known is None and check:
        t = with_dependencies([assert_non_negative(t)], t)
    return t, (None if known is None else int(known))


def _convert_batch_shape(value):
    if value is None:
        return None, None
    t = convert_arg(value, "batch_shape", dtype_hint=dtypes.int32)
    if t.shape.ndims is not None and t.shape.ndims != 1:
        raise ValueError(f"Argument batch_shape must be a 1-D Tensor.  Found: {value}")
    if not t.dtype.is_integer:
        raise TypeError(f"Argument batch_shape must be integer type.  Found: {t}")
    known = static_value(t)
    if known is not None and (np.asarray(known) < 0).any():
        raise ValueError(f"Argument batch_shape must be non-negative.  Found:{list(known)}")
    return t, (None if known is None else [int(v) for v in known])


def _both(a, b):
    """A hint of a product of commuting operators: True when both are, else unknown."""
    return True if a and b else None


class _SizedOperator(LinearOperator):
    """What the identity, scaled identity and zero operators share: their size."""

    _rows: object
    _rows_static: int | None
    _batch: object = None
    _batch_static: list | None = None

    def _checked(self, x, axis: int, size=None):
        """``x``, after a run-time check that its ``axis`` dimension is the operator's size
        (``assert_proper_shapes`` with a size known only at run time)."""
        size = self._rows if size is None else size
        if not getattr(self, "_assert_proper_shapes", False) or static_value(size) is not None:
            return x
        dim = x.shape[axis].value if x.shape.ndims is not None else None
        check = assert_equal(size, dim if dim is not None else shape(x)[axis])
        return with_dependencies([check], x)

    def _batched_shape(self, matrix: list) -> TensorShape:
        """The static shape: the batch shape, then ``matrix`` (``[rows, columns]``)."""
        if self._batch is None:
            return TensorShape(matrix)
        if self._batch_static is None:
            # A batch shape whose values are unknown leaves the rank unknown too, as in TF
            # (even when the batch shape's length is known).
            return TensorShape(None)
        return TensorShape(self._batch_static + matrix)

    def _batched_shape_tensor(self, rows, cols):
        """The dynamic shape: the batch shape, then ``[rows, cols]``."""
        matrix = reshape(concat([[rows], [cols]], axis=0), [2])
        return matrix if self._batch is None else concat([self._batch, matrix], axis=0)

    def _rows_cast(self, dtype):
        return (
            cast(self._rows, dtype)
            if self._rows_static is None
            else np.asarray(self._rows_static, dtype.as_numpy_dtype)
        )

    def _batch_shape_for_ops(self):
        if self._batch is None:
            return []
        return self._batch_static if self._batch_static is not None else self._batch

    def _shaped(self, fill, extra: list):
        """``fill`` (``ones`` or ``zeros``) of shape ``batch_shape + extra``."""
        batch = self._batch_shape_for_ops()
        if isinstance(batch, list):
            if all(isinstance(d, int) for d in extra):
                return fill(batch + extra, dtype=self.dtype)
            return fill(stack(batch + extra), dtype=self.dtype)
        return fill(concat([batch, stack(extra)] if extra else [batch], axis=0), dtype=self.dtype)

    def _broadcast_batch(self, x):
        """``x`` broadcast against the operator's batch shape (TF adds zeros when needed)."""
        if self._batch is None:
            return x
        if self._batch_static is not None and x.shape.ndims is not None:
            joined = TensorShape(self._batch_static + [1, 1])
            try:
                wanted = TensorShape(
                    np.broadcast_shapes(
                        tuple(d if d is not None else 1 for d in x.shape.as_list()),
                        tuple(joined.as_list()),
                    )
                )
            except ValueError:
                wanted = None
            if wanted is not None and x.shape.is_fully_defined() and wanted == x.shape:
                return x
        zeros_ = zeros(concat([self._batch, [1, 1]], axis=0), dtype=self.dtype)
        return x + zeros_


class LinearOperatorIdentity(_SizedOperator):
    """The identity matrix of ``num_rows`` rows, optionally repeated over ``batch_shape``."""

    _right_product_rule = "identity"

    def __init__(
        self,
        num_rows,
        batch_shape=None,
        dtype=None,
        is_non_singular=True,
        is_self_adjoint=True,
        is_positive_definite=True,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorIdentity",
    ):
        parameters = constructor_parameters(locals())
        dtype = dtypes.as_dtype(dtype or dtypes.float32)
        for hint, word in (
            (is_non_singular, "non-singular"),
            (is_positive_definite, "positive-definite"),
            (is_self_adjoint, "self adjoint"),
            (is_square, "square"),
        ):
            if not hint:
                raise ValueError(f"An identity operator is always {word}.")
        with name_scope(name):
            self._rows, self._rows_static = _convert_num(num_rows, "num_rows", assert_proper_shapes)
            self._batch, self._batch_static = _convert_batch_shape(batch_shape)
        self._assert_proper_shapes = assert_proper_shapes
        super().__init__(
            dtype=dtype,
            is_non_singular=True,
            is_self_adjoint=True,
            is_positive_definite=True,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    def _shape(self):
        return self._batched_shape([self._rows_static, self._rows_static])

    def _shape_tensor(self):
        return self._batched_shape_tensor(self._rows, self._rows)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        return self._broadcast_batch(self._checked(x, -2))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return self._shaped(ones, [])

    def _log_abs_determinant(self):
        return self._shaped(zeros, [])

    def _trace(self):
        return self._rows_cast(self.dtype) * self._shaped(ones, [])

    def _diag_part(self):
        return self._shaped(ones, [self._rows if self._rows_static is None else self._rows_static])

    def _eigvals(self):
        return self._diag_part()

    def _cond(self):
        return self._shaped(ones, [])

    def _to_dense(self):
        return eye(
            self._rows if self._rows_static is None else self._rows_static,
            batch_shape=None if self._batch is None else self._batch_shape_for_ops(),
            dtype=self.dtype,
        )

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + 1)

    def _assert_non_singular(self):
        return no_op("assert_non_singular")

    def _assert_positive_definite(self):
        return no_op("assert_positive_definite")

    def _assert_self_adjoint(self):
        return no_op("assert_self_adjoint")

    def _adjoint_operator(self):
        return self

    def _inverse_operator(self):
        return self

    def _cholesky_operator(self):
        return self

    def _matmul_operator(self, other):
        return other

    def _solve_rule(self, right):
        return right


class LinearOperatorScaledIdentity(_SizedOperator):
    """``multiplier`` times the identity: a batch of ``multiplier.shape`` matrices."""

    def __init__(
        self,
        num_rows,
        multiplier,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorScaledIdentity",
    ):
        parameters = constructor_parameters(locals())
        if not is_square:
            raise ValueError("A ScaledIdentity operator is always square.")
        with name_scope(name):
            self._multiplier = convert_arg(multiplier, "multiplier")
            if not self._multiplier.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError("A real diagonal operator is always self adjoint.")
                is_self_adjoint = True
            self._rows, self._rows_static = _convert_num(num_rows, "num_rows", assert_proper_shapes)
        self._assert_proper_shapes = assert_proper_shapes
        super().__init__(
            dtype=self._multiplier.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )
        self._batch_static = (
            self._multiplier.shape.as_list()
            if (self._multiplier.shape.is_fully_defined())
            else None
        )
        self._batch = shape(self._multiplier)

    @property
    def multiplier(self):
        return self._multiplier

    def _shape(self):
        return self._multiplier.shape.concatenate([self._rows_static, self._rows_static])

    def _shape_tensor(self):
        return concat([shape(self._multiplier), [self._rows, self._rows]], axis=0)

    def _as_matrix(self, value):
        return expand_dims(expand_dims(value, -1), -1)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        m = conj(self._multiplier) if adjoint else self._multiplier
        x = adjoint_(x) if adjoint_arg else x
        return self._checked(x, -2) * self._as_matrix(m)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        m = conj(self._multiplier) if adjoint else self._multiplier
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        return self._checked(rhs, -2) / self._as_matrix(m)

    def _determinant(self):
        return self._multiplier ** self._rows_cast(self.dtype)

    def _log_abs_determinant(self):
        value = self._rows_cast(self.dtype.real_dtype) * log(abs_(self._multiplier))
        return cast(value, self.dtype) if self.dtype.is_complex else value

    def _diag_part(self):
        n = self._rows if self._rows_static is None else self._rows_static
        return expand_dims(self._multiplier, -1) * ones([n], dtype=self.dtype)

    def _trace(self):
        return (self._rows_cast(self.dtype) * ones_like(self._multiplier)) * self._multiplier

    def _eigvals(self):
        return self._diag_part()

    def _cond(self):
        nan = np.asarray(np.nan, self.dtype.real_dtype.as_numpy_dtype)
        one = np.asarray(1.0, self.dtype.real_dtype.as_numpy_dtype)
        return where_v2(equal(self._multiplier, 0), nan, one)

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + expand_dims(self._multiplier, -1))

    def _assert_non_singular(self):
        return assert_positive(abs_(self._multiplier), message="LinearOperator was singular")

    def _assert_positive_definite(self):
        return assert_positive(
            real(self._multiplier), message="LinearOperator was not positive definite."
        )

    def _assert_self_adjoint(self):
        return assert_equal(
            self._multiplier, conj(self._multiplier), message="LinearOperator was not self-adjoint"
        )

    def _like(self, multiplier, **overrides):
        kwargs = {**hints(self), **overrides}
        return LinearOperatorScaledIdentity(self._rows, multiplier, **kwargs)

    def _adjoint_operator(self):
        return self._like(conj(self._multiplier))

    def _inverse_operator(self):
        return self._like(1.0 / self._multiplier)

    def _cholesky_operator(self):
        return self._like(
            sqrt(self._multiplier),
            is_non_singular=True,
            is_self_adjoint=True,
            is_positive_definite=True,
        )

    def _matmul_operator(self, other):
        hints = dict(
            is_non_singular=_both(self.is_non_singular, other.is_non_singular),
            is_self_adjoint=_both(self.is_self_adjoint, other.is_self_adjoint),
            is_positive_definite=_both(self.is_positive_definite, other.is_positive_definite),
        )
        if isinstance(other, LinearOperatorScaledIdentity):
            return self._like(self._multiplier * other.multiplier, **hints)
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorDiag(
                expand_dims(self._multiplier, -1) * other.diag, is_square=True, **hints
            )
        return super()._matmul_operator(other)

    def _solve_rule(self, right):
        if isinstance(right, (LinearOperatorScaledIdentity, LinearOperatorDiag)):
            return self.inverse()._matmul_operator(right)
        return None


class LinearOperatorZeros(_SizedOperator):
    """The ``num_rows x num_columns`` zero matrix, optionally repeated over ``batch_shape``."""

    _right_product_rule = "zeros"

    def __init__(
        self,
        num_rows,
        num_columns=None,
        batch_shape=None,
        dtype=None,
        is_non_singular=False,
        is_self_adjoint=True,
        is_positive_definite=False,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorZeros",
    ):
        parameters = constructor_parameters(locals())
        dtype = dtypes.as_dtype(dtype or dtypes.float32)
        if is_non_singular:
            raise ValueError("A zero operator is always singular.")
        if is_positive_definite:
            raise ValueError("A zero operator is always not positive-definite.")
        if is_square and is_self_adjoint is False:
            raise ValueError("A zero operator is always self adjoint.")
        with name_scope(name):
            self._rows, self._rows_static = _convert_num(num_rows, "num_rows", assert_proper_shapes)
            if num_columns is None:
                self._cols, self._cols_static = self._rows, self._rows_static
            else:
                self._cols, self._cols_static = _convert_num(
                    num_columns, "num_columns", assert_proper_shapes
                )
            self._batch, self._batch_static = _convert_batch_shape(batch_shape)
            rows, cols = self._rows_static, self._cols_static
            if is_square and rows is not None and cols is not None and rows != cols:
                raise ValueError(
                    "LinearOperatorZeros initialized as is_square=True, but got "
                    f"num_rows({rows}) != num_columns({cols})"
                )
        self._assert_proper_shapes = assert_proper_shapes
        super().__init__(
            dtype=dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
            parameters=parameters,
        )

    def _shape(self):
        return self._batched_shape([self._rows_static, self._cols_static])

    def _shape_tensor(self):
        return self._batched_shape_tensor(self._rows, self._cols)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        rows = self._cols if adjoint else self._rows
        rows_static = self._cols_static if adjoint else self._rows_static
        x = self._checked(x, -1 if adjoint_arg else -2, self._rows if adjoint else self._cols)
        x_cols = -2 if adjoint_arg else -1
        if rows_static is None and self.is_square and x.shape.ndims is not None:
            rows_static = x.shape[-1 if adjoint_arg else -2].value  # square: x's own rows
        known = x.shape.ndims is not None and x.shape[:-2].is_fully_defined()
        if rows_static is not None and known and x.shape[x_cols].value is not None:
            result = zeros(
                x.shape[:-2].as_list() + [rows_static, x.shape[x_cols].value], dtype=self.dtype
            )
        else:
            matrix = [rows, shape(x)[x_cols]]
            result = zeros(concat([shape(x)[:-2], matrix], axis=0), dtype=self.dtype)
        return self._broadcast_batch(result)

    def _determinant(self):
        return self._shaped(zeros, [])

    def _trace(self):
        return self._shaped(zeros, [])

    def _diag_part(self):
        if self._rows_static is not None and self._cols_static is not None:
            return self._shaped(zeros, [min(self._rows_static, self._cols_static)])
        return self._shaped(zeros, [self._rows])

    def _eigvals(self):
        return self._diag_part()

    def _add_to_tensor(self, x):
        return self._broadcast_batch(x)

    def _assert_non_singular(self):
        raise InvalidArgumentError(None, None, "Zero operators are always non-invertible.")

    def _assert_positive_definite(self):
        raise InvalidArgumentError(None, None, "Zero operators are always non-positive definite.")

    def _assert_self_adjoint(self):
        return no_op("assert_self_adjoint")

    def _adjoint_operator(self):
        return LinearOperatorZeros(
            self._cols,
            self._rows,
            batch_shape=self._batch,
            dtype=self.dtype,
            is_self_adjoint=self.is_self_adjoint,
            is_square=self.is_square,
        )

    def _matmul_operator(self, other):
        return self
