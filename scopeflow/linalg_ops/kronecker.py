"""``LinearOperatorKronecker``: the Kronecker product ``A1 ⊗ A2 ⊗ ... ⊗ An`` of operators,
applied factor by factor without forming the product."""

from __future__ import annotations

import functools

from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_shape import dimension_value
from scopeflow.linalg_ops.base import LinearOperator
from scopeflow.linalg_ops.block import broadcast_results
from scopeflow.linalg_ops.derived import (
    SideBySide,
    broadcast_batch_shapes,
    broadcast_batch_tensors,
    check_operator_list,
    check_same_dtype,
)
from scopeflow.linalg_ops.util import constructor_parameters
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math.linalg_solve import adjoint as adjoint_


def _product(values):
    return functools.reduce(lambda a, b: a * b, values)


def _outer_flat(a, b):
    """``[..., p] x [..., q] -> [..., p * q]``: the Kronecker product of vectors."""
    a, b = broadcast_results([a[..., :, None], b[..., None, :]])
    joined = a * b
    return reshape(joined, concat([shape(joined)[:-2], [-1]], axis=0))


def _kron_dense(a, b):
    """The Kronecker product of two (batches of) matrices."""
    outer = a[..., :, None, :, None] * b[..., None, :, None, :]
    s = shape(outer)
    return reshape(outer, concat([s[:-4], [s[-4] * s[-3], s[-2] * s[-1]]], axis=0))


