"""Banded operators: ``LinearOperatorToeplitz`` (constant diagonals, given by the first
column and row) and ``LinearOperatorTridiag`` (three diagonals)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.block import broadcast_results
from scopeflow.linalg_ops.util import constructor_parameters, convert_arg, square_shape_tensor
from scopeflow.ops.array.basic import ones, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat, reverse
from scopeflow.ops.array.pad import pad
from scopeflow.ops.control.assertions import assert_equal
from scopeflow.ops.linalg.tridiagonal import tridiagonal_matmul, tridiagonal_solve
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape
from scopeflow.ops.math.elementwise import conj
from scopeflow.ops.math.linalg import matrix_diag, matrix_diag_part
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.math.reduction import reduce_sum


def _last_dim(t):
    n = t.shape[-1].value if t.shape.ndims else None
    return n if n is not None else shape(t)[-1]


class LinearOperatorToeplitz(LinearOperator):
    """A (batch of) square Toeplitz matrices: ``T[i, j] = col[i - j]`` for ``i >= j`` and
    ``row[j - i]`` above the diagonal (``col[0]`` is the diagonal)."""

    def __init__(
        self,
        col,
        row,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorToeplitz",
    ):
        parameters = constructor_parameters(locals())
        with name_scope(name):
            self._col = convert_arg(col, "col")
            self._row = convert_arg(row, "row", dtype=self._col.dtype)
            n_col, n_row = self._col.shape[-1:], self._row.shape[-1:]
            if self._col.shape.ndims and self._row.shape.ndims:
                a, b = n_col[0].value, n_row[0].value
                if a is not None and b is not None and a != b:
                    raise ValueError(
                        "Expected square matrix, got row and col with mismatched dimensions."
                    )
            if is_square is False:
                raise ValueError("Only square Toeplitz operators currently supported.")
        super().__init__(
            dtype=self._col.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=parameters,
        )

    @property
    def col(self):
        return self._col

    @property
    def row(self):
        return self._row

    def _shape(self):
        col, row = self._col.shape, self._row.shape
        batch = (
            TensorShape(np.broadcast_shapes(tuple(col[:-1].as_list()), tuple(row[:-1].as_list())))
            if col[:-1].is_fully_defined() and row[:-1].is_fully_defined()
            else TensorShape(None)
        )
        n = col[-1].value if col[-1].value is not None else row[-1].value
        return batch.concatenate([n, n])

    def _shape_tensor(self):
        batch = broadcast_dynamic_shape(shape(self._col)[:-1], shape(self._row)[:-1])
        n = shape(self._col)[-1]
        return concat([batch, [n, n]], axis=0)

    def _to_dense(self):
        n = _last_dim(self._col)
        col, row = broadcast_results([self._col[..., None, :], self._row[..., None, :]])
        elements = concat([reverse(row[..., 0, 1:], [-1]), col[..., 0, :]], axis=-1)
        if isinstance(n, int):
            index = (n - 1) + np.arange(n)[:, None] - np.arange(n)[None, :]
            return gather(elements, index.astype(np.int32), axis=-1)
        raise NotImplementedError(
            "LinearOperatorToeplitz needs its size while building; give col a static length"
        )

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self.to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _diag_part(self):
        n = _last_dim(self._col)
        diag = ones([n], dtype=self.dtype) * self._col[..., :1]
        if self._row.shape.ndims and self._row.shape.ndims > self._col.shape.ndims:
            return broadcast_results([diag[..., None], self._row[..., None]])[0][..., 0]
        return diag

    def _trace(self):
        return cast(_last_dim(self._col), self.dtype) * self._col[..., 0]

    def _assert_self_adjoint(self):
        return assert_equal(
            self._row,
            self._col,
            message="row and col are not the same, and so this operator is not self-adjoint.",
        )


_FORMATS = ("compact", "matrix", "sequence")


def _shift(t, left: bool):
    """``t`` moved one place along its last axis, a zero entering at the other end."""
    rank = t.shape.ndims
    if left:
        return pad(t[..., 1:], [[0, 0]] * (rank - 1) + [[0, 1]])
    return pad(t[..., :-1], [[0, 0]] * (rank - 1) + [[1, 0]])


class LinearOperatorTridiag(LinearOperator):
    """A (batch of) square tridiagonal matrices given by their diagonals, in the format of
    ``tf.linalg.tridiagonal_solve``: ``compact`` (``[..., 3, N]``: superdiagonal, whose last
    entry is ignored, diagonal, subdiagonal, whose first entry is ignored), ``sequence`` (a
    list of those three) or ``matrix`` (``[..., N, N]``, entries off the band ignored)."""

    def __init__(
        self,
        diagonals,
        diagonals_format="compact",
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorTridiag",
    ):
        parameters = constructor_parameters(locals())
        if diagonals_format not in _FORMATS:
            raise ValueError(
                "Argument `diagonals_format` must be one of compact, matrix, or sequence. "
                f"Received : {diagonals_format}."
            )
        self._format = diagonals_format
        with name_scope(name):
            if diagonals_format == "sequence":
                self._diagonals = [convert_arg(d, f"diag_{i}") for i, d in enumerate(diagonals)]
                dtype = self._diagonals[0].dtype
            else:
                self._diagonals = convert_arg(diagonals, "diagonals")
                dtype = self._diagonals.dtype
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
    def diagonals(self):
        return self._diagonals

    @property
    def diagonals_format(self) -> str:
        return self._format

    def _shape(self):
        if self._format == "matrix":
            return self._diagonals.shape
        if self._format == "compact":
            s = self._diagonals.shape
            return s[:-2].concatenate([s[-1], s[-1]])
        shapes = [d.shape for d in self._diagonals]
        batch = shapes[0][:-1]
        for s in shapes[1:]:
            if batch.is_fully_defined() and s[:-1].is_fully_defined():
                batch = TensorShape(
                    np.broadcast_shapes(tuple(batch.as_list()), tuple(s[:-1].as_list()))
                )
        n = shapes[1][-1]
        return batch.concatenate([n, n])

    def _shape_tensor(self):
        if self._format == "matrix":
            return shape(self._diagonals)
        if self._format == "compact":
            s = shape(self._diagonals)
            return concat([s[:-2], s[-1:], s[-1:]], axis=0)
        return square_shape_tensor(self._diagonals[1])

    def _compact(self):
        """The diagonals as one ``[..., 3, N]`` tensor."""
        if self._format == "compact":
            return self._diagonals
        if self._format == "sequence":
            parts = broadcast_results([d[..., None, :] for d in self._diagonals])
            return concat(parts, axis=-2)
        m = self._diagonals
        main = matrix_diag_part(m)
        upper = _shift_in(matrix_diag_part(m[..., :-1, 1:]), at_end=True)
        lower = _shift_in(matrix_diag_part(m[..., 1:, :-1]), at_end=False)
        return stack([upper, main, lower], axis=-2)

    def _adjoint_compact(self):
        c = conj(self._compact())
        upper, main, lower = c[..., 0, :], c[..., 1, :], c[..., 2, :]
        return stack([_shift(lower, left=True), main, _shift(upper, left=False)], axis=-2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        diagonals = self._adjoint_compact() if adjoint else self._compact()
        return tridiagonal_matmul(diagonals, x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        diagonals = self._adjoint_compact() if adjoint else self._compact()
        return tridiagonal_solve(
            diagonals, rhs, transpose_rhs=adjoint_arg, conjugate_rhs=adjoint_arg
        )

    def _diag_part(self):
        if self._format == "matrix":
            return matrix_diag_part(self._diagonals)
        if self._format == "compact":
            return self._diagonals[..., 1, :]
        return self._diagonals[1]

    def _trace(self):
        return reduce_sum(self.diag_part(), axis=-1)

    def _to_dense(self):
        if self._format == "matrix":
            return self._diagonals
        c = self._compact()
        rank = c.shape.ndims
        if rank is None:
            raise NotImplementedError("LinearOperatorTridiag.to_dense needs the rank of diagonals")
        keep = [[0, 0]] * (rank - 2)
        upper = pad(matrix_diag(c[..., 0, :-1]), keep + [[0, 1], [1, 0]])
        lower = pad(matrix_diag(c[..., 2, 1:]), keep + [[1, 0], [0, 1]])
        return upper + matrix_diag(c[..., 1, :]) + lower


def _shift_in(t, at_end: bool):
    """A diagonal of length ``N - 1`` padded to ``N`` with a zero at its end or start."""
    rank = t.shape.ndims
    return pad(t, [[0, 0]] * (rank - 1) + ([[0, 1]] if at_end else [[1, 0]]))