class LinearOperatorKronecker(SideBySide, LinearOperator):
    """``A1 ⊗ A2 ⊗ ... ⊗ An``, a ``[M1 M2 ... Mn, N1 N2 ... Nn]`` operator."""

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
        check_operator_list(operators, argument_words=True)
        self._operators = operators
        check_same_dtype(operators, argument_words=True)
        for key, words in (
            ("is_non_singular", "non-singular"),
            ("is_self_adjoint", "self-adjoint"),
            ("is_positive_definite", "positive-definite"),
        ):
            if all(getattr(op, key) for op in operators):
                given = {
                    "is_non_singular": is_non_singular,
                    "is_self_adjoint": is_self_adjoint,
                    "is_positive_definite": is_positive_definite,
                }[key]
                if given is False:
                    raise ValueError(
                        f"The Kronecker product of {words} operators is always {words}. "
                        f"Expected argument `{key}` to be True. Received: False."
                    )
                if key == "is_non_singular":
                    is_non_singular = True
                elif key == "is_self_adjoint":
                    is_self_adjoint = True
                else:
                    is_positive_definite = True
        name = name or "_x_".join(op.name for op in operators)
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

    @property
    def operators(self) -> list:
        return list(self._operators)

    def _product_of(self, attr: str):
        values = [dimension_value(getattr(op, attr)) for op in self._operators]
        return None if None in values else _product(values)

    def _shape(self):
        matrix = [self._product_of("range_dimension"), self._product_of("domain_dimension")]
        return broadcast_batch_shapes(self._operators).concatenate(matrix)

    def _shape_tensor(self):
        rows = _product([op.range_dimension_tensor() for op in self._operators])
        cols = _product([op.domain_dimension_tensor() for op in self._operators])
        return concat([broadcast_batch_tensors(self._operators), [rows, cols]], axis=0)

    def _apply_each(self, x, apply, sizes_in, sizes_out):
        """``x`` of shape ``[..., prod(sizes_in), R]`` with factor ``k`` applied to its own
        axis: ``apply(k, matrix)`` maps ``[..., sizes_in[k], C]`` to ``[..., sizes_out[k], C]``.
        """
        rank = x.shape.ndims
        if rank is None:
            raise NotImplementedError(
                "LinearOperatorKronecker needs the rank of its argument while building"
            )
        batch_rank = rank - 2
        n = len(self._operators)
        current = list(sizes_in)
        result = x
        for k in range(n):
            s = shape(result)
            batch = s[:batch_rank]
            left = _product([1] + current[:k])
            right = _product([1] + current[k + 1 :])
            cols = s[-1]
            # [..., left, n_k, right, R] -> [..., n_k, left, right, R] -> [..., n_k, rest]
            split = reshape(result, concat([batch, [left, current[k], right, cols]], axis=0))
            perm = list(range(batch_rank)) + [batch_rank + i for i in (1, 0, 2, 3)]
            moved = reshape(
                transpose(split, perm), concat([batch, [current[k], left * right * cols]], axis=0)
            )
            applied = apply(k, moved)
            s2 = shape(applied)
            batch2 = s2[:-2]
            back = reshape(applied, concat([batch2, [sizes_out[k], left, right, cols]], axis=0))
            result_rank = (
                applied.shape.ndims - 2 if applied.shape.ndims is not None else (batch_rank)
            )
            perm2 = list(range(result_rank)) + [result_rank + i for i in (1, 0, 2, 3)]
            current[k] = sizes_out[k]
            result = reshape(
                transpose(back, perm2),
                concat([batch2, [_product(current), cols]], axis=0),
            )
            batch_rank = result_rank
        return result

    def _sizes(self, attr: str):
        return [
            dimension_value(getattr(op, attr))
            if dimension_value(getattr(op, attr)) is not None
            else getattr(op, attr + "_tensor")()
            for op in self._operators
        ]

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_(x) if adjoint_arg else x
        rows, cols = self._sizes("range_dimension"), self._sizes("domain_dimension")
        sizes_in, sizes_out = (rows, cols) if adjoint else (cols, rows)
        return self._apply_each(
            x, lambda k, m: self._operators[k].matmul(m, adjoint=adjoint), sizes_in, sizes_out
        )

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = adjoint_(rhs) if adjoint_arg else rhs
        rows, cols = self._sizes("range_dimension"), self._sizes("domain_dimension")
        sizes_in, sizes_out = (cols, rows) if adjoint else (rows, cols)
        return self._apply_each(
            rhs, lambda k, m: self._operators[k].solve(m, adjoint=adjoint), sizes_in, sizes_out
        )

    def _total_and_sizes(self):
        sizes = self._sizes("domain_dimension")
        return _product(sizes), sizes

    def _determinant(self):
        total, sizes = self._total_and_sizes()
        result = None
        for op, size in zip(self._operators, sizes, strict=True):
            power = (
                cast(total // size, self.dtype)
                if not isinstance(total, int)
                else (float(total // size))
            )
            term = op.determinant() ** power
            result = term if result is None else result * term
        return result

    def _log_abs_determinant(self):
        total, sizes = self._total_and_sizes()
        result = None
        for op, size in zip(self._operators, sizes, strict=True):
            lad = op.log_abs_determinant()
            power = (
                cast(total // size, lad.dtype)
                if not isinstance(total, int)
                else (float(total // size))
            )
            term = power * lad
            result = term if result is None else result + term
        return result

    def _trace(self):
        return _product([op.trace() for op in self._operators])

    def _diag_part(self):
        if not all(op.is_square for op in self._operators):
            return super()._diag_part()
        return functools.reduce(_outer_flat, [op.diag_part() for op in self._operators])

    def _eigvals(self):
        return functools.reduce(_outer_flat, [op.eigvals() for op in self._operators])

    def _to_dense(self):
        dense = [op.to_dense() for op in self._operators]
        return functools.reduce(_kron_dense, dense)

    def _with(self, operators, **overrides):
        return LinearOperatorKronecker(operators, **self._hints(**overrides))

    def _adjoint_operator(self):
        return self._with([op.adjoint() for op in self._operators], is_square=self.is_square)

    def _inverse_operator(self):
        return self._with([op.inverse() for op in self._operators])

    def _cholesky_operator(self):
        return self._with(
            [op.cholesky() for op in self._operators],
            is_non_singular=True,
            is_self_adjoint=None,
            is_positive_definite=None,
        )
